"""Regenerate the rule table in README.md from `k8slint rules --format markdown`.

    python scripts/rules_table.py           # rewrite the table in place
    python scripts/rules_table.py --check   # exit 1 when the table is stale

The table runs from the line that starts with the header below to the next
blank line. The rules are those of the k8slint that this Python imports (in a
development install, the rules/ folder of this checkout).
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
HEADER = "| rule | severity | runs | fix | what it finds |"
COMMAND = "python scripts/rules_table.py"
STALE = f"README rule table is stale: run {COMMAND}"


def generated_table() -> str:
    """The table as `k8slint rules --format markdown` prints it, in a fresh process
    (so that no rule registered by the caller leaks into it)."""
    proc = subprocess.run([sys.executable, "-m", "k8slint", "rules", "--format", "markdown"],
                          cwd=ROOT, capture_output=True, encoding="utf-8", timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"`k8slint rules --format markdown` failed ({proc.returncode}):\n{proc.stderr}")
    table = proc.stdout
    if not table.startswith(HEADER):
        raise RuntimeError(f"`k8slint rules --format markdown` did not print a table starting {HEADER!r}")
    return table if table.endswith("\n") else table + "\n"


def replace_table(text: str, table: str) -> str:
    """``text`` with the lines from the table header to the next blank line replaced by ``table``."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    except StopIteration:
        raise ValueError(f"README.md has no line starting {HEADER!r}") from None
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return "".join(lines[:start]) + table + "".join(lines[end:])


def check(readme: pathlib.Path = README) -> bool:
    """True when the table in ``readme`` is the one `k8slint rules --format markdown` prints."""
    text = readme.read_text(encoding="utf-8")
    return replace_table(text, generated_table()) == text


def update(readme: pathlib.Path = README) -> bool:
    """Rewrite the table in ``readme``; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    new = replace_table(text, generated_table())
    if new == text:
        return False
    with open(readme, "w", encoding="utf-8", newline="") as fh:
        fh.write(new)
    return True


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 when the table differs from the rules")
    args = p.parse_args(argv)
    name = README.relative_to(ROOT)
    if args.check:
        if not check():
            print(STALE, file=sys.stderr)
            return 1
        print(f"{name}: the rule table is up to date")
        return 0
    print(f"{name}: the rule table {'was rewritten' if update() else 'is already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
