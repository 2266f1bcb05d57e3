"""What --fix promises about the files it touches.

Nothing a person wrote is lost: a file that changed since it was read is left
alone; links stay links; read-only files, files with several hard links and
files that cannot be written are reported and skipped while the rest of the
run goes on; the new text is synced to disk before it replaces the old.
"""

from __future__ import annotations

import os
import stat

import pytest

from k8slint import fix as fixing
from k8slint.cli import main

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: migrate
          image: registry.example.com/migrate:1.0.0
"""
FIXED_LINE = "restartPolicy: OnFailure"  # what job-restart-policy's fix adds


def run_fix(capsys, *paths):
    code = main(["--no-config", "--no-context", "--select", "job-restart-policy", "--fix", "--fail-on", "never",
                 *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def job(tmp_path):
    def write(name="migrate", folder=tmp_path):
        path = folder / f"{name}.yaml"
        path.write_text(JOB.format(name=name))
        return path
    return write


def test_a_plain_fix_still_works(job, capsys):
    path = job()
    run_fix(capsys, path)
    assert FIXED_LINE in path.read_text()


def test_a_file_changed_during_the_run_is_left_alone(job, capsys, monkeypatch):
    path, other = job(), job("backfill")
    plan = fixing.plan

    def plan_then_edit(*args, **kwargs):
        entries = plan(*args, **kwargs)
        with open(path, "a") as fh:  # someone saves the file while k8slint is working
            fh.write("# added by a person\n")
        return entries

    monkeypatch.setattr(fixing, "plan", plan_then_edit)
    _, _, err = run_fix(capsys, path, other)
    assert path.read_text() == JOB.format(name="migrate") + "# added by a person\n"
    assert f"not fixed: {path}: it changed since k8slint read it" in err
    assert FIXED_LINE in other.read_text()  # the run went on


def test_same_size_and_time_but_other_content_is_still_a_change(job, capsys, monkeypatch):
    path = job()
    info = os.stat(path)
    plan = fixing.plan

    def plan_then_swap(*args, **kwargs):
        entries = plan(*args, **kwargs)
        path.write_text(JOB.format(name="migrate").replace("migrate", "MIGRATE"))  # same length
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return entries

    monkeypatch.setattr(fixing, "plan", plan_then_swap)
    _, _, err = run_fix(capsys, path)
    assert "MIGRATE" in path.read_text() and FIXED_LINE not in path.read_text()
    assert "changed since k8slint read it" in err


def test_a_symlink_stays_a_link_and_its_target_is_fixed(job, capsys, tmp_path):
    (tmp_path / "real").mkdir()
    target = job(folder=tmp_path / "real")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    run_fix(capsys, link)
    assert link.is_symlink() and os.path.realpath(link) == str(target)
    assert FIXED_LINE in target.read_text()
    assert not [p for p in (tmp_path / "real").iterdir() if p.name.startswith(".k8slint-")]


def test_hard_links_are_not_split(job, capsys, tmp_path):
    path = job()
    twin = tmp_path / "twin.yaml"
    os.link(path, twin)
    _, _, err = run_fix(capsys, path)
    assert "2 hard links" in err
    assert os.stat(path).st_ino == os.stat(twin).st_ino and FIXED_LINE not in path.read_text()


def test_a_read_only_file_is_not_rewritten(job, capsys):
    path = job()
    path.chmod(0o444)
    try:
        _, _, err = run_fix(capsys, path)
        assert "read-only" in err and FIXED_LINE not in path.read_text()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    finally:
        path.chmod(0o644)


def test_mode_is_kept(job, capsys):
    path = job()
    path.chmod(0o640)
    run_fix(capsys, path)
    assert FIXED_LINE in path.read_text() and stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give files away")
def test_owner_and_group_are_kept(job, capsys):
    path = job()
    os.chown(path, 4321, 4321)
    run_fix(capsys, path)
    info = os.stat(path)
    assert FIXED_LINE in path.read_text() and (info.st_uid, info.st_gid) == (4321, 4321)


def test_a_folder_that_cannot_be_written_is_a_reason_not_a_crash(job, capsys, monkeypatch, tmp_path):
    (tmp_path / "locked").mkdir()
    locked, free = job(folder=tmp_path / "locked"), job("backfill")
    import tempfile

    mkstemp = tempfile.mkstemp

    def refuse(*args, **kwargs):
        if kwargs.get("dir") == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied", kwargs["dir"])
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run_fix(capsys, locked, free)
    assert f"not fixed: {locked}: Permission denied" in err
    assert FIXED_LINE not in locked.read_text() and FIXED_LINE in free.read_text()
    assert "job-restart-policy" in out  # the run reported what is still there


def test_a_file_deleted_during_the_run_is_a_reason_not_a_crash(job, capsys, monkeypatch):
    path, other = job(), job("backfill")
    plan = fixing.plan

    def plan_then_delete(*args, **kwargs):
        entries = plan(*args, **kwargs)
        path.unlink()
        return entries

    monkeypatch.setattr(fixing, "plan", plan_then_delete)
    _, _, err = run_fix(capsys, path, other)
    assert f"not fixed: {path}: No such file or directory" in err
    assert not path.exists() and FIXED_LINE in other.read_text()


def test_the_new_text_and_the_folder_are_synced_before_and_after_the_rename(job, capsys, monkeypatch):
    path = job()
    events = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(fixing.os, "fsync", lambda fd: (events.append(("fsync", stat.S_ISDIR(os.fstat(fd).st_mode))),
                                                        fsync(fd))[1])
    # (the caches write their entries with os.replace too: only the fixed file's rename counts here)
    monkeypatch.setattr(fixing.os, "replace", lambda a, b: ((events.append(("replace", None))
                                                             if os.path.basename(b) == path.name else None),
                                                            replace(a, b))[1])
    run_fix(capsys, path)
    assert events == [("fsync", False), ("replace", None), ("fsync", True)]
    assert FIXED_LINE in path.read_text()
