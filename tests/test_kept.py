"""Findings of rules of scope "object", kept between runs with the parse cache."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from k8slint.cli import main
from k8slint.engine import Finding, Option, Registry, Rule, Settings
from k8slint.load import load
from k8slint.load.cache import ParseCache
from k8slint.pipeline import lint_loaded

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: web:1.0}]\n"


def counting_registry(calls):
    """Three rules of scope "object": one reads its object alone, one reads the graph for pods named
    'web', one has an option."""

    def alone(obj, ctx):
        calls.append(("alone", obj.name))
        yield Finding(("spec", "containers", 0, "image"), f"{obj.name} found alone")

    def nosy(obj, ctx):
        calls.append(("nosy", obj.name))
        if obj.name == "web":
            ctx.graph.objects_of("Service")  # reading the run: what it finds here is not kept
        yield Finding(("metadata", "name"), f"{obj.name} found with the graph")

    def optioned(obj, ctx):
        calls.append(("optioned", obj.name))
        yield Finding((), f"{obj.name}: limit {ctx.options['limit']}")

    registry = Registry()
    for rule_id, check, options in (("alone", alone, {}), ("nosy", nosy, {}),
                                    ("optioned", optioned, {"limit": Option(1, "a limit", "int")})):
        registry.register(Rule(id=rule_id, severity="warning", category="correctness", summary="s", doc="",
                               check=check, applies_to=frozenset({"Pod"}), scope="object", options=options))
    return registry


def run(tmp_path, registry, settings=None):
    cache = ParseCache.open(str(tmp_path / "cache"))
    report = lint_loaded(load([str(tmp_path / "m")], cache=cache), registry, settings or Settings(), (1, 37),
                         cache=cache)
    return [(r.rule, r.message, r.line, r.column) for r in report.results], report


def test_what_a_rule_finds_in_its_object_alone_is_kept(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "pods.yaml").write_text(POD + "---\n" + POD.replace("name: web}", "name: api}"))
    calls = []
    registry = counting_registry(calls)
    first, _ = run(tmp_path, registry)
    assert len(calls) == 6
    calls.clear()
    # another file joins the run (so it is not replayed whole): the pods' texts are unchanged
    (tmp_path / "m" / "other.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    second, report = run(tmp_path, registry)
    assert second == first
    assert sorted(calls) == [("nosy", "web")]  # it read the graph for this pod: run again
    # the kept findings come with their places: no position table was built for them
    pods = [d for d in report.load.documents if d.source.display.endswith("pods.yaml")]
    assert len(pods) == 2 and all(d.positions._table is None for d in pods)

    calls.clear()
    third, _ = run(tmp_path, registry, Settings(options={"optioned": {"limit": 2}}))
    assert sorted(calls) == [("nosy", "web"), ("optioned", "api"), ("optioned", "web")]  # another option
    assert ("optioned", "web: limit 2", 1, 1) in third

    calls.clear()
    (tmp_path / "m" / "pods.yaml").write_text("# edited\n" + POD)
    fourth, _ = run(tmp_path, registry)
    assert sorted(calls) == [("alone", "web"), ("nosy", "web"), ("optioned", "web")]  # another text
    assert ("alone", "web found alone", 5, 28) in first and ("alone", "web found alone", 6, 28) in fourth


def test_a_warm_run_reports_what_a_cold_one_does(tmp_path, capsys):
    outputs = []
    for cache in ("--no-cache", "--cache-dir", "--cache-dir"):
        out = tmp_path / f"{len(outputs)}.json"
        where = [cache] if cache == "--no-cache" else [cache, str(tmp_path / "cache")]
        main(["--no-config", "--enable-all", "--format", "json", "-o", str(out), *where, str(FIXTURES)])
        outputs.append(out.read_bytes())
    capsys.readouterr()
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_scope_must_be_known():
    with pytest.raises(ValueError, match="scope must be one of"):
        Registry().register(Rule(id="bad-scope", severity="info", category="correctness", summary="s", doc="",
                                 scope="file"))


def test_a_run_of_the_same_texts_and_settings_replays_every_rule(tmp_path):
    import datetime

    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "pods.yaml").write_text(POD)
    calls = []
    registry = counting_registry(calls)

    def graph_rule(obj, ctx):
        calls.append(("graph", obj.name))
        yield Finding((), f"{obj.name} sees {len(ctx.graph.objects_of('Pod'))} pod(s)")

    registry.register(Rule(id="graph-rule", severity="info", category="correctness", summary="s", doc="",
                           check=graph_rule, applies_to=frozenset({"Pod"})))

    def lint(today=datetime.date(2026, 11, 30), settings=None):
        cache = ParseCache.open(str(tmp_path / "cache"))
        report = lint_loaded(load([str(tmp_path / "m")], cache=cache), registry, settings or Settings(), (1, 37),
                             cache=cache, today=today)
        return [(r.rule, r.message, r.line) for r in report.results], report

    first, _ = lint()
    calls.clear()
    again, report = lint()
    assert again == first and calls == []  # nothing ran
    assert report._graph is None and report.graph is not None  # built only when a report asks for it
    assert [n for n in report.graph.objects] == report.objects

    lint(today=datetime.date(2026, 12, 1))  # another day: certificates may have expired
    assert ("graph", "web") in calls
    calls.clear()
    lint(settings=Settings(severity={"alone": "error"}))  # other settings
    assert ("graph", "web") in calls
    calls.clear()
    (tmp_path / "m" / "more.yaml").write_text(POD.replace("name: web}", "name: api}"))
    more, _ = lint()  # another file: the graph rule runs again, the kept object rules do not for web
    assert sorted(c for c in calls if c[1] == "web") == [("graph", "web"), ("nosy", "web")]
    assert ("graph-rule", "web sees 2 pod(s)", 1) in more
