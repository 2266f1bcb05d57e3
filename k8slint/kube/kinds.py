"""Facts about the built-in Kubernetes kinds: API groups, scope, pod templates."""

from __future__ import annotations

# kind -> API groups that serve it ("" is the core group), current and removed
BUILTIN_GROUPS: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "Pod": [""], "PodTemplate": [""], "ReplicationController": [""], "Service": [""],
    "ServiceAccount": [""], "ConfigMap": [""], "Secret": [""], "Namespace": [""], "Node": [""],
    "PersistentVolume": [""], "PersistentVolumeClaim": [""], "Endpoints": [""], "Event": ["", "events.k8s.io"],
    "LimitRange": [""], "ResourceQuota": [""], "Binding": [""], "ComponentStatus": [""],
    "Deployment": ["apps", "extensions"], "ReplicaSet": ["apps", "extensions"],
    "DaemonSet": ["apps", "extensions"], "StatefulSet": ["apps"], "ControllerRevision": ["apps"],
    "Job": ["batch"], "CronJob": ["batch"],
    "Ingress": ["networking.k8s.io", "extensions"], "IngressClass": ["networking.k8s.io"],
    "NetworkPolicy": ["networking.k8s.io", "extensions"],
    "IPAddress": ["networking.k8s.io"], "ServiceCIDR": ["networking.k8s.io"],
    "EndpointSlice": ["discovery.k8s.io"],
    "HorizontalPodAutoscaler": ["autoscaling"],
    "PodDisruptionBudget": ["policy"], "PodSecurityPolicy": ["policy", "extensions"],
    "Role": ["rbac.authorization.k8s.io"], "ClusterRole": ["rbac.authorization.k8s.io"],
    "RoleBinding": ["rbac.authorization.k8s.io"], "ClusterRoleBinding": ["rbac.authorization.k8s.io"],
    "StorageClass": ["storage.k8s.io"], "VolumeAttachment": ["storage.k8s.io"],
    "CSIDriver": ["storage.k8s.io"], "CSINode": ["storage.k8s.io"],
    "CSIStorageCapacity": ["storage.k8s.io"], "VolumeAttributesClass": ["storage.k8s.io"],
    "PriorityClass": ["scheduling.k8s.io"], "RuntimeClass": ["node.k8s.io"],
    "Lease": ["coordination.k8s.io"],
    "CustomResourceDefinition": ["apiextensions.k8s.io"],
    "APIService": ["apiregistration.k8s.io"],
    "MutatingWebhookConfiguration": ["admissionregistration.k8s.io"],
    "ValidatingWebhookConfiguration": ["admissionregistration.k8s.io"],
    "ValidatingAdmissionPolicy": ["admissionregistration.k8s.io"],
    "ValidatingAdmissionPolicyBinding": ["admissionregistration.k8s.io"],
    "MutatingAdmissionPolicy": ["admissionregistration.k8s.io"],
    "MutatingAdmissionPolicyBinding": ["admissionregistration.k8s.io"],
    "CertificateSigningRequest": ["certificates.k8s.io"],
    "ClusterTrustBundle": ["certificates.k8s.io"],
    "FlowSchema": ["flowcontrol.apiserver.k8s.io"],
    "PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io"],
    "TokenReview": ["authentication.k8s.io"], "SubjectAccessReview": ["authorization.k8s.io"],
    "ResourceClaim": ["resource.k8s.io"], "ResourceClaimTemplate": ["resource.k8s.io"],
    "DeviceClass": ["resource.k8s.io"], "ResourceSlice": ["resource.k8s.io"],
}.items()}

CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "ComponentStatus", "ClusterRole", "ClusterRoleBinding",
    "StorageClass", "VolumeAttachment", "CSIDriver", "CSINode", "VolumeAttributesClass",
    "PriorityClass", "RuntimeClass", "CustomResourceDefinition", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
    "CertificateSigningRequest", "ClusterTrustBundle", "FlowSchema", "PriorityLevelConfiguration",
    "IngressClass", "PodSecurityPolicy", "IPAddress", "ServiceCIDR", "DeviceClass", "ResourceSlice",
    "TokenReview", "SubjectAccessReview",
})

# kind -> YAML path of its pod template (the mapping holding `metadata` and `spec`)
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "PodTemplate": ("template",),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}

# API group -> kinds of the configuration files that cluster components read from disk (kubeadm,
# the kubelet, kube-proxy). The API server serves none of them: they have no metadata.name or
# namespace, and rules meant for API objects leave them alone.
CONFIG_KINDS: dict[str, frozenset[str]] = {
    "kubeadm.k8s.io": frozenset({"InitConfiguration", "ClusterConfiguration", "JoinConfiguration",
                                 "ResetConfiguration", "UpgradeConfiguration"}),
    "kubelet.config.k8s.io": frozenset({"KubeletConfiguration", "CredentialProviderConfig"}),
    "kubeproxy.config.k8s.io": frozenset({"KubeProxyConfiguration"}),
}
KUBEADM = "kubeadm.k8s.io"
KUBELET_CONFIG = "kubelet.config.k8s.io"
KUBE_PROXY_CONFIG = "kubeproxy.config.k8s.io"

#: every kind that carries a pod template
WORKLOADS = frozenset(POD_TEMPLATE_PATHS)
#: kinds whose pods run to completion
BATCH = frozenset({"Job", "CronJob"})
#: kinds whose pods are meant to keep running (a bare Pod depends on its restartPolicy)
LONG_RUNNING = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"})


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> ("apps", "v1"); ``v1`` -> ("", "v1")."""
    group, _, version = api_version.rpartition("/")
    return group, version


def is_builtin(kind: str, group: str) -> bool:
    groups = BUILTIN_GROUPS.get(kind)
    return groups is not None and group in groups


def is_config_kind(kind: str, group: str) -> bool:
    """A configuration file kind of kubeadm, the kubelet or kube-proxy (any version of its group)."""
    kinds = CONFIG_KINDS.get(group)
    return kinds is not None and kind in kinds
