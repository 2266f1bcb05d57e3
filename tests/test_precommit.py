"""The pre-commit hook, tried for real: `pre-commit try-repo` installs k8slint from
this checkout into its own environment and runs it on a temporary repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

GOOD = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: report
automountServiceAccountToken: false
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
          serviceAccountName: report
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example.com/report:1.0.0
"""


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit():
    exe = shutil.which("pre-commit") or os.path.join(os.path.dirname(sys.executable), "pre-commit")
    if not os.path.exists(exe) or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    return exe


def try_repo(pre_commit, repo, home, *files, path=None):
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    if path is not None:
        env["PATH"] = path
    # the hook's environment needs the same package index configuration as this one
    return subprocess.run([pre_commit, "try-repo", str(ROOT), "k8slint", "--files", *files], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hook_lints_the_staged_files_and_fails_on_findings(tmp_path, pre_commit):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "serviceaccount.yaml").write_text(GOOD)
    (repo / "cronjob.yaml").write_text(BAD)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "manifests")
    home = tmp_path / "pre-commit-home"

    proc = try_repo(pre_commit, repo, home, "serviceaccount.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "k8slint" in proc.stdout and "Passed" in proc.stdout

    proc = try_repo(pre_commit, repo, home, "cronjob.yaml", "serviceaccount.yaml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout
    assert "cronjob.yaml:6:3: error invalid schedule '0 2 * * 7'" in proc.stdout
    # the ServiceAccount staged alongside turns automounting off: no sa-token-automount finding
    assert "sa-token-automount" not in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


# -- JSON and YAML files that are not Kubernetes manifests ---------------------------------

TSCONFIG = """\
{
  // the hook runs on every staged .json file: comments make this neither JSON nor YAML
  "compilerOptions": {
    "strict": true, /* no implicit any */
  },
}
"""
PACKAGE_JSON = '{"name": "web", "version": "1.0.0", "scripts": {"test": "jest"}}\n'
BROKEN_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
\tselector: {}
"""
POD_JSON = """\
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"},
 "spec": {"containers": [{"name": "shell", "image": "registry.example.com/shell:1.0.0",
                          "securityContext": {"privileged": true}}]}}
"""


def test_hook_skips_json_and_yaml_files_that_are_not_manifests(tmp_path, pre_commit):
    repo = tmp_path / "repo"
    (repo / "web").mkdir(parents=True)
    git(repo, "init", "-q")
    files = {"tsconfig.json": TSCONFIG, "web/package.json": PACKAGE_JSON, "deploy.yaml": BROKEN_DEPLOYMENT,
             "pod.json": POD_JSON}
    for name, text in files.items():
        (repo / name).write_text(text)
    git(repo, "add", ".")
    home = tmp_path / "pre-commit-home"

    # a tsconfig.json with comments and a package.json: not Kubernetes, skipped
    proc = try_repo(pre_commit, repo, home, "tsconfig.json", "web/package.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout and "invalid-yaml" not in proc.stdout
    # a Deployment that does not parse is still an error, at the parser's line
    proc = try_repo(pre_commit, repo, home, "tsconfig.json", "deploy.yaml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "deploy.yaml:7:1: error found a tab character" in proc.stdout and "[invalid-yaml]" in proc.stdout
    assert "tsconfig.json" not in proc.stdout
    # a JSON manifest is linted
    proc = try_repo(pre_commit, repo, home, "pod.json", "web/package.json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pod.json:3:" in proc.stdout and "[privileged-container]" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


# -- staged files see the repository ----------------------------------------------------

API = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          ports: [{name: http, containerPort: 8080}]
"""
API_SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api}\nautomountServiceAccountToken: false\n"
API_SERVICE = ("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n"
               "  ports: [{port: 80, targetPort: http}]\n")
LIMITS = ("apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n  limits:\n"
          "    - type: Container\n      default: {cpu: 500m, memory: 256Mi}\n"
          "      defaultRequest: {cpu: 100m, memory: 128Mi}\n")
ORPHAN_SERVICE = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
                  "  ports: [{port: 80}]\n")
RENDER = """\
---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
automountServiceAccountToken: %s
---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      serviceAccountName: app
      containers: [{name: app, image: "registry.example.com/app:1.0.0"}]
"""
CHART_FILES = {
    "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "charts/web/values.yaml": "image: registry.example.com/web:1.0.0\n",
    "charts/web/templates/_helpers.tpl": '{{- define "web.name" -}}web{{- end }}\n',
    "charts/web/templates/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.name" . }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          readinessProbe:
            httpGet: {path: /healthz, port: admin}
