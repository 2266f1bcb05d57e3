"""Language server benchmark: from a change to published diagnostics, against a one-file CLI run.

    python bench/server.py [FOLDER] [--repeat 15]

FOLDER (default: ../shared/corpus beside the repository; the benchmark says so and stops when it
is absent) is copied into a temporary git repository, and a manifest of 300 lines (a Deployment, its
Service, ConfigMap, ServiceAccount, HorizontalPodAutoscaler and PodDisruptionBudget) is added to
it. Each repetition measures, interleaved:

- server: the time from a ``textDocument/didChange`` of that manifest (one value changed) to the
  ``textDocument/publishDiagnostics`` for that version, from ``k8slint server`` with its default
  debounce (the pause it waits for before linting a change);
- server, no debounce: the same from a server started with ``debounceMs: 0`` (the lint itself,
  with the workspace as context, and the protocol around it);
- CLI: ``k8slint FILE`` from the repository root, a fresh process, with the parse cache warmed by
  an earlier run (the file as it was then: every rule's findings are replayed);
- CLI, file edited: the same after the file on disk changed (as the buffer did).

Both servers are started, and the manifest opened in them, before the first repetition: the
server loads the workspace once, as an editor session would. Reported: the median milliseconds
of each, and the medians of the per-repetition ratios to the CLI. Results go to bench/out/server.json.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def manifest(lines: int = 300) -> str:
    """A realistic manifest of exactly ``lines`` lines."""
    env = "".join(f"            - name: SETTING_{i}\n              valueFrom:\n                configMapKeyRef:\n"
                  f"                  name: bench-web\n                  key: setting-{i}\n" for i in range(12))
    text = f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: bench-web
  namespace: bench
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench-web
  namespace: bench
  labels: {{app: bench-web}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: bench-web}}
  template:
    metadata:
      labels: {{app: bench-web}}
    spec:
      serviceAccountName: bench-web
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          ports:
            - {{name: http, containerPort: 8080}}
          readinessProbe:
            httpGet: {{path: /ready, port: http}}
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
          env:
{env}          volumeMounts:
            - {{name: config, mountPath: /etc/web}}
      volumes:
        - name: config
          configMap:
            name: bench-web
---
apiVersion: v1
kind: Service
metadata:
  name: bench-web
  namespace: bench
spec:
  selector: {{app: bench-web}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bench-web
  namespace: bench
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: bench-web}}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {{type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: bench-web
  namespace: bench
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: bench-web}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: bench-web
  namespace: bench
data:
"""
    count = text.count("\n")
    keys = [f"  setting-{i}: value-{i}\n" for i in range(max(lines - count, 0))]
    return text + "".join(keys)


class Client:
    """A minimal language client over a server's standard input and output."""

    def __init__(self, argv: list[str], cwd: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self.messages.put(json.loads(out.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=120)
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a request from the server: say yes
                self.send({"id": message["id"], "result": None})

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int, timeout: float = 120) -> list[Any]:
        """Wait for the diagnostics of ``uri`` at ``version``."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.001))
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri \
                    and params.get("version") == version:
                return list(params.get("diagnostics", []))

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def start_server(k8slint_python: str, repo: str, env: dict[str, str], uri: str, text: str,
                 options: dict[str, Any]) -> Client:
    client = Client([k8slint_python, "-m", "k8slint", "server"], repo, env)
    client.request("initialize", {"processId": os.getpid(), "rootUri": Path(repo).as_uri(),
                                  "capabilities": {"textDocument": {"publishDiagnostics": {}}},
                                  "initializationOptions": options})
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    client.diagnostics(uri, 1)
    return client


def timed(cmd: list[str], cwd: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "corpus")
    p.add_argument("folder", nargs="?", default=default)
    p.add_argument("--repeat", type=int, default=15)
    args = p.parse_args()
    if not os.path.isdir(args.folder):
        print(f"skipped: no corpus at {args.folder} (give a folder of manifests)")
        return
    k8slint = shutil.which("k8slint", path=os.path.dirname(sys.executable)) or shutil.which("k8slint")
    if k8slint is None:
        raise SystemExit("k8slint is not installed beside this Python")
    with tempfile.TemporaryDirectory(prefix="k8slint-server-bench-") as work:
        repo = os.path.join(work, "repo")
        shutil.copytree(args.folder, repo, symlinks=True)
        subprocess.run(["git", "init", "-q", repo], check=True)
        text = manifest()
        target = os.path.join(repo, "bench-app", "web.yaml")
        os.makedirs(os.path.dirname(target))
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
        relative = os.path.relpath(target, repo)
        uri = Path(target).as_uri()
        env = dict(os.environ, K8SLINT_CACHE_DIR=os.path.join(work, "cache"))
        cli = [k8slint, "--no-config", relative]
        timed(cli, repo, env)  # warm the cache
        servers = {
            "server": start_server(sys.executable, repo, env, uri, text, {}),
            "server, no debounce": start_server(sys.executable, repo, env, uri, text, {"debounceMs": 0}),
        }
        times: dict[str, list[float]] = {name: [] for name in [*servers, "CLI", "CLI, file edited"]}
        version = 1
        try:
            for i in range(args.repeat):
                version += 1
                changed = text.replace("replicas: 3", f"replicas: {4 + i % 5}")
                for name, client in servers.items():
                    start = time.perf_counter()
                    client.notify("textDocument/didChange", {
                        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]})
                    client.diagnostics(uri, version)
                    times[name].append(time.perf_counter() - start)
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(text)
                times["CLI"].append(timed(cli, repo, env))
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(changed)
                times["CLI, file edited"].append(timed(cli, repo, env))
        finally:
            for client in servers.values():
                client.close()
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(text)
    result: dict[str, Any] = {"folder": args.folder, "manifest_lines": text.count("\n"), "repeat": args.repeat,
                              "variants": {}}
    for name, values in times.items():
        ratios = [v / c for v, c in zip(values, times["CLI"])]
        ratios_edited = [v / c for v, c in zip(values, times["CLI, file edited"])]
        result["variants"][name] = {"median_ms": 1000 * statistics.median(values),
                                    "min_ms": 1000 * min(values), "max_ms": 1000 * max(values),
                                    "ratio_to_cli": statistics.median(ratios),
                                    "ratio_to_cli_file_edited": statistics.median(ratios_edited)}
    print(f"a {result['manifest_lines']}-line manifest in a copy of {args.folder}, {args.repeat} repetitions")
    print(f"{'':22}{'median':>10}{'range':>20}{'/ CLI':>9}{'/ CLI, edited':>15}")
    for name, row in result["variants"].items():
        span = f"{row['min_ms']:.0f} to {row['max_ms']:.0f} ms"
        print(f"{name:22}{row['median_ms']:8.0f} ms{span:>20}{row['ratio_to_cli']:9.2f}"
              f"{row['ratio_to_cli_file_edited']:15.2f}")
    out = os.path.join(HERE, "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "server.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)


if __name__ == "__main__":
    main()
