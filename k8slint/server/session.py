"""What the language server knows, without the protocol: the lint of one editor buffer with the rest
of its workspace as context, and the edits its findings offer.

A buffer is linted in place of the file on disk, the way ``k8slint FILE`` lints a staged file: the
nearest configuration applies, the file belongs to the unit of its folder, and the other manifests of
its project (the configuration's folder, else the git root; outside any project, the file's own
folder) are loaded as context, seen by the rules and never reported. The context is loaded once
through the parse cache and kept: before each lint, the files and folders it came from are checked
(their size and modification time), and only the files that changed are read again. Other buffers
open in the editor stand in for their files in the context.

A file inside a Helm chart is linted by rendering the chart, from a copy of it where the open
buffers replace their files when any of them differs from the disk, and the findings are mapped back
to the template lines as the command line maps them. A file inside a kustomization is linted as its
build from disk (the build reads files outside the folder, which cannot be copied safely), so its
findings follow the saved file. Everything else that is YAML or JSON and holds Kubernetes objects is
linted as a plain manifest; other YAML and JSON (values files, ``tsconfig.json``) is left alone.

Positions here are 0-based lines and 0-based columns in Unicode code points; the protocol layer
converts them to what the client counts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import CONFIG_NAMES, Config, ConfigError, find_config, load_config, project_root, resolve_settings
from ..engine import Registry, Result, Settings, load_builtin_rules, load_rules_directory
from ..load import Document, LoadResult, Source, load, locate, parse_source, render_source
from ..load.discover import MANIFEST_SUFFIXES, discover, excluded, is_inside, real_path
from ..load.origins import OriginMapper
from ..model import build_objects
from ..pipeline import Report, lint_loaded
from ..report.text import marker_width
from ..suppress import COMMENT
from ..units import unit_of

if TYPE_CHECKING:
    from ..load.cache import ParseCache
    from ..model import K8sObject

#: where Helm's error messages name a template: ``(shop/templates/service.yaml:4)``,
#: ``template: shop/templates/deployment.yaml:12:3: executing ...``
_HELM_WHERE = re.compile(r"([^\s()\"':]+/templates/[^\s()\"':]+):(\d+)(?::(\d+))?")
#: the start of the note that says a configuration file has a mistake
CONFIGURATION_NOT_APPLIED = "k8slint: configuration not applied: "
_INVALID = "invalid-yaml"  # the tool's own diagnostic for input it cannot read (k8slint.diagnostics)
_RENDER_FAILED = "render-failed"
#: diagnostics of the suppressions themselves: an ignore comment for them makes no sense
_ABOUT_SUPPRESSIONS = ("unused-suppression", "suppression-without-reason")


@dataclass
class Options:
    """What the client chose (``initializationOptions``) or the command line gave; these win over
    the configuration file, as the command line's flags do."""

    kube_version: str | None = None
    profile: str | None = None
    namespace: str | None = None
    rules_dirs: list[str] = field(default_factory=list)
    cache: bool = True
    cache_dir: str | None = None
    #: the link of each diagnostic's rule id: a URL with ``{rule}`` in it; None: the rule's module
    docs_url: str | None = None
    #: milliseconds without a change before a changed document is linted (None: the server's default)
    debounce_ms: float | None = None


@dataclass(frozen=True)
class Place:
    """A range on one line of a file: 0-based line, columns in code points, and the line's text
    (which the protocol needs to count columns in its own units)."""

    path: str
    line: int
    start: int
    end: int
    text: str


@dataclass
class Diagnosis:
    """One finding, ready for the editor."""

    rule: str
    severity: str
    message: str
    place: Place
    related: list[tuple[Place, str]]
    result: Result | None = field(default=None, repr=False)
    fix_safety: str | None = None  # "safe" or "unsafe" when the finding carries a fix


