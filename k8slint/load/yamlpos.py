"""YAML streams to plain Python values plus a table of source positions.

libyaml (PyYAML's ``CBaseLoader``) composes each document into a node tree;
a small walker turns the tree into dicts, lists and scalars resolved the way
Kubernetes resolves them (see :mod:`k8slint.load.scalars`) and records, for
every mapping entry and sequence item, where its key and its value start.

Positions are 0-based ``(key_line, key_column, value_line, value_column)``
tuples keyed by the YAML path (a tuple of keys and indices); for a sequence
item the "key" is the item itself.

Safety: libyaml caps nesting at 1,000 levels with a positioned error, aliases
are expanded within a budget relative to the document's own size, recursive
aliases and non-scalar keys are errors, and a syntax error in one document
does not lose the documents after the next ``---``.
"""

from __future__ import annotations

import bisect
import marshal
import operator
import re
import sys
from sys import intern
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .scalars import MAYBE_TYPED, STR_TAG, key_string, resolve_plain, resolve_tagged

Position = tuple[int, int, int, int]  # (key_line, key_col, value_line, value_col), 0-based

#: an alias may expand to this many entries beyond ten times the entries the
#: document really holds; a "billion laughs" bomb runs out of it at once
ALIAS_SLACK = 10_000
ALIAS_FACTOR = 10

_DOC_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.M)
#: the tag our resolver gives plain (unquoted, untagged) scalars, which the
#: walker then resolves the Kubernetes way; quoted scalars and explicit
#: ``!!str`` keep the string tag
PLAIN = "!k8slint/plain"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _KubernetesResolver:
    def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str:
        # implicit: (plain, quoted) flags for a scalar, a single flag for a collection
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    # libyaml's composer calls these around every node for path resolvers,
    # which we do not use: builtins that take the same arguments cost less
    descend_resolver = operator.is_  # (parent, index)
    ascend_resolver = tuple  # ()


if getattr(yaml, "__with_libyaml__", False):
    class _Loader(_KubernetesResolver, yaml.CBaseLoader):  # type: ignore[misc]  # builtin resolver hooks (above)
        pass

    _LIBYAML_CAPS_NESTING = tuple(yaml._yaml.get_version()) >= (0, 2, 6)
else:  # pragma: no cover - PyYAML built without libyaml: slower, same results
    class _Loader(_KubernetesResolver, yaml.BaseLoader):  # type: ignore[misc,no-redef]  # the same, on PyYAML's parser
        pass

    _LIBYAML_CAPS_NESTING = False
_MAX_DEPTH = 1000


@dataclass
class YamlProblem:
    """A document that could not be read; positions are 0-based."""

    code: str  # "invalid-yaml" | "duplicate-key"
    message: str
    line: int
    column: int
    doc_index: int | None = None
    path: tuple[str | int, ...] = ()


Path = tuple[Union[str, int], ...]


class PackedPositions(Mapping[Path, Position]):
    """A document's position table, kept as the marshal bytes it came in until something asks
    where a field is: a parse cache entry and a child's part of a split parse carry one per
    document, and most documents of a large run are never asked, so their tables (the larger
    half of a parse) are never built."""

    __slots__ = ("_blob", "_table")

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._table: dict[Path, Position] | None = None

    @classmethod
    def of(cls, table: Mapping[Path, Position]) -> PackedPositions:
        if isinstance(table, PackedPositions):
            return table
        return cls(marshal.dumps(table if type(table) is dict else dict(table)))

    @property
    def blob(self) -> bytes:
        return self._blob if self._blob is not None else marshal.dumps(self._table)

    def _load(self) -> dict[Path, Position]:
        if self._table is None:
            table = marshal.loads(cast(bytes, self._blob))
            if type(table) is not dict:
                raise ValueError("a position table is not a table")
            self._table, self._blob = table, None  # the bytes are not needed any more
        return self._table

    def __getitem__(self, key: Path) -> Position:
        return self._load()[key]

    def get(self, key: Path, default: Any = None) -> Any:
        return self._load().get(key, default)

    def __iter__(self) -> Iterator[Path]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load())  # as the table itself


@dataclass
class ParsedDocument:
    index: int
    data: object
    positions: Mapping[Path, Position]
    start_line: int
    end_line: int
    duplicates: list[YamlProblem] = field(default_factory=list)  # YamlProblem(code="duplicate-key")


