"""## What it does
Flags app containers of long-running workloads (Deployments, StatefulSets,
DaemonSets, ReplicaSets, ReplicationControllers and Pods that restart
`Always`) that have no `livenessProbe`.

Its default severity is `info`: a process that exits when it breaks is
restarted without a liveness probe, so the probe matters for processes that
can hang while still running (deadlocks, stuck event loops).

## Why is this bad?
A container that hangs without exiting stays "Running" forever: the kubelet
only restarts containers that exit or fail their liveness probe. With a
readiness probe it at least stops receiving traffic, but it never recovers
until someone deletes the pod.

Stays silent for Jobs, CronJobs and Pods that run to completion, and for
init containers.

## How to fix
Probe something that fails only when the process is wedged (not when a
dependency is down: that is what readiness is for), and give slow starters a
startup probe so the liveness probe does not kill them while they boot:

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.4.2
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
      periodSeconds: 10
      failureThreshold: 6
    startupProbe:
      httpGet:
        path: /healthz
        port: 8080
      failureThreshold: 30
```

## References
- Configure liveness, readiness and startup probes: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
- Container restart policy: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS


@rule(scope="object", id="missing-liveness-probe", severity="info", category="reliability", applies_to=WORKLOADS,
      summary="A long-running container has no liveness probe")
def check(obj, ctx):
    if not obj.is_long_running or obj.pod is None:
        return
    for c in obj.pod.containers:
        if c.probe("liveness") is None:
            yield Finding(c.path / "livenessProbe",
                          f"container {c.name!r} has no liveness probe: if it hangs without exiting, "
                          "nothing restarts it")
