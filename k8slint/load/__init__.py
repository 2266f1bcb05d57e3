"""Sources to documents: find files, read them safely, parse with positions.

A later stage never re-reads a file: each :class:`Document` carries its
source text, values, the position table and its Helm template provenance.
"""

from __future__ import annotations

import bisect
import gc
import json
import os
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Union, cast

from .discover import Discovery, discover, real_path
from .yamlpos import ParsedDocument, YamlProblem, parse_stream

if TYPE_CHECKING:
    from .cache import ParseCache
    from .render import RenderOptions, Transformation

#: larger files are reported, not parsed
MAX_FILE_BYTES = 64 * 1024 * 1024

#: (size, mtime in nanoseconds, :func:`content_digest` of the content)
FileStamp = tuple[int, int, str]

try:  # the function hashlib exposes, without hashlib's OpenSSL import (a tenth of a small run's start-up)
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:  # pragma: no cover - a Python built without its own SHA-2
        from hashlib import sha256 as _sha256  # type: ignore[assignment,unused-ignore]


def content_digest(data: bytes) -> str:
    """The digest a :data:`FileStamp` holds (SHA-256, hex): taken when a file is read, and again
    by --fix before it replaces the file."""
    digest: str = _sha256(data).hexdigest()
    return digest

_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


class NotReadable(Exception):
    """A path that is not a regular file, or too large: the message says why."""


def read_regular(path: str, limit: int | None = None) -> tuple[bytes, FileStamp]:
    """The bytes of a regular file and its stamp, reading at most ``limit`` + 1 bytes.

    The file is opened without blocking (a FIFO would otherwise wait for a
    writer forever) and checked on the open descriptor, so a path swapped for
    a device or FIFO after a check is still caught; a file that grows past
    the limit while it is read is refused rather than read to its end (a link
    to ``/dev/zero`` reports a size of 0 and never ends). ``OSError`` for a
    file that cannot be opened or read.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((name for test, name in _SPECIAL if test(info.st_mode)), "not a regular file")
            raise NotReadable(f"{what}, not a regular file: not read")
        if info.st_size > limit:
            raise NotReadable(f"file is larger than {limit:,} bytes; not parsed")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise NotReadable(f"file is larger than {limit:,} bytes; not parsed")
        data = b"".join(chunks)
        return data, (len(data), info.st_mtime_ns, content_digest(data))
    finally:
        os.close(fd)

_HELM_SOURCE = re.compile(r"^# Source: (\S.*?)\s*$", re.M)
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(eq=False)
class Source:
    display: str  # the path as the user gave it (or "<stdin>")
    path: str | None  # filesystem path; None for stdin and rendered output
    text: str = ""
    _lines: list[str] | None = field(default=None, repr=False)
    rendered_by: str | None = None  # "helm template" / "kustomize build" for rendered output
    _real: str | None = field(default=None, repr=False)
    #: what was read: (size, mtime in ns, digest of the bytes); --fix rewrites only a file that still matches
    stamp: FileStamp | None = field(default=None, repr=False)

    def realpath(self) -> str | None:
        """The file's real path (symbolic links resolved), computed once; None for stdin and renders."""
        if self._real is None and self.path is not None:
            self._real = real_path(self.path)
        return self._real

    def line(self, number: int) -> str | None:
        """Source line ``number`` (1-based), without its line break."""
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self.text)
        if 1 <= number <= len(self._lines):
            return self._lines[number - 1]
        return None


@dataclass(eq=False)
class Document:
    source: Source
    index: int  # position of the document in its stream, from 0
    data: object
    # YAML path -> (key_line, key_col, value_line, value_col), 0-based (a PackedPositions, mostly)
    positions: Mapping[tuple[str | int, ...], tuple[int, int, int, int]]
    start_line: int  # 0-based
    template: str | None = None  # Helm "# Source:" template path
    origin: str | None = None  # for rendered output: the file the document was rendered from
    #: for a kustomize build, the transformers kustomize ran over the object, in order
    #: (:mod:`k8slint.load.patches`); else None. The loader sets it; until then the class default
    #: serves, so other documents carry no extra attribute
    transformations: list[Transformation] | None = field(default=None, init=False, repr=False)


