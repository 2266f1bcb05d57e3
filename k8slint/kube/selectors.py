"""Label selectors, evaluated as the API server evaluates them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ..model import K8sObject

_UNSET = object()


def label_selector_matches(selector: object, labels: Mapping[str, object], empty_matches_all: bool = True) -> bool:
    """A ``metav1.LabelSelector`` (matchLabels + matchExpressions).

    A missing (null) selector matches nothing; an empty one (``{}``) matches
    everything, except where an API says otherwise (policy/v1beta1 PDBs:
    ``empty_matches_all=False``). An unknown operator matches nothing, as
    the API server refuses such a selector.
    """
    if not isinstance(selector, dict):
        return False
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False
    if not match_labels and not expressions:
        return empty_matches_all
    for key, value in match_labels.items():
        if labels.get(key, _UNSET) != value:
            return False
    for expr in expressions:
        if not expression_matches(expr, labels):
            return False
    return True


def expression_matches(expr: object, labels: Mapping[str, object]) -> bool:
    if not isinstance(expr, dict):
        return False
    key: Any = expr.get("key")
    op = expr.get("operator")
    values = expr.get("values") or []
    if not isinstance(values, list):
        return False
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    return False


def map_selector_matches(selector: object, labels: Mapping[str, object]) -> bool:
    """A plain ``key: value`` selector (Service, ReplicationController); empty matches nothing."""
    if not isinstance(selector, dict) or not selector:
        return False
    return all(labels.get(k, _UNSET) == v for k, v in selector.items())


def selector_pairs(selector: object) -> list[tuple[Any, Any]]:
    """The (key, value) equality pairs a selector requires (for indexing)."""
    if not isinstance(selector, dict):
        return []
    if "matchLabels" in selector or "matchExpressions" in selector:
        match_labels = selector.get("matchLabels")
        pairs = list(match_labels.items()) if isinstance(match_labels, dict) else []
        for expr in selector.get("matchExpressions") or []:
            if isinstance(expr, dict) and expr.get("operator") == "In" and isinstance(expr.get("values"), list) \
                    and len(expr["values"]) == 1:
                pairs.append((expr.get("key"), expr["values"][0]))
        return pairs
    return list(selector.items())


# labels controllers add to the pods they create -------------------------------------------

#: a label value the controller generates (a hash, a UID): known to exist, value unknown
GENERATED: object = type("Generated", (), {"__repr__": lambda self: "<generated>"})()


def controller_pod_labels(workload: K8sObject) -> dict[str, str | re.Pattern[str] | object]:
    """Labels a workload's controller puts on every pod it creates, beside the
    template's labels: the value when it is known, a compiled pattern for a
    generated name, or :data:`GENERATED`."""
    kind = workload.kind
    if kind == "Deployment":
        return {"pod-template-hash": GENERATED}
    if kind == "DaemonSet":
        return {"controller-revision-hash": GENERATED, "pod-template-generation": GENERATED}
    if kind == "StatefulSet":
        name = re.escape(workload.name)
        return {"controller-revision-hash": GENERATED,
                "statefulset.kubernetes.io/pod-name": re.compile(rf"{name}-[0-9]+\Z"),
                "apps.kubernetes.io/pod-index": re.compile(r"[0-9]+\Z")}
    if kind in ("Job", "CronJob"):
        known = kind == "Job" and not workload.name.endswith("*")  # a generateName has no fixed name
        job = workload.name if known else re.compile(rf"{re.escape(workload.name.rstrip('*'))}.*\Z")
        return {"job-name": job, "batch.kubernetes.io/job-name": job, "controller-uid": GENERATED,
                "batch.kubernetes.io/controller-uid": GENERATED,
                "batch.kubernetes.io/job-completion-index": re.compile(r"[0-9]+\Z")}
    return {}


#: every key :func:`controller_pod_labels` may return
CONTROLLER_LABELS = frozenset({
    "pod-template-hash", "controller-revision-hash", "pod-template-generation",
    "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
    "job-name", "batch.kubernetes.io/job-name", "controller-uid", "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
})


def controller_label_matches(expected: object, value: object) -> bool:
    """Whether a pod of the workload may carry ``value`` for a controller label."""
    if expected is GENERATED:
        return True
    if isinstance(expected, str):
        return expected == value
    return isinstance(value, str) and bool(cast("re.Pattern[str]", expected).match(value))
