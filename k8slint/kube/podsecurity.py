"""Pod Security admission levels declared on Namespaces, applied to the PSS rules.

A Namespace labelled ``pod-security.kubernetes.io/enforce: <level>`` makes
admission reject pods that break that level: in such a namespace, the
controls of that level (and the lower ones) run whatever the profile, and
their findings are errors. ``warn`` and ``audit`` labels run the controls of
their level too, as warnings. A namespace whose labels name no level that
includes a control does not run it: its declared policy is the authority
(``enforce: privileged`` turns the standards off there). Namespaces without
labels, or not in the run, follow the profile (``--profile``).

A Namespace governs the objects of its own unit that land in it, and the
objects of other units that name it in ``metadata.namespace``: an object
that sets no namespace lands in whatever namespace it is applied to, which
is the Namespace's only when both are applied together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..graph import Graph
    from ..model import K8sObject
    from ..registry import Registry, Rule

LEVELS = {"privileged": 0, "baseline": 1, "restricted": 2}
LABEL = "pod-security.kubernetes.io/"


def control_level(rule: Rule, registry: Registry) -> int | None:
    """The admission level whose policy includes a control: that of the lowest
    profile of the rule pack that runs it (None for a rule that is no control)."""
    profile = registry.lowest_profile(rule)
    return LEVELS.get(profile.admission) if profile is not None and profile.admission else None


class NamespacePolicy:
    def __init__(self, graph: Graph, registry: Registry) -> None:
        self.graph = graph
        self.registry = registry
        self.levels: dict[int, dict[str, int]] = {}  # id(Namespace) -> {"enforce": n, "warn": n, "audit": n}
        for ns in graph.objects_of("Namespace"):
            declared: dict[str, int] = {}
            for mode in ("enforce", "warn", "audit"):
                value = ns.labels.get(LABEL + mode)
                if isinstance(value, str) and value in LEVELS:
                    declared[mode] = LEVELS[value]
            if declared:
                self.levels[id(ns)] = declared

    def declared(self, obj: K8sObject) -> dict[str, int] | None:
        """The levels the Namespace ``obj`` lands in declares, if that Namespace is in the run."""
        view = self.graph.view_for(obj) if hasattr(self.graph, "view_for") else self.graph
        # a cluster-scoped object lands in no namespace (no object is named None: the lookup finds nothing)
        ns = view.get("Namespace", None, obj.namespace) if obj.namespace is not None else None
        if ns is None or (ns.unit is not obj.unit and not obj.namespace_explicit):
            return None
        return self.levels.get(id(ns))

    def governs(self, rule: Rule) -> bool:
        return bool(self.levels) and control_level(rule, self.registry) is not None

    def decide(self, rule: Rule, obj: K8sObject, active: bool, severity: str) -> str | None:
        """The severity to report this control at for this object, or None to skip it."""
        declared = self.declared(obj)
        if declared is None:
            return severity if active else None
        level = cast(int, control_level(rule, self.registry))  # decided only for the rules it governs
        if declared.get("enforce", -1) >= level:
            return "error"
        if max(declared.get("warn", -1), declared.get("audit", -1)) >= level:
            return "warning"
        return None
