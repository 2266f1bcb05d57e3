"""## What it does
Flags a volume of a pod template that is not one of the types the Pod
Security Standards' Restricted level allows: `configMap`, `csi`,
`downwardAPI`, `emptyDir`, `ephemeral`, `persistentVolumeClaim`,
`projected`, `secret`, and, from Kubernetes 1.33 (`--kube-version`), `image`.
Admission allows `image` volumes from 1.33, although the standard's page
does not list them yet. Everything else (`nfs`, `iscsi`, `cephfs`, `rbd`,
`gitRepo`, `awsElasticBlockStore`, `azureDisk`, `flexVolume`, ...) is flagged
at its source field. Storage of those kinds stays usable through a
PersistentVolume and a PersistentVolumeClaim.

Stays silent for the allowed types, for a volume that names no source (the
API server makes it an `emptyDir`), and for `hostPath`, which the Baseline
rule `host-path-volume` already reports. The rule belongs to the Restricted
level and is off unless the Restricted profile or a setting turns it on. The
finding is a warning; in a namespace that enforces the Restricted level with
the `pod-security.kubernetes.io/enforce` label, admission rejects the pod, and
the finding becomes an error.

## Why is this bad?
An inline volume source lets whoever writes the pod pick the storage server,
the export or image, and the credentials: an `nfs` or `iscsi` volume mounts
any server the node can reach, `gitRepo` runs `git` on the node with
attacker-chosen input, `flexVolume` executes a driver binary on the node.
PersistentVolumes put that choice with the cluster administrator instead. Pod
Security admission rejects such pods in namespaces that enforce Restricted.

## How to fix
Define the storage as a PersistentVolume (or let a StorageClass provision
it) and mount it through a claim:

```yaml
volumes:
  - name: shared
    persistentVolumeClaim:
      claimName: shared-nfs     # bound to a PersistentVolume that holds the nfs details
  - name: scratch
    emptyDir: {}
```

## References
- Pod Security Standards, Restricted, Volume Types: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- Persistent volumes: https://kubernetes.io/docs/concepts/storage/persistent-volumes/
- Image volumes allowed by the Restricted level (kubernetes/kubernetes#130394): https://github.com/kubernetes/kubernetes/pull/130394
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

from ._pss import RESTRICTED, because, version_at_least

ALLOWED = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected",
           "secret")
IMAGE = "image"  # allowed from Kubernetes 1.33
#: the other volume sources of the core API (hostPath is Baseline's business)
RESTRICTED_SOURCES = ("gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
                      "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte",
                      "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos", IMAGE)


@rule(scope="object", id="restricted-volume-types", severity="warning", category="security",
      security_severity=4.3, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False, summary="A volume of a type the Restricted level does not allow",
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    allowed = ALLOWED + (IMAGE,) if version_at_least(ctx, 1, 33) else ALLOWED
    listed = ", ".join(sorted(allowed, key=str.lower))
    for v in pod.volumes:
        present = [key for key, value in v.raw.items() if key != "name" and value is not None]
        if any(key in allowed for key in present) or "hostPath" in present:
            continue
        for key in present:
            if key in RESTRICTED_SOURCES:
                name = v.name if isinstance(v.name, str) else f"#{v.path[-1]}"
                later = "; image volumes are allowed from Kubernetes 1.33" if key == IMAGE else ""
                yield Finding(v.path / key, f"volume {name!r} is of type {key}{later} "
                              + because(RESTRICTED, f"only {listed} volumes are allowed"))
                break
