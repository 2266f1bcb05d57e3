"""A rendered chart with one broken reference of each kind: each finding once, at the
referencing field in the template, naming the object referenced and what it has instead;
the clean render of the same chart gives none, and `k8slint graph` marks the broken edges."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from k8slint.cli import main

CHART = ROOT / "tests" / "data" / "reference-chart"
RULES = ("reference-missing", "reference-key-missing", "service-port-unknown", "ingress-backend-port-unknown",
         "hpa-replicas-conflict", "selector-matches-nothing", "service-selector-no-match")


@pytest.fixture(autouse=True)
def rendered_in_process(tmp_path, monkeypatch):
    """The in-process Helm SDK renders (no `helm` on PATH); file names relative to the repository."""
    pytest.importorskip("helm_python")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.chdir(ROOT)


def lint_chart(capsys, *values):
    code = main(["--no-config", "--format", "json", "--release-name", "shop", "--select", ",".join(RULES),
                 *values, str(CHART)])
    out, err = capsys.readouterr()
    return code, json.loads(out)["findings"], err


def line_of(template: str, text: str) -> int:
    lines = (CHART / "templates" / template).read_text().splitlines()
    [line] = [i for i, written in enumerate(lines, 1) if text in written]
    return line


def test_the_clean_render_has_no_broken_reference(capsys):
    code, findings, err = lint_chart(capsys)
    assert (code, findings) == (0, []), err


def test_each_broken_reference_is_one_finding_at_its_field(capsys):
    code, findings, err = lint_chart(capsys, "-f", str(CHART / "broken.yaml"))
    assert code == 1, err
    by_rule = {}
    for f in findings:
        assert f["rule"] not in by_rule, f"{f['rule']} reported twice"
        by_rule[f["rule"]] = f
    where = {rule: (f["file"].rsplit("/", 1)[-1], f["line"]) for rule, f in by_rule.items()}
    assert where == {
        "reference-missing": ("deployment.yaml", line_of("deployment.yaml", "serviceAccountName:")),
        "reference-key-missing": ("deployment.yaml", line_of("deployment.yaml", "key: {{ .Values.secretKey }}")),
        "hpa-replicas-conflict": ("deployment.yaml", line_of("deployment.yaml", "replicas: {{ . }}")),
        "service-port-unknown": ("service.yaml", line_of("service.yaml", "targetPort:")),
        "ingress-backend-port-unknown": ("ingress.yaml", line_of("ingress.yaml", "number:")),
        "selector-matches-nothing": ("pdb.yaml", line_of("pdb.yaml", "selector:")),
    }
    assert all(f["file"].startswith("tests/data/reference-chart/templates/") for f in findings)
    message = {rule: f["message"] for rule, f in by_rule.items()}
    # each names the object referenced and what it has instead
    assert "ServiceAccount 'shop-runner'" in message["reference-missing"]
    assert "(it holds ServiceAccount 'shop')" in message["reference-missing"]
    assert "Secret 'shop-db'" in message["reference-key-missing"]
    assert "has no key 'db-password' (did you mean 'password'?); it has 'password', 'username'" in \
        message["reference-key-missing"]
    assert "targets the port named 'htp'" in message["service-port-unknown"]
    assert "(their ports: http/8080)" in message["service-port-unknown"]
    assert "Service 'shop' port number 8080" in message["ingress-backend-port-unknown"]
    assert "(its ports: web/80)" in message["ingress-backend-port-unknown"]
    assert "HorizontalPodAutoscaler 'shop'" in message["hpa-replicas-conflict"]
    assert "(minReplicas 2, maxReplicas 6)" in message["hpa-replicas-conflict"]
    assert "selects app=shopp" in message["selector-matches-nothing"]
    assert "(closest: Deployment 'shop', which has app=shop)" in message["selector-matches-nothing"]


def test_the_graph_of_the_broken_render_marks_its_edges(capsys):
    assert main(["graph", "--no-config", "--format", "json", "--release-name", "shop",
                 "-f", str(CHART / "broken.yaml"), str(CHART)]) == 0
    edges = json.loads(capsys.readouterr().out)["edges"]
    marked = sorted((e["kind"], e["target"], p["message"]) for e in edges for p in e["problems"])
    assert marked == [
        ("env", "Secret/default/shop-db", "no key 'db-password'"),
        ("routes-to", "Service/default/shop", "no port number 8080"),
        ("scales", "Deployment/default/shop", "Deployment sets replicas: 3"),
        ("selects", "Deployment/default/shop", "no port 'htp'"),
    ]
    assert main(["graph", "--no-config", "--format", "json", "--release-name", "shop", str(CHART)]) == 0
    assert not any(e["problems"] for e in json.loads(capsys.readouterr().out)["edges"])


def test_a_missing_reference_names_the_close_object_the_unit_holds(tmp_path, capsys):
    (tmp_path / "app.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {a: '1'}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: '1'}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: web:1.0}]\n"
        "  volumes: [{name: c, configMap: {name: web-confg}}]\n")
    assert main(["--no-config", "--format", "json", "--complete", "--select", "reference-missing",
                 str(tmp_path)]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["line"] == 16  # the volume's configMap name
    assert "(it holds ConfigMap 'other', 'web-config'; did you mean 'web-config'?)" in finding["message"]
