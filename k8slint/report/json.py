"""``--format json``: the finding contract, described by schemas/output.schema.json.

Strings are exact (no visible escaping), and no control character is written
raw: ``json.dumps`` escapes C0 controls, :func:`k8slint.report.safe.json_text`
the DEL, C1 and other characters it leaves (``\\u009b``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .. import __version__
from .safe import json_text

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report


def document(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": "k8slint", "version": __version__},
        "findings": [r.to_json() for r in report.results],
        "suppressed": [dict(r.to_json(), suppression=r.suppression) for r in report.suppressed],
        "summary": report.summary(),
    }


def dump_lines(doc: dict[str, Any], list_keys: Sequence[str], stream: TextIO) -> None:
    """Write ``doc`` as JSON with one element of each ``doc[key]`` list per line:
    easy to read and to diff, and fast (each line goes through the C encoder)."""
    head = {k: v for k, v in doc.items() if k not in list_keys}
    stream.write(json_text(json.dumps(head, ensure_ascii=False))[:-1])
    separator = "," if head else ""
    for key in list_keys:
        items = doc[key]
        stream.write(f'{separator}\n"{key}": [')
        separator = ","
        for i, item in enumerate(items):
            stream.write(("\n  " if i == 0 else ",\n  ") + json_text(json.dumps(item, ensure_ascii=False)))
        stream.write("\n]" if items else "]")
    stream.write("}\n")


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    dump_lines(document(report), ("findings", "suppressed"), stream)
