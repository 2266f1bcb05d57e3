"""``--format github``: GitHub Actions workflow commands, shown as annotations on the pull request.

::

    ::error file=app.yaml,line=24,col=9,title=k8slint probe-port-unknown::container 'web' ...

Escaped as the runner unescapes (the toolkit's ``escapeData`` and
``escapeProperty``): in the message ``%``, carriage return and line feed as
``%25``, ``%0D`` and ``%0A``; in a property (``file=``, ``title=``) also ``:`` and ``,`` as
``%3A`` and ``%2C``. Before that, control characters from the input are made
visible (:func:`k8slint.report.safe.visible`), as they would otherwise reach
the job log raw; but for line breaks, which the runner reads back from
``%0D`` and ``%0A`` (a message of several lines, a file name with one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry
    from ..findings import Result
    from ..pipeline import Report

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
#: annotations GitHub shows per level and step (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands)
PER_LEVEL = 10


def _data(text: str) -> str:
    text = visible(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    from ..registry import RANK

    scores = {r.id: r.security_severity or 0.0 for r in registry} if registry is not None else {}
    ordered = sorted(report.results, key=lambda r: (-RANK[r.severity], -scores.get(r.rule, 0.0)))  # stable
    shown: dict[str, int] = {}
    left: dict[str, int] = {}
    cut = len(ordered) > _fits(ordered)  # then the last notice place is kept for the note on what was left out
    for r in ordered:
        room = PER_LEVEL - (1 if cut and r.severity == "info" else 0)
        if shown.get(r.severity, 0) >= room:
            left[r.severity] = left.get(r.severity, 0) + 1
            continue
        shown[r.severity] = shown.get(r.severity, 0) + 1
        parts = [f"file={_property(r.file)}"]
        if r.line:
            parts += [f"line={r.line}", f"col={r.column or 1}"]
        parts.append(f"title={_property('k8slint ' + r.rule)}")
        stream.write(f"::{LEVELS[r.severity]} {','.join(parts)}::{_data(r.message)}\n")
    if left:
        from . import plural

        counts = ", ".join(plural(left[s], s) for s in ("error", "warning", "info") if s in left)
        stream.write(f"::notice title=k8slint::{plural(sum(left.values()), 'more finding')} ({counts}) "
                     f"not shown as annotations: GitHub shows {PER_LEVEL} of each level per step. The job "
                     "summary and the SARIF report (code scanning) have them all.\n")


def _fits(results: list[Result]) -> int:
    """How many of ``results`` the annotations of a step can show."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.severity] = counts.get(r.severity, 0) + 1
    return sum(min(n, PER_LEVEL) for n in counts.values())