@dataclass
class Problem:
    """A file or document that could not be read as intended."""

    code: str
    message: str
    source: Source
    line: int  # 0-based
    column: int
    document: Document | None = None
    path: tuple[str | int, ...] = ()
    #: the object a problem is about when its document is not one (a document without its
    #: apiVersion): apiVersion, kind, namespace, namespaceExplicit and name, as findings name objects
    identity: dict[str, Any] | None = None


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    missing: list[str] = field(default_factory=list)  # paths that do not exist or cannot be read
    skipped_templates: int = 0
    skipped_patches: int = 0
    #: parts of files that do not parse and do not look like manifests (see :func:`looks_like_manifest`)
    skipped_unparsable: int = 0
    # (kind, folder, hint): no renderer on this machine
    unrendered: list[tuple[str, str, str]] = field(default_factory=list)


def locate(document: Document, path: tuple[str | int, ...]) -> tuple[int, int, bool]:
    """1-based (line, column, exact) for a path inside a document.

    An existing field anchors at its key (a list item at the item): exact.
    A missing one anchors at the start of the nearest mapping that exists on
    its way (the mapping that should hold it): not exact.
    """
    positions = document.positions
    pos = positions.get(path)
    if pos is not None:
        return pos[0] + 1, pos[1] + 1, True
    p = path
    while p:
        p = p[:-1]
        pos = positions.get(p)
        if pos is not None:
            return pos[2] + 1, pos[3] + 1, False
    return document.start_line + 1, 1, not path


def locate_in_scalar(document: Document, path: tuple[str | int, ...], line: int, column: int) -> tuple[int, int, bool]:
    """1-based (line, column, exact) of a place inside the string value at ``path``:
    ``line`` and ``column`` (0-based) count within the value's text (a Corefile, an
    embedded configuration). A block scalar (``|``, ``>``) holds one line of the value per
    source line, indented; a scalar on one line holds the first line only. Anywhere else,
    the finding anchors at the field (not exact).
    """
    pos = document.positions.get(path)
    if pos is None:
        return locate(document, path)
    value_line, value_col = pos[2], pos[3]  # 0-based
    first = document.source.line(value_line + 1) or ""
    head = first[value_col:]
    if head[:1] in ("|", ">"):
        number = value_line + 2  # the first source line of the content, 1-based
        while (text := document.source.line(number)) is not None and not text.strip():
            number += 1
        if text is None:
            return locate(document, path)
        indent = len(text) - len(text.lstrip(" "))
        target = document.source.line(value_line + 2 + line)
        if head[:1] == ">" or target is None:  # folded lines do not map one to one
            return value_line + 1, value_col + 1, False
        return value_line + 2 + line, indent + column + 1, True
    if line == 0:
        quote = 1 if head[:1] in ("'", '"') else 0
        return value_line + 1, value_col + quote + column + 1, not quote or "\\" not in head
    return value_line + 1, value_col + 1, False


def _hint(message: str, text: str) -> str:
    if "{{" in text:
        return message + "; this looks like an unrendered Helm template: lint the output of `helm template` instead"
    if "'\\t'" in message:
        return message + "; YAML does not allow tabs for indentation"
    return message


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


#: a key ``apiVersion`` or ``kind``, spelt as Kubernetes spells them: unquoted at the start of a
#: line (after indentation and list dashes) or after ``{`` or ``,``, or quoted anywhere (JSON)
_MANIFEST_KEY = re.compile(r"""(?:^|[{,])[ \t]*(?:-[ \t]+)*(?:apiVersion|kind)[ \t]*:"""
                           r"""|(?:"(?:apiVersion|kind)"|'(?:apiVersion|kind)')[ \t]*:""", re.M)


