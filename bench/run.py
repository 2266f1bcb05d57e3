"""k8slint benchmark: end-to-end speed against the plain libyaml load, and cold start.

    python bench/run.py [--objects 5000] [--repeat 5] [--cold 15]

Every measurement is a fresh process. Variants are interleaved (k8slint,
floor, k8slint, floor, ...) and each repetition's ratio is computed from the
two runs of that repetition, so the reported ratio holds on a noisy machine
even when absolute seconds drift. Reported:

- end-to-end: ``k8slint --format json`` over the generated corpus, wall time,
  objects per second and peak RSS;
- floor: loading the same files with PyYAML's libyaml ``CSafeLoader``
  (``yaml.load_all``), nothing else;
- ratio: end-to-end / floor (median of per-repetition ratios);
- schema validation share: the time spent in the schema-violation rule
  (validator compilation included) over the whole in-process run;
- report formats: the time each output format takes to write that run's
  report, as a share of the run (load, rules and the JSON report);
- cold start: ``k8slint`` on one small file (what a pre-commit hook pays),
  and a bare ``python -c pass`` for reference.

Results are printed and written to bench/out/results.json.
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

FLOOR = """
import sys, glob, yaml
n = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    with open(path, "rb") as fh:
        n += sum(1 for d in yaml.load_all(fh.read(), Loader=yaml.CSafeLoader) if d)
print(n)
"""

# One in-process run, timing the schema-violation rule from inside (the whole
# run's wall time is too noisy to see a few percent in).
SHARE = """
import dataclasses, gc, io, json, sys, time
from k8slint.engine import Settings, load_builtin_rules
from k8slint.load import load
from k8slint.report import write
from k8slint.pipeline import lint_loaded
registry = load_builtin_rules()
rule = registry["schema-violation"]
spent = [0.0]
def timed_check(obj, ctx):
    start = time.perf_counter()
    out = list(rule.check(obj, ctx))
    spent[0] += time.perf_counter() - start
    return out
registry.rules[rule.id] = dataclasses.replace(rule, check=timed_check)
start = time.perf_counter()
loaded = load([sys.argv[1]])
gc.freeze()
result = lint_loaded(loaded, registry, Settings(), (1, 37))
write("json", result, io.StringIO(), registry)
total = time.perf_counter() - start
formats = {}
for fmt in ("text", "json", "sarif", "github", "junit", "markdown", "html"):
    t = time.perf_counter()
    write(fmt, result, io.StringIO(), registry)
    formats[fmt] = time.perf_counter() - t
print(json.dumps({"total": total, "schema": spent[0], "formats": formats}))
"""

SMALL = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}, failureThreshold: 6}
"""


def timed(cmd: list[str]) -> tuple[float, bytes]:
    """Wall seconds and standard output of one child process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed, proc.stdout


def peak_rss_kib(cmd: list[str]) -> int:
    """Peak resident memory of one child process."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss


def main() -> None:
    p = argparse.ArgumentParser(description="k8slint benchmark")
    p.add_argument("--objects", type=int, default=5000)
    p.add_argument("--per-file", type=int, default=10)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--cold", type=int, default=15)
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    args = p.parse_args()

    corpus = os.path.join(args.out, f"corpus-{args.objects}")
    if not os.path.isdir(corpus):
        generate(corpus, args.objects, args.per_file)
    k8slint = [sys.executable, "-m", "k8slint", "--format", "json", "--fail-on", "never", corpus]
    floor = [sys.executable, "-c", FLOOR, corpus]
    share = [sys.executable, "-c", SHARE, corpus]

    e2e, base, ratios, shares, formats = [], [], [], [], {}
    for _ in range(args.repeat):
        t_lint, out = timed(k8slint)
        t_floor, _ = timed(floor)
        measured = json.loads(timed(share)[1])
        e2e.append(t_lint)
        base.append(t_floor)
        ratios.append(t_lint / t_floor)
        shares.append(measured["schema"] / measured["total"])
        for fmt, seconds in measured["formats"].items():
            formats.setdefault(fmt, []).append(seconds / measured["total"])
    summary = json.loads(out)["summary"]
    objects = summary["objects"]
    rss_lint = peak_rss_kib(k8slint)
    rss_floor = peak_rss_kib(floor)

    small = os.path.join(args.out, "small.yaml")
    with open(small, "w") as fh:
        fh.write(SMALL)
    cold, bare = [], []
    for _ in range(args.cold):
        cold.append(timed([sys.executable, "-m", "k8slint", small])[0])
        bare.append(timed([sys.executable, "-c", "pass"])[0])

    results = {
        "objects": objects,
        "files": summary["files"],
        "findings": summary["findings"],
        "e2e_seconds_median": statistics.median(e2e),
        "e2e_objects_per_second": objects / statistics.median(e2e),
        "floor_seconds_median": statistics.median(base),
        "floor_objects_per_second": objects / statistics.median(base),
        "ratio_e2e_to_floor_median": statistics.median(ratios),
        "ratios": ratios,
        "schema_validation_share_median": statistics.median(shares),
        "report_format_share_median": {fmt: statistics.median(v) for fmt, v in formats.items()},
        "peak_rss_mib": rss_lint / 1024,
        "floor_peak_rss_mib": rss_floor / 1024,
        "cold_start_ms_median": statistics.median(cold) * 1000,
        "cold_start_ms_min": min(cold) * 1000,
        "bare_python_ms_median": statistics.median(bare) * 1000,
        "python": sys.version.split()[0],
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as fh:
        json.dump(results, fh, indent=2)
    print(f"corpus: {objects} objects in {summary['files']} files, {summary['findings']} findings")
    print(f"end-to-end k8slint:   {results['e2e_seconds_median']:.2f} s median, "
          f"{results['e2e_objects_per_second']:.0f} objects/s, peak RSS {results['peak_rss_mib']:.0f} MiB")
    print(f"floor (CSafeLoader):  {results['floor_seconds_median']:.2f} s median, "
          f"{results['floor_objects_per_second']:.0f} objects/s, peak RSS {results['floor_peak_rss_mib']:.0f} MiB")
    print(f"ratio end-to-end / floor: {results['ratio_e2e_to_floor_median']:.2f} "
          f"(per repetition: {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"schema validation share of the run: {results['schema_validation_share_median']:.1%} "
          "(time in schema-violation over the whole in-process run)")
    print("writing the report, share of the run: " + ", ".join(
        f"{fmt} {share:.1%}" for fmt, share in results["report_format_share_median"].items()))
    print(f"cold start, one small file: {results['cold_start_ms_median']:.0f} ms median "
          f"({results['cold_start_ms_min']:.0f} ms best); bare python: {results['bare_python_ms_median']:.0f} ms")


if __name__ == "__main__":
    main()
