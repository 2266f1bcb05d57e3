"""Where splitting a run over processes starts to pay: the break-even size.

    python bench/parallel.py [--sizes 50,100,200,400,800,1600] [--repeat 5] [--jobs 2]

For each size, a corpus of that many generated objects (bench/generate.py) is
linted with ``--no-cache`` three ways, interleaved and each in a fresh
process: in one process (``--jobs 1``), split with k8slint's thresholds, and
split whatever the size (the thresholds set to zero). Each repetition's ratio
split / one process is taken from runs of that repetition, and the median is
reported. The size where the forced split's ratio falls below 1 is the
break-even; ``k8slint.parallel.MIN_PARSE_BYTES`` and ``MIN_RULE_OBJECTS`` sit
at or above it, so that a small run never pays for forking.

Results are printed and written to bench/out/parallel.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generate import generate  # noqa: E402

# k8slint with its thresholds set to zero: every run is split
FORCED = """
import sys
import k8slint.parallel as parallel
parallel.MIN_PARSE_BYTES = 0
parallel.MIN_RULE_OBJECTS = 0
from k8slint.cli import run
sys.argv = ["k8slint"] + sys.argv[1:]
run()
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description="break-even size of a split run")
    p.add_argument("--sizes", default="50,100,200,400,800,1600")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    args = p.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = os.path.join(args.out, f"parallel-{size}")
        if not os.path.isdir(corpus):
            generate(corpus, size)
        size_bytes = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
        common = ["--no-config", "--no-cache", "--fail-on", "never", "--format", "json", corpus]
        one = [sys.executable, "-m", "k8slint", "--jobs", "1", *common]
        default = [sys.executable, "-m", "k8slint", "--jobs", str(args.jobs), *common]
        forced = [sys.executable, "-c", FORCED, "--jobs", str(args.jobs), *common]
        serial, ratios_default, ratios_forced = [], [], []
        for _ in range(args.repeat):
            t_one = timed(one)
            t_default = timed(default)
            t_forced = timed(forced)
            serial.append(t_one)
            ratios_default.append(t_default / t_one)
            ratios_forced.append(t_forced / t_one)
        row = {"objects": size, "bytes": size_bytes, "serial_seconds_median": statistics.median(serial),
               "default_over_serial": statistics.median(ratios_default),
               "forced_split_over_serial": statistics.median(ratios_forced)}
        rows.append(row)
        print(f"{size:6,} objects ({size_bytes / 1e6:5.2f} MB): one process {row['serial_seconds_median']:.2f} s; "
              f"split with thresholds {row['default_over_serial']:.2f}x, always split "
              f"{row['forced_split_over_serial']:.2f}x")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "parallel.json"), "w") as fh:
        json.dump({"jobs": args.jobs, "rows": rows, "python": sys.version.split()[0]}, fh, indent=2)


if __name__ == "__main__":
    main()