def looks_like_manifest(text: str) -> bool:
    """Whether a text that does not parse still looks like a Kubernetes manifest: some line
    holds the key ``apiVersion`` or ``kind`` (see :data:`_MANIFEST_KEY`; a comment does not
    count). A file that does not parse and does not look like one is none of k8slint's
    business (a ``tsconfig.json`` with comments, a broken values file): it is skipped."""
    return _MANIFEST_KEY.search(text) is not None


def _sniffed(data: bytes) -> str:
    """The text of bytes that do not decode, as far as it can be read: enough to find ASCII keys."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    return data.decode("utf-8", "replace")


def decode(data: bytes) -> tuple[str | None, str | None, int, int]:
    """Bytes to text. Returns (text, error, error_line, error_column)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), None, 0, 0
            except UnicodeDecodeError as err:
                return None, f"not valid {codec.upper()}: {err.reason}", 0, 0
    if b"\x00" in data[:8192]:
        return None, "binary file (it contains NUL bytes), not YAML or JSON", 0, 0
    try:
        return data.decode("utf-8"), None, 0, 0
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start)
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1)
        return None, f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8", line, column


def parse_source(source: Source, result: LoadResult, cache: ParseCache | _Parsed | None = None,
                 positions: bool = True) -> None:
    """Parse one source's text into documents and problems (appended to result).

    ``cache`` (a :class:`~k8slint.load.cache.ParseCache` or None) serves and
    keeps parse results; ``positions=False`` promises that nothing reads the
    documents' positions, which lets a cache hit skip loading them.
    """
    text = source.text
    parsed, problems = cache.parse(text, positions) if cache is not None else parse_stream(text)
    if problems and source.display.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # what libyaml refused: too deep, or not JSON at all
            pass
        else:  # valid JSON that libyaml refuses (rare): keep it, without key positions
            parsed, problems = [ParsedDocument(0, data, {}, 0, 0)], []
    if problems and source.path is not None and not looks_like_manifest(text):
        # a file that is not a manifest (decided here, on each run: the cache keeps the parse alone);
        # each part that does not parse counts as a document that is not a Kubernetes object
        result.skipped_unparsable += len(problems)
        problems = []
    templates = _helm_sources(text, parsed) if "# Source:" in text else None
    for i, doc in enumerate(parsed):
        document = Document(source, doc.index, doc.data, doc.positions, doc.start_line,
                            templates[i] if templates else None)
        result.documents.append(document)
        for dup in doc.duplicates:
            result.problems.append(Problem(dup.code, dup.message, source, dup.line, dup.column, document, dup.path))
    for p in problems:
        result.problems.append(Problem(p.code, _hint(p.message, text), source, p.line, p.column))


def _helm_sources(text: str, parsed: list[ParsedDocument]) -> list[str | None]:
    """The `# Source: chart/templates/x.yaml` comment that precedes each document."""
    marks: list[tuple[int, str]] = []
    line = offset = 0
    for m in _HELM_SOURCE.finditer(text):  # count line breaks once, from one mark to the next
        line += text.count("\n", offset, m.start())
        offset = m.start()
        marks.append((line, m.group(1)))
    lines = [line for line, _ in marks]
    out: list[str | None] = []
    previous_end = -1
    for doc in parsed:
        i = bisect.bisect_left(lines, doc.start_line) - 1
        out.append(marks[i][1] if i >= 0 and lines[i] >= previous_end else None)
        previous_end = doc.end_line
    return out


def read_source(display: str, path: str | None, data: bytes, result: LoadResult,
                cache: ParseCache | _Parsed | None = None, positions: bool = True, real: str | None = None,
                stamp: FileStamp | None = None) -> None:
    source = Source(display, path, _real=real, stamp=stamp)
    result.files += 1
    text, error, line, column = decode(data)
    if text is None:
        if path is not None and not looks_like_manifest(_sniffed(data)):
            result.skipped_unparsable += 1  # not text, and nothing in it looks like a manifest
            return
        result.problems.append(Problem("invalid-yaml", cast(str, error), source, line, column))
        return
    if text.startswith("\ufeff"):
        text = text[1:]
    source.text = text
    parse_source(source, result, cache, positions)


