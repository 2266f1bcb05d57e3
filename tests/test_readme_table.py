"""The rule table in README.md is the one scripts/rules_table.py writes."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def rules_table():
    spec = importlib.util.spec_from_file_location("rules_table", ROOT / "scripts" / "rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_rule_table_is_current(rules_table):
    assert rules_table.check(), "README rule table is stale: run python scripts/rules_table.py"


def test_the_table_is_replaced_up_to_the_next_blank_line(rules_table):
    text = ("intro\n\n" + rules_table.HEADER + "\n|---|---|---|---|---|\n| `old` | x | y |  | z |\n\n"
            "after\n| not | a | table |\n")
    table = rules_table.HEADER + "\n|---|---|---|---|---|\n| `new` | error | default |  | w |\n"
    assert rules_table.replace_table(text, table) == "intro\n\n" + table + "\nafter\n| not | a | table |\n"


def test_a_stale_table_fails_the_check(rules_table, tmp_path):
    readme = tmp_path / "README.md"
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    start = current.index(rules_table.HEADER)
    row = current.index("\n| `", start) + 1
    readme.write_text(current[:row] + current[current.index("\n", row) + 1:], encoding="utf-8")  # one row less
    assert not rules_table.check(readme)
    assert rules_table.update(readme)
    assert rules_table.check(readme)
