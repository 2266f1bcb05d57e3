"""--fix and --diff: golden results, byte-identical surroundings, idempotence, safety."""

from __future__ import annotations

import difflib
import os
import shutil

import pytest
from conftest import FIXTURES

from k8slint.cli import main
from k8slint.engine import load_builtin_rules
from k8slint.fix import FixError, apply_edits, scalar_text

REGISTRY = load_builtin_rules()
FIXABLE = sorted(r.id for r in REGISTRY if r.fix_safety)


def fix_copy(tmp_path, rule_id, *extra):
    """Copy a rule's fixture folder, fix bad.yaml with that rule's fixes (unsafe ones too)."""
    folder = tmp_path / rule_id
    shutil.copytree(FIXTURES / rule_id, folder, ignore=shutil.ignore_patterns("fixed.yaml", "k8slint.yaml"))
    config = FIXTURES / rule_id / "k8slint.yaml"
    args = ["--config", str(config)] if config.exists() else ["--no-config"]
    others = [str(p) for p in sorted(folder.glob("*.yaml")) if p.name not in ("bad.yaml", "good.yaml")]
    main([*args, "--select", rule_id, "--fix", "--unsafe-fixes", "--fail-on", "never", "--format", "json",
          str(folder / "bad.yaml"), *[a for o in others for a in ("--context", o)], *extra])
    return folder / "bad.yaml"


def test_every_fixable_rule_has_a_golden_result_and_documents_its_fix():
    assert set(FIXABLE) == {"job-restart-policy", "cronjob-missing-starting-deadline", "job-missing-ttl",
                            "termination-message-policy", "sa-token-automount", "deprecated-api-version"}
    for rule_id in FIXABLE:
        assert (FIXTURES / rule_id / "fixed.yaml").is_file(), rule_id
        assert REGISTRY[rule_id].sections.get("Fix"), f"{rule_id}: its documentation must say what --fix does"
    for r in REGISTRY:
        if not r.fix_safety:
            assert "Fix" not in r.sections, f"{r.id} documents a fix it does not offer"


@pytest.mark.parametrize("rule_id", FIXABLE)
def test_fixing_bad_gives_fixed(tmp_path, capsys, rule_id):
    fixed = fix_copy(tmp_path, rule_id)
    capsys.readouterr()
    assert fixed.read_text() == (FIXTURES / rule_id / "fixed.yaml").read_text()


@pytest.mark.parametrize("rule_id", FIXABLE)
def test_only_the_intended_lines_change(tmp_path, capsys, rule_id):
    before = (FIXTURES / rule_id / "bad.yaml").read_text().splitlines()
    after = fix_copy(tmp_path, rule_id).read_text().splitlines()
    capsys.readouterr()
    expected = {i + 1 for i, line in enumerate(before) if f"expect: {rule_id}" in line}
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        assert op in ("insert", "replace"), f"{rule_id}: lines {a1 + 1}-{a2} were deleted"
        for n in range(a1 + 1, a2 + 1):  # a replaced line is one a finding anchored at
            assert n in expected, f"{rule_id}: line {n} changed but no finding anchors there: {before[n - 1]!r}"
        assert all(line.strip() for line in after[b1:b2]), "no blank lines are added"


@pytest.mark.parametrize("rule_id", FIXABLE)
def test_a_second_fix_changes_nothing(tmp_path, capsys, rule_id):
    fixed = fix_copy(tmp_path, rule_id)
    once = fixed.read_bytes()
    capsys.readouterr()
    assert main(["--no-config", "--select", rule_id, "--diff", "--unsafe-fixes", str(fixed)]) == 0
    assert capsys.readouterr().out == ""
    fix_copy(tmp_path / "again", rule_id)  # the fixture folder again, from scratch: same bytes
    assert (tmp_path / "again" / rule_id / "bad.yaml").read_bytes() == once