def render_source(kind: str, folder: str, options: RenderOptions, result: LoadResult, how: str = "argument") -> None:
    """Render a chart or kustomization and parse the output, noting each document's origin.

    A missing renderer is an error for a folder given as an argument, and a
    note (once per tool) for one met in a walk or through a file inside it."""
    from .render import RendererMissing, RenderError, render_chart, render_kustomization, take_origin, \
        take_transformations, template_file

    try:
        if kind == "helm":
            text, base, tool = render_chart(folder, options), None, "helm template"
        else:
            (text, base), tool = render_kustomization(folder, options.timeout), "kustomize build"
    except RendererMissing as err:
        if how == "argument":
            result.missing.append(str(err))
        else:
            result.unrendered.append((kind, folder, err.tool_hint))
        return
    except RenderError as err:
        if how == "argument":
            result.missing.append(str(err))
        else:  # met in a walk or through a file: a finding on the folder's own file, and the run goes on
            from .render import KUSTOMIZATION_FILES

            names = ("Chart.yaml",) if kind == "helm" else KUSTOMIZATION_FILES
            marker = next((os.path.join(folder, n) for n in names if os.path.isfile(os.path.join(folder, n))),
                          folder)
            message = str(err)
            if len(message) > 1000:
                message = message[:1000] + " ..."
            result.problems.append(Problem("render-failed", message, Source(os.path.normpath(marker), marker),
                                           0, 0))
        return
    source = Source(f"{os.path.normpath(folder)} ({tool})", None, text, rendered_by=tool)
    setattr(source, "folder", folder)  # the rendered folder (see k8slint.units)
    result.files += 1
    first = len(result.documents)
    parse_source(source, result)
    for doc in result.documents[first:]:
        if kind == "helm" and doc.template:
            doc.origin = template_file(folder, doc.template)
        elif kind == "kustomize":
            doc.origin = take_origin(doc.data, cast(str, base))  # kustomize builds have a base folder
            doc.transformations = take_transformations(doc.data, cast(str, base))  # see .patches


class _Parsed:
    """Parse results worked out ahead (a parse split over several processes), served as
    :meth:`ParseCache.parse` serves them; a text not among them is parsed (or looked up) then."""

    def __init__(self, table: dict[str, tuple[list[ParsedDocument], list[YamlProblem]]],
                 cache: ParseCache | None) -> None:
        self.table = table
        self.cache = cache

    def parse(self, text: str, positions: bool = True) -> tuple[list[ParsedDocument], list[YamlProblem]]:
        found = self.table.pop(text, None)
        if found is not None:
            return found
        return self.cache.parse(text, positions) if self.cache is not None else parse_stream(text)


def _parse_ahead(datas: list[bytes], cache: ParseCache | None, positions: bool, jobs: int) -> _Parsed:
    """Parse the texts of ``datas`` that the cache does not hold, split over ``jobs`` processes
    when there is enough of them to pay for it (:mod:`k8slint.parallel`)."""
    from . import cache as caching
    from ..parallel import MIN_PARSE_BYTES, run_parts, split

    table: dict[str, tuple[list[ParsedDocument], list[YamlProblem]]] = {}
    todo: dict[str, None] = {}  # the texts to parse, in order (a dict: a set that keeps the order)
    for data in datas:
        text = decode(data)[0]
        if not text:
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        if text in table or text in todo:
            continue
        hit = cache.get(text, positions) if cache is not None else None
        if hit is not None:
            table[text] = hit
        else:
            todo[text] = None
    texts = list(todo)
    if sum(len(t) for t in texts) < MIN_PARSE_BYTES:
        return _Parsed(table, cache)
    groups = split([len(t) for t in texts], jobs)

    def work(part: int) -> list[object]:
        parsed = (parse_stream(texts[i]) for i in groups[part])
        return list(parsed) if part == 0 else [caching.encode(*p) for p in parsed]  # children send marshal blobs

    for part, answers in enumerate(run_parts(work, len(groups))):
        for i, answer in zip(groups[part], answers):
            text = texts[i]
            if part == 0:
                documents, problems = cast("tuple[list[ParsedDocument], list[YamlProblem]]", answer)
                if cache is not None:
                    cache.put(text, documents, problems)
                table[text] = documents, problems
            elif answer is None:  # a value marshal cannot carry: parsed here when it is met
                continue
            else:
                values, tables = cast("tuple[bytes, bytes]", answer)
                table[text] = caching.decode(values, tables if positions else None)
                if cache is not None:
                    cache.put_encoded(text, values, tables)
    return _Parsed(table, cache)


