"""The Pod Security Standards rules, end to end, and the security-context resolution they share.

Each level gets a pod that breaks every one of its controls, linted with all
the PSS rules on; the findings must be exactly the `# expect:` comments of
the manifest (line and rule id). A hardened pod passes both levels.
"""

from __future__ import annotations

import collections
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint.engine import Settings, load_builtin_rules
from k8slint.kube import security
from k8slint.load import LoadResult, read_source
from k8slint.model import K8sObject
from k8slint.paths import YPath
from k8slint.pipeline import lint_loaded

REGISTRY = load_builtin_rules()
#: the Baseline controls of rules/pss (sysctl-unsafe, the Sysctls control, is tagged too: see PSS below)
BASELINE = {r.id for r in REGISTRY if "pss-baseline" in r.tags} - {"sysctl-unsafe"}
RESTRICTED = {r.id for r in REGISTRY if "pss-restricted" in r.tags}
#: the Baseline's Sysctls control is the existing sysctl-unsafe rule
PSS = BASELINE | RESTRICTED | {"sysctl-unsafe"}
ALL_ON = Settings(enabled=set(RESTRICTED))
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")


def expected(text: str) -> collections.Counter:
    out = collections.Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        for m in EXPECT.finditer(line):
            for rule_id in m.group(1).split(","):
                out[(number, rule_id.strip())] += 1
    return out


def pss_findings(report) -> collections.Counter:
    return collections.Counter((r.line, r.rule) for r in report.results if r.rule in PSS | {"internal-error"})


