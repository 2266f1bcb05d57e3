"""`k8slint server`: the language server, driven over stdio by a real language client (pytest-lsp).

Each test starts the server on a copy of tests/data/server-workspace (a project with a
.k8slint.yaml, a Deployment whose ConfigMap lives in a file the tests never open, a Helm chart, a
JSON file that is not a manifest) and talks to it as an editor would.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from conftest import FIXTURES, ROOT
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

DATA = ROOT / "tests" / "data" / "server-workspace"
SERVER = [sys.executable, "-m", "k8slint", "server"]


def has_renderer() -> bool:
    if shutil.which("helm"):
        return True
    try:
        import helm_python  # noqa: F401
    except ImportError:
        return False
    return True


def capabilities(snippets: bool = False) -> types.ClientCapabilities:
    """What VS Code announces; with ``snippets``, snippet edits in workspace edits too (LSP 3.18)."""
    caps = client_capabilities("visual-studio-code")
    assert caps.workspace is not None and caps.workspace.workspace_edit is not None
    caps.workspace.workspace_edit.snippet_edit_support = snippets
    return caps


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    shutil.copytree(DATA, folder)
    return folder


async def start(client: LanguageClient, workspace: Path, caps: types.ClientCapabilities | None = None) -> None:
    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        client.registrations = list(params.registrations)

    # lsprotocol reads any code action that has a `command` as a Command (its hook checks for the key);
    # editors tell them apart as the specification says: a Command's `command` is a string
    converter = client.protocol._converter
    converter.register_structure_hook(
        Union[types.Command, types.CodeAction],
        lambda obj, _: converter.structure(obj, types.Command if isinstance(obj.get("command"), str)
                                           else types.CodeAction))
    await client.initialize_session(types.InitializeParams(
        capabilities=caps or capabilities(), root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "workspace")],
        initialization_options={"cacheDir": str(workspace.parent / "cache")}))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def snippet_client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace, capabilities(snippets=True))
    yield lsp_client
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, path: Path, text: str | None = None, language: str = "yaml") -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri, language, 1, path.read_text(encoding="utf-8") if text is None else text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    """Replace the whole text (a change without a range)."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version, uri),
        [types.TextDocumentContentChangeWholeDocument(text)]))


