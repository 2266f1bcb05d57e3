"""Helpers shared by the rules about component configuration files."""

from k8slint.kube import versions

#: the type names (as rules see them) of the configuration kinds these rules read
KUBEADM_ARGS_KINDS = frozenset({"ClusterConfiguration.kubeadm.k8s.io", "InitConfiguration.kubeadm.k8s.io",
                                "JoinConfiguration.kubeadm.k8s.io"})
GATE_KINDS = KUBEADM_ARGS_KINDS | {"KubeletConfiguration.kubelet.config.k8s.io",
                                   "KubeProxyConfiguration.kubeproxy.config.k8s.io"}


def label(version) -> str:
    return f"{version[0]}.{version[1]}"


def pinned(config, ctx, still_fine) -> str:
    """A note when a kubeadm ClusterConfiguration pins a kubernetesVersion older than the target
    at which the problem is still absent (``still_fine(version)``): the file works today and
    breaks on the upgrade to the target version."""
    written = config.kubernetes_version
    if not written:
        return ""
    try:
        version = versions.parse(written)
    except ValueError:
        return ""
    if version >= tuple(ctx.kube_version):
        return ""
    if still_fine(version):
        return (f" (this file pins kubernetesVersion {written}, which still accepts it: the upgrade to "
                f"{label(ctx.kube_version)} is what breaks)")
    return f" (this file pins kubernetesVersion {written}; the target {label(ctx.kube_version)} decides)"


def where(setting) -> str:
    """Where a feature gate setting is: a component's --feature-gates flag or a featureGates field."""
    if setting.flag_value is not None:
        return f"the --feature-gates flag of {setting.component} ('{setting.flag_value}')"
    return "featureGates"