def test_the_controls_are_registered_with_their_level():
    assert BASELINE == {"host-namespaces", "privileged-container", "capabilities-added", "host-path-volume",
                        "host-port", "apparmor-unconfined", "selinux-options", "proc-mount-unmasked",
                        "seccomp-unconfined", "windows-host-process", "host-probes-lifecycle"}
    assert RESTRICTED == {"restricted-volume-types", "privilege-escalation-allowed", "run-as-root",
                          "seccomp-not-set", "capabilities-not-dropped", "proc-mount-restricted"}
    assert "pss-baseline" in REGISTRY["sysctl-unsafe"].tags
    for rule_id in BASELINE | RESTRICTED:
        r = REGISTRY[rule_id]
        assert r.category == "security" and r.severity == "warning"
        assert r.enabled is (rule_id in BASELINE), rule_id
        assert r.applies_to == {"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                "ReplicationController", "Job", "CronJob"}
        assert "finding becomes an error" in r.sections["What it does"], rule_id


# Baseline ------------------------------------------------------------------------

FAILS_BASELINE = """\
apiVersion: v1
kind: Pod
metadata:
  name: everything-baseline-forbids
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined  # expect: apparmor-unconfined
spec:
  hostNetwork: true  # expect: host-namespaces
  hostPID: true  # expect: host-namespaces
  securityContext:
    seccompProfile:
      type: Unconfined  # expect: seccomp-unconfined
    appArmorProfile:
      type: Unconfined  # expect: apparmor-unconfined
    seLinuxOptions:
      type: spc_t  # expect: selinux-options
    windowsOptions:
      hostProcess: true  # expect: windows-host-process
    sysctls:
      - name: kernel.msgmax  # expect: sysctl-unsafe
        value: "65536"
  initContainers:
    - name: init
      image: registry.example.com/init:1.0
      securityContext:
        privileged: true  # expect: privileged-container
        procMount: Unmasked  # expect: proc-mount-unmasked
  containers:
    - name: app
      image: registry.example.com/app:1.0
      ports:
        - containerPort: 8080
          hostPort: 8080  # expect: host-port
      livenessProbe:
        httpGet:
          host: 169.254.169.254  # expect: host-probes-lifecycle
          port: 80
      securityContext:
        capabilities:
          add: [SYS_ADMIN]  # expect: capabilities-added
        seLinuxOptions:
          user: system_u  # expect: selinux-options
  volumes:
    - name: root
      hostPath:  # expect: host-path-volume
        path: /
"""


def test_a_pod_that_breaks_every_baseline_control(lint_text):
    report = lint_text(FAILS_BASELINE, settings=ALL_ON)
    found = pss_findings(report)
    baseline = collections.Counter({k: n for k, n in found.items() if k[1] not in RESTRICTED})
    assert baseline == expected(FAILS_BASELINE)
    assert {rule for _, rule in expected(FAILS_BASELINE)} == BASELINE | {"sysctl-unsafe"}
    # the Restricted rules report what is missing (runAsNonRoot, drop ALL, allowPrivilegeEscalation), never
    # what a Baseline rule reports: the Unconfined seccomp profile, the hostPath volume, SYS_ADMIN
    assert {rule for _, rule in found} - BASELINE == {"sysctl-unsafe", "run-as-root", "capabilities-not-dropped",
                                                      "privilege-escalation-allowed"}
    restricted = {r.path for r in report.results if r.rule in RESTRICTED}
    assert not restricted & {r.path for r in report.results if r.rule in BASELINE}
    for r in report.results:
        if r.rule in BASELINE:
            assert "(Pod Security Standards, Baseline: " in r.message


def test_baseline_runs_by_default_and_restricted_does_not(lint_text):
    report = lint_text(FAILS_BASELINE)
    assert {r.rule for r in report.results if r.rule in PSS} == BASELINE | {"sysctl-unsafe"}
    report = lint_text(PASSES_BASELINE_FAILS_RESTRICTED)
    assert not [r for r in report.results if r.rule in PSS]


# Restricted -----------------------------------------------------------------------

PASSES_BASELINE_FAILS_RESTRICTED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: baseline-only
spec:
  selector:
    matchLabels: {app: baseline-only}
  template:
    metadata:
      labels: {app: baseline-only}
    spec:
      securityContext:
        fsGroup: 2000  # expect: run-as-root, seccomp-not-set
        runAsUser: 0  # expect: run-as-root
      hostUsers: true
      initContainers:
        - name: init
          image: registry.example.com/init:1.0
          securityContext:
            allowPrivilegeEscalation: true  # expect: privilege-escalation-allowed
            capabilities:
              drop: [ALL]
      containers:
        - name: app
          image: registry.example.com/app:1.0
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [NET_RAW]  # expect: capabilities-not-dropped
              add: [CHOWN]  # expect: capabilities-not-dropped
      volumes:
        - name: shared
          nfs:  # expect: restricted-volume-types
            server: nfs.example.com
            path: /exports
"""

PROC_MOUNT_IN_USER_NAMESPACE = """\
apiVersion: v1
kind: Pod
metadata:
  name: nested-builds
spec:
  hostUsers: false
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: builder
      image: registry.example.com/builder:1.0
      securityContext:
        procMount: Unmasked  # expect: proc-mount-restricted
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
"""


def test_a_pod_that_passes_baseline_and_breaks_every_restricted_control(lint_text):
    report = lint_text(PASSES_BASELINE_FAILS_RESTRICTED, settings=ALL_ON)
    found = pss_findings(report)
    assert found == expected(PASSES_BASELINE_FAILS_RESTRICTED)
    assert not {rule for _, rule in found} & BASELINE
    assert {rule for _, rule in found} == RESTRICTED - {"proc-mount-restricted"}
    for r in report.results:
        if r.rule in RESTRICTED:
            assert "(Pod Security Standards, Restricted: " in r.message
    # the last Restricted control: a user-namespace pod that Baseline accepts from 1.35
    report = lint_text(PROC_MOUNT_IN_USER_NAMESPACE, settings=ALL_ON)
    assert pss_findings(report) == expected(PROC_MOUNT_IN_USER_NAMESPACE)
    report = lint_text(PROC_MOUNT_IN_USER_NAMESPACE, settings=ALL_ON, kube_version=(1, 34))
    assert {rule for _, rule in pss_findings(report)} == {"proc-mount-unmasked", "run-as-root"}


HARDENED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hardened
spec:
  selector:
    matchLabels: {app: hardened}
  template:
    metadata:
      labels: {app: hardened}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
        appArmorProfile:
          type: RuntimeDefault
        seLinuxOptions:
          level: "s0:c123,c456"
        sysctls:
          - {name: net.ipv4.ip_unprivileged_port_start, value: "0"}
      initContainers:
        - name: proxy
          image: registry.example.com/proxy:1.2
          restartPolicy: Always
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
      containers:
        - name: web
          image: registry.example.com/web:1.8.0
          ports:
            - {name: http, containerPort: 8080}
          readinessProbe:
            httpGet: {path: /ready, port: http}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            procMount: Default
            capabilities:
              drop: ["ALL"]
              add: ["NET_BIND_SERVICE"]
            seccompProfile:
              type: Localhost
              localhostProfile: profiles/web.json
      volumes:
        - {name: config, configMap: {name: web-config}}
        - {name: tmp, emptyDir: {}}
        - {name: data, persistentVolumeClaim: {claimName: web-data}}
"""


@pytest.mark.parametrize("kube_version", [(1, 25), (1, 30), (1, 34), (1, 37)])
def test_a_hardened_pod_passes_both_levels(lint_text, kube_version):
    report = lint_text(HARDENED, settings=ALL_ON, kube_version=kube_version)
    assert not pss_findings(report), [r.message for r in report.results if r.rule in PSS]


WINDOWS = """\
apiVersion: v1
kind: Pod
metadata:
  name: iis
spec:
  os:
    name: windows
  securityContext:
    runAsNonRoot: true
    windowsOptions:
      runAsUserName: ContainerUser
  containers:
    - name: iis
      image: registry.example.com/iis:2022
"""


def test_windows_pods_are_exempt_from_the_linux_only_restricted_controls(lint_text):
    report = lint_text(WINDOWS, settings=ALL_ON)
    assert not pss_findings(report)
    # the same pod without the OS field is a Linux pod
    report = lint_text(WINDOWS.replace("  os:\n    name: windows\n", ""), settings=ALL_ON)
    assert {rule for _, rule in pss_findings(report)} == {"seccomp-not-set", "privilege-escalation-allowed",
                                                          "capabilities-not-dropped"}


def test_missing_fields_say_where_to_set_them(lint_text):
    report = lint_text(PASSES_BASELINE_FAILS_RESTRICTED.replace("runAsUser: 0  # expect: run-as-root",
                                                                "runAsGroup: 0"), settings=ALL_ON)
    messages = {r.rule: r.message for r in report.results if r.rule in ("run-as-root", "seccomp-not-set")}
    assert "set it once in the pod's securityContext, or in every container's" in messages["run-as-root"]
    assert "RuntimeDefault once in the pod's securityContext" in messages["seccomp-not-set"]
    paths = {r.rule: r.path for r in report.results if r.rule in ("run-as-root", "seccomp-not-set")}
    assert paths == {"run-as-root": "spec.template.spec.securityContext.runAsNonRoot",
                     "seccomp-not-set": "spec.template.spec.securityContext.seccompProfile"}


# effective security settings ---------------------------------------------------------

POD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
    "spec": {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"},
                            "seLinuxOptions": {"level": "s0:c1"},
                            "windowsOptions": {"runAsUserName": "pod-user", "hostProcess": False},
                            "fsGroup": 2000},
        "initContainers": [{"name": "init", "securityContext": {"runAsNonRoot": False}}],
        "containers": [
            {"name": "a"},
            {"name": "b", "securityContext": {"runAsUser": 0, "seccompProfile": {"type": "Localhost",
                                                                                 "localhostProfile": "x.json"},
                                              "seLinuxOptions": {"type": "container_t"},
                                              "windowsOptions": {"hostProcess": True}, "privileged": None}},
            {"name": "c", "securityContext": "not a mapping"},
        ],
    },
}


