"""## What it does
Flags a container (app, init or ephemeral) whose `image` has no tag, or the
tag `latest`, and no digest: `nginx`, `nginx:latest`,
`registry:5000/team/app`. Tags listed in the `mutable-tags` option (default:
`latest` only) are treated like `latest`, for teams that also forbid tags such
as `main` or `stable`.

The image reference is parsed as container runtimes parse it, so a registry
port is not mistaken for a tag (`registry:5000/app` has no tag). Stays silent
when the image is pinned by digest (`app@sha256:...`, also `app:1.2@sha256:...`
and `app:latest@sha256:...`, where the digest alone decides what is pulled),
when `image` is missing or empty (allowed in workload templates and left to
schema validation), and for references that are invalid for another reason,
except two. A reference made invalid by an upper-case placeholder
(`europe-docker.pkg.dev/PROJECT_ID/app:latest`) is still judged by the tag
written after its last `/`. And a name followed by an empty tag is reported
(`image: "registry.example.com/app:"`), which is what a Helm template renders
when its tag value is empty; the kubelet refuses it with `InvalidImageName`.

## Why is this bad?
A tag like `latest` is a moving pointer. Two nodes that pull the "same" image
an hour apart can run different code, a pod restarted on a new node picks up
whatever was pushed last, and rolling back the Deployment restores a pod
template that still says `latest`, so the rollback changes nothing. Nothing
in the cluster records which build actually ran. (Without a tag or with
`latest`, `imagePullPolicy` also defaults to `Always`, so every container
start depends on the registry being reachable.)

## How to fix
Use an immutable version tag, or better a digest (a tag next to it is kept
for readers):

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.4.2@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
```

## References
- Images, image names and tags (`latest` is the default tag): https://kubernetes.io/docs/concepts/containers/images/#image-names
- Configuration best practices, avoid the latest tag: https://kubernetes.io/docs/concepts/configuration/overview/#container-images
- Image reference grammar: https://github.com/distribution/reference/blob/main/reference.go
"""

from __future__ import annotations

from k8slint.engine import Finding, Option, rule
from k8slint.kube import images
from k8slint.model import WORKLOADS


def _written_tag(image: str) -> str | None:
    """The tag as written after the last path component, for a reference that does not parse
    (an upper-case placeholder such as ``europe-docker.pkg.dev/PROJECT_ID/app:latest``)."""
    name = image.strip().rsplit("/", 1)[-1]
    return name.rsplit(":", 1)[1] if ":" in name else None


@rule(scope="object", id="image-tag-latest", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="An image without a tag or with the latest tag, and no digest",
      options={"mutable-tags": Option(("latest",), "tags that move (besides a missing tag); "
                                                  "images with these tags and no digest are flagged", "str-list")},
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    mutable = set(ctx.options["mutable-tags"])
    for c in pod.all_containers:
        image = c.raw.get("image")
        if not isinstance(image, str) or not image.strip():
            continue
        where = c.path / "image"
        try:
            ref = images.parse(image)
        except images.ImageRefError:
            if image.endswith(":") and images.try_parse(image[:-1]) is not None:
                yield Finding(where, f"container {c.name!r} uses image {image!r} with an empty tag (a template "
                                     "rendered an empty tag value?): the kubelet refuses it with InvalidImageName")
            elif "@" not in image and _written_tag(image) in mutable:  # a placeholder such as PROJECT_ID
                yield Finding(where, f"container {c.name!r} uses image {image!r} with the mutable tag "
                                     f"{_written_tag(image)!r} and no digest: pods started at different times can "
                                     "run different builds, and a rollback does not bring back the previous build")
            continue
        if ref.pinned:
            continue
        if ref.tag is None:
            yield Finding(where, f"container {c.name!r} uses image {image!r} without a tag or digest: the kubelet "
                                 "pulls ':latest', whatever that is when the pod starts, and a rollback does not "
                                 "bring back the previous build")
        elif ref.tag in mutable:
            yield Finding(where, f"container {c.name!r} uses image {image!r} with the mutable tag "
                                 f"{ref.tag!r} and no digest: pods started at different times can run "
                                 "different builds, and a rollback does not bring back the previous build")
