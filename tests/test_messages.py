"""Every rule's messages say what they are about and quote what is wrong.

For each rule, its fixture sets (fixtures/<rule-id>/ and every sub-folder,
with the folder's k8slint.yaml if it has one) are linted with only that rule
selected, and every finding is checked on content, not against a frozen
snapshot:

- it names what it is about: the object's name, or the name of an item on the
  finding's path (a container, volume, port, environment variable: a list
  item's ``name``; a scalar list item such as a TLS host or a capability; an
  annotation, label or data key), or, for a field whose value is itself a
  name or key (``nodeName``, ``claimName``, ``topologyKey``, the object's
  ``kind`` and ``apiVersion``), that value; a finding about the pod as a whole
  may name the containers it concerns instead;
- when the finding points at a field that holds a scalar, the message quotes
  that value, unless the finding does not depend on it: the fixture is linted
  again with other values of the same type in that place (a neighbour, the
  zero value), and if the same finding comes back with the same message every
  time, the field itself is what is wrong (an unknown field, a field of the
  wrong type) and the value need not be quoted. A missing field has no value
  to quote.

Two small allow-lists name the rules whose messages rightly leave one out.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pathlib
import re

import pytest
from conftest import FIXTURES

from k8slint.config import Config, load_config, resolve_settings
from k8slint.engine import Settings, load_builtin_rules
from k8slint.kube import versions
from k8slint.load import LoadResult, load
from k8slint.pipeline import Report, lint_loaded

REGISTRY = load_builtin_rules()
TOOL_DIAGNOSTICS = {"internal-error", "render-failed"}  # about the run itself: no fixtures
CONFIG = "k8slint.yaml"
FIXED = "fixed.yaml"

# Rules whose messages rightly name neither the object nor an item of it (the value check still applies).
UNNAMED_OBJECT = {
    "cronjob-invalid-schedule": "opens with the rejected schedule, like the API server's error (wording pinned by "
                                "tests/test_cli.py, tests/test_precommit.py and the README example)",
    "schema-violation": "the schema validator's per-field messages name the field and its schema context, like the "
                        "API server's field errors (pinned by tests/test_schemas.py)",
}
# Rules whose messages rightly leave out the value they depend on (the naming check still applies).
UNQUOTED_VALUE = {
    "env-literal-secret": "the value is a credential: a report that repeats it leaks it further",
    "deprecated-field": "a deprecated or removed field is wrong whatever it holds; the message names the field",
}
FREE_FORM = {"annotations", "labels", "data", "stringData", "binaryData", "matchLabels", "nodeSelector"}
NAMING_FIELD = re.compile(r"(name|key)$", re.IGNORECASE)  # nodeName, claimName, secretName, key, topologyKey, ...
CONTAINER_LISTS = {"containers", "initContainers", "ephemeralContainers"}
LONGEST_QUOTABLE = 100  # a certificate, a script or a configuration snippet is not quoted whole
MISSING = object()


@dataclasses.dataclass
class FixtureRun:
    folder: pathlib.Path
    config: Config
    settings: Settings
    kube_version: tuple[int, ...]
    loaded: LoadResult
    report: Report | None = None

    def lint(self, loaded: LoadResult):
        return lint_loaded(loaded, REGISTRY, self.settings, self.kube_version,
                           config=self.config if self.config.path else None)


def fixture_runs(rule_id: str) -> list[FixtureRun]:
    rule_dir = FIXTURES / rule_id
    runs = []
    for folder in sorted([rule_dir] + [p for p in rule_dir.rglob("*") if p.is_dir()]):
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json")
                       and p.name not in (CONFIG, FIXED))
        if not files:
            continue
        config = load_config(str(folder / CONFIG)) if (folder / CONFIG).exists() else Config()
        settings = resolve_settings(config, REGISTRY, select=[rule_id])
        kube_version = versions.resolve(settings.kube_version)
        run = FixtureRun(folder, config, settings, kube_version, load([str(f) for f in files]))
        run.report = run.lint(run.loaded)
        runs.append(run)
    return runs


def parse_path(text: str) -> tuple:
    """The inverse of k8slint.paths.render: ``a.b[0]["c/d"]`` -> ("a", "b", 0, "c/d")."""
    from k8slint.paths import parse

    parts = parse(text)
    assert parts is not None, f"cannot read path {text!r}"
    return parts


def walk(raw, path):
    """The value at ``path`` (or MISSING) and the names of the items the path passes through."""
    names, current, previous = [], raw, None
    for part in path:
        if isinstance(part, int):
            if not isinstance(current, list) or not 0 <= part < len(current):
                return MISSING, names
            current = current[part]
            if isinstance(current, dict) and isinstance(current.get("name"), str):
                names.append(current["name"])
            elif isinstance(current, str):
                names.append(current)
        else:
            if previous in FREE_FORM:
                names.append(part)
            if not isinstance(current, dict) or part not in current:
                return MISSING, names
            current = current[part]
        previous = part
    return current, names


def container_names(obj) -> list[str]:
    pod = getattr(obj, "pod", None)
    if pod is None:
        return []
    return [c.name for c in pod.all_containers if isinstance(c.name, str) and c.name]


def renderings(value) -> set[str]:
    if isinstance(value, bool):
        return {"true" if value else "false", str(value)}
    if isinstance(value, float) and value.is_integer():
        return {str(value), str(int(value))}
    if isinstance(value, (int, float)):
        return {str(value)}
    return {value, repr(value)[1:-1], json.dumps(value)[1:-1]}


def quotable(value) -> bool:
    if value is None or value is MISSING or isinstance(value, (dict, list)):
        return False
    return not (isinstance(value, str) and ("\n" in value or len(value) > LONGEST_QUOTABLE))


def alternatives(value) -> list:
    """Other values of the same type to put in the field's place: a neighbour, and the zero value."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        return [value + 1, value - 1, type(value)(0)] if value else [value + 1, value - 1]
    return [value + "-other", ""] if value else ["other"]


