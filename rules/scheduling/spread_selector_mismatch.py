"""## What it does
Flags a spreading or co-location rule about the workload's own pods whose
`labelSelector` does not select those pods, evaluated against the pod
template's labels with the API's semantics (`matchLabels`, and
`matchExpressions` with `In`, `NotIn`, `Exists`, `DoesNotExist`):

- a `topologySpreadConstraints` entry whose `labelSelector` does not match
  the pod template's labels, or that has no `labelSelector` at all (a null
  selector counts no pods). Every constraint is taken to be about the
  workload: the incoming pod is counted only when the selector matches it, so
  a constraint that does not match never spreads the replicas, whatever it
  counts;
- a `podAntiAffinity` or `podAffinity` term (required or preferred) that was
  meant for the workload's own pods but selects none of them. A term counts
  as meant for the workload when its selector fails only on labels the
  template does not carry **and** it names the workload: it requires an
  identifying label with the template's own value (not a label shared by a
  whole release or application, such as `app.kubernetes.io/instance`,
  `app.kubernetes.io/part-of`, `release`, `version` or `tier`), or a value
  that the template carries under another key or that is the workload's
  name, or a label that the workload's own `metadata.labels` carry but its
  pod template does not, or it lists in `matchLabelKeys` a key the template
  has. Such a term is still left alone when another workload among the
  linted objects, in the same namespace, has pods it selects. A
  `podAntiAffinity` term without `labelSelector` (which matches no pods) is
  flagged as well.

Graded by what is lost: a warning for a constraint with `whenUnsatisfiable:
DoNotSchedule` and for a required affinity term (a hard rule that silently
guarantees nothing); info for `ScheduleAnyway` constraints and preferred
terms, which lose only a scoring preference, as if they were not there.

Requirements on labels that controllers add to the pods they create
(`pod-template-hash`, `controller-revision-hash`,
`statefulset.kubernetes.io/pod-name`, `job-name`, ...) are taken as met.
`matchLabelKeys` never exclude the pod's own replicas (their values come
from the pod itself), so they are not a mismatch.

Stays silent for an affinity term about other pods: one that requires a
label the template sets to a different value (`app: redis` on a pod labelled
`app: web`: co-locate with the cache), that excludes the template's value
(`NotIn`, `DoesNotExist`), that lists in `mismatchLabelKeys` a key the
template carries, whose `namespaces`/`namespaceSelector` do not include the
workload's own namespace, or that gives no sign of being about the workload.
Also silent for PodTemplate objects and selectors the API server would
reject (unknown operators, wrong types).

## Why is this bad?
Spreading rules work by counting pods that match a selector. When the
selector does not match the workload's own pods (a label renamed in the
template but not in the rule, a label put on the Deployment's metadata
instead of the pod template, a copy-paste from another chart), the scheduler
finds no matching pods anywhere, every node satisfies the rule, and all the
replicas can land on one node or one zone. Nothing warns about it: the
manifest looks protected until the node or the zone goes down and takes
every replica with it.

A warning: the workload runs normally; it silently lacks the protection the
rule was written to give.

## How to fix
Make the selector match the labels of the pod template (often simply the
workload's own `spec.selector`):

```yaml
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}          # the template's own labels
          matchLabelKeys: [pod-template-hash]
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels: {app: web}
```

## References
- Pod topology spread constraints (labelSelector, matchLabelKeys): https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
- Inter-pod affinity and anti-affinity (labelSelector, namespaces, matchLabelKeys, mismatchLabelKeys): https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
- Label selectors, set-based requirements: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
- Pod API reference, scheduling fields (a null labelSelector in an affinity term matches no pods): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#scheduling
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, sequence

from ._sched import affinity_terms, classify, describe_labels, names_own_namespace, string_list


def _where(constraint: dict, fallback: str) -> str:
    key = constraint.get("topologyKey")
    return f"{fallback} (topologyKey {key})" if isinstance(key, str) and key else fallback


def _selects_others(obj, selector, ctx) -> bool:
    """Whether another workload in the run, in the same namespace, has pods the selector matches."""
    return any(w is not obj for w in ctx.graph.workloads_selected(obj.namespace, selector))


@rule(id="spread-selector-mismatch", severity="warning", category="reliability",
      applies_to=WORKLOADS - {"PodTemplate"},
      summary="A topology spread or pod affinity selector that misses the workload's own pods", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    labels = pod.labels
    shown = describe_labels(labels)
    owner = "the pod" if obj.kind == "Pod" else f"the pods of {obj.kind} {obj.name!r}"
    base = pod.spec_path / "topologySpreadConstraints"
    for i, constraint in enumerate(sequence(pod.spec.get("topologySpreadConstraints"))):
        if not isinstance(constraint, dict):
            continue
        what = _where(constraint, f"topologySpreadConstraints[{i}]")
        selector = constraint.get("labelSelector")
        severity = None if constraint.get("whenUnsatisfiable") == "DoNotSchedule" else "info"
        if selector is None:
            yield Finding(base / i / "labelSelector",
                          f"{what} has no labelSelector: it counts no pods and does not spread {owner}",
                          severity=severity)
            continue
        verdict = classify(selector, labels, obj.name, string_list(constraint.get("matchLabelKeys")))
        if verdict.status == "match" or verdict.status == "invalid":
            continue
        yield Finding(base / i / "labelSelector",
                      f"{what}: the labelSelector requires {', '.join(verdict.unmet)}, which the pod template's "
                      f"labels ({shown}) do not satisfy: it does not count {owner}, so it does not spread them",
                      severity=severity)
    for kind, verb in (("podAntiAffinity", "keeps them apart from"), ("podAffinity", "co-locates them with")):
        for path, term in affinity_terms(pod, kind):
            if not names_own_namespace(term, obj.namespace):
                continue
            preferred = "preferredDuringSchedulingIgnoredDuringExecution" in path
            severity = "info" if preferred else None
            what = _where(term, f"{'preferred' if preferred else 'required'} {kind} term")
            selector = term.get("labelSelector")
            if selector is None:
                if kind == "podAntiAffinity":
                    yield Finding(path / "labelSelector",
                                  f"{what} has no labelSelector: it matches no pods and keeps {owner} apart "
                                  "from nothing", severity=severity)
                continue
            verdict = classify(selector, labels, obj.name, string_list(term.get("matchLabelKeys")),
                               string_list(term.get("mismatchLabelKeys")), obj.labels)
            if verdict.status != "own-mismatch" or _selects_others(obj, selector, ctx):
                continue
            yield Finding(path / "labelSelector",
                          f"{what}: the labelSelector requires {', '.join(verdict.unmet)}, which the pod template's "
                          f"labels ({shown}) do not carry: it selects none of {owner}, so it {verb} nothing",
                          severity=severity)
