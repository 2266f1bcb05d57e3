"""The object graph: references across files, selectors, the networkx view."""

from __future__ import annotations

import pytest

from k8slint.engine import Settings
from k8slint.kube.selectors import label_selector_matches, map_selector_matches
from k8slint.pipeline import lint

WORKLOAD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec:
      serviceAccountName: web
      imagePullSecrets: [{name: registry}]
      containers:
        - name: web
          image: x
          env:
            - name: A
              valueFrom: {configMapKeyRef: {name: settings, key: a}}
            - name: B
              valueFrom: {secretKeyRef: {name: creds, key: b, optional: true}}
          envFrom: [{configMapRef: {name: env}}]
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - {name: data, persistentVolumeClaim: {claimName: web-data}}
        - name: bundle
          projected:
            sources: [{configMap: {name: bundle}}, {secret: {name: tls}}]
"""

OTHERS = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{secretName: web-tls}]
  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: {matchExpressions: [{key: tier, operator: In, values: [frontend]}]}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
subjects: [{kind: ServiceAccount, name: web}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
# same name, other namespace: must not be matched
apiVersion: v1
kind: Service
metadata: {name: other, namespace: elsewhere}
spec: {selector: {app: web}}
"""


@pytest.fixture
def graph(tmp_path, registry):
    (tmp_path / "a.yaml").write_text(WORKLOAD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text(OTHERS)
    return lint([str(tmp_path / "a.yaml"), str(tmp_path / "sub")], registry, Settings()).graph


def edges(graph):
    return sorted((e.source.kind, e.kind, e.target, str(e.path)) for o in graph.objects for e in graph.out_edges(o))


def test_edges_across_files(graph):
    assert edges(graph) == sorted([
        ("Deployment", "serviceAccount", ("ServiceAccount", "shop", "web"), "spec.template.spec.serviceAccountName"),
        ("Deployment", "imagePullSecret", ("Secret", "shop", "registry"), "spec.template.spec.imagePullSecrets[0]"),
        ("Deployment", "claims", ("PersistentVolumeClaim", "shop", "web-data"),
         "spec.template.spec.volumes[0].persistentVolumeClaim.claimName"),
        ("Deployment", "mounts", ("ConfigMap", "shop", "bundle"),
         "spec.template.spec.volumes[1].projected.sources[0].configMap.name"),
        ("Deployment", "mounts", ("Secret", "shop", "tls"),
         "spec.template.spec.volumes[1].projected.sources[1].secret.name"),
        ("Deployment", "env", ("ConfigMap", "shop", "settings"),
         "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name"),
        ("Deployment", "env", ("Secret", "shop", "creds"),
         "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name"),
        ("Deployment", "envFrom", ("ConfigMap", "shop", "env"),
         "spec.template.spec.containers[0].envFrom[0].configMapRef.name"),
        ("Service", "selects", ("Deployment", "shop", "web"), "spec.selector"),
        ("Ingress", "tls", ("Secret", "shop", "web-tls"), "spec.tls[0].secretName"),
        ("Ingress", "routes-to", ("Service", "shop", "web"), "spec.rules[0].http.paths[0].backend.service.name"),
        ("HorizontalPodAutoscaler", "scales", ("Deployment", "shop", "web"), "spec.scaleTargetRef"),
        ("PodDisruptionBudget", "protects", ("Deployment", "shop", "web"), "spec.selector"),
        ("RoleBinding", "binds", ("ServiceAccount", "shop", "web"), "subjects[0]"),
        ("RoleBinding", "grants", ("Role", "shop", "reader"), "roleRef"),
    ])


def test_lookups(graph):
    deployment = graph.get("Deployment", "shop", "web")
    assert {e.source.kind for e in graph.in_edges(deployment)} == {"Service", "HorizontalPodAutoscaler",
                                                                   "PodDisruptionBudget"}
    [sa_edge] = graph.out_edges(deployment, "serviceAccount")
    assert graph.lookup(sa_edge.target).name == "web"
    [creds] = [e for e in graph.out_edges(deployment, "env") if e.target[2] == "creds"]
    assert creds.optional


def test_networkx_view_has_the_same_edges_and_missing_nodes(graph):
    g = graph.nx
    assert g.number_of_edges() == len(edges(graph))
    assert g.nodes[("ConfigMap", "shop", "settings")]["missing"] is True
    assert g.nodes[("Deployment", "shop", "web")]["missing"] is False
    kinds = {d["kind"] for _, _, d in g.in_edges(("Deployment", "shop", "web"), data=True)}
    assert kinds == {"selects", "scales", "protects"}


def test_default_service_account_is_an_implicit_edge(lint_text):
    report = lint_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n")
    [edge] = report.graph.out_edges(report.objects[0], "serviceAccount")
    assert edge.implicit and edge.target == ("ServiceAccount", "default", "default")


@pytest.mark.parametrize("selector, labels, hit", [
    ({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"}, True),
    ({"matchLabels": {"a": "1"}}, {"a": "2"}, False),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "2"}, True),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {}, True),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"}, False),
    ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"a": ""}, True),
    ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": ""}, False),
    ({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}, {"a": ""}, False),
    ({}, {"a": "1"}, True),     # an empty LabelSelector selects everything
    (None, {"a": "1"}, False),  # a missing one selects nothing
])
def test_label_selectors(selector, labels, hit):
    assert label_selector_matches(selector, labels) is hit


def test_map_selectors():
    assert map_selector_matches({"app": "web"}, {"app": "web", "x": "y"})
    assert not map_selector_matches({}, {"app": "web"})  # a selector-less Service selects nothing


def test_policy_v1beta1_empty_pdb_selector_selects_nothing(lint_text):
    text = ("apiVersion: policy/{v}\nkind: PodDisruptionBudget\nmetadata: {{name: p}}\n"
            "spec: {{maxUnavailable: 1, selector: {{}}}}\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: x, labels: {{a: b}}}}\n"
            "spec: {{containers: [{{name: a, image: b}}]}}\n")
    for version, count in (("v1", 1), ("v1beta1", 0)):
        report = lint_text(text.format(v=version))
        pdb = report.objects[0]
        assert len(report.graph.out_edges(pdb, "protects")) == count


def _workload(name, labels, namespace="shop"):
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {namespace}}}\n"
            f"spec:\n  selector: {{matchLabels: {{name: {name}}}}}\n"
            f"  template:\n    metadata: {{labels: {labels}}}\n"
            f"    spec: {{containers: [{{name: a, image: b}}]}}\n")


SELECTORS = [
    ({"app": "shop"}, False), ({"app": "shop", "tier": "web"}, False), ({"app": "none"}, False),
    ({"matchLabels": {"app": "shop"}}, True), ({"matchLabels": {"app": "shop", "tier": "db"}}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "db"]}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["web"]}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, True),
    ({"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, True),
    ({}, True),
]


def test_indexed_selection_matches_a_full_scan(tmp_path, registry):
    """The label index (and the cache of selections) finds what testing every workload finds,
    in every view: two units, the second shadowing a Deployment of the first."""
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "a.yaml").write_text("---\n".join([
        _workload("w1", "{app: shop, tier: web}"), _workload("w2", "{app: shop, tier: db}"),
        _workload("w3", "{app: shop}"), _workload("w4", "{app: other, tier: web}"),
        _workload("w5", "{app: shop, tier: web}", namespace="elsewhere")]))
    (tmp_path / "one" / "b.yaml").write_text(_workload("w6", "{app: shop, tier: db}"))
    (tmp_path / "two" / "c.yaml").write_text("---\n".join([
        _workload("v1", "{app: shop, tier: web}"), _workload("w3", "{app: shop, tier: web}")]))
    graph = lint([str(tmp_path)], registry, Settings()).graph
    assert graph is not None
    for obj in graph.objects:
        view = graph.view_for(obj)
        for namespace in ("shop", "elsewhere", "none"):
            everything = view.workloads(namespace)
            for selector, label_selector in SELECTORS:
                def matches(w):
                    labels = w.pod.labels
                    return label_selector_matches(selector, labels) if label_selector \
                        else map_selector_matches(selector, labels)

                scanned = [w for w in everything if matches(w)]
                for _ in range(2):  # computed, then from the cache
                    assert view.workloads_selected(namespace, selector, label_selector) == scanned
                assert [w for w in graph.objects if view.is_selected(w, namespace, selector, label_selector)] \
                    == [w for w in graph.objects if any(w is s for s in scanned)]


def test_selector_edges_are_kept_in_groups(lint_text):
    """n Services with one selector share their targets: the edges exist one by one when asked,
    and counts and groups answer without making them."""
    n = 4
    text = "---\n".join(
        [_workload(f"w{i}", f"{{app: shop, name: w{i}}}") for i in range(n)]
        + [f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: shop}}\n"
           f"spec: {{selector: {{app: shop}}}}\n" for i in range(n)]
        + ["apiVersion: v1\nkind: Service\nmetadata: {name: one, namespace: shop}\nspec: {selector: {name: w0}}\n"])
    report = lint_text(text)
    graph = report.graph
    workloads = [o for o in report.objects if o.kind == "Deployment"]
    services = [o for o in report.objects if o.kind == "Service"]
    for s in services[:n]:
        assert [(e.source, e.to, e.target, e.kind, str(e.path)) for e in graph.out_edges(s, "selects")] \
            == [(s, w, w.key, "selects", "spec.selector") for w in workloads]
        assert graph.out_degree(s, "selects") == graph.out_degree(s) == n
    for w in workloads:
        expected = services if w.name == "w0" else services[:n]
        assert [e.source for e in graph.in_edges(w, "selects")] == expected
        assert graph.in_degree(w, "selects") == len(expected)
        groups = graph.selected_by(w, "selects")
        assert [len(g.sources) for g in groups] == ([n, 1] if w.name == "w0" else [n])
        assert groups[0].targets == workloads and len(list(groups[0].edges())) == n * n
    assert graph.in_degree(workloads[0], "protects") == 0 and not graph.selected_by(workloads[0], "protects")
