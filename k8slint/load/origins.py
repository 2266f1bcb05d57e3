"""Map positions in rendered output back to the files it was rendered from.

Helm templates and kustomize resources are not what the API server sees, but
they are what a person edits. For a finding in a rendered document whose
origin file is known, the line is looked up in that file:

1. the rendered line itself, stripped of indentation (most lines of a
   template or a kustomize resource appear verbatim);
2. otherwise its key (``image:`` for ``image: nginx:1.27`` rendered from
   ``image: {{ .Values.image }}``), also inside flow mappings;
3. otherwise the ``kind:`` line of the object.

The search is confined to the document of the origin file that the object
came from, when the file holds several: the one with the object's ``kind``
and its ``metadata.name`` (exactly, or as part of the rendered name, which
kustomize's ``namePrefix``/``nameSuffix`` and Helm's release names extend).
When the same text occurs several times there, the occurrence with the same
rank within the document is chosen. This is a best effort, and says so: a
mapped finding keeps the rendered position for reference.

In a kustomize build a field is first looked up by its YAML path, in the patch
that set it or else in the resource file (:mod:`k8slint.load.patches`); the
search by text is left for positions inside a value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from . import Document, Source, decode
from ..paths import parse as parse_path
from .patches import PatchMapper
from .yamlpos import Path

if TYPE_CHECKING:
    from ..findings import Result

__all__ = ["OriginMapper", "map_results"]

_KEY = re.compile(r"\s*(?:-\s+)?([\"']?)([^\s:\"'{}\[\],#]+)\1\s*:")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


_SEPARATOR = re.compile(r"---(?:\s|$)")
_NAME = re.compile(r"""\s+name:\s*(["']?)([^"'#\s]+)\1""")


def _documents(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) 0-based line ranges of the YAML documents of a file."""
    starts = [0] + [i + 1 for i, t in enumerate(lines) if _SEPARATOR.match(t)]
    return [(a, b) for a, b in zip(starts, [s - 1 for s in starts[1:]] + [len(lines)]) if a < b]


def _metadata_name(lines: list[str]) -> str | None:
    """The ``metadata.name`` written in a document's lines (templated names as written)."""
    for i, t in enumerate(lines):
        if t.rstrip() == "metadata:":
            for child in lines[i + 1:]:
                if child.strip() and _indent(child) == 0:
                    break
                m = _NAME.match(child)
                if m:
                    return m.group(2)
    return None


class OriginMapper:
    def __init__(self) -> None:
        self._sources: dict[str, Source | None] = {}
        self._documents: dict[str, list[tuple[int, int]]] = {}

    def region(self, origin: str, lines: list[str], kind: str | None, name: str | None) -> tuple[int, int]:
        """The 0-based line range of the origin's document for an object of ``kind`` named ``name``."""
        if origin not in self._documents:
            self._documents[origin] = _documents(lines)
        documents = self._documents[origin]
        best: tuple[int, int, int] | None = None
        if kind and len(documents) > 1:
            for first, end in documents:
                part = lines[first:end]
                if not any(t.startswith("kind:") and t[5:].strip().strip("\"'") == kind for t in part):
                    continue
                written = _metadata_name(part)
                score = 3 if written == name else 2 if written and name and written in name else 1
                if best is None or score > best[0]:
                    best = (score, first, end)
        return (best[1], best[2]) if best else (0, len(lines))

    def source(self, path: str) -> Source | None:
        if path not in self._sources:
            try:
                with open(path, "rb") as fh:
                    text, _, _, _ = decode(fh.read())
            except OSError:
                text = None
            self._sources[path] = Source(os.path.relpath(path), path, text) if text is not None else None
        return self._sources[path]

    def map(self, rendered: Source, doc_start: int, line: int, column: int, origin: str,
            kind: str | None = None, name: str | None = None) -> tuple[Source, int, int] | None:
        """(origin source, line, column) for a 1-based rendered position of an object of ``kind``
        named ``name`` (both optional), or None."""
        target = self.source(origin)
        if target is None:
            return None
        all_lines = target.text.splitlines()
        first, end = self.region(origin, all_lines, kind, name)
        lines = all_lines[first:end]
        text = rendered.line(line) or ""
        before = [rendered.line(n) or "" for n in range(doc_start + 1, line)]
        stripped = text.strip()
        if stripped:
            hit = self._pick(lines, lambda t: t.strip() == stripped, sum(b.strip() == stripped for b in before))
            if hit is not None:
                return target, first + hit, max(1, column - _indent(text) + _indent(lines[hit - 1]))
        m = _KEY.match(text[column - 1:] if column - 1 < len(text) else "") or _KEY.match(text)
        if m:
            key = re.escape(m.group(2))
            pattern = re.compile(rf"(?:^|[\s{{,\-])([\"']?{key}[\"']?)\s*:")
            hit = self._pick(lines, lambda t: bool(pattern.search(t)), sum(bool(pattern.search(b)) for b in before))
            if hit is not None:
                # the line matched the pattern when it was picked
                return target, first + hit, cast("re.Match[str]", pattern.search(lines[hit - 1])).start(1) + 1
        for i, t in enumerate(lines, start=1):
            if t.startswith("kind:"):
                return target, first + i, 1
        return target, first + 1, 1

    @staticmethod
    def _pick(lines: list[str], match: Callable[[str], bool], rank: int) -> int | None:
        hits = [i for i, t in enumerate(lines, start=1) if match(t)]
        if not hits:
            return None
        return hits[min(rank, len(hits) - 1)]


def _kind_and_name(data: object) -> tuple[str | None, str | None]:
    if not isinstance(data, dict):
        return None, None
    kind = data.get("kind")
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return (kind if isinstance(kind, str) else None), (name if isinstance(name, str) else None)


def _origin(r: Result, yaml_path: str, line: int, column: int | None, exact: bool, text: OriginMapper,
            patches: PatchMapper) -> tuple[tuple[Source, int, int] | None, str | None]:
    """Where a position in a result's rendered document (the finding's own or a related location's,
    at ``yaml_path``) came from: in a kustomize build, the patch that set the field (for an
    ``exact`` position), else its line in the resource file; else the line found by text in the
    template or resource. Also a note for the message when a patch set, or may have set, the value
    without a line to show for it."""
    doc = cast(Document, r.document)
    origin = cast(str, doc.origin)
    column = column or 1
    base: Path = r.obj.base if r.obj is not None else ()
    # a kustomize build: the resource file is plain YAML, where a field is found by its path
    path = parse_path(yaml_path) if doc.transformations is not None else None
    patched = patches.patched(doc, base, path, origin) if path and exact else None
    if isinstance(patched, tuple):
        return patched, None
    mapped = patches.in_resource(doc, base, path, line, column, origin) if path is not None else None
    if mapped is None:
        mapped = text.map(doc.source, doc.start_line, line, column, origin, *_kind_and_name(doc.data))
    return mapped, patched


def map_results(results: list[Result]) -> None:
    """Move findings in rendered output (Helm, kustomize) to the files they came from: the patch
    that set the field, else the template or resource."""
    mappers: tuple[OriginMapper, PatchMapper] | None = None
    for r in results:
        doc = r.document
        if doc is None or not doc.origin or not r.line:
            continue
        if mappers is None:
            text = OriginMapper()
            mappers = text, PatchMapper(text.source)  # one read of each file for both
        mapped, note = _origin(r, r.path, r.line, r.column, r.exact, *mappers)
        if mapped is not None:
            # a result located in a document has a column (Result.column is None only for results without one)
            r.rendered = (r.file, r.line, cast(int, r.column))
            target, r.line, r.column = mapped
            r.file, r.source = target.display, target
        if note is not None:
            r.message = f"{r.message} ({note})"
        for related in r.related:
            if related.line:
                at, _ = _origin(r, related.path, related.line, related.column, True, *mappers)
                if at is not None:
                    related.source, related.line, related.column = at
                    related.file = at[0].display
