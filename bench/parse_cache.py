"""Parse cache benchmark: loading a folder of manifests with and without the cache.

    python bench/parse_cache.py [FOLDER] [--repeat 5] [--scratch DIR]

FOLDER defaults to ../shared/corpus (next to the repository) when it exists.
Every *.yaml, *.yml and *.json file under it is loaded, in one process, by:

- floor: PyYAML's libyaml ``CSafeLoader`` (``yaml.load_all``), nothing else;
- loader, no cache: ``read_source`` as k8slint loads files today;
- loader, cold cache: ``read_source`` through an empty cache (parse + write);
- loader, warm cache, positions=False: a hit that skips the position tables
  (files loaded only as context);
- loader, warm cache, positions=True: a hit with the position tables.

Each variant reads the files' bytes itself. Repetitions are interleaved (one
of each variant per round, in a rotating order), the garbage collector is off
while timing (as in ``k8slint.load.load``), a new ``ParseCache`` is opened
for every warm measurement (as a new run would), and the cold variant gets a
fresh empty cache folder every round. Reported: median seconds, and the
median of the per-round ratios to the floor of the same round.

The caches are made in a temporary folder under --scratch (default: the
system temporary folder). Creating files is what a cold cache pays most for
besides parsing, and its cost depends on the file system: give a folder on the
file system the real cache lives on (~/.cache) to measure that one.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import yaml  # noqa: E402

from k8slint.load import LoadResult, read_source  # noqa: E402
from k8slint.load.cache import ParseCache  # noqa: E402

SUFFIXES = (".yaml", ".yml", ".json")


def default_folder() -> str | None:
    for candidate in (os.path.join(HERE, "..", "..", "shared", "corpus"), os.path.join("..", "shared", "corpus")):
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    return None


def manifest_files(folder: str) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        out.extend(os.path.join(root, name) for name in sorted(files) if name.lower().endswith(SUFFIXES))
    return out


def read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def floor(files: list[str]) -> int:
    documents = 0
    for path in files:
        try:
            documents += sum(1 for _ in yaml.load_all(read(path), Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass  # the corpus holds broken files on purpose: what was read until the error counts
    return documents


def through_loader(files: list[str], cache, positions: bool) -> LoadResult:
    result = LoadResult()
    for path in files:
        read_source(path, path, read(path), result, cache=cache, positions=positions)
    return result


def timed(fn, *args) -> tuple[float, object]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        out = fn(*args)
        return time.perf_counter() - start, out
    finally:
        gc.enable()


def folder_size(folder: str) -> int:
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(folder) for name in names)


def main() -> None:
    p = argparse.ArgumentParser(description="k8slint parse cache benchmark")
    p.add_argument("folder", nargs="?", default=default_folder())
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--scratch", default=None, help="make the caches in a temporary folder under this one")
    args = p.parse_args()
    if not args.folder or not os.path.isdir(args.folder):
        p.error("give the folder of manifests to load (../shared/corpus was not found)")
    if not getattr(yaml, "__with_libyaml__", False):
        p.error("PyYAML is built without libyaml: there is no CSafeLoader floor to compare with")
    files = manifest_files(args.folder)
    size = sum(os.path.getsize(f) for f in files)

    if args.scratch:
        os.makedirs(args.scratch, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="k8slint-bench-cache-", dir=args.scratch)
    warm_dir = os.path.join(scratch, "warm")
    try:
        warm = ParseCache.open(warm_dir)
        reference = through_loader(files, warm, True)  # fills the warm cache
        if warm.warnings:
            raise SystemExit("\n".join(warm.warnings))
        check = through_loader(files, ParseCache.open(warm_dir), True)
        same = (repr([(d.data, d.positions) for d in check.documents])
                == repr([(d.data, d.positions) for d in reference.documents]))

        def cold_cache(round_: int):
            return through_loader(files, ParseCache.open(os.path.join(scratch, f"cold-{round_}")), True)

        variants = {
            "floor (CSafeLoader)": lambda r: floor(files),
            "loader, no cache": lambda r: through_loader(files, None, True),
            "loader, cold cache": cold_cache,
            "warm cache, positions=False": lambda r: through_loader(files, ParseCache.open(warm_dir), False),
            "warm cache, positions=True": lambda r: through_loader(files, ParseCache.open(warm_dir), True),
        }
        names = list(variants)
        seconds: dict[str, list[float]] = {name: [] for name in names}
        ratios: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(args.repeat):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            this_round = {}
            for name in order:
                elapsed, _ = timed(variants[name], round_)
                this_round[name] = elapsed
            for name in names:
                seconds[name].append(this_round[name])
                ratios[name].append(this_round[name] / this_round[names[0]])
        cache_bytes = folder_size(os.path.join(scratch, "cold-0"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"{len(files)} files, {size / 1e6:.1f} MB, {len(reference.documents)} documents "
          f"(from {args.folder}); cache on disk {cache_bytes / 1e6:.1f} MB in {os.path.dirname(scratch)}; "
          f"{args.repeat} interleaved rounds, medians")
    print(f"warm cache results equal a fresh parse: {'yes' if same else 'NO'}")
    width = max(map(len, names))
    for name in names:
        print(f"  {name:<{width}}  {statistics.median(seconds[name]):7.3f} s   "
              f"x{statistics.median(ratios[name]):.2f} of the floor")


if __name__ == "__main__":
    main()