def load(paths: list[str], excludes: Sequence[str] = (), stdin: IO[bytes] | None = None,
         render_options: RenderOptions | None = None, render: bool = True, root: str | None = None,
         cache: ParseCache | None = None, positions: bool = True, run_renders: bool = True,
         jobs: int = 1) -> LoadResult:
    """Find, read and parse every manifest under ``paths`` ("-" is stdin);
    render the chart and kustomization folders met (given as arguments, in a
    walk, or holding a file given by name, up to the project ``root``).
    With ``jobs`` above 1, the files are read first and their parse is split
    over that many processes when they are large enough together.

    ``cache`` (a :class:`k8slint.load.cache.ParseCache`) keeps parse results
    by content; ``positions=False`` promises that no position of these
    documents is ever asked for (context that is never reported).
    ``run_renders=False`` leaves out what would be rendered: context needs no
    render, since a render's objects are seen by that render alone.
    """
    result = LoadResult()
    found: Discovery = discover(paths, excludes, render, root)
    result.missing.extend(found.missing)
    result.skipped_templates = found.skipped_templates
    result.skipped_patches = found.skipped_patches
    if found.renders and run_renders:
        from .render import RenderOptions

        for kind, folder, how in found.renders:
            render_source(kind, folder, render_options or RenderOptions(), result, how)
    enabled = gc.isenabled()
    gc.disable()  # the loader allocates millions of small objects that all stay alive
    try:
        if jobs > 1 and len(found.files) > 1:
            # read everything first, so that the parse can be split; then go on as one at a time would
            read = [_read_file(display, path, stdin) for display, path in found.files]
            ahead = _parse_ahead([r[0] if isinstance(r, tuple) else r for r in read if isinstance(r, (bytes, tuple))],
                                 cache, positions, jobs)
            for (display, path), got in zip(found.files, read):
                _take(display, path, got, result, ahead, positions, found.real)
        else:
            for display, path in found.files:
                _take(display, path, _read_file(display, path, stdin), result, cache, positions, found.real)
    finally:
        if enabled:
            gc.enable()
    return result


Got = Union[bytes, tuple[bytes, FileStamp], NotReadable, OSError]


def _read_file(display: str, path: str | None, stdin: IO[bytes] | None) -> Got:
    """A file's bytes and stamp (standard input's bytes), or the error reading it."""
    if path is None:
        return (stdin if stdin is not None else sys.stdin.buffer).read()
    try:
        return read_regular(path)
    except (NotReadable, OSError) as err:
        return err


def _take(display: str, path: str | None, got: Got, result: LoadResult,
          cache: ParseCache | _Parsed | None, positions: bool, real: dict[str | None, str]) -> None:
    """Add what :func:`_read_file` got to ``result``: the file's documents, or its problem."""
    if isinstance(got, NotReadable):
        result.files += 1
        result.problems.append(Problem("invalid-yaml", str(got), Source(display, path), 0, 0))
    elif isinstance(got, OSError):
        result.missing.append(f"{display}: {got.strerror or got}")
    elif path is None:
        read_source(display, None, cast(bytes, got), result)
    else:
        data, stamp = cast("tuple[bytes, FileStamp]", got)
        read_source(display, path, data, result, cache, positions, real.get(path), stamp)
