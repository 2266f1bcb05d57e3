"""The deprecation tables (k8slint.kube.deprecations), their lookups, and the two rules that use them."""

from __future__ import annotations

import collections
import re

import pytest

from k8slint.kube import deprecations as dep
from k8slint.kube import versions
from k8slint.kube.kinds import BUILTIN_GROUPS

NEWEST = versions.parse(versions.known()[-1])
OLDEST = versions.parse(versions.known()[0])


# shape of the API version table ----------------------------------------------------------------

@pytest.mark.parametrize("row", dep.API_VERSIONS, ids=lambda r: r.subject)
def test_api_rows_are_well_formed(row):
    assert row.source.startswith("https://"), row
    assert dep.is_group_version(row.api_version), row.api_version
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", row.kind), row.kind
    assert row.deprecated_in or row.removed_in, "a row must be deprecated or removed"
    deprecated_in = versions.parse(row.deprecated_in) if row.deprecated_in else None
    removed_in = versions.parse(row.removed_in) if row.removed_in else None
    if deprecated_in and removed_in:
        assert deprecated_in <= removed_in
    for replacement in row.replacements:
        assert dep.is_group_version(replacement.api_version), replacement
        assert replacement.api_version != row.api_version
        if replacement.available_in is not None:
            versions.parse(replacement.available_in)
    if not row.replacements:
        assert row.instead, f"{row.subject}: say what to use when no API version replaces it"
    for text in (row.changes, row.instead):
        assert ";" not in text, "notes are one clause each; the message joins them with semicolons"


def test_api_rows_are_unique():
    counts = collections.Counter((row.api_version, row.kind) for row in dep.API_VERSIONS)
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_removed_api_has_a_served_replacement_or_says_what_to_use():
    for row in dep.API_VERSIONS:
        replacement = dep.replacement_at(row, NEWEST)
        if replacement is None:
            assert row.instead, f"{row.subject}: no replacement is served at {NEWEST}"
        else:
            assert dep.is_served(replacement.api_version, row.kind, NEWEST)


