"""## What it does
Flags a container, init container or ephemeral container with
`securityContext.procMount` other than `Default` (that is, `Unmasked`) in a
pod that runs in its own user namespace (`spec.hostUsers: false`), for
Kubernetes 1.35 and later (`--kube-version`).

From 1.35, the Baseline level accepts any `procMount` in such pods, but the
Restricted level still requires `Default` (or leaving it out) in every pod.
For pods that share the node's user namespace, the Baseline rule
`proc-mount-unmasked` already reports the field, so this rule stays silent
for them, for Kubernetes versions before 1.35 (where Baseline still checks
user-namespace pods), and for `procMount` absent, `null` or `Default`. The
rule belongs to the Restricted level and is off unless the Restricted
profile or a setting turns it on. The finding is a warning; in a namespace
that enforces the Restricted level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
A user namespace maps root in the container to an unprivileged user on the
node, which limits what an unmasked `/proc` exposes, but the kernel
interfaces behind the masked paths stay reachable, and the Restricted level
does not trade that away. A pod that runs in a Baseline namespace today is
rejected when its namespace moves to `enforce: restricted`.

## How to fix
Keep the default `/proc` mount in pods meant for Restricted namespaces:

```yaml
spec:
  hostUsers: false
  containers:
    - name: builder
      image: registry.example.com/builder:5.0.0
      securityContext:
        procMount: Default      # or leave it out
```

## References
- User namespaces and Pod Security admission (Restricted still requires the default ProcMount): https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/#integration-with-pod-security-admission-checks
- Pod Security Standards, /proc Mount Type: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import user_namespace_relaxed
from k8slint.model import WORKLOADS

from ._pss import RESTRICTED, because, describe, non_default_proc_mount


@rule(id="proc-mount-restricted", severity="warning", category="security", security_severity=4.3, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False,
      summary="A user-namespace pod mounts /proc without the runtime's masks (Restricted)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if not user_namespace_relaxed(pod, ctx.kube_version):
        return
    for c in pod.all_containers:
        value = non_default_proc_mount(c)
        if value is not None:
            yield Finding(c.path / "securityContext" / "procMount",
                          f"{describe(c)} sets securityContext.procMount: {value} in a pod with hostUsers: false "
                          + because(RESTRICTED, "only the Default /proc mount type is allowed, even in a user "
                                                "namespace"))
