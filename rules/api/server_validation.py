"""## What it does
Flags what the API server's validation code rejects although the OpenAPI
schema allows it (the schema is `schema-violation`'s business): the checks
of `pkg/apis/core/validation`, `apps/validation`, `batch/validation`,
`networking/validation`, `rbac/validation`, `policy/validation`,
`autoscaling/validation` and apimachinery's `ObjectMeta` validation, for
the built-in kinds (and the metadata of custom resources whose CRD is
linted). Each finding quotes what the API server answers and points at the
offending field:

- **metadata** (every object): the name format of its kind (a DNS-1123
  subdomain for most kinds, a DNS-1123 label for Namespaces and
  StatefulSets, a DNS-1035 label for Services, no `/` or `%` for RBAC
  objects, PodDisruptionBudgets and the rest; `generateName` as a prefix;
  a Service name starting with a digit only up to Kubernetes 1.34, as the
  RelaxedServiceNameValidation feature of 1.34 may be on by default later),
  CronJob names of at most 52 characters, `metadata.namespace` a DNS-1123
  label, label keys (qualified names: at most one `/`, a DNS-subdomain
  prefix, a name part of at most 63 characters) and values (at most 63
  characters, alphanumeric at both ends), annotation keys, the 256 KiB
  annotation budget, finalizer names;
- **pod templates** (Pods, PodTemplates, Deployments, ReplicaSets,
  ReplicationControllers, DaemonSets, StatefulSets, Jobs, CronJobs):
  container names (DNS-1123 labels, unique across containers and init
  containers), volume names (DNS-1123 labels, unique), a volume with more
  than one source, `volumeMounts` of a volume the pod does not declare (for
  a StatefulSet, `volumeClaimTemplates` count), mount paths repeated in a
  container, `subPath` and `subPathExpr` together or absolute or with `..`;
  container ports (names: IANA service names of at most 15 characters with
  a letter, unique per container; numbers 1-65535; protocol TCP, UDP or
  SCTP; a `hostPort` repeated across containers, or different from
  `containerPort` with `hostNetwork`); environment variable names (C-like
  identifiers before Kubernetes 1.32, any printable ASCII but `=` since),
  `value` together with `valueFrom`, `valueFrom` with none or several
  sources, configMap and secret key names, `envFrom` prefixes; resources
  (quantities the API server can read, not negative, standard resource
  names, a request above its limit, or unequal to it for extended
  resources and huge pages, an extended-resource request without a limit);
  probes and lifecycle hooks (exactly one handler, ports 1-65535, no
  negative timing, `successThreshold` 1 for liveness and startup probes,
  `terminationGracePeriodSeconds` positive and not on readiness probes,
  `scheme` HTTP or HTTPS, HTTP header names), probes or lifecycle hooks on
  an init container that is not a sidecar (`restartPolicy: Always`);
  `imagePullPolicy`, `terminationMessagePolicy`, `restartPolicy` and
  `dnsPolicy` values, `dnsPolicy: None` without nameservers, `nodeSelector`
  labels, tolerations (key, operator, value, effect, `tolerationSeconds`
  only with `NoExecute`), `serviceAccountName`, `nodeName`,
  `priorityClassName`, `hostname` and `subdomain` formats, `image`
  required, ephemeral containers in a template;
- **workloads**: `restartPolicy` other than `Always` and
  `activeDeadlineSeconds` for Deployments, ReplicaSets, ReplicationControllers,
  DaemonSets and StatefulSets; a selector that does not match the template's
  labels, an empty selector, selector keys, values and operators;
  negative `replicas`, `minReadySeconds`, `revisionHistoryLimit`;
  `progressDeadlineSeconds` not above `minReadySeconds`; rolling-update
  `maxSurge`/`maxUnavailable` (percent format, at most 100%, not both 0, a
  DaemonSet with both non-zero), `rollingUpdate` under a `Recreate` or
  `OnDelete` strategy, StatefulSet `podManagementPolicy`, update strategy
  type and `partition`;
- **Jobs and CronJobs**: negative `parallelism`, `completions`,
  `activeDeadlineSeconds`, `backoffLimit`, `ttlSecondsAfterFinished`,
  history limits; `completionMode` values, `Indexed` without
  `completions`; a Job selector the generated labels do not match (without
  `manualSelector`) or that does not match the template (with it); a
  CronJob `jobTemplate` with a selector or `manualSelector: true`;
  `concurrencyPolicy` values; CronJob names over 52 characters (the
  schedule, `timeZone` and `startingDeadlineSeconds` are
  `cronjob-invalid-schedule`'s and `cronjob-missing-starting-deadline`'s);
- **Services**: port names (required when there are several, DNS-1123
  labels, unique), port numbers, protocols, `targetPort` numbers and names,
  a port and protocol repeated, a `nodePort` repeated or on a `ClusterIP`
  Service, `type`, `sessionAffinity` and `internalTrafficPolicy` values,
  `ExternalName` without a valid `externalName`, `clusterIP: None` on a
  NodePort or LoadBalancer Service, selector labels;
- **Ingresses** (`networking.k8s.io/v1`): neither rules nor a default
  backend, hosts (DNS names, not IP addresses, wildcards only as `*.`),
  `pathType` values, paths absolute (and for `Exact` and
  `Prefix` free of `//`, `/./`, `/../`, `%2f`), backends with exactly one
  of `service` and `resource`, service names (DNS-1035 labels), a port name
  or number (not both, not neither), TLS hosts and secret names,
  `ingressClassName`, an `ingress.class` annotation that contradicts it;
- **ConfigMaps and Secrets**: data keys (alphanumerics, `-`, `_`, `.`,
  not `..`-prefixed), a key in both `data` and `binaryData`, the 1 MiB
  size limit, the keys a Secret `type` requires (`tls.crt` and `tls.key`,
  `.dockerconfigjson`, `.dockercfg`, `ssh-privatekey`, a username or
  password, the ServiceAccount annotation of a token Secret);
- **RBAC**: rules without verbs, without API groups or resources,
  non-resource URLs in a Role or mixed with resources; bindings whose
  `roleRef` names another API group or kind (a ClusterRoleBinding can only
  bind a ClusterRole), subjects of unknown kinds, ServiceAccount subjects
  with an API group, without a namespace in a ClusterRoleBinding or with an
  invalid name, User and Group subjects in another API group;
- **PodDisruptionBudgets**: `minAvailable` and `maxUnavailable` together,
  negative numbers or malformed or over-100% percentages, selector syntax;
- **HorizontalPodAutoscalers**: `minReplicas` below 1, `maxReplicas` below 1
  or below `minReplicas`;
- **NetworkPolicies**: selector syntax, ports (protocol, number or name,
  `endPort` at least `port` and only with a numeric `port`), peers with
  nothing or with `ipBlock` and a selector, CIDRs and `except` ranges
  outside their CIDR, `policyTypes` values.

For a StatefulSet the API server does not validate the pod template beyond
its labels, `restartPolicy` and `activeDeadlineSeconds`: it accepts the
StatefulSet, and then rejects every Pod its controller creates. The pod
template checks report that.

It stays silent where it cannot judge: values that are placeholders
(`${VAR}`, `$VAR`, `{{ ... }}`, `<NAME>`: the file is a template for
envsubst, Helm or a reader), strategic-merge patches (`$patch`), kinds the
API server is not known to serve (a Kustomization, a tool's configuration,
a custom resource without its CRD), mappings with unknown fields (a
selector written without `matchLabels`, an Ingress backend with the beta
`serviceName`: `schema-violation` reports those), and missing required
fields (also `schema-violation`'s). Objects of removed API versions
(`apps/v1beta1`, `extensions/v1beta1`, ...) get the metadata and pod template
checks only; the rest is `deprecated-api-version`'s business.

Not checked yet (to come, or left out because they depend on feature gates
or cluster configuration): volume sources in detail (hostPath types,
projected sources, CSI, ephemeral claims), security contexts, sysctls
(`sysctl-node-level`, `sysctl-unsafe`), affinity and topology spread
constraints, pod `overhead` and pod-level resources, huge page sizes, sleep
actions, resize policies, resource claims, Job `podFailurePolicy`,
`successPolicy`, `backoffLimitPerIndex`, indexed Job host names, Service
cluster IPs, IP families, `externalTrafficPolicy`,
`loadBalancerSourceRanges` and NodePort ranges, HPA metrics and behavior,
Secret `.dockerconfigjson` contents, matchExpressions values (rejected
since 1.27 only for some kinds), a container `image` left out entirely (a
patch may add it), the `kubernetes.io/` finalizer names of core kinds,
owner references, Endpoints and
EndpointSlices, PersistentVolumes and claims, StorageClasses, webhooks,
CRDs, LimitRanges and ResourceQuotas. Checks other rules already make are
not repeated: a Job's `restartPolicy` (`job-restart-policy`), string probe
ports (`probe-port-unknown`), a projected token's `expirationSeconds`
(`token-expiration-too-short`).

## Why is this bad?
`kubectl apply` fails with `... is invalid: <field>: Invalid value: ...`,
and in a pipeline that applies everything at once the rest of the release
may not go out either. Every schema-only tool (kubeconform,
kubernetes-validate, an IDE) passes these objects, so the error shows up
only against a cluster, often the production one. Some are silent: a
StatefulSet with a bad pod template is accepted, and then no Pod is ever
created.

## How to fix
Do what the message says; the usual cases:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront-settings        # lower case: not Storefront-Settings
spec:
  selector:
    matchLabels: {app: storefront}
  template:
    metadata:
      labels: {app: storefront}    # what the selector requires
    spec:                          # restartPolicy Always (the default)
      containers:
        - name: web                # container names unique
          image: registry.example.com/web:1.4.2
          ports:
            - name: http           # at most 15 characters, with a letter
              containerPort: 8080
          resources:
            requests: {cpu: 500m, memory: 256Mi}
            limits: {cpu: "1", memory: 256Mi}   # requests at most the limits
          livenessProbe:
            httpGet: {path: /healthz, port: http}   # one handler
            successThreshold: 1                     # must be 1
```

## References
- API server validation: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
- Workloads: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/validation/validation.go
- Jobs and CronJobs: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/batch/validation/validation.go
- Object names and IDs: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
- Labels, syntax and character set: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
- Resource units: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#resource-units-in-kubernetes
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from typing import Any

from k8slint.engine import Finding, rule
from k8slint.kube import validation as v
from k8slint.kube.kinds import CLUSTER_SCOPED, LONG_RUNNING
from k8slint.kube.selectors import label_selector_matches
from k8slint.model import mapping, sequence
from k8slint.paths import YPath, render

from ._schema import custom_resources

Path = YPath
Problems = list[str]

# --- the name rule of each kind (the nameFn its Validate* function passes to ValidateObjectMeta) ------------------
# Kinds not listed get the rule every object meets (path.ValidatePathSegmentName, from rest.BeforeCreate).
SUBDOMAIN, LABEL, DNS1035, SEGMENT = "subdomain", "label", "dns1035", "segment"
NAME_RULES: dict[str, str] = {
    # pkg/apis/core/validation/validation.go: ValidatePodName, ValidateReplicationControllerName,
    # ValidateServiceName (NameIsDNS1035Label), ValidateNamespaceName (NameIsDNSLabel), ValidateSecretName,
    # ValidateConfigMapName, ValidateServiceAccountName, ValidateEndpointsName, ValidateLimitRangeName,
    # ValidateResourceQuotaName, ValidatePodTemplate (ValidatePodName)
    "Pod": SUBDOMAIN, "PodTemplate": SUBDOMAIN, "ReplicationController": SUBDOMAIN, "Service": DNS1035,
    "Namespace": LABEL, "Secret": SUBDOMAIN, "ConfigMap": SUBDOMAIN, "ServiceAccount": SUBDOMAIN,
    "Endpoints": SUBDOMAIN, "LimitRange": SUBDOMAIN, "ResourceQuota": SUBDOMAIN,
    # pkg/apis/apps/validation/validation.go: ValidateDeploymentName, ValidateReplicaSetName,
    # ValidateDaemonSetName (NameIsDNSSubdomain); ValidateStatefulSetName (NameIsDNSLabel: its Pods are
    # named <name>-<ordinal> and use that as their host name, so a name with dots never gets a Pod)
    "Deployment": SUBDOMAIN, "ReplicaSet": SUBDOMAIN, "DaemonSet": SUBDOMAIN, "StatefulSet": LABEL,
    # pkg/apis/batch/validation/validation.go: ValidateJob, ValidateCronJobCreate (ValidateReplicationControllerName)
    "Job": SUBDOMAIN, "CronJob": SUBDOMAIN,
    # pkg/apis/networking/validation/validation.go: ValidateIngressName, ValidateNetworkPolicyName,
    # ValidateIngressClassName
    "Ingress": SUBDOMAIN, "NetworkPolicy": SUBDOMAIN, "IngressClass": SUBDOMAIN,
    # pkg/apis/autoscaling/validation/validation.go: ValidateHorizontalPodAutoscalerName
    "HorizontalPodAutoscaler": SUBDOMAIN,
    # pkg/apis/rbac/validation/validation.go: minimalNameRequirements (path segment names)
    "Role": SEGMENT, "ClusterRole": SEGMENT, "RoleBinding": SEGMENT, "ClusterRoleBinding": SEGMENT,
}
NAME_FUNCTIONS: dict[str, Callable[[str, bool], Problems]] = {
    SUBDOMAIN: v.name_is_dns1123_subdomain, LABEL: v.name_is_dns1123_label, DNS1035: v.name_is_dns1035_label,
    SEGMENT: v.path_segment_name,
}
CRONJOB_NAME_MAX = 52  # ValidateCronJobCreate: 63 minus the 11-character "-<timestamp>" suffix of its Jobs' names
ANNOTATIONS_MAX = 256 * 1024  # apimachinery ValidateAnnotationsSize (TotalAnnotationSizeLimitB)
DATA_MAX = 1024 * 1024  # core.MaxSecretSize, for ConfigMaps too
INT32_MAX = 2**31 - 1

# enumerations the schema leaves open, checked in validation code (supported values in upstream order)
PROTOCOLS = ("SCTP", "TCP", "UDP")  # supportedPortProtocols
RESTART_POLICIES = ("Always", "OnFailure", "Never")  # validateRestartPolicy
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")  # validateDNSPolicy
PULL_POLICIES = ("Always", "IfNotPresent", "Never")  # validatePullPolicy
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")  # validateContainerCommon
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")  # validateTaintEffect
HTTP_SCHEMES = ("HTTP", "HTTPS")  # supportedHTTPSchemes
CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")  # validateConcurrencyPolicy
COMPLETION_MODES = ("NonIndexed", "Indexed")  # validateJobSpec
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")  # supportedServiceType
SESSION_AFFINITIES = ("ClientIP", "None")  # supportedSessionAffinityType
INTERNAL_TRAFFIC_POLICIES = ("Cluster", "Local")  # supportedServiceInternalTrafficPolicy
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")  # supportedPathTypes
POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")  # ValidateStatefulSetSpec
POLICY_TYPES = ("Ingress", "Egress")  # ValidateNetworkPolicySpec
SUBJECT_KINDS = ("ServiceAccount", "User", "Group")  # validateRoleBindingSubject
RBAC_GROUP = "rbac.authorization.k8s.io"
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")  # IsStandardContainerResourceName
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")  # handlerFromProbe
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")  # handlerFromLifecycle
VOLUME_SOURCES = frozenset({
    "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
    "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc",
    "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume",
    "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image",
})  # validateVolumeSource
SECRET_REQUIRED_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    # ValidateSecret: type -> (keys, whether all are needed (else one of them))
    "kubernetes.io/tls": (("tls.crt", "tls.key"), True),
    "kubernetes.io/dockerconfigjson": ((".dockerconfigjson",), True),
    "kubernetes.io/dockercfg": ((".dockercfg",), True),
    "kubernetes.io/basic-auth": (("username", "password"), False),
    "kubernetes.io/ssh-auth": (("ssh-privatekey",), True),
}


def _go(value: Any) -> str:
    """A value as the API server's messages print it (Go's %q for strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


