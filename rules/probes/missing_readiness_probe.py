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
to be ready for). When Services select the pods, only the containers that
own a port a Service targets are flagged: endpoints send a Service's traffic
to the port its `targetPort` names (by name or number; `port` when unset),
so a sidecar without such a port (a config reloader, a dashboard watcher)
gets none of it. When no container declares a targeted port, any of them may
be the one listening, and all are flagged.

With no Service in the linted files, a container that declares ports is
flagged as a warning in Deployments, StatefulSets and DaemonSets (their
rolling updates count an unready pod as available), and at info in Pods,
ReplicaSets and ReplicationControllers, which nothing rolls out: only a
Service defined elsewhere would use their readiness.

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
from k8slint.model import WORKLOADS, mapping, sequence


def _targets(service) -> list:
    """The container ports a Service sends traffic to: names and numbers."""
    out = []
    for port in sequence(service.spec.get("ports")):
        port = mapping(port)
        target = port.get("targetPort", port.get("port"))
        if isinstance(target, (str, int)) and not isinstance(target, bool):
            out.append(target)
    return out


def _owns(container, targets) -> bool:
    for p in container.ports:
        if p.get("name") in targets or (isinstance(p.get("containerPort"), int) and p["containerPort"] in targets):
            return True
    return False


#: kinds whose rolling updates wait for readiness (maxUnavailable, ordered StatefulSet updates)
ROLLED_OUT = frozenset({"Deployment", "StatefulSet", "DaemonSet"})


def _first_by_targets(ctx, group) -> list:
    """(targeted ports, the first Service name in name order) for each distinct list of
    targeted ports among the Services of a `selects` edge group (computed once per run:
    n Services that select the same n workloads are not looked at n * n times)."""
    key = ("missing-readiness-probe", id(group))
    found = ctx.cache.get(key)
    if found is None:
        first: dict = {}
        for service in group.sources:
            targets = tuple(_targets(service))
            if targets not in first or service.name < first[targets]:
                first[targets] = service.name
        found = ctx.cache[key] = list(first.items())
    return found


@rule(id="missing-readiness-probe", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="A long-running container has no readiness probe", needs="pod")
def check(obj, ctx):
    if not obj.is_long_running:
        return
    pod = obj.pod
    groups = ctx.graph.selected_by(obj, "selects")  # the Services that select the pods, in groups
    services = any(group.sources for group in groups)
    claimed: dict = {}  # id(container) -> the first Service name (in name order) that sends it traffic
    for group in groups:
        for targets, name in _first_by_targets(ctx, group):
            owners = [c for c in pod.containers if _owns(c, targets)]
            # no container declares a targeted port: any of them may listen on it
            for c in owners or pod.containers:
                if id(c) not in claimed or name < claimed[id(c)]:
                    claimed[id(c)] = name
    for c in pod.containers:
        if c.probe("readiness") is not None:
            continue
        if id(c) in claimed:
            why = f"Service {claimed[id(c)]!r} sends it traffic before it can serve, and while it cannot"
        elif services:
            continue  # the Services' traffic goes to another container of the pod
        elif c.ports and obj.kind in ROLLED_OUT:
            why = "it counts as ready as soon as it starts, so Services and rollouts treat it as serving before it can"
        elif c.ports:
            yield Finding(c.path / "readinessProbe",
                          f"container {c.name!r} has no readiness probe: it counts as ready as soon as it starts; "
                          f"no Service among the linted objects selects the {obj.kind}, but one that does sends it "
                          "traffic before it can serve", severity="info")
            continue
        else:
            continue
        yield Finding(c.path / "readinessProbe", f"container {c.name!r} has no readiness probe: {why}")
