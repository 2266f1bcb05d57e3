"""The engine: registry and discovery, rule documentation, positions, failures."""

from __future__ import annotations

import textwrap

import pytest
from conftest import FIXTURES, ROOT

from k8slint.engine import CATEGORIES, DOC_SECTIONS, Finding, Registry, Rule, Settings, load_rules_directory
from k8slint.pipeline import lint

TOOL_DIAGNOSTICS_WITHOUT_FIXTURES = {"internal-error",  # needs a broken rule: tested below
                                     "render-failed"}  # needs a failing renderer: tested in test_render.py


def test_builtin_rules_are_discovered(registry):
    ids = {r.id for r in registry}
    for expected in ("missing-readiness-probe", "missing-liveness-probe", "liveness-equals-readiness",
                     "probe-port-unknown", "subpath-configmap-stale", "sysctl-unsafe", "sysctl-node-level",
                     "cronjob-missing-starting-deadline", "cronjob-history-limits", "cronjob-invalid-schedule",
                     "job-missing-ttl", "job-restart-policy", "sa-token-automount",
                     "invalid-yaml", "duplicate-key", "internal-error"):
        assert expected in ids


def test_every_rule_module_is_a_registered_rule(registry):
    modules = {r.module for r in registry if r.check is not None}
    files = {p for p in (ROOT / "rules").rglob("*.py") if not p.name.startswith("_")}
    names = {"k8slint.rules." + ".".join(p.relative_to(ROOT / "rules").with_suffix("").parts) for p in files}
    assert names == modules


@pytest.mark.parametrize("section", DOC_SECTIONS)
def test_every_rule_documents_every_section(registry, section):
    for r in registry:
        assert r.sections.get(section), f"{r.id}: documentation lacks a '## {section}' section"


def test_references_link_upstream_documentation(registry):
    for r in registry:
        if r.id != "internal-error":
            assert "https://" in r.sections["References"], f"{r.id}: References should link upstream docs"


def test_how_to_fix_shows_a_snippet(registry):
    for r in registry:
        if r.id != "internal-error":
            assert "```" in r.sections["How to fix"], f"{r.id}: 'How to fix' needs a corrected snippet"


def test_every_rule_has_failing_and_passing_fixtures(registry):
    for r in registry:
        if r.id in TOOL_DIAGNOSTICS_WITHOUT_FIXTURES:
            continue
        folder = FIXTURES / r.id
        assert (folder / "bad.yaml").is_file(), f"fixtures/{r.id}/bad.yaml is missing"
        assert (folder / "good.yaml").is_file(), f"fixtures/{r.id}/good.yaml is missing"


def test_metadata_is_well_formed(registry):
    for r in registry:
        assert r.severity in ("error", "warning", "info")
        assert r.summary and not r.summary.endswith(".")
        assert r.category in CATEGORIES, r.id
        assert all(isinstance(t, str) for t in r.tags)


def test_ids_are_unique_and_kebab_case():
    reg = Registry()
    reg.register(Rule("my-rule", "warning", "c", "s", "", module="a"))
    with pytest.raises(ValueError):
        reg.register(Rule("my-rule", "warning", "c", "s", "", module="b"))
    with pytest.raises(ValueError):
        reg.register(Rule("My_Rule", "warning", "c", "s", "", module="a"))