# ${VAR}, $VAR, {{ .Values.x }}, <NAME>: a value left for envsubst, a template engine or the reader to fill
_PLACEHOLDER = re.compile(r"\$\{|\{\{|\}\}|^\$[A-Za-z_][A-Za-z0-9_]*|^<[^<>]+>$")


def templated(value: Any) -> bool:
    """Whether a value (or any string in it) is a placeholder rather than what is meant to be applied."""
    if isinstance(value, str):
        return bool(_PLACEHOLDER.search(value))
    if isinstance(value, dict):
        return any(templated(k) or templated(x) for k, x in value.items())
    if isinstance(value, list):
        return any(templated(x) for x in value)
    return False


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _empty(value: Any) -> bool:
    """Unset or an empty list (a value of another type is schema-violation's to report)."""
    return value is None or value == []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _supported(values: Iterable[str]) -> str:
    return "supported values: " + ", ".join(_go(x) for x in values)


class Report:
    """Findings about one object, worded as the API server's field errors."""

    def __init__(self, obj: Any, ctx: Any) -> None:
        self.obj = obj
        self.ctx = ctx
        self.version: tuple[int, ...] = tuple(ctx.kube_version)
        self.findings: list[Finding] = []
        self.pod_prefix = ""  # set while checking a StatefulSet's pod template

    def _add(self, path: Iterable[str | int], text: str, pod: bool = False) -> None:
        path = YPath(tuple(path))
        where = render(path)
        if pod and self.pod_prefix:
            head = self.pod_prefix
        else:
            head = f'{self.obj.kind} "{self.obj.name}" is invalid: '
        self.findings.append(Finding(path, f"{head}{where}: {text}"))

    def invalid(self, path: Iterable[str | int], value: Any, problems: Problems | str, pod: bool = False) -> None:
        if templated(value):
            return
        detail = problems if isinstance(problems, str) else "; ".join(problems)
        self._add(path, f"Invalid value: {_go(value)}: {detail}", pod)

    def required(self, path: Iterable[str | int], detail: str = "", pod: bool = False) -> None:
        self._add(path, "Required value" + (f": {detail}" if detail else ""), pod)

    def duplicate(self, path: Iterable[str | int], value: Any, detail: str = "", pod: bool = False) -> None:
        if templated(value):
            return
        self._add(path, f"Duplicate value: {_go(value)}" + (f" ({detail})" if detail else ""), pod)

    def not_found(self, path: Iterable[str | int], value: Any, detail: str = "", pod: bool = False) -> None:
        if templated(value):
            return
        self._add(path, f"Not found: {_go(value)}" + (f" ({detail})" if detail else ""), pod)

    def unsupported(self, path: Iterable[str | int], value: Any, supported: Iterable[str], pod: bool = False) -> None:
        if templated(value):
            return
        self._add(path, f"Unsupported value: {_go(value)}: {_supported(supported)}", pod)

    def forbidden(self, path: Iterable[str | int], detail: str, pod: bool = False) -> None:
        self._add(path, f"Forbidden: {detail}", pod)

    # shared checks ------------------------------------------------------------------------------------------------
    def nonnegative(self, holder: dict[str, Any], base: Path, *fields: str, pod: bool = False) -> None:
        """ValidateNonnegativeField for each field that is set."""
        for name in fields:
            value = _int(holder.get(name))
            if value is not None and value < 0:
                self.invalid(base / name, value, "must be greater than or equal to 0", pod)

    def enum(self, holder: dict[str, Any], base: Path, name: str, allowed: Iterable[str], pod: bool = False) -> None:
        value = _str(holder.get(name))
        allowed = tuple(allowed)
        if value is not None and value != "" and value not in allowed:
            self.unsupported(base / name, value, allowed, pod)

    def labels(self, value: Any, path: Path, pod: bool = False) -> None:
        """ValidateLabels (apimachinery meta/v1/validation): keys are qualified names, values label values."""
        for key, val in mapping(value).items():
            if not isinstance(key, str) or templated(key):
                continue
            key_problems = v.qualified_name(key)
            value_problems = v.label_value(val) if isinstance(val, str) else []
            if key_problems:
                self.invalid(path / key, key, key_problems + [f"and the value {_go(val)}: {p}" for p in value_problems],
                             pod)
            elif value_problems:
                self.invalid(path / key, val, value_problems, pod)

    def selector(self, value: Any, path: Path, pod: bool = False) -> bool:
        """ValidateLabelSelector; whether the selector is usable (operators valid, nothing templated, no
        unknown fields: a plain map where matchLabels belongs is schema-violation's to report)."""
        selector = mapping(value)
        if set(selector) - {"matchLabels", "matchExpressions"} or templated(selector):
            return False
        self.labels(selector.get("matchLabels"), path / "matchLabels", pod)
        usable = True
        for i, expr in enumerate(sequence(selector.get("matchExpressions"))):
            if not isinstance(expr, dict):
                continue
            where = path / "matchExpressions" / i
            op = expr.get("operator")
            values = sequence(expr.get("values"))
            if op in ("In", "NotIn"):
                if _empty(expr.get("values")):
                    self.required(where / "values", "must be specified when `operator` is 'In' or 'NotIn'", pod)
            elif op in ("Exists", "DoesNotExist"):
                if values:
                    self.forbidden(where / "values", "may not be specified when `operator` is 'Exists' or "
                                                     "'DoesNotExist'", pod)
            elif isinstance(op, str):
                self.invalid(where / "operator", op, "not a valid selector operator", pod)
                usable = False
            key = expr.get("key")
            if isinstance(key, str) and (problems := v.qualified_name(key)):
                self.invalid(where / "key", key, problems, pod)
                usable = False
        return usable

    def int_or_percent(self, holder: dict[str, Any], base: Path, name: str, at_most_100: bool) -> int | None:
        """ValidatePositiveIntOrPercent and IsNotMoreThan100Percent; the value as apps' getIntOrPercentValue reads it."""
        value = holder.get(name)
        if isinstance(value, str):
            if problems := v.percent(value):
                self.invalid(base / name, value, problems)
                return None
            amount = int(value[:-1])
            if at_most_100 and amount > 100:
                self.invalid(base / name, value, "must not be greater than 100%")
            return amount
        number = _int(value)
        if number is not None and number < 0:
            self.invalid(base / name, number, "must be greater than or equal to 0")
        return number


