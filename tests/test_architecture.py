"""The layout tells the architecture: imports point one way, and the core names no rule.

Checked statically (every import statement, at module level or inside a
function), so a cycle hidden in a function body counts too. Imports under
``if TYPE_CHECKING:`` are for annotations only and never run: they do not
count.
"""

from __future__ import annotations

import ast
import pathlib

import pytest
from conftest import ROOT

from k8slint.diagnostics import DIAGNOSTICS

PACKAGE = ROOT / "k8slint"


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: pathlib.Path) -> set:
    """The k8slint modules a module imports (``from . import x`` counts x when it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # leave out what only type checkers import
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                root = ".".join(base + ([node.module] if node.module else []))
            else:
                root = node.module or ""
            targets = [root] + [f"{root}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def reachable(start: str) -> set:
    seen, todo = set(), [start]
    while todo:
        for nxt in GRAPH.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_cycle_inside_the_package():
    cycles = sorted({tuple(sorted((a, b))) for a in GRAPH for b in GRAPH[a]
                     if a in reachable(b) and not (a.startswith(b + ".") or b.startswith(a + "."))})
    assert cycles == [], f"import cycles between: {cycles}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("k8slint.report")))
def test_reporters_never_reach_the_command_line(name):
    assert "k8slint.cli" not in reachable(name), f"{name} imports k8slint.cli (directly or through others)"


def test_the_core_names_no_rule_and_no_tag(registry):
    diagnostics = {d[0] for d in DIAGNOSTICS}
    names = {r.id for r in registry if r.id not in diagnostics}
    names |= {t for r in registry for t in r.tags}
    found = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == [], "the core names rules or tags:\n" + "\n".join(found)
