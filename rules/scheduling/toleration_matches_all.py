"""## What it does
Flags a toleration with `operator: Exists` and no `key` (or `key: ""`), which
Kubernetes matches against every taint key and value:

- with no `effect`, it tolerates every taint there is;
- with `effect: NoSchedule`, every `NoSchedule` taint;
- with `effect: NoExecute` and no `tolerationSeconds`, every `NoExecute`
  taint, forever.

The finding anchors at the toleration's `operator`.

Stays silent for `effect: PreferNoSchedule` (a soft preference), for
`effect: NoExecute` with `tolerationSeconds` (the pod is still evicted, only
later), for DaemonSets and Pods owned by a DaemonSet (a node agent must run
on every node, tainted or not), for static and mirror pods (the kubelet runs
them from a file, no scheduler involved) and for PodTemplate objects. The
`exempt-kinds` option (default `["DaemonSet"]`) lists the kinds that may
tolerate everything, and `exempt-namespaces` (default empty) the namespaces.

## Why is this bad?
Taints are how a cluster keeps pods off nodes: a cordoned node being drained
(`node.kubernetes.io/unschedulable`), control-plane nodes, GPU or tenant
node pools, nodes under memory or disk pressure. A pod that tolerates every
`NoSchedule` taint is scheduled onto all of them, including the node that
`kubectl drain` is emptying.

The `NoExecute` half is worse. When a node stops reporting, the node
lifecycle controller taints it `node.kubernetes.io/unreachable:NoExecute`
(or `not-ready`), and pods are evicted and recreated elsewhere once their
toleration runs out (300 seconds by default). A wildcard `NoExecute`
toleration without `tolerationSeconds` never runs out: the pods of a
Deployment or StatefulSet stay bound to the dead node, still counted as
replicas, and are never replaced.

A warning: a few cluster components that are not DaemonSets tolerate every
taint on purpose (exempt their namespace with `exempt-namespaces`), and the
damage only shows when nodes are cordoned, tainted or lost.

## How to fix
Tolerate the taints the workload really needs, by key, and bound the
`NoExecute` ones:

```yaml
tolerations:
  - key: dedicated
    operator: Equal
    value: ingress
    effect: NoSchedule
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 60
```

A node agent that must run everywhere belongs in a DaemonSet (exempt here).

## References
- Taints and tolerations, matching rules and taint-based evictions: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
- Toleration fields (empty key with Exists matches all keys; empty effect matches all effects): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#scheduling
- DaemonSet pods and the tolerations they get automatically: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
"""

from k8slint.engine import Finding, Option, rule
from k8slint.model import WORKLOADS

from ._sched import blank, exempt, is_static_pod, tolerations

WHY = {
    "": "tolerates every taint: its pods are scheduled onto cordoned, control-plane and dedicated nodes, "
        "and stay bound forever to a node that is unreachable or not ready",
    "NoSchedule": "tolerates every NoSchedule taint: its pods are scheduled onto cordoned nodes being drained, "
                  "control-plane nodes and dedicated node pools",
    "NoExecute": "tolerates every NoExecute taint without tolerationSeconds: its pods stay bound forever to a node "
                 "that is unreachable or not ready, and are never recreated elsewhere",
}


@rule(scope="object", id="toleration-matches-all", severity="warning", category="reliability",
      applies_to=WORKLOADS - {"PodTemplate"},
      summary="A wildcard toleration (operator Exists, no key) tolerates every taint",
      options={
          "exempt-kinds": Option(("DaemonSet",), "kinds whose pods may tolerate every taint "
                                                 "(a Pod counts as the kind of its controller)", "str-list"),
          "exempt-namespaces": Option((), "namespaces whose pods may tolerate every taint", "str-list"),
      }, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_static_pod(obj) or exempt(obj, ctx):
        return
    for i, t in tolerations(pod):
        if t.get("operator") != "Exists" or not blank(t.get("key")):
            continue
        effect = t.get("effect")
        effect = "" if blank(effect) else effect
        if not isinstance(effect, str) or effect not in WHY:
            continue
        if effect == "NoExecute" and t.get("tolerationSeconds") is not None:
            continue
        what = f"toleration {i} (operator Exists, no key" + (f", effect {effect})" if effect else ", no effect)")
        yield Finding(pod.spec_path / "tolerations" / i / "operator",
                      f"{obj.kind} {obj.name!r}: {what} {WHY[effect]}")