def _pod():
    obj = K8sObject(POD, document=None)
    return obj.pod, {c.name: c for c in obj.pod.all_containers}


def test_a_container_value_overrides_the_pod_value():
    pod, c = _pod()
    r = security.resolve(pod, c["init"], "runAsNonRoot")
    assert (r.value, r.source, r.path) == (False, "container",
                                          YPath(("spec", "initContainers", 0, "securityContext", "runAsNonRoot")))
    r = security.resolve(pod, c["a"], "runAsNonRoot")
    assert (r.value, r.source, r.path) == (True, "pod", YPath(("spec", "securityContext", "runAsNonRoot")))
    assert security.run_as_user(pod, c["b"]) == 0 and security.run_as_user(pod, c["a"]) == 1000
    assert security.runs_as_non_root(pod, c["init"]) is False
    assert security.profile_type(security.resolve(pod, c["b"], "seccompProfile").value) == "Localhost"
    # seLinuxOptions is replaced as a whole: the pod's level does not carry over
    assert security.resolve(pod, c["b"], "seLinuxOptions").value == {"type": "container_t"}
    # a securityContext of the wrong type reads as empty
    assert security.resolve(pod, c["c"], "runAsUser").source == "pod"


def test_container_only_and_pod_only_fields_do_not_inherit():
    pod, c = _pod()
    assert security.resolve(pod, c["a"], "fsGroup").source == "unset"
    r = security.resolve(pod, c["a"], "allowPrivilegeEscalation")
    assert (r.source, r.path) == ("unset", YPath(("spec", "containers", 0, "securityContext",
                                                  "allowPrivilegeEscalation")))
    # a null field is unset
    assert security.resolve(pod, c["b"], "privileged").source == "unset"


