"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

Every result has a real region (line and column, counted in Unicode code
points as the run declares), an artifact URI relative to the working
directory, and the Helm template it was rendered from in its properties.
Strings are exact, and written with no raw control character (as in the
JSON report).

For code scanning:

- a security rule carries its ``security-severity`` (0.1 to 10.0), by which
  code scanning ranks alerts Critical, High, Medium or Low;
- a result's ``partialFingerprints`` name the rule, the object, the YAML path,
  the file and the unit, but no line: an alert follows its finding when lines
  move, and two copies of one object in two files are two alerts;
- ``invocations[0]`` says whether the run saw everything it was asked to
  (``executionSuccessful``), with a ``toolExecutionNotifications`` entry per
  path that could not be read, chart or kustomization that did not render, and
  rule that failed: a run that missed part of the input must not look clean,
  or code scanning would close that part's alerts as fixed;
- the log stays within code scanning's limits (:data:`MAX_RESULTS` results per
  run, :data:`MAX_GZIP_BYTES` compressed): beyond them, the most severe results
  are kept and a notification says how many were left out, of which rules.
"""

from __future__ import annotations

import functools
import io
import json
import os
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from .. import __version__

if TYPE_CHECKING:
    from ..engine import Registry, Rule
    from ..findings import Related, Result
    from ..pipeline import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: what code scanning accepts of one run: results, and the gzip-compressed upload
#: (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
#: findings that mean part of the input was not linted
FAILURE_RULES = ("render-failed", "internal-error")


@functools.lru_cache(maxsize=4096)
def _uri(display: str, path: str | None) -> str:
    if path is None:
        return "stdin"
    rel = os.path.relpath(os.path.abspath(path))
    return urllib.parse.quote(Path(rel).as_posix(), errors="surrogateescape")  # a name not in UTF-8: its bytes


def _rule(rule: Rule) -> dict[str, Any]:
    name = "".join(part.capitalize() for part in rule.id.split("-"))
    return {
        "id": rule.id,
        "name": name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.category], "category": rule.category,
                       **({"security-severity": f"{rule.security_severity:.1f}"}
                          if rule.security_severity is not None else {})},
    }


def _place(at: Result | Related) -> dict[str, Any]:
    """A physicalLocation: the file relative to the working directory, and the line and column if any."""
    place: dict[str, Any] = {"artifactLocation": {"uri": _uri(at.file, getattr(at.source, "path", None)),
                                                  "uriBaseId": "%SRCROOT%"}}
    if at.line:
        place["region"] = {"startLine": at.line, "startColumn": at.column or 1}
    return place


def _fingerprint(r: Result) -> str:
    """The finding's identity (:func:`k8slint.suppress.fingerprint`: no line) with its file and unit."""
    import hashlib

    from ..suppress import fingerprint

    parts = (fingerprint(r), _uri(r.file, getattr(r.source, "path", None)), r.unit or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _notifications(report: Report) -> list[dict[str, Any]]:
    """One per path not read, render failed and rule that failed: the run did not see everything."""
    out: list[dict[str, Any]] = [{"level": "error", "message": {"text": message}, "descriptor": {"id": "unreadable"}}
                                 for message in report.failures]
    for r in report.results:
        if r.rule in FAILURE_RULES:
            out.append({"level": "error", "message": {"text": r.message}, "descriptor": {"id": r.rule},
                        "locations": [{"physicalLocation": _place(r)}]})
    return out


def _priority(result: dict[str, Any], scores: dict[str, float]) -> tuple[int, float]:
    """Which results to keep first when the log must be cut: shown before suppressed, then by level,
    then by security severity."""
    shown = 0 if result.get("suppressions") else 1
    return (shown * 3 + ("note", "warning", "error").index(result["level"]), scores.get(result["ruleId"], 0.0))


def _cut(run: dict[str, Any], keep: int, scores: dict[str, float]) -> None:
    """Keep the ``keep`` most important results of ``run`` (in their order) and say what was left out."""
    results = run["results"]
    ranked = sorted(range(len(results)), key=lambda i: _priority(results[i], scores), reverse=True)
    kept = set(ranked[:keep])
    left = [results[i] for i in ranked[keep:]]
    run["results"] = [r for i, r in enumerate(results) if i in kept]
    by_rule: dict[str, int] = {}
    for r in left:
        by_rule[r["ruleId"]] = by_rule.get(r["ruleId"], 0) + 1
    omitted = run["properties"].setdefault("omitted", {"results": 0, "byRule": {}})
    omitted["results"] += len(left)
    for rule_id, n in by_rule.items():
        omitted["byRule"][rule_id] = omitted["byRule"].get(rule_id, 0) + n
    rules = ", ".join(f"{rule_id} ({n:,})" for rule_id, n in
                      sorted(omitted["byRule"].items(), key=lambda kv: (-kv[1], kv[0])))
    notes = run["invocations"][0]["toolExecutionNotifications"]
    notes[:] = [n for n in notes if n.get("descriptor", {}).get("id") != "results-left-out"]
    notes.append({"level": "warning", "descriptor": {"id": "results-left-out"}, "message": {"text": (
        f"{omitted['results']:,} of {omitted['results'] + len(run['results']):,} results were left out to stay "
        f"within code scanning's limits (the most severe are kept): {rules}; the JSON report has them all")}})


def document(report: Report, registry: Registry, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    rules = list(registry)
    index = {r.id: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for r in report.results + report.suppressed:
        location: dict[str, Any] = {"physicalLocation": _place(r)}
        if r.identity:
            o = r.identity
            ns = f"{o['namespace']}/" if o.get("namespace") else ""
            location["logicalLocations"] = [{"fullyQualifiedName": f"{o['kind']}/{ns}{o['name']}",
                                             "kind": "object"}]
        related = []
        for n, other in enumerate(r.related, start=1):
            related.append({"id": n, "physicalLocation": _place(other), "message": {"text": other.message}})
        result: dict[str, Any] = {
            "ruleId": r.rule,
            "level": LEVELS[r.severity],
            "message": {"text": r.message},
            "locations": [location],
            "partialFingerprints": {"k8slint/v2": _fingerprint(r)},
            **({"relatedLocations": related} if related else {}),
            "properties": {"yamlPath": r.path, "object": r.identity, "helmTemplate": r.template, "unit": r.unit},
        }
        if r.rendered:
            result["properties"]["rendered"] = {"artifact": r.rendered[0], "line": r.rendered[1],
                                                "column": r.rendered[2]}
        if r.suppression:
            result["suppressions"] = [{
                "kind": "external" if r.suppression["kind"] == "exemption" else "inSource",
                "justification": r.suppression["reason"] or "(no reason given)",
            }]
        if r.rule in index:
            result["ruleIndex"] = index[r.rule]
        results.append(result)
    notifications = _notifications(report)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "k8slint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(r) for r in rules],
        }},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": report.summary()},
    }
    if len(results) > max_results:
        _cut(run, max_results, _scores(rules))
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _scores(rules: list[Rule]) -> dict[str, float]:
    return {r.id: r.security_severity for r in rules if r.security_severity is not None}


