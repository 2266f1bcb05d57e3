"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

Every result has a real region (line and column, counted in Unicode code
points as the run declares), an artifact URI relative to the working
directory, and the Helm template it was rendered from in its properties.
Strings are exact, and written with no raw control character (as in the
JSON report).
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
    from ..pipeline import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


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
        "properties": {"tags": [rule.category], "category": rule.category},
    }


def document(report: Report, registry: Registry) -> dict[str, Any]:
    from ..suppress import fingerprint

    rules = list(registry)
    index = {r.id: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for r in report.results + report.suppressed:
        region: dict[str, int] = {}
        if r.line:
            region = {"startLine": r.line, "startColumn": r.column or 1}
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {
            "uri": _uri(r.file, getattr(r.source, "path", None)), "uriBaseId": "%SRCROOT%"}}}
        if region:
            location["physicalLocation"]["region"] = region
        if r.identity:
            o = r.identity
            ns = f"{o['namespace']}/" if o.get("namespace") else ""
            location["logicalLocations"] = [{"fullyQualifiedName": f"{o['kind']}/{ns}{o['name']}",
                                             "kind": "object"}]
        related = []
        for n, other in enumerate(r.related, start=1):
            place: dict[str, Any] = {"artifactLocation": {
                "uri": _uri(other.file, getattr(other.source, "path", None)), "uriBaseId": "%SRCROOT%"}}
            if other.line:
                place["region"] = {"startLine": other.line, "startColumn": other.column or 1}
            related.append({"id": n, "physicalLocation": place, "message": {"text": other.message}})
        result: dict[str, Any] = {
            "ruleId": r.rule,
            "level": LEVELS[r.severity],
            "message": {"text": r.message},
            "locations": [location],
            "partialFingerprints": {"k8slint/v1": fingerprint(r)},
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
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "k8slint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(r) for r in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"summary": report.summary()},
        }],
    }


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    """The log with one result per line (as the JSON report): readable, diffable,
    and written by the C encoder (an indented dump is several times slower)."""
    from .json import dump_lines
    from .safe import json_text

    doc = document(report, cast("Registry", registry))  # the log lists the rules: a registry is needed
    [run] = doc["runs"]
    stream.write(json_text(json.dumps({k: v for k, v in doc.items() if k != "runs"}, ensure_ascii=False))[:-1])
    stream.write(',\n"runs": [')
    body = io.StringIO()
    dump_lines(run, ("results",), body)
    stream.write(body.getvalue().rstrip("\n") + "]}\n")
