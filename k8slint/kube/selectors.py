"""Label selectors, evaluated as the API server evaluates them."""

from __future__ import annotations

_UNSET = object()


def label_selector_matches(selector, labels: dict, empty_matches_all: bool = True) -> bool:
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


def expression_matches(expr, labels: dict) -> bool:
    if not isinstance(expr, dict):
        return False
    key = expr.get("key")
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


def map_selector_matches(selector, labels: dict) -> bool:
    """A plain ``key: value`` selector (Service, ReplicationController); empty matches nothing."""
    if not isinstance(selector, dict) or not selector:
        return False
    return all(labels.get(k, _UNSET) == v for k, v in selector.items())


def selector_pairs(selector) -> list:
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
