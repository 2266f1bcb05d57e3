"""## What it does
Flags a ConfigMap, Secret, projected or downwardAPI volume mounted with
`subPath` or `subPathExpr` into a container that runs for the pod's lifetime
(app containers and native sidecars).

Stays silent when the mounted data cannot change in place: every ConfigMap
and Secret behind the volume is in the linted files and marked
`immutable: true`, or the pod template carries a Helm-style `checksum/...`
annotation, which replaces the pods whenever the rendered configuration
changes.

## Why is this bad?
The kubelet refreshes ConfigMap and Secret volumes by swapping a symlink in
the volume's directory. A `subPath` mount binds the one file as it was when
the container started, outside that symlink, so it never sees an update:
`kubectl edit configmap` changes nothing in running pods until they are
recreated, and nothing says so. Rotated certificates and passwords mounted
this way stay stale.

A projected ServiceAccount token is worse: it expires (after
`expirationSeconds`, one hour by default). The kubelet writes a fresh one
before that, but a `subPath` mount keeps the first, so everything the
container does with it fails with `401 Unauthorized` an hour after it
starts; the finding says so when the `subPath` is the token's `path`.

## How to fix
Mount the volume on a directory of its own, and point the application (or a
symlink made at start-up) at the file inside it:

```yaml
volumeMounts:
  - name: config
    mountPath: /etc/app/conf.d        # the whole volume: updates arrive
volumes:
  - name: config
    configMap:
      name: app-config
```

If the application must find the file at a fixed path in a directory with
other files, create a symlink from that path to `/etc/app/conf.d/app.conf` in
the image or an init step. Or make the ConfigMap `immutable` and roll the
pods when it changes.

## References
- Mounted ConfigMaps are updated automatically, except with subPath: https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically
- kubernetes/kubernetes#50345 (subPath ConfigMap mounts do not update): https://github.com/kubernetes/kubernetes/issues/50345
- Operations practice: mount the ConfigMap in its own directory and symlink to it.
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

SOURCES = {  # volume source -> (what it is called, what changes it)
    "configMap": ("ConfigMap", "the ConfigMap changes"),
    "secret": ("Secret", "the Secret changes"),
    "projected": ("projected volume", "its sources change"),
    "downwardAPI": ("downwardAPI volume", "the pod's labels or annotations change"),
}


def _immutable(ctx, obj, volume) -> bool:
    """Whether every ConfigMap/Secret behind the volume is in the run and immutable."""
    edges = [e for e in ctx.graph.out_edges(obj, "mounts") if e.path[:len(volume.path)] == volume.path]
    if not edges or volume.source_type == "downwardAPI":
        return False
    if volume.source_type == "projected":
        sources = volume.source.get("sources") or []
        if len(edges) != len(sources):  # also projects a token, downward API, ...
            return False
    for edge in edges:
        target = edge.to
        if target is None or target.raw.get("immutable") is not True:
            return False
    return True


def _token_source(volume, sub_path) -> dict | None:
    """The serviceAccountToken source of a projected volume that writes the file at ``sub_path``."""
    if volume.source_type != "projected":
        return None
    for source in volume.source.get("sources") or []:
        token = source.get("serviceAccountToken") if isinstance(source, dict) else None
        if isinstance(token, dict) and isinstance(token.get("path"), str) \
                and token["path"].strip("/") == str(sub_path).strip("/"):
            return token
    return None


@rule(id="subpath-configmap-stale", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="A ConfigMap or Secret mounted with subPath never receives updates", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if any(isinstance(k, str) and k.startswith("checksum/") for k in pod.annotations):
        return
    for c in pod.containers + pod.init_containers:
        if not c.runs_alongside_app:
            continue
        for mount in c.volume_mounts:
            sub = mount.sub_path
            if sub is None:
                continue
            volume = pod.volume(mount.name)
            if volume is None or not volume.is_live_projected or _immutable(ctx, obj, volume):
                continue
            kind, change = SOURCES[volume.source_type]
            source_name = volume.source.get("name") or volume.source.get("secretName")
            what = f"{kind} {source_name!r}" if isinstance(source_name, str) else f"{kind} {mount.name!r}"
            field, value = sub
            token = _token_source(volume, value) if field == "subPath" else None
            if token is not None:
                seconds = token.get("expirationSeconds")
                lifetime = f"{seconds} seconds" if isinstance(seconds, int) and not isinstance(seconds, bool) \
                    else "1 hour, the default"
                yield Finding(mount.path / field,
                              f"container {c.name!r} mounts the ServiceAccount token of projected volume "
                              f"{mount.name!r} with subPath {value!r}: the token expires after {lifetime}, and "
                              "the kubelet's rotated token never reaches this file, so whoever it is presented to "
                              "(the API server, Vault) rejects it from then on")
                continue
            yield Finding(mount.path / field,
                          f"container {c.name!r} mounts {what} with {field} {value!r}: "
                          f"{mount.mount_path or 'the file'} is not updated when {change}")
