"""A cache of parse results, keyed by a hash of the file's text.

Parsing YAML with positions dominates a run that loads a whole repository
(a pre-commit hook loads every manifest as context for the few it lints).
A warm run reads the parse results back with :mod:`marshal` instead.

Layout::

    <cache dir>/CACHEDIR.TAG
    <cache dir>/v<k8slint version>-<8 hex>/<40 hex>   one entry per text

The folder name holds the k8slint version plus a digest of everything else
that can change a parse result or the entry format (format number, Python,
PyYAML and libyaml versions), so a new version never reads old entries.
Clearing the cache is removing the cache dir.

An entry is a fixed header, then two marshal blobs: the values (documents,
duplicate keys, problems), then the position tables. A caller that never
reports on a file's documents (context only) asks for ``positions=False`` and
the second blob, the larger and slower one to load, is not read at all.
Each blob carries a CRC-32, so a damaged entry is a miss, never a wrong value.

Writes go to a temporary file in the same folder and are renamed into place,
so a concurrent run sees a whole entry or none. The cache never raises: the
first problem (an unwritable folder, a damaged entry) adds one warning to
:attr:`ParseCache.warnings`, then writes stop or the entry is parsed again.
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
import time
import zlib

try:  # the same function hashlib exposes, without hashlib's OpenSSL import
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - Python builds without _blake2
    from hashlib import blake2b as blake2b

from collections.abc import Mapping

from .yamlpos import PackedPositions, ParsedDocument, Path, Position, YamlProblem, parse_stream

#: what :func:`~k8slint.load.yamlpos.parse_stream` returns: the documents, and the problems of the stream
Parsed = tuple[list[ParsedDocument], list[YamlProblem]]

#: bumped whenever the entry layout or the meaning of its values changes
#: (2: the position tables are one marshal blob per document, see PackedPositions)
FORMAT = 2

ENV_VAR = "K8SLINT_CACHE_DIR"
#: the folder used inside the project when the user cache dir is not writable
PROJECT_FOLDER = ".k8slint_cache"

_MAGIC = b"k8slintC"
# magic, values length, positions length, values CRC-32, positions CRC-32
_HEADER = struct.Struct("<8sQQII")
_KEY_BYTES = 20  # 40 hex characters
_HEX = frozenset("0123456789abcdef")

_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by k8slint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Automatically created by k8slint.\n*\n"

#: version folders other than the current one are removed by a prune once
#: nothing was written to them for this long (two installed versions can
#: share a cache without removing each other's entries on every run)
_OLD_NAMESPACE_SECONDS = 7 * 24 * 3600
#: stray temporary files (a run killed while writing) are removed after this long
_STALE_TMP_SECONDS = 3600


def _is_entry_name(name: str) -> bool:
    return len(name) == 2 * _KEY_BYTES and _HEX.issuperset(name)


def _is_namespace_name(name: str) -> bool:
    version, dash, digest = name.rpartition("-")
    return (bool(dash) and version.startswith("v") and len(version) > 1
            and len(digest) == 8 and _HEX.issuperset(digest))


def _safe_version(version: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "._+") else "_" for c in version)


def _namespace() -> tuple[str, str]:
    """(folder name, key seed) for the running k8slint, Python and YAML parser."""
    import k8slint
    import yaml

    version = str(getattr(k8slint, "__version__", "unknown"))
    try:
        libyaml = yaml._yaml.get_version_string() if getattr(yaml, "__with_libyaml__", False) else "none"
    except Exception:  # pragma: no cover - unusual builds
        libyaml = "unknown"
    impl = sys.implementation
    seed = (f"k8slint={version};format={FORMAT};python={impl.name}-{impl.version[0]}.{impl.version[1]};"
            f"marshal={marshal.version};pyyaml={getattr(yaml, '__version__', '?')};libyaml={libyaml}")
    digest = blake2b(seed.encode(), digest_size=4).hexdigest()
    return f"v{_safe_version(version)}-{digest}", seed


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def _write_new(path: str, content: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(content)
    except FileExistsError:
        pass


def _make_dirs(path: str) -> None:
    """``os.makedirs``, plus a ``.gitignore`` in every ``.k8slint_cache`` folder it creates."""
    missing = []
    head = path
    while head and not os.path.isdir(head):
        missing.append(head)
        parent = os.path.dirname(head)
        if parent == head:
            break
        head = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise
            continue
        if os.path.basename(folder) == PROJECT_FOLDER:
            _write_new(os.path.join(folder, ".gitignore"), _GITIGNORE)


def _prepare(root: str, namespace: str) -> str:
    """Create the cache folders under ``root``; the entry folder, or raise OSError."""
    if not os.path.isdir(root):  # a folder that exists may be anything: it is not tagged
        _make_dirs(root)
        _write_new(os.path.join(root, "CACHEDIR.TAG"), _CACHEDIR_TAG)
    folder = os.path.join(root, namespace)
    if not os.path.isdir(folder):
        os.mkdir(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(13, "permission denied or read-only file system", folder)
    return folder


def _user_cache_root() -> str | None:
    """``$XDG_CACHE_HOME/k8slint``, else ``~/.cache/k8slint``; None without a home."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says relative paths are to be ignored
        return os.path.join(xdg, "k8slint")
    base = os.path.expanduser("~")
    if not os.path.isabs(base) or base == os.sep:
        return None
    return os.path.join(base, ".cache", "k8slint")


