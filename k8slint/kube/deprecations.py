"""Deprecated and removed Kubernetes APIs, fields and annotations, as data.

Two tables of plain rows, each row with the upstream source it was checked
against:

- :data:`API_VERSIONS`: an ``apiVersion`` and ``kind`` that a release
  deprecates or stops serving, with the API versions that replace it. It
  covers every section of the Deprecated API Migration Guide (removals in
  1.16, 1.22, 1.25, 1.26, 1.27, 1.29 and 1.32), the other API versions of
  built-in kinds that releases since 1.25 stopped serving, and the beta
  versions whose deprecation is announced after the guide's last section.
  The deprecation versions are those of the ``prerelease-lifecycle-gen``
  tags in k8s.io/api, which the API server turns into its ``... is
  deprecated in v1.X+, unavailable in v1.Y+`` warnings. It also covers the
  kubeadm configuration API versions (``kubeadm.k8s.io/v1beta1`` to
  ``v1beta3``), which kubeadm stops reading; the kubelet
  (``kubelet.config.k8s.io``) and kube-proxy (``kubeproxy.config.k8s.io``)
  configuration versions have no removals: kube-proxy still reads only
  ``v1alpha1``, the kubelet ``v1beta1`` (and ``CredentialProviderConfig``
  in ``v1alpha1``, ``v1beta1`` and ``v1``), checked against k8s.io/kubelet and
  k8s.io/kube-proxy at v0.37.0-beta.0.
- :data:`FIELDS`: fields, annotations, volume types, node labels and kinds
  that are deprecated or no longer honoured, mostly those the API server
  itself warns about (``pkg/api/pod/warnings.go`` and its siblings).

A row's ``deprecated_in`` is the first release that deprecates it (the API
server warns, or the API reference marks it deprecated); ``removed_in`` is
the first release that no longer serves the API version or no longer
honours the field. Either may be None: without ``deprecated_in`` the
deprecation release is not established and the row counts only from its
removal; without ``removed_in`` no removal is scheduled.

:func:`status` evaluates a row at a target version. Its result carries the
one attribute that separates the two cases, ``state`` (``deprecated`` or
``removed``), and the severity that goes with it (:data:`SEVERITY`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .versions import parse

GUIDE = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"
POD_WARNINGS = "https://github.com/kubernetes/kubernetes/blob/master/pkg/api/pod/warnings.go"
PV_WARNINGS = "https://github.com/kubernetes/kubernetes/blob/master/pkg/api/persistentvolume/util.go"
PVC_WARNINGS = "https://github.com/kubernetes/kubernetes/blob/master/pkg/api/persistentvolumeclaim/util.go"
NODE_LABELS = "https://github.com/kubernetes/kubernetes/blob/master/pkg/api/node/util.go"

DEPRECATED, REMOVED = "deprecated", "removed"
#: the severity each state deserves (the engine has one severity per rule today)
SEVERITY = {DEPRECATED: "warning", REMOVED: "error"}

_GROUP_VERSION = re.compile(r"(?:[a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?v[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?\Z")


def is_group_version(value: str) -> bool:
    """``apps/v1``, ``v1``, ``flowcontrol.apiserver.k8s.io/v1beta3``."""
    return isinstance(value, str) and bool(_GROUP_VERSION.match(value))


def _version(value: str | None) -> tuple[int, int] | None:
    return parse(value) if value is not None else None


def label(version: tuple[int, ...]) -> str:
    return f"{version[0]}.{version[1]}"


# rows ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Replacement:
    """An API version that serves the same kind, and the release that first served it."""

    api_version: str
    available_in: str | None = None


@dataclass(frozen=True)
class APIRow:
    """An apiVersion/kind that a release deprecates or stops serving."""

    api_version: str
    kind: str
    deprecated_in: str | None
    removed_in: str | None
    replacements: tuple[Replacement, ...]  # preferred first; empty: no API version replaces it
    source: str
    changes: str = ""  # notable field changes in the replacement
    instead: str = ""  # what to use when no API version replaces it

    @property
    def subject(self) -> str:
        return f"{self.api_version} {self.kind}"


# where a FieldRow is found
ANNOTATION = "annotation"  # key: annotation key; a trailing "*" makes it a prefix
FIELD = "field"            # key: dotted path inside the object (or the pod spec, for POD_TEMPLATE)
VOLUME = "volume"          # key: volume source field, in pod volumes and PersistentVolume specs
NODE_LABEL = "node-label"  # key: node label, in node selectors, node affinity and topology keys
KIND = "kind"              # key: "apiVersion kind" of a whole object
WHERE = (ANNOTATION, FIELD, VOLUME, NODE_LABEL, KIND)

# pseudo-kinds: where a row applies besides top-level objects
POD_TEMPLATE = "<pod template>"       # a Pod, or the pod template of a workload
CLAIM_TEMPLATE = "<claim template>"   # a StatefulSet's spec.volumeClaimTemplates[*]


@dataclass(frozen=True)
class FieldRow:
    """A field, annotation, volume type, node label or kind that is deprecated or no longer honoured."""

    name: str
    where: str
    key: str
    kinds: frozenset[str]
    deprecated_in: str | None
    removed_in: str | None
    replacement: str  # what to use instead, in words
    source: str
    effect: str = ""  # what happens once it is removed
    superseded_by: str = ""  # the replacement field: when it is set, the old one is inert and not reported
    # for a per-container annotation: the replacement field also counts in the pod's own spec
    superseded_at_pod_level: bool = False
    note: str = ""

    @property
    def is_prefix(self) -> bool:
        return self.key.endswith("*")

    def matches(self, key: str) -> bool:
        return key.startswith(self.key[:-1]) if self.is_prefix else key == self.key


@dataclass(frozen=True)
class Status:
    """A row as seen from a target version."""

    state: str  # DEPRECATED or REMOVED
    row: APIRow | FieldRow
    target: tuple[int, ...]
    replacement: Replacement | None = field(default=None)

    @property
    def removed(self) -> bool:
        return self.state == REMOVED

    @property
    def severity(self) -> str:
        return SEVERITY[self.state]

    @property
    def deprecated_in(self) -> tuple[int, int] | None:
        return _version(self.row.deprecated_in)

    @property
    def removed_in(self) -> tuple[int, int] | None:
        return _version(self.row.removed_in)


# the API version table -------------------------------------------------------------------

def _r(api_version: str, available_in: str | None = None) -> Replacement:
    return Replacement(api_version, available_in)


def _rows(api_version: str, kinds: Iterable[str], deprecated_in: str | None, removed_in: str | None,
          replacements: Replacement | Iterable[Replacement], source: str, changes: str = "",
          instead: str = "") -> list[APIRow]:
    if isinstance(replacements, Replacement):
        replacements = (replacements,)
    return [APIRow(api_version, kind, deprecated_in, removed_in, tuple(replacements), source, changes, instead)
            for kind in kinds]


def _openapi(release: str) -> str:
    """The OpenAPI specification of a release: an API version missing from it is not served."""
    return f"https://github.com/kubernetes/kubernetes/tree/release-{release}/api/openapi-spec"


_SELECTOR_REQUIRED = "spec.selector is required and immutable (use the template labels)"
_APPS_V1 = _r("apps/v1", "1.9")
_FLOW_V1 = _r("flowcontrol.apiserver.k8s.io/v1", "1.29")
_FLOW_V1BETA3 = _r("flowcontrol.apiserver.k8s.io/v1beta3", "1.26")
_FLOW_V1BETA2 = _r("flowcontrol.apiserver.k8s.io/v1beta2", "1.23")
_FLOW_CHANGES = ("spec.limited.assuredConcurrencyShares is renamed nominalConcurrencyShares, and in v1 an "
                 "explicit 0 is no longer changed to 30")
_RESOURCE_V1 = (_r("resource.k8s.io/v1", "1.34"), _r("resource.k8s.io/v1beta2", "1.33"),
                _r("resource.k8s.io/v1beta1", "1.32"))
_PSA = ("Pod Security Admission (namespace labels pod-security.kubernetes.io/enforce) "
        "or a third-party admission webhook")

#: the kubeadm kinds of every kubeadm API version before v1beta4 (v1beta4 adds ResetConfiguration and
#: UpgradeConfiguration)
_KUBEADM_KINDS = ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration")
_KUBEADM_V1BETA4 = _r("kubeadm.k8s.io/v1beta4", "1.31")
_KUBEADM_FROM_V1BETA2 = (_KUBEADM_V1BETA4, _r("kubeadm.k8s.io/v1beta3", "1.22"))
_KUBEADM_FROM_V1BETA1 = _KUBEADM_FROM_V1BETA2 + (_r("kubeadm.k8s.io/v1beta2", "1.15"),)
_V1BETA4_CHANGES = ("in v1beta4 extraArgs and kubeletExtraArgs become lists of name and value items, and "
                    "timeoutForControlPlane and discovery.timeout move to the timeouts field")
_MIGRATE_V1BETA3 = f"convert the file with `kubeadm config migrate` (kubeadm 1.31 to 1.35), {_V1BETA4_CHANGES}"
_MIGRATE_V1BETA2 = ("convert the file in two steps with `kubeadm config migrate`: kubeadm 1.22 to 1.26 turn v1beta2 "
                    f"into v1beta3, kubeadm 1.31 to 1.35 turn v1beta3 into v1beta4 ({_V1BETA4_CHANGES})")
_MIGRATE_V1BETA1 = ("convert the file in steps with `kubeadm config migrate`: kubeadm 1.15 to 1.21 turn v1beta1 into "
                    "v1beta2, kubeadm 1.22 to 1.26 turn v1beta2 into v1beta3, kubeadm 1.31 to 1.35 turn v1beta3 into "
                    "v1beta4")

API_VERSIONS: tuple[APIRow, ...] = tuple(
    # removed in 1.32
    _rows("flowcontrol.apiserver.k8s.io/v1beta3", ("FlowSchema",), "1.29", "1.32", _FLOW_V1,
          GUIDE + "#flowcontrol-resources-v132")
    + _rows("flowcontrol.apiserver.k8s.io/v1beta3", ("PriorityLevelConfiguration",), "1.29", "1.32", _FLOW_V1,
            GUIDE + "#flowcontrol-resources-v132",
            "spec.limited.nominalConcurrencyShares defaults to 30 only when unset, an explicit 0 stays 0")
    # removed in 1.29
    + _rows("flowcontrol.apiserver.k8s.io/v1beta2", ("FlowSchema",), "1.26", "1.29",
            (_FLOW_V1, _FLOW_V1BETA3), GUIDE + "#flowcontrol-resources-v129")
    + _rows("flowcontrol.apiserver.k8s.io/v1beta2", ("PriorityLevelConfiguration",), "1.26", "1.29",
            (_FLOW_V1, _FLOW_V1BETA3), GUIDE + "#flowcontrol-resources-v129", _FLOW_CHANGES)
    # removed in 1.27
    + _rows("storage.k8s.io/v1beta1", ("CSIStorageCapacity",), "1.24", "1.27", _r("storage.k8s.io/v1", "1.24"),
            GUIDE + "#csistoragecapacity-v127")
    # removed in 1.26
    + _rows("flowcontrol.apiserver.k8s.io/v1beta1", ("FlowSchema", "PriorityLevelConfiguration"), "1.23", "1.26",
            (_FLOW_V1, _FLOW_V1BETA3, _FLOW_V1BETA2), GUIDE + "#flowcontrol-resources-v126")
    + _rows("autoscaling/v2beta2", ("HorizontalPodAutoscaler",), "1.23", "1.26", _r("autoscaling/v2", "1.23"),
            GUIDE + "#horizontalpodautoscaler-v126")
    # removed in 1.25
    + _rows("batch/v1beta1", ("CronJob",), "1.21", "1.25", _r("batch/v1", "1.21"), GUIDE + "#cronjob-v125")
    + _rows("discovery.k8s.io/v1beta1", ("EndpointSlice",), "1.21", "1.25", _r("discovery.k8s.io/v1", "1.21"),
            GUIDE + "#endpointslice-v125",
            "endpoints[*].topology is replaced by nodeName and zone (deprecatedTopology is read-only)")
    + _rows("events.k8s.io/v1beta1", ("Event",), "1.22", "1.25", _r("events.k8s.io/v1", "1.19"),
            GUIDE + "#event-v125",
            "involvedObject is renamed regarding, type is Normal or Warning, action, reason, reportingController "
            "and reportingInstance are required, firstTimestamp, lastTimestamp, count and source give way to "
            "eventTime, series and reportingController/reportingInstance")
    + _rows("autoscaling/v2beta1", ("HorizontalPodAutoscaler",), "1.22", "1.25", _r("autoscaling/v2", "1.23"),
            GUIDE + "#horizontalpodautoscaler-v125",
            "metrics take a target with type and averageUtilization, averageValue or value instead of "
            "targetAverageUtilization, targetAverageValue and targetValue")
    + _rows("policy/v1beta1", ("PodDisruptionBudget",), "1.21", "1.25", _r("policy/v1", "1.21"),
            GUIDE + "#poddisruptionbudget-v125",
            "an empty spec.selector ({}) selects every pod in the namespace in policy/v1, and none in "
            "policy/v1beta1")
    + _rows("policy/v1beta1", ("PodSecurityPolicy",), "1.21", "1.25", (), GUIDE + "#psp-v125",
            instead=_PSA)
    + _rows("node.k8s.io/v1beta1", ("RuntimeClass",), "1.22", "1.25", _r("node.k8s.io/v1", "1.20"),
            GUIDE + "#runtimeclass-v125")
    # removed in 1.22
    + _rows("admissionregistration.k8s.io/v1beta1",
            ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"), "1.16", "1.22",
            _r("admissionregistration.k8s.io/v1", "1.16"), GUIDE + "#webhook-resources-v122",
            "webhooks[*].sideEffects and admissionReviewVersions are required, failurePolicy defaults to Fail, "
            "matchPolicy to Equivalent, timeoutSeconds to 10")
    + _rows("apiextensions.k8s.io/v1beta1", ("CustomResourceDefinition",), "1.16", "1.22",
            _r("apiextensions.k8s.io/v1", "1.16"), GUIDE + "#customresourcedefinition-v122",
            "spec.scope is required, spec.version, validation, subresources and additionalPrinterColumns move "
            "into spec.versions[*], every version needs a structural openAPIV3Schema, "
            "spec.conversion.webhookClientConfig moves to spec.conversion.webhook.clientConfig")
    + _rows("apiregistration.k8s.io/v1beta1", ("APIService",), "1.19", "1.22",
            _r("apiregistration.k8s.io/v1", "1.10"), GUIDE + "#apiservice-v122")
    + _rows("authentication.k8s.io/v1beta1", ("TokenReview",), "1.19", "1.22",
            _r("authentication.k8s.io/v1", "1.6"), GUIDE + "#tokenreview-v122")
    + _rows("authorization.k8s.io/v1beta1",
            ("LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview",
             "SelfSubjectRulesReview"), "1.19", "1.22",
            _r("authorization.k8s.io/v1", "1.6"), GUIDE + "#subjectaccessreview-resources-v122",
            "spec.group is renamed spec.groups")
    + _rows("certificates.k8s.io/v1beta1", ("CertificateSigningRequest",), "1.19", "1.22",
            _r("certificates.k8s.io/v1", "1.19"), GUIDE + "#certificatesigningrequest-v122",
            "spec.signerName and spec.usages are required, kubernetes.io/legacy-unknown cannot be requested")
    + _rows("coordination.k8s.io/v1beta1", ("Lease",), "1.19", "1.22", _r("coordination.k8s.io/v1", "1.14"),
            GUIDE + "#lease-v122")
    + _rows("extensions/v1beta1", ("Ingress",), "1.14", "1.22", _r("networking.k8s.io/v1", "1.19"),
            GUIDE + "#ingress-v122",
            "spec.backend is renamed spec.defaultBackend, serviceName becomes service.name, servicePort "
            "becomes service.port.number or service.port.name, every path needs a pathType")
    + _rows("networking.k8s.io/v1beta1", ("Ingress",), "1.19", "1.22", _r("networking.k8s.io/v1", "1.19"),
            GUIDE + "#ingress-v122",
            "spec.backend is renamed spec.defaultBackend, serviceName becomes service.name, servicePort "
            "becomes service.port.number or service.port.name, every path needs a pathType")
    + _rows("networking.k8s.io/v1beta1", ("IngressClass",), "1.19", "1.22", _r("networking.k8s.io/v1", "1.19"),
            GUIDE + "#ingressclass-v122")
    + _rows("rbac.authorization.k8s.io/v1beta1", ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
            "1.17", "1.22", _r("rbac.authorization.k8s.io/v1", "1.8"), GUIDE + "#rbac-resources-v122")
    + _rows("scheduling.k8s.io/v1beta1", ("PriorityClass",), "1.14", "1.22", _r("scheduling.k8s.io/v1", "1.14"),
            GUIDE + "#priorityclass-v122")
    + _rows("storage.k8s.io/v1beta1", ("CSIDriver", "StorageClass", "VolumeAttachment"), "1.19", "1.22",
            _r("storage.k8s.io/v1", "1.19"), GUIDE + "#storage-resources-v122")
    + _rows("storage.k8s.io/v1beta1", ("CSINode",), "1.17", "1.22", _r("storage.k8s.io/v1", "1.17"),
            GUIDE + "#storage-resources-v122")
    # removed in 1.16
    + _rows("extensions/v1beta1", ("NetworkPolicy",), "1.9", "1.16", _r("networking.k8s.io/v1", "1.8"),
            GUIDE + "#networkpolicy-v116")
    + _rows("extensions/v1beta1", ("DaemonSet",), "1.8", "1.16", _APPS_V1, GUIDE + "#daemonset-v116",
            _SELECTOR_REQUIRED + ", spec.templateGeneration is gone, spec.updateStrategy.type defaults to "
            "RollingUpdate (was OnDelete)")
    + _rows("apps/v1beta2", ("DaemonSet",), "1.9", "1.16", _APPS_V1, GUIDE + "#daemonset-v116",
            _SELECTOR_REQUIRED)
    + _rows("extensions/v1beta1", ("Deployment",), "1.8", "1.16", _APPS_V1, GUIDE + "#deployment-v116",
            _SELECTOR_REQUIRED + ", spec.rollbackTo is gone, progressDeadlineSeconds defaults to 600 "
            "(was no deadline), revisionHistoryLimit to 10 (was unlimited), maxSurge and maxUnavailable to 25% "
            "(was 1)")
    + _rows("apps/v1beta1", ("Deployment",), "1.8", "1.16", _APPS_V1, GUIDE + "#deployment-v116",
            _SELECTOR_REQUIRED + ", spec.rollbackTo is gone, revisionHistoryLimit defaults to 10 (was 2)")
    + _rows("apps/v1beta2", ("Deployment",), "1.9", "1.16", _APPS_V1, GUIDE + "#deployment-v116",
            _SELECTOR_REQUIRED)
    + _rows("apps/v1beta1", ("StatefulSet",), "1.8", "1.16", _APPS_V1, GUIDE + "#statefulset-v116",
            _SELECTOR_REQUIRED + ", spec.updateStrategy.type defaults to RollingUpdate (was OnDelete)")
    + _rows("apps/v1beta2", ("StatefulSet",), "1.9", "1.16", _APPS_V1, GUIDE + "#statefulset-v116",
            _SELECTOR_REQUIRED)
    + _rows("extensions/v1beta1", ("ReplicaSet",), "1.8", "1.16", _APPS_V1, GUIDE + "#replicaset-v116",
            _SELECTOR_REQUIRED)
    # the guide lists apps/v1beta1 ReplicaSet; the deprecation release is not tagged for it
    + _rows("apps/v1beta1", ("ReplicaSet",), None, "1.16", _APPS_V1, GUIDE + "#replicaset-v116",
            _SELECTOR_REQUIRED)
    + _rows("apps/v1beta2", ("ReplicaSet",), "1.9", "1.16", _APPS_V1, GUIDE + "#replicaset-v116",
            _SELECTOR_REQUIRED)
    + _rows("extensions/v1beta1", ("PodSecurityPolicy",), "1.11", "1.16", _r("policy/v1beta1", "1.10"),
            GUIDE + "#psp-v116", instead=_PSA)
    # not in the guide: the other kinds of apps/v1beta1 and apps/v1beta2, no longer served since 1.16
    + _rows("apps/v1beta1", ("ControllerRevision",), "1.8", "1.16", _APPS_V1,
            "https://github.com/kubernetes/api/blob/master/apps/v1beta1/types.go")
    + _rows("apps/v1beta2", ("ControllerRevision",), "1.9", "1.16", _APPS_V1,
            "https://github.com/kubernetes/api/blob/master/apps/v1beta2/types.go")
    # the alpha Initializers feature, removed with its API group version in 1.14
    + _rows("admissionregistration.k8s.io/v1alpha1", ("InitializerConfiguration",), None, "1.14", (),
            "https://github.com/kubernetes/kubernetes/pull/72972",
            instead="a mutating admission webhook (admissionregistration.k8s.io/v1 MutatingWebhookConfiguration)")
    # beta versions deprecated after the guide's last section
    + _rows("storage.k8s.io/v1beta1", ("VolumeAttributesClass",), "1.34", "1.37", _r("storage.k8s.io/v1", "1.34"),
            "https://github.com/kubernetes/enhancements/issues/3751")
    + _rows("resource.k8s.io/v1beta1", ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"),
            "1.35", "1.38", _RESOURCE_V1[:2], "https://github.com/kubernetes/enhancements/issues/4381")
    # alpha and beta versions of built-in kinds that releases since 1.25 no longer serve (no deprecation
    # release is established for them: they count from their removal)
    + _rows("admissionregistration.k8s.io/v1alpha1",
            ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"), None, "1.32",
            (_r("admissionregistration.k8s.io/v1", "1.30"), _r("admissionregistration.k8s.io/v1beta1", "1.28")),
            _openapi("1.32"))
    + _rows("admissionregistration.k8s.io/v1beta1",
            ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"), None, "1.34",
            _r("admissionregistration.k8s.io/v1", "1.30"), _openapi("1.34"))
    + _rows("networking.k8s.io/v1alpha1", ("ClusterCIDR",), None, "1.29", (), _openapi("1.29"),
            instead="the node IPAM controller's --cluster-cidr (multi-CIDR range allocation was withdrawn)")
    + _rows("networking.k8s.io/v1alpha1", ("IPAddress", "ServiceCIDR"), None, "1.31",
            (_r("networking.k8s.io/v1", "1.33"), _r("networking.k8s.io/v1beta1", "1.31")), _openapi("1.31"))
    + _rows("networking.k8s.io/v1beta1", ("IPAddress", "ServiceCIDR"), None, "1.37",
            _r("networking.k8s.io/v1", "1.33"), _openapi("1.37"))
    + _rows("resource.k8s.io/v1alpha1", ("ResourceClaim", "ResourceClaimTemplate"), None, "1.27",
            _RESOURCE_V1 + (_r("resource.k8s.io/v1alpha3", "1.31"), _r("resource.k8s.io/v1alpha2", "1.27")),
            _openapi("1.27"))
    + _rows("resource.k8s.io/v1alpha1", ("ResourceClass",), None, "1.27", _r("resource.k8s.io/v1alpha2", "1.27"),
            _openapi("1.27"), instead="DeviceClass (resource.k8s.io/v1), which replaced ResourceClass in 1.31")
    + _rows("resource.k8s.io/v1alpha1", ("PodScheduling",), None, "1.27", (), _openapi("1.27"),
            instead="ResourceClaims allocated by the scheduler (structured parameters)")
    + _rows("resource.k8s.io/v1alpha2", ("ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"), None, "1.31",
            _RESOURCE_V1 + (_r("resource.k8s.io/v1alpha3", "1.31"),), _openapi("1.31"),
            "the claim's spec is redesigned around device requests (spec.devices)")
    + _rows("resource.k8s.io/v1alpha2", ("ResourceClass",), None, "1.31", (), _openapi("1.31"),
            instead="DeviceClass (resource.k8s.io/v1)")
    + _rows("resource.k8s.io/v1alpha2", ("ResourceClassParameters", "ResourceClaimParameters"), None, "1.31", (),
            _openapi("1.31"), instead="DeviceClass and ResourceClaim device selectors and configuration")
    + _rows("resource.k8s.io/v1alpha2", ("PodSchedulingContext",), None, "1.31",
            _r("resource.k8s.io/v1alpha3", "1.31"), _openapi("1.31"),
            instead="ResourceClaims allocated by the scheduler (structured parameters)")
    + _rows("resource.k8s.io/v1alpha3", ("PodSchedulingContext",), None, "1.32", (), _openapi("1.32"),
            instead="ResourceClaims allocated by the scheduler (structured parameters)")
    + _rows("resource.k8s.io/v1alpha3", ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"),
            None, "1.34", _RESOURCE_V1, _openapi("1.34"))
    + _rows("storage.k8s.io/v1alpha1", ("VolumeAttributesClass",), None, "1.35",
            (_r("storage.k8s.io/v1", "1.34"), _r("storage.k8s.io/v1beta1", "1.31")), _openapi("1.35"))
    + _rows("certificates.k8s.io/v1alpha1", ("ClusterTrustBundle",), None, "1.37",
            (_r("certificates.k8s.io/v1", "1.37"), _r("certificates.k8s.io/v1beta1", "1.33")), _openapi("1.37"))
    + _rows("certificates.k8s.io/v1alpha1", ("PodCertificateRequest",), None, "1.35",
            (_r("certificates.k8s.io/v1", "1.37"), _r("certificates.k8s.io/v1beta1", "1.35")), _openapi("1.35"))
    + _rows("coordination.k8s.io/v1alpha1", ("LeaseCandidate",), None, "1.32",
            (_r("coordination.k8s.io/v1beta1", "1.33"), _r("coordination.k8s.io/v1alpha2", "1.32")),
            _openapi("1.32"))
    + _rows("storagemigration.k8s.io/v1alpha1", ("StorageVersionMigration",), None, "1.35",
            (_r("storagemigration.k8s.io/v1", "1.37"), _r("storagemigration.k8s.io/v1beta1", "1.35")),
            _openapi("1.35"))
    + _rows("scheduling.k8s.io/v1alpha1", ("Workload",), None, "1.36",
            (_r("scheduling.k8s.io/v1beta1", "1.37"), _r("scheduling.k8s.io/v1alpha2", "1.36")), _openapi("1.36"))
    + _rows("scheduling.k8s.io/v1alpha2", ("Workload", "PodGroup"), None, "1.37",
            _r("scheduling.k8s.io/v1beta1", "1.37"), _openapi("1.37"))
    # kubeadm configuration files (kubeadm.k8s.io): kubeadm, not the API server, reads them, and refuses
    # an API version it no longer knows. "available_in" is the kubeadm release that first reads the version.
    # v1beta1: deprecated in 1.17 (https://github.com/kubernetes/kubernetes/pull/83276), removed in 1.22
    + _rows("kubeadm.k8s.io/v1beta1", _KUBEADM_KINDS, "1.17", "1.22", _KUBEADM_FROM_V1BETA1,
            "https://github.com/kubernetes/kubernetes/pull/101129", _MIGRATE_V1BETA1)
    # v1beta2: deprecated in 1.24 (https://github.com/kubernetes/kubernetes/pull/107013), removed in 1.27
    + _rows("kubeadm.k8s.io/v1beta2", _KUBEADM_KINDS, "1.24", "1.27", _KUBEADM_FROM_V1BETA2,
            "https://github.com/kubernetes/kubernetes/pull/114540", _MIGRATE_V1BETA2)
    # v1beta3: deprecated in 1.31 with the arrival of v1beta4 (https://github.com/kubernetes/kubernetes/pull/125029),
    # removed in 1.36
    + _rows("kubeadm.k8s.io/v1beta3", _KUBEADM_KINDS, "1.31", "1.36", _KUBEADM_V1BETA4,
            "https://github.com/kubernetes/kubernetes/pull/136016", _MIGRATE_V1BETA3)
)


# the field table ----------------------------------------------------------------------------

_POD = frozenset({POD_TEMPLATE})
_POD_AND_PV = frozenset({POD_TEMPLATE, "PersistentVolume"})
_SECCOMP_EFFECT = ("the API server no longer copies it into securityContext.seccompProfile, so the "
                   "containers run without the profile it names")
_PLUGIN_GONE = "the in-tree plugin is gone, so the volume cannot be mounted and the pod does not start"


def _volume(source: str, deprecated_in: str | None, removed_in: str | None, replacement: str,
            source_url: str = POD_WARNINGS, kinds: frozenset[str] = _POD_AND_PV, effect: str = _PLUGIN_GONE,
            note: str = "") -> FieldRow:
    return FieldRow(f"volume-{source.lower()}", VOLUME, source, kinds, deprecated_in, removed_in, replacement,
                    source_url, effect, note=note)


def _node_label(key: str, deprecated_in: str, replacement: str) -> FieldRow:
    return FieldRow(f"node-label-{key}", NODE_LABEL, key, _POD_AND_PV, deprecated_in, None,
                    f"the node label {replacement}", NODE_LABELS,
                    note="nodes are not guaranteed to carry the old label")


FIELDS: tuple[FieldRow, ...] = (
    # Service
    FieldRow("service-topology-keys", FIELD, "spec.topologyKeys", frozenset({"Service"}), "1.21", "1.22",
             "topology-aware routing (spec.trafficDistribution or the service.kubernetes.io/topology-mode "
             "annotation) or spec.internalTrafficPolicy",
             "https://github.com/kubernetes/kubernetes/pull/102412",
             "the API server drops the unknown field, or rejects it under strict field validation"),
    FieldRow("service-load-balancer-ip", FIELD, "spec.loadBalancerIP", frozenset({"Service"}), "1.24", None,
             "the load balancer implementation's own annotation for a fixed address",
             "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/",
             note="its meaning varies between implementations and it cannot express dual-stack addresses"),
    FieldRow("service-tolerate-unready-endpoints", ANNOTATION, "service.alpha.kubernetes.io/tolerate-unready-endpoints",
             frozenset({"Service"}), "1.11", "1.24", "spec.publishNotReadyAddresses: true",
             "https://github.com/kubernetes/kubernetes/pull/108020",
             "it is ignored and pods that are not ready are no longer published",
             superseded_by="spec.publishNotReadyAddresses"),
    FieldRow("service-topology-aware-hints", ANNOTATION, "service.kubernetes.io/topology-aware-hints",
             frozenset({"Service"}), "1.27", None, "the service.kubernetes.io/topology-mode annotation",
             "https://github.com/kubernetes/kubernetes/pull/116522"),
    FieldRow("endpoints", KIND, "v1 Endpoints", frozenset({"Endpoints"}), "1.33", None,
             "discovery.k8s.io/v1 EndpointSlices labelled kubernetes.io/service-name",
             "https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/",
             note="the API server warns on every read and write; hand-written Endpoints are still mirrored into "
                  "EndpointSlices for now"),
    # Ingress
    FieldRow("ingress-class-annotation", ANNOTATION, "kubernetes.io/ingress.class", frozenset({"Ingress"}),
             "1.18", None, "spec.ingressClassName",
             "https://kubernetes.io/docs/concepts/services-networking/ingress/#deprecated-annotation",
             note="ingress controllers honour it only for backwards compatibility"),
    # pod templates: annotations
    FieldRow("critical-pod-annotation", ANNOTATION, "scheduler.alpha.kubernetes.io/critical-pod", _POD, None, "1.16",
             "spec.priorityClassName: system-cluster-critical (or system-node-critical)", POD_WARNINGS,
             "it is ignored and gives the pod no priority"),
    FieldRow("sysctls-annotation", ANNOTATION, "security.alpha.kubernetes.io/sysctls", _POD, None, "1.11",
             "spec.securityContext.sysctls", POD_WARNINGS, "it is ignored and the sysctls are not set"),
    FieldRow("unsafe-sysctls-annotation", ANNOTATION, "security.alpha.kubernetes.io/unsafe-sysctls", _POD, None,
             "1.11", "spec.securityContext.sysctls", POD_WARNINGS, "it is ignored and the sysctls are not set"),
    FieldRow("seccomp-pod-annotation", ANNOTATION, "seccomp.security.alpha.kubernetes.io/pod", _POD, "1.19", "1.27",
             "spec.securityContext.seccompProfile", POD_WARNINGS, _SECCOMP_EFFECT,
             superseded_by="securityContext.seccompProfile"),
    FieldRow("seccomp-container-annotation", ANNOTATION, "container.seccomp.security.alpha.kubernetes.io/*", _POD,
             "1.19", "1.27", "the container's securityContext.seccompProfile", POD_WARNINGS, _SECCOMP_EFFECT,
             superseded_by="securityContext.seccompProfile"),
    FieldRow("apparmor-container-annotation", ANNOTATION, "container.apparmor.security.beta.kubernetes.io/*", _POD,
             "1.30", None, "securityContext.appArmorProfile (of the pod or the container)", POD_WARNINGS,
             superseded_by="securityContext.appArmorProfile", superseded_at_pod_level=True),
    # pod templates: fields
    FieldRow("pod-service-account", FIELD, "serviceAccount", _POD, "1.0", None, "spec.serviceAccountName",
             "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/"),
    # volumes
    _volume("photonPersistentDisk", "1.11", "1.16", "a CSI driver"),
    _volume("gitRepo", "1.11", "1.36",
            "an emptyDir volume that an init container fills with git clone", kinds=_POD,
            source_url="https://github.com/kubernetes/enhancements/issues/5040",
            effect="the kubelet no longer supports gitRepo volumes, so the pod does not start",
            note="from 1.33 the kubelet disables the plugin unless the GitRepoVolumeDriver feature gate is on"),
    _volume("scaleIO", "1.16", "1.22", "the ScaleIO (PowerFlex) CSI driver"),
    _volume("flocker", "1.22", "1.25", "a CSI driver"),
    _volume("storageos", "1.22", "1.25", "the StorageOS CSI driver"),
    _volume("quobyte", "1.22", "1.25", "the Quobyte CSI driver"),
    _volume("glusterfs", "1.25", "1.26", "a CSI driver for GlusterFS"),
    _volume("cephfs", "1.28", "1.31", "the Ceph CSI driver (cephfs.csi.ceph.com)"),
    _volume("rbd", "1.28", "1.31", "the Ceph CSI driver (rbd.csi.ceph.com)"),
    # node labels
    _node_label("beta.kubernetes.io/arch", "1.14", "kubernetes.io/arch"),
    _node_label("beta.kubernetes.io/os", "1.14", "kubernetes.io/os"),
    _node_label("failure-domain.beta.kubernetes.io/region", "1.17", "topology.kubernetes.io/region"),
    _node_label("failure-domain.beta.kubernetes.io/zone", "1.17", "topology.kubernetes.io/zone"),
    _node_label("beta.kubernetes.io/instance-type", "1.17", "node.kubernetes.io/instance-type"),
    # storage
    FieldRow("storage-class-annotation", ANNOTATION, "volume.beta.kubernetes.io/storage-class",
             frozenset({"PersistentVolumeClaim", "PersistentVolume", CLAIM_TEMPLATE}), "1.8", None,
             "spec.storageClassName", PVC_WARNINGS),
    FieldRow("mount-options-annotation", ANNOTATION, "volume.beta.kubernetes.io/mount-options",
             frozenset({"PersistentVolume"}), "1.31", None, "spec.mountOptions", PV_WARNINGS),
)


# lookups ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _api_index() -> dict[tuple[str, str], APIRow]:
    return {(row.api_version, row.kind): row for row in API_VERSIONS}


def api_row(api_version: str, kind: str) -> APIRow | None:
    """The row for an apiVersion/kind, or None if it is current (or unknown)."""
    try:
        return _api_index().get((api_version, kind))
    except TypeError:  # unhashable input
        return None


def status(row: APIRow | FieldRow, target: tuple[int, ...]) -> Status | None:
    """The row's state at the target version, or None while it is neither deprecated nor removed."""
    target = tuple(target)
    removed_in = _version(row.removed_in)
    if removed_in is not None and target >= removed_in:
        state = REMOVED
    else:
        deprecated_in = _version(row.deprecated_in)
        if deprecated_in is None or target < deprecated_in:
            return None
        state = DEPRECATED
    replacement = replacement_at(row, target) if isinstance(row, APIRow) else None
    return Status(state, row, target, replacement)


