"""The pre-commit hook, tried for real: `pre-commit try-repo` installs k8slint from
this checkout into its own environment and runs it on a temporary repository."""

from __future__ import annotations

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


def try_repo(pre_commit, repo, home, *files):
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
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
