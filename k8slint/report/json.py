"""``--format json``: the finding contract, described by schemas/output.schema.json."""

from __future__ import annotations

import json

from .. import __version__


def document(report) -> dict:
    return {
        "tool": {"name": "k8slint", "version": __version__},
        "findings": [r.to_json() for r in report.results],
        "suppressed": [dict(r.to_json(), suppression=r.suppression) for r in report.suppressed],
        "summary": report.summary(),
    }


def dump_lines(doc: dict, list_keys, stream) -> None:
    """Write ``doc`` as JSON with one element of each ``doc[key]`` list per line:
    easy to read and to diff, and fast (each line goes through the C encoder)."""
    head = {k: v for k, v in doc.items() if k not in list_keys}
    stream.write(json.dumps(head, ensure_ascii=False)[:-1])
    separator = "," if head else ""
    for key in list_keys:
        items = doc[key]
        stream.write(f'{separator}\n"{key}": [')
        separator = ","
        for i, item in enumerate(items):
            stream.write(("\n  " if i == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
        stream.write("\n]" if items else "]")
    stream.write("}\n")


def write(report, stream, registry=None, color: bool = False) -> None:
    dump_lines(document(report), ("findings", "suppressed"), stream)
