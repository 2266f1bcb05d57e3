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
    from ..pipeline import Report

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    text = visible(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    for r in report.results:
        parts = [f"file={_property(r.file)}"]
        if r.line:
            parts += [f"line={r.line}", f"col={r.column or 1}"]
        parts.append(f"title={_property('k8slint ' + r.rule)}")
        stream.write(f"::{LEVELS[r.severity]} {','.join(parts)}::{_data(r.message)}\n")
