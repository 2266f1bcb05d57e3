"""## What it does
Flags a pod template with `hostPath` volumes: the HostPath Volumes control
of the Pod Security Standards' Baseline level, which allows no `hostPath`
volume at all, whatever its path, `type` or whether it is mounted
read-only. One finding per pod, anchored at the first `hostPath` volume and
naming every node path; in SARIF, the other volumes are the result's
`relatedLocations` (a node agent with twenty `hostPath` volumes is one
decision, not twenty).

Stays silent for every other volume type (and for `hostPath: null`, which
the API server reads as absent). The Restricted level also forbids other
volume types; `restricted-volume-types` reports those. The finding is a
warning; in a namespace that enforces the Baseline (or Restricted) level with
the `pod-security.kubernetes.io/enforce` label, admission rejects the pod, and
the finding becomes an error.

## Why is this bad?
A `hostPath` volume exposes a directory or file of the node to the pod.
Mounting `/`, `/etc`, `/var/lib/kubelet`, `/var/run/containerd.sock` or
`/proc` hands over the node: the container can read other pods' secrets,
write the node's configuration, or start containers through the runtime
socket. Even a harmless-looking path ties the pod to one node's disk, whose
content disappears when the pod moves. Pod Security admission rejects such
pods in namespaces that enforce Baseline or Restricted.

## How to fix
Use a volume type that does not reach into the node: an `emptyDir` for
scratch space, a PersistentVolumeClaim for data, a ConfigMap or Secret for
configuration:

```yaml
volumes:
  - name: cache
    emptyDir:
      sizeLimit: 1Gi
  - name: data
    persistentVolumeClaim:
      claimName: app-data
```

Node agents that must read the node's files belong in a namespace labelled
`pod-security.kubernetes.io/enforce: privileged`.

## References
- Pod Security Standards, Baseline, HostPath Volumes: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- hostPath volumes and their risks: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping

from ._pss import BASELINE, because


def _label(volume) -> str:
    path = mapping(volume.raw.get("hostPath")).get("path")
    node_path = repr(path) if isinstance(path, str) and path else "no path"
    name = volume.name if isinstance(volume.name, str) else f"#{volume.path[-1]}"
    return f"{name!r} ({node_path})"


@rule(scope="object", id="host-path-volume", severity="warning", category="security",
      security_severity=8.2, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod mounts a directory or file of the node (hostPath)", needs="pod")
def check(obj, ctx):
    volumes = [v for v in obj.pod.volumes if v.raw.get("hostPath") is not None]
    if not volumes:
        return
    first, *others = volumes
    if not others:
        what = f"volume {_label(first)} is a hostPath volume exposing a node path to the pod "
    else:
        what = (f"{len(volumes)} hostPath volumes expose node paths to the pod: "
                + ", ".join(_label(v) for v in volumes) + " ")
    yield Finding(first.path / "hostPath", what + because(BASELINE, "hostPath volumes are not allowed"),
                  related=[(v.path / "hostPath", f"hostPath volume {_label(v)}") for v in others])
