"""## What it does
Flags what the SELinux control of the Pod Security Standards' Baseline
level forbids in `seLinuxOptions`, at pod level and on every container, init
container and ephemeral container:

- `type` other than empty, `container_t`, `container_init_t`,
  `container_kvm_t`, or (from Kubernetes 1.31) `container_engine_t`;
- any non-empty `user`;
- any non-empty `role`.

Each offending field is one finding, at that field. Each level is checked on
its own, as admission does: a forbidden pod-level value is rejected even when
every container sets its own `seLinuxOptions`. `level` (the MCS label, such as
`s0:c123,c456`) may be set freely, and so may an empty string in any field.
The finding is a warning; in a namespace that enforces the Baseline (or
Restricted) level with the `pod-security.kubernetes.io/enforce` label,
admission rejects the pod, and the finding becomes an error.

## Why is this bad?
On SELinux-enforcing nodes, the container runtime labels each container with
a confined type (`container_t`) and a per-pod category, which keeps it away
from the node's files and other pods. Choosing another type (`spc_t`,
`unconfined_t`, a type of a node daemon) or a custom user or role lifts that
confinement: the container can then read and write what the chosen domain can
on the node. Pod Security admission rejects such pods in namespaces that
enforce Baseline or Restricted.

## How to fix
Leave `type`, `user` and `role` out (the runtime picks `container_t`), or use
one of the allowed container types; set `level` if pods must share files:

```yaml
spec:
  securityContext:
    seLinuxOptions:
      level: "s0:c123,c456"     # allowed: the MCS categories
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        seLinuxOptions:
          type: container_t     # allowed; user and role stay unset
```

## References
- Pod Security Standards, Baseline, SELinux: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Assign SELinux labels to a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

from ._pss import BASELINE, because, describe, version_at_least

TYPES = ("container_t", "container_init_t", "container_kvm_t")
ENGINE_TYPE = "container_engine_t"  # allowed from Kubernetes 1.31


def _findings(options, base, who: str, types):
    if not isinstance(options, dict):
        return
    kind = options.get("type")
    if isinstance(kind, str) and kind and kind not in types:
        yield Finding(base / "type", f"{who} sets seLinuxOptions.type: {kind} "
                      + because(BASELINE, f"the SELinux type may only be {', '.join(types)} or unset"))
    for field in ("user", "role"):
        value = options.get(field)
        if isinstance(value, str) and value:
            yield Finding(base / field, f"{who} sets seLinuxOptions.{field}: {value} "
                          + because(BASELINE, f"a custom SELinux {field} is not allowed"))


@rule(scope="object", id="selinux-options", severity="warning", category="security",
      security_severity=6.0, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod or container sets a custom SELinux type, user or role", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    types = TYPES + (ENGINE_TYPE,) if version_at_least(ctx, 1, 31) else TYPES
    yield from _findings(pod.security_context.get("seLinuxOptions"),
                         pod.spec_path / "securityContext" / "seLinuxOptions", f"{obj.kind} {obj.name!r}: the pod",
                         types)
    for c in pod.all_containers:
        yield from _findings(c.security_context.get("seLinuxOptions"),
                             c.path / "securityContext" / "seLinuxOptions", describe(c), types)
