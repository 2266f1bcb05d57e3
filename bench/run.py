"""k8slint benchmark: end-to-end speed against the plain libyaml load, and cold start.

    python bench/run.py [--objects 5000] [--repeat 5] [--cold 15] [--jobs N]

Every measurement is a fresh process. Variants are interleaved (k8slint in
one process, k8slint split over the CPUs, k8slint with a warm cache, floor,
then again) and each repetition's ratios are computed from the runs of that
repetition, so the reported ratios hold on a noisy machine even when absolute
seconds drift. Reported:

- floor: loading the same files with PyYAML's libyaml ``CSafeLoader``
  (``yaml.load_all``), nothing else;
- cold: ``k8slint --no-cache --format json`` over the generated corpus, in one
  process (``--jobs 1``) and with the default jobs (every CPU the process may
  use), as ratios to the floor, with peak RSS of the one-process run;
- warm: the default jobs with a parse cache filled by an earlier run of the
  same files (a run of an unchanged repository: every rule is replayed);
- warm, one file edited: the same, on a copy of the corpus where one file
  changed since the last run (the object rules of the other files are kept,
  the graph and the rules that read it run again);
- schema validation share: the time spent in the schema-violation rule
  (validator compilation included) over the whole in-process run;
- report formats: the time each output format takes to write that run's
  report, as a share of the run (load, rules and the JSON report);
- cold start: ``k8slint`` on one small file of ten kinds, in a folder of its
  own outside any project (what a pre-commit hook pays for a staged file),
  as a ratio to a bare ``python -c pass``.

Results are printed and written to bench/out/results.json (with the date).
"""

from __future__ import annotations

import argparse
import datetime
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
apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: web}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: web}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: web-db, namespace: web}
type: Opaque
stringData: {password: change-me}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: web-config}}]
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: web-db, key: password}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          readinessProbe: {httpGet: {path: /ready, port: http}}
          livenessProbe: {httpGet: {path: /healthz, port: http}, failureThreshold: 6}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: web}
