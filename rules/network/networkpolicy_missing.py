"""## What it does
Flags a workload whose pods no NetworkPolicy in their namespace selects,
when the linted files hold at least one NetworkPolicy for that namespace
(the namespace uses network policies, and this workload was left out).

A policy selects a pod when its `spec.podSelector` matches the pod
template's labels, with label-selector semantics: `podSelector: {}` (or a
missing `podSelector`) selects every pod of the namespace, `matchLabels` and
`matchExpressions` must all hold. The labels a controller adds to its pods
are taken into account where they are known: `job-name` and
`batch.kubernetes.io/job-name` on a Job's pods, and the presence of
`pod-template-hash`, `controller-revision-hash` and the StatefulSet pod-name
labels for `Exists` and `DoesNotExist` expressions. Jobs and CronJobs are
checked like any other workload: their pods have the same network access.

*Selected* means selected by any policy, whatever its `policyTypes`. A pod
selected only by policies with `policyTypes: [Egress]` is isolated for
egress and still accepts every incoming connection (and the reverse for
`[Ingress]`); this rule does not check each direction: write a default-deny
policy for both directions to cover that.

Stays silent:

- when no NetworkPolicy of the namespace is among the linted objects (the
  rule cannot tell whether the namespace uses policies at all);
- for pods with `hostNetwork: true`: they use the node's network namespace
  and NetworkPolicy does not apply to them;
- when the run holds policies of a network plugin that a NetworkPolicy
  cannot describe and this rule does not evaluate: Calico `NetworkPolicy` /
  `GlobalNetworkPolicy`, Cilium `CiliumNetworkPolicy` /
  `CiliumClusterwideNetworkPolicy`, Antrea `NetworkPolicy` /
  `ClusterNetworkPolicy`, and the `AdminNetworkPolicy`,
  `BaselineAdminNetworkPolicy` and `ClusterNetworkPolicy` kinds of
  `policy.networking.k8s.io` (namespaced ones in the same namespace,
  cluster-wide ones anywhere);
- for `PodTemplate` objects, which run no pods by themselves.

## Why is this bad?
A pod that no policy selects is *non-isolated*: it accepts connections from
every pod in the cluster and may connect anywhere, however strict the other
policies of its namespace are. In a namespace whose policies implement
"deny by default, allow what is listed", a workload whose labels match none
of them (a new component, a renamed label, a Job added later) silently
bypasses the whole design; nothing fails, so nobody notices.

## How to fix
Add a policy for the workload, or a default-deny policy with an empty
`podSelector` so that every pod of the namespace is isolated and needs an
explicit allow rule:

```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}          # every pod in the namespace
  policyTypes: ["Ingress", "Egress"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: report-job
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: report
  policyTypes: ["Egress"]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: postgres
      ports:
        - port: 5432
```

## References
- Network policies, isolated and non-isolated pods: https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation
- Default policies (default deny, allow all): https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
- NetworkPolicy and hostNetwork pods: https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
- Labels and selectors, set-based requirements: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
"""

from k8slint.engine import Finding, rule
from k8slint.kube.selectors import controller_pod_labels, label_selector_matches
from k8slint.model import WORKLOADS

_HASHABLE = (str, int, float, bool, type(None))

#: policy kinds of network plugins and of the AdminNetworkPolicy API: (kind, group) -> cluster-scoped?
OTHER_POLICIES = {
    ("NetworkPolicy", "crd.projectcalico.org"): False,
    ("NetworkPolicy", "projectcalico.org"): False,
    ("GlobalNetworkPolicy", "crd.projectcalico.org"): True,
    ("GlobalNetworkPolicy", "projectcalico.org"): True,
    ("CiliumNetworkPolicy", "cilium.io"): False,
    ("CiliumClusterwideNetworkPolicy", "cilium.io"): True,
    ("NetworkPolicy", "crd.antrea.io"): False,
    ("ClusterNetworkPolicy", "crd.antrea.io"): True,
    ("AdminNetworkPolicy", "policy.networking.k8s.io"): True,
    ("BaselineAdminNetworkPolicy", "policy.networking.k8s.io"): True,
    ("ClusterNetworkPolicy", "policy.networking.k8s.io"): True,
}


class _Unknown:
    """A label value a controller sets at run time: present, but equal to nothing we know."""

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return "<set at run time>"


UNKNOWN = _Unknown()


def controller_labels(obj) -> dict:
    """Labels the controller adds to the pods it creates (values known or UNKNOWN)."""
    return {k: v if isinstance(v, str) else UNKNOWN for k, v in controller_pod_labels(obj).items()}


def pod_selector(policy):
    """The policy's pod selector as a LabelSelector mapping, or None when it is malformed.

    ``podSelector`` is a required struct: a missing or null one decodes to the
    empty selector, which selects every pod of the namespace.
    """
    spec = policy.raw.get("spec")
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        return None
    selector = spec.get("podSelector")
    if selector is None:
        return {}
    return selector if isinstance(selector, dict) else None


def selects(ctx, policy_selector, obj) -> bool:
    if ctx.graph.is_selected(obj, obj.namespace, policy_selector):
        return True
    extra = controller_labels(obj)
    if not extra:
        return False
    labels = dict(extra)
    labels.update(obj.pod.labels)
    return label_selector_matches(policy_selector, labels)