class _WalkError(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.mark = node.start_mark


def walk_document(root: Node, aliases: bool = True) -> ParsedDocument:
    """Turn one composed document into values and positions (raises _WalkError).

    ``aliases=False`` (the stream has no ``&`` anywhere, so no node can be
    reached twice) skips the bookkeeping that guards alias expansion.
    """
    positions: dict[tuple[str | int, ...], Position] = {}
    duplicates: list[YamlProblem] = []
    active: set[int] = set()
    seen: set[int] = set()
    counts = [0, 0]  # entries walked once, entries walked again through aliases

    def value(node: Node, path: tuple[str | int, ...]) -> object:
        cls = node.__class__
        if cls is ScalarNode:
            tag = node.tag
            if tag == PLAIN:
                text = node.value
                return resolve_plain(text) if not text or text[0] in MAYBE_TYPED else text
            if tag == STR_TAG:
                return node.value
            return resolve_tagged(tag, node.value)
        if not aliases:
            return mapping(node, path) if cls is MappingNode else sequence(node, path)
        nid = id(node)
        if nid in active:
            raise _WalkError("recursive alias: a node contains an alias to itself", node)
        if nid in seen:
            counts[1] += len(node.value)
            if counts[1] > ALIAS_FACTOR * counts[0] + ALIAS_SLACK:
                raise _WalkError(
                    f"aliases expand to more than {ALIAS_FACTOR}x the document's own size "
                    "(an alias bomb?); refusing to expand them", node)
        else:
            seen.add(nid)
            counts[0] += len(node.value)
        active.add(nid)
        try:
            return mapping(node, path) if cls is MappingNode else sequence(node, path)
        finally:
            active.discard(nid)

    def sequence(node: Node, path: tuple[str | int, ...]) -> list[object]:
        out: list[object] = []
        append = out.append
        for i, item in enumerate(node.value):
            p = path + (i,)
            m = item.start_mark
            positions[p] = (m.line, m.column, m.line, m.column)
            append(value(item, p))
        return out

    def mapping(node: Node, path: tuple[str | int, ...]) -> dict[str, object]:
        out: dict[str, object] = {}
        merged: set[str] | None = None  # keys that came from a merge (<<) and were not set explicitly since
        for knode, vnode in node.value:
            if knode.__class__ is not ScalarNode:
                raise _WalkError("a mapping key must be a plain value, not a "
                                 + ("mapping" if knode.__class__ is MappingNode else "list"), knode)
            key = knode.value
            tag = knode.tag
            if tag == PLAIN:
                if not key or key[0] in MAYBE_TYPED:
                    resolved = resolve_plain(key)
                    if resolved.__class__ is not str:
                        key = key_string(resolved)
                elif key == "<<":
                    merged = merge(vnode, path, out, merged)
                    continue
            elif tag != STR_TAG:
                key = key_string(resolve_tagged(tag, key))
            key = intern(key)  # one string per key name: a large run holds a million keys, mostly the same few
            p = path + (key,)
            km = knode.start_mark
            if key in out:
                if merged is not None and key in merged:
                    merged.discard(key)
                else:
                    first = positions[p][0]
                    duplicates.append(YamlProblem(
                        "duplicate-key",
                        f"duplicate key {key!r} (first at line {first + 1}); the API server rejects it under "
                        "strict field validation and otherwise keeps only the last value",
                        km.line, km.column, path=p))
            vm = vnode.start_mark
            positions[p] = (km.line, km.column, vm.line, vm.column)
            out[key] = value(vnode, p)
        return out

    def merge(vnode: Node, path: tuple[str | int, ...], out: dict[str, object],
              merged: set[str] | None) -> set[str]:
        # go-yaml v2: a merge key copies the entries of a mapping, or of a list
        # of mappings (earlier ones win), into the mapping being built
        value_ = value(vnode, path)
        sources = value_ if isinstance(value_, list) else [value_]
        merged = merged if merged is not None else set()
        for src in reversed(sources):
            if not isinstance(src, dict):
                raise _WalkError("a merge key (<<) needs a mapping or a list of mappings", vnode)
            out.update(src)
            merged.update(src)
        return merged

    data = value(root, ())
    return ParsedDocument(0, data, positions, root.start_mark.line, root.end_mark.line, duplicates)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _too_deep_without_libyaml_cap(text: str) -> int | None:
    """Where flow nesting passes the limit, for a libyaml without its own cap."""
    if text.count("[") + text.count("{") < _MAX_DEPTH:
        return None
    depth = 0
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return i
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch in "\"'" and depth:
            quote = ch
        elif ch == "\n" and not depth:
            quote = None
    return None


def _problem_from_error(err: Exception, text: str, line_offset: int) -> YamlProblem:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        parts = [p for p in (err.problem, err.context) if p]
        message = "; ".join(parts) if parts else str(err)
        if err.problem and err.context:
            context = err.context
            cmark = err.context_mark
            if cmark is not None and mark is not None and cmark.line != mark.line:
                context += f" that starts at line {cmark.line + line_offset + 1}"
            message = f"{err.problem} ({context})"
        line, col = (mark.line, mark.column) if mark else (0, 0)
    elif isinstance(err, yaml.reader.ReaderError):
        starts = _line_starts(text)
        line = bisect.bisect_right(starts, err.position) - 1
        col = err.position - starts[line]
        message = f"unacceptable character {err.character!r}: {err.reason}"
    else:
        line, col, message = 0, 0, str(err)
    return YamlProblem("invalid-yaml", message, line + line_offset, col)


def parse_stream(text: str) -> tuple[list[ParsedDocument], list[YamlProblem]]:
    """Parse every document of a YAML (or JSON) stream.

    After a syntax error, parsing resumes at the next line that starts a new
    document (``---``), so one broken document does not hide the others.
    """
    documents: list[ParsedDocument] = []
    problems: list[YamlProblem] = []
    offset_line = 0
    rest = text
    index = 0
    while True:
        error_line = None
        if not _LIBYAML_CAPS_NESTING:
            where = _too_deep_without_libyaml_cap(rest)
            if where is not None:
                starts = _line_starts(rest)
                line = bisect.bisect_right(starts, where) - 1
                problems.append(YamlProblem("invalid-yaml", "exceeded maximum nesting depth",
                                            line + offset_line, where - starts[line], index))
                return documents, problems
        loader = _Loader(rest)
        aliases = "&" in rest
        try:
            while loader.check_node():
                root = cast(Node, loader.get_node())  # check_node() said there is one
                try:
                    doc = _walk_bounded(root, aliases)
                except _WalkError as err:
                    problems.append(YamlProblem("invalid-yaml", err.message,
                                                err.mark.line + offset_line, err.mark.column, index))
                    index += 1
                    continue
                doc.index = index
                index += 1
                if offset_line:
                    _shift(doc, offset_line)
                documents.append(doc)
        except (yaml.YAMLError, RecursionError) as err:
            if isinstance(err, RecursionError):
                problem = YamlProblem("invalid-yaml", "exceeded maximum nesting depth", offset_line, 0)
            else:
                problem = _problem_from_error(err, rest, offset_line)
            problem.doc_index = index
            problems.append(problem)
            index += 1
            error_line = problem.line - offset_line
        finally:
            loader.dispose()
        if error_line is None:
            return documents, problems
        # resume after the broken document, at the next "---" line
        # (libyaml often reports the error at the "---" that ends the broken
        # document, so the search starts on the error's own line)
        starts = _line_starts(rest)
        from_char = starts[error_line] if error_line < len(starts) else len(rest)
        m = _DOC_START.search(rest, max(from_char, 1))
        if m is None:
            return documents, problems
        skipped_lines = rest.count("\n", 0, m.start())
        offset_line += skipped_lines
        rest = rest[m.start():]


def _walk_bounded(root: Node, aliases: bool) -> ParsedDocument:
    limit = sys.getrecursionlimit()
    if limit < 4 * _MAX_DEPTH:
        sys.setrecursionlimit(4 * _MAX_DEPTH)
    try:
        return walk_document(root, aliases)
    except RecursionError:
        raise _WalkError("exceeded maximum nesting depth", root) from None
    finally:
        sys.setrecursionlimit(limit)


def _shift(doc: ParsedDocument, lines: int) -> None:
    doc.positions = {p: (a + lines, b, c + lines, d) for p, (a, b, c, d) in doc.positions.items()}
    doc.start_line += lines
    doc.end_line += lines
    for dup in doc.duplicates:
        dup.line += lines
