"""## What it does
Flags a container, init container or ephemeral container whose
`securityContext.privileged` is `true`: the Privileged Containers control of
the Pod Security Standards' Baseline level, which allows only `false` or
leaving the field out.

Stays silent when `privileged` is absent, `null` or `false`. There is no
pod-level `privileged` field, so nothing is inherited. The finding is a
warning; in a namespace that enforces the Baseline (or Restricted) level with
the `pod-security.kubernetes.io/enforce` label, admission rejects the pod, and
the finding becomes an error.

## Why is this bad?
A privileged container runs with every Linux capability, sees all of the
node's devices, and has no seccomp, AppArmor or SELinux confinement: it is
root on the node in all but name. Anyone who gets code execution in it can
load kernel modules, mount the host's disks and take over the node and every
pod on it. Pod Security admission rejects such pods in namespaces that
enforce Baseline or Restricted, so the workload's pods are never created
there.

## How to fix
Drop `privileged` and grant only what the process needs, usually nothing
(or one capability from the Baseline's allowed list):

```yaml
containers:
  - name: app
    image: registry.example.com/app:3.2.0
    securityContext:
      privileged: false
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
        add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024
```

Device plugins and node agents that need real device access belong in a
namespace labelled `pod-security.kubernetes.io/enforce: privileged`.

## References
- Pod Security Standards, Baseline, Privileged Containers: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Configure a security context for a pod or container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

from ._pss import BASELINE, because, describe


@rule(scope="object", id="privileged-container", severity="warning", category="security",
      security_severity=9.4, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A container runs privileged", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for c in pod.all_containers:
        if c.security_context.get("privileged") is True:
            yield Finding(c.path / "securityContext" / "privileged",
                          f"{describe(c)} sets securityContext.privileged: true and runs with every capability "
                          "and device of the node " + because(BASELINE, "privileged containers are not allowed"))
