"""Command-line flags that the Kubernetes components no longer have, as data.

A component started with a flag it does not know stops at once
(``Error: unknown flag: --address``; the kubelet: ``failed to parse kubelet
flag: unknown flag: --network-plugin``), so a kubeadm configuration that
passes such a flag through ``extraArgs`` or ``kubeletExtraArgs`` leaves the
control plane or the node down after an upgrade.

Every row was checked against its upstream source: the pull request that
removed the flag (its release note, as published in the CHANGELOG of that
release), or, where the removal came with a larger clean-up, the upstream
report of the component refusing the flag in that release. Flags whose
removal release could not be established are left out: this table is
precise rather than complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .versions import parse

APISERVER = "kube-apiserver"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
KUBELET = "kubelet"
ETCD = "etcd"
COMPONENTS = (APISERVER, CONTROLLER_MANAGER, SCHEDULER, KUBELET, ETCD)


def _pr(number: int) -> str:
    return f"https://github.com/kubernetes/kubernetes/pull/{number}"


@dataclass(frozen=True)
class RemovedFlag:
    """A flag a component no longer accepts from ``removed_in`` on."""

    component: str
    flag: str  # without the leading dashes
    removed_in: str
    instead: str  # what to do instead, in words
    source: str

    @property
    def removed_version(self) -> tuple[int, int]:
        return parse(self.removed_in)


def _flags(component: str, flags: tuple[str, ...], removed_in: str, instead: str, source: str) -> list[RemovedFlag]:
    return [RemovedFlag(component, flag, removed_in, instead, source) for flag in flags]


_DOCKERSHIM = ("nothing: the kubelet no longer runs Docker Engine itself (dockershim was removed); the container "
               "runtime (containerd, CRI-O, or cri-dockerd for Docker Engine) manages images and CNI networking")
_INSECURE = "--bind-address and --secure-port (the insecure port no longer serves anything)"

REMOVED_FLAGS: tuple[RemovedFlag, ...] = tuple(
    # kube-apiserver
    _flags(APISERVER, ("basic-auth-file",), "1.19",
           "--token-auth-file, or client certificates, OIDC or webhook token authentication", _pr(89069))
    + _flags(APISERVER, ("kubelet-https",), "1.22",
             "nothing: the API server always connects to kubelets over HTTPS", _pr(101178))
    + _flags(APISERVER, ("address", "insecure-bind-address", "port", "insecure-port"), "1.24",
             "--bind-address and --secure-port (the insecure port has served nothing since 1.20)", _pr(106859))
    + _flags(APISERVER, ("target-ram-mb",), "1.24", "nothing: the flag has had no effect since 1.19", _pr(108457))
    # kube-controller-manager: insecure serving removed in 1.24
    + _flags(CONTROLLER_MANAGER, ("address", "port"), "1.24", _INSECURE, _pr(106860))
    # kube-scheduler
    + _flags(SCHEDULER, ("hard-pod-affinity-symmetric-weight", "scheduler-name"), "1.22",
             "a KubeSchedulerConfiguration file (--config): profiles[].schedulerName and the InterPodAffinity "
             "plugin's hardPodAffinityWeight", _pr(102805))
    + _flags(SCHEDULER, ("policy-config-file", "policy-configmap", "policy-configmap-namespace",
                         "use-legacy-policy-config"), "1.23",
             "a KubeSchedulerConfiguration file (--config) with scheduling profiles and plugins", _pr(105424))
    # deprecated by https://github.com/kubernetes/kubernetes/pull/96345 ("would be removed in v1.24"); kube-scheduler
    # 1.24 stops with "unknown flag: --address" (https://github.com/kubernetes/kubeadm/issues/2716)
    + _flags(SCHEDULER, ("address", "port"), "1.24", _INSECURE, "https://github.com/kubernetes/kubeadm/issues/2716")
    # kubelet
    + _flags(KUBELET, ("experimental-dockershim-root-directory", "docker-endpoint", "image-pull-progress-deadline",
                       "network-plugin", "cni-conf-dir", "cni-bin-dir", "cni-cache-dir", "network-plugin-mtu"),
             "1.24", _DOCKERSHIM, _pr(106907))
    + _flags(KUBELET, ("container-runtime",), "1.27",
             "nothing: every runtime is a remote CRI runtime; keep --container-runtime-endpoint", _pr(114017))
    + _flags(KUBELET, ("keep-terminated-pod-volumes",), "1.30",
             "nothing: the kubelet unmounts the volumes of terminated pods", _pr(122082))
    + _flags(KUBELET, ("pod-infra-container-image",), "1.35",
             "the container runtime's own sandbox (pause) image setting, e.g. containerd's sandbox_image",
             _pr(133779))
)


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], RemovedFlag]:
    return {(row.component, row.flag): row for row in REMOVED_FLAGS}


def removed_flag(component: str, flag: str, target: tuple[int, ...]) -> RemovedFlag | None:
    """The row of a flag that the component of the target version no longer accepts, else None."""
    if not isinstance(flag, str):
        return None
    row = _index().get((component, flag.lstrip("-")))
    if row is None or tuple(target) < row.removed_version:
        return None
    return row
