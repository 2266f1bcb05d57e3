"""Growth benchmark: how time and memory scale with the size of a namespace.

    python bench/growth.py [--sizes 1000 2000] [--scenario all] [--repeat 3] [--keep DIR]

Two scenarios, each generated at every size n into a temporary folder:

- ``shared-label``: n Deployments and n Services in one namespace. Every pod
  template has ``app: shop`` plus its own ``name: dN``, and every Service
  selects ``app: shop``, so each Service selects every Deployment (the true
  relation has n * n pairs);
- ``unselected-policies``: n Deployments and n NetworkPolicies in one
  namespace, each policy's ``podSelector`` selecting none of the Deployments.

Each size is linted in a fresh process (``k8slint.pipeline.lint`` with the
built-in rules and default settings, then the JSON report, as ``k8slint
--format json --no-config`` does), timed from inside the process, without
the interpreter's start-up and imports. Memory is the peak RSS the run adds
to the process after the imports (``ru_maxrss`` after minus before); the
whole process's peak is shown too. The findings are counted per size (they
should grow linearly with n: a change of algorithm must not change them).

Reported per scenario: the growth exponent between two sizes,
``log(t2 / t1) / log(n2 / n1)`` (1: linear, 2: quadratic), for wall time,
CPU time and memory, taken from the first and last size, with the median
time of the repetitions (sizes interleaved). Below n = 1000 the fixed costs
of a run (rule imports, schemas) still weigh and a shared machine's noise
shows: take the exponent from sizes of 1000 and more. Results also go to
bench/out/growth.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# One run in a fresh process: lint the folder, write the JSON report, print what it cost.
CHILD = """
import io, json, resource, sys, time
from collections import Counter
from k8slint.engine import Settings, load_builtin_rules
from k8slint.pipeline import lint
from k8slint.report import write
registry = load_builtin_rules()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
report = lint([sys.argv[1]], registry, Settings())
write("json", report, io.StringIO(), registry)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "rss_kib": after, "added_kib": after - before,
                  "objects": len(report.objects), "findings": len(report.results),
                  "by_rule": dict(sorted(Counter(r.rule for r in report.results).items()))}))
