"""## What it does
Flags a toleration for `node.kubernetes.io/not-ready` or
`node.kubernetes.io/unreachable` that covers the `NoExecute` effect
(`effect: NoExecute`, or no `effect`, which matches every effect) and has no
`tolerationSeconds`. Both `operator: Exists` and `operator: Equal` (the
default) with an empty `value` match these taints; an `Equal` toleration with
a non-empty value does not, and is not flagged.

Stays silent when `tolerationSeconds` is set (0 evicts at once, any other
value bounds the wait), for a toleration without `key` (that one tolerates
every taint and is `toleration-matches-all`'s finding), for DaemonSets and
Pods owned by a DaemonSet (the DaemonSet controller adds exactly these
tolerations to its pods), for static and mirror pods, and for PodTemplate
objects. The `exempt-kinds` option (default `["DaemonSet"]`) and
`exempt-namespaces` (default empty) widen the exemption.

## Why is this bad?
When a node stops heartbeating, the node lifecycle controller taints it
`node.kubernetes.io/unreachable:NoExecute` (`not-ready` when the kubelet
reports the node not ready). Pods without a matching toleration get one
automatically from the `DefaultTolerationSeconds` admission plugin, with
300 seconds, and are evicted and replaced after five minutes. A toleration
written without `tolerationSeconds` replaces that default and means
"tolerate forever": the pods stay bound to the dead node, the Deployment or
StatefulSet counts them as existing, and no replacement is ever created
until someone deletes the Node object or the pods by hand.

A warning: nothing goes wrong while the nodes are healthy, and a workload
with node-local data may accept the trade-off knowingly (suppress it with a
reason then).

## How to fix
Say how long to wait before the pods move:

```yaml
tolerations:
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 30     # fail over faster than the 300 s default
  - key: node.kubernetes.io/not-ready
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 30
```

Or delete the tolerations and keep the default of 300 seconds.

## References
- Taint-based evictions and tolerationSeconds: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions
- DefaultTolerationSeconds admission plugin: https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#defaulttolerationseconds
- Toleration fields (tolerationSeconds unset means tolerate forever): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#scheduling
"""

from k8slint.engine import Finding, Option, rule
from k8slint.model import WORKLOADS

from ._sched import blank, exempt, is_static_pod, tolerations

NODE_TAINTS = {
    "node.kubernetes.io/unreachable": "unreachable",
    "node.kubernetes.io/not-ready": "not ready",
}


@rule(scope="object", id="toleration-no-eviction", severity="warning", category="reliability",
      applies_to=WORKLOADS - {"PodTemplate"},
      summary="A not-ready or unreachable NoExecute toleration without tolerationSeconds",
      options={
          "exempt-kinds": Option(("DaemonSet",), "kinds whose pods may stay on failed nodes "
                                                 "(a Pod counts as the kind of its controller)", "str-list"),
          "exempt-namespaces": Option((), "namespaces whose pods may stay on failed nodes", "str-list"),
      }, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_static_pod(obj) or exempt(obj, ctx):
        return
    for i, t in tolerations(pod):
        key = t.get("key")
        if not isinstance(key, str) or key not in NODE_TAINTS:
            continue
        operator = t.get("operator")
        if operator == "Exists":
            pass
        elif blank(operator) or operator == "Equal":
            if not blank(t.get("value")):
                continue
        else:
            continue
        effect = t.get("effect")
        if not (blank(effect) or effect == "NoExecute"):
            continue
        if t.get("tolerationSeconds") is not None:
            continue
        how = "" if effect == "NoExecute" else " (it sets no effect, which matches NoExecute too)"
        who = "the pod stays" if obj.kind == "Pod" else "its pods stay"
        yield Finding(pod.spec_path / "tolerations" / i / "tolerationSeconds",
                      f"{obj.kind} {obj.name!r}: toleration {i} tolerates the {key} NoExecute taint{how} without "
                      f"tolerationSeconds: when a node becomes {NODE_TAINTS[key]}, {who} bound to it forever "
                      "instead of being evicted after the default 300 seconds")
