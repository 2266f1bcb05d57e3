"""Human-readable output: one block per finding, grouped by file.

::

    app.yaml:24:9: warning container 'web' has no readiness probe [missing-readiness-probe]
       24 |       - name: web
          |         ^~~~

Colour only when asked (a terminal without ``NO_COLOR``); rich renders it
then, and is not imported otherwise.

Text from the input (file names, messages, source lines, template names)
never reaches the terminal raw: control characters are shown as escapes
(``\\x1b``, ``\\n``; :func:`k8slint.report.safe.visible`), and the column
marker under a source line counts the escapes' width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report

#: a piece of a line of output: (text, rich style; "" for none)
Segment = tuple[str, str]

_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_TOKEN = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:,\]}#]+(?::[^\s,\]}#]+)*)""")


def marker_width(line: str, column: int) -> int:
    """Width of the token (a key or value) that starts at ``column`` (1-based)."""
    m = _TOKEN.match(line, column - 1)
    return max(1, len(m.group(0))) if m else 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def lines(report: Report) -> Iterator[list[Segment]]:
    """The output as lines of (text, style) segments."""
    previous_file: str | None = None
    for r in report.results:
        if previous_file is not None and r.file != previous_file:
            yield []
        previous_file = r.file
        file = visible(r.file)
        where = file if r.line is None else f"{file}:{r.line}:{r.column}"
        yield [(f"{where}: ", "bold"), (r.severity, _STYLES[r.severity]), (f" {visible(r.message)} ", ""),
               (f"[{r.rule}]", "dim")]
        text = r.source.line(r.line) if r.source is not None and r.line else None
        if text:
            text = text.expandtabs(1).rstrip()
            shown = visible(text)
            gutter = " " * len(str(r.line))
            yield [(f"   {r.line} | ", "blue"), (shown, "")]
            if r.column and r.column - 1 <= len(text):
                start = r.column - 1
                width = marker_width(text, r.column) if r.exact else 1
                if shown != text:  # escapes are wider than the characters they show
                    width = max(1, len(visible(text[start:start + width])))
                    start = len(visible(text[:start]))
                yield [(f"   {gutter} | ", "blue"), (" " * start, ""),
                       ("^" + "~" * (width - 1), _STYLES[r.severity])]
        for other in r.related:
            at = f"{visible(other.file)}:{other.line}:{other.column}" if other.line else visible(other.file)
            if other.file == r.file and other.line:
                at = f"line {other.line}"
            yield [("   = ", "blue"), (f"also {at}: ", "dim"), (visible(other.message), "")]
        if r.template:
            yield [("   = ", "blue"), ("rendered from Helm template ", "dim"), (visible(r.template), "")]
        if r.rendered:
            yield [("   = ", "blue"), (f"found at line {r.rendered[1]} of {visible(r.rendered[0])}", "dim")]
    if report.results:
        yield []
    if report.fixed:
        yield [(f"Fixed {_plural(report.fixed, 'finding')}; {len(report.results)} remain.", "bold green")]
    yield list(_summary(report))


def _summary(report: Report) -> Iterator[Segment]:
    s = report.summary()
    counts = s["by_severity"]
    details = [_plural(s["objects"], "object")]
    if s["skipped_documents"]:
        details.append(f"{_plural(s['skipped_documents'], 'non-Kubernetes document')} skipped")
    if s["skipped_templates"]:
        details.append(f"{_plural(s['skipped_templates'], 'raw Helm template')} not parsed")
    if s["skipped_patches"]:
        n = s["skipped_patches"]
        details.append(f"{n} kustomize patch{'' if n == 1 else 'es'} not linted on {'its' if n == 1 else 'their'} own")
    if s["suppressed"]:
        details.append(f"{s['suppressed']} suppressed")
    if s["baselined"]:
        details.append(f"{s['baselined']} in the baseline")
    tail = f" ({'; '.join(details)})."
    failed = ""
    if s["failures"]:  # the run did not see everything: never "no problems"
        failed = f" {_plural(s['failures'], 'path')} could not be read or rendered (see above)."
    if not report.results:
        if failed:
            yield (f"Nothing found in the {_plural(s['files'], 'file')} linted{tail}{failed}", "bold red")
        else:
            yield (f"No problems found in {_plural(s['files'], 'file')}{tail}", "bold green")
        return
    parts = [(_plural(counts[k], k), _STYLES[k]) for k in ("error", "warning", "info") if counts[k]]
    for i, part in enumerate(parts):
        if i:
            yield (", ", "")
        yield part
    yield (f" in {s['files_with_findings']} of {_plural(s['files'], 'file')}{tail}", "")
    if failed:
        yield (failed, "bold red")


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    if not color:
        for segments in lines(report):
            stream.write("".join(text for text, _ in segments) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    # colour was asked for (--color always, or a terminal without NO_COLOR): rich would drop it under NO_COLOR
    console = Console(file=stream, force_terminal=True, no_color=False, highlight=False, soft_wrap=True,
                      emoji=False)
    for segments in lines(report):
        console.print(Text.assemble(*[(t, s) if s else t for t, s in segments]))