"""

NAMESPACE = "shop"


def _deployment(i: int, labels: dict) -> dict:
    name = f"d{i}"
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": dict(labels)},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"name": name}},
                 "template": {"metadata": {"labels": dict(labels)},
                              "spec": {"containers": [{
                                  "name": "web", "image": f"registry.example.com/shop/{name}:1.0.{i % 10}",
                                  "ports": [{"name": "http", "containerPort": 8080}],
                                  "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                                                "limits": {"memory": "256Mi"}}}]}}},
    }


def shared_label(n: int) -> list[dict]:
    """n Deployments and n Services, every Service selecting every Deployment."""
    docs: list[dict] = []
    for i in range(n):
        docs.append(_deployment(i, {"app": "shop", "name": f"d{i}"}))
        docs.append({"apiVersion": "v1", "kind": "Service",
                     "metadata": {"name": f"s{i}", "namespace": NAMESPACE},
                     "spec": {"selector": {"app": "shop"},
                              "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}})
    return docs


def unselected_policies(n: int) -> list[dict]:
    """n Deployments and n NetworkPolicies, no policy selecting any Deployment."""
    docs: list[dict] = []
    for i in range(n):
        docs.append(_deployment(i, {"app": f"a{i}", "name": f"d{i}"}))
        docs.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                     "metadata": {"name": f"p{i}", "namespace": NAMESPACE},
                     "spec": {"podSelector": {"matchLabels": {"app": f"other{i}"}},
                              "policyTypes": ["Ingress"],
                              "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": f"a{i}"}}}]}]}})
    return docs


SCENARIOS = {"shared-label": shared_label, "unselected-policies": unselected_policies}


def write_corpus(folder: str, docs: list[dict], per_file: int = 50) -> None:
    os.makedirs(folder, exist_ok=True)
    for f in range(0, len(docs), per_file):
        with open(os.path.join(folder, f"manifests-{f // per_file:05d}.yaml"), "w") as fh:
            yaml.dump_all(docs[f:f + per_file], fh, Dumper=yaml.CSafeDumper, sort_keys=False,
                          default_flow_style=False, width=120)


def run_once(folder: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, folder], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"lint failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result: dict = json.loads(proc.stdout)
    return result


def exponent(n1: int, v1: float, n2: int, v2: float) -> float:
    if v1 <= 0 or v2 <= 0:
        return float("nan")
    return math.log(v2 / v1) / math.log(n2 / n1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000],
                   help="values of n, at least two (the exponent is taken between the first and the last)")
    p.add_argument("--scenario", choices=["all", *SCENARIOS], default="all")
    p.add_argument("--repeat", type=int, default=3, help="runs per size (the median time is used)")
    p.add_argument("--keep", metavar="DIR", help="write the corpora under DIR and keep them")
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    args = p.parse_args()
    sizes = sorted(set(args.sizes))
    if len(sizes) < 2:
        p.error("--sizes needs two different values")
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]

    results: dict = {"sizes": sizes, "repeat": args.repeat, "python": sys.version.split()[0], "scenarios": {}}
    with tempfile.TemporaryDirectory(prefix="k8slint-growth-") as tmp:
        root = args.keep or tmp
        for name in names:
            print(f"{name}:")
            folders = {n: os.path.join(root, f"{name}-{n}") for n in sizes}
            for n, folder in folders.items():
                write_corpus(folder, SCENARIOS[name](n))
            runs: dict[int, list[dict]] = {n: [] for n in sizes}
            for _ in range(args.repeat):  # sizes interleaved, so that a busy moment hits all of them
                for n in sizes:
                    runs[n].append(run_once(folders[n]))
            rows = []
            for n in sizes:
                done = runs[n]
                row = {"n": n, "seconds": statistics.median(r["seconds"] for r in done),
                       "seconds_all": [r["seconds"] for r in done],
                       "cpu_seconds": statistics.median(r["cpu_seconds"] for r in done),
                       "added_mib": max(r["added_kib"] for r in done) / 1024,
                       "peak_rss_mib": max(r["rss_kib"] for r in done) / 1024,
                       "objects": done[0]["objects"], "findings": done[0]["findings"],
                       "by_rule": done[0]["by_rule"]}
                if any(r["by_rule"] != row["by_rule"] for r in done):
                    raise SystemExit(f"{name}, n={n}: the findings differ between runs")
                rows.append(row)
                print(f"  n={n:6d}  {row['objects']:7d} objects  {row['seconds']:8.2f} s "
                      f"({row['cpu_seconds']:.2f} s CPU)  +{row['added_mib']:7.1f} MiB "
                      f"(peak RSS {row['peak_rss_mib']:.0f} MiB)  {row['findings']} findings")
            first, last = rows[0], rows[-1]
            time_exp = exponent(first["n"], first["seconds"], last["n"], last["seconds"])
            cpu_exp = exponent(first["n"], first["cpu_seconds"], last["n"], last["cpu_seconds"])
            mem_exp = exponent(first["n"], first["added_mib"], last["n"], last["added_mib"])
            print(f"  exponent n={first['n']} -> n={last['n']}: time {time_exp:.2f} (CPU {cpu_exp:.2f}), "
                  f"memory {mem_exp:.2f}")
            print("  findings per rule: " + "; ".join(
                f"{rule} {' / '.join(str(r['by_rule'].get(rule, 0)) for r in rows)}"
                for rule in sorted({k for r in rows for k in r["by_rule"]})))
            results["scenarios"][name] = {"rows": rows, "time_exponent": time_exp, "cpu_exponent": cpu_exp,
                                          "memory_exponent": mem_exp}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "growth.json"), "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
