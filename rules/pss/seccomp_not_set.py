"""## What it does
Flags a container, init container or ephemeral container that runs without
a seccomp profile: neither its own `securityContext.seccompProfile.type` nor
the pod's `spec.securityContext.seccompProfile.type` is set. This is the
Seccomp control of the Pod Security Standards' Restricted level, which
requires `RuntimeDefault` or `Localhost`, at pod level or on every container.
A container's profile wins over the pod's, as in the kubelet, so the pod
level may stay unset when every container sets a profile. When no container
has a profile, there is one finding, at the pod's `securityContext`, since
setting it there once covers every container; otherwise each uncovered
container is flagged.

Stays silent when a profile is set and allowed, when a profile is explicitly
`Unconfined` (the Baseline rule `seccomp-unconfined` reports that, and the
containers that inherit it), and for pods with `spec.os.name: windows`, which
the standard exempts from this Linux-only control. The rule belongs to the
Restricted level and is off unless the Restricted profile or a setting turns
it on. The finding is a warning; in a namespace that enforces the Restricted
level with the `pod-security.kubernetes.io/enforce` label, admission rejects
the pod, and the finding becomes an error.

## Why is this bad?
Without a profile, what the container gets depends on the node: on kubelets
that do not run with `--seccomp-default` (the default), it runs
`Unconfined`, with every system call of the node's kernel reachable,
including the ones kernel exploits and container escapes rely on. Setting
`RuntimeDefault` makes the filter explicit and the same on every node. Pod
Security admission rejects pods without it in namespaces that enforce
Restricted.

## How to fix
Set the runtime's default profile once, at pod level:

```yaml
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example.com/app:6.0.0
```

## References
- Pod Security Standards, Restricted, Seccomp: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- Restrict a container's syscalls with seccomp: https://kubernetes.io/docs/tutorials/security/seccomp/
- Set the seccomp profile for a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-seccomp-profile-for-a-container
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import is_windows, profile_type
from k8slint.model import WORKLOADS

from ._pss import RESTRICTED, because, describe

REASON = "seccompProfile.type must be RuntimeDefault or Localhost"


def _unset(pod, container) -> bool:
    """No seccomp profile type applies to the container: none of its own, none inherited from the pod.

    A profile mapping without a ``type`` counts as unset (the API server rejects it anyway).
    """
    if profile_type(container.security_context.get("seccompProfile")) is not None:
        return False  # the container's own profile wins, whatever the pod sets
    return profile_type(pod.security_context.get("seccompProfile")) is None


@rule(scope="object", id="seccomp-not-set", severity="warning", category="security",
      security_severity=4.3, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False,
      summary="A container runs without a seccomp profile (RuntimeDefault or Localhost)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_windows(pod):
        return
    containers = pod.all_containers
    missing = [c for c in containers if _unset(pod, c)]
    if not missing:
        return
    if len(missing) == len(containers):
        who = (f"its {describe(missing[0])}" if len(missing) == 1
               else "any of its containers (" + ", ".join(repr(c.name) for c in missing) + ")")
        yield Finding(pod.spec_path / "securityContext" / "seccompProfile",
                      f"neither the pod nor {who} sets a seccomp profile; set "
                      "securityContext.seccompProfile.type: RuntimeDefault once in the pod's securityContext, or "
                      "in every container's " + because(RESTRICTED, REASON))
        return
    for c in missing:
        yield Finding(c.path / "securityContext" / "seccompProfile",
                      f"{describe(c)} has no seccomp profile and the pod sets none; set "
                      "securityContext.seccompProfile.type: RuntimeDefault in this container's securityContext "
                      "or in the pod's " + because(RESTRICTED, REASON))
