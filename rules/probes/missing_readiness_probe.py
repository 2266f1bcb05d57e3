"""## What it does
Flags app containers of long-running workloads (Deployments, StatefulSets,
DaemonSets, ReplicaSets, ReplicationControllers and Pods that restart
`Always`) that have no `readinessProbe`.

## Why is this bad?
Without a readiness probe a container counts as ready the moment its process
starts. Services send it traffic before it can serve, and keep sending
traffic when it can no longer serve (overloaded, lost its database). Rolling
updates also treat an unready pod as available, so a broken version replaces
the working one at full speed.

Stays silent for Jobs, CronJobs and Pods that run to completion, for init
containers, and for containers that declare no `ports` when no Service in the
linted files selects their pods (node agents and queue workers have nothing
to be ready for).

## How to fix
Probe the endpoint that says "I can serve requests now":

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.4.2
    ports:
      - name: http
        containerPort: 8080
    readinessProbe:
      httpGet:
        path: /ready
        port: http
      periodSeconds: 5
```

## References
- Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
- Pod lifecycle, container probes: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS


@rule(id="missing-readiness-probe", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="A long-running container has no readiness probe")
def check(obj, ctx):
    if not obj.is_long_running or obj.pod is None:
        return
    services = sorted({e.source.name for e in ctx.graph.in_edges(obj, "selects")})
    for c in obj.pod.containers:
        if c.probe("readiness") is not None or not (c.ports or services):
            continue
        if services:
            why = f"Service {services[0]!r} sends it traffic before it can serve, and while it cannot"
        else:
            why = "it counts as ready as soon as it starts, so Services and rollouts treat it as serving before it can"
        yield Finding(c.path / "readinessProbe", f"container {c.name!r} has no readiness probe: {why}")
