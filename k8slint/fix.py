"""Automatic fixes: rules offer edits, this module applies them to the files.

A rule attaches a :class:`Fix` to a finding: one or more :class:`Edit` (set
the value at a YAML path inside the object, adding the key when it is
missing) and a safety, ``safe`` (the manifest means the same to everyone
except for the problem fixed) or ``unsafe`` (it may change behaviour: review
it). ``--fix`` applies the safe ones, ``--unsafe-fixes`` the others too.

Edits are applied to the text, at the positions libyaml reports for the
nodes they touch, and every other byte of the file stays as it was: comments,
key order, quoting, flow or block style, indentation. (Loading a whole file
into ruamel.yaml and dumping it again would normalise much of that: on the
real-world manifests this project tests with, a round trip without any edit
changes two files out of three.) The new values are written by ruamel.yaml's
emitter, quoted wherever Kubernetes' YAML reader would otherwise read them as
something else.

A file is rewritten only when it parsed without problems, every edit found
its place, and the new text parses again to the intended values; it is
written to a temporary file beside it, synced and renamed, so a reader never
sees a half-written manifest. A file that changed since it was read, one
with several hard links, or one whose mode makes it read-only is left alone
(see :func:`write`); a symbolic link's target is fixed, and the link kept. Rendered output (Helm, kustomize), standard input and
files that were not linted are never edited.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .load import content_digest
from .load.scalars import resolve_plain

if TYPE_CHECKING:
    from yaml.error import Mark

    from .engine import Result
    from .load import Document, FileStamp
    from .model import K8sObject
    from .pipeline import Report

SAFE, UNSAFE = "safe", "unsafe"

#: an edit located in a stream: (document index, path inside the document, value)
DocEdit = tuple[int, tuple[str | int, ...], object]
#: a planned change of the text: (start, end, replacement, depth), see plan_edit
Span = tuple[int, int, str, int]


@dataclass(frozen=True)
class Edit:
    """Set the value at ``path`` (inside the object); the key is added when missing."""

    path: tuple[str | int, ...]
    value: object


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    description: str
    safety: str = SAFE

    @staticmethod
    def set(path: Iterable[str | int], value: object, description: str, safety: str = SAFE) -> Fix:
        return Fix((Edit(tuple(path), value),), description, safety)


@dataclass
class FileFix:
    path: str
    display: str
    original: str
    fixed: str | None = None
    applied: list[Result] = field(default_factory=list)  # results whose fix went in
    skipped: list[tuple[Result, str]] = field(default_factory=list)  # (result, reason)
    stamp: FileStamp | None = None  # the file as it was read: size, mtime, SHA-256

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.fixed != self.original

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.original.splitlines(True), (self.fixed or "").splitlines(True),
                                            f"a/{self.display}", f"b/{self.display}"))


class FixError(Exception):
    pass


# value text ---------------------------------------------------------------------------

def scalar_text(value: object) -> str:
    """YAML for a scalar, as ruamel.yaml writes it, quoted wherever Kubernetes'
    YAML 1.1 reader would take the plain text for something else."""
    if isinstance(value, str) and (value == "" or resolve_plain(value) != value):
        return json.dumps(value)  # a double-quoted YAML scalar
    from ruamel.yaml import YAML

    out = io.StringIO()
    writer = YAML(typ="rt")
    writer.width = 4096
    writer.dump(value, out)
    text = out.getvalue()
    for end in ("\n...\n", "\n"):
        if text.endswith(end):
            text = text[: -len(end)]
    if "\n" in text:
        raise FixError(f"cannot write {value!r} on one line")
    return text


# positions ----------------------------------------------------------------------------

def _key_matches(node: yaml.Node, key: str | int) -> bool:
    return isinstance(node, ScalarNode) and node.value == key


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(part, int):
        if isinstance(node, SequenceNode) and 0 <= part < len(node.value):
            return cast(yaml.Node, node.value[part])  # the stubs leave Node.value untyped
        return None
    if isinstance(node, MappingNode):
        for knode, vnode in node.value:
            if _key_matches(knode, part):
                return cast(yaml.Node, vnode)
    return None


def _next_line(text: str, index: int) -> int:
    """The offset of the line after the one holding ``index``."""
    newline = text.find("\n", index)
    return len(text) if newline == -1 else newline + 1


def _deep_end(node: yaml.Node) -> Mark:
    """Where the text of ``node`` really ends.

    libyaml ends a block collection where the next token starts, which may be
    the parent's next key several lines on; the last scalar inside it (or a
    flow collection's closing bracket) ends where its text does."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node.end_mark


