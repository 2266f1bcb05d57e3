"""Component configuration files (kubeadm, kubelet, kube-proxy): kinds, typed views, data tables, rules."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

from k8slint.engine import Settings
from k8slint.kube import components, featuregates, kinds, schemas
from k8slint.model import parse_feature_gates

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The notebook's kubeadm file (kubernetes-practices.md), verbatim.
NOTEBOOK = """\
apiVersion: kubeadm.k8s.io/v1beta2
imageRepository: gcr.azk8s.cn/google-containers
kind: ClusterConfiguration
kubernetesVersion: v1.16.0
networking:
  serviceSubnet: 10.96.0.0/12
  podSubnet: 10.244.0.0/16
apiServer:
  extraArgs:
    bind-address: 0.0.0.0
    feature-gates: "EphemeralContainers=true"
  extraVolumes:
  - name: "timezone"
    hostPath: "/etc/localtime"
    mountPath: "/etc/localtime"
    readOnly: true
    pathType: File
controllerManager:
  extraArgs:
    bind-address: 0.0.0.0
    feature-gates: "EphemeralContainers=true"
  extraVolumes:
  - name: "timezone"
    hostPath: "/etc/localtime"
    mountPath: "/etc/localtime"
    readOnly: true
    pathType: File
scheduler:
  extraArgs:
    address: 0.0.0.0
    feature-gates: "EphemeralContainers=true"
  extraVolumes:
  - name: "timezone"
    hostPath: "/etc/localtime"
    mountPath: "/etc/localtime"
    readOnly: true
    pathType: File
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
clusterCIDR: 10.244.0.0/16
iptables:
  masqueradeAll: false
  minSyncPeriod: 0s
  syncPeriod: 30s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: rr
  syncPeriod: 30s
kind: KubeProxyConfiguration
mode: ipvs
---
apiVersion: kubelet.config.k8s.io/v1beta1
cgroupDriver: systemd
failSwapOn: false
kind: KubeletConfiguration
"""

# The v1beta4 example of the kubeadm configuration reference (scheduler flag: bind-address).
V1BETA4 = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
  - token: "9a08jv.c0izixklcxtmnze7"
    description: "kubeadm bootstrap token"
    ttl: "24h"
  - token: "783bde.3f89s0fje9f38fhf"
    description: "another bootstrap token"
    usages:
      - authentication
      - signing
    groups:
      - system:bootstrappers:kubeadm:default-node-token
nodeRegistration:
  name: "ec2-10-100-0-1"
  criSocket: "unix:///var/run/containerd/containerd.sock"
  taints:
    - key: "kubeadmNode"
      value: "someValue"
      effect: "NoSchedule"
  kubeletExtraArgs:
    - name: v
      value: "5"
  ignorePreflightErrors:
    - IsPrivilegedUser
  imagePullPolicy: "IfNotPresent"
localAPIEndpoint:
  advertiseAddress: "10.100.0.1"
  bindPort: 6443
certificateKey: "e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204"
skipPhases:
  - preflight
timeouts:
  controlPlaneComponentHealthCheck: "60s"
  kubernetesAPICall: "40s"
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
etcd:
  # one of local or external
  local:
    imageRepository: "registry.k8s.io"
    imageTag: "3.2.24"
    dataDir: "/var/lib/etcd"
    extraArgs:
      - name: listen-client-urls
        value: http://10.100.0.1:2379
    extraEnvs:
      - name: SOME_VAR
        value: SOME_VALUE
    serverCertSANs:
      -  ec2-10-100-0-1.compute-1.amazonaws.com
    peerCertSANs:
      - 10.100.0.1
  # external:
    # endpoints:
    # - 10.100.0.1:2379
    # - 10.100.0.2:2379
    # caFile: "/etcd/kubernetes/pki/etcd/etcd-ca.crt"
    # certFile: "/etcd/kubernetes/pki/etcd/etcd.crt"
    # keyFile: "/etcd/kubernetes/pki/etcd/etcd.key"
networking:
  serviceSubnet: "10.96.0.0/16"
  podSubnet: "10.244.0.0/24"
  dnsDomain: "cluster.local"
kubernetesVersion: "v1.21.0"
controlPlaneEndpoint: "10.100.0.1:6443"
apiServer:
  extraArgs:
    - name: authorization-mode
      value: Node,RBAC
  extraEnvs:
    - name: SOME_VAR
      value: SOME_VALUE
  extraVolumes:
    - name: "some-volume"
      hostPath: "/etc/some-path"
      mountPath: "/etc/some-pod-path"
      readOnly: false
      pathType: File
  certSANs:
    - "10.100.1.1"
    - "ec2-10-100-0-1.compute-1.amazonaws.com"
controllerManager:
  extraArgs:
    - name: node-cidr-mask-size
      value: "20"
  extraVolumes:
    - name: "some-volume"
      hostPath: "/etc/some-path"
      mountPath: "/etc/some-pod-path"
      readOnly: false
      pathType: File
scheduler:
  extraArgs:
    - name: bind-address
      value: 10.100.0.1
  extraVolumes:
    - name: "some-volume"
      hostPath: "/etc/some-path"
      mountPath: "/etc/some-pod-path"
      readOnly: false
      pathType: File
certificatesDir: "/etc/kubernetes/pki"
imageRepository: "registry.k8s.io"
clusterName: "example-cluster"
encryptionAlgorithm: ECDSA-P256
dns:
  disabled: true  # disable CoreDNS
proxy:
  disabled: true   # disable kube-proxy
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# kubelet specific options here
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# kube-proxy specific options here
"""


