"""Helpers of the scheduling, disruption and storage rules, and behaviour the fixtures cannot show."""

from __future__ import annotations

import pytest

from k8slint.engine import Settings
from k8slint.rules.scheduling._sched import as_int, classify, names_own_namespace, percent

WEB = {"app": "web", "app.kubernetes.io/instance": "shop"}


@pytest.mark.parametrize("selector, status", [
    ({"matchLabels": {"app": "web"}}, "match"),
    ({}, "match"),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}, "match"),
    ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}, "match"),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, "match"),
    ({"matchLabels": {"app": "web", "pod-template-hash": "abc"}}, "match"),  # added by the controller
    # fails only on a label the template lacks, and names the workload
    ({"matchLabels": {"app": "web", "tier": "frontend"}}, "own-mismatch"),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]},
                           {"key": "tier", "operator": "Exists"}]}, "own-mismatch"),
    ({"matchLabels": {"name": "web"}}, "own-mismatch"),  # the template's value under another key
    # about other pods
    ({"matchLabels": {"app": "redis"}}, "other"),
    ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, "other"),
    ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, "other"),
    # a shared release label alone does not name the workload
    ({"matchLabels": {"app.kubernetes.io/instance": "shop", "component": "db"}}, "unknown"),
    ({"matchLabels": {"component": "db"}}, "unknown"),
    # the API server rejects these
    ({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["web"]}]}, "invalid"),
    ({"matchLabels": ["app"]}, "invalid"),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": "web"}]}, "invalid"),
    ("app=web", "invalid"),
])
def test_classify(selector, status):
    assert classify(selector, WEB).status == status


def test_classify_uses_the_name_match_label_keys_and_object_labels():
    selector = {"matchLabels": {"component": "db"}}
    assert classify(selector, WEB).status == "unknown"
    assert classify(selector, WEB, match_label_keys=["app"]).status == "own-mismatch"
    assert classify(selector, WEB, object_labels={"component": "db"}).status == "own-mismatch"
    assert classify({"matchLabels": {"k8s-app": "db"}}, WEB, name="db").status == "own-mismatch"
    assert classify({"matchLabels": {"app": "web"}}, WEB, mismatch_label_keys=["app"]).status == "other"


def test_classify_describes_what_is_unmet():
    verdict = classify({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]},
                                             {"key": "zone", "operator": "In", "values": ["a", "b"]},
                                             {"key": "tier", "operator": "Exists"}]}, WEB)
    assert verdict.unmet == ["zone in (a, b)", "the label tier"]


@pytest.mark.parametrize("term, own", [
    ({}, True),
    ({"namespaces": []}, True),
    ({"namespaces": ["shop", "other"]}, True),
    ({"namespaces": ["other"]}, False),
    ({"namespaceSelector": {}}, True),
    ({"namespaceSelector": {"matchLabels": {"team": "x"}}}, False),
    ({"namespaceSelector": {"matchLabels": {"team": "x"}}, "namespaces": ["shop"]}, True),
])
def test_names_own_namespace(term, own):
    assert names_own_namespace(term, "shop") is own


def test_numbers():
    assert percent("25%") == 25 and percent(" 0% ") == 0 and percent("25") is None and percent(25) is None
    assert as_int(3) == 3 and as_int(True) is None and as_int("3") is None


KUBE_SYSTEM_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: metrics-server
spec:
  selector:
    matchLabels: {app: metrics-server}
  template:
    metadata:
      labels: {app: metrics-server}
    spec:
      containers:
        - name: metrics-server
          image: registry.k8s.io/metrics-server/metrics-server:v0.7.2
"""


def test_priority_uses_the_default_namespace(registry, tmp_path):
    from k8slint.pipeline import lint

    path = tmp_path / "metrics.yaml"
    path.write_text(KUBE_SYSTEM_DEPLOYMENT)
    found = lambda ns: [r for r in lint([str(path)], registry, Settings(), default_namespace=ns).results  # noqa: E731
                        if r.rule == "pod-priority-missing"]
    assert found("default") == []
    [finding] = found("kube-system")
    assert "kube-system" in finding.message and finding.path == "spec.template.spec.priorityClassName"


PDB_ROUNDING = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: x}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  minAvailable: "%s"
  selector: {matchLabels: {app: db}}
"""


@pytest.mark.parametrize("value, blocks", [("66%", False), ("67%", True), ("100%", True), ("2", False)])
def test_pdb_percentages_round_up(lint_text, value, blocks):
    text = PDB_ROUNDING % value if value.endswith("%") else PDB_ROUNDING.replace('"%s"', value)
    report = lint_text(text)
    assert any(r.rule == "pdb-blocks-eviction" for r in report.results) is blocks
