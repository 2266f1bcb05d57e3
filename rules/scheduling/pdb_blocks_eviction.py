"""## What it does
Flags a PodDisruptionBudget that can never allow a voluntary eviction:

- `maxUnavailable: 0` or `"0%"`: no pod it selects may ever be evicted.
  Flagged even when none of the selected workloads is among the linted
  objects, since the value blocks every pod it will select; silent only when
  the workloads it selects in the run are all DaemonSets (which `kubectl
  drain` does not evict) or scaled to zero;
- `minAvailable` (a number, or a percentage, which Kubernetes rounds up) that
  is at least the number of pods it selects: the sum of the replicas of the
  selected workloads among the linted objects.

The selected workloads are those whose pod template labels the PDB's
selector matches in its namespace (an empty selector selects every pod in
`policy/v1` and none in `policy/v1beta1`). Replicas are `spec.replicas` (1
when unset) for Deployments, StatefulSets, ReplicaSets and
ReplicationControllers, and 1 for a bare Pod. When a HorizontalPodAutoscaler
in the run scales a workload, its `maxReplicas` is used: the finding is only
made when the budget blocks even at the autoscaler's largest scale (a budget
that blocks only while the workload is scaled down is not reported).

Stays silent when the PDB selects no pods at all (no `selector`, or an
empty one in `policy/v1beta1`), when no selected workload is in the run (for
`minAvailable`), when a selected workload's replica count is unknown (a
template placeholder, a Job, a Pod created by a controller), when the
selected pods all belong to DaemonSets, and for a percentage above 100% (the
API server rejects it). The finding anchors at `maxUnavailable` or
`minAvailable`.

## Why is this bad?
`kubectl drain`, cluster autoscaler scale-downs and managed node upgrades
evict pods through the Eviction API, which refuses any eviction that would
take the budget below its minimum. With a budget that allows zero
disruptions, the eviction is retried forever: the drain hangs, the node
upgrade stalls or times out, and the operator ends up deleting pods by hand
or bypassing the budget, which is the very disruption it was meant to
prevent. A single-replica Deployment with `minAvailable: 1` is the classic
case: the only pod can never leave its node.

An error, because only certain blocks are reported: given the linted
workloads the budget allows no eviction at all, and every drain of a node
that runs one of their pods hangs.

## How to fix
Allow at least one pod to go, and run enough replicas for that to be safe:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1          # or minAvailable: replicas - 1
  selector:
    matchLabels: {app: web}
```

If the workload truly must not be disrupted, run it with more replicas, or
drop the budget for single-instance workloads that can restart.

## References
- Specifying a Disruption Budget (rounding, and why 0 / 100% block node drains): https://kubernetes.io/docs/tasks/run-application/configure-pdb/
- Disruptions and PodDisruptionBudgets: https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
- API-initiated eviction: https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
"""

from k8slint.engine import Finding, rule

from ._sched import SCALABLE, autoscalers, controller_ref, hpa_bounds, percent, replicas


def _selected(obj, ctx) -> list:
    seen, out = set(), []
    for edge in ctx.graph.out_edges(obj, "protects"):
        target = edge.to
        if target is not None and id(target) not in seen:
            seen.add(id(target))
            out.append(target)
    return out


def _pods(workload, ctx):
    """(number of pods to count, how it reads) for one selected workload;
    (0, None) for pods drain does not evict; (None, None) when unknown."""
    if workload.kind == "DaemonSet":
        return 0, None
    if workload.kind == "Pod":
        if controller_ref(workload) is not None:
            return None, None
        return 1, f"Pod {workload.name!r}"
    if workload.kind not in SCALABLE:
        return None, None
    hpas = autoscalers(workload, ctx)
    if hpas:
        _, high = hpa_bounds(hpas[0])
        if high is None:
            return None, None
        return high, (f"{workload.kind} {workload.name!r}: at most {high}, the maxReplicas of "
                      f"HorizontalPodAutoscaler {hpas[0].name!r}")
    count = replicas(workload)
    if count is None:
        return None, None
    return count, f"{workload.kind} {workload.name!r}: {count}"


@rule(id="pdb-blocks-eviction", severity="error", category="reliability", applies_to={"PodDisruptionBudget"},
      summary="A PodDisruptionBudget that allows no eviction, so node drains hang")
def check(obj, ctx):
    spec = obj.spec
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        return  # no selector: the PDB selects no pods
    if obj.api_version.endswith("v1beta1") and not selector.get("matchLabels") \
            and not selector.get("matchExpressions"):
        return  # an empty policy/v1beta1 selector selects no pods
    selected = _selected(obj, ctx)
    counts = [_pods(w, ctx) for w in selected]
    max_unavailable = spec.get("maxUnavailable")
    if max_unavailable is not None:
        if max_unavailable == 0 and not isinstance(max_unavailable, bool) or percent(max_unavailable) == 0:
            if selected and all(n == 0 for n, _ in counts):
                return
            yield Finding(("spec", "maxUnavailable"),
                          f"PodDisruptionBudget {obj.name!r} sets maxUnavailable {max_unavailable}: no pod it "
                          "selects can ever be evicted, so kubectl drain and node upgrades hang on every node "
                          "running one")
        return
    min_available = spec.get("minAvailable")
    if min_available is None or not selected or any(n is None for n, _ in counts):
        return
    total = sum(n for n, _ in counts)
    if total == 0:
        return
    pct = percent(min_available)
    if pct is not None and pct > 100:
        return  # the API server rejects a percentage above 100%
    if pct is not None:
        needed = -(-pct * total // 100)  # rounded up, as the disruption controller does
        stated = f"minAvailable {min_available} (rounded up: {needed} pod{'' if needed == 1 else 's'})"
    elif isinstance(min_available, int) and not isinstance(min_available, bool):
        needed = min_available
        stated = f"minAvailable {min_available}"
    else:
        return
    if needed < total:
        return
    parts = "; ".join(text for n, text in counts if text)
    pods = "pod" if total == 1 else "pods"
    yield Finding(("spec", "minAvailable"),
                  f"PodDisruptionBudget {obj.name!r}: {stated}, but it selects only {total} {pods} ({parts}): "
                  "no pod can ever be evicted, so kubectl drain and node upgrades hang on every node running one")
