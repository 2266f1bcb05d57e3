"""Configuration discovery, presets, CLI precedence, suppressions, exemptions, baselines, CI formats."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest
from sarif_kit.validate import validation_errors

from k8slint.cli import main

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: {namespace}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.0.1
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A project folder, the working directory of the test."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "job.yaml").write_text(JOB.format(namespace="apps"))
    return tmp_path


def lint(capsys, *argv):
    code = main(["--format", "json", "--select", "job-missing-ttl,unused-suppression,suppression-without-reason,"
                 "exemption-expired", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def rules_of(data):
    return sorted(f["rule"] for f in data["findings"])


# configuration --------------------------------------------------------------------------

def test_config_is_found_by_walking_up(repo, capsys, monkeypatch):
    (repo / ".k8slint.yaml").write_text("rules:\n  job-missing-ttl: info\n")
    monkeypatch.chdir(repo / "manifests")
    code, data, _ = lint(capsys, "job.yaml")
    assert [f["severity"] for f in data["findings"]] == ["info"] and code == 0  # info does not fail
    code, data, _ = lint(capsys, "--no-config", "job.yaml")
    assert [f["severity"] for f in data["findings"]] == ["warning"]


def test_pyproject_tool_table(repo, capsys):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.k8slint]\nfail-on = "error"\n'
                                         '[tool.k8slint.rules]\njob-missing-ttl = "warning"\n')
    code, data, _ = lint(capsys, "manifests")
    assert code == 0 and rules_of(data) == ["job-missing-ttl"]


def test_pyproject_errors_name_the_key(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.k8slint]\nfailon = "error"\n')
    assert main(["manifests"]) == 2
    assert "pyproject.toml:2: unknown key 'failon'" in capsys.readouterr().err


def test_config_errors_name_the_key_and_line(repo, capsys):
    (repo / ".k8slint.yaml").write_text("rules: {}\nexemptions:\n  - kinds: [Job]\n")
    assert main(["manifests"]) == 2
    assert ".k8slint.yaml:3: exemptions.0 needs 'reason'" in capsys.readouterr().err


def test_exclude_and_cli_precedence(repo, capsys):
    (repo / "vendor").mkdir()
    (repo / "vendor" / "job.yaml").write_text(JOB.format(namespace="vendor"))
    (repo / ".k8slint.yaml").write_text("exclude: [vendor]\nfail-on: never\nrules:\n  job-missing-ttl: off\n")
    assert main(["--format", "json", "."]) == 0
    assert "job-missing-ttl" not in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    code, data, _ = lint(capsys, "--fail-on", "warning", ".")   # the command line wins
    assert code == 1 and [f["file"] for f in data["findings"]] == ["manifests/job.yaml"]


def test_extends_all_turns_on_opt_in_rules(repo, capsys):
    (repo / "manifests" / "cr.yaml").write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
    main(["--format", "json", "--select", "schema-unknown-kind", "manifests"])
    assert json.loads(capsys.readouterr().out)["findings"]  # --select turns an opt-in rule on
    main(["--format", "json", "manifests"])
    assert "schema-unknown-kind" not in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    (repo / ".k8slint.yaml").write_text("extends: all\n")
    main(["--format", "json", "manifests"])
    assert "schema-unknown-kind" in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    main(["--format", "json", "--ignore", "schema-unknown-kind", "manifests"])
    assert "schema-unknown-kind" not in {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_unknown_rule_on_the_command_line(repo, capsys):
    assert main(["--select", "nope", "manifests"]) == 2
    assert "unknown rule 'nope'" in capsys.readouterr().err


# suppressions ------------------------------------------------------------------------------

def test_annotation_suppression_is_reported_as_suppressed(repo, capsys):
    path = repo / "manifests" / "job.yaml"
    path.write_text(JOB.format(namespace="apps").replace(
        "  namespace: apps\n", "  namespace: apps\n  annotations:\n"
                               "    ignore.k8slint.io/job-missing-ttl: \"the CI job deletes it\"\n"))
    code, data, _ = lint(capsys, "manifests")
    assert code == 0 and data["findings"] == []
    [suppressed] = data["suppressed"]
    assert suppressed["suppression"] == {"kind": "annotation", "reason": "the CI job deletes it",
                                         "where": "ignore.k8slint.io/job-missing-ttl"}
    assert data["summary"]["suppressed"] == 1


def test_comment_suppression_on_the_line_or_the_line_above(repo, capsys):
    # the Job's finding anchors at `template:`, the first key of its spec
    path = repo / "manifests" / "job.yaml"
    text = JOB.format(namespace="apps")
    path.write_text(text.replace("  template:", "  template:  # k8slint: ignore[job-missing-ttl] ephemeral"))
    assert lint(capsys, "manifests")[1]["findings"] == []
    path.write_text(text.replace("  template:", "  # k8slint: ignore[job-missing-ttl] ephemeral\n  template:"))
    assert lint(capsys, "manifests")[1]["findings"] == []
    path.write_text(text.replace("spec:\n", "# k8slint: ignore[job-missing-ttl] ephemeral\nspec:\n", 1))
    code, data, _ = lint(capsys, "manifests")
    assert rules_of(data) == ["job-missing-ttl", "unused-suppression"]  # two lines above: out of reach


def test_text_summary_counts_suppressed(repo, capsys):
    path = repo / "manifests" / "job.yaml"
    path.write_text(JOB.format(namespace="apps").replace("spec:\n  template:",
                                                         "spec:\n  # k8slint: ignore[job-missing-ttl] ephemeral\n"
                                                         "  template:"))
    code = main(["--select", "job-missing-ttl", "manifests"])
    out = capsys.readouterr().out
    assert code == 0 and "1 suppressed" in out


def test_exemptions_match_paths_namespaces_kinds_names_and_expire(repo, capsys):
    (repo / "manifests" / "other.yaml").write_text(JOB.format(namespace="batch").replace("migrate", "backfill"))
    (repo / ".k8slint.yaml").write_text(
        "exemptions:\n"
        "  - reason: jobs in apps are deleted by the release pipeline\n"
        "    namespaces: [apps]\n    kinds: [Job]\n    names: ['mig*']\n    paths: ['manifests/*.yaml']\n"
        "  - reason: backfills are kept for auditing\n    until: 2000-01-01\n    names: [backfill]\n")
    code, data, _ = lint(capsys, "manifests")
    assert [(f["rule"], f["object"]["name"] if f["object"] else f["line"]) for f in data["findings"]] == [
        ("exemption-expired", 7), ("job-missing-ttl", "backfill")]
    [suppressed] = data["suppressed"]
    assert suppressed["object"]["name"] == "migrate" and suppressed["suppression"]["kind"] == "exemption"


def test_an_exemption_is_unused_only_when_its_rule_ran_over_files_it_could_match(repo, capsys):
    (repo / "manifests" / "other.yaml").write_text(JOB.format(namespace="batch").replace("migrate", "backfill"))
    (repo / ".k8slint.yaml").write_text(
        "exemptions:\n"
        "  - reason: backfills are kept for auditing\n    rules: [job-missing-ttl]\n    paths: [manifests/other.yaml]\n"
        "  - reason: the old importer is gone\n    rules: [job-missing-ttl]\n    names: [importer]\n")

    def unused(*argv):
        code = main(["--format", "json", *argv])
        data = json.loads(capsys.readouterr().out)
        return sorted(f["line"] for f in data["findings"] if f["rule"] == "unused-suppression"), data

    # the whole project: the second exemption matches nothing anywhere
    lines, data = unused("manifests")
    assert lines == [5] and [f["file"] for f in data["findings"] if f["rule"] == "unused-suppression"] == [
        ".k8slint.yaml"]  # relative, as linted files are
    assert data["suppressed"][0]["suppression"]["where"] == ".k8slint.yaml:2"
    # --select leaves the exemptions' rule out: they could not match anything
    assert unused("--select", "unused-suppression,run-as-root", "manifests")[0] == []
    assert unused("--ignore", "job-missing-ttl", "manifests")[0] == []
    # a pre-commit run over job.yaml alone: other.yaml is context, and the first exemption is about it
    assert unused("manifests/job.yaml")[0] == [5]
    # the stale one is reported however the run is narrowed, as long as its rule runs
    assert unused("manifests/other.yaml")[0] == [5]


def test_the_configuration_file_is_named_relative_in_every_format(repo, capsys):
    (repo / ".k8slint.yaml").write_text("exemptions:\n  - reason: gone\n    names: [importer]\n")
    main(["--select", "unused-suppression,job-missing-ttl", "manifests"])
    out = capsys.readouterr().out
    assert out.startswith(".k8slint.yaml:2:1: info this exemption matches no finding") and str(repo) not in out
    for fmt in ("github", "markdown", "json", "concise"):
        main(["--format", fmt, "--select", "unused-suppression,job-missing-ttl", "manifests"])
        out = capsys.readouterr().out
        assert ".k8slint.yaml" in out and str(repo) not in out, fmt


def test_sarif_carries_suppressions_and_fingerprints(repo, capsys, registry):
    (repo / ".k8slint.yaml").write_text("exemptions:\n  - reason: reviewed\n    names: [migrate]\n")
    (repo / "manifests" / "other.yaml").write_text(JOB.format(namespace="batch").replace("migrate", "backfill"))
    main(["--format", "sarif", "--select", "job-missing-ttl", "manifests"])
    log = json.loads(capsys.readouterr().out)
    assert validation_errors(log) == []
    results = log["runs"][0]["results"]
    assert len(results) == 2
    by_name = {r["properties"]["object"]["name"]: r for r in results}
    assert by_name["migrate"]["suppressions"] == [{"kind": "external", "justification": "reviewed"}]
    assert "suppressions" not in by_name["backfill"]
    assert all(len(r["partialFingerprints"]["k8slint/v2"]) == 32 for r in results)


# baselines ----------------------------------------------------------------------------------

def test_baseline_survives_moved_lines_and_reports_only_new_findings(repo, capsys):
    assert lint(capsys, "--write-baseline", "baseline.json", "manifests")[0] == 0
    recorded = json.loads((repo / "baseline.json").read_text())["findings"]
    assert [f["rule"] for f in recorded] == ["job-missing-ttl"]
    # unrelated edits move the finding down three lines: still known
    path = repo / "manifests" / "job.yaml"
    path.write_text("# owner: data team\n# see the runbook\n\n" + path.read_text())
    code, data, _ = lint(capsys, "--baseline", "baseline.json", "manifests")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 1
    # a new object with the same problem is new
    (repo / "manifests" / "other.yaml").write_text(JOB.format(namespace="batch").replace("migrate", "backfill"))
    code, data, _ = lint(capsys, "--baseline", "baseline.json", "manifests")
    assert code == 1 and [f["object"]["name"] for f in data["findings"]] == ["backfill"]


def test_baseline_of_an_object_without_namespace_holds_under_another_run_namespace(repo, capsys):
    (repo / "manifests" / "job.yaml").write_text(JOB.replace("  namespace: {namespace}\n", ""))
    assert lint(capsys, "--write-baseline", "baseline.json", "manifests")[0] == 0
    [recorded] = json.loads((repo / "baseline.json").read_text())["findings"]
    assert recorded["object"]["namespace"] == "default" and recorded["object"]["namespaceExplicit"] is False
    code, data, _ = lint(capsys, "--baseline", "baseline.json", "--namespace", "batch", "manifests")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 1


def test_bad_baseline_file(repo, capsys):
    (repo / "baseline.json").write_text("[]")
    assert main(["--baseline", "baseline.json", "manifests"]) == 2
    assert "cannot read the baseline" in capsys.readouterr().err


# formats --------------------------------------------------------------------------------------

def test_github_annotations(repo, capsys):
    main(["--format", "github", "--select", "job-missing-ttl", "manifests"])
    out = capsys.readouterr().out
    assert out.startswith("::warning file=manifests/job.yaml,line=7,col=3,title=k8slint job-missing-ttl::Job ")


def test_several_outputs_at_once(repo, capsys):
    code = main(["--select", "job-missing-ttl", "--format", "text", "--format", "sarif=out.sarif",
                 "--format", "junit=out.xml", "manifests"])
    assert code == 1
    assert "[job-missing-ttl]" in capsys.readouterr().out
    assert validation_errors(json.loads((repo / "out.sarif").read_text())) == []
    suite = ET.parse(repo / "out.xml").getroot()
    assert suite.get("failures") == "1"
    [case] = suite.iter("testcase")
    assert case.get("classname") == "manifests/job.yaml" and case.find("failure").get("type") == "warning"


def test_output_file_and_two_stdout_formats(repo, capsys):
    assert main(["--select", "job-missing-ttl", "--format", "json", "-o", "out.json", "manifests"]) == 1
    assert json.loads((repo / "out.json").read_text())["summary"]["findings"] == 1
    assert main(["--format", "json", "--format", "text", "manifests"]) == 2
    assert "only one format can go to standard output" in capsys.readouterr().err


def test_context_objects_are_seen_not_linted(repo, capsys):
    deploy = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web%s}\nspec:\n"
              "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
              "    spec:\n      serviceAccountName: web\n      containers: [{name: web, image: x}]\n")
    sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web%s}\nautomountServiceAccountToken: false\n"
    (repo / "manifests" / "deploy.yaml").write_text(deploy % "")
    (repo / "manifests" / "sa.yaml").write_text(sa % "")
    argv = ["--format", "json", "--select", "sa-token-automount"]
    # a file given by name sees the rest of its folder (the same unit) without linting it
    main(argv + ["manifests/deploy.yaml"])
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == [] and data["summary"]["files"] == 1
    main(argv + ["--no-context", "manifests/deploy.yaml"])
    assert json.loads(capsys.readouterr().out)["findings"]
    # another folder's ServiceAccount is the same one only when both name the namespace
    os.remove(repo / "manifests" / "sa.yaml")
    (repo / "sa.yaml").write_text(sa % "")
    main(argv + ["--context", ".", "manifests/deploy.yaml"])
    assert json.loads(capsys.readouterr().out)["findings"]
    (repo / "sa.yaml").write_text(sa % ", namespace: shop")
    (repo / "manifests" / "deploy.yaml").write_text(deploy % ", namespace: shop")
    main(argv + ["--no-context", "--context", ".", "manifests/deploy.yaml"])
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == [] and data["summary"]["files"] == 1
    assert os.path.exists("sa.yaml")


def test_a_message_names_another_objects_file_relative_to_the_working_directory(repo, capsys):
    """A staged file's finding about an object in an unstaged file of the repository (its context)."""
    (repo / ".git").mkdir()
    (repo / "manifests" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
                                                "data: {other: '1'}\n")
    (repo / "manifests" / "job.yaml").write_text(JOB.format(namespace="default").replace(
        "          image: registry.example.com/migrate:2.0.1\n",
        "          image: registry.example.com/migrate:2.0.1\n"
        "          env: [{name: LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: level}}}]\n"))
    main(["--format", "json", "--select", "reference-key-missing", "manifests/job.yaml"])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert f"ConfigMap 'cfg' ({os.path.join('manifests', 'cm.yaml')}) has no key 'level'" in finding["message"]
