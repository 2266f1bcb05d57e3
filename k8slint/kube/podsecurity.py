"""Pod Security admission levels declared on Namespaces, applied to the PSS rules.

A Namespace labelled ``pod-security.kubernetes.io/enforce: <level>`` makes
admission reject pods that break that level: in such a namespace, the
controls of that level (and the lower ones) run whatever the profile, and
their findings are errors. ``warn`` and ``audit`` labels run the controls of
their level too, as warnings. A namespace whose labels name no level that
includes a control does not run it: its declared policy is the authority
(``enforce: privileged`` turns the standards off there). Namespaces without
labels, or not in the run, follow the profile (``--profile``).
"""

from __future__ import annotations

LEVELS = {"privileged": 0, "baseline": 1, "restricted": 2}
TAGS = {"pss-baseline": 1, "pss-restricted": 2}
LABEL = "pod-security.kubernetes.io/"


def control_level(rule) -> int | None:
    levels = [TAGS[t] for t in rule.tags if t in TAGS]
    return min(levels) if levels else None


class NamespacePolicy:
    def __init__(self, graph):
        self.levels: dict = {}  # namespace -> {"enforce": n, "warn": n, "audit": n}
        for ns in graph.objects_of("Namespace"):
            declared = {}
            for mode in ("enforce", "warn", "audit"):
                value = ns.labels.get(LABEL + mode)
                if isinstance(value, str) and value in LEVELS:
                    declared[mode] = LEVELS[value]
            if declared:
                self.levels[ns.name] = declared

    def governs(self, rule) -> bool:
        return bool(self.levels) and control_level(rule) is not None

    def decide(self, rule, obj, active: bool, severity: str):
        """The severity to report this control at for this object, or None to skip it."""
        declared = self.levels.get(obj.namespace)
        if declared is None:
            return severity if active else None
        level = control_level(rule)
        if declared.get("enforce", -1) >= level:
            return "error"
        if max(declared.get("warn", -1), declared.get("audit", -1)) >= level:
            return "warning"
        return None
