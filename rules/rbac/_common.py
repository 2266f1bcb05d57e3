"""Shared RBAC helpers: policy rules, subjects, Kubernetes' own roles.

Not a rule module (the leading underscore keeps the engine from loading it).
"""

from __future__ import annotations

from k8slint.kube.selectors import label_selector_matches
from k8slint.model import mapping, sequence

BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping"
READ_VERBS = ("get", "list", "watch")

#: groups that every ServiceAccount (and so every ``default`` ServiceAccount) belongs to
ALL_SERVICE_ACCOUNT_GROUPS = frozenset({"system:serviceaccounts", "system:authenticated"})


def is_kubernetes_role(obj) -> bool:
    """A Role or ClusterRole that Kubernetes itself creates and reconciles.

    The ``system:`` prefix is reserved for the control plane; ``cluster-admin``
    is the bootstrap super-user role; every default role carries the
    ``kubernetes.io/bootstrapping: rbac-defaults`` label.
    """
    return (obj.name.startswith("system:") or obj.name == "cluster-admin"
            or obj.labels.get(BOOTSTRAP_LABEL) == "rbac-defaults")


def is_aggregated(obj) -> bool:
    """A ClusterRole whose rules the aggregation controller computes."""
    return obj.kind == "ClusterRole" and isinstance(obj.raw.get("aggregationRule"), dict)


def policy_rules(obj):
    """(index, rule mapping) for each well-formed entry of ``rules``."""
    for i, r in enumerate(sequence(obj.raw.get("rules"))):
        if isinstance(r, dict):
            yield i, r


def items(rule: dict, field: str) -> list:
    """(index, value) for the string items of a rule's list field."""
    return [(j, v) for j, v in enumerate(sequence(rule.get(field))) if isinstance(v, str)]


def values(rule: dict, field: str) -> list:
    return [v for _, v in items(rule, field)]


def subjects(binding) -> list:
    """(index, subject mapping) for the subjects of a RoleBinding/ClusterRoleBinding."""
    return [(i, s) for i, s in enumerate(sequence(binding.raw.get("subjects"))) if isinstance(s, dict)]


def subject_label(subject: dict, binding=None) -> str:
    """``ServiceAccount 'ns/name'``, ``Group 'name'``, ``User 'name'``."""
    kind = subject.get("kind") if isinstance(subject.get("kind"), str) else "subject"
    name = subject.get("name") if isinstance(subject.get("name"), str) else "?"
    if kind == "ServiceAccount":
        ns = subject.get("namespace")
        if not isinstance(ns, str) or not ns:
            ns = binding.namespace if binding is not None and binding.namespace else "?"
        return f"ServiceAccount '{ns}/{name}'"
    return f"{kind} {name!r}"


def covers_default_service_account(subject: dict, binding) -> tuple | None:
    """Whether the subject includes a ``default`` ServiceAccount: (namespace or
    ``"*"`` for every namespace, whether it includes every ServiceAccount there), or None."""
    kind, name = subject.get("kind"), subject.get("name")
    if not isinstance(name, str):
        return None
    if kind == "ServiceAccount" and name == "default":
        ns = subject.get("namespace")
        return (ns if isinstance(ns, str) and ns else binding.namespace or "?"), False
    if kind == "Group":
        if name in ALL_SERVICE_ACCOUNT_GROUPS:
            return "*", True
        if name.startswith("system:serviceaccounts:") and len(name) > len("system:serviceaccounts:"):
            return name[len("system:serviceaccounts:"):], True
    if kind == "User" and name.startswith("system:serviceaccount:") and name.endswith(":default"):
        ns = name[len("system:serviceaccount:"):-len(":default")]
        return (ns, False) if ns else None
    return None


def aggregating_roles(graph, role) -> list:
    """ClusterRoles in the run whose ``aggregationRule`` selects ``role``
    (directly or through other aggregated roles), so its rules become theirs."""
    if role.kind != "ClusterRole":
        return []
    aggregators = [o for o in graph.objects_of("ClusterRole") if is_aggregated(o)]
    found: list = []
    seen = {id(role)}
    todo = [role]
    while todo:
        current = todo.pop()
        for agg in aggregators:
            if id(agg) in seen:
                continue
            selectors = sequence(mapping(agg.raw.get("aggregationRule")).get("clusterRoleSelectors"))
            if any(label_selector_matches(s, current.labels) for s in selectors):
                seen.add(id(agg))
                found.append(agg)
                todo.append(agg)
    return found
