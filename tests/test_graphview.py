"""`k8slint graph`: the object graph as JSON, dot and Mermaid, its filters, and the SVG layout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from k8slint.cli import main
from k8slint.engine import Settings
from k8slint.graph import Graph
from k8slint.report.graphs import layout, to_mermaid, to_svg
from k8slint.view import around_findings, build_view, select
from k8slint.load import load
from k8slint.model import build_objects
from k8slint.pipeline import lint

DATA = "tests/data/graph"
HOSTILE_CM = "</script><script>document.body.setAttribute('data-pwned','1')</script>"

# Checked by hand against tests/data/graph/*.yaml: (source, kind, target, path, implicit, optional).
EXPECTED_EDGES = sorted([
    ("Ingress/shop/web", "tls", "Secret/shop/web-tls", "spec.tls[0].secretName", False, False),
    ("Ingress/shop/web", "routes-to", "Service/shop/web", "spec.rules[0].http.paths[0].backend.service.name",
     False, False),
    ("Ingress/shop/web", "routes-to", "Service/shop/api", "spec.rules[0].http.paths[1].backend.service.name",
     False, False),
    ("Ingress/shop/promo", "routes-to", "Service/shop/web", "spec.rules[0].http.paths[0].backend.service.name",
     False, False),
    ("Service/shop/web", "selects", "Deployment/shop/web", "spec.selector", False, False),
    ("Deployment/shop/web", "serviceAccount", "ServiceAccount/shop/web", "spec.template.spec.serviceAccountName",
     False, False),
    ("Deployment/shop/web", "env", "Secret/shop/web-db",
     "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name", False, False),
    ("Deployment/shop/web", "envFrom", "ConfigMap/shop/web-env",
     "spec.template.spec.containers[0].envFrom[0].configMapRef.name", False, True),
    ("Deployment/shop/web", "mounts", "ConfigMap/shop/web-config", "spec.template.spec.volumes[0].configMap.name",
     False, False),
    ("Deployment/shop/web", "claims", "PersistentVolumeClaim/shop/web-data",
     "spec.template.spec.volumes[1].persistentVolumeClaim.claimName", False, False),
    ("HorizontalPodAutoscaler/shop/web", "scales", "Deployment/shop/web", "spec.scaleTargetRef", False, False),
    ("PodDisruptionBudget/shop/web", "protects", "Deployment/shop/web", "spec.selector", False, False),
    ("RoleBinding/shop/web-reader", "binds", "ServiceAccount/shop/web", "subjects[0]", False, False),
    ("RoleBinding/shop/web-reader", "grants", "Role/shop/web-reader", "roleRef", False, False),
    ("CronJob/ops/backup", "serviceAccount", "ServiceAccount/ops/default", "spec.jobTemplate.spec.template.spec",
     True, False),
    ("ClusterRoleBinding/backup-view", "binds", "ServiceAccount/ops/backup", "subjects[0]", False, False),
    ("ClusterRoleBinding/backup-view", "grants", "ClusterRole/view", "roleRef", False, False),
    ("Pod/shop/promo-preview", "serviceAccount", "ServiceAccount/shop/default", "spec", True, False),
    ("Pod/shop/promo-preview", "mounts", f"ConfigMap/shop/{HOSTILE_CM}", "spec.volumes[0].configMap.name",
     False, False),
])

MISSING = {"Secret/shop/web-tls", "Service/shop/api", "Secret/shop/web-db", "ConfigMap/shop/web-env",
           "ServiceAccount/ops/default", "ServiceAccount/ops/backup", "ClusterRole/view",
           "ServiceAccount/shop/default", f"ConfigMap/shop/{HOSTILE_CM}"}


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)  # file names in the output are then relative: tests/data/graph/...


def graph_json(capsys, *argv):
    code = main(["graph", "--format", "json", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def edge_rows(doc):
    return sorted((e["source"], e["kind"], e["target"], e["path"], e["implicit"], e["optional"])
                  for e in doc["edges"])


def test_json_edges_are_the_hand_checked_list(capsys):
    doc = graph_json(capsys, DATA)
    assert edge_rows(doc) == EXPECTED_EDGES
    ids = {n["id"] for n in doc["nodes"]}
    assert {e["source"] for e in doc["edges"]} | {e["target"] for e in doc["edges"]} <= ids


def test_json_nodes_carry_identity_position_and_missing(capsys):
    nodes = {n["id"]: n for n in graph_json(capsys, DATA)["nodes"]}
    assert {i for i, n in nodes.items() if n["missing"]} == MISSING
    assert nodes["Deployment/shop/web"] == {
        "id": "Deployment/shop/web", "apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop",
        "name": "web", "file": f"{DATA}/shop.yaml", "line": 42, "unit": f"{DATA}/", "missing": False}
    assert nodes["Ingress/shop/web"]["line"] == 4  # the object's first line, after the leading comments
    assert nodes["ConfigMap/shop/web-config"]["line"] == 8  # second document of its file
    crb = nodes["ClusterRoleBinding/backup-view"]
    assert (crb["namespace"], crb["file"], crb["line"]) == (None, f"{DATA}/ops.yaml", 20)
    assert nodes["ClusterRole/view"] == {"id": "ClusterRole/view", "apiVersion": None, "kind": "ClusterRole",
                                         "namespace": None, "name": "view", "file": None, "line": None,
                                         "unit": None, "missing": True}
    assert "findings" not in crb  # counted only when a report is given


def test_list_items_start_at_their_item(tmp_path, capsys):
    (tmp_path / "list.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n")
    nodes = {n["id"]: n for n in graph_json(capsys, str(tmp_path))["nodes"]}
    assert (nodes["ConfigMap/default/a"]["line"], nodes["ConfigMap/default/b"]["line"]) == (4, 7)


def test_the_same_graph_as_the_rules_and_its_networkx_view(capsys, registry):
    """One source of truth: the command prints the edges of the Graph the rules get."""
    report = lint([DATA], registry, Settings())
    g = report.graph.nx
    from_nx = sorted((_id(s), d["kind"], _id(t), str(d["path"]), d["implicit"], d["optional"])
                     for s, t, d in g.edges(data=True))
    assert from_nx == edge_rows(graph_json(capsys, DATA))
    assert {_id(n) for n, d in g.nodes(data=True) if d["missing"]} == MISSING


def _id(key) -> str:
    return f"{key[0]}/{key[1]}/{key[2]}" if key[1] else f"{key[0]}/{key[2]}"


def test_namespace_filter_keeps_linked_cluster_scoped_objects(capsys):
    doc = graph_json(capsys, DATA, "--namespace", "ops")
    assert {n["id"] for n in doc["nodes"]} == {"CronJob/ops/backup", "ServiceAccount/ops/default",
                                               "ServiceAccount/ops/backup", "ClusterRoleBinding/backup-view"}
    assert [(e["source"], e["kind"], e["target"]) for e in doc["edges"]] == [
        ("ClusterRoleBinding/backup-view", "binds", "ServiceAccount/ops/backup"),
        ("CronJob/ops/backup", "serviceAccount", "ServiceAccount/ops/default")]


def test_kind_filter(capsys):
    doc = graph_json(capsys, DATA, "--kind", "Service", "--kind", "deployment,Ingress")
    assert {n["id"] for n in doc["nodes"]} == {"Service/shop/web", "Service/shop/api", "Deployment/shop/web",
                                               "Ingress/shop/web", "Ingress/shop/promo"}
    assert {(e["source"], e["kind"], e["target"]) for e in doc["edges"]} == {
        ("Ingress/shop/web", "routes-to", "Service/shop/web"), ("Ingress/shop/web", "routes-to", "Service/shop/api"),
        ("Ingress/shop/promo", "routes-to", "Service/shop/web"), ("Service/shop/web", "selects", "Deployment/shop/web")}


def test_focus_is_the_object_and_its_neighbours_in_both_directions(capsys):
    doc = graph_json(capsys, DATA, "--focus", "deployment/web")
    assert doc["focus"] == "Deployment/shop/web"
    assert {n["id"] for n in doc["nodes"]} == {
        "Deployment/shop/web", "Service/shop/web", "HorizontalPodAutoscaler/shop/web", "PodDisruptionBudget/shop/web",
        "ServiceAccount/shop/web", "Secret/shop/web-db", "ConfigMap/shop/web-env", "ConfigMap/shop/web-config",
        "PersistentVolumeClaim/shop/web-data"}
    assert len(doc["edges"]) == 8 and all("Deployment/shop/web" in (e["source"], e["target"]) for e in doc["edges"])
    # filters narrow the neighbourhood but keep the focused object
    doc = graph_json(capsys, DATA, "--focus", "Service/shop/web", "--kind", "Ingress")
    assert {n["id"] for n in doc["nodes"]} == {"Service/shop/web", "Ingress/shop/web", "Ingress/shop/promo"}
    # a missing object can be the focus: who references it?
    doc = graph_json(capsys, DATA, "--focus", "ConfigMap/shop/web-env")
    assert {n["id"] for n in doc["nodes"]} == {"ConfigMap/shop/web-env", "Deployment/shop/web"}
    doc = graph_json(capsys, DATA, "--focus", "ClusterRole/view")
    assert {n["id"] for n in doc["nodes"]} == {"ClusterRole/view", "ClusterRoleBinding/backup-view"}


def test_unknown_or_ambiguous_focus_is_a_usage_error(capsys):
    assert main(["graph", "--focus", "Deployment/shop/wbe", DATA]) == 2
    err = capsys.readouterr().err
    assert "no such object" in err and "Deployment/shop/web" in err
    assert main(["graph", "--focus", "Configmap/web-conf", DATA]) == 2
    assert "ConfigMap/shop/web-config" in capsys.readouterr().err
    assert main(["graph", "--focus", "ServiceAccount/default", DATA]) == 2
    err = capsys.readouterr().err
    assert "ambiguous" in err and "ServiceAccount/ops/default" in err and "ServiceAccount/shop/default" in err
    doc = graph_json(capsys, DATA, "--focus", "ServiceAccount/default", "--namespace", "ops")
    assert doc["focus"] == "ServiceAccount/ops/default"
    assert main(["graph", "--focus", "Deployment/web", "--namespace", "ops", DATA]) == 2  # KIND/NAME looks in NS
    assert "did you mean Deployment/shop/web" in capsys.readouterr().err
    assert main(["graph", "--focus", "web", DATA]) == 2
    assert "KIND/NAME" in capsys.readouterr().err


def test_usage_errors_and_unreadable_paths(capsys, tmp_path):
    assert main(["graph"]) == 2
    assert "no paths given" in capsys.readouterr().err
    assert main(["graph", "--format", "png", DATA]) == 2
    capsys.readouterr()
    assert main(["graph", "--format", "json", DATA, str(tmp_path / "nope.yaml")]) == 2
    out, err = capsys.readouterr()
    assert "nope.yaml" in err and json.loads(out)["nodes"]  # what could be read is still drawn
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: ConfigMap\ndata: [\n")
    assert main(["graph", "--format", "json", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"nodes": [], "edges": []} and "broken.yaml:" in err


def test_output_file(tmp_path, capsys):
    target = tmp_path / "graph.mmd"
    assert main(["graph", "--format", "mermaid", "--output", str(target), DATA]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("flowchart LR\n")


def test_dot(capsys):
    assert main(["graph", DATA]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph k8slint {") and out.rstrip().endswith("}")
    missing_lines = [line for line in out.splitlines() if "(missing)" in line]
    assert len(missing_lines) == len(MISSING) and all("dashed" in line for line in missing_lines)
    assert '"CronJob/ops/backup" -> "ServiceAccount/ops/default" [label="serviceAccount", style=dotted];' in out
    assert '"Deployment/shop/web" -> "ConfigMap/shop/web-env" [label="envFrom (optional)"];' in out
    assert '"Ingress/shop/web" -> "Service/shop/api" [label="routes-to"];' in out
    assert "subgraph cluster_" in out and 'label="namespace shop"' in out
    # every quoted string is well formed: no quote or backslash from a manifest can end it early
    body = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', out)
    assert '"' not in body.replace('""', "")
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg"], input=out, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr


def test_dot_escapes_quotes_and_backslashes(tmp_path, capsys):
    (tmp_path / "odd.yaml").write_text('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\"b\\\\n"}\n')
    assert main(["graph", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert '"ConfigMap/default/a\\"b\\\\n" [label="ConfigMap\\na\\"b\\\\n"];' in out


def test_mermaid(capsys):
    assert main(["graph", "--format", "mermaid", DATA]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    ids = dict(re.findall(r'^\s+(n\d+)\["(.*)"\]$', out, re.M))
    assert len(ids) == 23
    missing = re.search(r"^  class (\S+) missing$", out, re.M).group(1).split(",")
    assert len(missing) == len(MISSING) and all("<i>missing</i>" in ids[m] for m in missing)
    assert "classDef missing" in out and "stroke-dasharray" in out
    arrows = [line for line in lines if "-->" in line or "-.->" in line]
    assert len(arrows) == len(EXPECTED_EDGES)  # no two edges share (source, target, kind) here
    assert sum("-.->" in line for line in arrows) == 2  # the implicit default ServiceAccounts
    assert "-->|envFrom #40;optional#41;|" in out
    # manifest text cannot break out of a label or inject markup
    assert "<script" not in out and "</script" not in out
    assert all(label.count('"') == 0 for label in ids.values())
    assert "#60;/script#62;#60;script#62;" in out


def test_namespace_subgraphs_in_mermaid(capsys):
    assert main(["graph", "--format", "mermaid", "--namespace", "ops", DATA]) == 0
    out = capsys.readouterr().out
    assert 'subgraph ns1["namespace ops"]' in out and out.count("subgraph") == 1
    assert 'n0["ClusterRoleBinding<br/>backup-view"]' in out  # cluster-scoped: outside the subgraph


def test_findings_are_counted_when_a_report_is_given(registry):
    report = lint([DATA], registry, Settings())
    view = build_view(report.graph, report.results)
    counted = {n.id: (n.findings, n.worst) for n in view.nodes.values() if n.findings}
    expected: dict = {}
    for r in report.results:
        key = r.obj.key
        expected[_id(key)] = expected.get(_id(key), 0) + 1
    assert {k: v[0] for k, v in counted.items()} == expected
    assert counted["Deployment/shop/web"][1] == "warning"
    mermaid = to_mermaid(view)
    assert re.search(r'\["Deployment<br/>web<br/><b>\d+ findings</b>"\]', mermaid)
    assert "classDef warning" in mermaid


def test_around_findings_caps_the_view_and_says_so(registry):
    report = lint([DATA], registry, Settings())
    view = build_view(report.graph, report.results)
    whole = around_findings(view, 100)
    assert whole.note is None and {n.id for n in whole.nodes.values() if n.findings} == \
        {"Deployment/shop/web", "Pod/shop/promo-preview", "CronJob/ops/backup", "Ingress/shop/promo"}
    assert "HorizontalPodAutoscaler/shop/web" in {n.id for n in whole.nodes.values()}  # a neighbour
    assert "Role/shop/web-reader" not in {n.id for n in whole.nodes.values()}  # two steps away
    small = around_findings(view, 5)
    assert len(small.nodes) == 5 and "showing 5 objects" in small.note
    assert all(e.source.key in small.nodes and e.target in small.nodes for e in small.edges)


def test_svg_layout_columns_by_role_and_no_overlap(registry):
    report = lint([DATA], registry, Settings())
    view = build_view(report.graph, report.results)
    lay = layout(view)
    x = {n.id: lay.positions[k][0] for k, n in view.nodes.items()}
    assert x["Ingress/shop/web"] < x["Service/shop/web"] < x["Deployment/shop/web"] < \
        x["ConfigMap/shop/web-config"] < x["RoleBinding/shop/web-reader"] < x["Role/shop/web-reader"]
    assert x["ServiceAccount/shop/web"] == x["Secret/shop/web-db"] == x["PersistentVolumeClaim/shop/web-data"]
    spots = [lay.positions[k] for k in view.nodes]
    assert len(set(spots)) == len(spots)
    assert all(0 <= px and px < lay.width and 0 <= py < lay.height for px, py in spots)
    svg = to_svg(view)
    assert set(re.findall(r'<g class="node[^"]*" data-id="([^"]*)"', svg)) == \
        {n.id.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;") for n in view.nodes.values()}
    assert "<script" not in svg and "http" not in svg
    assert svg.count('class="node missing') == len(MISSING)
    assert re.search(r'<g class="node sev-warning" data-id="Deployment/shop/web" data-findings="\d+"', svg)


def test_select_combines_namespace_and_kind():
    objects = build_objects(load([DATA]).documents)[0]
    view = build_view(Graph(objects))
    narrowed = select(view, namespace="shop", kinds=["ServiceAccount"])
    assert {n.id for n in narrowed.nodes.values()} == {"ServiceAccount/shop/web", "ServiceAccount/shop/default"}
    assert narrowed.edges == []


def test_graph_command_does_not_import_networkx():
    code = ("import sys\nfrom k8slint.cli import cmd_graph\n"
            f"assert cmd_graph(['--format', 'json', '--output', '/dev/null', {DATA!r}]) == 0\n"
            "print('networkx' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_two_renders_of_one_chart_are_two_sets_of_nodes(tmp_path, capsys):
    render = ("---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n"
              "---\n# Source: app/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\n"
              "spec:\n  serviceAccountName: app\n  containers: [{name: app, image: app}]\n")
    for name in ("prod.yaml", "staging.yaml"):
        (tmp_path / name).write_text(render)
    data = graph_json(capsys, str(tmp_path))
    pods = [n for n in data["nodes"] if n["kind"] == "Pod"]
    assert sorted(os.path.basename(n["unit"]) for n in pods) == ["prod.yaml", "staging.yaml"]
    assert all(n["name"] == "app" for n in pods)
    # each Pod's ServiceAccount edge goes to the ServiceAccount of its own render
    by_id = {n["id"]: n for n in data["nodes"]}
    for e in data["edges"]:
        assert by_id[e["source"]]["unit"] == by_id[e["target"]]["unit"]
    assert len(data["edges"]) == 2


BROKEN = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {LOG_LEVEL: info}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          ports: [{name: http, containerPort: 8080}]
          env:
            - name: LOG_LEVEL
              valueFrom: {configMapKeyRef: {name: cfg, key: LOGLEVEL}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: web, port: 80, targetPort: htp}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 8080}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
"""
FIXED = (BROKEN.replace("key: LOGLEVEL", "key: LOG_LEVEL").replace("targetPort: htp", "targetPort: http")
         .replace("number: 8080", "number: 80").replace("  replicas: 3\n", ""))


