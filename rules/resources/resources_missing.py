"""## What it does
Flags an app container, native sidecar or init container that ends up
without a CPU request, a memory request or a memory limit, and names which
of the three are missing. What the API server fills in at admission counts
as set:

- a limit without a request: the request defaults to the limit (so
  `limits.memory` alone gives both the memory request and the memory limit,
  and `limits.cpu` alone gives the CPU request);
- a LimitRange of the same namespace in the linted files, with an item of
  `type: Container`: its `default` fills missing limits and its
  `defaultRequest` missing requests. As the API server defaults a
  LimitRange, a `max` without `default` serves as the default limit, and a
  `default` or `min` without `defaultRequest` as the default request;
- pod-level `spec.resources` (the PodLevelResources feature): a pod-level
  CPU or memory request, or limit, covers every container of the pod for
  that value.

Init containers are checked because they are scheduled and run like the
others (the pod's request is the larger of the largest init container's
request and the sum of the app containers'), and a LimitRange fills their
values too. Ephemeral containers are not checked: the API does not let them
set resources. A CPU limit is not required: it throttles a container even
when the node has idle CPU.

## Why is this bad?
Without requests the scheduler reserves nothing for the container, so it
lands on nodes that cannot hold it, and when the node runs short of memory
its pod is among the first the kubelet evicts and the kernel OOM-kills
(pods without requests are BestEffort, the lowest class). Without a memory
limit a leak grows until the node itself is short, and other pods pay for
it. Either way the container is ended by the OOM killer with SIGKILL: no
preStop hook runs and in-flight requests are dropped, so an orderly
shutdown never happens.

## How to fix
Set a CPU and a memory request from observed usage, and a memory limit
(equal to the memory request for predictable behaviour):

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.4.2
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
      limits:
        memory: 256Mi
```

Or give the namespace defaults:

```yaml
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: shop
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: 100m, memory: 128Mi}
      default: {memory: 256Mi}
```

## References
- Resource management for pods and containers: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
- Limit ranges, default requests and limits: https://kubernetes.io/docs/concepts/policy/limit-range/
- Pod quality of service classes: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
- Node-pressure eviction and the OOM killer: https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#node-out-of-memory-behavior
- Assign pod-level CPU and memory resources: https://kubernetes.io/docs/tasks/configure-pod-container/assign-pod-level-resources/
- Operations practice: a container killed for exceeding its memory limit is ended by the kernel's OOM killer, and no preStop hook runs.
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence

CPU, MEMORY = "cpu", "memory"


def _set(values: dict, key: str) -> bool:
    value = values.get(key)
    return value is not None and value != ""


def limit_range_defaults(ctx, namespace) -> tuple[set, set]:
    """(default requests, default limits): the resource names a LimitRange of
    the namespace fills in for containers, after the API server's defaulting of
    the LimitRange itself (max -> default, default -> defaultRequest, min -> defaultRequest)."""
    requests: set = set()
    limits: set = set()
    for lr in ctx.graph.objects_of("LimitRange", namespace):
        for item in sequence(lr.spec.get("limits")):
            item = mapping(item)
            if item.get("type") != "Container":
                continue
            default = {k for k, v in mapping(item.get("default")).items() if v is not None}
            default |= {k for k, v in mapping(item.get("max")).items() if v is not None}
            default_request = {k for k, v in mapping(item.get("defaultRequest")).items() if v is not None}
            default_request |= default
            default_request |= {k for k, v in mapping(item.get("min")).items() if v is not None}
            limits |= default
            requests |= default_request
    return requests, limits


def missing_values(container, pod_requests: dict, pod_limits: dict, lr_requests: set, lr_limits: set) -> list:
    resources = mapping(container.raw.get("resources"))
    requests = mapping(resources.get("requests"))
    limits = mapping(resources.get("limits"))
    missing = []
    for key, label in ((CPU, "CPU request"), (MEMORY, "memory request")):
        if not (_set(requests, key) or _set(limits, key) or key in lr_requests
                or _set(pod_requests, key) or _set(pod_limits, key)):
            missing.append(label)
    if not (_set(limits, MEMORY) or MEMORY in lr_limits or _set(pod_limits, MEMORY)):
        missing.append("memory limit")
    return missing


def _join(parts: list) -> str:
    parts = [f"no {p}" for p in parts]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _effects(missing: list) -> str:
    parts = []
    unreserved = [what for what in ("CPU", "memory") if f"{what} request" in missing]
    if unreserved:
        parts.append(f"the scheduler reserves no {' or '.join(unreserved)} for it")
    if "memory request" in missing:
        parts.append("it is among the first containers evicted or OOM-killed when the node runs short of memory")
    if "memory limit" in missing:
        parts.append("nothing bounds its memory use")
    text = "; ".join(parts)
    if "memory request" in missing or "memory limit" in missing:
        text += " (an OOM kill ends it without running its preStop hook)"
    return text


ROLE = {"container": "container", "initContainer": "init container"}


@rule(id="resources-missing", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="A container without CPU and memory requests or without a memory limit", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    containers = pod.init_containers + pod.containers
    if not containers:
        return
    pod_resources = mapping(pod.spec.get("resources"))
    pod_requests, pod_limits = mapping(pod_resources.get("requests")), mapping(pod_resources.get("limits"))
    lr_requests, lr_limits = limit_range_defaults(ctx, obj.namespace)
    for c in containers:
        missing = missing_values(c, pod_requests, pod_limits, lr_requests, lr_limits)
        if not missing:
            continue
        role = "sidecar container" if c.is_sidecar else ROLE[c.role]
        yield Finding(c.path / "resources", f"{role} {c.name!r} has {_join(missing)}: {_effects(missing)}")
