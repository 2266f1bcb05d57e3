"""Pod Security Standards profiles and namespace pod-security labels."""

from __future__ import annotations

import json

import pytest

from k8slint.cli import main

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {namespace}
spec:
  automountServiceAccountToken: false
  hostNetwork: true
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
"""

NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: locked
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: mixed
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: system
  labels:
    pod-security.kubernetes.io/enforce: privileged
---
apiVersion: v1
kind: Namespace
metadata:
  name: plain
"""

PSS = {"host-namespaces", "run-as-root", "seccomp-not-set", "privilege-escalation-allowed",
       "capabilities-not-dropped"}


def findings(capsys, tmp_path, *argv, namespaces=("plain",), with_labels=False):
    docs = [POD.format(name=f"pod-{ns}", namespace=ns) for ns in namespaces]
    (tmp_path / "pods.yaml").write_text("---\n".join(docs))
    paths = [str(tmp_path / "pods.yaml")]
    if with_labels:
        (tmp_path / "namespaces.yaml").write_text(NAMESPACES)
        paths.append(str(tmp_path / "namespaces.yaml"))
    main(["--no-config", "--format", "json", *argv, *paths])
    out = json.loads(capsys.readouterr().out)["findings"]
    return {(f["object"]["namespace"], f["rule"], f["severity"]) for f in out if f["object"] and f["rule"] in PSS}


def rules(found, namespace):
    return {(rule, severity) for ns, rule, severity in found if ns == namespace}


def test_default_profile_runs_baseline_only(capsys, tmp_path):
    main(["--no-config", "--format", "json", str(tmp_path)])  # warm-up: nothing to lint
    capsys.readouterr()
    (tmp_path / "pod.yaml").write_text(POD.format(name="p", namespace="plain"))
    main(["--no-config", "--format", "json", str(tmp_path / "pod.yaml")])
    found = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "host-namespaces" in found and not (found & (PSS - {"host-namespaces"}))


@pytest.mark.parametrize("profile, expected", [
    ("restricted", PSS),
    ("baseline", {"host-namespaces"}),
    ("none", set()),
])
def test_profiles(capsys, tmp_path, profile, expected):
    (tmp_path / "pod.yaml").write_text(POD.format(name="p", namespace="plain"))
    main(["--no-config", "--format", "json", "--profile", profile, str(tmp_path / "pod.yaml")])
    found = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found & PSS == expected


def test_profile_in_the_configuration(capsys, tmp_path):
    (tmp_path / "pod.yaml").write_text(POD.format(name="p", namespace="plain"))
    (tmp_path / "k8slint.yaml").write_text("profile: restricted\n")
    main(["--config", str(tmp_path / "k8slint.yaml"), "--format", "json", str(tmp_path / "pod.yaml")])
    assert PSS <= {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_namespace_labels_set_the_level_and_the_severity(capsys, tmp_path):
    found = findings(capsys, tmp_path, namespaces=("locked", "mixed", "system", "plain"), with_labels=True)
    # enforce: restricted -> every control of both levels runs, as errors
    assert rules(found, "locked") == {(r, "error") for r in PSS}
    # enforce: baseline, warn: restricted -> baseline errors, restricted warnings
    assert rules(found, "mixed") == {("host-namespaces", "error")} | {(r, "warning") for r in PSS - {
        "host-namespaces"}}
    # enforce: privileged -> the namespace allows everything
    assert rules(found, "system") == set()
    # no labels -> the profile (baseline by default)
    assert rules(found, "plain") == {("host-namespaces", "warning")}


def test_explicitly_disabled_controls_stay_off_in_enforcing_namespaces(capsys, tmp_path):
    (tmp_path / "pods.yaml").write_text(POD.format(name="p", namespace="locked"))
    (tmp_path / "namespaces.yaml").write_text(NAMESPACES)
    main(["--no-config", "--format", "json", "--ignore", "run-as-root", str(tmp_path)])
    found = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "run-as-root" not in found and "seccomp-not-set" in found
