"""Real manifests written by others (../shared/corpus, when present): no crash,
positions that point at the right text, every unparsable file reported."""

from __future__ import annotations

import pytest
from conftest import corpus_or_skip

from k8slint.engine import Settings
from k8slint.pipeline import lint


@pytest.fixture(scope="module")
def corpus_report(registry):
    corpus = corpus_or_skip()
    return corpus, lint([str(corpus)], registry, Settings())


def test_whole_corpus_lints_without_internal_errors(corpus_report):
    corpus, report = corpus_report
    assert report.summary()["objects"] > 3000
    assert [r for r in report.results if r.rule == "internal-error"] == []
    assert all(r.line and r.line >= 1 and r.column >= 1 for r in report.results)


def test_every_file_of_invalid_real_world_is_reported(corpus_report):
    corpus, report = corpus_report
    invalid = {str(p) for p in (corpus / "invalid-real-world").rglob("*.yaml")}
    reported = {r.file for r in report.results if r.rule == "invalid-yaml"}
    assert invalid and invalid <= reported


def test_recorded_key_positions_point_at_the_key(corpus_report):
    corpus, report = corpus_report
    checked = mismatched = 0
    examples = []
    for doc in report.load.documents:
        for path, (line, col, _, _) in doc.positions.items():
            key = path[-1] if path else None
            if not isinstance(key, str) or key in ("true", "false", "null"):
                continue
            text = doc.source.line(line + 1) or ""
            checked += 1
            if not (text.startswith(key, col) or text.startswith(f'"{key}"', col) or text.startswith(f"'{key}'", col)
                    or text.startswith("<<", col) or text.startswith("*", col)):
                mismatched += 1
                if len(examples) < 5:
                    examples.append((doc.source.display, line + 1, col, key, text))
    assert checked > 100_000
    assert mismatched / checked < 0.001, examples


def test_fixes_for_real_manifests_find_their_place(corpus_report):
    """Every fix planned over the corpus (in memory, nothing is written) must land and
    parse back to the intended values, except where the manifest leaves no place for it."""
    from k8slint.fix import plan

    corpus, report = corpus_report
    entries = plan(report, unsafe=True)
    applied = sum(len(e.applied) for e in entries)
    skipped = [(r.file, r.line, reason) for e in entries for r, reason in e.skipped]
    allowed = ("the file has parse problems", "is not in the file")
    assert applied > 900  # termination-message-policy, the most frequent fix, is opt-in
    assert [s for s in skipped if not any(a in s[2] for a in allowed)] == []
    assert len(skipped) < applied / 50
