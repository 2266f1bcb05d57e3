"""``--statistics``: how many findings each rule gave, the most frequent first.

::

      812  warning  sa-token-automount        0 fixable  Pods that mount a ServiceAccount token they may not need
       14  error    job-restart-policy       14 fixable  A Job pod template without restartPolicy OnFailure or Never

One row per rule with findings: the count, the rule's severity (the worst of
its findings), the rule, how many of its findings ``--fix`` can fix (safe or
unsafe), and the rule's summary. Rows are sorted by count, then by rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..registry import RANK
from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report


def rows(report: Report, registry: Registry | None) -> list[tuple[int, str, str, int, str]]:
    """(count, worst severity, rule, fixable, summary) for each rule with findings."""
    by_rule: dict[str, list[int | str]] = {}
    for r in report.results:
        row = by_rule.setdefault(r.rule, [0, r.severity, 0])
        row[0] = int(row[0]) + 1
        if RANK[r.severity] > RANK[str(row[1])]:
            row[1] = r.severity
        if r.fix is not None:
            row[2] = int(row[2]) + 1
    out = []
    for rule, (count, severity, fixable) in by_rule.items():
        summary = registry[rule].summary if registry is not None and rule in registry else ""
        out.append((int(count), str(severity), rule, int(fixable), summary))
    return sorted(out, key=lambda row: (-row[0], row[2]))


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    table = rows(report, registry)
    width = max((len(rule) for _, _, rule, _, _ in table), default=0)
    for count, severity, rule, fixable, summary in table:
        stream.write(f"{count:>7,}  {severity:<7}  {rule:<{width}}  {fixable:>5,} fixable  {visible(summary)}\n")