def test_diff_changes_nothing_and_exits_one(tmp_path, capsys):
    path = tmp_path / "job.yaml"
    shutil.copy(FIXTURES / "job-restart-policy" / "bad.yaml", path)
    before = path.read_bytes()
    assert main(["--no-config", "--select", "job-restart-policy", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{path}\n+++ b/{path}\n") and "+      restartPolicy: OnFailure" in out
    assert path.read_bytes() == before


def test_fix_reports_what_it_fixed_and_what_remains(tmp_path, capsys):
    path = tmp_path / "job.yaml"
    shutil.copy(FIXTURES / "job-restart-policy" / "bad.yaml", path)
    code = main(["--no-config", "--select", "job-restart-policy,image-tag-latest,sa-token-automount", "--fix",
                 str(path)])
    out, err = capsys.readouterr()
    assert "Fixed 2 findings; 2 remain." in out       # sa-token-automount's fixes are unsafe
    assert "2 more fixes are available with --unsafe-fixes" in err
    assert code == 1


def test_unsafe_fixes_are_not_applied_by_default(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    shutil.copy(FIXTURES / "sa-token-automount" / "bad.yaml", path)
    before = path.read_bytes()
    main(["--no-config", "--select", "sa-token-automount", "--fix", str(path)])
    assert path.read_bytes() == before


def test_rendered_and_piped_input_is_never_edited(tmp_path, capsys):
    text = (FIXTURES / "job-restart-policy" / "bad.yaml").read_text()
    helm = tmp_path / "rendered.yaml"
    helm.write_text("---\n# Source: jobs/templates/job.yaml\n" + text.split("---\n")[0])
    before = helm.read_bytes()
    main(["--no-config", "--select", "job-restart-policy", "--fix", str(helm)])
    err = capsys.readouterr().err
    assert helm.read_bytes() != before  # a file with a # Source: comment is still a file of yours
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: jobs\nversion: 0.1.0\n")
    (chart / "templates" / "job.yaml").write_text(text.split("---\n")[0])
    template_before = (chart / "templates" / "job.yaml").read_bytes()
    pytest.importorskip("helm_python")
    os.environ.pop("HELM_DRIVER", None)
    main(["--no-config", "--select", "job-restart-policy", "--fix", str(chart)])
    err = capsys.readouterr().err
    assert (chart / "templates" / "job.yaml").read_bytes() == template_before
    assert "not applied to rendered or piped-in manifests" in err and "jobs/templates/job.yaml" in err


def test_a_file_with_parse_problems_is_left_alone(tmp_path, capsys):
    path = tmp_path / "job.yaml"
    path.write_text((FIXTURES / "job-restart-policy" / "bad.yaml").read_text() + "---\nbroken: [\n")
    before = path.read_bytes()
    main(["--no-config", "--select", "job-restart-policy", "--fix", str(path)])
    assert path.read_bytes() == before
    assert "the file has parse problems" in capsys.readouterr().err


@pytest.mark.parametrize("value, text", [
    ("OnFailure", "OnFailure"), (300, "300"), (False, "false"), ("yes", '"yes"'), ("0644", '"0644"'),
    ("a: b", "'a: b'"), ("", '""'), ("batch/v1", "batch/v1"),
])
def test_values_are_written_so_kubernetes_reads_them_back(value, text):
    assert scalar_text(value) == text


@pytest.mark.parametrize("text, path, value, expected", [
    ("a:\n  b: 1  # keep\n", ("a", "c"), 2, "a:\n  b: 1  # keep\n  c: 2\n"),
    ("a: {b: 1}\n", ("a", "c"), 2, "a: {b: 1, c: 2}\n"),
    ("a: {}\n", ("a", "c"), 2, "a: {c: 2}\n"),
    ("a:\n  b:\n", ("a", "b"), 2, "a:\n  b: 2\n"),
    ("a:\n  b: 'x'  # q\n", ("a", "b"), "z", "a:\n  b: z  # q\n"),
    ("a:\n  b: x\n", ("a", "b"), "y", 'a:\n  b: "y"\n'),  # unquoted, Kubernetes would read a boolean
    ("l:\n- k: v\n  m: n\n- k: w\n", ("l", 0, "z"), 1, "l:\n- k: v\n  m: n\n  z: 1\n- k: w\n"),
    ("a:\r\n  b: 1\r\n", ("a", "c"), 2, "a:\r\n  b: 1\r\n  c: 2\r\n"),
    ("a:\n  b: 1", ("a", "c"), 2, "a:\n  b: 1\n  c: 2\n"),
    # a block collection ends where the parent's next key starts: the new key goes after its last line
    ("s:\n  c:\n  - n: a\n    sc:\n      x: 1\n  ns:\n    k: v\n", ("s", "c", 0, "t"), 1,
     "s:\n  c:\n  - n: a\n    sc:\n      x: 1\n    t: 1\n  ns:\n    k: v\n"),
    ("a:\n  l:\n  - 1\n  - 2\nb: 3\n", ("a", "c"), 2, "a:\n  l:\n  - 1\n  - 2\n  c: 2\nb: 3\n"),
    ("a:\n  s: |\n    x\n    y\nb: 1\n", ("a", "c"), 2, "a:\n  s: |\n    x\n    y\n  c: 2\nb: 1\n"),
    ("a:\n  b: {x: 1}  # f\nc: 2\n", ("a", "d"), 3, "a:\n  b: {x: 1}  # f\n  d: 3\nc: 2\n"),
    ("a:\n  b: 1\n  # note\nc: 2\n", ("a", "d"), 3, "a:\n  b: 1\n  d: 3\n  # note\nc: 2\n"),
])
def test_text_edits(text, path, value, expected):
    assert apply_edits(text, [(0, path, value)]) == expected


def test_edits_that_cannot_be_placed_are_refused():
    with pytest.raises(FixError):
        apply_edits("a:\n  b: [1]\n", [(0, ("a", "b"), 2)])  # a list, not a scalar
    with pytest.raises(FixError):
        apply_edits("a: 1\n", [(0, ("x", "y"), 2)])  # no such mapping


def test_a_fix_without_a_place_skips_only_its_own_finding(tmp_path, capsys):
    path = tmp_path / "two.yaml"
    path.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n"
                    "    metadata:\n      labels: {app: d}\n---\n"
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
                    "    image: nginx:1.27\n")
    main(["--no-config", "--select", "sa-token-automount", "--fix", "--unsafe-fixes", str(path)])
    err = capsys.readouterr().err
    assert f"{path}:7: sa-token-automount: spec.template.spec is not in the file" in err
    assert "two.yaml:10" not in err
    assert path.read_text().endswith("    image: nginx:1.27\n  automountServiceAccountToken: false\n")