def plan_edit(text: str, root: yaml.Node, path: tuple[str | int, ...], value: object) -> Span:
    """(start, end, replacement, depth) that sets ``path`` to ``value`` in the document ``root``.

    ``depth`` orders insertions at the same offset: a key for a deeper mapping
    (which ends at the same line) goes first."""
    node: yaml.Node | None
    node = root
    for part in path[:-1]:
        node = _child(node, part)
        if node is None:
            raise FixError(f"{'.'.join(map(str, path[:-1]))} is not in the file")
    key = path[-1]
    current = _child(node, key)
    rendered = scalar_text(value)
    if current is not None:
        if not isinstance(current, ScalarNode):
            raise FixError(f"{key} holds a {'mapping' if isinstance(current, MappingNode) else 'list'}")
        start, end = current.start_mark.index, current.end_mark.index
        if start == end:  # an empty value (`key:` and nothing): give it one
            return start, end, " " + rendered, 0
        return start, end, rendered, 0
    if not isinstance(node, MappingNode) or not isinstance(key, str):
        raise FixError("the place for the new key is not a mapping")
    entry = f"{scalar_text(key) if resolve_plain(key) != key else key}: {rendered}"
    if node.flow_style:
        close = node.end_mark.index - 1
        if text[close] != "}":
            raise FixError("unexpected end of a flow mapping")
        separator = ", " if node.value else ""
        return close, close, separator + entry, 0
    if not node.value:
        raise FixError("an empty block mapping")
    indent = node.value[0][0].start_mark.column
    end = _deep_end(node.value[-1][1])
    at = end.index if end.column == 0 else _next_line(text, end.index)
    prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
    return at, at, f"{prefix}{' ' * indent}{entry}\n", indent


def _splice(text: str, spans: list[Span]) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    spans = sorted(spans, key=lambda s: (s[0], s[1], -s[3]))
    for (_, a_end, _, _), (b_start, _, _, _) in zip(spans, spans[1:]):
        if b_start < a_end:
            raise FixError("two fixes touch the same text")
    for start, end, replacement, _ in reversed(spans):
        text = text[:start] + replacement.replace("\n", newline) + text[end:]
    return text


def _compose(text: str) -> list[yaml.Node]:
    return list(yaml.compose_all(text, Loader=yaml.CBaseLoader))


def _plan_all(text: str, roots: list[yaml.Node], edits: Iterable[DocEdit]) -> list[Span]:
    spans = []
    for doc_index, path, value in edits:
        if doc_index >= len(roots):
            raise FixError("the document is not in the file")
        spans.append(plan_edit(text, roots[doc_index], path, value))
    return spans


def apply_edits(text: str, edits: list[DocEdit]) -> str:
    """Apply (document index, path, value) edits to a YAML stream's text."""
    return _splice(text, _plan_all(text, _compose(text), edits))


# planning over a report -------------------------------------------------------------

def fixable(result: Result, unsafe: bool) -> bool:
    fix = getattr(result, "fix", None)
    return fix is not None and (unsafe or fix.safety == SAFE)


def plan(report: Report, unsafe: bool = False) -> list[FileFix]:
    """Group the report's fixes by file, apply them in memory, and check the result."""
    by_file: dict[str, FileFix] = {}
    for r in report.results:
        if not fixable(r, unsafe):
            continue
        doc = r.document
        source = doc.source if doc is not None else None
        if source is None or source.path is None or source.rendered_by or cast("Document", doc).origin:
            continue  # standard input, rendered output: nothing to edit
        entry = by_file.setdefault(source.path, FileFix(source.path, source.display, source.text,
                                                        stamp=source.stamp))
        entry.applied.append(r)
    problems = {p.source.path for p in report.load.problems} if report.load else set()
    out = []
    for path, entry in by_file.items():
        out.append(entry)
        if path in problems:
            entry.skipped = [(r, "the file has parse problems") for r in entry.applied]
            entry.applied = []
            continue
        _fix_file(entry)
    return out


def _edits_of(result: Result) -> list[DocEdit]:
    from .model import object_path

    # a result with a fix is about an object: it has its document and its object
    document, obj, fix = cast("Document", result.document), cast("K8sObject", result.obj), cast(Fix, result.fix)
    return [(document.index, object_path(obj, e.path), e.value) for e in fix.edits]


