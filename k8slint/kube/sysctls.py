"""Pod sysctls as the kubelet classifies them.

- *safe*: namespaced and isolated; always allowed (the set grows with
  Kubernetes versions, see :data:`SAFE_SINCE`);
- *unsafe*: namespaced (IPC: ``kernel.shm*``, ``kernel.msg*``,
  ``kernel.sem``, ``fs.mqueue.*``; network: ``net.*``) but not isolated; the
  kubelet rejects the pod unless ``--allowed-unsafe-sysctls`` allows it;
- *node-level*: not namespaced at all (``vm.*``, ``fs.*`` other than
  ``fs.mqueue.*``, most ``kernel.*``): no pod may set them.

A namespaced sysctl also cannot be set when the pod shares that namespace
with the node (``hostNetwork`` for ``net.*``, ``hostIPC`` for IPC ones).
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import PodTemplate

# sysctl -> the Kubernetes version that made it safe: the kubelet's list (pkg/kubelet/sysctl/safe_sysctls.go)
# and Pod Security admission's Baseline "Sysctls" control (k8s.io/pod-security-admission
# policy/check_sysctls.go) grow together; https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
SAFE_SINCE = {
    "kernel.shm_rmid_forced": (1, 0),
    "net.ipv4.ip_local_port_range": (1, 0),
    "net.ipv4.tcp_syncookies": (1, 0),
    "net.ipv4.ping_group_range": (1, 18),
    "net.ipv4.ip_unprivileged_port_start": (1, 22),
    "net.ipv4.ip_local_reserved_ports": (1, 27),
    "net.ipv4.tcp_keepalive_time": (1, 29),
    "net.ipv4.tcp_fin_timeout": (1, 29),
    "net.ipv4.tcp_keepalive_intvl": (1, 29),
    "net.ipv4.tcp_keepalive_probes": (1, 29),
    "net.ipv4.tcp_rmem": (1, 32),
    "net.ipv4.tcp_wmem": (1, 32),
    # kubernetes/kubernetes#138389 (merged 2026-04-15), documented by kubernetes/website#56276
    "net.ipv4.tcp_slow_start_after_idle": (1, 37),
    "net.ipv4.tcp_notsent_lowat": (1, 37),
}

# safe sysctl -> the Linux version that namespaced it: the kubelet drops a safe sysctl from its
# allowlist on an older kernel ("kernel version is too small", pkg/kubelet/sysctl/safe_sysctls.go),
# so a pod that sets it is rejected there. Versions: pkg/util/kernel/constants.go, and
# https://kubernetes.io/docs/reference/node/kernel-version-requirements/
KERNEL_SINCE = {
    "net.ipv4.ip_local_reserved_ports": (3, 16),  # torvalds/linux@122ff243f5f1
    "net.ipv4.tcp_keepalive_time": (4, 5),  # torvalds/linux@13b287e8d1ca
    "net.ipv4.tcp_keepalive_intvl": (4, 5),  # torvalds/linux@b840d15d3912
    "net.ipv4.tcp_keepalive_probes": (4, 5),  # torvalds/linux@9bd6861bd432
    "net.ipv4.tcp_fin_timeout": (4, 6),  # torvalds/linux@1e579caa18b9
    "net.ipv4.tcp_rmem": (4, 15),  # torvalds/linux@356d1833b638
    "net.ipv4.tcp_wmem": (4, 15),  # torvalds/linux@356d1833b638
    "net.ipv4.tcp_slow_start_after_idle": (4, 15),  # kubernetes/website#56276
    "net.ipv4.tcp_notsent_lowat": (4, 6),  # kubernetes/website#56276
}

IPC, NET = "IPC", "network"

# k8s.io/component-helpers/node/util/sysctl: NamespacedBy
_IPC_NAMES = frozenset({"kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
                        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni"})
_IPC_PREFIXES = ("kernel.shm", "kernel.msg", "fs.mqueue.")


def normalize(name: str) -> str:
    """``net/ipv4/conf/eth0.100/rp_filter`` -> ``net.ipv4.conf.eth0/100.rp_filter``."""
    for ch in name:
        if ch == ".":
            return name
        if ch == "/":
            return name.translate(str.maketrans("./", "/."))
    return name


def namespace_of(name: str) -> str | None:
    """The Linux namespace a sysctl belongs to (``IPC``, ``network``), or None if node-level."""
    name = normalize(name)
    if name in _IPC_NAMES or name.startswith(_IPC_PREFIXES):
        return IPC
    if name.startswith("net."):
        return NET
    return None


# a sysctl name or pattern as the kubelet accepts it in --allowed-unsafe-sysctls
# (IsValidSysctlPattern: SysctlSegmentFmt segments joined by "." or "/", the last may end in "*";
# pkg/apis/policy/validation/validation.go, apivalidation.SysctlMaxLength = 253)
_PATTERN = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*([a-z0-9][-_a-z0-9]*)?[a-z0-9*]")
MAX_LENGTH = 253


def is_valid_pattern(text: str) -> bool:
    return len(text) <= MAX_LENGTH and _PATTERN.fullmatch(text) is not None


def is_safe(name: str, version: tuple[int, ...]) -> bool:
    since = SAFE_SINCE.get(normalize(name))
    return since is not None and tuple(version) >= since


def parse_kernel(text: str) -> tuple[int, ...] | None:
    """``"5.15.0-91-generic"`` -> ``(5, 15, 0)``; None for text that is no kernel version."""
    parts = []
    for piece in text.strip().split("."):
        digits = "".join(itertools.takewhile(str.isdigit, piece))
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) < len(piece):
            break
    return tuple(parts) if len(parts) >= 2 else None


def kernel_too_old(name: str, kernel: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """The kernel version a safe sysctl needs, when the nodes' ``kernel`` is older than that."""
    needed = KERNEL_SINCE.get(normalize(name))
    return needed if needed is not None and kernel is not None and kernel < needed else None


def safe_set(version: tuple[int, ...]) -> list[str]:
    return sorted(n for n, since in SAFE_SINCE.items() if tuple(version) >= since)


def allowed_by(name: str, patterns: Iterable[str]) -> bool:
    """Whether kubelet ``--allowed-unsafe-sysctls`` patterns allow ``name``
    (a trailing ``*`` matches a prefix, as in ``kernel.msg*``)."""
    name = normalize(name)
    return any(fnmatch.fnmatchcase(name, normalize(p)) for p in patterns)


def pod_sysctls(pod: PodTemplate) -> Iterator[tuple[int, str]]:
    """(index, name) of each sysctl in a pod template's security context."""
    for i, entry in enumerate(pod.security_context.get("sysctls") or []):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]:
            yield i, entry["name"]
