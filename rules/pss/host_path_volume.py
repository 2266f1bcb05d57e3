"""## What it does
Flags every `hostPath` volume of a pod template: the HostPath Volumes
control of the Pod Security Standards' Baseline level, which allows no
`hostPath` volume at all, whatever its path, `type` or whether it is mounted
read-only.

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


@rule(id="host-path-volume", severity="warning", category="security", applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod mounts a directory or file of the node (hostPath)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for v in pod.volumes:
        source = v.raw.get("hostPath")
        if source is None:
            continue
        path = mapping(source).get("path")
        what = f"node path {path!r}" if isinstance(path, str) and path else "a node path"
        name = v.name if isinstance(v.name, str) else f"#{v.path[-1]}"
        yield Finding(v.path / "hostPath",
                      f"volume {name!r} is a hostPath volume exposing {what} to the pod "
                      + because(BASELINE, "hostPath volumes are not allowed"))
