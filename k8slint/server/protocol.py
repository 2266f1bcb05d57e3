"""The Language Server Protocol side of ``k8slint server``, on pygls and its lsprotocol types.

The protocol runs on an asyncio loop; every lint, fix and edit runs on one worker thread, one at a
time, through a :class:`~k8slint.server.session.Session`, so the loop keeps answering while a lint
runs. A change to a document is linted once the typing pauses (:data:`DEBOUNCE` seconds); an open or
a save is linted at once. Diagnostics are published only for the version of the document they were
computed from: a newer version has its own lint coming. Nothing that goes wrong inside a handler
stops the server: the error goes to the client's log (``window/logMessage``).
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from .session import CONFIGURATION_NOT_APPLIED, Diagnosis, IgnoreEdit, Options, Outcome, Place, Session, TextEdit

#: seconds without a change before a changed document is linted
DEBOUNCE = 0.3
#: seconds before the other open documents are linted again after a document changed or was saved
FOLLOW_UP = 0.5
#: the command that puts the cursor where an ignore comment's reason goes
PLACE_CURSOR = "k8slint.placeCursor"
FIX_ALL = "source.fixAll.k8slint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
_WATCHED = ("**/*.yaml", "**/*.yml", "**/*.json", "**/*.tpl", "**/.k8slint.yaml", "**/.k8slint.yml",
            "**/pyproject.toml")
#: diagnostics that say a suppression is useless: shown faded
_UNNECESSARY = ("unused-suppression",)

T = TypeVar("T")


@dataclass
class _Linted:
    """The last lint of an open document: the version and text it was of, and what it found."""

    version: int | None
    text: str
    outcome: Outcome
    diagnoses: list[Diagnosis]


class K8sLintServer(LanguageServer):
    def __init__(self, options: Options) -> None:
        super().__init__("k8slint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.options = options
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="k8slint-lint")
        self._session: Session | None = None
        self.pending: dict[str, asyncio.Task[None]] = {}  # uri -> a lint waiting for the typing to pause
        self.linted: dict[str, _Linted] = {}
        self.logged: set[str] = set()
        self.debounce = DEBOUNCE if options.debounce_ms is None else max(options.debounce_ms, 0) / 1000

    # -- the worker ---------------------------------------------------------------------------------

    def session(self) -> Session:
        """The session (created on the worker thread at its first job: loading the rules takes a while)."""
        if self._session is None:
            self._session = Session(self.options)
        return self._session

    async def on_worker(self, job: Callable[[Session], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, lambda: job(self.session()))

    # -- messages -----------------------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        try:
            self.window_log_message(types.LogMessageParams(kind, message))
        except Exception:  # the client is gone: nothing to tell it
            pass

    def log_error(self, what: str, err: BaseException) -> None:
        detail = "".join(traceback.format_exception(type(err), err, err.__traceback__))
        self.log(f"k8slint: {what} failed: {err}\n{detail}", types.MessageType.Error)

    def note(self, messages: Sequence[str]) -> None:
        """Log what a lint noted (a renderer missing, a configuration with a mistake) once each."""
        for message in messages:
            if message not in self.logged:
                self.logged.add(message)
                self.log(message, types.MessageType.Warning)
                if message.startswith(CONFIGURATION_NOT_APPLIED):
                    self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))

    # -- documents ----------------------------------------------------------------------------------

    def document(self, uri: str) -> TextDocument | None:
        docs: dict[str, TextDocument] = self.workspace.text_documents
        return docs.get(uri)

    def open_files(self) -> dict[str, str]:
        """uri -> file path of the open documents that are files."""
        out: dict[str, str] = {}
        docs: dict[str, TextDocument] = self.workspace.text_documents
        for uri in docs:
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path:
                out[uri] = os.path.abspath(path)
        return out

    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds, unless it changes again meanwhile."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)  # a cancel lands here: once the lint starts, it finishes
        current = asyncio.current_task()
        if self.pending.get(uri) is current:
            del self.pending[uri]
        await self.lint(uri)

    def follow_up(self, uri: str, same_folder: bool) -> None:
        """Lint the other open documents again (their context changed): those of the same folder, or all."""
        folder = os.path.dirname(to_fs_path(uri) or "")
        for other, path in self.open_files().items():
            if other != uri and (not same_folder or os.path.dirname(path) == folder):
                self.schedule(other, FOLLOW_UP)

    async def lint(self, uri: str) -> _Linted | None:
        """Lint the document as it is now and publish what was found (if it is still that version)."""
        doc = self.document(uri)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if doc is None or not path:
            return None
        try:
            return await self._lint(uri, path, doc)
        except Exception as err:
            self.log_error(f"linting {path}", err)
            return None

    async def _lint(self, uri: str, path: str, doc: TextDocument) -> _Linted | None:
        version, text = doc.version, doc.source
        files = self.open_files()
        buffers = {p: d.source for u, p in files.items() if u != uri and (d := self.document(u)) is not None}
        outcome = await self.on_worker(lambda s: s.lint(os.path.abspath(path), text, buffers))
        self.note(outcome.notes + await self.on_worker(lambda s: s.take_notes()))
        linted = None
        by_real = {os.path.realpath(p): u for u, p in files.items()}
        for real, diagnoses in outcome.diagnoses.items():
            target = uri if real == outcome.path else by_real.get(real)
            current = self.document(target) if target is not None else None
            if target is None or current is None:
                continue
            if target == uri:
                if current.version != version:
                    continue  # changed meanwhile: the newer version has a lint coming
                linted = self.linted[uri] = _Linted(version, text, outcome, diagnoses)
            elif current.source != outcome.texts.get(real):
                continue  # another template of the chart, changed since: its own lint is coming
            else:
                self.linted[target] = _Linted(current.version, current.source, outcome, diagnoses)
            self.publish(target, current.version, diagnoses)
        return linted

    def publish(self, uri: str, version: int | None, diagnoses: list[Diagnosis]) -> None:
        out = [self.diagnostic(d) for d in diagnoses]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, out, version))

    # -- conversions --------------------------------------------------------------------------------

    def units(self, line_text: str, column: int) -> int:
        """A column in code points as the client counts it (UTF-16 code units, unless agreed otherwise)."""
        return int(self.workspace.position_codec.client_num_units(line_text[:column]))

    def range_of(self, place: Place) -> types.Range:
        text = place.text.rstrip("\r")
        return types.Range(types.Position(place.line, self.units(text, place.start)),
                           types.Position(place.line, self.units(text, place.end)))

    def edit_range(self, lines: list[str], edit: TextEdit) -> types.Range:
        def position(at: tuple[int, int]) -> types.Position:
            line, column = at
            text = lines[line].rstrip("\r") if line < len(lines) else ""
            return types.Position(line, self.units(text, column))

        return types.Range(position(edit.start), position(edit.end))

    def diagnostic(self, d: Diagnosis) -> types.Diagnostic:
        capabilities = self.client_capabilities.text_document
        publish = capabilities.publish_diagnostics if capabilities is not None else None
        tags: list[types.DiagnosticTag] = []
        if "deprecated" in d.rule.split("-"):
            tags.append(types.DiagnosticTag.Deprecated)
        if d.rule in _UNNECESSARY:
            tags.append(types.DiagnosticTag.Unnecessary)
        supported = publish.tag_support.value_set if publish is not None and publish.tag_support else []
        tags = [t for t in tags if t in supported]
        related = None
        if publish is not None and publish.related_information and d.related:
            related = [types.DiagnosticRelatedInformation(types.Location(from_fs_path(p.path) or p.path,
                                                                         self.range_of(p)), message)
                       for p, message in d.related]
        href = self.session().docs_link(d.rule) if self._session is not None else None
        description = types.CodeDescription(href) \
            if href and publish is not None and publish.code_description_support else None
        return types.Diagnostic(self.range_of(d.place), d.message, SEVERITY.get(d.severity),
                                code=d.rule, code_description=description, source="k8slint",
                                tags=tags or None, related_information=related)

    def diagnoses_at(self, uri: str, start: types.Position, end: types.Position | None = None) -> list[Diagnosis]:
        """The last lint's findings on the range (a position: those whose range holds it)."""
        linted = self.linted.get(uri)
        doc = self.document(uri)
        if linted is None or doc is None:
            return []
        lines = list(doc.lines)
        first = doc.position_codec.position_from_client_units(lines, start)
        last = doc.position_codec.position_from_client_units(lines, end) if end is not None else first
        out = []
        for d in linted.diagnoses:
            p = d.place
            if (first.line, first.character) <= (p.line, p.end) and (p.line, p.start) <= (last.line, last.character):
                out.append(d)
        if end is not None and not out:  # a cursor in the line of a finding, outside its range
            out = [d for d in linted.diagnoses if first.line <= d.place.line <= last.line]
        return out

    # -- code actions -------------------------------------------------------------------------------

    def workspace_edit(self, uri: str, version: int | None, edits: Sequence[types.TextEdit | types.SnippetTextEdit]) \
            -> types.WorkspaceEdit:
        capabilities = self.client_capabilities.workspace
        changes = capabilities.workspace_edit.document_changes \
            if capabilities is not None and capabilities.workspace_edit is not None else False
        if changes:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                types.OptionalVersionedTextDocumentIdentifier(uri, version), list(edits))])
        return types.WorkspaceEdit(changes={uri: [e for e in edits if isinstance(e, types.TextEdit)]})

    def snippets(self) -> bool:
        capabilities = self.client_capabilities.workspace
        edit = capabilities.workspace_edit if capabilities is not None else None
        return bool(edit is not None and edit.document_changes and edit.snippet_edit_support)

    def show_document(self) -> bool:
        window = self.client_capabilities.window
        return bool(window is not None and window.show_document is not None and window.show_document.support)

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = self.document(uri)
        if doc is None:
            return []
        linted = self.linted.get(uri)
        if linted is None or linted.version != doc.version:
            waiting = self.pending.pop(uri, None)
            if waiting is not None:
                waiting.cancel()
            linted = await self.lint(uri)
            if linted is None:
                return []
        only = params.context.only
        found = self.diagnoses_at(uri, params.range.start, params.range.end)
        lines = linted.text.split("\n")
        actions: list[types.CodeAction] = []

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

        path = os.path.abspath(to_fs_path(uri) or "")
        outcome = linted.outcome
        if wanted(types.CodeActionKind.QuickFix):
            for d in found:
                lsp = self.diagnostic(d)
                if d.fix_safety is not None and d.result is not None and d.result.fix is not None:
                    fix = d.result.fix
                    unsafe = d.fix_safety != "safe"
                    fixes = await self.on_worker(partial(_fix_edits, outcome, [d], unsafe))
                    if fixes:
                        title = f"Fix {d.rule}: {fix.description}" + (" (unsafe)" if unsafe else "")
                        edits = [types.TextEdit(self.edit_range(lines, e), e.new_text) for e in fixes]
                        actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix,
                                                        diagnostics=[lsp], is_preferred=not unsafe,
                                                        edit=self.workspace_edit(uri, doc.version, edits)))
                ignore = await self.on_worker(partial(_ignore_edit, path, linted.text, d))
                if ignore is not None:
                    actions.append(self.ignore_action(uri, doc.version, d, lsp, ignore, lines))
        if wanted(FIX_ALL):
            safe = [d for d in linted.diagnoses if d.fix_safety == "safe"]
            if safe:
                fixes = await self.on_worker(lambda s: s.fix_edits(outcome, safe, False))
                if fixes:
                    edits = [types.TextEdit(self.edit_range(lines, e), e.new_text) for e in fixes]
                    actions.append(types.CodeAction("Fix all safely fixable k8slint findings", kind=FIX_ALL,
                                                    edit=self.workspace_edit(uri, doc.version, edits)))
        return actions

    def ignore_action(self, uri: str, version: int | None, d: Diagnosis, lsp: types.Diagnostic,
                      ignore: IgnoreEdit, lines: list[str]) -> types.CodeAction:
        edit_range = self.edit_range(lines, ignore.edit)
        title = f"Ignore {d.rule} with a reason"
        if ignore.snippet is not None and self.snippets():
            snippet = types.SnippetTextEdit(edit_range, types.StringValue(ignore.snippet))
            return types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                                    edit=self.workspace_edit(uri, version, [snippet]))
        action = types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                                  edit=self.workspace_edit(uri, version, [types.TextEdit(edit_range,
                                                                                         ignore.edit.new_text)]))
        if self.show_document():
            line, column = ignore.cursor
            text = ignore.edit.new_text.rstrip("\r\n") if ignore.snippet is not None else \
                (lines[line].rstrip("\r") if line < len(lines) else "") + ignore.edit.new_text
            action.command = types.Command("Write the reason", PLACE_CURSOR,
                                           arguments=[uri, line, self.units(text, column)])
        return action

    # -- hover --------------------------------------------------------------------------------------

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        found = self.diagnoses_at(params.text_document.uri, params.position)
        if not found:
            return None
        capabilities = self.client_capabilities.text_document
        formats = capabilities.hover.content_format if capabilities is not None and capabilities.hover else None
        markdown = not formats or types.MarkupKind.Markdown in formats
        parts = []
        for d in found:
            explained = await self.on_worker(partial(_explain, d.rule))
            head = f"**{d.rule}** ({d.severity}): {d.message}" if markdown else f"{d.rule} ({d.severity}): {d.message}"
            body = explained[1] if explained is not None else ""
            parts.append(f"{head}\n\n{body}" if body else head)
        separator = "\n\n---\n\n" if markdown else "\n\n"
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        first = found[0].place
        text = first.text.rstrip("\r")
        hover_range = types.Range(types.Position(first.line, self.units(text, first.start)),
                                  types.Position(first.line, self.units(text, first.end)))
        return types.Hover(types.MarkupContent(kind, separator.join(parts)), hover_range)