def _label_pairs(obj) -> list:
    """The (key, value) labels the workload's pods carry, where the value is known:
    the template's, and the controller's with a fixed value."""
    labels = {k: v for k, v in controller_pod_labels(obj).items() if isinstance(v, str)}
    labels.update(obj.pod.labels)
    return [(k, v) for k, v in labels.items() if isinstance(k, _HASHABLE) and isinstance(v, _HASHABLE)]


def _required_pairs(selector) -> list:
    """Label pairs a pod needs for a well-formed selector to select it (matchLabels, and
    `In` with one value); [] when there are none or the selector is malformed."""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return []
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return []
    pairs = list(match_labels.items())
    for expr in expressions:
        if isinstance(expr, dict) and expr.get("operator") == "In" and isinstance(expr.get("values"), list) \
                and len(expr["values"]) == 1:
            pairs.append((expr.get("key"), expr["values"][0]))
    return [(k, v) for k, v in pairs if isinstance(k, _HASHABLE) and isinstance(v, _HASHABLE)]


def namespace_policies(ctx, namespace) -> tuple:
    """The NetworkPolicies of the namespace, and their pod selectors indexed so that a
    workload looks at the few that may select it, not all of them: (policies, selectors
    to try on every workload, {label pair: selectors that need it}). Once per view, and
    the index once per run for each list of policies (views of one unit mostly see the same)."""
    def build():
        policies = ctx.graph.objects_of("NetworkPolicy", namespace)
        key = ("networkpolicy-missing", namespace, tuple(map(id, policies)))
        found = ctx.cache.get(key)
        if found is not None:
            return found
        counts: dict = {}  # only steers which pair a selector is filed under
        for w in ctx.graph.workloads(namespace):
            for pair in _label_pairs(w):
                counts[pair] = counts.get(pair, 0) + 1
        everywhere, by_pair = [], {}
        for policy in policies:
            selector = pod_selector(policy)
            if selector is None:
                continue
            pairs = _required_pairs(selector)
            if pairs:  # filed under the pair the fewest workloads have
                by_pair.setdefault(min(pairs, key=lambda p: counts.get(p, 0)), []).append(selector)
            else:
                everywhere.append(selector)
        found = ctx.cache[key] = (policies, everywhere, by_pair)
        return found

    return ctx.memo(("networkpolicies", namespace), build)


def other_policies(ctx, namespace) -> list:
    """Policies of other network plugins that apply to the namespace (computed once per view)."""
    def scan():
        found = ctx.cache.get("networkpolicy-missing: other policies")
        if found is None:  # the run's, once: few runs hold any
            found = ctx.cache["networkpolicy-missing: other policies"] = [
                o for o in ctx.run_graph.objects if (o.kind, o.group) in OTHER_POLICIES]
        by_namespace: dict = {}
        for o in found:
            if ctx.graph.lookup(o.key) is not o:
                continue  # not visible from here (another unit's), or another definition is
            cluster_wide = OTHER_POLICIES[(o.kind, o.group)]
            by_namespace.setdefault(None if cluster_wide else o.namespace, []).append(o)
        return by_namespace

    found = ctx.memo("other-network-policies", scan)
    return found.get(None, []) + found.get(namespace, [])


def _labels_text(labels: dict) -> str:
    if not labels:
        return "no labels"
    pairs = [f"{k}={v}" for k, v in list(labels.items())[:4]]
    more = f", ... ({len(labels)} labels)" if len(labels) > 4 else ""
    return "labels " + ", ".join(pairs) + more


@rule(id="networkpolicy-missing", severity="info", category="security",
      security_severity=3.5, applies_to=WORKLOADS - {"PodTemplate"},
      summary="No NetworkPolicy selects a workload's pods in a namespace that uses NetworkPolicies", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if pod.spec.get("hostNetwork") is True:
        return
    policies, everywhere, by_pair = namespace_policies(ctx, obj.namespace)
    if not policies:
        return
    for selector in everywhere:
        if selects(ctx, selector, obj):
            return
    for pair in _label_pairs(obj):  # a selector filed under a pair the pods lack cannot select them
        for selector in by_pair.get(pair, ()):
            if selects(ctx, selector, obj):
                return
    if other_policies(ctx, obj.namespace):
        return
    names = ", ".join(repr(p.name) for p in policies[:3]) + (f" and {len(policies) - 3} more"
                                                              if len(policies) > 3 else "")
    if len(policies) == 1:
        by = f"the only NetworkPolicy in namespace {obj.namespace!r} ({names}) does not select"
    else:
        by = f"none of the {len(policies)} NetworkPolicies in namespace {obj.namespace!r} ({names}) selects"
    if obj.kind == "Pod":
        pods = f"pod {obj.name!r}"
        effect = "it is not isolated, so it accepts connections from any pod and may connect anywhere"
    else:
        pods = f"the pods of {obj.kind} {obj.name!r}"
        effect = "they are not isolated, so they accept connections from any pod and may connect anywhere"
    yield Finding(pod.path / "metadata" / "labels", f"{by} {pods} ({_labels_text(pod.labels)}): {effect}")
