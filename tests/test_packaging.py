"""The rule pack (top-level rules/) and the schemas ship inside the package:
a regular (wheel) install and an editable install both find them, and a new
rules/<family>/ folder ships without any edit to the packaging."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

PROBE = """
import json, k8slint, k8slint.engine as e
reg = e.load_builtin_rules()
import importlib.resources as r
schema = json.loads(r.files("k8slint.schemas").joinpath("output.schema.json").read_text())
import k8slint.rules
print(json.dumps({"package": k8slint.__file__, "rules": k8slint.rules.__path__[0],
                  "ids": sorted(x.id for x in reg), "schema": schema["title"]}))
"""


def source_rule_ids(registry):
    return sorted(r.id for r in registry)


def probe(python, cwd, env=None):
    proc = subprocess.run([python, "-c", PROBE], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def deps(tmp_path_factory):
    """This environment's installed packages, minus k8slint itself."""
    mirror = tmp_path_factory.mktemp("deps")
    for site_dir in site.getsitepackages():
        for entry in os.listdir(site_dir):
            if entry.startswith(("k8slint", "__editable__", "_virtualenv")) or entry.endswith(".pth"):
                continue
            if not (mirror / entry).exists():
                (mirror / entry).symlink_to(os.path.join(site_dir, entry))
    return mirror


def copy_project(dest):
    for name in ("k8slint", "rules", "schemas"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, dest / name)


PROBE_FAMILY = "zz_probe"
PROBE_RULE = '''"""## What it does
Nothing: a rule in a family that the packaging configuration does not name.
"""
from k8slint.engine import rule


@rule(id="zz-probe-rule", severity="info", category="correctness", applies_to={"Pod"}, summary="x")
def check(obj, ctx):
    return ()
'''


def add_probe_family(src):
    """A new rules/<family>/ folder, as a contributor adds one: the packaging files are left as they are."""
    family = src / "rules" / PROBE_FAMILY
    family.mkdir()
    (family / "__init__.py").write_text("")
    (family / "zz_probe_rule.py").write_text(PROBE_RULE)


def build_wheel(src, dist):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(src)], check=True, capture_output=True, timeout=300)
    [wheel] = list(dist.glob("k8slint-*.whl"))
    return wheel


def install_wheel(wheel, target):
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)


def test_wheel_install_ships_rules_and_schemas(tmp_path, registry):
    src = tmp_path / "src"
    copy_project(src)
    wheel = build_wheel(src, tmp_path / "dist")
    target = tmp_path / "installed"
    install_wheel(wheel, target)
    env = dict(os.environ, PYTHONPATH=str(target))
    found = probe(sys.executable, tmp_path, env)
    assert found["package"].startswith(str(target))
    assert found["rules"].startswith(str(target / "k8slint" / "rules"))
    assert found["ids"] == source_rule_ids(registry)
    assert found["schema"].startswith("k8slint JSON output")


def test_editable_install_finds_the_top_level_rules_folder(tmp_path, deps, registry):
    src = tmp_path / "src"
    copy_project(src)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    site_dir = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(site_dir, "deps.pth"), "w") as fh:
        fh.write(str(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-build-isolation",
                    "-q", "-e", str(src)], check=True, capture_output=True, timeout=300)
    found = probe(python, tmp_path)
    assert found["package"].startswith(str(src / "k8slint"))
    assert found["rules"] == str(src / "rules")
    assert found["ids"] == source_rule_ids(registry)
    add_probe_family(src)  # a family added after the install is found without reinstalling
    assert probe(python, tmp_path)["ids"] == sorted([*source_rule_ids(registry), "zz-probe-rule"])


def test_a_new_rule_family_ships_without_editing_the_packaging(tmp_path, registry):
    src = tmp_path / "src"
    copy_project(src)
    shutil.copytree(ROOT / "scripts", src / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    add_probe_family(src)
    wheel = build_wheel(src, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert f"k8slint/rules/{PROBE_FAMILY}/__init__.py" in names
    assert f"k8slint/rules/{PROBE_FAMILY}/zz_probe_rule.py" in names
    assert not any(n.startswith(("rules/", "schemas/", "scripts/", "tests/")) for n in names)
    target = tmp_path / "installed"
    install_wheel(wheel, target)
    found = probe(sys.executable, tmp_path, dict(os.environ, PYTHONPATH=str(target)))
    assert found["ids"] == sorted([*source_rule_ids(registry), "zz-probe-rule"])