def test_windows_options_merge_field_by_field():
    pod, c = _pod()
    host = security.resolve_windows_option(pod, c["b"], "hostProcess")
    user = security.resolve_windows_option(pod, c["b"], "runAsUserName")
    assert (host.value, host.source) == (True, "container")
    assert (user.value, user.source) == ("pod-user", "pod")
    assert security.effective_context(pod, c["b"]) == {
        "runAsNonRoot": True, "runAsUser": 0, "seccompProfile": {"type": "Localhost", "localhostProfile": "x.json"},
        "seLinuxOptions": {"type": "container_t"},
        "windowsOptions": {"runAsUserName": "pod-user", "hostProcess": True}}


def test_exemption_helpers():
    pod, c = _pod()
    assert not security.is_windows(pod) and not security.in_user_namespace(pod)
    assert c["init"].describe() == "init container 'init'"
    windows = K8sObject({"apiVersion": "v1", "kind": "Pod", "spec": {"os": {"name": "windows"}, "hostUsers": False}},
                        document=None).pod
    assert security.is_windows(windows) and security.in_user_namespace(windows)
    assert security.user_namespace_relaxed(windows, (1, 35)) and not security.user_namespace_relaxed(windows, (1, 34))


# odd shapes ----------------------------------------------------------------------------

FIELDS = ["securityContext", "capabilities", "add", "drop", "seccompProfile", "appArmorProfile", "type",
          "seLinuxOptions", "user", "role", "windowsOptions", "hostProcess", "runAsNonRoot", "runAsUser",
          "allowPrivilegeEscalation", "privileged", "procMount", "ports", "hostPort", "volumes", "hostPath", "nfs",
          "image", "livenessProbe", "lifecycle", "preStop", "httpGet", "host", "os", "name", "hostUsers",
          "hostNetwork", "metadata", "annotations", "containers", "initContainers", "ephemeralContainers"]
LEAF = st.none() | st.booleans() | st.integers(-2, 70000) | st.sampled_from(
    ["", "ALL", "all", "Unconfined", "RuntimeDefault", "Unmasked", "windows", "spc_t", "x", "0", "unconfined"])
SHAPES = st.recursive(LEAF, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(st.sampled_from(FIELDS), children, max_size=4), max_leaves=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHAPES, st.sampled_from(["Pod", "Deployment", "CronJob", "Job", "DaemonSet"]))
def test_the_rules_never_fail_on_odd_shapes(value, kind):
    api = {"Pod": "v1", "CronJob": "batch/v1", "Job": "batch/v1"}.get(kind, "apps/v1")
    spec = {"containers": [value], "initContainers": value, "securityContext": value, "volumes": [value],
            "os": value, "hostUsers": value}
    if kind == "Pod":
        doc = {"apiVersion": api, "kind": kind, "metadata": {"annotations": value}, "spec": spec}
    elif kind == "CronJob":
        doc = {"apiVersion": api, "kind": kind, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
    else:
        doc = {"apiVersion": api, "kind": kind, "spec": {"template": {"metadata": value, "spec": spec}}}
    result = LoadResult()
    read_source("odd.yaml", None, json.dumps(doc).encode(), result)
    report = lint_loaded(result, REGISTRY, ALL_ON, (1, 37))
    assert not [r for r in report.results if r.rule == "internal-error"], [r.message for r in report.results]
