"""## What it does
Flags a container, init container or ephemeral container that does not set
`securityContext.allowPrivilegeEscalation: false`: the Privilege Escalation
control of the Pod Security Standards' Restricted level, whose only allowed
value is `false`. A missing field is reported at the container (there is no
pod-level field to set instead); an explicit `true` at the field.

Stays silent for pods with `spec.os.name: windows`, which the standard
exempts from this Linux-only control, and for containers that set
`privileged: true` or add `CAP_SYS_ADMIN`: the API server rejects
`allowPrivilegeEscalation: false` beside either, so the advice cannot be
followed until they go (`privileged-container` and `capabilities-added`
report them). The rule belongs to the Restricted
level and is off unless the Restricted profile or a setting turns it on. The
finding is a warning; in a namespace that enforces the Restricted level with
the `pod-security.kubernetes.io/enforce` label, admission rejects the pod, and
the finding becomes an error.

## Why is this bad?
Unless `allowPrivilegeEscalation` is `false`, the container's processes run
without the kernel's `no_new_privs` flag: a set-user-ID or set-group-ID
binary in the image (`su`, `sudo`, `ping` on some images, or one an attacker
drops in a writable layer) or a file capability can give a process more
privileges than its parent had. With the flag set, `execve` can never raise
privileges. Pod Security admission rejects containers that leave it unset in
namespaces that enforce Restricted.

## How to fix
Set the field on every container, init containers and sidecars included:

```yaml
containers:
  - name: app
    image: registry.example.com/app:4.0.0
    securityContext:
      allowPrivilegeEscalation: false
```

## References
- Pod Security Standards, Restricted, Privilege Escalation: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- Configure a security context (allowPrivilegeEscalation): https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- no_new_privs: https://docs.kernel.org/userspace-api/no_new_privs.html
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import is_windows
from k8slint.model import WORKLOADS, mapping

from ._pss import RESTRICTED, because, describe

REASON = "allowPrivilegeEscalation must be false"


@rule(scope="object", id="privilege-escalation-allowed", severity="warning", category="security",
      security_severity=5.5, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False,
      summary="A container does not set allowPrivilegeEscalation: false", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_windows(pod):
        return
    for c in pod.all_containers:
        value = c.security_context.get("allowPrivilegeEscalation")
        where = c.path / "securityContext" / "allowPrivilegeEscalation"
        if value is False or _cannot_be_false(c):
            continue
        if value is None:
            yield Finding(where, f"{describe(c)} does not set securityContext.allowPrivilegeEscalation: false "
                                 "(set it in the container's securityContext; there is no pod-level field) "
                          + because(RESTRICTED, REASON))
        else:
            yield Finding(where, f"{describe(c)} sets securityContext.allowPrivilegeEscalation: {_show(value)} "
                          + because(RESTRICTED, REASON))


def _cannot_be_false(container) -> bool:
    """The API server rejects allowPrivilegeEscalation: false beside privileged: true or an added
    CAP_SYS_ADMIN (the exact name), so the advice cannot be followed; privileged-container and
    capabilities-added report what to remove first."""
    context = container.security_context
    added = mapping(context.get("capabilities")).get("add")
    return context.get("privileged") is True or (isinstance(added, list) and "CAP_SYS_ADMIN" in added)


def _show(value) -> str:
    return "true" if value is True else repr(value)
