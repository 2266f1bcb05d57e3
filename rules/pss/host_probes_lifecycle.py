"""## What it does
Flags a non-empty `host` in a container's probes and lifecycle hooks:
`livenessProbe`, `readinessProbe` and `startupProbe`'s `httpGet.host` and
`tcpSocket.host`, and `lifecycle.postStart` and `lifecycle.preStop`'s
`httpGet.host` and `tcpSocket.host`, on every container, init container and
ephemeral container. This is the Host Probes / Lifecycle Hooks control that
the Pod Security Standards' Baseline level gained in Kubernetes 1.34.

Stays silent when `host` is absent or empty (the kubelet then targets the
pod's own IP), and for a `--kube-version` below 1.34, whose admission does
not check it. The finding is a warning; in a namespace that enforces the
Baseline (or Restricted) level with the `pod-security.kubernetes.io/enforce`
label, admission rejects the pod, and the finding becomes an error. On a
`hostNetwork` pod a loopback host (`localhost`, `127.0.0.1`, `::1`) is info:
the node's loopback is the pod's own there, so the request still reaches the
pod, and only admission objects to the field.

## Why is this bad?
The kubelet runs probes and HTTP hooks from the node, with the node's network
identity. A `host` field points those requests anywhere: at services that
trust requests from nodes, at the node's own loopback, at cloud metadata
endpoints. Anyone who may create pods can then make every node send requests
on their behalf (server-side request forgery), and read the result through
the probe's success or failure. Pod Security admission rejects such pods in
namespaces that enforce Baseline or Restricted from Kubernetes 1.34.

## How to fix
Remove `host` so the probe targets the pod itself; put a virtual host name
in an HTTP header instead:

```yaml
livenessProbe:
  httpGet:
    path: /healthz
    port: 8080
    httpHeaders:
      - name: Host
        value: app.example.com
```

## References
- Pod Security Standards, Baseline, Host Probes / Lifecycle Hooks (v1.34+): https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- KEP-4940, Pod Security admission blocks the host field of probes and lifecycle handlers: https://github.com/kubernetes/enhancements/issues/4940
- Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping

from ._pss import BASELINE, because, describe, version_at_least

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HOOKS = ("postStart", "preStop")
ACTIONS = ("httpGet", "tcpSocket")
REASON = "probes and lifecycle hooks may not set host"


def _hosts(handler, base):
    handler = mapping(handler)
    for action in ACTIONS:
        host = mapping(handler.get(action)).get("host")
        if isinstance(host, str) and host:
            yield base / action / "host", action, host


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _finding(path, where, host, host_network, what):
    if host_network and host.lower() in LOOPBACK:
        # the node's loopback is the pod's own: the request still reaches the pod, only admission objects
        return Finding(path, f"{where} is {host!r}: with hostNetwork the node's loopback is the pod's, so the "
                             f"{what} still reaches the pod, but the field is forbidden " + because(BASELINE, REASON),
                       severity="info")
    return Finding(path, f"{where} is {host!r}, so the kubelet sends the {what} from the node to that host "
                         "instead of the pod " + because(BASELINE, REASON))


@rule(scope="object", id="host-probes-lifecycle", severity="warning", category="security",
      security_severity=5.8, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A probe or lifecycle hook sends the kubelet's requests to another host",
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if not version_at_least(ctx, 1, 34):
        return
    host_network = pod.spec.get("hostNetwork") is True
    for c in pod.all_containers:
        for probe in PROBES:
            for path, action, host in _hosts(c.raw.get(probe), c.path / probe):
                yield _finding(path, f"{describe(c)}: {probe}.{action}.host", host, host_network, "probe")
        lifecycle = mapping(c.raw.get("lifecycle"))
        for hook in HOOKS:
            for path, action, host in _hosts(lifecycle.get(hook), c.path / "lifecycle" / hook):
                yield _finding(path, f"{describe(c)}: lifecycle.{hook}.{action}.host", host, host_network,
                               "hook's request")