def _fix_file(entry: FileFix) -> None:
    """Plan every result's edits on its own (a result whose edit has no place
    is skipped with its own reason), then apply the rest together and check
    that the text still parses to the intended values."""
    from .load.yamlpos import parse_stream

    try:
        roots = _compose(entry.original)
    except yaml.YAMLError as err:
        entry.skipped = [(r, f"the file does not parse: {err}") for r in entry.applied]
        entry.applied = []
        return
    seen: set[tuple[int, tuple[str | int, ...]]]  # (document index, path) of the edits planned
    spans, edits, seen, applied = [], [], set(), []
    for r in entry.applied:
        mine = [e for e in _edits_of(r) if e[:2] not in seen]
        try:
            planned = _plan_all(entry.original, roots, mine)
        except FixError as err:
            entry.skipped.append((r, str(err)))
            continue
        seen.update(e[:2] for e in mine)
        spans += planned
        edits += mine
        applied.append(r)
    entry.applied = applied
    if not applied:
        return
    try:
        fixed = _splice(entry.original, spans)
        docs, problems_after = parse_stream(fixed)
        if problems_after:
            raise FixError(f"the fixed text does not parse: {problems_after[0].message}")
        by_index = {d.index: d.data for d in docs}
        for doc_index, doc_path, value in edits:
            data: Any = by_index.get(doc_index)
            for part in doc_path:
                data = data[part]
            if data != value or type(data) is not type(value):
                raise FixError(f"{'.'.join(map(str, doc_path))} reads back as {data!r}, not {value!r}")
    except (FixError, KeyError, IndexError, TypeError) as err:
        entry.skipped += [(r, str(err)) for r in entry.applied]
        entry.applied = []
    else:
        entry.fixed = fixed


class NotWritten(Exception):
    """A fixed file that was left as it is: the message says why."""


def write(entry: FileFix) -> None:
    """Replace the file with its fixed text, atomically, or raise :class:`NotWritten`.

    - The new text goes to a temporary file beside the file, is flushed to
      disk (``fsync``), and renamed over it; the folder is synced too, so a
      crash leaves the old file or the new one, never a mix.
    - A symbolic link is followed: its target is replaced (beside the
      target) and the link stays a link. A file with several hard links is
      not rewritten: a rename would split them.
    - ``entry.stamp`` is what was read (size, mtime, SHA-256): a file that changed
      since (an editor saved it, another tool rewrote it) is left alone, so
      no concurrent edit is lost. It is checked again just before the rename.
    - A file whose mode allows no one to write it is not rewritten. The mode
      is kept, and the owner and group where the process may set them.
    - Any I/O error leaves the file as it was and becomes the reason.
    """
    target = os.path.realpath(entry.path)
    stamp = entry.stamp
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise NotWritten("not a regular file")
        if info.st_nlink > 1:
            raise NotWritten(f"it has {info.st_nlink} hard links, which replacing it would split; "
                             "apply the fix by hand (see --diff)")
        if not info.st_mode & 0o222:
            raise NotWritten(f"its mode {stat.filemode(info.st_mode)} makes it read-only")
        if stamp is not None:
            _unchanged(target, info, stamp)
        with open(target, "rb") as fh:
            bom = fh.read(3) == b"\xef\xbb\xbf"  # the loader dropped it from the text: put it back
        data = cast(str, entry.fixed).encode("utf-8-sig" if bom else "utf-8")  # only a fixed entry is written
        folder = os.path.dirname(target)
        import tempfile  # here: a run without --fix never needs it

        fd, temp = tempfile.mkstemp(prefix=".k8slint-", suffix=".tmp", dir=folder)
    except NotWritten:
        raise
    except OSError as err:
        raise NotWritten(_os_reason(err)) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temp, info.st_mode & 0o7777)
            if hasattr(os, "chown"):
                try:
                    os.chown(temp, info.st_uid, info.st_gid)
                except OSError:
                    pass  # only root (or the owner, for a group it belongs to) may: keep what we can
            if stamp is not None:
                _unchanged(target, os.stat(target), stamp)  # once more, just before the rename
            os.replace(temp, target)
        except OSError as err:
            raise NotWritten(_os_reason(err)) from None
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _unchanged(path: str, info: os.stat_result, stamp: FileStamp) -> None:
    size, mtime_ns, digest = stamp
    if info.st_size != size or info.st_mtime_ns != mtime_ns:
        raise NotWritten("it changed since k8slint read it; run again to fix the new content")
    with open(path, "rb") as fh:
        if content_digest(fh.read(size + 1)) != digest:
            raise NotWritten("it changed since k8slint read it; run again to fix the new content")


def _os_reason(err: OSError) -> str:
    where = f" ({err.filename})" if err.filename else ""
    return f"{err.strerror or err}{where}"


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (where the platform can sync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