def same_finding(a, b) -> bool:
    return (a.rule, a.path, a.message, a.identity) == (b.rule, b.path, b.message, b.identity)


def depends_on_value(run: FixtureRun, result, path, value) -> bool:
    """Whether the finding changes or goes away when another value of its type is in its place."""
    documents = list(run.loaded.documents)
    [index] = [i for i, d in enumerate(documents) if d is result.obj.document]
    original = documents[index]
    for other in alternatives(value):
        data = copy.deepcopy(original.data)
        holder = data
        for part in tuple(result.obj.base) + path[:-1]:
            holder = holder[part]
        holder[path[-1]] = other
        documents[index] = dataclasses.replace(original, data=data)
        report = run.lint(dataclasses.replace(run.loaded, documents=documents))
        if not any(same_finding(result, r) for r in report.results):
            return True
    return False


def problems_with(run: FixtureRun, result, allow_unnamed: bool | None = None,
                  allow_unquoted: bool | None = None) -> list[str]:
    if allow_unnamed is None:
        allow_unnamed = result.rule in UNNAMED_OBJECT
    if allow_unquoted is None:
        allow_unquoted = result.rule in UNQUOTED_VALUE
    path = parse_path(result.path)
    message = result.message
    problems = []
    obj = result.obj
    if obj is None:
        # a diagnostic about the text of a document or a suppression (duplicate-key, unused-suppression, ...):
        # it names the object, or the key it points at
        candidates = [result.identity.get("name")] if result.identity else []
        candidates += [p for p in path[-1:] if isinstance(p, str)]
        candidates = [c for c in candidates if c]
        if candidates and not any(c in message for c in candidates):
            problems.append(f"names none of {candidates}")
        return problems
    value, names = walk(obj.raw, path)
    candidates = [obj.name] + names
    if path and isinstance(path[-1], str) and (NAMING_FIELD.search(path[-1]) or path in (("kind",), ("apiVersion",))) \
            and isinstance(value, str):
        candidates.append(value)  # the field's value is the name of what is wrong
    if not CONTAINER_LISTS & {p for p in path if isinstance(p, str)}:
        candidates += container_names(obj)  # about the whole pod: naming the containers concerned will do
    candidates = [c for c in candidates if c]
    if not allow_unnamed and candidates and not any(c in message for c in candidates):
        problems.append(f"names none of {candidates}")
    if not allow_unquoted and quotable(value) and not any(v in message for v in renderings(value)) \
            and depends_on_value(run, result, path, value):
        problems.append(f"does not quote the value {value!r} it depends on")
    return problems


RULES = [r.id for r in REGISTRY if r.id not in TOOL_DIAGNOSTICS]


def test_every_rule_but_the_tool_diagnostics_has_fixtures():
    assert [r for r in RULES if not (FIXTURES / r).is_dir()] == []


@pytest.mark.parametrize("rule_id", RULES)
def test_messages_name_their_object_and_value(rule_id):
    seen = 0
    failures = []
    for run in fixture_runs(rule_id):
        for result in run.report.results:
            if result.rule != rule_id:
                continue
            seen += 1
            for problem in problems_with(run, result):
                failures.append(f"{run.folder.relative_to(FIXTURES)} {result.path or '(no path)'}: {problem}\n"
                                f"    {result.message}")
    assert seen, f"the fixtures of {rule_id} gave no finding of it to check"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("rule_id", sorted(UNNAMED_OBJECT))
def test_each_unnamed_object_entry_is_still_needed(rule_id):
    assert rule_id in REGISTRY
    assert any(problem.startswith("names none")
               for run in fixture_runs(rule_id) for result in run.report.results if result.rule == rule_id
               for problem in problems_with(run, result, allow_unnamed=False)), \
        f"every message of {rule_id} now names its object: remove its UNNAMED_OBJECT entry"


@pytest.mark.parametrize("rule_id", sorted(UNQUOTED_VALUE))
def test_each_unquoted_value_entry_is_still_needed(rule_id):
    assert rule_id in REGISTRY
    assert any(problem.startswith("does not quote")
               for run in fixture_runs(rule_id) for result in run.report.results if result.rule == rule_id
               for problem in problems_with(run, result, allow_unquoted=False)), \
        f"every message of {rule_id} now quotes its value: remove its UNQUOTED_VALUE entry"


@pytest.mark.parametrize("text, path", [
    ("", ()),
    ("spec.template.spec.containers[0].image", ("spec", "template", "spec", "containers", 0, "image")),
    ('metadata.annotations["a.b/c"]', ("metadata", "annotations", "a.b/c")),
    ('data["tls.crt"]', ("data", "tls.crt")),
    ('spec.selector["80"][1]', ("spec", "selector", "80", 1)),
])
def test_parse_path_inverts_render(text, path):
    from k8slint.paths import render

    assert parse_path(text) == path and render(path) == text
