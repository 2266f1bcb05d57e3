"""Work split over processes gives what one process gives, in the same order."""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES, ROOT

from k8slint import parallel
from k8slint.cli import main

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="parts go to forked children only where fork is safe")


def test_split_keeps_order_and_balances_sizes():
    assert parallel.split([1, 1, 1, 1], 2) == [[0, 1], [2, 3]]
    assert parallel.split([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
    assert parallel.split([3], 4) == [[0]]
    assert parallel.split([], 2) == []
    parts = parallel.split([5, 1] * 50, 3)
    assert [i for p in parts for i in p] == list(range(100)) and len(parts) == 3
    assert max(sum([5, 1][i % 2] for i in p) for p in parts) <= 105


def test_run_parts_answers_in_order_from_other_processes():
    answers = parallel.run_parts(lambda i: (i, os.getpid()), 3)
    assert [i for i, _ in answers] == [0, 1, 2]
    assert answers[0][1] == os.getpid() and len({pid for _, pid in answers}) == 3


def test_a_part_whose_child_fails_is_done_again_here():
    parent = os.getpid()

    def work(i):
        if os.getpid() != parent:
            if i == 1:
                os._exit(3)  # killed, out of memory...
            if i == 2:
                return lambda: None  # an answer that cannot be pickled
        return i * 10

    assert parallel.run_parts(work, 4) == [0, 10, 20, 30]


def test_jobs_for():
    assert parallel.jobs_for(1) == 1
    assert parallel.jobs_for(3) == 3
    assert parallel.jobs_for(None) == parallel.available_cpus()


@pytest.fixture
def split_everything(monkeypatch):
    """Split even the smallest run, so that the fixtures exercise every rule in parts; returns the
    number of parts of each split made."""
    monkeypatch.setattr(parallel, "MIN_PARSE_BYTES", 0)
    monkeypatch.setattr(parallel, "MIN_RULE_OBJECTS", 0)
    monkeypatch.chdir(ROOT)
    made = []
    run_parts = parallel.run_parts

    def counted(work, parts):
        made.append(parts)
        return run_parts(work, parts)

    monkeypatch.setattr(parallel, "run_parts", counted)
    return made


@pytest.mark.parametrize("fmt", ["json", "sarif", "html"])
def test_every_fixture_gives_the_same_report_in_parts(split_everything, capsys, tmp_path, fmt):
    outputs = []
    for jobs in ("1", "3"):
        out = tmp_path / f"{jobs}.{fmt}"
        main(["--no-config", "--no-cache", "--enable-all", "--jobs", jobs, "--format", fmt, "-o", str(out),
              str(FIXTURES)])
        outputs.append(out.read_bytes())
    capsys.readouterr()
    assert split_everything == [3, 3]  # the parse and the rules, each in three parts
    assert outputs[0] == outputs[1]
    if fmt == "json":
        assert outputs[0].count(b'"rule"') > 500  # the fixtures' findings, related places and fixes included


def test_jobs_must_be_a_positive_number(capsys):
    for bad in ("0", "two"):
        with pytest.raises(SystemExit) as done:
            main(["--jobs", bad, str(FIXTURES)])
        assert done.value.code == 2
        assert "--jobs" in capsys.readouterr().err
