"""## What it does
Flags containers whose liveness probe is identical to their readiness probe:
the same check with the same timing and thresholds (unset fields compared at
their defaults).

## Why is this bad?
The two probes answer different questions. Readiness asks "can you take
traffic now?" and a failure only takes the pod out of its Services; liveness
asks "are you wedged?" and a failure restarts the container. When both are
the same check with the same thresholds, every moment of unreadiness (a slow
dependency, a burst of load) also restarts the container, turning a brief
overload into a crash loop that drops all the work in flight.

Probes that share an endpoint but give liveness more patience (a higher
`failureThreshold` or `periodSeconds`) are a sound pattern and are not
flagged.

Identical `tcpSocket` probes are info: a TCP connect succeeds as long as the
process listens (the kernel completes the handshake, however busy the
application is), so overload does not fail them, and a failure means the
listener is gone, which a restart is right to answer.

## How to fix
Give liveness its own, more tolerant settings, or a cheaper endpoint that
does not depend on other services:

```yaml
readinessProbe:
  httpGet: {path: /ready, port: 8080}
  periodSeconds: 5
livenessProbe:
  httpGet: {path: /healthz, port: 8080}
  periodSeconds: 10
  failureThreshold: 6
```

## References
- Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
- Probe fields and defaults: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

DEFAULTS = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
            "failureThreshold": 3}


def normalized(probe: dict) -> dict:
    out = dict(DEFAULTS)
    out.update(probe)
    http = out.get("httpGet")
    if isinstance(http, dict):
        out["httpGet"] = {"scheme": "HTTP", "path": "/", **http}
    return out


@rule(scope="object", id="liveness-equals-readiness", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="Liveness and readiness probes are identical")
def check(obj, ctx):
    if obj.pod is None:
        return
    for c in obj.pod.containers + obj.pod.init_containers:
        liveness, readiness = c.probe("liveness"), c.probe("readiness")
        if liveness and readiness and normalized(liveness) == normalized(readiness):
            if isinstance(liveness.get("tcpSocket"), dict):
                yield Finding(c.path / "livenessProbe",
                              f"container {c.name!r} has identical tcpSocket liveness and readiness probes: "
                              "a connect fails only when nothing listens, so this restarts the container only "
                              "when it has stopped listening; give liveness more patience if start-up can be slow",
                              severity="info")
                continue
            yield Finding(c.path / "livenessProbe",
                          f"container {c.name!r} has identical liveness and readiness probes: "
                          "whenever it is not ready it is also restarted")
