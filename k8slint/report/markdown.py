"""``--format markdown``: a compact report for a CI job summary or a pull-request comment.

Counts by severity and by rule, then one collapsible ``<details>`` section per
rule (the rules with the worst and the most findings first) with a table of
its findings (``[file:line](file#Lline)`` links, the object, the message;
in a GitHub Actions job the links go to the files at the checked commit),
then a Mermaid diagram of the objects that have findings and their
neighbours, which GitHub draws.

It stays readable, and within :data:`LIMIT` characters (a GitHub comment
holds 65,536), at any number of findings: a rule lists at most
:data:`ROWS_PER_RULE` findings, the diagram at most :data:`DIAGRAM_NODES`
objects, and the finding rows get the room the rest of the report leaves
(every rule a few rows, the rules listed first the remainder); each cut says
what it left out. The JSON and HTML reports have everything.

Text taken from manifests (messages, names, paths) is escaped: control
characters made visible (``\\x1b``; :func:`k8slint.report.safe.visible`),
line breaks and tabs as spaces (in file names, ``\\n`` and ``\\t``),
Markdown punctuation with a backslash, ``<``, ``>`` and ``&`` as entities,
and ``@`` is followed by a word joiner so that a name like ``@org/team``
mentions no one.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from ..engine import RANK, SEVERITIES
from ..view import around_findings, build_view, result_key
from .graphs import to_mermaid
from . import plural
from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry, Result
    from ..pipeline import Report

ROWS_PER_RULE = 50
FIRST_ROWS = 5
LIMIT = 60_000  # characters in the whole report, with room to spare for what a CI job adds around it
DIAGRAM_NODES = 40
ICONS = {"error": "🔴", "warning": "🟡", "info": "🔵"}

_ESCAPES = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|", "~": "\\~",
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "@\u2060", "\r": " ", "\n": " ", "\t": " ",
})


def escape(text: object) -> str:
    """Manifest-derived text, safe in a Markdown table cell or paragraph."""
    return visible(str(text), keep="\r\n\t").translate(_ESCAPES)


def _link_base() -> tuple[str, str]:
    """(prefix of every link, folder links are relative to). In a GitHub Actions
    job, links go to the files at the commit being checked, since relative links
    resolve in neither a job summary nor a pull-request comment; elsewhere they
    are relative to the working directory."""
    server, repo, sha = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        return f"{server.rstrip('/')}/{repo}/blob/{sha}/", os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    return "", os.getcwd()


def link_target(result: Result) -> str | None:
    """A link to the finding's file, or None when there is no file to link
    (standard input, rendered output, a path outside the working directory or
    the checked-out repository)."""
    source = result.source
    if source is not None and getattr(source, "path", None) is None:
        return None
    path = result.file
    if not path or path.startswith("<"):
        return None
    prefix, root = _link_base()
    rel = os.path.relpath(os.path.abspath(path), root)
    if rel.startswith(".."):
        return None
    return prefix + quote(rel.replace(os.sep, "/"), safe="/-._~", errors="surrogateescape")


def location(result: Result) -> str:
    text = escape(visible(f"{result.file}:{result.line}" if result.line else result.file))
    target = link_target(result)
    if target is None:
        return text
    return f"[{text}]({target}#L{result.line})" if result.line else f"[{text}]({target})"


def object_label(result: Result) -> str:
    ident = result.identity
    if not isinstance(ident, dict) or not ident.get("kind"):
        return ""
    key = result_key(result)
    namespace = key[1] if key else None
    return f"{ident['kind']} {namespace}/{ident.get('name', '')}" if namespace else \
        f"{ident['kind']} {ident.get('name', '')}"


def rule_order(results: Iterable[Result]) -> list[tuple[str, list[Result]]]:
    """(rule, findings) pairs, the worst and the most frequent rules first."""
    by_rule: dict[str, list[Result]] = {}
    for r in results:
        by_rule.setdefault(r.rule, []).append(r)
    return sorted(by_rule.items(),
                  key=lambda item: (-max(RANK[r.severity] for r in item[1]), -len(item[1]), item[0]))


def _severity_counts(findings: Iterable[Result]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for r in findings:
        counts[r.severity] += 1
    return counts


def _severity_text(counts: dict[str, int]) -> str:
    return ", ".join(plural(counts[s], s) for s in SEVERITIES if counts[s])


def _row(r: Result, main: str) -> str:
    message = escape(r.message)
    if r.severity != main:
        message = f"**{r.severity}**: {message}"
    return f"| {location(r)} | {escape(object_label(r))} | {message} |"


def _rows(ordered: list[tuple[str, list[Result]]], budget: int) -> dict[str, list[str]]:
    """The table rows listed for each rule, within ``budget`` characters: first
    up to :data:`FIRST_ROWS` for every rule (in rule order), then more for the
    first rules, up to :data:`ROWS_PER_RULE` each."""
    listed: dict[str, list[str]] = {rule_id: [] for rule_id, _ in ordered}
    for cap in (FIRST_ROWS, ROWS_PER_RULE):
        for rule_id, findings in ordered:
            rows = listed[rule_id]
            if len(rows) >= min(cap, len(findings)):
                continue
            sev = _severity_counts(findings)
            main = max(SEVERITIES, key=lambda s: (sev[s], RANK[s]))
            while len(rows) < min(cap, len(findings)):
                row = _row(findings[len(rows)], main)
                cost = len(row) + 1 + (0 if rows else _TABLE_HEADER)  # the first row brings the table header
                if cost > budget:
                    break
                budget -= cost
                rows.append(row)
    return listed


def _rule_section(rule_id: str, findings: list[Result], rows: list[str], open_all: bool) -> str:
    sev = _severity_counts(findings)
    worst = max(findings, key=lambda r: RANK[r.severity]).severity
    out = [f"<details{' open' if open_all else ''}><summary>{ICONS[worst]} "
           f"<strong>{html.escape(rule_id)}</strong>: {html.escape(_severity_text(sev))}</summary>\n"]
    if rows:
        out.append("| location | object | message |\n|---|---|---|")
        out.extend(rows)
        out.append("")
    left = len(findings) - len(rows)
    if left:
        why = "to keep this report short" if len(rows) == ROWS_PER_RULE else "for lack of room"
        what = f"…and {plural(left, 'more finding')}" if rows else plural(left, "finding")
        out.append(f"{what} of this rule not listed {why}; the JSON or HTML report (`--format json`, "
                   "`--format html`) lists them all.\n")
    out.append("</details>\n")
    return "\n".join(out)


_TABLE_HEADER = len("| location | object | message |\n|---|---|---|\n") + 1  # a section's growth with rows
_NOTE = 200  # room kept for a "not listed" line


def _fit(parts: list[str], room: int) -> int:
    """How many of ``parts`` (strings, in order) fit in ``room`` characters, one per line."""
    used = 0
    for i, part in enumerate(parts):
        used += len(part) + 1
        if used > room:
            return i
    return len(parts)


def _diagram(report: Report, results: list[Result]) -> str:
    view = around_findings(build_view(report.graph, results), DIAGRAM_NODES)
    if not any(node.findings for node in view.nodes.values()):
        return ""
    out = ["### Objects with findings\n",
           "Each object with findings (red: errors, yellow: warnings, blue: info), with the objects it "
           "references or is referenced by; dashed: referenced but not in the run.\n",
           "```mermaid\n" + to_mermaid(view) + "```\n"]
    if view.note:
        out.append(f"_Diagram cut: {escape(view.note)}; `k8slint graph` or the HTML report shows all of it._\n")
    return "\n".join(out)


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    stream.write(render(report, registry))


def render(report: Report, registry: Registry | None = None) -> str:
    results = report.results
    summary = report.summary()
    counts = summary["by_severity"]
    out = []
    extras = [plural(summary["objects"], "object")]
    if summary["suppressed"]:
        extras.append(f"{summary['suppressed']:,} suppressed")
    if summary["baselined"]:
        extras.append(f"{summary['baselined']:,} in the baseline")
    failed = ""
    if summary["failures"]:  # the run did not see everything: never "no problems"
        failed = (f"\n**{plural(summary['failures'], 'path')} could not be read or rendered**: the run's log "
                  "names them, and what they hold was not linted.\n")
    if not results:
        out.append("## k8slint: no problems found\n" if not failed else "## k8slint: the run failed\n")
        out.append(f"Checked {plural(summary['files'], 'file')} ({'; '.join(extras)}).\n" + failed)
        return "\n".join(out)

    out.append(f"## k8slint: {_severity_text(counts)}\n")
    out.append(f"In {summary['files_with_findings']:,} of {plural(summary['files'], 'file')} "
               f"({'; '.join(extras)}).\n" + failed)
    out.append("| severity | findings |\n|---|---:|")
    out.extend(f"| {ICONS[s]} {s} | {counts[s]:,} |" for s in SEVERITIES if counts[s])
    out.append("")

    ordered = rule_order(results)
    rules = registry.rules if registry is not None else {}
    table = []
    for rule_id, findings in ordered:
        sev = _severity_counts(findings)
        severities = ", ".join(s for s in SEVERITIES if sev[s])
        about = escape(rules[rule_id].summary) if rule_id in rules else ""
        table.append(f"| `{rule_id}` | {severities} | {len(findings):,} | {about} |")
    open_all = len(results) <= 20
    sections = [_rule_section(rule_id, findings, [], open_all) for rule_id, findings in ordered]

    # Within LIMIT, in this order of importance: the counts above; the rules
    # table (at most half the room); a section per rule; the diagram; and the
    # finding rows, which get whatever is left.
    room = LIMIT - sum(len(part) + 1 for part in out) - 3 * _NOTE
    shown = _fit(table, room // 2)
    out.append("### Rules\n")
    out.append("| rule | severity | findings | what it finds |\n|---|---|---:|---|")
    out.extend(table[:shown])
    if shown < len(table):
        out.append(f"\n…and {plural(len(table) - shown, 'more rule')} with fewer findings; the JSON or HTML "
                   "report lists them all.")
    out.append("")
    room -= sum(len(row) + 1 for row in table[:shown]) + 100
    sections_shown = _fit(sections, room)
    room -= sum(len(section) + 1 for section in sections[:sections_shown])
    diagram = _diagram(report, results)
    if len(diagram) > room:
        diagram = ""
    listed = _rows(ordered[:sections_shown], max(0, room - len(diagram)))
    out.append("### Findings\n")
    out.extend(_rule_section(rule_id, findings, listed[rule_id], open_all)
               for rule_id, findings in ordered[:sections_shown])
    if sections_shown < len(ordered):
        left = sum(len(findings) for _, findings in ordered[sections_shown:])
        out.append(f"{plural(left, 'finding')} of {plural(len(ordered) - sections_shown, 'more rule')} not "
                   "listed for lack of room; the JSON or HTML report lists them all.\n")
    if diagram:
        out.append(diagram)
    return "\n".join(out)