# --- metadata: apimachinery ValidateObjectMetaAccessor and rest.BeforeCreate, for every object -----------------------

def check_metadata(report: Report) -> None:
    obj = report.obj
    meta = mapping(obj.raw.get("metadata"))
    base = YPath(("metadata",))
    rule_name = NAME_RULES.get(obj.kind, SEGMENT) if obj.builtin else SEGMENT
    name_rule = NAME_FUNCTIONS[rule_name]
    if rule_name == DNS1035 and report.version >= (1, 35):
        # RelaxedServiceNameValidation (alpha in 1.34) may be on by default later: check only what
        # every version rejects
        name_rule = v.name_is_dns1123_label
    name = _str(meta.get("name"))
    if name:
        if problems := name_rule(name, False):
            report.invalid(base / "name", name, problems)
        elif obj.kind == "CronJob" and obj.builtin and len(name) > CRONJOB_NAME_MAX:
            report.invalid(base / "name", name, f"must be no more than {CRONJOB_NAME_MAX} characters (its Jobs "
                                                "are named <name>-<11 characters>, at most 63 in all)")
    generate = _str(meta.get("generateName"))
    if generate and (problems := name_rule(generate, True)):
        report.invalid(base / "generateName", generate, problems)
    namespace = _str(meta.get("namespace"))
    if namespace and not (obj.builtin and obj.kind in CLUSTER_SCOPED) and (problems := v.dns1123_label(namespace)):
        report.invalid(base / "namespace", namespace, problems)
    report.labels(meta.get("labels"), base / "labels")
    annotations(report, meta.get("annotations"), base / "annotations")
    for i, finalizer in enumerate(sequence(meta.get("finalizers"))):
        if isinstance(finalizer, str) and (problems := v.qualified_name(finalizer)):
            report.invalid(base / "finalizers" / i, finalizer, problems)


def annotations(report: Report, value: Any, path: Path, pod: bool = False) -> None:
    """ValidateAnnotations: keys are qualified names in any case; keys and values together at most 256 KiB."""
    size = 0
    for key, val in mapping(value).items():
        if not isinstance(key, str):
            continue
        if problems := v.qualified_name(key.lower()):
            report.invalid(path / key, key, problems, pod)
        size += len(key.encode()) + (len(val.encode()) if isinstance(val, str) else 0)
    if size > ANNOTATIONS_MAX:
        report._add(path, f"Too long: may not be more than {ANNOTATIONS_MAX} bytes (the annotations hold {size})",
                    pod)


# --- pod templates: ValidatePodTemplateSpec / ValidatePodSpec (pkg/apis/core/validation/validation.go) ------------

def check_pod(report: Report) -> None:
    obj = report.obj
    pod = obj.pod
    if pod is None:
        return
    is_template = obj.kind != "Pod"
    if is_template:
        meta = mapping(pod.raw.get("metadata"))
        report.labels(meta.get("labels"), pod.path / "metadata" / "labels")
        annotations(report, meta.get("annotations"), pod.path / "metadata" / "annotations")
    if obj.kind == "StatefulSet":
        # ValidatePodTemplateSpecForStatefulSet validates only labels and annotations: the rest of the
        # template is validated when the controller creates each Pod
        report.pod_prefix = (f'StatefulSet "{obj.name}" is accepted, but the API server rejects each Pod it '
                             "creates: ")
    spec = pod.spec
    sp = pod.spec_path
    volumes = pod_volumes(report, pod)
    if obj.kind == "StatefulSet":
        volumes |= {c.get("metadata", {}).get("name") for c in sequence(obj.spec.get("volumeClaimTemplates"))
                    if isinstance(c, dict) and isinstance(c.get("metadata"), dict)}
    containers(report, pod, volumes)
    long_running = obj.kind in LONG_RUNNING  # check_workload holds these to Always and no deadline
    if not long_running:
        report.enum(spec, sp, "restartPolicy", RESTART_POLICIES, pod=True)  # validateRestartPolicy
    # validateDNSPolicy, validatePodDNSConfig
    report.enum(spec, sp, "dnsPolicy", DNS_POLICIES, pod=True)
    if spec.get("dnsPolicy") == "None":
        config = spec.get("dnsConfig")
        if not isinstance(config, dict):
            report.required(sp / "dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None", pod=True)
        elif _empty(config.get("nameservers")):
            report.required(sp / "dnsConfig" / "nameservers",
                            "must provide at least one DNS nameserver when `dnsPolicy` is None", pod=True)
    report.labels(spec.get("nodeSelector"), sp / "nodeSelector", pod=True)
    for field, check in (("serviceAccountName", v.dns1123_subdomain), ("nodeName", v.dns1123_subdomain),
                         ("priorityClassName", v.dns1123_subdomain), ("hostname", v.dns1123_label),
                         ("subdomain", v.dns1123_label)):
        value = _str(spec.get(field))
        if value and (problems := check(value)):
            report.invalid(sp / field, value, problems, pod=True)
    tolerations(report, spec.get("tolerations"), sp / "tolerations")
    deadline = _int(spec.get("activeDeadlineSeconds"))
    if not long_running and deadline is not None and not 1 <= deadline <= INT32_MAX:
        report.invalid(sp / "activeDeadlineSeconds", deadline, f"must be between 1 and {INT32_MAX}, inclusive",
                       pod=True)
    if is_template and sequence(spec.get("ephemeralContainers")):
        report.forbidden(sp / "ephemeralContainers", "ephemeral containers not allowed in pod template", pod=True)
    report.pod_prefix = ""


