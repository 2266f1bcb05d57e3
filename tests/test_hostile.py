"""Hostile input never crashes or hangs a run, and never stops the other files from being linted.

Each bad file gets a finding of its own; a good file next to it is linted as
usual; the run ends with a report, never a traceback or an internal-error.
Special files (FIFOs, links to devices) are run in a subprocess with a
timeout, so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint import load as loading
from k8slint.cli import main

GOOD = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: good
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: migrate
          image: registry.example.com/migrate:1.0.0
"""  # job-restart-policy: it has no restartPolicy, so it must be reported


def deployment(replicas: str) -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n"
            f"  replicas: {replicas}\n  selector: {{matchLabels: {{app: big}}}}\n"
            "  template:\n    metadata: {labels: {app: big}}\n"
            "    spec: {containers: [{name: a, image: 'registry.example.com/a:1.0'}]}\n")


def config_map(value: str, name: str = "deep") -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  x: {value}\n"


def lint_folder(folder, timeout: float = 120.0):
    """Run k8slint on a folder in a subprocess: (exit code, JSON report, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "k8slint", "--no-config", "--no-cache", "--format", "json",
                           "--fail-on", "never", str(folder)], capture_output=True, text=True, timeout=timeout,
                          cwd=folder)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def by_file(report) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in report["findings"]:
        out.setdefault(os.path.basename(f["file"]), set()).add(f["rule"])
    return out


def test_every_hostile_file_is_a_finding_and_the_good_one_is_linted(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "bigint.yaml").write_text(deployment("7" * 5000))
    (tmp_path / "bighex.yaml").write_text(deployment("0x" + "f" * 5000))
    (tmp_path / "bigint.json").write_text(json.dumps(json.loads(
        '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "bigj"}}')
    )[:-1] + ', "spec": {"replicas": ' + "9" * 5000 + "}}")
    (tmp_path / "deep.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d"},'
                                        ' "data": {"x": ' + "[" * 1200 + "1" + "]" * 1200 + "}}")
    (tmp_path / "deep990.yaml").write_text(config_map("[" * 990 + "1" + "]" * 990))
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "random.yml").symlink_to("/dev/urandom")
    code, report, err = lint_folder(tmp_path)
    assert code == 0, err  # --fail-on never: a report was written
    found = by_file(report)
    assert "job-restart-policy" in found["good.yaml"]
    for name in ("bigint.yaml", "bighex.yaml", "bigint.json"):
        assert "schema-violation" in found[name], name  # a number no int64 holds is not an integer to Kubernetes
    assert found["deep.json"] == {"invalid-yaml"}
    assert "schema-violation" in found["deep990.yaml"]
    for name in ("pipe.yaml", "zero.yaml", "random.yml"):
        assert found[name] == {"invalid-yaml"}, name
    assert not any(f["rule"] == "internal-error" for f in report["findings"])
    messages = {os.path.basename(f["file"]): f["message"] for f in report["findings"] if f["rule"] == "invalid-yaml"}
    assert messages["pipe.yaml"] == "a FIFO, not a regular file: not read"
    assert messages["zero.yaml"] == "a character device, not a regular file: not read"


def test_a_fifo_given_by_name_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "good.yaml").write_text(GOOD)
    proc = subprocess.run([sys.executable, "-m", "k8slint", "--no-config", "--format", "json", "pipe.yaml",
                           "good.yaml"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    found = by_file(json.loads(proc.stdout))
    assert found["pipe.yaml"] == {"invalid-yaml"} and "job-restart-policy" in found["good.yaml"]


def test_a_file_that_grows_past_the_limit_is_refused_not_read_to_its_end(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text(config_map("a" * 5000))
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 1000)
    with pytest.raises(loading.NotReadable, match="larger than 1,000 bytes"):
        loading.read_regular(str(path))
    data, (size, _, digest) = loading.read_regular(str(path), limit=10_000)
    assert size == len(data) == path.stat().st_size and len(digest) == 64


# generated hostile values ---------------------------------------------------------------------

hostile = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])

BIG_NUMBERS = st.builds(lambda sign, base, digits: sign + base + digits,
                        st.sampled_from(["", "-", "+"]),
                        st.sampled_from(["", "0x", "0o", "0b", "0"]),
                        st.integers(4200, 6000).map(lambda n: "1" * n))


def nested(depth: int, opener: str, closer: str, leaf: str = "1") -> str:
    return opener * depth + leaf + closer * depth


#: flow lists or flow mappings nested around the 1,000-level limit of the parser
DEEP = st.one_of(st.builds(lambda d: nested(d, "[", "]"), st.integers(900, 1100)),
                 st.builds(lambda d: nested(d, "{a: ", "}"), st.integers(900, 1100)))


@hostile
@given(BIG_NUMBERS)
def test_big_numbers_anywhere(tmp_path_factory, number):
    folder = tmp_path_factory.mktemp("big")
    (folder / "good.yaml").write_text(GOOD)
    (folder / "a.yaml").write_text(deployment(number))
    (folder / "b.yaml").write_text(config_map(number))
    (folder / "c.json").write_text('{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, '
                                   '"spec": {"ports": [{"port": ' + number.lstrip("+") + "}]}}")
    code, report, _ = in_process(folder)
    found = by_file(report)
    assert "job-restart-policy" in found["good.yaml"]
    assert "schema-violation" in found["a.yaml"]  # replicas must be an int32
    assert found.get("c.json"), "a port no integer type holds is reported"
    assert not any(f["rule"] == "internal-error" for f in report["findings"])


@hostile
@given(DEEP, st.booleans())
def test_deep_structures(tmp_path_factory, value, as_json):
    folder = tmp_path_factory.mktemp("deep")
    (folder / "good.yaml").write_text(GOOD)
    if as_json:
        body = value.replace("{a: ", '{"a": ')
        (folder / "deep.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d"}, '
                                          '"data": {"x": ' + body + "}}")
    else:
        (folder / "deep.yaml").write_text(config_map(value))
    code, report, _ = in_process(folder)
    found = by_file(report)
    assert "job-restart-policy" in found["good.yaml"]
    assert found.get("deep.json" if as_json else "deep.yaml"), "the deep file is reported"
    assert not any(f["rule"] == "internal-error" for f in report["findings"])


def in_process(folder):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--no-config", "--no-cache", "--format", "json", "--fail-on", "never", "."])
    finally:
        os.chdir(cwd)
    assert "Traceback" not in err.getvalue()
    return code, json.loads(out.getvalue()), err.getvalue()