spec:
  ingressClassName: nginx
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {name: http}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: web-report, namespace: web}
spec:
  schedule: "0 2 * * *"
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example.com/web:1.4.2
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
    p.add_argument("--jobs", type=int, default=None, help="jobs of the split runs (default: k8slint's default)")
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    args = p.parse_args()

    corpus = os.path.join(args.out, f"corpus-{args.objects}")
    if not os.path.isdir(corpus):
        generate(corpus, args.objects, args.per_file)
    scratch = tempfile.mkdtemp(prefix="k8slint-bench-")
    cache = os.path.join(scratch, "cache")
    base = [sys.executable, "-m", "k8slint", "--no-config", "--format", "json", "--fail-on", "never"]
    split = ["--jobs", str(args.jobs)] if args.jobs else []
    serial = base + ["--no-cache", "--jobs", "1", corpus]
    parallel = base + ["--no-cache", *split, corpus]
    warm = base + ["--cache-dir", cache, *split, corpus]
    edited_corpus = os.path.join(scratch, "edited")
    shutil.copytree(corpus, edited_corpus)
    edited_file = os.path.join(edited_corpus, sorted(os.listdir(edited_corpus))[0])
    edited = base + ["--cache-dir", cache, *split, edited_corpus]
    floor = [sys.executable, "-c", FLOOR, corpus]
    share = [sys.executable, "-c", SHARE, corpus]

    timed(warm)  # fills the cache
    timed(edited)
    runs: dict[str, list[float]] = {"serial": [], "parallel": [], "warm": [], "edited": [], "floor": []}
    ratios: dict[str, list[float]] = {"serial": [], "parallel": [], "warm": [], "edited": []}
    shares, formats = [], {}
    out = b""
    for rep in range(args.repeat):
        t_serial, out = timed(serial)
        t_parallel, _ = timed(parallel)
        t_warm, _ = timed(warm)
        with open(edited_file, "a") as fh:
            fh.write(f"# edited {rep}\n")  # a new text: that file's findings are found again
        t_edited, _ = timed(edited)
        t_floor, _ = timed(floor)
        for name, value in (("serial", t_serial), ("parallel", t_parallel), ("warm", t_warm), ("edited", t_edited),
                            ("floor", t_floor)):
            runs[name].append(value)
            if name != "floor":
                ratios[name].append(value / t_floor)
        measured = json.loads(timed(share)[1])
        shares.append(measured["schema"] / measured["total"])
        for fmt, seconds in measured["formats"].items():
            formats.setdefault(fmt, []).append(seconds / measured["total"])
    summary = json.loads(out)["summary"]
    objects = summary["objects"]
    rss_serial = peak_rss_kib(serial)
    rss_parallel = peak_rss_kib(parallel)
    rss_floor = peak_rss_kib(floor)

    # one small file in a folder of its own: no project around it, so no repository context
    small_dir = os.path.join(scratch, "small")
    os.makedirs(small_dir)
    small = os.path.join(small_dir, "app.yaml")
    with open(small, "w") as fh:
        fh.write(SMALL)
    cold_cmd = [sys.executable, "-m", "k8slint", "--no-config", "--cache-dir", cache, small]
    timed(cold_cmd)  # the first run keeps the schemas it needs, as any later run finds them
    cold, bare, cold_ratios = [], [], []
    for _ in range(args.cold):
        t_cold = timed(cold_cmd)[0]
        t_bare = timed([sys.executable, "-c", "pass"])[0]
        cold.append(t_cold)
        bare.append(t_bare)
        cold_ratios.append(t_cold / t_bare)
    shutil.rmtree(scratch, ignore_errors=True)

    med = statistics.median
    results = {
        "date": datetime.date.today().isoformat(),
        "objects": objects,
        "files": summary["files"],
        "findings": summary["findings"],
        "floor_seconds_median": med(runs["floor"]),
        "serial_seconds_median": med(runs["serial"]),
        "parallel_seconds_median": med(runs["parallel"]),
        "warm_seconds_median": med(runs["warm"]),
        "ratio_serial_to_floor": med(ratios["serial"]),
        "ratio_parallel_to_floor": med(ratios["parallel"]),
        "ratio_warm_to_floor": med(ratios["warm"]),
        "warm_one_file_edited_seconds_median": med(runs["edited"]),
        "ratio_warm_one_file_edited_to_floor": med(ratios["edited"]),
        "ratios": ratios,
        "schema_validation_share_median": med(shares),
        "report_format_share_median": {fmt: med(v) for fmt, v in formats.items()},
        "peak_rss_mib_serial": rss_serial / 1024,
        "peak_rss_mib_parallel_main_process": rss_parallel / 1024,
        "floor_peak_rss_mib": rss_floor / 1024,
        "cold_start_ms_median": med(cold) * 1000,
        "bare_python_ms_median": med(bare) * 1000,
        "ratio_cold_start_to_bare_python": med(cold_ratios),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as fh:
        json.dump(results, fh, indent=2)

    def spread(values: list[float]) -> str:
        return f"{min(values):.2f} to {max(values):.2f}"

    print(f"corpus: {objects} objects in {summary['files']} files, {summary['findings']} findings "
          f"({results['date']}, {results['cpus']} CPUs)")
    print(f"floor (CSafeLoader):      {results['floor_seconds_median']:.2f} s median, "
          f"peak RSS {results['floor_peak_rss_mib']:.0f} MiB")
    print(f"cold, one process:        {results['ratio_serial_to_floor']:.2f}x the floor "
          f"({spread(ratios['serial'])}), {results['serial_seconds_median']:.2f} s, "
          f"peak RSS {results['peak_rss_mib_serial']:.0f} MiB")
    print(f"cold, default jobs:       {results['ratio_parallel_to_floor']:.2f}x the floor "
          f"({spread(ratios['parallel'])}), {results['parallel_seconds_median']:.2f} s, "
          f"peak RSS {results['peak_rss_mib_parallel_main_process']:.0f} MiB (main process)")
    print(f"warm cache, default jobs: {results['ratio_warm_to_floor']:.2f}x the floor "
          f"({spread(ratios['warm'])}), {results['warm_seconds_median']:.2f} s")
    print(f"warm, one file edited:    {results['ratio_warm_one_file_edited_to_floor']:.2f}x the floor "
          f"({spread(ratios['edited'])}), {results['warm_one_file_edited_seconds_median']:.2f} s")
    print(f"schema validation share of the run: {results['schema_validation_share_median']:.1%}")
    print("writing the report, share of the run: " + ", ".join(
        f"{fmt} {share:.1%}" for fmt, share in results["report_format_share_median"].items()))
    print(f"cold start, one small file of ten kinds: {results['ratio_cold_start_to_bare_python']:.1f}x "
          f"a bare python ({results['cold_start_ms_median']:.0f} ms against "
          f"{results['bare_python_ms_median']:.0f} ms)")


if __name__ == "__main__":
    main()