# The Deprecated API Migration Guide, section by section: release -> (apiVersion, kind) it stopped serving.
GUIDE_REMOVALS = {
    "1.32": {("flowcontrol.apiserver.k8s.io/v1beta3", k) for k in ("FlowSchema", "PriorityLevelConfiguration")},
    "1.29": {("flowcontrol.apiserver.k8s.io/v1beta2", k) for k in ("FlowSchema", "PriorityLevelConfiguration")},
    "1.27": {("storage.k8s.io/v1beta1", "CSIStorageCapacity")},
    "1.26": {("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
             ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"),
             ("autoscaling/v2beta2", "HorizontalPodAutoscaler")},
    "1.25": {("batch/v1beta1", "CronJob"), ("discovery.k8s.io/v1beta1", "EndpointSlice"),
             ("events.k8s.io/v1beta1", "Event"), ("autoscaling/v2beta1", "HorizontalPodAutoscaler"),
             ("policy/v1beta1", "PodDisruptionBudget"), ("policy/v1beta1", "PodSecurityPolicy"),
             ("node.k8s.io/v1beta1", "RuntimeClass")},
    "1.22": {("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"),
             ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"),
             ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
             ("apiregistration.k8s.io/v1beta1", "APIService"),
             ("authentication.k8s.io/v1beta1", "TokenReview"),
             ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview"),
             ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview"),
             ("authorization.k8s.io/v1beta1", "SubjectAccessReview"),
             ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview"),
             ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
             ("coordination.k8s.io/v1beta1", "Lease"),
             ("extensions/v1beta1", "Ingress"), ("networking.k8s.io/v1beta1", "Ingress"),
             ("networking.k8s.io/v1beta1", "IngressClass"),
             ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
             ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
             ("rbac.authorization.k8s.io/v1beta1", "Role"), ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"),
             ("scheduling.k8s.io/v1beta1", "PriorityClass"),
             ("storage.k8s.io/v1beta1", "CSIDriver"), ("storage.k8s.io/v1beta1", "CSINode"),
             ("storage.k8s.io/v1beta1", "StorageClass"), ("storage.k8s.io/v1beta1", "VolumeAttachment")},
    "1.16": {("extensions/v1beta1", "NetworkPolicy"), ("extensions/v1beta1", "PodSecurityPolicy"),
             ("extensions/v1beta1", "DaemonSet"), ("apps/v1beta2", "DaemonSet"),
             ("extensions/v1beta1", "Deployment"), ("apps/v1beta1", "Deployment"), ("apps/v1beta2", "Deployment"),
             ("apps/v1beta1", "StatefulSet"), ("apps/v1beta2", "StatefulSet"),
             ("extensions/v1beta1", "ReplicaSet"), ("apps/v1beta1", "ReplicaSet"), ("apps/v1beta2", "ReplicaSet")},
}


@pytest.mark.parametrize("release", sorted(GUIDE_REMOVALS))
def test_the_table_covers_every_section_of_the_migration_guide(release):
    for api_version, kind in sorted(GUIDE_REMOVALS[release]):
        row = dep.api_row(api_version, kind)
        assert row is not None, f"{api_version} {kind} (removed in {release}) is missing"
        assert row.removed_in == release, row
        assert row.source.startswith(dep.GUIDE + "#") and row.source.endswith("-v" + release.replace(".", ""))


def test_rows_about_built_in_kinds_name_kinds_that_exist():
    for row in dep.API_VERSIONS:
        group = row.api_version.rpartition("/")[0]
        if row.kind in BUILTIN_GROUPS:
            assert group in BUILTIN_GROUPS[row.kind] or group.endswith(".k8s.io"), row.subject


# shape of the field table ------------------------------------------------------------------------

@pytest.mark.parametrize("row", dep.FIELDS, ids=lambda r: r.name)
def test_field_rows_are_well_formed(row):
    assert row.source.startswith("https://"), row
    assert row.where in dep.WHERE
    assert row.kinds and all(k in BUILTIN_GROUPS or k in (dep.POD_TEMPLATE, dep.CLAIM_TEMPLATE) for k in row.kinds)
    assert row.deprecated_in or row.removed_in
    deprecated_in = versions.parse(row.deprecated_in) if row.deprecated_in else None
    removed_in = versions.parse(row.removed_in) if row.removed_in else None
    if deprecated_in and removed_in:
        assert deprecated_in <= removed_in
    if removed_in:
        assert row.effect, f"{row.name}: say what happens once it is removed"
    assert row.replacement
    if row.where == dep.ANNOTATION:
        assert "/" in row.key and (not row.is_prefix or row.key.endswith("/*"))
    else:
        assert not row.is_prefix and not row.superseded_by
    if row.superseded_at_pod_level:
        assert row.is_prefix and row.superseded_by
    if row.where == dep.KIND:
        api_version, kind = row.key.split(" ")
        assert dep.is_group_version(api_version) and row.kinds == {kind}


def test_field_rows_are_unique():
    names = collections.Counter(row.name for row in dep.FIELDS)
    keys = collections.Counter((row.where, row.key, kind) for row in dep.FIELDS for kind in row.kinds)
    assert [n for n, c in names.items() if c > 1] == [] and [k for k, c in keys.items() if c > 1] == []


def test_volume_rows_name_volume_source_fields():
    known = {"photonPersistentDisk", "gitRepo", "scaleIO", "flocker", "storageos", "quobyte", "glusterfs",
             "cephfs", "rbd"}
    assert {row.key for row in dep.FIELDS if row.where == dep.VOLUME} == known


# lookups -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, state", [((1, 28), None), ((1, 29), dep.DEPRECATED), ((1, 31), dep.DEPRECATED),
                                           ((1, 32), dep.REMOVED), ((1, 37), dep.REMOVED)])
def test_api_status_follows_the_target_version(target, state):
    status = dep.api_status("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", target)
    assert (status.state if status else None) == state
    if status is not None:
        assert status.severity == dep.SEVERITY[state]
        assert status.removed is (state == dep.REMOVED)
        assert status.replacement.api_version == "flowcontrol.apiserver.k8s.io/v1"


def test_the_severity_of_each_state():
    assert dep.SEVERITY == {"deprecated": "warning", "removed": "error"}