""",
}


def make_repository(root):
    files = {"k8s/api.yaml": API, "k8s/sa.yaml": API_SA, "k8s/service.yaml": API_SERVICE,
             "k8s/limits.yaml": LIMITS, "other/orphan.yaml": ORPHAN_SERVICE, "other/api-copy.yaml": API,
             "rendered/prod.yaml": RENDER % "false", "rendered/staging.yaml": RENDER % "true", **CHART_FILES}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "manifests")
    return files


def findings(capsys, *argv):
    from k8slint.cli import main

    main(["--no-config", "--format", "json", *argv])
    data = json.loads(capsys.readouterr().out)
    return sorted((f["file"], f["line"], f["rule"], f["message"]) for f in data["findings"])


@pytest.fixture
def repository(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    files = make_repository(root)
    monkeypatch.chdir(root)
    return files


def test_a_staged_file_gets_the_findings_of_a_whole_repository_run(repository, capsys):
    whole = findings(capsys, ".")
    assert whole, "the repository has findings to compare"
    for name in repository:
        if name.startswith("charts/"):
            continue
        staged = findings(capsys, name)
        assert staged == [f for f in whole if f[0] == name], name
    # what the context decides: k8s/sa.yaml turns automounting off for k8s/api.yaml, the
    # LimitRange beside it gives it defaults, and k8s/service.yaml selects it
    api = {rule for file, _, rule, _ in whole if file == "k8s/api.yaml"}
    assert not api & {"sa-token-automount", "resources-missing"}
    assert "missing-readiness-probe" in api
    # the copy in another folder meets neither (no namespace on either side)
    assert {"sa-token-automount", "resources-missing"} <= {r for f, _, r, _ in whole if f == "other/api-copy.yaml"}
    # without context, the staged file is alone
    alone = {rule for _, _, rule, _ in findings(capsys, "--no-context", "k8s/api.yaml")}
    assert "sa-token-automount" in alone


def test_a_staged_chart_file_renders_its_chart(repository, capsys):
    pytest.importorskip("helm_python")
    whole = findings(capsys, ".")
    chart = [f for f in whole if f[0].startswith("charts/")]
    assert ("charts/web/templates/deployment.yaml", 17, "probe-port-unknown") in {f[:3] for f in chart}
    for staged in ("charts/web/templates/deployment.yaml", "charts/web/templates/_helpers.tpl",
                   "charts/web/values.yaml", "charts/web/Chart.yaml"):
        assert findings(capsys, staged) == chart, staged


HELM_STAND_IN = """\
import sys

import helm_python
from k8slint.load.render import RenderOptions, _render_in_process

# `helm template NAME CHART [--namespace NS] [--values F] [--set X]`, backed by the Helm library
args = sys.argv[1:]
assert args[0] == "template", args
options = RenderOptions(release_name=args[1])
flags = {"--namespace": "namespace", "--values": "values", "--set": "set"}
rest = args[3:]
for flag, value in zip(rest[::2], rest[1::2]):
    if flags[flag] == "namespace":
        options.namespace = value
    else:
        getattr(options, flags[flag]).append(value)
sys.stdout.write(_render_in_process(helm_python, args[2], options))
"""


def test_hook_on_staged_files_sees_the_repository_and_renders_charts(tmp_path, pre_commit):
    pytest.importorskip("helm_python")
    repo = tmp_path / "repo"
    repo.mkdir()
    make_repository(repo)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helm = bin_dir / "helm"
    helm.write_text(f"#!{sys.executable}\n{HELM_STAND_IN}")
    helm.chmod(0o755)
    home = tmp_path / "pre-commit-home"
    env_path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"

    # k8s/api.yaml alone: its ServiceAccount, LimitRange and Service come from the repository
    proc = try_repo(pre_commit, repo, home, "k8s/api.yaml", path=env_path)
    assert "sa-token-automount" not in proc.stdout and "resources-missing" not in proc.stdout, proc.stdout
    assert "missing-readiness-probe" in proc.stdout
    # a staged raw template renders its chart: the finding is in the template, never invalid-yaml
    proc = try_repo(pre_commit, repo, home, "charts/web/templates/deployment.yaml", "charts/web/values.yaml",
                    path=env_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "charts/web/templates/deployment.yaml:17:" in proc.stdout and "probe-port-unknown" in proc.stdout
    assert "invalid-yaml" not in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
