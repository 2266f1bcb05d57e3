"""## What it does
Flags every `ports[].hostPort` other than `0` on a container, init
container or ephemeral container: the Host Ports control of the Pod Security
Standards' Baseline level. The standard allows a cluster to accept a known
list of host ports; list them in the `allowed-host-ports` option (single
ports such as `"443"` or ranges such as `"30000-30100"`). The list is empty by
default, as in the built-in Pod Security admission controller, which has no
such list and rejects every host port.

Stays silent for ports without `hostPort`, with `hostPort: 0`, and for host
ports in the option's list. A pod with `hostNetwork: true` also gets
`hostPort` filled in from each `containerPort` when the pod is created;
`host-namespaces` already reports that pod, so this rule reports only the
`hostPort` fields written in the manifest. The finding is a warning; in a
namespace that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
A host port binds a port on the node's own address to the container, outside
Services and NetworkPolicies' usual paths: it exposes the workload on every
network the node is attached to, can shadow a port a node daemon expects, and
limits scheduling to one such pod per node and port (more replicas than nodes
stay `Pending`). Pod Security admission rejects such pods in namespaces that
enforce Baseline or Restricted.

## How to fix
Expose the pod through a Service (a `NodePort` or `LoadBalancer` one if it
must be reachable from outside the cluster) and drop `hostPort`:

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.8.0
    ports:
      - name: http
        containerPort: 8080      # no hostPort
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
```

If the cluster's own admission policy accepts a few host ports, list them:

```yaml
# k8slint.yaml
rules:
  host-port:
    allowed-host-ports: ["443", "30000-30100"]
```

## References
- Pod Security Standards, Baseline, Host Ports: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Configuration best practices, Services (avoid hostPort): https://kubernetes.io/docs/concepts/configuration/overview/#services
- Pod API reference (containers[].ports[].hostPort): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
"""

from k8slint.engine import Finding, Option, rule
from k8slint.model import WORKLOADS, sequence

from ._pss import BASELINE, because, describe, is_int


def _ranges(entries) -> list:
    """``"443"`` -> (443, 443); ``"30000-30100"`` -> (30000, 30100); malformed entries are ignored."""
    out = []
    for entry in entries:
        low, sep, high = str(entry).strip().partition("-")
        try:
            first = int(low)
            last = int(high) if sep else first
        except ValueError:
            continue
        out.append((first, last))
    return out


@rule(scope="object", id="host-port", severity="warning", category="security",
      security_severity=5.3, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A container binds a port on the node (hostPort)",
      options={"allowed-host-ports": Option(
          (), "host ports the cluster accepts: single ports (\"443\") or ranges (\"30000-30100\")", "str-list")},
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    allowed = _ranges(ctx.options["allowed-host-ports"])
    for c in pod.all_containers:
        for i, port in enumerate(sequence(c.raw.get("ports"))):
            if not isinstance(port, dict):
                continue
            value = port.get("hostPort")
            if not is_int(value) or value == 0 or any(lo <= value <= hi for lo, hi in allowed):
                continue
            target = port.get("containerPort")
            to = f" (to containerPort {target})" if is_int(target) else ""
            listed = "host ports are not allowed" if not allowed else "this host port is not in the allowed list"
            yield Finding(c.path / "ports" / i / "hostPort",
                          f"{describe(c)} binds hostPort {value}{to} on the node " + because(BASELINE, listed))
