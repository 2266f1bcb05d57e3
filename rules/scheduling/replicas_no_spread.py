"""## What it does
Flags a Deployment or StatefulSet that runs more than one replica and whose
pod template has neither `topologySpreadConstraints` nor a
`podAntiAffinity` term that could keep the replicas apart.

The replica count is `spec.replicas` (1 when unset). When a
HorizontalPodAutoscaler among the linted objects scales the workload, its
`minReplicas` (1 when unset) is used instead: the autoscaler overrides
`spec.replicas`, and `minReplicas` is what always runs. A workload whose
replica count is not a plain integer (a template placeholder) is skipped.

A `podAntiAffinity` term counts when it may select the workload's own pods;
a term that is clearly about other pods (it requires a label the template
sets to another value, as in "keep away from the database") does not. A
spread rule whose selector misses the workload's pods counts here, and is
`spread-selector-mismatch`'s finding.

Stays silent when the replicas cannot share a node anyway or are pinned to
one on purpose: a container declares a `hostPort` (two pods cannot bind the
same host port on one node; with `hostNetwork: true` every container port
is a host port), or the template sets `nodeName` or a
`kubernetes.io/hostname` nodeSelector. The finding anchors at the pod spec
that should hold `topologySpreadConstraints`.

## Why is this bad?
Replicas are there to survive the loss of one of them, but nothing in such
a manifest tells the scheduler so. The scheduler's built-in spreading is
only a scoring preference (`ScheduleAnyway`, tolerating a skew of 3 per node
and 5 per zone) that other scores (resource balance, image locality,
preferred node affinity) can outweigh: on a busy, small or freshly scaled
cluster several replicas, or all of them, end up on the same node or in the
same zone. One node drain, kernel panic or zone
outage then takes the whole service down at once, and a PodDisruptionBudget
cannot help when every pod is on the node being drained.

Info, not a warning: the default spreading (the scheduler's built-in
PodTopologySpread defaults) separates the replicas most of the time, so the
risk is the missing guarantee, not a likely outage. What is at risk is what
only a constraint can promise: a hard spread over nodes, and any spread over
zones worth the name.

## How to fix
Spread the replicas over nodes (and zones, where the cluster has them):

```yaml
spec:
  replicas: 3
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}
```

Use `whenUnsatisfiable: DoNotSchedule` (or a required `podAntiAffinity`
term) only when running two replicas on one node is worse than not running
the second replica at all.

## References
- Pod topology spread constraints (and the built-in default constraints): https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
- Inter-pod affinity and anti-affinity: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
- HorizontalPodAutoscaler and spec.replicas: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
"""

from k8slint.engine import Finding, rule
from k8slint.model import sequence

from ._sched import (affinity_terms, autoscalers, classify, hpa_bounds, names_own_namespace, pinned_node, replicas,
                     string_list)

def _count(obj, ctx):
    """(replica count, where it comes from) or (None, None)."""
    hpas = autoscalers(obj, ctx)
    if hpas:
        low, _ = hpa_bounds(hpas[0])
        return low, f"at least {low} replicas (minReplicas of HorizontalPodAutoscaler {hpas[0].name!r})"
    count = replicas(obj)
    return count, f"{count} replicas"


def _apart_or_pinned(pod) -> bool:
    """Replicas that cannot share a node (host ports) or are bound to one node on purpose."""
    if pinned_node(pod) is not None:
        return True
    host_network = pod.spec.get("hostNetwork") is True  # container ports are host ports then
    for c in pod.containers:
        for p in c.ports:
            if p.get("hostPort") not in (None, 0) or (host_network and p.get("containerPort") not in (None, 0)):
                return True
    return False


def _spreads(obj, pod) -> bool:
    if any(isinstance(c, dict) for c in sequence(pod.spec.get("topologySpreadConstraints"))):
        return True
    for _, term in affinity_terms(pod, "podAntiAffinity"):
        if not names_own_namespace(term, obj.namespace):
            continue
        selector = term.get("labelSelector")
        if selector is None:
            return True  # spreads nothing, but that is spread-selector-mismatch's finding
        verdict = classify(selector, pod.labels, obj.name, string_list(term.get("matchLabelKeys")),
                           string_list(term.get("mismatchLabelKeys")))
        if verdict.status != "other":
            return True
    return False


@rule(scope="object", id="replicas-no-spread", severity="info", category="reliability", applies_to={"Deployment", "StatefulSet"},
      summary="Several replicas with nothing that spreads them over nodes", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    count, source = _count(obj, ctx)
    if count is None or count < 2 or _apart_or_pinned(pod) or _spreads(obj, pod):
        return
    other = " (its podAntiAffinity only keeps it away from other pods)" \
        if any(True for _ in affinity_terms(pod, "podAntiAffinity")) else ""
    yield Finding(pod.spec_path / "topologySpreadConstraints",
                  f"{obj.kind} {obj.name!r} runs {source} but has no topologySpreadConstraints or pod anti-affinity"
                  f"{other}: the scheduler's default spreading is only a preference (a skew of 3 per node, 5 per "
                  "zone, ScheduleAnyway), so nothing guarantees the replicas land on different nodes or zones, "
                  "and one node or zone outage can take them all")
