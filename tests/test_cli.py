"""The command line: exit status, formats, commands, usage errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES

from k8slint.cli import main

GOOD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""

BAD = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 2 * * 7"
  startingDeadlineSeconds: 60
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example.com/report:1.0.0
"""

WARN_ONLY = BAD.replace('"0 2 * * 7"', '"0 2 * * 0"').replace("  startingDeadlineSeconds: 60\n", "")


@pytest.fixture
def files(tmp_path):
    def write(**contents):
        paths = []
        for name, text in contents.items():
            p = tmp_path / f"{name}.yaml"
            p.write_text(text)
            paths.append(str(p))
        return paths
    return write


def run(capsys, *argv):
    code = main(["--no-config", *argv] if not argv or argv[0] not in ("rules", "explain") else list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_input_exits_zero(capsys, files):
    code, out, _ = run(capsys, "--select", "cronjob-invalid-schedule,schema-violation", *files(good=GOOD))
    assert code == 0 and "No problems found in 1 file (1 object)." in out


def test_findings_exit_one_with_positions(capsys, files):
    [path] = files(bad=BAD)
    code, out, _ = run(capsys, "--select", "cronjob-invalid-schedule", path)
    assert code == 1
    assert f"{path}:6:3: error invalid schedule '0 2 * * 7': day of week 7 is above the maximum 6" in out
    assert "[cronjob-invalid-schedule]" in out
    assert '   6 |   schedule: "0 2 * * 7"\n     |   ^~~~~~~~\n' in out
    assert "1 error in 1 of 1 file (1 object)." in out


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(capsys, files, fail_on, code):
    assert run(capsys, "--select", "resources-missing,cronjob-invalid-schedule",
               "--fail-on", fail_on, *files(warn=WARN_ONLY))[0] == code


def test_missing_path_exits_two_but_lints_the_rest(capsys, files, tmp_path):
    [path] = files(bad=BAD)
    code, out, err = run(capsys, path, str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "cronjob-invalid-schedule" in out
    assert "nope.yaml: no such file or directory" in err


def test_nothing_to_lint_says_so(capsys, files):
    code, _, err = run(capsys, *files(values="replicas: 3\n"))
    assert code == 0 and "no Kubernetes objects found" in err


def test_no_paths_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "no paths given" in err


def test_unknown_kube_version_lists_known_ones(capsys, files):
    code, _, err = run(capsys, "--kube-version", "1.99", *files(good=GOOD))
    assert code == 2 and "unknown Kubernetes version '1.99'" in err and "1.37" in err


def test_kube_version_changes_version_dependent_rules(capsys, files):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n"
           "  restartPolicy: Never\n  securityContext:\n    sysctls:\n"
           "      - {name: net.ipv4.tcp_rmem, value: '4096 87380 6291456'}\n"
           "  containers: [{name: a, image: x}]\n")
    path = files(pod=pod)
    assert run(capsys, "--select", "sysctl-unsafe", "--kube-version", "1.32", *path)[0] == 0
    code, out, _ = run(capsys, "--select", "sysctl-unsafe", "--kube-version", "1.31", *path)
    assert code == 1 and "safe from Kubernetes 1.32" in out


def test_invalid_yaml_is_a_finding_not_a_crash(capsys, files):
    paths = files(broken="apiVersion: v1\nkind: ConfigMap\ndata: [1\n", good=GOOD)
    code, out, err = run(capsys, "--select", "invalid-yaml", *paths)
    assert code == 1 and "[invalid-yaml]" in out and "Traceback" not in err


def test_exclude(capsys, files):
    paths = files(bad=BAD, good=GOOD)
    folder = os.path.dirname(paths[0])
    code, out, _ = run(capsys, "--select", "cronjob-invalid-schedule", "--exclude", "bad.yaml", folder)
    assert code == 0 and "in 1 file (1 object)" in out


def test_json_format(capsys, files):
    [path] = files(bad=BAD)
    code, out, _ = run(capsys, "--format", "json", "--select", "cronjob-invalid-schedule", path)
    data = json.loads(out)
    [finding] = data["findings"]
    assert finding == {
        "rule": "cronjob-invalid-schedule", "severity": "error",
        "message": finding["message"], "file": path, "line": 6, "column": 3, "path": "spec.schedule",
        "object": {"apiVersion": "batch/v1", "kind": "CronJob", "namespace": "default", "namespaceExplicit": False,
                   "name": "report"},
        "template": None, "unit": finding["unit"]}
    assert finding["unit"].endswith(os.path.basename(os.path.dirname(path)) + "/")  # the file's folder
    assert data["summary"]["objects"] == 1 and data["summary"]["by_severity"]["error"] == 1
    # the namespace it lands in follows --namespace; the fingerprint of a baseline does not
    code, out, _ = run(capsys, "--format", "json", "--select", "cronjob-invalid-schedule", "--namespace", "batch",
                       path)
    assert json.loads(out)["findings"][0]["object"]["namespace"] == "batch"


def test_config_file(capsys, files, tmp_path):
    config = tmp_path / "k8slint.yaml"
    config.write_text("rules:\n  cronjob-missing-starting-deadline: off\n  cronjob-invalid-schedule: warning\n")
    code, out, _ = run(capsys, "--config", str(config), "--format", "json", "--select",
                       "cronjob-missing-starting-deadline,cronjob-invalid-schedule", *files(bad=BAD))
    [finding] = json.loads(out)["findings"]
    assert finding["severity"] == "warning"


@pytest.mark.parametrize("text, message", [
    ("rules:\n  no-such-rule: off\n", ":2: unknown rule 'no-such-rule'"),
    ("rules:\n  cronjob-history-limits:\n    maximum: 3\n", ":3: unknown option 'maximum' for rule cronjob-history-limits"),
    ("rules:\n  cronjob-history-limits:\n    max: lots\n", ":3: option 'max' of cronjob-history-limits: expected int"),
    ("rules:\n  sysctl-unsafe:\n    node-kernel-version: 5.10\n", ":3: option 'node-kernel-version' of sysctl-unsafe: "
                                                                "expected str, got 5.1 (YAML reads an unquoted number as a number: quote it)"),
    ("rules:\n  sysctl-unsafe:\n    node-kernel-version: latest\n", "'latest' is not a kernel version"),
    ("rules:\n  job-missing-ttl: loud\n", ":2: rules.job-missing-ttl: expected off, on, a severity"),
    ("kube-version: 1.30\n", ":1: write the version as a string"),
    ("colour: red\n", ":1: unknown key 'colour'"),
])
def test_bad_config_is_a_usage_error_naming_the_line(capsys, files, tmp_path, text, message):
    config = tmp_path / "k8slint.yaml"
    config.write_text(text)
    code, _, err = run(capsys, "--config", str(config), *files(good=GOOD))
    assert code == 2 and message in err


def test_rules_command(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert out.splitlines()[0].split() == ["RULE", "SEVERITY", "CATEGORY", "FIX", "SUMMARY"]
    assert any(line.startswith("sysctl-unsafe ") for line in out.splitlines())
    assert any(line.split()[:4] == ["job-restart-policy", "error", "correctness", "safe"] for line in out.splitlines())
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = {r["id"]: r for r in json.loads(out)}
    assert rules["cronjob-history-limits"]["options"]["max"]["default"] == 10
    assert rules["sa-token-automount"]["fix"] == "unsafe" and rules["sysctl-unsafe"]["fix"] is None


def test_explain_command(capsys):
    code, out, _ = run(capsys, "explain", "subpath-configmap-stale")
    assert code == 0 and "## Why is this bad?" in out and "kubernetes/issues/50345" in out
    code, _, err = run(capsys, "explain", "subpath-configmap")
    assert code == 2 and "did you mean subpath-configmap-stale" in err


def test_stdin(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "k8slint", "--format", "json", "--select", "cronjob-invalid-schedule",
                           "-"], input=BAD.encode(),
                          capture_output=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["file"] == "<stdin>" and finding["line"] == 6


def test_console_script_lints_fixtures():
    exe = os.path.join(os.path.dirname(sys.executable), "k8slint")
    proc = subprocess.run([exe, "--format", "json", "--fail-on", "never", str(FIXTURES)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["files"] > 20 and data["findings"]


def test_color_only_when_asked(capsys, files, monkeypatch):
    [path] = files(bad=BAD)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, "--color", "always", path)  # the command line wins over NO_COLOR
    assert "\x1b[1;31merror" in out or "\x1b[1;33mwarning" in out
    code, out, _ = run(capsys, path)
    assert "\x1b[" not in out
    code, out, _ = run(capsys, "--color", "never", path)
    assert "\x1b[" not in out
    assert main(["explain", "--color", "always", "job-restart-policy"]) == 0
    assert "\x1b[" in capsys.readouterr().out


def test_auto_colour_on_a_terminal_unless_no_color(monkeypatch):
    from k8slint.cli import _use_color

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert _use_color("auto", Terminal()) and not _use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_color("auto", Terminal()) and _use_color("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")  # set but empty: as if not set
    assert _use_color("auto", Terminal())


def test_github_action_runs_k8slint_and_uploads_sarif():
    import yaml

    action = yaml.safe_load((FIXTURES.parent / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    script = next(s["run"] for s in steps if s.get("id") == "lint")
    assert "k8slint --format github --format \"sarif=${K8SLINT_SARIF}\"" in script
    assert "${{" not in script  # inputs reach the shell through the environment only
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"


def test_github_action_pins_its_actions_and_leaves_the_callers_python_alone():
    import re

    import yaml

    text = (FIXTURES.parent / "action.yml").read_text()
    steps = yaml.safe_load(text)["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert len(uses) == 3 and all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in uses)
    # the tag each commit stands for is written beside it; upload-sarif at its current major
    for u in uses:
        assert re.search(re.escape(u) + r"  # v\d+\.\d+\.\d+\n", text)
    assert re.search(r"upload-sarif@[0-9a-f]{40}  # v4\.", text)
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["update-environment"] is False
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    install = next(s["run"] for s in steps if s.get("id") == "install")
    assert "-m venv" in install and cache["with"]["path"] == "~/.cache/k8slint-pip" and "k8slint-pip" in install


def test_github_action_lint_step_annotates_writes_sarif_and_the_job_summary(tmp_path):
    """Run the action's lint step as GitHub would: inputs in the environment, k8slint on PATH."""
    import shutil

    import yaml

    action = yaml.safe_load((FIXTURES.parent / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(paths=str(FIXTURES / "job-restart-policy" / "bad.yaml"), args="--no-config")
    env = {k: inputs[v[len("${{ inputs."):-len(" }}")]] if v.startswith("${{ inputs.") else ""
           for k, v in step["env"].items()}  # no installation step ran: k8slint is on PATH
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env.update(PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"], RUNNER_TEMP=str(tmp_path),
               GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output), HOME=os.environ.get("HOME", "/tmp"))
    done = subprocess.run([bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], env=env,
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "::error file=" in done.stdout and "job-restart-policy" in done.stdout
    assert json.loads((tmp_path / "k8slint.sarif").read_text())["runs"][0]["results"]
    assert summary.read_text().startswith("## k8slint: ") and "job-restart-policy" in summary.read_text()
    assert output.read_text() == "status=1\n"
    env["K8SLINT_SUMMARY"] = "false"
    summary.unlink()
    subprocess.run([bash, "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, check=True)
    assert not summary.exists()


def test_github_action_fails_as_the_configuration_says_unless_fail_on_is_given(tmp_path):
    """The fail-on input is passed only when set: otherwise the repository's fail-on applies."""
    import shutil

    import yaml

    action = yaml.safe_load((FIXTURES.parent / "action.yml").read_text())
    assert action["inputs"]["fail-on"]["default"] == ""
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    (tmp_path / ".k8slint.yaml").write_text("fail-on: never\n")
    shutil.copy(FIXTURES / "job-restart-policy" / "bad.yaml", tmp_path / "job.yaml")

    def status(fail_on):
        output = tmp_path / "output"
        output.unlink(missing_ok=True)
        env = dict(PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"], RUNNER_TEMP=str(tmp_path),
                   GITHUB_OUTPUT=str(output), HOME=os.environ.get("HOME", "/tmp"), K8SLINT_PATHS="job.yaml",
                   K8SLINT_ARGS="", K8SLINT_FAIL_ON=fail_on, K8SLINT_SARIF="k8slint.sarif", K8SLINT_SUMMARY="false")
        subprocess.run([bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], env=env, cwd=tmp_path,
                       capture_output=True, check=True)
        return output.read_text()

    assert status("") == "status=0\n"  # the configuration's fail-on: never
    assert status("warning") == "status=1\n"  # the input wins when given


def test_input_diagnostics_are_reported_under_select_and_ignore_turns_them_off(capsys, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '1', a: '2'}\n")
    code, out, _ = run(capsys, "--select", "job-restart-policy", str(path))
    assert code == 1 and "[duplicate-key]" in out  # a broken file is not passed over because of --select
    code, out, _ = run(capsys, "--select", "job-restart-policy", "--ignore", "duplicate-key", str(path))
    assert code == 0 and "[duplicate-key]" not in out
