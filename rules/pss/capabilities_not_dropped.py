"""## What it does
Checks the Capabilities control of the Pod Security Standards' Restricted
level on every container, init container and ephemeral container:

- `securityContext.capabilities.drop` must contain `ALL`. A container
  without it is flagged at `drop` (or where `drop` belongs, if it is
  missing). Admission compares the name exactly: `all` or `CAP_ALL` does not
  count.
- `securityContext.capabilities.add` may contain only `NET_BIND_SERVICE`.
  Entries from the Baseline's allowed list (`CHOWN`, `SETUID`, `KILL`, ...)
  are flagged here; entries beyond that list are reported by the Baseline
  rule `capabilities-added`, so a capability is reported once.

Capabilities have no pod-level field, so nothing is inherited. Stays silent
for pods with `spec.os.name: windows`, which the standard exempts from this
Linux-only control, and for privileged containers, which hold every
capability whatever they drop (`privileged-container` reports them). The rule belongs to the Restricted level and is off
unless the Restricted profile or a setting turns it on. The finding is a
warning; in a namespace that enforces the Restricted level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
A container that does not drop capabilities keeps the runtime's default set,
about fourteen of them: it can change file ownership (`CHOWN`,
`DAC_OVERRIDE`), switch to any user (`SETUID`, `SETGID`), create device
nodes (`MKNOD`), and, on runtimes that still grant it, forge raw packets
(`NET_RAW`). An attacker who gets code execution inherits all of them. With
`drop: ["ALL"]` the process holds no capability it did not ask for. Pod
Security admission rejects containers that keep them in namespaces that
enforce Restricted.

## How to fix
Drop everything, and add back only `NET_BIND_SERVICE` if the process binds a
port below 1024:

```yaml
containers:
  - name: web
    image: registry.example.com/web:2.2.0
    securityContext:
      capabilities:
        drop: ["ALL"]
        add: ["NET_BIND_SERVICE"]
```

## References
- Pod Security Standards, Restricted, Capabilities: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- Set capabilities for a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
- Linux capabilities: https://man7.org/linux/man-pages/man7/capabilities.7.html
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import is_windows
from k8slint.model import WORKLOADS, mapping, sequence

from ._pss import BASELINE_CAPABILITIES, RESTRICTED, because, describe

DROP_REASON = "containers must drop ALL capabilities"
ADD_REASON = "only NET_BIND_SERVICE may be added"


@rule(scope="object", id="capabilities-not-dropped", severity="warning", category="security",
      security_severity=4.7, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False,
      summary="A container does not drop ALL capabilities, or adds one other than NET_BIND_SERVICE", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_windows(pod):
        return
    for c in pod.all_containers:
        if c.security_context.get("privileged") is True:
            continue  # it holds every capability whatever it drops: privileged-container reports it
        base = c.path / "securityContext" / "capabilities"
        caps = mapping(c.security_context.get("capabilities"))
        drop = caps.get("drop")
        names = [d for d in sequence(drop) if isinstance(d, str)]
        if "ALL" not in names:
            near = [d for d in names if d.upper() in ("ALL", "CAP_ALL")]
            if near:
                detail = f"drops {near[0]!r}, but admission accepts only the exact name ALL"
            elif names:
                detail = f"drops only {', '.join(names)}, not ALL"
            else:
                detail = "does not set securityContext.capabilities.drop: [\"ALL\"]"
            yield Finding(base / "drop", f"{describe(c)} {detail} " + because(RESTRICTED, DROP_REASON))
        for i, name in enumerate(sequence(caps.get("add"))):
            if isinstance(name, str) and name != "NET_BIND_SERVICE" and name in BASELINE_CAPABILITIES:
                yield Finding(base / "add" / i, f"{describe(c)} adds capability {name} "
                              + because(RESTRICTED, ADD_REASON))
