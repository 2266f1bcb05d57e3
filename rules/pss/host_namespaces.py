"""## What it does
Flags a pod template that sets `hostNetwork: true`, `hostPID: true` or
`hostIPC: true`: the Host Namespaces control of the Pod Security Standards'
Baseline level, which allows only `false` or leaving the field out. Each field
set to `true` is one finding, at that field.

Stays silent when the fields are absent, `null` or `false`. The finding is a
warning; in a namespace that enforces the Baseline (or Restricted) level with
the `pod-security.kubernetes.io/enforce` label, admission rejects the pod, and
the finding becomes an error.

## Why is this bad?
A pod that shares a namespace with its node is no longer isolated from it:
with `hostNetwork` it binds the node's interfaces and can reach services that
listen only on the node's loopback (the kubelet, local agents) and sniff its
traffic; with `hostPID` it sees every process on the node, can read their
environment and, with enough privilege, attach to them; with `hostIPC` it
reads and writes the node's shared memory. Pod Security admission rejects
such pods in namespaces that enforce Baseline or Restricted, so the workload
never starts there: its controller only reports `FailedCreate` events.

## How to fix
Remove the fields (or set them to `false`). Serve traffic through a Service
instead of the node's interfaces, and read node facts such as its IP from
the downward API:

```yaml
spec:
  template:
    spec:
      hostNetwork: false    # the default: the pod gets its own network namespace
      containers:
        - name: agent
          image: registry.example.com/agent:2.1.0
          env:
            - name: NODE_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.hostIP
```

Node agents that truly need the host's namespaces belong in a namespace
labelled `pod-security.kubernetes.io/enforce: privileged`.

## References
- Pod Security Standards, Baseline, Host Namespaces: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- Pod API reference (hostNetwork, hostPID, hostIPC): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

from ._pss import BASELINE, because

NAMESPACES = {
    "hostNetwork": "the node's network namespace (its interfaces, ports and loopback services)",
    "hostPID": "the node's process namespace (every process on the node)",
    "hostIPC": "the node's IPC namespace (its shared memory and message queues)",
}


@rule(scope="object", id="host-namespaces", severity="warning", category="security",
      security_severity=8.4, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod shares the node's network, process or IPC namespace", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for field, what in NAMESPACES.items():
        if pod.spec.get(field) is True:
            yield Finding(pod.spec_path / field,
                          f"{obj.kind} {obj.name!r}: the pod sets {field}: true and shares {what} "
                          + because(BASELINE, "sharing host namespaces is not allowed"))
