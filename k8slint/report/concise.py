"""``--format concise``: one line per finding, as ruff and flake8 print them.

::

    app.yaml:24:9: error probe-port-unknown container 'web' probes port 'admin', which it does not declare

``file:line:col: severity rule message``, for editors' problem matchers and
grep. A finding about a whole file (no line) is placed at 1:1. Nothing else
is written: no summary, no source lines. Control characters from the input,
line breaks included, are made visible (:func:`k8slint.report.safe.visible`),
so a finding is always exactly one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    for r in report.results:
        stream.write(f"{visible(r.file)}:{r.line or 1}:{r.column or 1}: {r.severity} {r.rule} {visible(r.message)}\n")