def pod_volumes(report: Report, pod: Any) -> set[Any]:
    """ValidateVolumes: names are unique DNS-1123 labels, one source each. The names a mount may use."""
    names: set[Any] = set()
    for volume in pod.volumes:
        name = volume.raw.get("name")
        where = volume.path / "name"
        sources = [k for k, val in volume.raw.items() if k in VOLUME_SOURCES and val is not None]
        for extra in sources[1:]:
            report.forbidden(volume.path / extra, f"may not specify more than 1 volume type (it has {sources[0]})",
                             pod=True)
        if isinstance(name, str) and name:
            if problems := v.dns1123_label(name):
                report.invalid(where, name, problems, pod=True)
            elif name in names:
                report.duplicate(where, name, pod=True)
            names.add(name)
    return names


def containers(report: Report, pod: Any, volumes: set[Any]) -> None:
    """validateContainers, validateInitContainers, validateEphemeralContainers and validateContainerCommon."""
    seen: set[str] = set()
    host_ports: dict[str, Any] = {}
    host_network = pod.spec.get("hostNetwork") is True
    relaxed_env = report.version >= (1, 32)  # RelaxedEnvironmentVariableValidation, beta and on by default in 1.32
    # upstream order: regular containers, then init containers (a name both use is reported on the init
    # container), then ephemeral containers
    for c in pod.containers + pod.init_containers + pod.ephemeral_containers:
        raw, path = c.raw, c.path
        name = raw.get("name")
        if isinstance(name, str) and name:
            if problems := v.dns1123_label(name):
                report.invalid(path / "name", name, problems, pod=True)
            elif name in seen:
                report.duplicate(path / "name", name, "container names must be unique across containers, init "
                                                      "containers and ephemeral containers", pod=True)
            seen.add(name)
        if "image" in raw and raw.get("image") in (None, ""):
            report.required(path / "image", pod=True)  # an image left out entirely may come from a patch
        report.enum(raw, path, "imagePullPolicy", PULL_POLICIES, pod=True)
        report.enum(raw, path, "terminationMessagePolicy", TERMINATION_MESSAGE_POLICIES, pod=True)
        container_ports(report, c, host_network, host_ports if c.role != "initContainer" else {})
        env(report, c, relaxed_env)
        volume_mounts(report, c, volumes)
        resources(report, c)
        if c.role == "initContainer" and raw.get("restartPolicy") != "Always":
            # validateInitContainers: only sidecars (restartPolicy: Always) may have probes and hooks
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if raw.get(field) is not None:
                    report.forbidden(path / field, "may not be set for init containers without "
                                                   "restartPolicy=Always", pod=True)
            continue
        if c.role == "ephemeralContainer":
            continue
        for kind in ("liveness", "readiness", "startup"):
            probe(report, c, kind)
        lifecycle = mapping(raw.get("lifecycle"))
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                handler(report, lifecycle[hook], path / "lifecycle" / hook, LIFECYCLE_HANDLERS)


def container_ports(report: Report, c: Any, host_network: bool, host_ports: dict[str, Any]) -> None:
    """validateContainerPorts, checkHostPortConflicts, validatePodHostNetworkDeps."""
    names: set[str] = set()
    for i, port in enumerate(sequence(c.raw.get("ports"))):
        if not isinstance(port, dict):
            continue
        where = c.path / "ports" / i
        name = port.get("name")
        if isinstance(name, str) and name:
            if problems := v.port_name(name):
                report.invalid(where / "name", name, problems, pod=True)
            elif name in names:
                report.duplicate(where / "name", name, "port names must be unique within a container", pod=True)
            else:
                names.add(name)
        number = _int(port.get("containerPort"))
        if number is not None and number != 0 and (problems := v.port_number(number)):
            report.invalid(where / "containerPort", number, problems, pod=True)
        host = _int(port.get("hostPort"))
        if host:
            if problems := v.port_number(host):
                report.invalid(where / "hostPort", host, problems, pod=True)
            else:
                key = f"{port.get('protocol') or 'TCP'}/{port.get('hostIP') or ''}/{host}"
                if key in host_ports:
                    report.duplicate(where / "hostPort", key, "another container of the pod binds this host port",
                                     pod=True)
                host_ports[key] = True
                if host_network and number is not None and host != number:
                    report.invalid(where / "hostPort", host, "must match `containerPort` when `hostNetwork` is true",
                                   pod=True)
        report.enum(port, where, "protocol", PROTOCOLS, pod=True)