def rules_of(report, *rule_ids):
    assert not [r for r in report.results if r.rule == "internal-error"], report.results
    return [(r.rule, r.line, r.column) for r in report.results if not rule_ids or r.rule in rule_ids]


# kinds -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("group, kind", [("kubeadm.k8s.io", k) for k in (
    "InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "ResetConfiguration", "UpgradeConfiguration")]
    + [("kubelet.config.k8s.io", "KubeletConfiguration"), ("kubelet.config.k8s.io", "CredentialProviderConfig"),
       ("kubeproxy.config.k8s.io", "KubeProxyConfiguration")])
def test_config_kinds_are_known(group, kind):
    assert kinds.is_config_kind(kind, group) and not kinds.is_builtin(kind, group)


def test_other_groups_are_not_config_kinds():
    assert not kinds.is_config_kind("ClusterConfiguration", "example.com")
    assert not kinds.is_config_kind("Deployment", "kubeadm.k8s.io")


# parsing -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("EphemeralContainers=true", [("EphemeralContainers", True, 0)]),
    ("A=true,B=false", [("A", True, 0), ("B", False, 7)]),
    ("A=True, B=FALSE", [("A", True, 0), ("B", False, 8)]),
    ("A=1,B", [("A", None, 0), ("B", None, 4)]),
    ("", []), (" , ,", []),
])
def test_parse_feature_gates(text, expected):
    assert parse_feature_gates(text) == expected


def test_extra_args_in_both_forms(lint_text):
    text = """\
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
scheduler:
  extraArgs:
    address: 0.0.0.0
    feature-gates: "A=true,B=false"
etcd:
  local:
    extraArgs:
      listen-client-urls: https://10.0.0.1:2379
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: node-ip
      value: 10.0.0.1
    - name: feature-gates
      value: C=true
    - {value: no-name}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates: {D: false, E: "x"}
"""
    objects = lint_text(text).objects
    cluster, init, kubelet = (o.component_config for o in objects)
    assert [(a.component, a.name, a.value, tuple(a.path)) for a in cluster.extra_args()] == [
        ("kube-scheduler", "address", "0.0.0.0", ("scheduler", "extraArgs", "address")),
        ("kube-scheduler", "feature-gates", "A=true,B=false", ("scheduler", "extraArgs", "feature-gates")),
        ("etcd", "listen-client-urls", "https://10.0.0.1:2379", ("etcd", "local", "extraArgs", "listen-client-urls"))]
    assert [(a.component, a.name, tuple(a.path), tuple(a.value_path)) for a in init.extra_args()] == [
        ("kubelet", "node-ip", ("nodeRegistration", "kubeletExtraArgs", 0, "name"),
         ("nodeRegistration", "kubeletExtraArgs", 0, "value")),
        ("kubelet", "feature-gates", ("nodeRegistration", "kubeletExtraArgs", 1, "name"),
         ("nodeRegistration", "kubeletExtraArgs", 1, "value"))]
    assert [(g.component, g.name, g.value, g.at) for g in cluster.feature_gates()] == [
        ("kube-scheduler", "A", True, (0, 0)), ("kube-scheduler", "B", False, (0, 7))]
    assert [(g.name, g.value, tuple(g.path)) for g in init.feature_gates()] == [
        ("C", True, ("nodeRegistration", "kubeletExtraArgs", 1, "value"))]
    assert [(g.component, g.name, g.value, g.at) for g in kubelet.feature_gates()] == [
        ("kubelet", "D", False, None), ("kubelet", "E", None, None)]
    assert kubelet.extra_args() == [] and cluster.kubernetes_version is None
    assert all(o.namespace is None and o.config_kind for o in objects)