def test_an_api_removed_long_before_the_target_is_removed():
    status = dep.api_status("extensions/v1beta1", "Deployment", OLDEST)
    assert status.removed and status.removed_in == (1, 16) and status.deprecated_in == (1, 8)
    assert status.replacement == dep.Replacement("apps/v1", "1.9")


def test_rows_without_a_deprecation_release_count_from_their_removal():
    assert dep.api_status("networking.k8s.io/v1beta1", "ServiceCIDR", (1, 36)) is None
    assert dep.api_status("networking.k8s.io/v1beta1", "ServiceCIDR", (1, 37)).removed


@pytest.mark.parametrize("target, expected", [
    ((1, 25), "flowcontrol.apiserver.k8s.io/v1beta2"),  # v1beta3 is not served yet
    ((1, 26), "flowcontrol.apiserver.k8s.io/v1beta3"),
    ((1, 28), "flowcontrol.apiserver.k8s.io/v1beta3"),
    ((1, 29), "flowcontrol.apiserver.k8s.io/v1"),
    ((1, 37), "flowcontrol.apiserver.k8s.io/v1"),
])
def test_the_replacement_is_one_the_target_serves(target, expected):
    row = dep.api_row("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema")
    assert dep.replacement_at(row, target).api_version == expected


def test_a_replacement_that_is_itself_removed_is_no_replacement():
    row = dep.api_row("extensions/v1beta1", "PodSecurityPolicy")
    assert dep.replacement_at(row, (1, 20)).api_version == "policy/v1beta1"
    assert dep.replacement_at(row, (1, 25)) is None and "Pod Security Admission" in row.instead


