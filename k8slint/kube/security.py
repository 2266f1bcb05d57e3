"""Security settings of pods and containers, as the kubelet resolves them.

A container's ``securityContext`` and its pod's ``spec.securityContext``
overlap in a few fields. For each of those, the kubelet uses the container's
value when the container sets it, and the pod's otherwise
(``DetermineEffectiveSecurityContext`` in ``pkg/securitycontext``):

- ``runAsUser``, ``runAsGroup``, ``runAsNonRoot``, ``seccompProfile``,
  ``appArmorProfile``, ``seLinuxOptions`` (replaced as a whole): the
  container's value wins;
- ``windowsOptions``: merged field by field (``hostProcess``,
  ``runAsUserName``, and the two GMSA fields together);
- ``privileged``, ``capabilities``, ``allowPrivilegeEscalation``,
  ``procMount``, ``readOnlyRootFilesystem``: container only;
- ``fsGroup``, ``supplementalGroups``, ``sysctls``: pod only.

A field written as ``null`` counts as unset, as it does for the API server.
Every function takes the model's views (:class:`k8slint.model.PodTemplate`
and :class:`k8slint.model.Container`) and never raises on odd input: a
security context of the wrong type reads as empty.

This module also holds the facts the Pod Security Standards checks share:
the Windows and user-namespace exemptions, and how to name a container in a
message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import mapping
from ..paths import YPath

if TYPE_CHECKING:
    from ..model import Container, PodTemplate

#: fields of the container securityContext that fall back to the pod's
INHERITED = frozenset({"runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile", "appArmorProfile",
                       "seLinuxOptions"})
#: windowsOptions sub-fields, merged one by one (the two GMSA fields go together)
WINDOWS_OPTION_GROUPS = (("gmsaCredentialSpecName", "gmsaCredentialSpec"), ("runAsUserName",), ("hostProcess",))

CONTAINER = "container"
POD = "pod"
UNSET = "unset"

@dataclass(frozen=True)
class Resolved:
    """The value a container runs with for one field, and where it comes from.

    ``source`` is ``"container"``, ``"pod"`` or ``"unset"``; ``path`` is the
    field that supplies the value, or, when it is unset at both levels, the
    container-level field that would set it.
    """

    value: object
    path: YPath
    source: str

    @property
    def is_set(self) -> bool:
        return self.source != UNSET


def container_context_path(container: Container) -> YPath:
    return container.path / "securityContext"


def pod_context_path(pod: PodTemplate) -> YPath:
    return pod.spec_path / "securityContext"


def pod_value(pod: PodTemplate, field: str) -> Any:
    """The pod-level ``spec.securityContext.<field>``, None if unset."""
    return pod.security_context.get(field)


def container_value(container: Container, field: str) -> Any:
    """The container-level ``securityContext.<field>``, None if unset."""
    return container.security_context.get(field)


def resolve(pod: PodTemplate, container: Container, field: str) -> Resolved:
    """The effective value of one securityContext field for a container.

    For the fields in :data:`INHERITED` the container's value wins, else the
    pod's applies; the other fields come from the container alone.
    """
    value = container_value(container, field)
    if value is not None:
        return Resolved(value, container_context_path(container) / field, CONTAINER)
    if field in INHERITED:
        value = pod_value(pod, field)
        if value is not None:
            return Resolved(value, pod_context_path(pod) / field, POD)
    return Resolved(None, container_context_path(container) / field, UNSET)


def resolve_windows_option(pod: PodTemplate, container: Container, field: str) -> Resolved:
    """The effective ``windowsOptions.<field>`` for a container (merged field by field)."""
    group = next((g for g in WINDOWS_OPTION_GROUPS if field in g), (field,))
    own = mapping(container_value(container, "windowsOptions"))
    if any(own.get(f) is not None for f in group):
        return Resolved(own.get(field), container_context_path(container) / "windowsOptions" / field, CONTAINER)
    pods = mapping(pod_value(pod, "windowsOptions"))
    if pods.get(field) is not None:
        return Resolved(pods[field], pod_context_path(pod) / "windowsOptions" / field, POD)
    return Resolved(None, container_context_path(container) / "windowsOptions" / field, UNSET)


def effective_context(pod: PodTemplate, container: Container) -> dict[str, Any]:
    """The synthesized security context the kubelet applies to a container.

    Keys are the container securityContext field names; unset fields are
    left out.
    """
    out: dict[str, Any] = {}
    for field in INHERITED:
        r = resolve(pod, container, field)
        if r.is_set:
            out[field] = r.value
    windows: dict[str, object] = {}
    for group in WINDOWS_OPTION_GROUPS:
        for field in group:
            r = resolve_windows_option(pod, container, field)
            if r.value is not None:
                windows[field] = r.value
    if windows:
        out["windowsOptions"] = windows
    for field, value in container.security_context.items():
        if field not in out and field != "windowsOptions" and field not in INHERITED and value is not None:
            out[field] = value
    return out


def runs_as_non_root(pod: PodTemplate, container: Container) -> bool | None:
    """True or False when ``runAsNonRoot`` is set (container first, then pod), None when unset."""
    value = resolve(pod, container, "runAsNonRoot").value
    return value if isinstance(value, bool) else None


def run_as_user(pod: PodTemplate, container: Container) -> int | None:
    """The effective ``runAsUser`` (container first, then pod), None when unset or not an integer."""
    value = resolve(pod, container, "runAsUser").value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def profile_type(profile: object) -> str | None:
    """``type`` of a seccompProfile or appArmorProfile mapping, None if it has no string type."""
    value = mapping(profile).get("type")
    return value if isinstance(value, str) and value else None


# Pod Security Standards facts ---------------------------------------------------

def is_windows(pod: PodTemplate) -> bool:
    """``spec.os.name: windows``: the Restricted level exempts such pods from
    its Linux-only controls (privilege escalation, seccomp, capabilities)."""
    return mapping(pod.spec.get("os")).get("name") == "windows"


def in_user_namespace(pod: PodTemplate) -> bool:
    """``spec.hostUsers: false``: the pod runs in its own user namespace."""
    return pod.spec.get("hostUsers") is False


#: the first Kubernetes version whose Pod Security admission relaxes
#: runAsNonRoot, runAsUser and (Baseline only) procMount for user-namespace pods
USER_NAMESPACE_RELAXATION = (1, 35)


def user_namespace_relaxed(pod: PodTemplate, kube_version: tuple[int, ...]) -> bool:
    """Whether admission relaxes the user-namespace controls for this pod on this version."""
    return in_user_namespace(pod) and tuple(kube_version) >= USER_NAMESPACE_RELAXATION