def api_status(api_version: str, kind: str, target: tuple[int, ...]) -> Status | None:
    row = api_row(api_version, kind)
    return status(row, target) if row is not None else None


def is_served(api_version: str, kind: str, target: tuple[int, ...]) -> bool:
    """Whether the target version still serves an apiVersion/kind, as far as the table knows."""
    row = api_row(api_version, kind)
    removed_in = _version(row.removed_in) if row is not None else None
    return removed_in is None or tuple(target) < removed_in


def replacement_at(row: APIRow, target: tuple[int, ...]) -> Replacement | None:
    """The preferred replacement that the target version serves, or None."""
    target = tuple(target)
    for candidate in row.replacements:
        available_in = _version(candidate.available_in)
        if available_in is not None and target < available_in:
            continue
        if is_served(candidate.api_version, row.kind, target):
            return candidate
    return None


@lru_cache(maxsize=None)
def field_rows(where: str, kind: str) -> tuple[FieldRow, ...]:
    """The rows found in a given place of objects of a kind (or a pseudo-kind)."""
    return tuple(row for row in FIELDS if row.where == where and kind in row.kinds)


def annotation_row(kind: str, key: str) -> FieldRow | None:
    """The row for an annotation key on an object of a kind (or POD_TEMPLATE, CLAIM_TEMPLATE)."""
    if not isinstance(key, str):
        return None
    for row in field_rows(ANNOTATION, kind):
        if row.matches(key):
            return row
    return None


@lru_cache(maxsize=1)
def _by_key() -> dict[tuple[str, str], FieldRow]:
    return {(row.where, row.key): row for row in FIELDS if row.where in (VOLUME, NODE_LABEL)}


def volume_row(source: str) -> FieldRow | None:
    """The row for a volume source field (``gitRepo``, ``rbd``, ...)."""
    return _by_key().get((VOLUME, source)) if isinstance(source, str) else None


def node_label_row(key: str) -> FieldRow | None:
    """The row for a deprecated node label."""
    return _by_key().get((NODE_LABEL, key)) if isinstance(key, str) else None


def kind_row(api_version: str, kind: str) -> FieldRow | None:
    """The row for a whole kind that is deprecated (``v1 Endpoints``)."""
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    for row in field_rows(KIND, kind):
        if row.key == f"{api_version} {kind}":
            return row
    return None


def kinds_with_fields() -> frozenset[str]:
    """Every real kind some field row applies to."""
    return frozenset(k for row in FIELDS for k in row.kinds if not k.startswith("<"))