def test_is_served():
    assert dep.is_served("apps/v1", "Deployment", NEWEST)
    assert dep.is_served("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 25))
    assert not dep.is_served("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 26))


@pytest.mark.parametrize("api_version, kind", [
    ("apps/v1", "Deployment"), ("example.com/v1beta1", "Ingress"), ("extensions/v1beta1", "Widget"),
    (["extensions/v1beta1"], "Deployment"), (None, None),
])
def test_current_unknown_and_odd_api_versions_have_no_row(api_version, kind):
    assert dep.api_row(api_version, kind) is None
    assert dep.api_status(api_version, kind, NEWEST) is None


def test_annotation_rows_match_keys_and_prefixes_for_their_kinds():
    assert dep.annotation_row(dep.POD_TEMPLATE, "container.seccomp.security.alpha.kubernetes.io/web").name == \
        "seccomp-container-annotation"
    assert dep.annotation_row(dep.POD_TEMPLATE, "seccomp.security.alpha.kubernetes.io/pod").name == \
        "seccomp-pod-annotation"
    assert dep.annotation_row("Ingress", "kubernetes.io/ingress.class").name == "ingress-class-annotation"
    assert dep.annotation_row("Service", "kubernetes.io/ingress.class") is None
    assert dep.annotation_row(dep.CLAIM_TEMPLATE, "volume.beta.kubernetes.io/storage-class") is not None
    assert dep.annotation_row(dep.POD_TEMPLATE, "seccomp.security.alpha.kubernetes.io/defaultProfileName") is None
    assert dep.annotation_row(dep.POD_TEMPLATE, 42) is None


def test_volume_node_label_and_kind_lookups():
    assert dep.volume_row("gitRepo").removed_in == "1.36"
    assert dep.volume_row("emptyDir") is None and dep.volume_row(None) is None
    assert dep.volume_row("awsElasticBlockStore") is None  # redirected to a CSI driver: still works
    assert "topology.kubernetes.io/zone" in dep.node_label_row("failure-domain.beta.kubernetes.io/zone").replacement
    assert dep.node_label_row("kubernetes.io/os") is None
    assert dep.kind_row("v1", "Endpoints").deprecated_in == "1.33"
    assert dep.kind_row("discovery.k8s.io/v1", "EndpointSlice") is None


@pytest.mark.parametrize("target, state", [((1, 18), None), ((1, 19), dep.DEPRECATED), ((1, 26), dep.DEPRECATED),
                                           ((1, 27), dep.REMOVED)])
def test_field_status_follows_the_target_version(target, state):
    status = dep.status(dep.annotation_row(dep.POD_TEMPLATE, "seccomp.security.alpha.kubernetes.io/pod"), target)
    assert (status.state if status else None) == state


def test_is_group_version():
    for good in ("v1", "apps/v1", "flowcontrol.apiserver.k8s.io/v1beta3", "resource.k8s.io/v1alpha3"):
        assert dep.is_group_version(good)
    for bad in ("", "apps", "apps/", "apps/v0", "/v1", "Apps/v1", "apps/v1beta", None):
        assert not dep.is_group_version(bad)


# the rules -----------------------------------------------------------------------------------------

FLOW_SCHEMA = """\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: batch
spec:
  priorityLevelConfiguration: {name: low}
"""


def messages(report, rule_id):
    assert not [r for r in report.results if r.rule == "internal-error"]
    return [r.message for r in report.results if r.rule == rule_id]


def test_deprecated_api_version_is_silent_then_deprecated_then_removed(lint_text):
    assert messages(lint_text(FLOW_SCHEMA, kube_version=(1, 28)), "deprecated-api-version") == []
    [deprecated] = messages(lint_text(FLOW_SCHEMA, kube_version=(1, 29)), "deprecated-api-version")
    assert deprecated.startswith("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes "
                                 "1.29, removed in 1.32; use flowcontrol.apiserver.k8s.io/v1 FlowSchema")
    [removed] = messages(lint_text(FLOW_SCHEMA, kube_version=(1, 32)), "deprecated-api-version")
    assert removed.startswith("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32: "
                              "the API server rejects it; use flowcontrol.apiserver.k8s.io/v1 FlowSchema")


def test_deprecated_api_version_names_the_field_changes_and_the_alternative(lint_text):
    report = lint_text("""\
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: shop}
---
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: restricted}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  selector: {}
""")
    ingress, psp, pdb = messages(report, "deprecated-api-version")
    assert "use networking.k8s.io/v1 Ingress (served since 1.19)" in ingress and "service.name" in ingress
    assert "no API version replaces it; use Pod Security Admission" in psp
    assert "empty selector would select every pod" in pdb
    assert {r.path for r in report.results if r.rule == "deprecated-api-version"} == {"apiVersion"}


def test_deprecated_field_reports_deprecated_then_removed(lint_text):
    pod = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: runtime/default
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
"""
    [deprecated] = messages(lint_text(pod, kube_version=(1, 26)), "deprecated-field")
    assert deprecated.startswith("annotation 'seccomp.security.alpha.kubernetes.io/pod' is deprecated since "
                                 "Kubernetes 1.19, removed in 1.27; use spec.securityContext.seccompProfile")
    report = lint_text(pod, kube_version=(1, 27))
    [removed] = messages(report, "deprecated-field")
    assert removed.startswith("annotation 'seccomp.security.alpha.kubernetes.io/pod' was removed in Kubernetes "
                              "1.27: the API server no longer copies it")
    [result] = [r for r in report.results if r.rule == "deprecated-field"]
    assert (result.line, result.column) == (6, 5)
    assert result.path == 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]'


def test_pod_template_annotations_anchor_in_the_template(lint_text):
    report = lint_text("""\
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            scheduler.alpha.kubernetes.io/critical-pod: ""
        spec:
          restartPolicy: Never
          serviceAccount: runner
          containers: [{name: c, image: registry.example.com/c:1.0.0}]
""")
    found = {r.path: r.message for r in report.results if r.rule == "deprecated-field"}
    assert set(found) == {
        'spec.jobTemplate.spec.template.metadata.annotations["scheduler.alpha.kubernetes.io/critical-pod"]',
        "spec.jobTemplate.spec.template.spec.serviceAccount"}


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: [a, b]}\nspec: {volumes: {gitRepo: x}, "
    "nodeSelector: [beta.kubernetes.io/os], affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
    " {nodeSelectorTerms: [null, {matchExpressions: [null, {key: 3}]}]}}}}\n",
    "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\nspec: {nodeAffinity: {required: 5}, rbd: null}\n",
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec: {volumeClaimTemplates: [1, {metadata: []}],"
    " template: {metadata: {annotations: {container.seccomp.security.alpha.kubernetes.io/: x}},"
    " spec: {containers: 7}}}\n",
    "apiVersion: [1]\nkind: Endpoints\nmetadata: {name: e}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {1: 2}}\nspec: [topologyKeys]\n",
])
def test_odd_shapes_do_not_break_the_rules(lint_text, text):
    report = lint_text(text)
    assert not [r for r in report.results if r.rule == "internal-error"]


def test_annotations_next_to_their_replacement_field_are_not_reported(lint_text):
    report = lint_text("""\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: runtime/default
    container.seccomp.security.alpha.kubernetes.io/a: runtime/default
    container.seccomp.security.alpha.kubernetes.io/b: runtime/default
    container.apparmor.security.beta.kubernetes.io/b: runtime/default
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
    appArmorProfile: {type: RuntimeDefault}
  containers:
    - name: a
      image: registry.example.com/a:1.0.0
      securityContext:
        seccompProfile: {type: RuntimeDefault}
    - name: b
      image: registry.example.com/b:1.0.0
""")
    # b's seccomp annotation: only the container's own field replaces it (the pod-level
    # field applies instead of it); the AppArmor annotation yields to the pod-level field.
    assert [r.path for r in report.results if r.rule == "deprecated-field"] == [
        'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/b"]']


def test_removed_is_an_error_and_deprecated_a_warning(lint_text):
    text = ("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n"
            "spec: {backend: {serviceName: web, servicePort: 80}}\n---\n"
            "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: fs}\n"
            "spec: {priorityLevelConfiguration: {name: global-default}}\n")
    report = lint_text(text, kube_version=(1, 29))
    levels = {r.identity["kind"]: r.severity for r in report.results if r.rule == "deprecated-api-version"}
    assert levels == {"Ingress": "error", "FlowSchema": "warning"}


# kubeadm configuration files ------------------------------------------------------------------------

@pytest.mark.parametrize("api_version, deprecated_in, removed_in", [
    ("kubeadm.k8s.io/v1beta1", "1.17", "1.22"), ("kubeadm.k8s.io/v1beta2", "1.24", "1.27"),
    ("kubeadm.k8s.io/v1beta3", "1.31", "1.36")])
def test_kubeadm_versions_are_deprecated_then_removed(api_version, deprecated_in, removed_in):
    for kind in ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration"):
        row = dep.api_row(api_version, kind)
        assert (row.deprecated_in, row.removed_in) == (deprecated_in, removed_in)
        assert row.source.startswith("https://github.com/kubernetes/kubernetes/pull/")
        assert "kubeadm config migrate" in row.changes
    assert dep.api_row("kubeadm.k8s.io/v1beta4", "ClusterConfiguration") is None


def test_kubeadm_replacement_is_the_version_kubeadm_of_the_target_reads():
    row = dep.api_row("kubeadm.k8s.io/v1beta2", "ClusterConfiguration")
    assert dep.replacement_at(row, (1, 26)).api_version == "kubeadm.k8s.io/v1beta3"
    assert dep.replacement_at(row, (1, 31)).api_version == "kubeadm.k8s.io/v1beta4"
    assert dep.api_status("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", (1, 30)) is None
    assert dep.api_status("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", (1, 31)).state == dep.DEPRECATED
    assert dep.api_status("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", (1, 36)).removed


def test_kubelet_and_kube_proxy_config_versions_are_current():
    for api_version, kind in (("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
                              ("kubelet.config.k8s.io/v1alpha1", "CredentialProviderConfig"),
                              ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration")):
        assert dep.api_row(api_version, kind) is None


def test_deprecated_api_version_on_a_kubeadm_file_offers_no_fix(lint_text):
    report = lint_text("apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration\n")
    [result] = [r for r in report.results if r.rule == "deprecated-api-version"]
    assert result.fix is None and result.severity == "error"
    assert "kubeadm refuses the file" in result.message and "(read since 1.31)" in result.message