# data tables -------------------------------------------------------------------------------------

def test_removed_flags_follow_the_target_version():
    assert components.removed_flag("kube-scheduler", "address", (1, 23)) is None
    row = components.removed_flag("kube-scheduler", "address", (1, 24))
    assert row.removed_in == "1.24" and row.source.startswith("https://")
    assert components.removed_flag("kubelet", "--container-runtime", (1, 26)) is None
    assert components.removed_flag("kubelet", "--container-runtime", (1, 27)).flag == "container-runtime"
    assert components.removed_flag("kube-apiserver", "address", (1, 37)) is not None
    assert components.removed_flag("kubelet", "address", (1, 37)) is None  # the kubelet's --address is current
    assert components.removed_flag("kube-scheduler", None, (1, 37)) is None


@pytest.mark.parametrize("row", components.REMOVED_FLAGS, ids=lambda r: f"{r.component}/{r.flag}")
def test_removed_flag_rows_are_well_formed(row):
    assert row.component in components.COMPONENTS and not row.flag.startswith("-")
    assert row.source.startswith("https://github.com/kubernetes/") and row.instead
    assert row.removed_version >= (1, 19)


def test_feature_gate_status_by_version():
    assert featuregates.status("EphemeralContainers", (1, 25)).state == featuregates.GA
    removed = featuregates.status("EphemeralContainers", (1, 27))
    assert removed.removed and removed.gate.removed_in == "1.27" and not removed.locked
    assert featuregates.status("SidecarContainers", (1, 30)).state == featuregates.BETA
    ga = featuregates.status("SidecarContainers", (1, 33))
    assert ga.state == featuregates.GA and ga.locked and ga.default is True
    assert featuregates.status("NoSuchGate", (1, 30)) is None
    # "GA since 1.0" is upstream's back-filled history, not a release that knew the gate
    assert featuregates.status("AllowDNSOnlyNodeCSR", (1, 30)) is None
    assert featuregates.status("AllowDNSOnlyNodeCSR", (1, 31)).state == featuregates.DEPRECATED


def test_feature_gate_table_is_well_formed():
    table = featuregates.gates()
    assert len(table) > 150 and "EphemeralContainers" in table
    for gate in table.values():
        assert gate.source in featuregates.SOURCES.values()
        versions = [s.since_version for s in gate.stages]
        assert versions == sorted(versions), gate.name
        if gate.last is not None:
            assert featuregates.parse(gate.last) >= versions[-1] or gate.stages[-1].since == gate.last


# schemas -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("api_version, name", sorted(schemas.CONFIG_SCHEMA_FILES.items()))
def test_config_schemas_record_their_source(api_version, name):
    bundle = json.loads((ROOT / "schemas" / name).read_text())
    assert bundle["x-k8slint-api-version"] == api_version
    assert bundle["x-k8slint-source"].startswith("https://github.com/") and len(bundle["x-k8slint-commit"]) == 40
    group = api_version.split("/")[0]
    assert set(bundle["kinds"]) <= kinds.CONFIG_KINDS[group]


