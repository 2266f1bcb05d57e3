"""## What it does
Flags, in a complete unit, a selector that matches no pod template of its
namespace:

- a PodDisruptionBudget's `spec.selector`;
- a NetworkPolicy's non-empty `spec.podSelector`.

A unit is complete when it holds every object its manifests mean to
create: a Helm chart render, a kustomize build or a file of rendered output
always, a plain folder (or standard input) with `--complete` or
`complete: true` in the configuration. A pod's labels are its template's
plus those its controller adds (`pod-template-hash`,
`statefulset.kubernetes.io/pod-name`, `job-name`, ...).

The finding names the closest workload of the namespace (the one whose
pods carry most of the selector's labels, then most of its keys) and the
values it has instead.

Stays silent outside complete units (the pods may be defined elsewhere), for
an empty `podSelector` (it selects every pod of the namespace, which may
have none yet), for selectors that are not well formed (schema validation's
business), and when a custom resource in the namespace may create the pods:
one whose `spec.template` labels match (an Argo Rollout) or whose name is a
selector value (operators label their pods with the resource's name).

## Why is this bad?
A budget or a policy that selects nothing does nothing, silently: the
PodDisruptionBudget protects no pod, so a node drain evicts every replica at
once; the NetworkPolicy isolates no pod, so the traffic it was written to
stop flows freely. Both are accepted by `kubectl apply`. The usual cause is a
label renamed in the chart's Deployment but not in the budget or policy, or a
selector copied from another chart.

## How to fix
Select the labels the pod template has:

```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: web   # the Deployment's template labels
```

## References
- Specifying a disruption budget: https://kubernetes.io/docs/tasks/run-application/configure-pdb/
- Network policies, `podSelector`: https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
- Labels and selectors: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
"""

from k8slint.engine import Finding, rule
from k8slint.model import mapping

from ._pods import carries, closest, operator_managed

_HASHABLE = (str, int, float, bool)


def _selector_values(selector: dict) -> set:
    values = {v for v in mapping(selector.get("matchLabels")).values() if isinstance(v, _HASHABLE)}
    for expr in selector.get("matchExpressions") or ():
        if isinstance(expr, dict) and expr.get("operator") == "In" and isinstance(expr.get("values"), list):
            values.update(v for v in expr["values"] if isinstance(v, _HASHABLE))
    return values


def _controller_match(ctx, namespace, selector: dict) -> bool:
    """Whether some workload's pods carry every matchLabels pair, counting the labels their
    controller adds (a budget for one StatefulSet pod: statefulset.kubernetes.io/pod-name)."""
    wanted = mapping(selector.get("matchLabels"))
    if not wanted or selector.get("matchExpressions"):
        return False
    return any(all(carries(w, k, v) for k, v in wanted.items()) for w in ctx.graph.workloads(namespace))


def _well_formed(selector) -> bool:
    if not isinstance(selector, dict):
        return False
    labels, expressions = selector.get("matchLabels"), selector.get("matchExpressions")
    return (labels is None or isinstance(labels, dict)) and (expressions is None or isinstance(expressions, list))


def _shown(selector: dict) -> str:
    parts = [f"{k}={v}" for k, v in mapping(selector.get("matchLabels")).items()]
    for expr in selector.get("matchExpressions") or ():
        if isinstance(expr, dict):
            values = expr.get("values")
            listed = f" ({', '.join(map(str, values))})" if isinstance(values, list) and values else ""
            parts.append(f"{expr.get('key')} {expr.get('operator')}{listed}")
    return ", ".join(parts)


@rule(id="selector-matches-nothing", severity="warning", category="correctness",
      applies_to={"PodDisruptionBudget", "NetworkPolicy"},
      summary="A PodDisruptionBudget or NetworkPolicy whose selector matches no pod of its complete unit")
def check(obj, ctx):
    if not ctx.is_complete(obj.unit):
        return
    field = "selector" if obj.kind == "PodDisruptionBudget" else "podSelector"
    selector = obj.spec.get(field)
    if not _well_formed(selector) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return  # malformed, or empty: every pod (or, for a v1beta1 budget, none, on purpose)
    if obj.kind == "PodDisruptionBudget":
        matched = ctx.graph.out_degree(obj, "protects") > 0
    else:
        matched = bool(ctx.graph.workloads_selected(obj.namespace, selector))
    if matched or _controller_match(ctx, obj.namespace, selector) \
            or operator_managed(ctx, obj.namespace, mapping(selector.get("matchLabels")), _selector_values(selector)):
        return
    what = "protects no pod: a drain evicts every replica at once" if obj.kind == "PodDisruptionBudget" \
        else "isolates no pod: the traffic it restricts flows freely"
    near = closest(ctx.graph.workloads(obj.namespace), list(mapping(selector.get("matchLabels")).items()))
    yield Finding(("spec", field), f"{obj.kind} {obj.name!r} selects {_shown(selector)}, which no pod template of "
                                   f"namespace {obj.namespace!r} in {obj.unit.label or 'this unit'} carries"
                                   f"{f' ({near})' if near else ''}: it {what}")
