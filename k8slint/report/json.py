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


def write(report, stream, registry=None, color: bool = False) -> None:
    json.dump(document(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