def problem_rows(doc):
    return sorted((e["source"], e["kind"], e["target"], p["rule"], p["severity"], p["message"])
                  for e in doc["edges"] for p in e["problems"])


def test_graph_marks_missing_keys_and_ports_on_their_edges(tmp_path, capsys):
    (tmp_path / "app.yaml").write_text(BROKEN)
    doc = graph_json(capsys, "--no-config", str(tmp_path))
    assert problem_rows(doc) == [
        ("Deployment/default/web", "env", "ConfigMap/default/cfg", "reference-key-missing", "error",
         "no key 'LOGLEVEL'"),
        ("HorizontalPodAutoscaler/default/web", "scales", "Deployment/default/web", "hpa-replicas-conflict",
         "warning", "Deployment sets replicas: 3"),
        ("Ingress/default/web", "routes-to", "Service/default/web", "ingress-backend-port-unknown", "error",
         "no port number 8080"),
        ("Service/default/web", "selects", "Deployment/default/web", "service-port-unknown", "error",
         "no port 'htp'"),
    ]
    assert all("findings" not in n for n in doc["nodes"])  # only the edge rules ran: no partial counts
    assert main(["graph", "--no-config", str(tmp_path)]) == 0
    dot = capsys.readouterr().out
    assert ('"Deployment/default/web" -> "ConfigMap/default/cfg" [label="env\\n✗ no key \'LOGLEVEL\'", '
            'color="#cf222e", fontcolor="#cf222e", penwidth=2];') in dot
    assert '[label="serviceAccount", style=dotted];' in dot  # a sound edge stays plain
    assert main(["graph", "--no-config", "--format", "mermaid", str(tmp_path)]) == 0
    mermaid = capsys.readouterr().out
    assert "|routes-to<br/>✗ no port number 8080|" in mermaid
    links = [line for line in mermaid.splitlines() if re.match(r"  n\d+ -", line)]
    errors = re.search(r"linkStyle ([\d,]+) stroke:#cf222e", mermaid).group(1).split(",")
    assert sorted(links[int(i)].split("|")[1].split("<br/>")[0] for i in errors) == ["env", "routes-to", "selects"]


