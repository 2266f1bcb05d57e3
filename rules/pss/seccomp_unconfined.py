"""## What it does
Flags `securityContext.seccompProfile.type: Unconfined` (or any type other
than `RuntimeDefault` and `Localhost`) at pod level or on any container, init
container or ephemeral container: the Seccomp control of the Pod Security
Standards' Baseline level, which allows those two types or no profile.

Each level is checked on its own, as admission does: a pod-level
`Unconfined` is rejected even when every container overrides it with its own
profile, and a container's `Unconfined` is rejected even when the pod sets
`RuntimeDefault`. Stays silent when no profile is set; the Restricted level
requires one, which `seccomp-not-set` reports. The finding is a warning; in a
namespace that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
The container runtime's default seccomp profile blocks a few dozen system
calls that containers do not need and that kernel exploits and container
escapes often use (`unshare`, `keyctl`, `bpf`, `ptrace` on older kernels,
`mount`). `Unconfined` turns that filter off, so a bug in any reachable
syscall becomes an attack on the node's kernel. Pod Security admission
rejects such pods in namespaces that enforce Baseline or Restricted.

## How to fix
Use the runtime's default profile, or a custom one loaded on the nodes if the
application needs a syscall the default blocks:

```yaml
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: tracer
      image: registry.example.com/tracer:0.9.0
      securityContext:
        seccompProfile:
          type: Localhost
          localhostProfile: profiles/tracer.json
```

## References
- Pod Security Standards, Baseline, Seccomp: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Restrict a container's syscalls with seccomp: https://kubernetes.io/docs/tutorials/security/seccomp/
- Set the seccomp profile for a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-seccomp-profile-for-a-container
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import profile_type
from k8slint.model import WORKLOADS

from ._pss import BASELINE, because, describe

ALLOWED = ("RuntimeDefault", "Localhost")
REASON = "seccomp may not be set to Unconfined"


@rule(scope="object", id="seccomp-unconfined", severity="warning", category="security",
      security_severity=6.3, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod or container turns seccomp off (Unconfined)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    kind = profile_type(pod.security_context.get("seccompProfile"))
    if kind is not None and kind not in ALLOWED:
        override = ""
        if pod.all_containers and all(profile_type(c.security_context.get("seccompProfile")) in ALLOWED
                                      for c in pod.all_containers):
            override = "; admission checks the pod-level field even though every container sets its own profile"
        yield Finding(pod.spec_path / "securityContext" / "seccompProfile" / "type",
                      f"{obj.kind} {obj.name!r}: the pod sets securityContext.seccompProfile.type: {kind}{override} "
                      + because(BASELINE, REASON))
    for c in pod.all_containers:
        kind = profile_type(c.security_context.get("seccompProfile"))
        if kind is not None and kind not in ALLOWED:
            yield Finding(c.path / "securityContext" / "seccompProfile" / "type",
                          f"{describe(c)} sets securityContext.seccompProfile.type: {kind} and runs without a "
                          "syscall filter " + because(BASELINE, REASON))