def _text(doc: dict[str, Any]) -> str:
    """The log with one result per line (as the JSON report): readable, diffable,
    and written by the C encoder (an indented dump is several times slower)."""
    from .json import dump_lines
    from .safe import json_text

    [run] = doc["runs"]
    body = io.StringIO()
    body.write(json_text(json.dumps({k: v for k, v in doc.items() if k != "runs"}, ensure_ascii=False))[:-1])
    body.write(',\n"runs": [')
    dump_lines(run, ("results",), body)
    return body.getvalue().rstrip("\n") + "]}\n"


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False,
          max_gzip_bytes: int = MAX_GZIP_BYTES) -> None:
    doc = document(report, cast("Registry", registry))  # the log lists the rules: a registry is needed
    text = _text(doc)
    if len(text) > max_gzip_bytes:  # it may not compress below the limit: measure, and cut until it does
        import zlib

        [run] = doc["runs"]
        scores = _scores(list(cast("Registry", registry)))
        size = len(zlib.compress(text.encode("utf-8"), 6)) + 18  # the gzip header and trailer
        while size > max_gzip_bytes and run["results"]:
            _cut(run, int(len(run["results"]) * max_gzip_bytes / size * 0.95), scores)
            text = _text(doc)
            size = len(zlib.compress(text.encode("utf-8"), 6)) + 18
    stream.write(text)