async def diagnostics(client: LanguageClient, uri: str, until=lambda found: True, timeout: float = 20.0) \
        -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` once they satisfy ``until`` (they arrive asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and until(list(found)):
            return list(found)
        if loop.time() > deadline:
            raise AssertionError(f"diagnostics of {uri} never satisfied the test; last: {found}")
        await asyncio.sleep(0.05)


def rules(found: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in found}


def has(rule: str):
    return lambda found: rule in rules(found)


def lacks(rule: str):
    return lambda found: rule not in rules(found)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply text edits (ASCII text: UTF-16 columns are characters)."""
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[:p.line]) + p.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
        lines = text.split("\n")
    return text


def edits_of(action: types.CodeAction, uri: str) -> list:
    assert action.edit is not None
    if action.edit.document_changes:
        [change_] = action.edit.document_changes
        assert isinstance(change_, types.TextDocumentEdit) and change_.text_document.uri == uri
        return list(change_.edits)
    assert action.edit.changes is not None
    return list(action.edit.changes[uri])


async def actions_at(client: LanguageClient, uri: str, d: types.Diagnostic) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_a_finding_arrives_at_its_range_and_goes_when_the_text_is_fixed(client, workspace):
    path = workspace / "app" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path)
    found = await diagnostics(client, uri, has("reference-key-missing"))
    [d] = [d for d in found if d.code == "reference-key-missing"]
    # `key: loglevel` on line 21: the range spans the key
    assert d.range == types.Range(types.Position(20, 18), types.Position(20, 21))
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "k8slint"
    assert "has no key 'loglevel'" in d.message
    assert d.code_description is not None and d.code_description.href.startswith("file://")
    assert d.code_description.href.endswith("reference_key_missing.py")
    # the ConfigMap, in a file that was never opened
    [related] = d.related_information or []
    assert related.location.uri == (workspace / "app" / "config.yaml").as_uri()
    assert related.location.range.start == types.Position(4, 2)  # its `name: shop-config`
    assert "ConfigMap shop/shop-config" in related.message
    # the configuration applies: the rule it turns off is silent
    assert "missing-liveness-probe" not in rules(found)

    change(client, uri, 2, text.replace("key: loglevel", "key: log-level"))
    found = await diagnostics(client, uri, lacks("reference-key-missing"))
    assert "resources-missing" in rules(found)  # still linted, with the other findings


@pytest.mark.asyncio
async def test_a_cross_file_finding_follows_the_unopened_file_on_disk(client, workspace):
    uri = open_file(client, workspace / "app" / "deployment.yaml")
    await diagnostics(client, uri, has("reference-key-missing"))
    config = workspace / "app" / "config.yaml"
    config.write_text(config.read_text() + "  loglevel: debug\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]))
    await diagnostics(client, uri, lacks("reference-key-missing"))


@pytest.mark.asyncio
async def test_a_fix_applied_as_a_code_action_gives_the_golden_text(client, workspace):
    # job-restart-policy's own fixture: applying its fixes one by one gives fixed.yaml
    path = workspace / "jobs" / "job.yaml"
    path.parent.mkdir()
    text = (FIXTURES / "job-restart-policy" / "bad.yaml").read_text()
    path.write_text(text)
    uri = open_file(client, path)
    version = 1
    while True:
        found = await diagnostics(client, uri)
        todo = [d for d in found if d.code == "job-restart-policy"]
        if not todo:
            break
        actions = await actions_at(client, uri, todo[0])
        [fix] = [a for a in actions if a.title.startswith("Fix job-restart-policy")]
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
        assert "(unsafe)" not in fix.title
        text = apply(text, edits_of(fix, uri))
        version += 1
        client.diagnostics.pop(uri, None)
        change(client, uri, version, text)
        assert version < 5, "the fixes do not converge"
    assert text == (FIXTURES / "job-restart-policy" / "fixed.yaml").read_text()


@pytest.mark.asyncio
async def test_unsafe_fixes_are_labelled_and_deprecated_api_versions_tagged(client, workspace):
    uri = open_file(client, workspace / "app" / "deployment.yaml")
    found = await diagnostics(client, uri, has("sa-token-automount"))
    [d] = [d for d in found if d.code == "sa-token-automount"]
    [fix] = [a for a in await actions_at(client, uri, d) if a.title.startswith("Fix sa-token-automount")]
    assert fix.title.endswith("(unsafe)") and not fix.is_preferred
    [edit] = edits_of(fix, uri)
    assert "automountServiceAccountToken: false" in edit.new_text

    path = workspace / "app" / "report.yaml"
    text = ("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: report\n  namespace: shop\nspec:\n"
            "  schedule: \"@daily\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
            "          restartPolicy: OnFailure\n          containers:\n            - name: report\n"
            "              image: registry.example.com/report:1.0.0\n")
    uri = open_file(client, path, text)
    found = await diagnostics(client, uri, has("deprecated-api-version"))
    [d] = [d for d in found if d.code == "deprecated-api-version"]
    assert list(d.tags or []) == [types.DiagnosticTag.Deprecated]
    assert d.range == types.Range(types.Position(0, 0), types.Position(0, 10))  # `apiVersion`
    # every safe fix of the file at once
    [fix_all] = [a for a in (await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([], only=[types.CodeActionKind.SourceFixAll]))))
        or [] if isinstance(a, types.CodeAction)]
    assert fix_all.kind == "source.fixAll.k8slint"
    fixed = apply(text, edits_of(fix_all, uri))
    assert fixed.startswith("apiVersion: batch/v1\n") and "  startingDeadlineSeconds: 300\n" in fixed


@pytest.mark.asyncio
async def test_a_malformed_buffer_is_invalid_yaml_and_the_server_keeps_serving(client, workspace):
    path = workspace / "app" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path, text.replace("  name: shop\n", "  name: [shop\n", 1))
    found = await diagnostics(client, uri, has("invalid-yaml"))
    [d] = [d for d in found if d.code == "invalid-yaml"]
    assert d.severity == types.DiagnosticSeverity.Error
    change(client, uri, 2, text)
    found = await diagnostics(client, uri, lacks("invalid-yaml"))
    assert "reference-key-missing" in rules(found)


@pytest.mark.asyncio
async def test_hover_on_a_finding_shows_why_and_how_to_fix(client, workspace):
    uri = open_file(client, workspace / "app" / "deployment.yaml")
    found = await diagnostics(client, uri, has("reference-key-missing"))
    [d] = [d for d in found if d.code == "reference-key-missing"]
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(d.range.start.line, d.range.start.character + 1)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    body = hover.contents.value
    assert "reference-key-missing" in body and "Why is this bad?" in body and "How to fix" in body
    assert "CreateContainerConfigError" in body
    assert "What it does" not in body
    nothing = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(0, 0)))
    assert nothing is None


@pytest.mark.asyncio
async def test_a_configuration_change_is_picked_up_without_a_restart(client, workspace):
    path = workspace / "app" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path)
    await diagnostics(client, uri, has("reference-key-missing"))
    config = workspace / ".k8slint.yaml"
    config.write_text("rules:\n  missing-liveness-probe: off\n  reference-key-missing: off\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]))
    await diagnostics(client, uri, lacks("reference-key-missing"))
    # without a notification (a client that watches nothing), the next lint reads it again too
    config.write_text("rules:\n  reference-key-missing: info\n")
    client.diagnostics.pop(uri, None)
    change(client, uri, 2, text + "\n")
    found = await diagnostics(client, uri, has("reference-key-missing"))
    assert "missing-liveness-probe" in rules(found)
    [d] = [d for d in found if d.code == "reference-key-missing"]
    assert d.severity == types.DiagnosticSeverity.Information
    # the configuration file's own mistakes, at their line, as it is typed
    uri = open_file(client, config, "rules:\n  reference-key-missing: info\n  no-such-rule: off\n")
    [d] = await diagnostics(client, uri, lambda found: len(found) == 1)
    assert "unknown rule 'no-such-rule'" in d.message and d.range.start == types.Position(2, 2)
    # saved with its mistake, it does not apply, and the editor shows why
    config.write_text("rules:\n  reference-key-missing: off\n  no-such-rule: off\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(config.as_uri(), types.FileChangeType.Changed)]))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while not any("no-such-rule" in m.message for m in client.messages):
        assert loop.time() < deadline, client.messages
        await asyncio.sleep(0.05)
    [message] = [m for m in client.messages if "no-such-rule" in m.message]
    assert message.type == types.MessageType.Warning and "configuration not applied" in message.message


@pytest.mark.asyncio
async def test_yaml_and_json_without_kubernetes_objects_get_no_diagnostics(client, workspace):
    uri = open_file(client, workspace / "tsconfig.json", language="json")
    assert await diagnostics(client, uri) == []
    values = workspace / "values.yaml"
    values.write_text("replicas: 3\nimage:\n  tag: [latest\n")  # not a manifest, even broken
    uri = open_file(client, values)
    assert await diagnostics(client, uri) == []


@pytest.mark.asyncio
async def test_ignore_with_a_reason_inserts_the_comment_with_the_cursor_at_the_reason(snippet_client, workspace):
    client = snippet_client
    path = workspace / "app" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path)
    found = await diagnostics(client, uri, has("reference-key-missing"))
    [d] = [d for d in found if d.code == "reference-key-missing"]
    [ignore] = [a for a in await actions_at(client, uri, d) if a.title == "Ignore reference-key-missing with a reason"]
    [edit] = edits_of(ignore, uri)
    assert isinstance(edit, types.SnippetTextEdit)
    assert edit.range == types.Range(types.Position(20, 0), types.Position(20, 0))
    assert edit.snippet.value == "                  # k8slint: ignore[reference-key-missing] $0\n"
    # the reason written where the cursor was: the finding is suppressed
    text = apply(text, [types.TextEdit(edit.range, edit.snippet.value.replace("$0", "set by the operator"))])
    change(client, uri, 2, text)
    await diagnostics(client, uri, lacks("reference-key-missing"))


@pytest.mark.asyncio
async def test_ignore_without_snippets_is_plain_text_and_a_cursor_command(client, workspace):
    path = workspace / "app" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path)
    found = await diagnostics(client, uri, has("reference-key-missing"))
    [d] = [d for d in found if d.code == "reference-key-missing"]
    [ignore] = [a for a in await actions_at(client, uri, d) if a.title.startswith("Ignore reference-key-missing")]
    [edit] = edits_of(ignore, uri)
    assert isinstance(edit, types.TextEdit)
    assert edit.new_text == "                  # k8slint: ignore[reference-key-missing] \n"
    assert ignore.command is not None and ignore.command.command == "k8slint.placeCursor"
    assert list(ignore.command.arguments or []) == [uri, 20, len(edit.new_text) - 1]
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        ignore.command.command, ignore.command.arguments))
    [shown] = client.shown_documents
    at = types.Position(20, len(edit.new_text) - 1)
    assert shown.uri == uri and shown.selection == types.Range(at, at)
    change(client, uri, 2, apply(text, [edit]))  # no reason yet: the comment says so
    found = await diagnostics(client, uri, has("suppression-without-reason"))
    assert "reference-key-missing" not in rules(found)


@pytest.mark.asyncio
@pytest.mark.skipif(not has_renderer(), reason="no Helm renderer (helm, or helm-python-sdk)")
async def test_a_helm_template_gets_the_findings_of_its_chart_render(client, workspace):
    path = workspace / "chart" / "templates" / "deployment.yaml"
    text = path.read_text()
    uri = open_file(client, path)
    found = await diagnostics(client, uri, has("privileged-container"))
    [d] = [d for d in found if d.code == "privileged-container"]
    assert d.range.start == types.Position(17, 12)  # `privileged: {{ .Values.privileged }}`
    # the unsaved template is what is rendered
    change(client, uri, 2, text.replace("{{ .Values.privileged }}", "false"))
    await diagnostics(client, uri, lacks("privileged-container"))
    # a template that does not render says where Helm stopped
    change(client, uri, 3, text.replace("{{ .Values.image }}", "{{ .Values.image "))
    found = await diagnostics(client, uri, has("render-failed"))
    [d] = [d for d in found if d.code == "render-failed"]
    where = re.search(r"web/templates/deployment\.yaml:(\d+)", d.message)
    assert where is not None and d.range.start.line == int(where.group(1)) - 1
    assert str(workspace.parent) not in d.message.replace(str(workspace), "")  # no temporary copy named


@pytest.mark.asyncio
async def test_a_failing_handler_is_logged_and_the_server_keeps_serving(client, workspace):
    await client.workspace_execute_command_async(types.ExecuteCommandParams("k8slint.placeCursor", []))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not any("placing the cursor failed" in m.message for m in client.log_messages):
        assert loop.time() < deadline, [m.message for m in client.log_messages]
        await asyncio.sleep(0.05)
    uri = open_file(client, workspace / "app" / "deployment.yaml")
    await diagnostics(client, uri, has("reference-key-missing"))


def test_server_help_and_stdio_flag():
    done = subprocess.run(SERVER + ["--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--stdio" in done.stdout and "initializationOptions" in done.stdout


def test_the_command_line_does_not_import_pygls():
    code = "import sys, k8slint.cli; sys.exit('pygls' in sys.modules or 'lsprotocol' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_server_exits_when_the_client_closes_its_input():
    done = subprocess.run(SERVER + ["--stdio"], input=b"", capture_output=True, timeout=60,
                          env=dict(os.environ, K8SLINT_CACHE_DIR=os.devnull))
    assert done.stdout == b""
