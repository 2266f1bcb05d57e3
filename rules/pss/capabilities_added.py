"""## What it does
Flags a container whose `securityContext.capabilities.add` holds entries
that are not in the Pod Security Standards' Baseline list (one finding per
container, at the first such entry, listing them all; the others are SARIF
`relatedLocations`): `AUDIT_WRITE`, `CHOWN`,
`DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`,
`SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT` (the container
runtime's default set, without `NET_RAW`). Init and ephemeral containers
count. Names are compared exactly as admission compares them: `CAP_SYS_ADMIN`
or `sys_admin` is not a name on the list, and is flagged.

Stays silent for an absent or empty `add` list, and for entries on the list.
The Restricted level allows even fewer additions (only `NET_BIND_SERVICE`);
`capabilities-not-dropped` reports those. The finding is a warning; in a
namespace that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
Capabilities beyond the default set hand a container pieces of root's power
over the node: `SYS_ADMIN` can mount filesystems and escape most confinement,
`NET_ADMIN` reconfigures the pod network, `SYS_PTRACE` reads other processes'
memory, `NET_RAW` forges packets on the node's network, `SYS_MODULE` loads
kernel code. A compromised process inherits them. Pod Security admission
rejects such pods in namespaces that enforce Baseline or Restricted.

## How to fix
Remove the capability, or keep only ones from the Baseline list (and drop
everything else):

```yaml
securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]   # bind ports below 1024 without root
```

## References
- Pod Security Standards, Baseline, Capabilities: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Set capabilities for a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
- Linux capabilities: https://man7.org/linux/man-pages/man7/capabilities.7.html
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence

from ._pss import BASELINE, BASELINE_CAPABILITIES, because, describe

BASELINE_ALLOWED = BASELINE_CAPABILITIES


def _hint(name: str) -> str:
    upper = name.upper()
    bare = upper[4:] if upper.startswith("CAP_") else upper
    if bare != name and bare in BASELINE_ALLOWED:
        return f"; admission compares names exactly: write {bare}"
    return ""


@rule(scope="object", id="capabilities-added", severity="warning", category="security",
      security_severity=7.9, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A container adds a capability beyond the Baseline set", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for c in pod.all_containers:
        caps = mapping(c.security_context.get("capabilities"))
        at = c.path / "securityContext" / "capabilities" / "add"
        added = [(i, name) for i, name in enumerate(sequence(caps.get("add")))
                 if isinstance(name, str) and name not in BASELINE_ALLOWED]
        if not added:
            continue
        (first, name), *others = added
        what = (f"capability {name}{_hint(name)}" if not others else
                "capabilities " + ", ".join(f"{n}{_hint(n)}" for _, n in added))
        yield Finding(at / first, f"{describe(c)} adds {what} "
                      + because(BASELINE, "only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, "
                                          "MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and "
                                          "SYS_CHROOT may be added"),
                      related=[(at / i, f"capability {n}") for i, n in others])