def _fix_edits(outcome: Outcome, diagnoses: list[Diagnosis], unsafe: bool, session: Session) -> list[TextEdit]:
    return session.fix_edits(outcome, diagnoses, unsafe)


def _ignore_edit(path: str, text: str, diagnosis: Diagnosis, session: Session) -> IgnoreEdit | None:
    return session.ignore_edit(path, text, diagnosis)


def _explain(rule: str, session: Session) -> tuple[str, str] | None:
    return session.explain(rule)


def create_server(options: Options) -> K8sLintServer:
    """The server with its handlers."""
    server = K8sLintServer(options)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        given = params.initialization_options
        if isinstance(given, dict):
            apply_initialization_options(server.options, given)
            if server.options.debounce_ms is not None:
                server.debounce = max(server.options.debounce_ms, 0) / 1000

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        capabilities = server.client_capabilities.workspace
        watch = capabilities.did_change_watched_files if capabilities is not None else None
        if watch is not None and watch.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                [types.FileSystemWatcher(glob) for glob in _WATCHED])
            try:
                await server.client_register_capability_async(types.RegistrationParams(
                    [types.Registration("k8slint-watch", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)]))
            except Exception as err:  # files are still checked before each lint
                server.log(f"k8slint: the client does not watch files for the server: {err}",
                           types.MessageType.Warning)
        try:
            await server.on_worker(lambda s: None)  # load the rules now, not at the first keystroke
        except Exception as err:
            server.log_error("loading the rules", err)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        linted = server.linted.get(uri)
        if linted is not None and linted.outcome.kind == "kustomize":
            return  # a kustomization is built from the files on disk: linted again when saved
        server.schedule(uri, server.debounce)
        server.follow_up(uri, same_folder=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        # what was saved is seen by its size and modification time at the next lint of any document
        uri = params.text_document.uri
        server.schedule(uri, 0)
        server.follow_up(uri, same_folder=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = server.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        server.linted.pop(uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for change in params.changes if (p := to_fs_path(change.uri))]
        try:
            await server.on_worker(lambda s: s.files_changed(paths))
        except Exception as err:
            server.log_error("reading changed files", err)
        for uri in server.open_files():
            server.schedule(uri, FOLLOW_UP)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        try:
            return await server.hover(params)
        except Exception as err:
            server.log_error("hover", err)
            return None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        try:
            return await server.code_actions(params)
        except Exception as err:
            server.log_error("code actions", err)
            return None

    @server.command(PLACE_CURSOR)
    async def place_cursor(*arguments: Any) -> None:
        try:
            uri, line, character = arguments[0], int(arguments[1]), int(arguments[2])
            at = types.Position(line, character)
            await server.window_show_document_async(types.ShowDocumentParams(
                uri, take_focus=True, selection=types.Range(at, at)))
        except Exception as err:
            server.log_error("placing the cursor", err)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        for waiting in server.pending.values():
            waiting.cancel()
        server.pending.clear()
        server.worker.shutdown(wait=False, cancel_futures=True)

    return server


def apply_initialization_options(options: Options, given: dict[str, Any]) -> None:
    """``initializationOptions``: ``kubeVersion``, ``profile``, ``namespace``, ``rulesDirs``,
    ``cache`` (false: none), ``cacheDir``, ``docsUrl`` and ``debounceMs``."""
    def text(key: str) -> str | None:
        value = given.get(key)
        return str(value) if isinstance(value, (str, int, float)) and str(value) else None

    options.kube_version = text("kubeVersion") or options.kube_version
    options.profile = text("profile") or options.profile
    options.namespace = text("namespace") or options.namespace
    options.cache_dir = text("cacheDir") or options.cache_dir
    options.docs_url = text("docsUrl") or options.docs_url
    if given.get("cache") is False:
        options.cache = False
    debounce = given.get("debounceMs")
    if isinstance(debounce, (int, float)) and not isinstance(debounce, bool):
        options.debounce_ms = float(debounce)
    dirs = given.get("rulesDirs")
    if isinstance(dirs, list):
        options.rules_dirs += [str(d) for d in dirs]


def serve(options: Options) -> None:
    """Serve over standard input and output until the client says exit. Standard output carries
    the protocol alone: anything else written there (by a library, a subprocess) goes to standard
    error instead."""
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    server = create_server(options)
    server.start_io(sys.stdin.buffer, protocol_out)
