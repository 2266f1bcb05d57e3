"""A suppression must say why: a reason made only of white space is no reason.

Both forms are covered: the line comment ``# k8slint: ignore[rule] <reason>``
and the annotation ``ignore.k8slint.io/<rule>: "<reason>"``. Either way the
finding is still suppressed (the author meant to), and
``suppression-without-reason`` says that the reason is missing.
"""

from __future__ import annotations

import pytest

from k8slint.suppress import comment_reason

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
{annotations}spec:
  ttlSecondsAfterFinished: 600
  template:
    spec:
      automountServiceAccountToken: false
      restartPolicy: Always{comment}
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.0.1
"""
RESTART_LINE = 10  # the restartPolicy line of JOB


def job(comment="", annotation=None):
    annotations = ""
    if annotation is not None:
        annotations = f"  annotations:\n    ignore.k8slint.io/job-restart-policy: {annotation}\n"
    return JOB.format(comment=comment, annotations=annotations)


def findings(report, rule_id):
    return [r for r in report.results if r.rule == rule_id]


def suppressed(report, rule_id):
    return [r for r in report.suppressed if r.rule == rule_id]


# line comments ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rest", ["", " ", "    ", "\t", " \t  ", "  # a later comment", "    # a later comment"])
def test_comment_reason_of_only_white_space_is_empty(rest):
    assert comment_reason(rest) == ""


@pytest.mark.parametrize("rest, reason", [
    (" a webhook rewrites it", "a webhook rewrites it"),
    ("   a webhook rewrites it   ", "a webhook rewrites it"),
    (" a webhook rewrites it  # and a note", "a webhook rewrites it"),
    (" see #123", "see #123"),  # one space before # is part of the reason
])
def test_comment_reason_keeps_the_words(rest, reason):
    assert comment_reason(rest) == reason


@pytest.mark.parametrize("comment", [
    "  # k8slint: ignore[job-restart-policy]",
    "  # k8slint: ignore[job-restart-policy]    ",
    "  # k8slint: ignore[job-restart-policy]\t",
    "  # k8slint: ignore[job-restart-policy] \t ",
    "  # k8slint: ignore[job-restart-policy]   # a later note",
])
def test_a_comment_with_a_blank_reason_has_no_reason(lint_text, comment):
    report = lint_text(job(comment=comment))
    [missing] = findings(report, "suppression-without-reason")
    assert missing.line == RESTART_LINE
    assert not findings(report, "job-restart-policy")  # still suppressed: the author meant it
    [kept] = suppressed(report, "job-restart-policy")
    assert kept.suppression["reason"] == ""


def test_a_comment_with_a_reason_is_accepted(lint_text):
    report = lint_text(job(comment="  # k8slint: ignore[job-restart-policy]   a webhook rewrites it  "))
    assert not findings(report, "suppression-without-reason")
    [kept] = suppressed(report, "job-restart-policy")
    assert kept.suppression["reason"] == "a webhook rewrites it"


# annotations -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ['""', '"   "', '"\\t"', '" \\t \\n "', "' '", "''", "true", "~"])
def test_an_annotation_with_a_blank_reason_has_no_reason(lint_text, value):
    report = lint_text(job(annotation=value))
    [missing] = findings(report, "suppression-without-reason")
    assert missing.line == 6 and "ignore.k8slint.io/job-restart-policy" in missing.message
    assert not findings(report, "job-restart-policy")
    [kept] = suppressed(report, "job-restart-policy")
    assert kept.suppression["reason"] == ""


def test_an_annotation_with_a_reason_is_accepted(lint_text):
    report = lint_text(job(annotation='"  a mutating webhook rewrites it "'))
    assert not findings(report, "suppression-without-reason")
    [kept] = suppressed(report, "job-restart-policy")
    assert kept.suppression["reason"] == "a mutating webhook rewrites it"
