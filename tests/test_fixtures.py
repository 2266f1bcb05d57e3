"""Every rule's fixtures: findings exactly where `# expect: rule-id` says.

A fixture set is a folder under fixtures/<rule-id>/ (the folder itself and
any sub-folder) holding YAML files and optionally a k8slint.yaml (a full
configuration: rule options, target version, exemptions; it may carry
`# expect:` comments too, for findings about the configuration). All files of a set are linted together, so
graph rules see objects in sibling files. For each file, the multiset of
(line, rule) that the engine reports for the rule under test must equal the
`# expect:` comments; good.yaml must have none. An id written with a
severity, `# expect: rule-id[info]`, also checks the severity of the finding
at that line. Fixtures must also parse
cleanly (no invalid-yaml, duplicate-key or internal-error) unless they say so.
"""

from __future__ import annotations

import collections
import os
import re

import pytest
from conftest import FIXTURES

from k8slint.config import Config, load_config, settings_from
from k8slint.engine import load_builtin_rules
from k8slint.kube import versions
from k8slint.pipeline import lint

EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+(?:\[[a-z]+\])?(?:\s*,\s*[a-z0-9-]+(?:\[[a-z]+\])?)*)")
GRADED = re.compile(r"([a-z0-9-]+)(?:\[([a-z]+)\])?")
ALWAYS_CHECKED = {"invalid-yaml", "duplicate-key", "internal-error", "unused-suppression", "suppression-without-reason",
                  "exemption-expired"}
CONFIG = "k8slint.yaml"
FIXED = "fixed.yaml"  # the golden result of --fix on bad.yaml (tests/test_fix.py)


def fixture_sets():
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for folder in sorted([rule_dir] + [p for p in rule_dir.rglob("*") if p.is_dir()]):
            files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json")
                           and p.name not in (CONFIG, FIXED))
            if files:
                yield pytest.param(rule_dir.name, folder, files, id=str(folder.relative_to(FIXTURES)))


def expectations(path, severities: dict | None = None) -> collections.Counter:
    """(line, rule) -> count; ``severities`` collects (line, rule) -> [severity] where one is written."""
    out = collections.Counter()
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for m in EXPECT.finditer(line):
            for item in m.group(1).split(","):
                graded = GRADED.fullmatch(item.strip())
                assert graded, item
                rule_id, severity = graded.groups()
                out[(number, rule_id)] += 1
                if severity and severities is not None:
                    severities.setdefault((number, rule_id), []).append(severity)
    return out


@pytest.mark.parametrize("rule_id, folder, files", list(fixture_sets()))
def test_fixture(rule_id, folder, files):
    registry = load_builtin_rules()
    assert rule_id in registry, f"fixtures/{rule_id} is not a known rule"
    config = load_config(str(folder / CONFIG)) if (folder / CONFIG).exists() else Config()
    settings = settings_from(config, registry)
    kube_version = versions.resolve(settings.kube_version)
    report = lint([str(f) for f in files], registry, settings, kube_version,
                  config=config if config.path else None)
    checked = ALWAYS_CHECKED | {rule_id}
    expecting = 0
    for f in files + ([folder / CONFIG] if config.path else []):
        severities: dict = {}
        expected = collections.Counter({k: n for k, n in expectations(f, severities).items() if k[1] in checked})
        # files as given (absolute here); the configuration file relative to the working directory
        mine = [r for r in report.results if os.path.abspath(r.file) == str(f)]
        actual = collections.Counter((r.line, r.rule) for r in mine if r.rule in checked)
        assert actual == expected, (
            f"{f.relative_to(FIXTURES)}: findings differ from # expect: comments\n"
            f"  missing: {sorted((expected - actual).elements())}\n"
            f"  unexpected: {sorted((actual - expected).elements())}\n"
            + "\n".join(f"  {r.line}:{r.column} {r.rule} {r.message}" for r in mine if r.rule in checked))
        for (line, rule), wanted in severities.items():
            got = sorted(r.severity for r in mine if r.line == line and r.rule == rule)
            assert got == sorted(wanted), f"{f.relative_to(FIXTURES)}:{line}: {rule} is {got}, expected {wanted}"
        if f.stem.startswith("good"):
            assert not [k for k in expected if k[1] == rule_id], f"{f.name} must not expect {rule_id}"
        if f.stem.startswith("bad") or f.name == CONFIG:
            expecting += sum(n for k, n in expected.items() if k[1] == rule_id)
    if any(f.stem.startswith("bad") for f in files):
        assert expecting, f"{folder.relative_to(FIXTURES)}: the bad files must expect at least one {rule_id}"