def test_a_clean_graph_and_the_configuration_leave_edges_unmarked(tmp_path, capsys):
    (tmp_path / "app.yaml").write_text(FIXED)
    assert problem_rows(graph_json(capsys, "--no-config", str(tmp_path))) == []
    (tmp_path / "app.yaml").write_text(BROKEN)
    (tmp_path / ".k8slint.yaml").write_text("rules:\n  reference-key-missing: off\n  hpa-replicas-conflict: off\n")
    kinds = {row[1] for row in problem_rows(graph_json(capsys, "--config", str(tmp_path / ".k8slint.yaml"),
                                                       str(tmp_path)))}
    assert kinds == {"routes-to", "selects"}


def test_html_graph_marks_broken_edges(tmp_path, registry):
    (tmp_path / "app.yaml").write_text(BROKEN)
    report = lint([str(tmp_path)], registry, Settings())
    view = build_view(report.graph, report.results)
    assert view.with_findings
    svg = to_svg(view)
    broken = re.findall(r'<path class="edge e-([a-z-]+)[^"]* broken sev-(\w+)"', svg)
    assert sorted(broken) == [("env", "error"), ("routes-to", "error"), ("scales", "warning"), ("selects", "error")]
    marks = re.findall(r'<g class="edge-problem sev-(\w+)" transform="[^"]*"><title>([^<]*)</title>', svg)
    assert ("error", "Deployment/default/web env ConfigMap/default/cfg: no key &#x27;LOGLEVEL&#x27;") in marks
    assert len(marks) == 4
    quiet = build_view(report.graph, report.results, count=False)
    assert not quiet.with_findings and not any(n.findings for n in quiet.nodes.values())
    assert sum(1 for e in quiet.edges if e.problems) == 4
