"""Pre-commit hook benchmark: one staged file in a large repository, warm cache.

    python bench/hook.py [FOLDER] [--repeat 7] [--file RELPATH]

FOLDER (default: ../shared/corpus beside the repository, else a generated
corpus) is copied into a temporary git repository. Each repetition runs, as
fresh processes and interleaved:

- floor: loading every *.yaml, *.yml and *.json file of the repository with
  PyYAML's libyaml ``CSafeLoader`` (``yaml.load_all``), nothing else;
- hook: ``k8slint FILE`` from the repository root, as pre-commit runs it on
  one staged file: the rest of the repository is loaded as context through
  the parse cache, warmed by one run before timing;
- hook, no cache: the same with ``--no-cache``;
- hook, no context: ``k8slint --no-context FILE`` (what start-up and the file
  itself cost).

Reported: median seconds and the median of the per-repetition ratios to the
floor of the same repetition. Results go to bench/out/hook.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

FLOOR = """
import os, sys, yaml
n = 0
for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
    dirnames[:] = [d for d in dirnames if not d.startswith(".")]
    for name in filenames:
        if name.lower().endswith((".yaml", ".yml", ".json")):
            with open(os.path.join(dirpath, name), "rb") as fh:
                try:
                    n += sum(1 for d in yaml.load_all(fh.read(), Loader=yaml.CSafeLoader) if d)
                except yaml.YAMLError:
                    pass
print(n)
"""


def timed(cmd, cwd, env) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def make_repository(source: str | None, work: str) -> str:
    repo = os.path.join(work, "repo")
    if source:
        shutil.copytree(source, repo, symlinks=True)
    else:
        from generate import generate

        generate(repo, 5000)
    subprocess.run(["git", "init", "-q", repo], check=True)
    return repo


def pick_file(repo: str) -> str:
    """A plain manifest with a Deployment in it, under 16 KB, as a typical staged file."""
    for dirpath, dirnames, filenames in sorted(os.walk(repo)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".yaml"):
                path = os.path.join(dirpath, name)
                if os.path.getsize(path) > 16 * 1024:
                    continue
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                if "kind: Deployment" in text and "# Source:" not in text:
                    return os.path.relpath(path, repo)
    raise SystemExit("no manifest with a Deployment found")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "corpus")
    p.add_argument("folder", nargs="?", default=default if os.path.isdir(default) else None)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--file", help="the staged file, relative to the folder (default: the first Deployment)")
    args = p.parse_args()
    k8slint = shutil.which("k8slint", path=os.path.dirname(sys.executable)) or shutil.which("k8slint")
    with tempfile.TemporaryDirectory(prefix="k8slint-hook-bench-") as work:
        repo = make_repository(args.folder, work)
        staged = args.file or pick_file(repo)
        env = dict(os.environ, K8SLINT_CACHE_DIR=os.path.join(work, "cache"))
        variants = {
            "floor": [sys.executable, "-c", FLOOR, repo],
            "hook": [k8slint, "--no-config", staged],
            "hook, no cache": [k8slint, "--no-config", "--no-cache", staged],
            "hook, no context": [k8slint, "--no-config", "--no-context", staged],
        }
        timed(variants["hook"], repo, env)  # warm the cache
        times: dict = {name: [] for name in variants}
        ratios: dict = {name: [] for name in variants}
        for _ in range(args.repeat):
            row = {name: timed(cmd, repo, env) for name, cmd in variants.items()}
            for name, seconds in row.items():
                times[name].append(seconds)
                ratios[name].append(seconds / row["floor"])
        result = {"folder": args.folder or "generated", "staged": staged, "repeat": args.repeat,
                  "variants": {name: {"seconds": statistics.median(times[name]),
                                      "ratio_to_floor": statistics.median(ratios[name])} for name in variants}}
    print(f"staged file: {result['staged']} (repository: {result['folder']})")
    for name, row in result["variants"].items():
        print(f"{name:18} {row['seconds']:7.3f} s   {row['ratio_to_floor']:5.2f}x floor")
    out = os.path.join(HERE, "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "hook.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)


if __name__ == "__main__":
    main()
