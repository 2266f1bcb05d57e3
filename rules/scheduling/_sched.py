"""Shared helpers of the scheduling, disruption and storage rules.

Not a rule (the leading underscore keeps the engine from loading it as one):
replica counts, controllers, static pods, tolerations, and the classification
of a label selector against a pod template's labels.
"""

from __future__ import annotations

import re

from k8slint.kube.selectors import CONTROLLER_LABELS
from k8slint.model import mapping, sequence

#: kinds whose pod count is spec.replicas (default 1)
SCALABLE = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})

#: labels that usually span several workloads (a release, an application made of
#: many parts, a version, a tier): sharing one of them does not make a selector
#: about *this* workload
GROUP_LABELS = frozenset({
    "app.kubernetes.io/part-of", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
    "app.kubernetes.io/version", "helm.sh/chart", "chart", "release", "heritage", "version",
    "tier", "env", "environment", "team",
})

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")

_PERCENT = re.compile(r"\s*(\d+)%\s*\Z")
_HASHABLE = (str, int, float, bool, type(None))


# numbers -------------------------------------------------------------------------

def as_int(value) -> int | None:
    """An integer field's value, or None (bools and templated strings are not integers)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def percent(value) -> int | None:
    """``"25%"`` -> 25; anything else -> None."""
    if isinstance(value, str):
        m = _PERCENT.match(value)
        if m:
            return int(m.group(1))
    return None


def replicas(obj) -> int | None:
    """``spec.replicas`` of a scalable workload: 1 when unset, None when not an integer."""
    value = obj.spec.get("replicas")
    if value is None:
        return 1
    return as_int(value)


def autoscalers(obj, ctx) -> list:
    """HorizontalPodAutoscalers in the run whose scaleTargetRef names ``obj``."""
    out = []
    for edge in ctx.graph.in_edges(obj, "scales"):
        if edge.source.builtin and edge.source.kind == "HorizontalPodAutoscaler":
            out.append(edge.source)
    return out


def hpa_bounds(hpa) -> tuple:
    """(minReplicas, maxReplicas) of an HPA; minReplicas defaults to 1; None when not integers."""
    low = hpa.spec.get("minReplicas")
    low = 1 if low is None else as_int(low)
    return low, as_int(hpa.spec.get("maxReplicas"))


# controllers and static pods ---------------------------------------------------------

def controller_ref(obj) -> dict | None:
    """The ownerReference with ``controller: true``, if any (what kubectl drain looks for)."""
    for ref in sequence(obj.metadata.get("ownerReferences")):
        if isinstance(ref, dict) and ref.get("controller") is True:
            return ref
    return None


def is_static_pod(obj) -> bool:
    """A Pod the kubelet runs from a file: the API copy (mirror pod) carries the
    kubelet's config annotations and is owned by its Node."""
    if obj.kind != "Pod":
        return False
    annotations = obj.annotations
    if "kubernetes.io/config.mirror" in annotations:
        return True
    if annotations.get("kubernetes.io/config.source") in ("file", "http"):
        return True
    return "Node" in owner_kinds(obj)


def owner_kinds(obj) -> set:
    """The kinds named in ``ownerReferences`` (strings only: a malformed entry
    must not break the rule, unlike ``K8sObject.owner_kinds``)."""
    return {ref.get("kind") for ref in sequence(obj.metadata.get("ownerReferences"))
            if isinstance(ref, dict) and isinstance(ref.get("kind"), str)}


def effective_kind(obj) -> str:
    """The kind that manages the pods: a Pod's controller kind when it has one."""
    if obj.kind == "Pod":
        ref = controller_ref(obj)
        if ref is not None and isinstance(ref.get("kind"), str):
            return ref["kind"]
    return obj.kind


def exempt(obj, ctx) -> bool:
    """The ``exempt-kinds`` / ``exempt-namespaces`` options of the toleration rules."""
    if effective_kind(obj) in ctx.options.get("exempt-kinds", ()):
        return True
    return obj.namespace is not None and obj.namespace in ctx.options.get("exempt-namespaces", ())


def pinned_node(pod) -> str | None:
    """The one node a pod template is bound to: ``nodeName``, or a
    ``kubernetes.io/hostname`` nodeSelector; None when the scheduler may choose."""
    spec = pod.spec
    node = spec.get("nodeName")
    if isinstance(node, str) and node:
        return node
    host = mapping(spec.get("nodeSelector")).get("kubernetes.io/hostname")
    return host if isinstance(host, str) and host else None


# tolerations -----------------------------------------------------------------------

def tolerations(pod):
    """(index, toleration mapping) for each toleration of a pod template."""
    for i, t in enumerate(sequence(pod.spec.get("tolerations"))):
        if isinstance(t, dict):
            yield i, t


def blank(value) -> bool:
    return value is None or value == ""


# label selectors -------------------------------------------------------------------

class Verdict:
    """How a label selector relates to a pod template's labels.

    ``status`` is one of:

    - ``match``: the selector selects the template's pods;
    - ``invalid``: the selector cannot be evaluated (unknown operator, wrong
      types): the API server rejects it, other rules report it;
    - ``other``: it explicitly excludes the template's pods (a label the
      template sets with another value, ``NotIn``/``DoesNotExist`` on the
      template's own value): it is about other pods;
    - ``own-mismatch``: it fails only on labels the template does not carry,
      and it names the workload (an identifying label with the template's
      value, a template label value under another key, the workload's name, or
      a ``matchLabelKeys`` key the template has): it was meant for the
      workload's own pods and selects none of them;
    - ``unknown``: it fails on missing labels only, with no sign that it is
      about the workload.

    ``unmet`` describes the requirements the template's labels fail.
    """

    __slots__ = ("status", "unmet")

    def __init__(self, status: str, unmet=()):
        self.status = status
        self.unmet = list(unmet)

    def __repr__(self):
        return f"Verdict({self.status!r}, {self.unmet!r})"