def test_the_schema_generator_reads_go_structs():
    spec = importlib.util.spec_from_file_location("config_schemas", ROOT / "scripts" / "config_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    go = """
package v1
type Mode string
type Thing struct {
	metav1.TypeMeta `json:",inline"`
	// Name is a name.
	Name string `json:"name,omitempty"`
	Count *int32 `json:"count"`
	Mode Mode `json:"mode,omitempty"`
	Items []Item `json:"items,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	Period metav1.Duration `json:"period,omitempty"`
	Hidden string `json:"-"`
	Untagged []string
}
type Item struct {
	Base `json:",inline"`
	Taint corev1.Taint `json:"taint"`
}
type Base struct {
	Value string `json:"value"`
}
"""
    schema = module.build(["Thing"], [go])
    thing = schema["$defs"]["Thing"]
    assert set(thing["properties"]) == {"apiVersion", "kind", "name", "count", "mode", "items", "labels", "period",
                                        "Untagged"}
    assert thing["additionalProperties"] is False and thing["properties"]["count"]["type"] == ["integer", "null"]
    assert thing["properties"]["items"]["items"] == {"$ref": "#/$defs/Item"}
    assert set(schema["$defs"]["Item"]["properties"]) == {"value", "taint"}
    assert schema["$defs"]["Item"]["properties"]["taint"] == {}


# the rules ---------------------------------------------------------------------------------------

def test_the_notebook_file(lint_text):
    report = lint_text(NOTEBOOK, settings=Settings(enabled={"schema-unknown-kind"}))
    found = rules_of(report)
    assert ("deprecated-api-version", 1, 1) in found
    assert ("component-flag-removed", 30, 5) in found
    assert [f for f in found if f[0] == "feature-gate-removed"] == [
        ("feature-gate-removed", 11, 21), ("feature-gate-removed", 21, 21), ("feature-gate-removed", 31, 21)]
    assert not [f for f in found if f[0] in ("schema-unknown-kind", "schema-violation", "duplicate-object")]
    [flag] = [r.message for r in report.results if r.rule == "component-flag-removed"]
    assert "kubernetesVersion v1.16.0" in flag and "--address" in flag
    [api] = [r.message for r in report.results if r.rule == "deprecated-api-version"]
    assert "kubeadm config migrate" in api and "kubeadm refuses the file" in api
    for r in report.results:
        assert r.identity["namespace"] is None


def test_a_current_v1beta4_configuration_gives_nothing(lint_text):
    report = lint_text(V1BETA4, settings=Settings(enabled={"schema-unknown-kind"}))
    assert rules_of(report) == []


def test_unknown_fields_warn_and_wrong_types_fail(lint_text):
    report = lint_text("""\
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
KubernetesVersion: v1.33.0
networking:
  podSubnet: 10.244.0.0/16
  podCIDR: 10.244.0.0/16
apiServer:
  extraArgs:
    authorization-mode: Node,RBAC
""")
    found = {(r.line, r.severity): r.message for r in report.results if r.rule == "schema-violation"}
    assert set(found) == {(3, "warning"), (6, "warning"), (8, "error")}
    assert "did you mean `kubernetesVersion`" in found[(3, "warning")]
    assert "kubeadm cannot read the file" in found[(8, "error")]


def test_nameless_config_objects_are_no_duplicates(lint_text):
    text = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
    assert rules_of(lint_text(text + "---\n" + text), "duplicate-object") == []


def test_the_feature_gate_generator_reads_its_sources():
    spec = importlib.util.spec_from_file_location("featuregates_script", ROOT / "scripts" / "featuregates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = """\
| Feature | Default | Stage | From | To |
|---------|---------|-------|-------|-------|
| `EphemeralContainers` | `false` | Alpha | 1.16 | 1.22 |
| `EphemeralContainers` | `true` | Beta | 1.23 | 1.24 |
| `EphemeralContainers` | `true` | GA | 1.25 | 1.26 |
| `Accelerators` | - | Deprecated | 1.11 | 1.11 |
| `SetHostnameAsFQDN` | `true` | GA | 1.22 | 1,24 |
"""
    versioned = """\
- name: SidecarContainers
  versionedSpecs:
  - {default: false, lockToDefault: false, preRelease: Alpha, version: "1.28"}
  - {default: true, lockToDefault: true, preRelease: GA, version: "1.33"}
- name: MemoryQoS
  versionedSpecs:
  - {default: false, lockToDefault: false, preRelease: Alpha, version: "1.22"}
"""
    earlier = """\
- name: CPUManager
  versionedSpecs:
  - {default: true, lockToDefault: true, preRelease: GA, version: "1.26"}
"""
    data = module.generate(page, versioned, earlier)
    assert data.splitlines() == [
        "Accelerators deprecated:-:1.11 last=1.11 R",
        "CPUManager ga:true:1.26:locked E",
        "EphemeralContainers ga:true:1.25 last=1.26 R",
        "SetHostnameAsFQDN ga:true:1.22 last=1.24 R",
        "SidecarContainers alpha:false:1.28 ga:true:1.33:locked V",
    ]
    for line in data.splitlines():  # the module reads what the script writes
        assert featuregates.parse_line(line).name == line.split()[0]
    # the shipped table has the same format
    shipped = featuregates.DATA.splitlines()
    assert "EphemeralContainers ga:true:1.25 last=1.26 R" in shipped