@dataclass
class Outcome:
    """What one lint found. ``diagnoses`` maps real paths to findings: the linted file always, and,
    for a chart, every template of it that the editor has open (``texts`` says what text each was
    linted as). ``kind`` is how the file was linted: ``plain``, ``helm``, ``kustomize``, ``config``
    (a configuration file: its own mistakes), or ``none`` (not a Kubernetes manifest)."""

    path: str
    kind: str
    diagnoses: dict[str, list[Diagnosis]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    report: Report | None = field(default=None, repr=False)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TextEdit:
    """Replace the text between two places (0-based line, column in code points) of ``text``."""

    start: tuple[int, int]
    end: tuple[int, int]
    new_text: str


@dataclass(frozen=True)
class IgnoreEdit:
    """The edit that writes an ignore comment, and where the reason goes (line, column)."""

    edit: TextEdit
    cursor: tuple[int, int]
    snippet: str | None  # the inserted text as a snippet with ``$0`` at the reason, when it is a new line


@dataclass
class _Scope:
    """What the nearest configuration decides for a file."""

    config: Config
    error: str | None
    settings: Settings
    kube_version: tuple[int, ...]
    namespace: str
    render_namespace: str | None
    root: str | None
    excludes: list[str]
    cache: ParseCache | None
    context_paths: list[str]


Stamp = tuple[int, int]  # (size, mtime in nanoseconds)
#: a file's path as the editor knows it, for a path a lint saw (a chart copied elsewhere to render)
WherePath = Callable[[str], str]


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class _Context:
    """The project's other manifests, loaded as the command line loads them for a file given by name
    (a walk of the project that renders nothing; or, outside any project, the files of one folder),
    and kept between lints: only what changed on disk since is read again."""

    def __init__(self, top: str, flat: bool, extra: list[str], excludes: list[str], root: str | None,
                 cache: ParseCache | None) -> None:
        self.top = top  # the folder walked
        self.flat = flat  # only its own files, not its subfolders'
        self.extra = extra  # files and folders named by the configuration's crds and context
        self.excludes = excludes
        self.root = root
        self.cache = cache
        self.files: list[str] = []
        self.stamps: dict[str, Stamp | None] = {}
        self.folders: dict[str, int | None] = {}
        #: per file: its documents that hold objects, each with its unit and whether other units see it
        self.loaded: dict[str, list[tuple[Document, str, bool]]] = {}
        self.texts: dict[str, str] = {}  # per file: the text read
        self.dirty = True

    def covers(self, path: str) -> bool:
        """Whether a change to ``path`` may change this context."""
        if self.flat:
            return os.path.dirname(path) == self.top
        return is_inside(path, self.top) or any(is_inside(path, os.path.abspath(e)) for e in self.extra)

    def _discover(self) -> list[str]:
        files: list[str] = []
        if self.flat:
            try:
                names = sorted(os.listdir(self.top))
            except OSError:
                names = []
            walk = [os.path.join(self.top, n) for n in names if n.lower().endswith(MANIFEST_SUFFIXES)
                    and not n.startswith(".") and os.path.isfile(os.path.join(self.top, n))]
        else:
            walk = [self.top]
        for paths, render in ((walk, True), (self.extra, False)):
            if paths:
                found = discover(paths, self.excludes, render, self.root)
                files += [path for _, path in found.files if path is not None]
        return list(dict.fromkeys(files))

    def _folders(self) -> dict[str, int | None]:
        """The modification time of every folder the files may come from: adding or removing a
        file changes its folder's."""
        out: dict[str, int | None] = {}
        tops = ([] if self.flat else [self.top]) + [p for p in self.extra if os.path.isdir(p)]
        for top in tops:
            for folder, dirs, _ in os.walk(top):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                out[folder] = _folder_mtime(folder)
        if self.flat:
            out[self.top] = _folder_mtime(self.top)
        for path in self.extra:
            if not os.path.isdir(path):
                folder = os.path.dirname(os.path.abspath(path))
                out.setdefault(folder, _folder_mtime(folder))
        return out

    def refresh(self) -> None:
        """Read again what changed on disk since the last time."""
        if self.dirty:
            folders_changed, changed = True, []
        else:
            folders_changed = any(_folder_mtime(f) != m for f, m in self.folders.items())
            changed = [p for p in self.files if _stamp(p) != self.stamps.get(p)]
            if not folders_changed and not changed:
                return
        if folders_changed:
            self.folders = self._folders()
            files = self._discover()
            changed = [p for p in files if p not in self.loaded or _stamp(p) != self.stamps.get(p)]
            self.files = files
            listed = set(files)
            for gone in [p for p in self.loaded if p not in listed]:
                del self.loaded[gone]
                self.stamps.pop(gone, None)
                self.texts.pop(gone, None)
        self.dirty = False
        if not changed:
            return
        for path in changed:
            self.stamps[path] = _stamp(path)  # before reading: a file saved meanwhile is read again next time
            self.loaded[path] = []
            self.texts.pop(path, None)
        result = load(changed, render=False, cache=self.cache, positions=False)
        for doc in result.documents:
            if doc.source.path is not None:
                self.texts[doc.source.path] = doc.source.text
                self.loaded[doc.source.path] += _visibility([doc])

    def documents(self, leave_out: str, buffers: Mapping[str, str], units: set[str]) -> LoadResult:
        """The context for a lint of the file ``leave_out`` (a real path), whose objects are in
        ``units`` (unit ids): without that file, with the open buffers (real path -> text) in place of
        their files where they differ, and only the documents whose objects the run may see (those of
        the same units, and those a shared unit shows to all: see k8slint.graph), which is what
        :func:`k8slint.pipeline.lint_loaded` keeps of a context."""
        out = LoadResult()
        for path in self.files:
            docs = self.loaded.get(path, [])
            real = docs[0][0].source.realpath() if docs else real_path(path)
            if real == leave_out:
                continue
            text = buffers.get(real) if real is not None else None
            if text is not None and self.texts.get(path) != text:
                parsed = LoadResult()
                parse_source(Source(path, path, text, _real=real), parsed, positions=False)
                docs = _visibility(parsed.documents)
            out.documents.extend(doc for doc, unit, seen in docs if seen or unit in units)
            out.files += 1
        return out


def _visibility(documents: Iterable[Document]) -> list[tuple[Document, str, bool]]:
    """The documents that hold objects, each with the id of its unit and whether objects of other
    units may see it (a shared unit's cluster-scoped or explicitly namespaced objects)."""
    out = []
    for doc in documents:
        objects = build_objects([doc])[0]
        if objects:
            out.append((doc, unit_of(doc).id, any(o.unit.shared and o.namespace_explicit for o in objects)))
    return out


def _folder_mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _line_of(text: str, number: int) -> str:
    """Line ``number`` (0-based) of ``text``, without its line break ("" past the end)."""
    lines = text.split("\n")
    return lines[number].rstrip("\r") if 0 <= number < len(lines) else ""


class Session:
    """Lints buffers for the language server; one per server. Not thread-safe: the server calls it
    from one thread."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.registry: Registry = load_builtin_rules()
        for directory in self.options.rules_dirs:
            load_rules_directory(directory)
        self._configs: dict[str, tuple[Stamp | None, Config, str | None]] = {}
        self._caches: dict[str | None, ParseCache | None] = {}
        self._contexts: dict[tuple[object, ...], _Context] = {}
        self.notes: list[str] = []  # messages for the log, taken by the server
        self._links: dict[str, str | None] = {}

    # -- configuration ------------------------------------------------------------------------------

    def _config(self, start: str) -> tuple[Config, str | None]:
        """The nearest configuration at or above ``start``, read again when it changed on disk; and
        its error, if it has one (then no configuration applies)."""
        path = find_config(start)
        if path is None:
            return Config(), None
        stamp = _stamp(path)
        kept = self._configs.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        try:
            config, error = load_config(path), None
        except ConfigError as err:
            config, error = Config(), str(err)
        self._configs[path] = (stamp, config, error)
        return config, error

    def forget_configuration(self) -> None:
        """Read every configuration file again at the next lint, and check the context again."""
        self._configs.clear()
        for context in self._contexts.values():
            context.dirty = True

    def files_changed(self, paths: Iterable[str]) -> None:
        """Files changed on disk (the client watches them): their contexts check them at the next lint."""
        changed = [os.path.abspath(p) for p in paths]
        if any(os.path.basename(p) in CONFIG_NAMES + ("pyproject.toml",) for p in changed):
            self.forget_configuration()
            return
        for context in self._contexts.values():
            if any(context.covers(p) for p in changed):
                context.dirty = True

    def _scope(self, path: str) -> _Scope:
        from ..kube import schemas, versions

        config, error = self._config(os.path.dirname(path))
        options = self.options
        try:
            settings = resolve_settings(config, self.registry, profile=options.profile)
        except ConfigError as err:
            error = error or str(err)
            config = Config()
            settings = resolve_settings(config, self.registry)
        try:
            kube_version = versions.resolve(options.kube_version or settings.kube_version)
        except ValueError as err:
            error = error or str(err)
            kube_version = versions.resolve(settings.kube_version)
        root = project_root(config if config.path else None, os.path.dirname(path))
        if root not in self._caches:
            from ..load.cache import ParseCache

            self._caches[root] = ParseCache.open(options.cache_dir, enabled=options.cache, project_root=root)
        cache = self._caches[root]
        # the built-in schemas, cut down to each kind, are kept beside the parse results
        schemas.cache_dir = cache.path if cache is not None and cache.usable else None
        if cache is not None:
            self.notes.extend(cache.warnings)
            cache.warnings.clear()
        excludes = [os.path.join(config.folder, g) if "/" in g else g for g in config.get("exclude", [])]
        render_namespace = options.namespace or config.get("namespace")
        return _Scope(config, error, settings, kube_version, render_namespace or "default", render_namespace,
                      root, excludes, cache, config.resolve_paths("crds") + config.resolve_paths("context"))

    def _context(self, path: str, scope: _Scope) -> _Context:
        root = scope.root
        inside = root is not None and is_inside(real_path(path), real_path(root))
        # a file outside the project sees its own folder, the unit it belongs to
        top = os.path.abspath(root) if root is not None and inside else os.path.dirname(path)
        key = (top, not inside, tuple(scope.context_paths), tuple(scope.excludes), root, id(scope.cache))
        context = self._contexts.get(key)
        if context is None:
            context = self._contexts[key] = _Context(top, not inside, list(scope.context_paths), scope.excludes,
                                                     root, scope.cache)
        context.refresh()
        return context

    # -- linting ------------------------------------------------------------------------------------

    def lint(self, path: str, text: str, buffers: Mapping[str, str] | None = None) -> Outcome:
        """Lint ``text`` as the content of the file ``path`` (absolute), with the workspace as context
        and the other open ``buffers`` (absolute path -> text) in place of their files."""
        path = os.path.abspath(path)
        real = real_path(path)
        if text.startswith("\ufeff"):  # a byte order mark: the loader drops it from a file's text too
            text = text[1:]
        open_buffers = {real_path(p): t for p, t in (buffers or {}).items()}
        open_buffers[real] = text
        if os.path.basename(path) in CONFIG_NAMES:
            return self._lint_config(path, real, text)
        if not path.lower().endswith(MANIFEST_SUFFIXES) and not _in_chart(path):
            return Outcome(real, "none", {real: []}, {real: text})
        scope = self._scope(path)
        outcome = Outcome(real, "none", {real: []}, {real: text})
        if scope.error:
            outcome.notes.append(f"{CONFIGURATION_NOT_APPLIED}{scope.error}")
        how = self._classify(path, scope)
        if how is None:
            return outcome
        kind, folder = how
        if kind == "helm":
            return self._lint_chart(path, real, folder, open_buffers, scope, outcome)
        if kind == "kustomize":
            return self._lint_kustomization(path, real, scope, outcome)
        loaded = LoadResult(files=1)
        # not through the parse cache: an unsaved text is seldom seen again, and each would be kept
        parse_source(Source(path, path, text, _real=real), loaded, positions=True)
        if not _is_kubernetes(loaded):
            return outcome
        report = self._run(loaded, path, real, scope, open_buffers)
        outcome.kind, outcome.report = "plain", report
        self._collect(report, outcome, {real})
        return outcome

    def _run(self, loaded: LoadResult, path: str, real: str, scope: _Scope, buffers: Mapping[str, str]) -> Report:
        """Lint what was loaded for the file ``path`` with the workspace as context. The findings kept
        beside the parse cache are not used: they pay off for whole runs of unchanged texts, and a
        buffer changes at every keystroke (the parse cache still serves the context)."""
        context = self._context(path, scope)
        units = {unit_of(doc).id for doc in loaded.documents}
        return lint_loaded(loaded, self.registry, scope.settings, scope.kube_version, scope.namespace,
                           context.documents(real, buffers, units), scope.config if scope.config.path else None)

    def _classify(self, path: str, scope: _Scope) -> tuple[str, str] | None:
        """How the command line would read a file named on it: ("plain", path), ("helm", chart folder),
        ("kustomize", folder), or None (excluded, a helper outside any chart, ...)."""
        if not os.path.exists(path):  # a new file, not saved yet
            if excluded(path, scope.excludes) or not path.lower().endswith(MANIFEST_SUFFIXES):
                return None
            return "plain", path
        found = discover([path], scope.excludes, True, scope.root)
        if found.renders:
            kind, folder, _ = found.renders[0]
            return kind, os.path.abspath(folder)
        if found.files:
            return "plain", path
        return None

    def _lint_config(self, path: str, real: str, text: str) -> Outcome:
        """A configuration file: its mistakes, at their line (as the command line reports them)."""
        outcome = Outcome(real, "config", {real: []}, {real: text})
        self._configs.pop(path, None)
        directory = tempfile.mkdtemp(prefix="k8slint-config-")
        try:  # the buffer, checked as the file would be, under its own name
            copy = os.path.join(directory, os.path.basename(path))
            with open(copy, "w", encoding="utf-8") as fh:
                fh.write(text)
            try:
                config = load_config(copy)
                resolve_settings(config, self.registry, profile=self.options.profile)
            except ConfigError as err:
                message = str(err)
                m = re.match(r"(.+?):(\d+)(?::(\d+))?: (.*)", message, re.S)
                if m is None or os.path.basename(m.group(1)) != os.path.basename(path):
                    place = Place(real, 0, 0, len(_line_of(text, 0).rstrip()), _line_of(text, 0))
                    message = message.replace(copy, path)
                else:
                    line, message = int(m.group(2)) - 1, m.group(4)
                    line_text = _line_of(text, line)
                    column = min(int(m.group(3)) - 1, len(line_text)) if m.group(3) \
                        else len(line_text) - len(line_text.lstrip())
                    end = _token_end(line_text, column) if m.group(3) else len(line_text.rstrip())
                    place = Place(real, line, column, max(end, column + 1), line_text)
                outcome.diagnoses[real].append(Diagnosis("configuration", "error", message, place, []))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return outcome

    def _lint_kustomization(self, path: str, real: str, scope: _Scope, outcome: Outcome) -> Outcome:
        from ..load.render import RenderOptions

        loaded = load([path], scope.excludes, render_options=RenderOptions(namespace=scope.render_namespace),
                      root=scope.root, cache=scope.cache)
        outcome.notes += _unrendered(loaded)
        report = self._run(loaded, path, real, scope, {})
        outcome.kind, outcome.report = "kustomize", report
        self._collect(report, outcome, {real})
        return outcome

    def _lint_chart(self, path: str, real: str, chart: str, buffers: Mapping[str, str], scope: _Scope,
                    outcome: Outcome) -> Outcome:
        """Render the chart (from a copy with the open buffers in it, when any differs from its file),
        lint the render, and map the findings back to the templates."""
        from ..load.render import RenderOptions

        chart_real = real_path(chart)
        overlays = {p: t for p, t in buffers.items() if is_inside(p, chart_real) and _disk_text(p) != t}
        directory = tempfile.mkdtemp(prefix="k8slint-chart-") if overlays else None
        try:
            folder = chart_real
            if directory is not None:
                folder = os.path.join(directory, os.path.basename(chart_real))
                shutil.copytree(chart_real, folder, symlinks=True, ignore=shutil.ignore_patterns(".git"))
                for p, t in overlays.items():
                    target = os.path.join(folder, os.path.relpath(p, chart_real))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "w", encoding="utf-8", newline="") as fh:
                        fh.write(t)

            def where(p: str) -> str:
                absolute = os.path.abspath(p)
                return os.path.join(chart_real, os.path.relpath(absolute, folder)) \
                    if is_inside(absolute, folder) else absolute

            loaded = LoadResult()
            render_source("helm", folder, RenderOptions(namespace=scope.render_namespace), loaded, how="file")
            outcome.notes += _unrendered(loaded)
            if loaded.unrendered:
                return outcome
            for problem in loaded.problems:  # the render's error names the copy: name the chart
                problem.message = problem.message.replace(folder, chart)
            report = self._run(loaded, path, real, scope, buffers)
            outcome.kind, outcome.report = "helm", report
            members = {p for p in buffers if is_inside(p, chart_real)} | {real}
            for member in members:
                outcome.diagnoses.setdefault(member, [])
                outcome.texts[member] = buffers.get(member, "")
            self._collect(report, outcome, members, where, chart_real)
            self._render_failure(loaded, outcome, chart_real, members)
        finally:
            if directory is not None:
                shutil.rmtree(directory, ignore_errors=True)
        return outcome

    @staticmethod
    def _render_failure(loaded: LoadResult, outcome: Outcome, chart: str, members: set[str]) -> None:
        """Helm's error names the template and the line where it stopped: show it there too."""
        from ..load.render import template_file

        for problem in loaded.problems:
            if problem.code != _RENDER_FAILED:
                continue
            for m in _HELM_WHERE.finditer(problem.message):
                target = real_path(template_file(chart, m.group(1)))
                if target not in members:
                    continue
                line = max(int(m.group(2)) - 1, 0)
                text = _line_of(outcome.texts.get(target, ""), line)
                column = min(int(m.group(3)) - 1, len(text)) if m.group(3) else 0
                place = Place(target, line, column, max(len(text.rstrip()), column + 1), text)
                outcome.diagnoses[target].append(Diagnosis(_RENDER_FAILED, "error", problem.message, place, []))
                break

    def _collect(self, report: Report, outcome: Outcome, wanted: set[str],
                 where: WherePath = os.path.abspath, chart: str | None = None) -> None:
        """The report's findings about the ``wanted`` files (real paths), as diagnoses."""
        mapper = OriginMapper()
        for r in report.results:
            place = _place_of(r, where, chart)
            if place is None or place.path not in wanted:
                continue
            related = [(p, text) for p, text in _related(r, where, mapper) if p is not None]
            fix = r.fix.safety if r.fix is not None and r.document is not None and not r.document.origin \
                and r.document.source.path is not None else None
            outcome.diagnoses.setdefault(place.path, []).append(
                Diagnosis(r.rule, r.severity, r.message, place, related, r, fix))

    # -- edits --------------------------------------------------------------------------------------

    def fix_edits(self, outcome: Outcome, diagnoses: list[Diagnosis], unsafe: bool) -> list[TextEdit]:
        """The edits that apply the fixes of ``diagnoses`` to the text linted (none if a fix has no
        place, or the text has parse problems)."""
        from .. import fix as fixing

        results = [d.result for d in diagnoses if d.result is not None and fixing.fixable(d.result, unsafe)]
        if not results or outcome.report is None:
            return []
        entries = fixing.plan(Report(results=results, load=outcome.report.load), unsafe=unsafe)
        edits: list[TextEdit] = []
        for entry in entries:
            if entry.changed and entry.fixed is not None and real_path(entry.path) == outcome.path:
                edits.append(text_edit(entry.original, entry.fixed))
        return edits

    def ignore_edit(self, path: str, text: str, diagnosis: Diagnosis) -> IgnoreEdit | None:
        """An ignore comment for the finding: ``# k8slint: ignore[rule] `` on a new line above its line
        (or its rule added to the comment already there), with the reason still to write. None where
        a comment cannot go: JSON, or a line inside a block scalar, whose value the comment would
        change."""
        if diagnosis.rule in _ABOUT_SUPPRESSIONS or diagnosis.rule == _INVALID or path.lower().endswith(".json"):
            return None
        newline = "\r\n" if "\r\n" in text else "\n"
        line = diagnosis.place.line
        lines = text.split("\n")
        if line >= len(lines):
            return None
        target = lines[line].rstrip("\r")
        above = lines[line - 1].rstrip("\r") if line > 0 else ""
        m = COMMENT.search(above)
        if m:
            ids = [x.strip() for x in m.group(1).split(",") if x.strip()]
            if diagnosis.rule in ids:
                return None
            at = (line - 1, m.end(1))
            edit = TextEdit(at, at, (", " if ids else "") + diagnosis.rule)
            reason_end = len(above) + len(edit.new_text)
            return IgnoreEdit(edit, (line - 1, reason_end), None)
        indent = target[:len(target) - len(target.lstrip(" "))]
        comment = f"{indent}# k8slint: ignore[{diagnosis.rule}] "
        edit = TextEdit((line, 0), (line, 0), comment + newline)
        if path.lower().endswith(MANIFEST_SUFFIXES) and not _in_chart(path):
            from ..load.yamlpos import parse_stream

            before, problems = parse_stream(text)
            if not problems:
                after, problems_after = parse_stream(apply_edit(text, edit))
                if problems_after or [d.data for d in after] != [d.data for d in before]:
                    return None
        return IgnoreEdit(edit, (line, len(comment)), comment.replace("\\", "\\\\").replace("$", "\\$")
                          .replace("}", "\\}") + "$0" + newline)

    # -- documentation ------------------------------------------------------------------------------

    def docs_link(self, rule_id: str) -> str | None:
        """Where the rule's documentation is: ``docs_url`` with the rule filled in, else the rule's
        module, whose docstring is its documentation."""
        import sys
        from pathlib import Path

        if self.options.docs_url:
            return self.options.docs_url.replace("{rule}", rule_id)
        if rule_id not in self._links:
            module = sys.modules.get(self.registry[rule_id].module) if rule_id in self.registry else None
            file = getattr(module, "__file__", None)
            self._links[rule_id] = Path(file).resolve().as_uri() if isinstance(file, str) else None
        return self._links[rule_id]

    def explain(self, rule_id: str) -> tuple[str, str] | None:
        """The rule's summary, and its "Why is this bad?" and "How to fix" sections (Markdown)."""
        if rule_id not in self.registry:
            return None
        rule = self.registry[rule_id]
        sections = rule.sections
        parts = [f"#### {name}\n\n{sections[name]}" for name in ("Why is this bad?", "How to fix")
                 if sections.get(name)]
        return rule.summary, "\n\n".join(parts)

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes


def _in_chart(path: str) -> bool:
    """Whether a file lies in a chart's folder (a template, a helper, values)."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.isfile(os.path.join(folder, "Chart.yaml")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _disk_text(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    text = data.decode("utf-8", "replace")
    return text[1:] if text.startswith("\ufeff") else text


def _unrendered(loaded: LoadResult) -> list[str]:
    return [f"k8slint: {folder} is not rendered, so not linted: no renderer on this machine ({hint})"
            for _, folder, hint in loaded.unrendered]


def _is_kubernetes(loaded: LoadResult) -> bool:
    """Whether a buffer holds Kubernetes objects, or is one that does not parse: the loader reports a
    file that does not parse only when it looks like a manifest (:func:`k8slint.load.looks_like_manifest`),
    as it does on the command line."""
    for doc in loaded.documents:
        if isinstance(doc.data, dict) and doc.data.get("apiVersion") and doc.data.get("kind"):
            return True
    return any(p.code == _INVALID for p in loaded.problems)


def _token_end(line: str, column: int) -> int:
    """The end of the key or value that starts at ``column`` (0-based), as the text report marks it."""
    return column + marker_width(line, column + 1)


def _place_of(r: Result, where: WherePath, chart: str | None) -> Place | None:
    """Where a finding goes: its file (a template when it was mapped), line and the range of the
    key it points at (to the end of the line for a missing field's mapping)."""
    source = r.source
    if source is not None and source.path is not None:
        path = where(source.path)
        line = (r.line or 1) - 1
        text = source.line(line + 1) or ""
    elif chart is not None and r.template:
        from ..load.render import template_file

        path, line, text = template_file(chart, r.template), 0, ""  # a place the render could not map
    else:
        return None
    real = real_path(path)
    if r.line is None:
        return Place(real, 0, 0, len(text.rstrip()), text)
    column = (r.column or 1) - 1
    if column >= len(text.rstrip()):
        return Place(real, line, min(column, len(text)), min(column, len(text)), text)
    end = _token_end(text, column) if r.exact else len(text.rstrip())
    return Place(real, line, column, max(end, column + 1), text)


def _related(r: Result, where: WherePath, mapper: OriginMapper) -> Iterable[tuple[Place | None, str]]:
    """The other places a finding is about: in its object, and the other objects of its edges (the
    ConfigMap without the key, the Service whose port is missing)."""
    for other in r.related:
        source = other.source or r.source
        if source is None or source.path is None or not other.line:
            continue
        text = source.line(other.line) or ""
        column = (other.column or 1) - 1
        yield Place(real_path(where(source.path)), other.line - 1, column, _token_end(text, column), text), \
            other.message
    seen: set[int] = set()
    for edge, note in r.edges:
        target = edge.to if edge.source is r.obj else edge.source
        if target is None or id(target) in seen or target is r.obj:
            continue
        seen.add(id(target))
        place = _object_place(target, where, mapper)
        ns = f"{target.namespace}/" if target.namespace else ""
        yield place, f"{target.kind} {ns}{target.name}: {note}" if note else f"{target.kind} {ns}{target.name}"


def _object_place(obj: K8sObject, where: WherePath, mapper: OriginMapper) -> Place | None:
    """Where an object is written: its ``metadata.name`` when the position is known, else the start
    of its document (the objects of the context are loaded without positions)."""
    doc = obj.document
    source = doc.source
    if doc.origin:
        kind, name = obj.kind, obj.name
        mapped = mapper.map(source, doc.start_line, doc.start_line + 1, 1, doc.origin, kind, name)
        if mapped is None:
            return None
        target, line, column = mapped
        if target.path is None:
            return None
        text = target.line(line) or ""
        return Place(real_path(where(target.path)), line - 1, column - 1, len(text.rstrip()), text)
    if source.path is None:
        return None
    if doc.positions:
        line, column, _ = locate(doc, obj.base + ("metadata", "name"))
    else:
        line, column = _name_line(source, doc.start_line + 1) if not obj.base else (doc.start_line + 1, 1)
    text = source.line(line) or ""
    return Place(real_path(where(source.path)), line - 1, column - 1, _token_end(text, column - 1), text)


_METADATA_NAME = re.compile(r"(\s+)name\s*:")


def _name_line(source: Source, first: int) -> tuple[int, int]:
    """The (line, column) of ``metadata.name`` in the block document starting at line ``first``
    (1-based), by its text; the document's first line when it is not written that way."""
    number, in_metadata, indent = first, False, 0
    while (text := source.line(number)) is not None and number < first + 2000:
        if number > first and text.startswith("---"):
            break
        stripped = text.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            if text[0] != " ":
                in_metadata, indent = text.rstrip() == "metadata:", 0
            elif in_metadata:
                indent = indent or len(text) - len(stripped)
                if len(text) - len(stripped) == indent and _METADATA_NAME.match(text):
                    return number, indent + 1
        number += 1
    return first, 1


def text_edit(original: str, fixed: str) -> TextEdit:
    """One edit that turns ``original`` into ``fixed``: the part between what they share at the
    start (whole lines) and at the end."""
    start = 0
    limit = min(len(original), len(fixed))
    while start < limit and original[start] == fixed[start]:
        start += 1
    start = original.rfind("\n", 0, start) + 1  # from the start of that line
    end_original, end_fixed = len(original), len(fixed)
    while end_original > start and end_fixed > start and original[end_original - 1] == fixed[end_fixed - 1]:
        end_original -= 1
        end_fixed -= 1
    return TextEdit(_position(original, start), _position(original, end_original), fixed[start:end_fixed])


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def _offset(text: str, position: tuple[int, int]) -> int:
    line, column = position
    offset = 0
    for _ in range(line):
        newline = text.find("\n", offset)
        if newline == -1:
            return len(text)
        offset = newline + 1
    return offset + column


def apply_edit(text: str, edit: TextEdit) -> str:
    """``text`` with ``edit`` applied."""
    return text[:_offset(text, edit.start)] + edit.new_text + text[_offset(text, edit.end):]