def env(report: Report, c: Any, relaxed: bool) -> None:
    """ValidateEnv, validateEnvVarValueFrom, validate*KeySelector, ValidateEnvFrom."""
    for i, var in enumerate(sequence(c.raw.get("env"))):
        if not isinstance(var, dict):
            continue
        name = var.get("name")
        if isinstance(name, str) and name and (problems := v.env_var_name(name, relaxed)):
            report.invalid(c.path / "env" / i / "name", name, problems, pod=True)
        source = var.get("valueFrom")
        if not isinstance(source, dict):
            continue
        where = c.path / "env" / i
        kinds = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
                 if source.get(k) is not None]
        if not kinds:
            report.invalid(where / "valueFrom", "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                                    "`configMapKeyRef` or `secretKeyRef`", pod=True)
        elif isinstance(var.get("value"), str) and var["value"]:
            report.invalid(where / "valueFrom", "", "may not be specified when `value` is not empty", pod=True)
        elif len(kinds) > 1:
            report.invalid(where / "valueFrom", "", "may not have more than one field specified at a time",
                           pod=True)
        for ref in ("configMapKeyRef", "secretKeyRef"):
            selector = mapping(source.get(ref))
            key = selector.get("key")
            if isinstance(key, str) and key and (problems := v.config_map_key(key)):
                report.invalid(where / "valueFrom" / ref / "key", key, problems, pod=True)
            ref_name = selector.get("name")
            if isinstance(ref_name, str) and ref_name and (problems := v.dns1123_subdomain(ref_name)):
                report.invalid(where / "valueFrom" / ref / "name", ref_name, problems, pod=True)
    for i, source in enumerate(sequence(c.raw.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        prefix = source.get("prefix")
        if isinstance(prefix, str) and prefix and (problems := v.env_var_name(prefix, relaxed)):
            report.invalid(c.path / "envFrom" / i / "prefix", prefix, problems, pod=True)


def volume_mounts(report: Report, c: Any, volumes: set[Any]) -> None:
    """ValidateVolumeMounts, validateLocalDescendingPath."""
    paths: set[str] = set()
    for mount in c.volume_mounts:
        where = mount.path
        name = mount.raw.get("name")
        if isinstance(name, str) and name and name not in volumes:
            known = ", ".join(sorted(str(n) for n in volumes)) or "none"
            report.not_found(where / "name", name, f"the pod declares no volume of that name; its volumes: "
                                                   f"{known}", pod=True)
        mount_path = mount.raw.get("mountPath")
        if isinstance(mount_path, str) and mount_path:
            if mount_path in paths:
                report.invalid(where / "mountPath", mount_path, "must be unique", pod=True)
            paths.add(mount_path)
        sub_path = _str(mount.raw.get("subPath"))
        expr = _str(mount.raw.get("subPathExpr"))
        if sub_path and expr:
            report.invalid(where / "subPathExpr", expr, "subPathExpr and subPath are mutually exclusive", pod=True)
        for field, value in (("subPath", sub_path), ("subPathExpr", expr)):
            if not value:
                continue
            if value.startswith("/"):
                report.invalid(where / field, value, "must be a relative path", pod=True)
            elif ".." in value.replace("\\", "/").split("/"):
                report.invalid(where / field, value, "must not contain '..'", pod=True)


def _is_native(name: str) -> bool:
    """helper.IsNativeResource: no domain, or a kubernetes.io domain."""
    return "/" not in name or "kubernetes.io/" in name


def resources(report: Report, c: Any) -> None:
    """ValidateContainerResourceRequirements / validateResourceRequirements."""
    res = mapping(c.raw.get("resources"))
    limits_path = c.path / "resources" / "limits"
    amounts: dict[str, dict[str, Fraction]] = {"limits": {}, "requests": {}}
    for part in ("limits", "requests"):
        for name, quantity in mapping(res.get(part)).items():
            if not isinstance(name, str):
                continue
            where = c.path / "resources" / part / name
            if problems := resource_name(name):
                report.invalid(where, name, problems, pod=True)
                continue
            try:
                amount = v.parse_quantity(quantity)
            except v.QuantityError as err:
                if quantity is not None and not isinstance(quantity, (bool, dict, list)):
                    report.invalid(where, v.format_quantity(quantity), str(err), pod=True)
                continue
            if amount < 0:
                report.invalid(where, v.format_quantity(quantity), "must be greater than or equal to 0", pod=True)
                continue
            amounts[part][name] = amount
    limits = mapping(res.get("limits"))
    for name, request in amounts["requests"].items():
        where = c.path / "resources" / "requests" / name
        shown = v.format_quantity(mapping(res.get("requests"))[name])
        overcommit = _is_native(name) and not name.startswith("hugepages-")  # helper.IsOvercommitAllowed
        if name in amounts["limits"]:
            limit = amounts["limits"][name]
            limit_shown = v.format_quantity(limits[name])
            if not overcommit and request != limit:
                report.invalid(where, shown, f"must be equal to {name} limit of {limit_shown}", pod=True)
            elif request > limit:
                report.invalid(where, shown, f"must be less than or equal to {name} limit of {limit_shown}",
                               pod=True)
        elif not overcommit and name not in limits:
            report.required(limits_path / name, f"Limit must be set for non overcommitable resources (request "
                                                f"{name}: {shown})", pod=True)


def resource_name(name: str) -> Problems:
    """validateContainerResourceName."""
    if problems := v.qualified_name(name):
        return problems
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            return ["must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) "
                    "or a fully qualified extended resource name (example.com/device)"]
    elif not _is_native(name) and name.startswith("requests."):  # helper.IsExtendedResourceName
        return ["doesn't follow extended resource name standard"]
    return []


def probe(report: Report, c: Any, kind: str) -> None:
    """validateLivenessProbe, validateReadinessProbe, validateStartupProbe, validateProbe."""
    raw = c.probe(kind)
    if raw is None:
        return
    where = c.path / f"{kind}Probe"
    handler(report, raw, where, HANDLERS)
    report.nonnegative(raw, where, "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "failureThreshold",
                       pod=True)
    threshold = _int(raw.get("successThreshold"))
    if kind != "readiness" and threshold not in (None, 0, 1):
        report.invalid(where / "successThreshold", threshold, f"must be 1 (a {kind} probe succeeds once)", pod=True)
    else:
        report.nonnegative(raw, where, "successThreshold", pod=True)
    grace = raw.get("terminationGracePeriodSeconds")
    if kind == "readiness" and grace is not None:
        report.invalid(where / "terminationGracePeriodSeconds", grace, "must not be set for readinessProbes",
                       pod=True)
    elif _int(grace) is not None and grace <= 0:
        report.invalid(where / "terminationGracePeriodSeconds", grace, "must be greater than 0", pod=True)


def handler(report: Report, raw: dict[str, Any], where: Path, kinds: tuple[str, ...]) -> None:
    """validateHandler: exactly one handler, each valid."""
    present = [k for k in kinds if raw.get(k) is not None]
    if not present:
        report.required(where, "must specify a handler type (" + ", ".join(kinds) + ")", pod=True)
    for extra in present[1:]:
        report.forbidden(where / extra, f"may not specify more than 1 handler type (it has {present[0]})", pod=True)
    action = mapping(raw.get(present[0])) if present else {}
    if not present:
        return
    kind = present[0]
    if kind in ("httpGet", "tcpSocket", "grpc"):
        # ValidatePortNumOrName for numbers; names are probe-port-unknown's
        port = _int(action.get("port"))
        if port is not None and (problems := v.port_number(port)):
            report.invalid(where / kind / "port", port, problems, pod=True)
    if kind == "httpGet":
        report.enum(action, where / kind, "scheme", HTTP_SCHEMES, pod=True)
        for i, header in enumerate(sequence(action.get("httpHeaders"))):
            name = mapping(header).get("name")
            if isinstance(name, str) and (problems := v.http_header_name(name)):
                report.invalid(where / kind / "httpHeaders" / i / "name", name, problems, pod=True)
    if kind == "exec" and _empty(action.get("command")):
        report.required(where / kind / "command", pod=True)


def tolerations(report: Report, value: Any, base: Path) -> None:
    """ValidateTolerations."""
    for i, toleration in enumerate(sequence(value)):
        if not isinstance(toleration, dict):
            continue
        where = base / i
        key = _str(toleration.get("key")) or ""
        operator = toleration.get("operator") or ""
        effect = toleration.get("effect") or ""
        if key and (problems := v.qualified_name(key)):
            report.invalid(where / "key", key, problems, pod=True)
        if not key and operator in ("Equal", ""):
            report.invalid(where / "operator", operator, "operator must be Exists when `key` is empty, which means "
                                                         "\"match all values and all keys\"", pod=True)
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            report.invalid(where / "effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set",
                           pod=True)
        value_ = toleration.get("value")
        if operator in ("Equal", ""):
            if isinstance(value_, str) and (problems := v.label_value(value_)):
                report.invalid(where / "value", value_, problems, pod=True)
        elif operator == "Exists":
            if isinstance(value_, str) and value_:
                report.invalid(where / "value", value_, "value must be empty when `operator` is 'Exists'", pod=True)
        elif isinstance(operator, str):
            report.unsupported(where / "operator", operator, ("Equal", "Exists"), pod=True)
        if isinstance(effect, str) and effect and effect not in TAINT_EFFECTS:
            report.unsupported(where / "effect", effect, TAINT_EFFECTS, pod=True)


# --- workloads: pkg/apis/apps/validation/validation.go, ValidateReplicationControllerSpec --------------------------

def check_workload(report: Report) -> None:
    obj = report.obj
    spec, sp = obj.spec, YPath(("spec",))
    kind = obj.kind
    pod = obj.pod
    if kind in LONG_RUNNING and pod is not None:
        # ValidatePodTemplateSpecForReplicaSet / ForStatefulSet / ValidateDaemonSetSpec / ForRC
        policy = pod.spec.get("restartPolicy")
        if isinstance(policy, str) and policy not in ("", "Always"):
            report.unsupported(pod.spec_path / "restartPolicy", policy, ("Always",))
        if pod.spec.get("activeDeadlineSeconds") is not None:
            report.forbidden(pod.spec_path / "activeDeadlineSeconds",
                             f"activeDeadlineSeconds in {kind} is not Supported")
    report.nonnegative(spec, sp, "replicas", "minReadySeconds", "revisionHistoryLimit")
    if kind == "ReplicationController":
        selector = mapping(spec.get("selector"))
        report.labels(selector, sp / "selector")
        if selector and pod is not None and not templated(selector):
            labels = pod.labels
            if not all(labels.get(k) == val for k, val in selector.items()):
                report.invalid(pod.path / "metadata" / "labels", labels,
                               "`selector` does not match template `labels`" + _wants(selector))
        return
    if kind not in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"):
        return
    selector = spec.get("selector")
    if isinstance(selector, dict) and not set(selector) - {"matchLabels", "matchExpressions"}:
        usable = report.selector(selector, sp / "selector")
        if not mapping(selector.get("matchLabels")) and not sequence(selector.get("matchExpressions")):
            what = "statefulset" if kind == "StatefulSet" else "daemonset" if kind == "DaemonSet" else "deployment"
            report.invalid(sp / "selector", selector, f"empty selector is invalid for {what}")
        elif usable and pod is not None and not label_selector_matches(selector, pod.labels):
            report.invalid(pod.path / "metadata" / "labels", pod.labels,
                           "`selector` does not match template `labels`" + _wants(selector))
    if kind == "Deployment":
        deployment_strategy(report)
    elif kind == "DaemonSet":
        daemonset_strategy(report)
    elif kind == "StatefulSet":
        statefulset_strategy(report)


def _wants(selector: dict[str, Any]) -> str:
    pairs = mapping(selector.get("matchLabels")) if "matchLabels" in selector or "matchExpressions" in selector \
        else selector
    shown = ", ".join(f"{k}={val}" for k, val in pairs.items())
    return f" (the selector requires {shown})" if shown else ""


def deployment_strategy(report: Report) -> None:
    """ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, progressDeadlineSeconds (ValidateDeploymentSpec)."""
    spec, sp = report.obj.spec, YPath(("spec",))
    strategy = mapping(spec.get("strategy"))
    kind = strategy.get("type") or "RollingUpdate"
    rolling = strategy.get("rollingUpdate")
    where = sp / "strategy"
    if kind == "Recreate" and rolling is not None:
        report.forbidden(where / "rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")
    elif kind == "RollingUpdate" and isinstance(rolling, dict):
        base = where / "rollingUpdate"
        unavailable = report.int_or_percent(rolling, base, "maxUnavailable", True) \
            if "maxUnavailable" in rolling else 25  # defaults: 25% and 25%
        surge = report.int_or_percent(rolling, base, "maxSurge", False) if "maxSurge" in rolling else 25
        if unavailable == 0 and surge == 0:
            report.invalid(base / "maxUnavailable", rolling.get("maxUnavailable"), "may not be 0 when `maxSurge` is 0")
    elif isinstance(kind, str) and kind not in ("Recreate", "RollingUpdate"):
        report.unsupported(where / "type", kind, ("Recreate", "RollingUpdate"))
    deadline = _int(spec.get("progressDeadlineSeconds"))
    ready = _int(spec.get("minReadySeconds")) or 0
    if deadline is not None and deadline >= 0 and deadline <= ready:
        report.invalid(sp / "progressDeadlineSeconds", deadline, "must be greater than minReadySeconds")
    elif deadline is None and "progressDeadlineSeconds" not in spec and ready >= 600 \
            and report.obj.api_version == "apps/v1":
        report.invalid(sp / "minReadySeconds", ready, "must be less than progressDeadlineSeconds, which defaults "
                                                      "to 600 (set progressDeadlineSeconds above minReadySeconds)")
    else:
        report.nonnegative(spec, sp, "progressDeadlineSeconds")


def daemonset_strategy(report: Report) -> None:
    """ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet (defaults: maxUnavailable 1, maxSurge 0)."""
    spec, sp = report.obj.spec, YPath(("spec",))
    strategy = mapping(spec.get("updateStrategy"))
    kind = strategy.get("type") or "RollingUpdate"
    where = sp / "updateStrategy"
    if isinstance(kind, str) and kind not in ("RollingUpdate", "OnDelete"):
        report.unsupported(where / "type", kind, ("RollingUpdate", "OnDelete"))
        return
    rolling = strategy.get("rollingUpdate")
    if kind != "RollingUpdate" or not isinstance(rolling, dict):
        return
    base = where / "rollingUpdate"
    unavailable = report.int_or_percent(rolling, base, "maxUnavailable", True) if "maxUnavailable" in rolling else 1
    surge = report.int_or_percent(rolling, base, "maxSurge", True) if "maxSurge" in rolling else 0
    if unavailable is None or surge is None:
        return
    if unavailable and surge:
        report.invalid(base / "maxSurge", rolling.get("maxSurge"), "may not be set when maxUnavailable is non-zero"
                       + ("" if "maxUnavailable" in rolling else " (maxUnavailable defaults to 1: set it to 0)"))
    elif not unavailable and not surge:
        report.required(base / "maxUnavailable", "cannot be 0 when maxSurge is 0")


def statefulset_strategy(report: Report) -> None:
    """ValidateStatefulSetSpec: podManagementPolicy, updateStrategy, partition."""
    spec, sp = report.obj.spec, YPath(("spec",))
    policy = spec.get("podManagementPolicy")
    if isinstance(policy, str) and policy and policy not in POD_MANAGEMENT_POLICIES:
        report.invalid(sp / "podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'")
    strategy = mapping(spec.get("updateStrategy"))
    kind = strategy.get("type") or "RollingUpdate"
    where = sp / "updateStrategy"
    rolling = strategy.get("rollingUpdate")
    if kind == "OnDelete":
        if rolling is not None:
            report.invalid(where / "rollingUpdate", rolling, "only allowed for updateStrategy 'RollingUpdate'")
    elif kind == "RollingUpdate":
        if isinstance(rolling, dict):
            # maxUnavailable is left out: the API server drops it unless the MaxUnavailableStatefulSet gate is on
            report.nonnegative(rolling, where / "rollingUpdate", "partition")
    elif isinstance(kind, str):
        report.invalid(where / "type", kind, "must be 'RollingUpdate' or 'OnDelete'")


# --- Jobs and CronJobs: pkg/apis/batch/validation/validation.go ------------------------------------------------------

JOB_GENERATED_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")


def check_job_spec(report: Report, spec: dict[str, Any], sp: Path) -> None:
    """validateJobSpec (the Job's and a CronJob's jobTemplate.spec)."""
    report.nonnegative(spec, sp, "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                       "ttlSecondsAfterFinished")
    mode = spec.get("completionMode")
    if isinstance(mode, str) and mode not in COMPLETION_MODES:
        report.unsupported(sp / "completionMode", mode, COMPLETION_MODES)
    elif mode == "Indexed" and spec.get("completions") is None:
        report.required(sp / "completions", "when completion mode is Indexed")


def check_job(report: Report) -> None:
    obj = report.obj
    spec, sp = obj.spec, YPath(("spec",))
    if obj.kind == "Job":
        check_job_spec(report, spec, sp)
        selector = spec.get("selector")
        pod = obj.pod
        if not isinstance(selector, dict) or pod is None:
            return
        usable = report.selector(selector, sp / "selector")
        if not usable:
            return
        if spec.get("manualSelector") is True:
            # ValidateJobSpec: the selector must match the pods it will produce
            if not label_selector_matches(selector, pod.labels):
                report.invalid(pod.path / "metadata" / "labels", pod.labels,
                               "`selector` does not match template `labels`" + _wants(selector))
            return
        # validateGeneratedSelector: without manualSelector the selector must match the generated labels
        keys = {str(e.get("key")) for e in sequence(selector.get("matchExpressions")) if isinstance(e, dict)}
        keys |= set(mapping(selector.get("matchLabels")))
        if keys & set(JOB_GENERATED_LABELS) or obj.name.endswith("*"):
            return  # depends on the Job's UID, unknown before it exists
        expected = {"job-name": obj.name, "batch.kubernetes.io/job-name": obj.name, "controller-uid": "",
                    "batch.kubernetes.io/controller-uid": ""}
        if not label_selector_matches(selector, expected):
            report.invalid(sp / "selector", selector, "`selector` not auto-generated (set manualSelector: true to "
                                                      "use your own selector, or leave it out)")
        return
    # CronJob: validateCronJobSpec, ValidateJobTemplateSpec
    report.enum(spec, sp, "concurrencyPolicy", CONCURRENCY_POLICIES)
    report.nonnegative(spec, sp, "successfulJobsHistoryLimit", "failedJobsHistoryLimit")
    job = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    jp = sp / "jobTemplate" / "spec"
    check_job_spec(report, job, jp)
    if job.get("selector") is not None:
        report.invalid(jp / "selector", job["selector"], "`selector` will be auto-generated")
    if job.get("manualSelector") is True:
        report.unsupported(jp / "manualSelector", True, ("nil", "false"))


# --- Services: ValidateService, validateServicePort ------------------------------------------------------------------

def check_service(report: Report) -> None:
    spec, sp = report.obj.spec, YPath(("spec",))
    kind = spec.get("type") or "ClusterIP"
    if isinstance(kind, str) and kind not in SERVICE_TYPES:
        report.unsupported(sp / "type", kind, SERVICE_TYPES)
    ports = [p if isinstance(p, dict) else {} for p in sequence(spec.get("ports"))]
    names: set[str] = set()
    pairs: set[tuple[Any, Any]] = set()
    node_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        where = sp / "ports" / i
        name = port.get("name")
        if len(ports) > 1 and name in (None, ""):
            report.required(where / "name", "a Service with several ports must name each of them")
        elif isinstance(name, str) and name:
            if problems := v.dns1123_label(name):
                report.invalid(where / "name", name, problems)
            elif name in names:
                report.duplicate(where / "name", name, "port names must be unique within a Service")
            names.add(name)
        number = _int(port.get("port"))
        if number is not None and (problems := v.port_number(number)):
            report.invalid(where / "port", number, problems)
        report.enum(port, where, "protocol", PROTOCOLS)
        protocol = port.get("protocol") or "TCP"
        if number is not None:
            if (protocol, number) in pairs:
                report.duplicate(where, f"{protocol}/{number}", f"port {number} with protocol {protocol} is "
                                                                f"already defined")
            pairs.add((protocol, number))
        target = port.get("targetPort")
        if isinstance(target, str) and target and (problems := v.port_name(target)):
            report.invalid(where / "targetPort", target, problems)
        elif _int(target) and (problems := v.port_number(target)):
            report.invalid(where / "targetPort", target, problems)
        node = _int(port.get("nodePort"))
        if node:
            if kind == "ClusterIP":
                report.forbidden(where / "nodePort", f"may not be used when `type` is 'ClusterIP' (nodePort {node}: "
                                                     "set type NodePort or LoadBalancer, or drop it)")
            elif (protocol, node) in node_ports:
                report.duplicate(where / "nodePort", node)
            node_ports.add((protocol, node))
    selector = spec.get("selector")
    if isinstance(selector, dict):
        report.labels(selector, sp / "selector")
    report.enum(spec, sp, "sessionAffinity", SESSION_AFFINITIES)
    report.enum(spec, sp, "internalTrafficPolicy", INTERNAL_TRAFFIC_POLICIES)
    if kind == "ExternalName":
        cname = _str(spec.get("externalName")) or ""
        cname = cname[:-1] if cname.endswith(".") else cname
        if not cname:
            report.required(sp / "externalName", "an ExternalName Service needs the DNS name it aliases")
        elif problems := v.dns1123_subdomain(cname):
            report.invalid(sp / "externalName", spec["externalName"], problems)
    elif kind in ("NodePort", "LoadBalancer") and spec.get("clusterIP") == "None":
        report.invalid(sp / "clusterIP", "None", f"may not be set to 'None' for {kind} services")


# --- Ingresses: pkg/apis/networking/validation/validation.go (ValidateIngressSpec) -----------------------------------

INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")


def check_ingress(report: Report) -> None:
    obj = report.obj
    if obj.api_version != "networking.k8s.io/v1":
        return  # the beta versions are deprecated-api-version's
    spec, sp = obj.spec, YPath(("spec",))
    rules = sequence(spec.get("rules"))
    if _empty(spec.get("rules")) and spec.get("defaultBackend") is None:
        report.invalid(sp, "", "either `defaultBackend` or `rules` must be specified")
    if isinstance(spec.get("defaultBackend"), dict):
        ingress_backend(report, spec["defaultBackend"], sp / "defaultBackend")
    for i, ingress_rule in enumerate(rules):
        if not isinstance(ingress_rule, dict):
            continue
        where = sp / "rules" / i
        host = _str(ingress_rule.get("host"))
        if host:
            if v.is_ip_address(host):
                report.invalid(where / "host", host, "must be a DNS name, not an IP address")
            elif problems := (v.wildcard_dns1123_subdomain(host) if "*" in host else v.dns1123_subdomain(host)):
                report.invalid(where / "host", host, problems)
        http = ingress_rule.get("http")
        if not isinstance(http, dict):
            continue
        for j, path in enumerate(sequence(http.get("paths"))):
            if isinstance(path, dict):
                ingress_path(report, path, where / "http" / "paths" / j)
    for i, tls in enumerate(sequence(spec.get("tls"))):
        if not isinstance(tls, dict):
            continue
        for j, host in enumerate(sequence(tls.get("hosts"))):
            if isinstance(host, str) and (problems := (v.wildcard_dns1123_subdomain(host) if "*" in host
                                                       else v.dns1123_subdomain(host))):
                report.invalid(sp / "tls" / i / "hosts" / j, host, problems)
        secret = _str(tls.get("secretName"))
        if secret and (problems := v.dns1123_subdomain(secret)):
            report.invalid(sp / "tls" / i / "secretName", secret, problems)
    class_name = spec.get("ingressClassName")
    if isinstance(class_name, str):
        if problems := v.dns1123_subdomain(class_name):
            report.invalid(sp / "ingressClassName", class_name, problems)
        annotation = obj.annotations.get("kubernetes.io/ingress.class")
        if isinstance(annotation, str) and annotation != class_name:
            # ValidateIngressCreate
            report.invalid(("metadata", "annotations", "kubernetes.io/ingress.class"), annotation,
                           f"must match `ingressClassName` ({_go(class_name)}) when both are specified")


def ingress_path(report: Report, path: dict[str, Any], where: Path) -> None:
    """validateHTTPIngressPath."""
    kind = path.get("pathType")
    value = path.get("path")
    text = value if isinstance(value, str) else ""
    if kind is None:
        pass  # required by the schema: schema-violation's
    elif kind in ("Exact", "Prefix"):
        if not text.startswith("/"):
            report.invalid(where / "path", text, "must be an absolute path")
        elif bad := [f"must not contain '{s}'" for s in INVALID_PATH_SEQUENCES if s in text] + \
                [f"cannot end with '{s}'" for s in INVALID_PATH_SUFFIXES if text.endswith(s)]:
            report.invalid(where / "path", text, bad)
    elif kind == "ImplementationSpecific":
        if text and not text.startswith("/"):
            report.invalid(where / "path", text, "must be an absolute path")
    elif isinstance(kind, str):
        report.unsupported(where / "pathType", kind, PATH_TYPES)
    if isinstance(path.get("backend"), dict):
        ingress_backend(report, path["backend"], where / "backend")


def ingress_backend(report: Report, backend: dict[str, Any], where: Path) -> None:
    """validateIngressBackend."""
    if set(backend) - {"service", "resource"}:
        return  # unknown fields (serviceName, servicePort of the beta API): schema-violation's
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        report.invalid(where, "", "cannot set both resource and service backends")
        return
    if resource is not None:
        return
    if not isinstance(service, dict):
        report.invalid(where, "", "resource or service backend is required")
        return
    name = _str(service.get("name"))
    if name and (problems := v.dns1035_label(name)):
        report.invalid(where / "service" / "name", name, problems)
    port = mapping(service.get("port"))
    port_name = _str(port.get("name")) or ""
    number = _int(port.get("number")) or 0
    if port_name and number:
        report.invalid(where / "service" / "port", "", "cannot set both port name & port number")
    elif port_name:
        if problems := v.port_name(port_name):
            report.invalid(where / "service" / "port" / "name", port_name, problems)
    elif number:
        if problems := v.port_number(number):
            report.invalid(where / "service" / "port" / "number", number, problems)
    else:
        report.required(where / "service" / "port", "port name or number is required")


# --- ConfigMaps and Secrets: ValidateConfigMap, ValidateSecret ------------------------------------------------------

def _decoded_length(value: Any) -> int:
    if not isinstance(value, str):
        return 0
    try:
        return len(base64.b64decode(value, validate=False))
    except (binascii.Error, ValueError):
        return len(value)


def check_config(report: Report) -> None:
    obj = report.obj
    raw = obj.raw
    size = 0
    data = mapping(raw.get("data"))
    plain = obj.kind == "ConfigMap"
    for field in ("data", "binaryData", "stringData") if not plain else ("data", "binaryData"):
        for key, value in mapping(raw.get(field)).items():
            if not isinstance(key, str):
                continue
            if problems := v.config_map_key(key):
                report.invalid((field, key), key, problems)
            if plain and field == "data" and key in mapping(raw.get("binaryData")):
                report.invalid((field, key), key, "duplicate of key present in binaryData")
            if isinstance(value, str):
                size += len(value.encode()) if (plain and field == "data") or field == "stringData" \
                    else _decoded_length(value)
    if size > DATA_MAX:
        report._add(("data",), f"Too long: may not be more than {DATA_MAX} bytes (the data holds {size})")
    if plain or any(raw.get(f) is not None and not isinstance(raw.get(f), dict) for f in ("data", "stringData")):
        return  # a data field of the wrong type is schema-violation's
    keys = set(data) | set(mapping(raw.get("stringData")))
    kind = raw.get("type")
    if kind == "kubernetes.io/service-account-token":
        if not obj.annotations.get("kubernetes.io/service-account.name"):
            report.required(("metadata", "annotations", "kubernetes.io/service-account.name"),
                            "a service-account-token Secret names its ServiceAccount")
        return
    if kind not in SECRET_REQUIRED_KEYS:
        return
    needed, every = SECRET_REQUIRED_KEYS[kind]
    missing = [k for k in needed if k not in keys]
    if kind == "kubernetes.io/ssh-auth" and not missing:
        value = data.get("ssh-privatekey", mapping(raw.get("stringData")).get("ssh-privatekey"))
        if value in (None, ""):
            missing = ["ssh-privatekey"]
    if missing and (every or len(missing) == len(needed)):
        for key in missing if every else missing[:1]:
            report.required(("data", key), f"a Secret of type {_go(kind)} needs the key {_go(key)}"
                            + ("" if every else " or " + _go(needed[1])))


# --- RBAC: pkg/apis/rbac/validation/validation.go -------------------------------------------------------------------

def check_rbac(report: Report) -> None:
    obj = report.obj
    raw = obj.raw
    if obj.kind in ("Role", "ClusterRole"):
        namespaced = obj.kind == "Role"
        for i, policy in enumerate(sequence(raw.get("rules"))):
            if isinstance(policy, dict):
                policy_rule(report, policy, YPath(("rules", i)), namespaced)
        return
    ref = mapping(raw.get("roleRef"))
    group = ref.get("apiGroup")
    if isinstance(group, str) and group and group != RBAC_GROUP:
        report.unsupported(("roleRef", "apiGroup"), group, (RBAC_GROUP,))
    kinds = ("ClusterRole",) if obj.kind == "ClusterRoleBinding" else ("Role", "ClusterRole")
    ref_kind = ref.get("kind")
    if isinstance(ref_kind, str) and ref_kind not in kinds:
        report.unsupported(("roleRef", "kind"), ref_kind, kinds)
    ref_name = _str(ref.get("name"))
    if ref_name and (problems := v.path_segment_name(ref_name)):
        report.invalid(("roleRef", "name"), ref_name, problems)
    for i, subject in enumerate(sequence(raw.get("subjects"))):
        if isinstance(subject, dict):
            binding_subject(report, subject, YPath(("subjects", i)), obj.kind == "RoleBinding")


def policy_rule(report: Report, policy: dict[str, Any], where: Path, namespaced: bool) -> None:
    """validatePolicyRule."""
    if policy.get("verbs") == []:  # a missing field or a wrong type is schema-violation's
        report.required(where / "verbs", "verbs must contain at least one value")
    if not _empty(policy.get("nonResourceURLs")) and not isinstance(policy.get("nonResourceURLs"), list):
        return  # a wrong type is schema-violation's
    urls = sequence(policy.get("nonResourceURLs"))
    if urls:
        if namespaced:
            report.invalid(where / "nonResourceURLs", urls, "namespaced rules cannot apply to non-resource URLs")
        elif sequence(policy.get("apiGroups")) or sequence(policy.get("resources")) or \
                sequence(policy.get("resourceNames")):
            report.invalid(where / "nonResourceURLs", urls, "rules cannot apply to both regular resources and "
                                                           "non-resource URLs")
        return
    if _empty(policy.get("apiGroups")):
        report.required(where / "apiGroups", "resource rules must supply at least one api group (\"\" is the core "
                                             "group)")
    if _empty(policy.get("resources")):
        report.required(where / "resources", "resource rules must supply at least one resource")


def binding_subject(report: Report, subject: dict[str, Any], where: Path, namespaced: bool) -> None:
    """validateRoleBindingSubject (after defaulting: User and Group default to the RBAC API group)."""
    kind = subject.get("kind")
    name = _str(subject.get("name"))
    group = subject.get("apiGroup")
    if kind == "ServiceAccount":
        if name and (problems := v.dns1123_subdomain(name)):
            report.invalid(where / "name", name, problems)
        if isinstance(group, str) and group:
            report.unsupported(where / "apiGroup", group, ("",))
        if not namespaced and not subject.get("namespace"):
            report.required(where / "namespace", "a ServiceAccount subject of a ClusterRoleBinding names its "
                                                 "namespace")
    elif kind in ("User", "Group"):
        if isinstance(group, str) and group and group != RBAC_GROUP:
            report.unsupported(where / "apiGroup", group, (RBAC_GROUP,))
    elif isinstance(kind, str):
        report.unsupported(where / "kind", kind, SUBJECT_KINDS)


# --- PodDisruptionBudgets, HorizontalPodAutoscalers, NetworkPolicies --------------------------------------------------

def check_pdb(report: Report) -> None:
    """ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation/validation.go)."""
    spec, sp = report.obj.spec, YPath(("spec",))
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        report.invalid(sp / "maxUnavailable", spec["maxUnavailable"], "minAvailable and maxUnavailable cannot be "
                                                                      "both set")
    for field in ("minAvailable", "maxUnavailable"):
        if spec.get(field) is not None:
            report.int_or_percent(spec, sp, field, True)
    if isinstance(spec.get("selector"), dict):
        report.selector(spec["selector"], sp / "selector")


def check_hpa(report: Report) -> None:
    """validateHorizontalPodAutoscalerSpec (pkg/apis/autoscaling/validation/validation.go)."""
    spec, sp = report.obj.spec, YPath(("spec",))
    low = _int(spec.get("minReplicas"))
    high = _int(spec.get("maxReplicas"))
    if low is not None and low < 1:
        report.invalid(sp / "minReplicas", low, "must be greater than or equal to 1 (0 only with the alpha "
                                                "HPAScaleToZero feature gate)")
    if high is not None and high < 1:
        report.invalid(sp / "maxReplicas", high, "must be greater than 0")
    elif high is not None and low is not None and high < low:
        report.invalid(sp / "maxReplicas", high, f"must be greater than or equal to `minReplicas` ({low})")


def check_network_policy(report: Report) -> None:
    """ValidateNetworkPolicySpec, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock."""
    spec, sp = report.obj.spec, YPath(("spec",))
    if isinstance(spec.get("podSelector"), dict):
        report.selector(spec["podSelector"], sp / "podSelector")
    for direction, peers_field in (("ingress", "from"), ("egress", "to")):
        for i, item in enumerate(sequence(spec.get(direction))):
            if not isinstance(item, dict):
                continue
            where = sp / direction / i
            for j, port in enumerate(sequence(item.get("ports"))):
                if isinstance(port, dict):
                    policy_port(report, port, where / "ports" / j)
            for j, peer in enumerate(sequence(item.get(peers_field))):
                if isinstance(peer, dict):
                    policy_peer(report, peer, where / peers_field / j)
    types = sequence(spec.get("policyTypes"))
    if len(types) > 2:
        report.invalid(sp / "policyTypes", types, "may not specify more than two policyTypes")
    else:
        for i, kind in enumerate(types):
            if isinstance(kind, str) and kind not in POLICY_TYPES:
                report.unsupported(sp / "policyTypes" / i, kind, POLICY_TYPES)


def policy_port(report: Report, port: dict[str, Any], where: Path) -> None:
    report.enum(port, where, "protocol", ("TCP", "UDP", "SCTP"))
    value = port.get("port")
    end = _int(port.get("endPort"))
    if _int(value) is not None:
        if problems := v.port_number(value):
            report.invalid(where / "port", value, problems)
        if end is not None:
            if end < value:
                report.invalid(where / "endPort", end, f"must be greater than or equal to `port` ({value})")
            elif problems := v.port_number(end):
                report.invalid(where / "endPort", end, problems)
    elif isinstance(value, str):
        if end is not None:
            report.invalid(where / "endPort", end, "may not be specified when `port` is non-numeric")
        if problems := v.port_name(value):
            report.invalid(where / "port", value, problems)
    elif value is None and end is not None:
        report.invalid(where / "endPort", end, "may not be specified when `port` is not specified")


def policy_peer(report: Report, peer: dict[str, Any], where: Path) -> None:
    present = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
    for key in ("podSelector", "namespaceSelector"):
        if isinstance(peer.get(key), dict):
            report.selector(peer[key], where / key)
    if not present:
        report.required(where, "must specify a peer (podSelector, namespaceSelector or ipBlock)")
    elif len(present) > 1 and "ipBlock" in present:
        report.forbidden(where / "ipBlock", "may not specify both ipBlock and another peer")
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        ip_block(report, block, where / "ipBlock")


def _cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """net.ParseCIDR, with the leading zeros legacy fields allow (IsValidCIDRForLegacyField)."""
    if "/" not in text:
        return None
    address, _, bits = text.partition("/")
    if "." in address and ":" not in address:
        parts = address.split(".")
        if len(parts) != 4 or not all(p.isdigit() and p.isascii() for p in parts):
            return None
        address = ".".join(str(int(p)) for p in parts)
    if not bits.isdigit() or not bits.isascii():
        return None
    try:
        return ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
    except ValueError:
        return None


def ip_block(report: Report, block: dict[str, Any], where: Path) -> None:
    cidr_text = _str(block.get("cidr"))
    if not cidr_text:
        return
    cidr = _cidr(cidr_text)
    if cidr is None:
        report.invalid(where / "cidr", cidr_text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")
        return
    for i, text in enumerate(sequence(block.get("except"))):
        if not isinstance(text, str):
            continue
        excluded = _cidr(text)
        if excluded is None:
            report.invalid(where / "except" / i, text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                                       "2001:db8::/64)")
        elif excluded.version != cidr.version or excluded.network_address not in cidr \
                or cidr.prefixlen >= excluded.prefixlen:
            report.invalid(where / "except" / i, text, f"must be a strict subset of `cidr` ({cidr_text})")


# --- the rule ---------------------------------------------------------------------------------------------------------

KIND_CHECKS: dict[str, tuple[Callable[[Report], None], ...]] = {
    "Pod": (check_pod,), "PodTemplate": (check_pod,),
    "Deployment": (check_pod, check_workload), "ReplicaSet": (check_pod, check_workload),
    "DaemonSet": (check_pod, check_workload), "StatefulSet": (check_pod, check_workload),
    "ReplicationController": (check_pod, check_workload),
    "Job": (check_pod, check_job), "CronJob": (check_pod, check_job),
    "Service": (check_service,), "Ingress": (check_ingress,),
    "ConfigMap": (check_config,), "Secret": (check_config,),
    "Role": (check_rbac,), "ClusterRole": (check_rbac,), "RoleBinding": (check_rbac,),
    "ClusterRoleBinding": (check_rbac,),
    "PodDisruptionBudget": (check_pdb,), "HorizontalPodAutoscaler": (check_hpa,),
    "NetworkPolicy": (check_network_policy,),
}


#: the API versions whose fields the kind checks read; of objects of older (removed) versions, with other
#: fields and defaults (deprecated-api-version's business), only the metadata and pod template are checked
CURRENT_VERSIONS: dict[str, frozenset[str]] = {kind: frozenset(versions) for kind, versions in {
    "Pod": ["v1"], "PodTemplate": ["v1"], "ReplicationController": ["v1"], "Service": ["v1"], "ConfigMap": ["v1"],
    "Secret": ["v1"], "Deployment": ["apps/v1"], "ReplicaSet": ["apps/v1"], "DaemonSet": ["apps/v1"],
    "StatefulSet": ["apps/v1"], "Job": ["batch/v1"], "CronJob": ["batch/v1"], "Ingress": ["networking.k8s.io/v1"],
    "NetworkPolicy": ["networking.k8s.io/v1"], "Role": ["rbac.authorization.k8s.io/v1"],
    "ClusterRole": ["rbac.authorization.k8s.io/v1"], "RoleBinding": ["rbac.authorization.k8s.io/v1"],
    "ClusterRoleBinding": ["rbac.authorization.k8s.io/v1"], "PodDisruptionBudget": ["policy/v1"],
    "HorizontalPodAutoscaler": ["autoscaling/v1", "autoscaling/v2"],
}.items()}


def _is_patch(raw: Any) -> bool:
    """A strategic-merge patch (kustomize), not a whole object: it is merged before the API server sees it."""
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(isinstance(k, str) and k.startswith("$") for k in node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


@rule(scope="object", id="server-validation", severity="error", category="correctness",
      summary="An object the API server's validation rejects beyond its schema")
def check(obj: Any, ctx: Any) -> Iterator[Finding]:
    if not obj.builtin and not custom_resources(ctx).knows(obj.api_version, obj.kind):
        return  # not an object the API server is known to serve (a kustomization, a tool's configuration)
    report = Report(obj, ctx)
    check_metadata(report)
    if obj.builtin:
        current = obj.api_version in CURRENT_VERSIONS.get(obj.kind, ())
        for step in KIND_CHECKS.get(obj.kind, ()):
            if current or step is check_pod:  # a pod template is a core/v1 PodTemplateSpec in every version
                step(report)
    if report.findings and not _is_patch(obj.raw):  # walked only when there is something to report
        yield from report.findings