def _requirements(selector):
    """(key, operator, values) for each requirement; None when malformed."""
    out = []
    match_labels = selector.get("matchLabels")
    expressions = selector.get("matchExpressions")
    if match_labels is not None and not isinstance(match_labels, dict):
        return None
    if expressions is not None and not isinstance(expressions, list):
        return None
    for key, value in (match_labels or {}).items():
        if not isinstance(value, _HASHABLE):
            return None
        out.append((key, "In", [value]))
    for expr in expressions or ():
        if not isinstance(expr, dict):
            return None
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values")
        if op not in OPERATORS or not isinstance(key, str):
            return None
        values = [] if values is None else values
        if not isinstance(values, list) or not all(isinstance(v, _HASHABLE) for v in values):
            return None
        out.append((key, op, values))
    return out


def _show(value) -> str:
    return value if isinstance(value, str) else repr(value)


def describe_labels(labels: dict, limit: int = 4) -> str:
    pairs = [f"{k}={_show(v)}" for k, v in labels.items() if isinstance(v, _HASHABLE)]
    if not pairs:
        return "no labels"
    more = f", ... ({len(pairs) - limit} more)" if len(pairs) > limit else ""
    return ", ".join(pairs[:limit]) + more


def classify(selector, labels: dict, name: str = "", match_label_keys=(), mismatch_label_keys=(),
             object_labels=None) -> Verdict:
    """Classify a ``metav1.LabelSelector`` (a mapping) against pod template labels.

    ``matchLabelKeys`` take their values from the incoming pod, so they never
    exclude its own replicas (keys the pod lacks are ignored); a key of
    ``mismatchLabelKeys`` that the pod carries excludes them by construction.
    Requirements on labels that controllers add (``pod-template-hash``, ...)
    are taken as met. ``object_labels`` are the workload's own
    ``metadata.labels``: a requirement that they satisfy and the template
    does not names the workload (a label put on the object, not its pods).
    """
    if not isinstance(selector, dict):
        return Verdict("invalid")
    reqs = _requirements(selector)
    if reqs is None:
        return Verdict("invalid")
    labels = {k: v for k, v in labels.items() if isinstance(k, str)}
    object_labels = object_labels if isinstance(object_labels, dict) else {}
    for key in mismatch_label_keys:
        if isinstance(key, str) and (key in labels or key in CONTROLLER_LABELS):
            return Verdict("other")
    own_values = {v for k, v in labels.items() if k not in GROUP_LABELS and isinstance(v, str) and v}
    if name:
        own_values.add(name)
    names_self = any(isinstance(k, str) and (k in labels or k in CONTROLLER_LABELS) for k in match_label_keys)
    unmet, conflicts = [], []
    for key, op, values in reqs:
        if key in CONTROLLER_LABELS:
            continue
        present = key in labels
        value = labels.get(key)
        if len(values) == 1:
            wanted = f"{key}={_show(values[0])}"
        else:
            wanted = f"{key} in ({', '.join(_show(v) for v in values)})"
        if op == "In":
            if present and value in values:
                names_self = names_self or key not in GROUP_LABELS
            elif present:
                conflicts.append(wanted)
            else:
                unmet.append(wanted)
                if any(isinstance(v, str) and v in own_values for v in values) \
                        or (key in object_labels and object_labels[key] in values):
                    names_self = True
        elif op == "NotIn":
            if present and value in values:
                conflicts.append(f"{key} not in ({', '.join(_show(v) for v in values)})")
        elif op == "Exists":
            if not present:
                unmet.append(f"the label {key}")
                names_self = names_self or key in object_labels
        elif op == "DoesNotExist" and present:
            conflicts.append(f"no {key} label")
    if conflicts:
        return Verdict("other", conflicts + unmet)
    if not unmet:
        return Verdict("match")
    return Verdict("own-mismatch" if names_self else "unknown", unmet)


def names_own_namespace(term: dict, namespace) -> bool:
    """Whether an affinity term's namespaces include the pod's own namespace.

    Null or empty ``namespaces`` with a null ``namespaceSelector`` means the
    pod's namespace; an empty ``namespaceSelector`` (``{}``) selects every
    namespace; a non-empty one selects namespaces by labels the linter cannot
    see, so only an explicit listing of the own namespace counts then.
    """
    listed = [n for n in sequence(term.get("namespaces")) if isinstance(n, str)]
    if namespace in listed:
        return True
    ns_selector = term.get("namespaceSelector")
    if isinstance(ns_selector, dict):
        return not ns_selector.get("matchLabels") and not ns_selector.get("matchExpressions")
    return not listed


def affinity_terms(pod, kind: str):
    """(path, term) for each pod (anti-)affinity term of ``kind`` (``podAffinity``
    or ``podAntiAffinity``), required and preferred."""
    base = pod.spec_path / "affinity" / kind
    section = mapping(mapping(pod.spec.get("affinity")).get(kind))
    for i, term in enumerate(sequence(section.get("requiredDuringSchedulingIgnoredDuringExecution"))):
        if isinstance(term, dict):
            yield base / "requiredDuringSchedulingIgnoredDuringExecution" / i, term
    for i, weighted in enumerate(sequence(section.get("preferredDuringSchedulingIgnoredDuringExecution"))):
        term = mapping(weighted).get("podAffinityTerm")
        if isinstance(term, dict):
            yield base / "preferredDuringSchedulingIgnoredDuringExecution" / i / "podAffinityTerm", term


def string_list(value) -> list:
    return [v for v in sequence(value) if isinstance(v, str)]
