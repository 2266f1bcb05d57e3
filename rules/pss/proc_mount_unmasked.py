"""## What it does
Flags a container, init container or ephemeral container whose
`securityContext.procMount` is set to anything but `Default` (that is,
`Unmasked`): the /proc Mount Type control of the Pod Security Standards'
Baseline level.

Stays silent when `procMount` is absent, `null` or `Default`. From
Kubernetes 1.35 (`--kube-version`), Baseline admission no longer checks
`procMount` in a pod that runs in its own user namespace
(`spec.hostUsers: false`), so this rule stays silent for such pods too; the
Restricted level still requires `Default` there, which
`proc-mount-restricted` reports. The finding is a warning; in a namespace
that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
The container runtime masks parts of `/proc` and `/sys` (such as
`/proc/kcore`, `/proc/keys`, `/proc/timer_list`, `/sys/firmware`) and mounts
others read-only (`/proc/sys`, `/proc/sysrq-trigger`). These paths leak
information about the node or change kernel settings for the whole node.
`Unmasked` removes the masks: a container that shares the node's user
namespace can then read kernel memory layouts, write kernel parameters, or
trigger SysRq actions on the node. Pod Security admission rejects such pods
in namespaces that enforce Baseline or Restricted.

## How to fix
Remove `procMount` (or set it to `Default`). Workloads that build or run
containers inside the pod, the usual reason for `Unmasked`, should run in a
user namespace:

```yaml
spec:
  hostUsers: false          # a user namespace (Linux, Kubernetes 1.33+ by default)
  containers:
    - name: builder
      image: registry.example.com/builder:5.0.0
      securityContext:
        procMount: Default
```

## References
- Pod Security Standards, Baseline, /proc Mount Type: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- User namespaces and Pod Security admission: https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/#integration-with-pod-security-admission-checks
- SecurityContext procMount (API reference): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import user_namespace_relaxed
from k8slint.model import WORKLOADS

from ._pss import BASELINE, because, describe, non_default_proc_mount


@rule(scope="object", id="proc-mount-unmasked", severity="warning", category="security",
      security_severity=7.2, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A container mounts /proc without the runtime's masks", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if user_namespace_relaxed(pod, ctx.kube_version):
        return
    for c in pod.all_containers:
        value = non_default_proc_mount(c)
        if value is not None:
            yield Finding(c.path / "securityContext" / "procMount",
                          f"{describe(c)} sets securityContext.procMount: {value}: /proc is mounted without "
                          "the runtime's masked and read-only paths "
                          + because(BASELINE, "only the Default /proc mount type is allowed"))
