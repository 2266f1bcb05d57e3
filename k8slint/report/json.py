"""``--format json``: the finding contract, described by schemas/output.schema.json."""

from __future__ import annotations

import json

from .. import __version__


def document(report) -> dict:
    return {
        "tool": {"name": "k8slint", "version": __version__},
        "findings": [r.to_json() for r in report.results],
        "summary": report.summary(),
    }


def dump_lines(doc: dict, key: str, stream) -> None:
    """Write ``doc`` as JSON with one element of ``doc[key]`` per line: easy to
    read and to diff, and fast (each line goes through the C encoder)."""
    items = doc[key]
    head = {k: v for k, v in doc.items() if k != key}
    stream.write(json.dumps(head, ensure_ascii=False)[:-1] + (", " if head else "") + f'"{key}": [')
    for i, item in enumerate(items):
        stream.write(("\n  " if i == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
    stream.write("\n]}\n" if items else "]}\n")


def write(report, stream, registry=None, color: bool = False) -> None:
    dump_lines(document(report), "findings", stream)