def replace_with(path: str, data: bytes) -> bool:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place, so that a concurrent
    reader sees the whole file or none (what the caches beside the parse cache keep is written so).
    False, and nothing left behind, when it cannot be written."""
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        _unlink(tmp)
        return False


def encode(documents: list[ParsedDocument], problems: list[YamlProblem]) -> tuple[bytes, bytes] | None:
    """A parse result as two marshal blobs: the values (documents, duplicate keys, problems), then the
    position tables; None when marshal cannot store a value."""
    try:
        values = marshal.dumps((
            [(d.index, d.data, d.start_line, d.end_line, [_problem_tuple(p) for p in d.duplicates])
             for d in documents],
            [_problem_tuple(p) for p in problems]))
        tables = marshal.dumps([PackedPositions.of(d.positions).blob for d in documents])
    except Exception:
        return None
    return values, tables


def decode(values: bytes | memoryview, tables: bytes | memoryview | None) -> Parsed:
    """What :func:`encode` made, back; with ``tables`` None every document's positions are empty.
    Raises on a blob that is not one."""
    documents, problems = marshal.loads(values)
    positions = marshal.loads(tables) if tables is not None else None
    if positions is None:
        positions = [b"" for _ in documents]
    elif type(positions) is not list or len(positions) != len(documents):
        raise ValueError("positions do not match the documents")
    out = []
    for (index, data, start_line, end_line, duplicates), blob in zip(documents, positions):
        if type(blob) is not bytes:
            raise ValueError("positions are not a table")
        table: Mapping[Path, Position] = PackedPositions(blob) if blob else {}
        out.append(ParsedDocument(index, data, table, start_line, end_line, [YamlProblem(*d) for d in duplicates]))
    return out, [YamlProblem(*p) for p in problems]


def _problem_tuple(p: YamlProblem) -> tuple[str, str, int, int, int | None, tuple[str | int, ...]]:
    return (p.code, p.message, p.line, p.column, p.doc_index, p.path)


class ParseCache:
    """Parse results on disk, keyed by a hash of the text; see the module docstring."""

    #: a prune leaves at most 80% of these (least recently used entries go first)
    max_entries = 50_000
    max_bytes = 512 * 1024 * 1024

    def __init__(self, directory: str, *, warning: str | None = None) -> None:
        self.directory = directory  # the cache root (holds CACHEDIR.TAG and one folder per version)
        self.namespace, seed = _namespace()
        self.path = os.path.join(directory, self.namespace)  # this version's entries
        self.warnings: list[str] = []
        self._seed = blake2b(seed.encode() + b"\0", digest_size=_KEY_BYTES)
        self._read = self._write = warning is None
        self._pruned = False
        if warning:
            self.warnings.append(warning)

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, directory: str | None = None, enabled: bool = True,
             project_root: str | None = None) -> ParseCache | None:
        """The cache to use, or None when caching is off.

        ``directory`` (``--cache-dir``), else ``$K8SLINT_CACHE_DIR``, else the
        user cache dir (``$XDG_CACHE_HOME/k8slint``, ``~/.cache/k8slint``), and
        when that cannot be written, ``.k8slint_cache`` in ``project_root``
        (default: the working directory). A folder asked for explicitly is not
        replaced by another: when it cannot be written, the cache returned is
        inert and carries one warning.
        """
        if not enabled:
            return None
        namespace, _ = _namespace()
        explicit = directory or os.environ.get(ENV_VAR)
        if explicit:
            candidates = [os.path.abspath(os.path.expanduser(explicit))]
        else:
            candidates = []
            user = _user_cache_root()
            if user:
                candidates.append(user)
            try:
                candidates.append(os.path.join(os.path.abspath(project_root or os.getcwd()), PROJECT_FOLDER))
            except OSError:  # the working directory was removed
                pass
        where, reason = "(no cache directory)", "no home directory"
        for root in candidates:
            try:
                _prepare(root, namespace)
            except OSError as err:
                where, reason = root, _reason(err)
                continue
            return cls(root)
        return cls(where, warning=f"k8slint: warning: cache at {where} is not writable ({reason}); "
                                  "continuing without it")

    # -- public API --------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """Whether entries are read and written (no warning turned the cache off)."""
        return self._read and self._write

    def key(self, text: str) -> str:
        """The entry name for ``text``: a BLAKE2b digest of the namespace and the text."""
        h = self._seed.copy()
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, text: str, positions: bool = True) -> Parsed | None:
        """The cached ``parse_stream(text)``, or None. With ``positions=False``
        every document's ``positions`` is an empty dict (the caller never reads it)."""
        if not self._read:
            return None
        return self._get(self.key(text), positions)

    def put(self, text: str, documents: list[ParsedDocument], problems: list[YamlProblem]) -> None:
        """Store ``parse_stream(text)``'s result. Never raises."""
        if self._write:
            self._put(self.key(text), documents, problems)

    def parse(self, text: str, positions: bool = True) -> Parsed:
        """``parse_stream(text)``, from the cache when it holds the text."""
        if not (self._read or self._write):
            return parse_stream(text)
        key = self.key(text)
        if self._read:
            hit = self._get(key, positions)
            if hit is not None:
                return hit
        documents, problems = parse_stream(text)
        if self._write:
            self._put(key, documents, problems)
        return documents, problems

    # -- entries -----------------------------------------------------------------

    def _get(self, key: str, positions: bool) -> Parsed | None:
        path = os.path.join(self.path, key)
        try:
            with open(path, "rb", buffering=0) as fh:
                header = fh.read(_HEADER.size)
                if len(header) != _HEADER.size:
                    return self._corrupt(path, "truncated header")
                magic, values_size, positions_size, values_crc, positions_crc = _HEADER.unpack(header)
                if magic != _MAGIC:
                    return self._corrupt(path, "not a k8slint cache entry")
                if _HEADER.size + values_size + positions_size != os.fstat(fh.fileno()).st_size:
                    return self._corrupt(path, "truncated or extended")
                wanted = values_size + positions_size if positions else values_size
                body = fh.read(wanted) if wanted else b""
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as err:
            return self._corrupt(path, _reason(err))
        if len(body) != wanted:
            return self._corrupt(path, "truncated")
        view = memoryview(body)
        values_blob = view[:values_size]
        if zlib.crc32(values_blob) != values_crc:
            return self._corrupt(path, "checksum mismatch")
        if positions:
            positions_blob = view[values_size:]
            if zlib.crc32(positions_blob) != positions_crc:
                return self._corrupt(path, "checksum mismatch")
        try:
            return decode(values_blob, positions_blob if positions else None)
        except Exception as err:  # any damage or layout mismatch is a miss
            return self._corrupt(path, _reason(err))

    def put_encoded(self, text: str, values: bytes, tables: bytes) -> None:
        """Store a parse result that :func:`encode` made (a parallel parse sends it so). Never raises."""
        if self._write:
            self._write_entry(self.key(text), values, tables)

    def _put(self, key: str, documents: list[ParsedDocument], problems: list[YamlProblem]) -> None:
        encoded = encode(documents, problems)
        if encoded is not None:  # else a value marshal cannot store: this text is not cached
            self._write_entry(key, *encoded)

    def _write_entry(self, key: str, values: bytes, tables: bytes) -> None:
        header = _HEADER.pack(_MAGIC, len(values), len(tables), zlib.crc32(values), zlib.crc32(tables))
        path = os.path.join(self.path, key)
        tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as err:
            self._unwritable(err)
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(values)
                fh.write(tables)
            os.replace(tmp, path)
        except OSError as err:
            _unlink(tmp)
            # Windows refuses to replace a file another run has open: that entry is there already
            if not (os.name == "nt" and isinstance(err, PermissionError) and os.path.exists(path)):
                self._unwritable(err)
            return
        except BaseException:
            _unlink(tmp)
            raise
        if not self._pruned and key.startswith("00"):  # about one write in 256, once per run
            self._pruned = True
            self.prune()

    def _warn(self, message: str) -> None:
        if not self.warnings:
            self.warnings.append(message)

    def _corrupt(self, path: str, reason: str) -> Parsed | None:
        # a miss (None, which _get returns): the entry is parsed again and the new result replaces it
        self._warn(f"k8slint: warning: cache entry {path} is damaged ({reason}); "
                   "parsing the file again")
        return None

    def _unwritable(self, err: BaseException) -> None:
        self._write = False
        self._warn(f"k8slint: warning: cache at {self.directory} is not writable ({_reason(err)}); "
                   "continuing without writing to it")

    # -- size bound --------------------------------------------------------------

    def prune(self, max_entries: int | None = None, max_bytes: int | None = None) -> int:
        """Bound the cache: when this version's folder holds more than
        ``max_entries`` entries or ``max_bytes`` bytes, remove the least
        recently used (by access or modification time, whichever is later)
        down to 80% of both; remove stray temporary files and the folders of
        other versions nothing was written to for a week. Returns the number
        of entries removed. Never raises.
        """
        max_entries = self.max_entries if max_entries is None else max_entries
        max_bytes = self.max_bytes if max_bytes is None else max_bytes
        now = time.time()
        removed = 0
        entries = []
        try:
            with os.scandir(self.path) as it:
                for item in it:
                    name = item.name
                    try:
                        st = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if _is_entry_name(name):
                        entries.append((max(st.st_atime, st.st_mtime), st.st_size, item.path))
                    elif name.endswith(".tmp") and now - st.st_mtime > _STALE_TMP_SECONDS:
                        _unlink(item.path)
        except OSError:
            return 0
        count = len(entries)
        total = sum(size for _, size, _ in entries)
        if count > max_entries or total > max_bytes:
            keep_entries, keep_bytes = int(max_entries * 0.8), int(max_bytes * 0.8)
            entries.sort()
            for _, size, path in entries:
                if count <= keep_entries and total <= keep_bytes:
                    break
                if _unlink(path):
                    removed += 1
                count -= 1
                total -= size
        try:
            with os.scandir(self.directory) as it:
                others = [item.path for item in it
                          if item.name != self.namespace and _is_namespace_name(item.name)
                          and item.is_dir(follow_symlinks=False)
                          and now - item.stat(follow_symlinks=False).st_mtime > _OLD_NAMESPACE_SECONDS]
        except OSError:
            others = []
        for folder in others:
            _remove_namespace(folder)
        return removed


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def _remove_namespace(folder: str) -> None:
    """Remove an old version's entries (and its kept schemas, see k8slint.kube.schemas), and its
    folder once empty (nothing else is touched)."""
    try:
        with os.scandir(folder) as it:
            items = list(it)
        names = [item.path for item in items if _is_entry_name(item.name) or item.name.endswith(".tmp")]
        kept = [item.path for item in items if item.name.startswith("schemas-") and item.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for path in names:
        _unlink(path)
    for schemas in kept:
        try:
            with os.scandir(schemas) as it:
                for item in list(it):
                    _unlink(item.path)
            os.rmdir(schemas)
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass
