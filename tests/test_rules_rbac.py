"""Helpers of the RBAC, network and resources rules, and odd shapes of the kinds they read."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint.engine import Settings
from k8slint.graph import Graph
from k8slint.load import LoadResult, read_source
from k8slint.model import K8sObject
from k8slint.rules.network.networkpolicy_missing import UNKNOWN, controller_labels, pod_selector
from k8slint.rules.rbac._common import covers_default_service_account, is_kubernetes_role
from k8slint.rules.rbac.rbac_secrets_read import reads_secrets
from k8slint.rules.resources.resources_missing import limit_range_defaults
from k8slint.pipeline import lint_loaded

OURS = {"rbac-wildcard", "rbac-cluster-admin-binding", "rbac-secrets-read", "networkpolicy-missing",
        "resources-missing", "writable-root-filesystem"}


def obj(raw: dict) -> K8sObject:
    return K8sObject(raw, document=None)


class Ctx:
    def __init__(self, objects):
        self.graph = Graph(objects)


# RBAC -----------------------------------------------------------------------------

def test_reads_secrets_needs_core_group_secrets_and_a_read_verb():
    assert reads_secrets({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create"]}) == ["get"]
    assert reads_secrets({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}) == ["*"]
    assert reads_secrets({"apiGroups": [""], "resources": ["*"], "verbs": ["list", "watch"]}) == ["list", "watch"]
    assert reads_secrets({"apiGroups": ["apps"], "resources": ["secrets"], "verbs": ["get"]}) == []
    assert reads_secrets({"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "delete"]}) == []
    assert reads_secrets({"apiGroups": [""], "resources": ["secrets/status"], "verbs": ["get"]}) == []
    assert reads_secrets({"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"],
                          "verbs": ["get"]}) == []
    assert reads_secrets({"apiGroups": "", "resources": "secrets", "verbs": "get"}) == []


def test_subjects_that_include_a_default_service_account():
    binding = obj({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                   "metadata": {"name": "b", "namespace": "shop"}})
    assert covers_default_service_account({"kind": "ServiceAccount", "name": "default"}, binding) == ("shop", False)
    assert covers_default_service_account({"kind": "ServiceAccount", "name": "default", "namespace": "web"},
                                          binding) == ("web", False)
    assert covers_default_service_account({"kind": "Group", "name": "system:serviceaccounts"}, binding) == ("*", True)
    assert covers_default_service_account({"kind": "Group", "name": "system:authenticated"}, binding) == ("*", True)
    assert covers_default_service_account({"kind": "Group", "name": "system:serviceaccounts:ci"},
                                          binding) == ("ci", True)
    assert covers_default_service_account({"kind": "User", "name": "system:serviceaccount:ci:default"},
                                          binding) == ("ci", False)
    for subject in ({"kind": "ServiceAccount", "name": "app"}, {"kind": "Group", "name": "system:serviceaccounts:"},
                    {"kind": "Group", "name": "system:unauthenticated"}, {"kind": "User", "name": "default"},
                    {"kind": "ServiceAccount", "name": 7}):
        assert covers_default_service_account(subject, binding) is None


def test_kubernetes_own_roles():
    def role(name, labels=None):
        return obj({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": {"name": name, "labels": labels or {}}})
    assert is_kubernetes_role(role("system:node"))
    assert is_kubernetes_role(role("cluster-admin"))
    assert is_kubernetes_role(role("admin", {"kubernetes.io/bootstrapping": "rbac-defaults"}))
    assert not is_kubernetes_role(role("cluster-admin-lite"))
    assert not is_kubernetes_role(role("systems:monitor"))


# NetworkPolicy --------------------------------------------------------------------

def test_a_missing_or_null_pod_selector_selects_every_pod():
    def policy(spec):
        raw = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p"}}
        if spec is not ...:
            raw["spec"] = spec
        return obj(raw)
    assert pod_selector(policy(...)) == {}
    assert pod_selector(policy(None)) == {}
    assert pod_selector(policy({"policyTypes": ["Ingress"]})) == {}
    assert pod_selector(policy({"podSelector": None})) == {}
    assert pod_selector(policy({"podSelector": {"matchLabels": {"a": "b"}}})) == {"matchLabels": {"a": "b"}}
    assert pod_selector(policy({"podSelector": "a=b"})) is None
    assert pod_selector(policy(["x"])) is None


def test_controller_labels():
    job = obj({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}})
    assert controller_labels(job)["batch.kubernetes.io/job-name"] == "migrate"
    generated = obj({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-"}})
    assert controller_labels(generated)["job-name"] is UNKNOWN
    assert UNKNOWN != "anything" and not (UNKNOWN == UNKNOWN.__class__())
    pod = obj({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})
    assert controller_labels(pod) == {}


# LimitRange -----------------------------------------------------------------------

def test_limit_range_defaults_follow_the_api_defaulting_of_the_limit_range():
    lr = obj({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l", "namespace": "a"},
              "spec": {"limits": [
                  {"type": "Container", "max": {"memory": "2Gi"}, "min": {"cpu": "10m"}},
                  {"type": "Pod", "default": {"cpu": "1"}},
                  "junk",
                  {"type": "Container", "default": "1Gi"},
              ]}})
    other = obj({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l", "namespace": "b"},
                 "spec": {"limits": [{"type": "Container", "default": {"cpu": "1", "memory": None}}]}})
    ctx = Ctx([lr, other])
    assert limit_range_defaults(ctx, "a") == ({"memory", "cpu"}, {"memory"})
    assert limit_range_defaults(ctx, "b") == ({"cpu"}, {"cpu"})
    assert limit_range_defaults(ctx, "c") == (set(), set())


# odd shapes -----------------------------------------------------------------------

KINDS = {
    "Role": "rbac.authorization.k8s.io/v1", "ClusterRole": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1", "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
    "NetworkPolicy": "networking.k8s.io/v1", "LimitRange": "v1", "Pod": "v1",
}
KEYS = ["metadata", "name", "namespace", "labels", "rules", "verbs", "resources", "apiGroups", "resourceNames",
        "subjects", "kind", "roleRef", "aggregationRule", "clusterRoleSelectors", "matchLabels", "spec",
        "podSelector", "limits", "type", "default", "defaultRequest", "max", "min", "containers", "resources",
        "requests", "securityContext", "readOnlyRootFilesystem", "os", "nodeSelector", "hostNetwork"]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["*", "", "secrets", "default", "cluster-admin",
                                                                 "ClusterRole", "ServiceAccount", "Container",
                                                                 "system:masters", "windows"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=5),
    max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(KINDS)), VALUES), min_size=1, max_size=4))
def test_the_rules_cope_with_odd_shapes_of_the_kinds_they_read(docs):
    stream = []
    for kind, value in docs:
        doc = {"apiVersion": KINDS[kind], "kind": kind}
        if isinstance(value, dict):
            doc.update(value)
            doc["kind"] = kind
        else:
            doc["spec"] = value
        stream.append(json.dumps(doc))
    result = LoadResult()
    read_source("odd.yaml", None, "\n---\n".join(stream).encode(), result)
    report = lint_loaded(result, _registry(), Settings(), (1, 37))
    errors = [r.message for r in report.results if r.rule == "internal-error"]
    assert not [m for m in errors if any(rule_id in m for rule_id in OURS)], errors


def _registry():
    from k8slint.engine import load_builtin_rules
    return load_builtin_rules()
