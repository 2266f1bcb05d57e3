"""Regenerate the feature gate table of k8slint/kube/featuregates.py.

    python scripts/featuregates.py \\
        --removed-page website/content/en/docs/reference/command-line-tools-reference/feature-gates-removed.md \\
        --versioned kubernetes/test/compatibility_lifecycle/reference/versioned_feature_list.yaml \\
        --earlier OLDER-COPY-OF/versioned_feature_list.yaml

- ``--removed-page``: the table of removed gates of kubernetes/website (rows
  ``| `Name` | `default` | Stage | From | To |``; the "To" of a gate's last row
  is the last release that knows it). Source tag ``R``.
- ``--versioned``: kubernetes/kubernetes' versioned feature list (every
  current gate with its stages, defaults and locks). Source tag ``V``. Only
  the gates that reach GA or deprecation are kept.
- ``--earlier``: an older copy of the same file; its GA or deprecated gates
  that the newer one no longer lists are kept with tag ``E`` (their removal
  release is not established, so they are never reported as removed).

Update ``WEBSITE_COMMIT``, ``VERSIONED_COMMIT`` and ``EARLIER_COMMIT`` in the
module to the commits the files were read at. The script rewrites only the
block between the ``BEGIN GENERATED`` and ``END GENERATED`` markers.
"""

from __future__ import annotations

import argparse
import pathlib
import re
from typing import Any

import yaml

MODULE = pathlib.Path(__file__).resolve().parent.parent / "k8slint" / "kube" / "featuregates.py"
_ROW = re.compile(r"^\|\s*`([A-Za-z0-9]+)`\s*\|\s*(`?[a-z-]+`?)\s*\|\s*([A-Za-z]+)\s*\|\s*([\d.,]+)\s*\|\s*([\d.,-]*)\s*\|")
_STAGE_WORDS = {"alpha": "alpha", "beta": "beta", "ga": "ga", "deprecated": "deprecated", "stable": "ga"}


def _version(text: str) -> str:
    return text.strip().replace(",", ".")  # the page has one "1,24"


def removed_page_lines(text: str) -> list[str]:
    """``Name stage:default:since last=VERSION R`` for each gate of the removed-gates table."""
    last_row: dict[str, tuple[str, str, str, str]] = {}
    for line in text.splitlines():
        m = _ROW.match(line.strip())
        if not m:
            continue
        name, default, stage, since, until = m.groups()
        default = default.strip("`")
        until = _version(until) if until.strip() not in ("", "-") else _version(since)
        last_row[name] = (_STAGE_WORDS[stage.lower()], default if default in ("true", "false") else "-",
                          _version(since), until)
    return [f"{name} {stage}:{default}:{since} last={until} R"
            for name, (stage, default, since, until) in last_row.items()]


def _spec_lines(items: list[dict[str, Any]], tag: str) -> dict[str, str]:
    out = {}
    for item in items:
        specs = sorted(item.get("versionedSpecs") or [], key=lambda s: tuple(map(int, str(s["version"]).split("."))))
        stages = [str(s.get("preRelease", "")).lower() for s in specs]
        if not any(stage in ("ga", "deprecated") for stage in stages):
            continue
        parts = []
        for spec in specs:
            part = f"{str(spec['preRelease']).lower()}:{'true' if spec.get('default') else 'false'}:{spec['version']}"
            parts.append(part + (":locked" if spec.get("lockToDefault") else ""))
        out[item["name"]] = f"{item['name']} {' '.join(parts)} {tag}"
    return out


def versioned_lines(newer: str, earlier: str | None = None) -> list[str]:
    lines = _spec_lines(yaml.safe_load(newer) or [], "V")
    if earlier is not None:
        for name, line in _spec_lines(yaml.safe_load(earlier) or [], "E").items():
            lines.setdefault(name, line)
    return list(lines.values())


def generate(removed_page: str, newer: str, earlier: str | None = None) -> str:
    lines = removed_page_lines(removed_page)
    known = {line.split()[0] for line in lines}
    lines += [line for line in versioned_lines(newer, earlier) if line.split()[0] not in known]
    return "\n".join(sorted(lines, key=lambda line: line.split()[0].lower())) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--removed-page", required=True)
    parser.add_argument("--versioned", required=True)
    parser.add_argument("--earlier")
    args = parser.parse_args(argv)
    data = generate(pathlib.Path(args.removed_page).read_text(), pathlib.Path(args.versioned).read_text(),
                    pathlib.Path(args.earlier).read_text() if args.earlier else None)
    module = MODULE.read_text()
    start = module.index('DATA = """\\\n') + len('DATA = """\\\n')
    end = module.index('"""\n# END GENERATED')
    MODULE.write_text(module[:start] + data + module[end:])
    print(f"{MODULE}: {data.count(chr(10))} gates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
