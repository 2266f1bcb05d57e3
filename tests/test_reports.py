"""Output formats: JSON against our schema, SARIF against the official 2.1.0 schema."""

from __future__ import annotations

import importlib.resources
import io
import json

import jsonschema
import pytest
from conftest import FIXTURES
from sarif_kit.validate import validation_errors

from k8slint.engine import Settings
from k8slint.report import json as json_report
from k8slint.report import sarif, text
from k8slint.pipeline import lint

HELM = """\
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "registry.example.com/web:1.0.0"
          ports: [{containerPort: 8080}]
"""


@pytest.fixture(scope="module")
def output_schema():
    return json.loads(importlib.resources.files("k8slint.schemas").joinpath("output.schema.json").read_text())


@pytest.fixture(scope="module")
def fixtures_report(registry):
    return lint([str(FIXTURES)], registry, Settings())


def test_json_output_matches_the_schema(fixtures_report, output_schema):
    doc = json.loads(json.dumps(json_report.document(fixtures_report)))
    jsonschema.Draft202012Validator.check_schema(output_schema)
    jsonschema.validate(doc, output_schema, cls=jsonschema.Draft202012Validator)
    rules = {f["rule"] for f in doc["findings"]}
    assert {"invalid-yaml", "duplicate-key", "subpath-configmap-stale"} <= rules


def test_schema_rejects_a_malformed_finding(output_schema):
    bad = {"tool": {"name": "k8slint", "version": "0"}, "summary": {}, "findings": [{"rule": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, output_schema, cls=jsonschema.Draft202012Validator)


def test_sarif_validates_against_the_official_schema(fixtures_report, registry):
    doc = json.loads(json.dumps(sarif.document(fixtures_report, registry)))
    assert validation_errors(doc) == []
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "sysctl-unsafe" in ids and "invalid-yaml" in ids
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
        assert ids[result["ruleIndex"]] == result["ruleId"]
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]}
    assert len(lines) > 10  # real regions, not every result on line 1


def test_related_locations_in_every_format(fixtures_report, registry):
    """One finding for a pod with several hostPath volumes: the others are related locations."""
    [result] = [r for r in fixtures_report.results
                if r.rule == "host-path-volume" and "'varlog'" in r.message]
    assert [(o.line, o.column, o.path) for o in result.related] == [
        (25, 11, "spec.template.spec.volumes[1].hostPath")]
    sarif_results = sarif.document(fixtures_report, registry)["runs"][0]["results"]
    [entry] = [r for r in sarif_results if r["message"]["text"] == result.message]
    [related] = entry["relatedLocations"]
    assert related["physicalLocation"]["region"] == {"startLine": 25, "startColumn": 11}
    assert "runtime" in related["message"]["text"]
    [finding] = [f for f in json_report.document(fixtures_report)["findings"] if f["message"] == result.message]
    assert finding["related"][0]["line"] == 25
    out = io.StringIO()
    text.write(fixtures_report, out)
    assert "= also line 25: hostPath volume 'runtime'" in out.getvalue()


def test_sarif_rule_metadata(registry):
    rule = next(r for r in sarif.document(lint([], registry), registry)["runs"][0]["tool"]["driver"]["rules"]
                if r["id"] == "cronjob-invalid-schedule")
    assert rule["name"] == "CronjobInvalidSchedule"
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "robfig" in rule["help"]["markdown"]


def test_helm_template_is_carried_to_every_format(lint_text, registry):
    report = lint_text(HELM, name="rendered.yaml")
    assert report.results and all(r.template == "shop/templates/deployment.yaml" for r in report.results)
    out = io.StringIO()
    text.write(report, out)
    assert "rendered from Helm template shop/templates/deployment.yaml" in out.getvalue()
    result = sarif.document(report, registry)["runs"][0]["results"][0]
    assert result["properties"]["helmTemplate"] == "shop/templates/deployment.yaml"
    finding = json_report.document(report)["findings"][0]
    assert finding["template"] == "shop/templates/deployment.yaml"
    assert finding["object"]["namespace"] == "shop"


def test_text_marker_spans_the_key_or_marks_where_a_field_is_missing(lint_text):
    report = lint_text(HELM.replace("          ports:", "          livenessProbe: {tcpSocket: {port: admin}}\n"
                                                     "          ports:"))
    out = io.StringIO()
    text.write(report, out)
    lines = out.getvalue().splitlines()
    i = next(n for n, line in enumerate(lines) if "[probe-port-unknown]" in line)
    assert lines[i + 1] == "   18 |           livenessProbe: {tcpSocket: {port: admin}}"
    assert lines[i + 2] == "      |                                       ^~~~"
    i = next(n for n, line in enumerate(lines) if "[missing-readiness-probe]" in line)
    assert lines[i + 1] == "   16 |         - name: web"
    assert lines[i + 2] == "      |           ^"


def test_text_groups_files_and_colours_on_request(fixtures_report):
    plain = io.StringIO()
    text.write(fixtures_report, plain)
    assert "\x1b[" not in plain.getvalue()
    coloured = io.StringIO()
    text.write(fixtures_report, coloured, color=True)
    assert "\x1b[" in coloured.getvalue()
    assert plain.getvalue().rstrip().splitlines()[-1].endswith(").")


def test_concise_prints_one_line_per_finding(tmp_path, capsys):
    from k8slint.cli import main

    bad = FIXTURES / "job-restart-policy" / "bad.yaml"
    main(["--no-config", "--format", "json", str(bad)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    main(["--no-config", "--format", "concise", str(bad)])
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{f['file']}:{f['line']}:{f['column']}: {f['severity']} {f['rule']} {f['message']}"
                     for f in findings]
    hostile = tmp_path / "two\nlines.yaml"
    hostile.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: a}]}\n")
    main(["--no-config", "--format", "concise", str(hostile)])
    out = capsys.readouterr().out
    assert out and all(line.startswith(str(tmp_path)) for line in out.splitlines())  # a name's line break is shown


def test_statistics_count_findings_per_rule_instead_of_listing_them(capsys):
    from collections import Counter

    from k8slint.cli import main

    paths = [str(FIXTURES / "job-restart-policy"), str(FIXTURES / "sa-token-automount")]
    main(["--no-config", "--format", "json", *paths])
    findings = json.loads(capsys.readouterr().out)["findings"]
    code = main(["--no-config", "--statistics", *paths])
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    counts = Counter(f["rule"] for f in findings)
    assert [(int(row[0]), row[2]) for row in rows] == sorted(((n, rule) for rule, n in counts.items()),
                                                             key=lambda row: (-row[0], row[1]))
    fixable = {row[2]: int(row[3]) for row in rows}
    assert fixable["job-restart-policy"] == counts["job-restart-policy"] > 0  # its findings all offer a fix
    assert fixable["resources-missing"] == 0
    assert code == 1  # the exit status follows the findings, as without --statistics