# positions -------------------------------------------------------------------------

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: x
"""


@pytest.fixture
def user_rule(tmp_path, registry):
    """Load a rule module from a user rules folder; unregister it afterwards."""
    before = set(registry.rules)

    def load(body: str):
        d = tmp_path / "myrules"
        d.mkdir()
        (d / "myrule.py").write_text(textwrap.dedent(body))
        load_rules_directory(str(d))

    yield load
    for rule_id in set(registry.rules) - before:
        registry.rules.pop(rule_id)


def test_findings_anchor_at_the_field_or_at_the_mapping_that_should_hold_it(tmp_path, registry, user_rule):
    user_rule('''
        """## What it does
        x
        """
        from k8slint.engine import Finding, rule

        @rule(id="anchor-probe", severity="info", category="test", applies_to={"Pod"}, summary="x")
        def check(obj, ctx):
            c = obj.pod.containers[0]
            yield Finding(c.path / "image", "existing field")
            yield Finding(c.path / "securityContext" / "privileged", "missing field")
            yield Finding(("metadata", "namespace"), "missing metadata field")
            yield Finding((), "the object")
        ''')
    (tmp_path / "pod.yaml").write_text("---\n" + POD)
    report = lint([str(tmp_path / "pod.yaml")], registry, Settings())
    got = {r.message: (r.line, r.column, r.path) for r in report.results if r.rule == "anchor-probe"}
    assert got == {
        "existing field": (9, 7, "spec.containers[0].image"),
        "missing field": (8, 7, "spec.containers[0].securityContext.privileged"),
        "missing metadata field": (5, 3, "metadata.namespace"),
        "the object": (2, 1, ""),
    }


def test_a_failing_rule_is_an_internal_error_and_the_run_goes_on(tmp_path, registry, user_rule):
    user_rule('''
        """## What it does
        x
        """
        from k8slint.engine import rule

        @rule(id="always-crashes", severity="warning", category="test", applies_to={"Pod"}, summary="x")
        def check(obj, ctx):
            raise KeyError("boom")
        ''')
    (tmp_path / "pod.yaml").write_text(POD)
    report = lint([str(tmp_path / "pod.yaml")], registry, Settings())
    errors = [r for r in report.results if r.rule == "internal-error"]
    assert len(errors) == 1 and "always-crashes" in errors[0].message and "KeyError" in errors[0].message
    assert (errors[0].line, errors[0].column) == (1, 1)
    assert any(r.rule == "sa-token-automount" for r in report.results)  # other rules still ran


def test_finding_paths_render():
    f = Finding(("metadata", "annotations", "nginx.ingress.kubernetes.io/snippet"), "m")
    assert str(f.path) == 'metadata.annotations["nginx.ingress.kubernetes.io/snippet"]'


def test_settings_disable_and_reseverity(lint_text):
    settings = Settings(disabled={"missing-liveness-probe"}, severity={"sa-token-automount": "error"})
    report = lint_text(POD, settings=settings)
    rules = {r.rule: r.severity for r in report.results}
    assert "missing-liveness-probe" not in rules and rules["sa-token-automount"] == "error"


def test_readme_lists_every_rule_as_k8slint_rules_prints_it(registry, capsys):
    from k8slint.cli import main

    main(["rules", "--format", "markdown"])
    table = capsys.readouterr().out
    assert len(table.splitlines()) == len(registry) + 2
    assert table in (ROOT / "README.md").read_text(), "regenerate the table with `k8slint rules --format markdown`"


def test_a_finding_may_carry_its_own_severity(tmp_path, registry, user_rule, lint_text):
    user_rule('''
        """## What it does
        x
        """
        from k8slint.engine import Finding, rule

        @rule(id="graded", severity="warning", category="reliability", applies_to={"Pod"}, summary="x")
        def check(obj, ctx):
            yield Finding(("metadata",), "serious", severity="error")
            yield Finding(("spec",), "ordinary")
        ''')
    report = lint_text(POD, settings=Settings(enabled={"graded"}))
    assert {(r.message, r.severity) for r in report.results if r.rule == "graded"} == {
        ("serious", "error"), ("ordinary", "warning")}
    report = lint_text(POD, settings=Settings(severity={"graded": "info"}))
    assert {r.severity for r in report.results if r.rule == "graded"} == {"info"}  # configuration wins


def test_a_rule_that_needs_a_pod_template_only_sees_objects_with_one(tmp_path):
    from k8slint.engine import Context, Finding, Registry, Rule, Settings, run_rules
    from k8slint.graph import Graph
    from k8slint.load import load
    from k8slint.model import build_objects

    seen = []

    def check(obj, ctx):
        seen.append(obj.name)
        yield Finding(obj.pod.spec_path, f"{obj.name} has a pod template")

    registry = Registry()
    registry.register(Rule(id="probe-pod", severity="info", category="correctness", summary="s", doc="",
                           check=check, applies_to=frozenset({"Deployment"}), needs="pod"))
    (tmp_path / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: with}\nspec:\n  template:\n"
        "    spec: {containers: [{name: a, image: b}]}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: without}\nspec: {replicas: 1}\n")
    objects = build_objects(load([str(tmp_path)]).documents)[0]
    results = run_rules(objects, registry, Settings(), Context(Graph(objects), (1, 37)))
    assert seen == ["with"] and [r.message for r in results] == ["with has a pod template"]
    with pytest.raises(ValueError, match="needs must be one of"):
        registry.register(Rule(id="bad-needs", severity="info", category="correctness", summary="s", doc="",
                               needs="container"))
