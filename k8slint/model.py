"""Typed views over raw objects.

Every view wraps the raw value and knows its own YAML path inside the object,
so a rule reports ``container.path / "readinessProbe"`` and never walks a pod
spec itself. Views are forgiving: a field of the wrong type reads as absent
(schema validation reports it), so a rule never crashes on odd input.

Every pod-bearing kind (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob) exposes one
:class:`PodTemplate` as ``obj.pod``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from .kube.kinds import (BATCH, BUILTIN_GROUPS, CLUSTER_SCOPED, KUBE_PROXY_CONFIG, KUBEADM, KUBELET_CONFIG,
                         LONG_RUNNING, POD_TEMPLATE_PATHS, WORKLOADS, is_builtin, is_config_kind, split_api_version)
from .paths import ROOT, YPath
from .units import Unit, unit_of

if TYPE_CHECKING:
    from .load import Document, Problem

__all__ = ["K8sObject", "PodTemplate", "Container", "VolumeMount", "Volume", "ComponentConfig", "ComponentArg",
           "FeatureGateSetting", "WORKLOADS", "BATCH", "LONG_RUNNING", "mapping", "sequence"]

_ROLE_NAMES = {"container": "container", "initContainer": "init container",
               "ephemeralContainer": "ephemeral container"}

#: volume sources whose files the kubelet keeps in sync with the API object
LIVE_PROJECTED = frozenset({"configMap", "secret", "projected", "downwardAPI"})


def mapping(value: object) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (a field of the wrong type reads as absent)."""
    return value if isinstance(value, dict) else {}


def sequence(value: object) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


class _WithMetadata:
    """``metadata``, ``labels`` and ``annotations`` of a mapping in ``self.raw``."""

    __slots__ = ()
    raw: dict[str, Any]

    @property
    def metadata(self) -> dict[str, Any]:
        return mapping(self.raw.get("metadata"))

    @property
    def labels(self) -> dict[str, Any]:
        return mapping(self.metadata.get("labels"))

    @property
    def annotations(self) -> dict[str, Any]:
        return mapping(self.metadata.get("annotations"))


class K8sObject(_WithMetadata):
    """One Kubernetes object from a document (or from a List's ``items``)."""

    __slots__ = ("raw", "document", "base", "api_version", "group", "kind", "name", "namespace",
                 "namespace_explicit", "builtin", "config_kind", "__dict__")

    def __init__(self, raw: dict[str, Any], document: Document, base: tuple[str | int, ...] = (),
                 default_namespace: str = "default") -> None:
        self.raw = raw
        self.document = document
        self.base = base  # path of this object inside its document, () or ("items", i)
        api_version = raw.get("apiVersion")
        self.api_version = api_version if isinstance(api_version, str) else str(api_version)
        kind = raw.get("kind")
        self.kind = kind if isinstance(kind, str) else str(kind)
        self.group, _ = split_api_version(self.api_version)
        self.builtin = is_builtin(self.kind, self.group)
        # a configuration file of kubeadm, the kubelet or kube-proxy: no API object, lands in no namespace
        self.config_kind = not self.builtin and is_config_kind(self.kind, self.group)
        meta = self.metadata
        name = meta.get("name")
        if not isinstance(name, str) or not name:
            generate = meta.get("generateName")
            name = f"{generate}*" if isinstance(generate, str) and generate else ""
        self.name = name
        namespace = meta.get("namespace")
        # whether the object itself says where it lands (cluster-scoped objects land nowhere else)
        self.namespace_explicit = True
        if (self.builtin and self.kind in CLUSTER_SCOPED) or self.config_kind:
            self.namespace = None
        elif isinstance(namespace, str) and namespace:
            self.namespace = namespace
        else:
            self.namespace = default_namespace
            self.namespace_explicit = False

    # identity -------------------------------------------------------------
    @property
    def key(self) -> tuple[str, str | None, str]:
        """Graph key: (kind, namespace, name)."""
        return (self.kind, self.namespace, self.name)

    @cached_property
    def unit(self) -> Unit:
        """The :class:`k8slint.units.Unit` this object would be applied with."""
        return unit_of(self.document)

    @property
    def type_name(self) -> str:
        """The name rules use in ``applies_to``: the kind for built-in kinds,
        ``Kind.group`` for custom resources."""
        return self.kind if self.builtin else f"{self.kind}.{self.group}" if self.group else self.kind

    def __repr__(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"<{self.kind} {ns}{self.name}>"

    @property
    def spec(self) -> dict[str, Any]:
        return mapping(self.raw.get("spec"))

    def get(self, *path: str | int, default: Any = None) -> Any:
        """The value at ``path`` (keys and indices), or ``default``."""
        value: Any = self.raw
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or not -len(value) <= part < len(value):
                    return default
            elif not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value

    @property
    def owner_kinds(self) -> set[str]:
        owners = sequence(self.metadata.get("ownerReferences"))
        return {o["kind"] for o in owners if isinstance(o, dict) and isinstance(o.get("kind"), str)}

    # workloads ------------------------------------------------------------
    @cached_property
    def pod(self) -> PodTemplate | None:
        """The pod template of a workload (a Pod is its own template)."""
        if not self.builtin or self.kind not in WORKLOADS:
            return None
        path = POD_TEMPLATE_PATHS[self.kind]
        template = self.get(*path) if path else self.raw
        if not isinstance(template, dict):
            return None
        return PodTemplate(self, template, YPath(path))

    @property
    def is_batch(self) -> bool:
        """Pods that run to completion: Jobs, CronJobs, and Pods owned by a Job
        or whose restartPolicy is not Always."""
        if self.kind in BATCH:
            return True
        if self.kind == "Pod":
            if "Job" in self.owner_kinds:
                return True
            pod = self.pod
            return pod is not None and pod.restart_policy in ("Never", "OnFailure")
        return False

    @property
    def is_long_running(self) -> bool:
        return self.builtin and (self.kind in LONG_RUNNING or (self.kind == "Pod" and not self.is_batch))

    # component configuration files --------------------------------------------
    @cached_property
    def component_config(self) -> ComponentConfig | None:
        """The typed view of a kubeadm, kubelet or kube-proxy configuration file."""
        return ComponentConfig(self) if self.config_kind else None


class PodTemplate(_WithMetadata):
    """A pod template (``metadata`` + ``spec``) and where it sits in its object."""

    def __init__(self, obj: K8sObject, raw: dict[str, Any], path: YPath) -> None:
        self.obj = obj
        self.raw = raw
        self.path = path  # path of the template mapping; the pod spec is at path / "spec"
        self.spec_path = path / "spec"
        self.spec = mapping(raw.get("spec"))

    @property
    def restart_policy(self) -> Any:
        return self.spec.get("restartPolicy")

    @property
    def service_account_name(self) -> str:
        """The ServiceAccount the pods run as (``default`` when unset)."""
        for field in ("serviceAccountName", "serviceAccount"):
            name = self.spec.get(field)
            if isinstance(name, str) and name:
                return name
        return "default"

    @property
    def security_context(self) -> dict[str, Any]:
        return mapping(self.spec.get("securityContext"))

    def _containers(self, field: str, role: str) -> list[Container]:
        base = self.spec_path / field
        return [Container(self, c, base / i, role)
                for i, c in enumerate(sequence(self.spec.get(field))) if isinstance(c, dict)]

    @cached_property
    def containers(self) -> list[Container]:
        """The app containers (``spec.containers``)."""
        return self._containers("containers", "container")

    @cached_property
    def init_containers(self) -> list[Container]:
        return self._containers("initContainers", "initContainer")

    @cached_property
    def ephemeral_containers(self) -> list[Container]:
        return self._containers("ephemeralContainers", "ephemeralContainer")

    @property
    def all_containers(self) -> list[Container]:
        return self.init_containers + self.containers + self.ephemeral_containers

    @cached_property
    def volumes(self) -> list[Volume]:
        base = self.spec_path / "volumes"
        return [Volume(v, base / i) for i, v in enumerate(sequence(self.spec.get("volumes")))
                if isinstance(v, dict)]

    def volume(self, name: str) -> Volume | None:
        for v in self.volumes:
            if v.name == name:
                return v
        return None


class Container:
    """A container, init container or ephemeral container of a pod template."""

    def __init__(self, pod: PodTemplate, raw: dict[str, Any], path: YPath, role: str) -> None:
        self.pod = pod
        self.raw = raw
        self.path = path
        self.role = role  # "container" | "initContainer" | "ephemeralContainer"

    @property
    def name(self) -> str:
        name = self.raw.get("name")
        return name if isinstance(name, str) else f"#{self.path[-1]}"

    def describe(self) -> str:
        """``container 'app'``, ``init container 'setup'``, ``ephemeral container 'debug'``."""
        return f"{_ROLE_NAMES.get(self.role, 'container')} {self.name!r}"

    @property
    def is_sidecar(self) -> bool:
        """A native sidecar: an init container with ``restartPolicy: Always``."""
        return self.role == "initContainer" and self.raw.get("restartPolicy") == "Always"

    @property
    def runs_alongside_app(self) -> bool:
        """App containers and native sidecars: they run for the pod's lifetime."""
        return self.role == "container" or self.is_sidecar

    def probe(self, kind: str) -> dict[str, Any] | None:
        """``liveness``, ``readiness`` or ``startup`` probe, if set."""
        probe = self.raw.get(f"{kind}Probe")
        return probe if isinstance(probe, dict) else None

    @property
    def ports(self) -> list[dict[str, Any]]:
        return [p for p in sequence(self.raw.get("ports")) if isinstance(p, dict)]

    @property
    def port_names(self) -> set[str]:
        return {p["name"] for p in self.ports if isinstance(p.get("name"), str)}

    @cached_property
    def volume_mounts(self) -> list[VolumeMount]:
        base = self.path / "volumeMounts"
        return [VolumeMount(m, base / i) for i, m in enumerate(sequence(self.raw.get("volumeMounts")))
                if isinstance(m, dict)]

    @property
    def env(self) -> list[dict[str, Any]]:
        return [e for e in sequence(self.raw.get("env")) if isinstance(e, dict)]

    @property
    def security_context(self) -> dict[str, Any]:
        return mapping(self.raw.get("securityContext"))


class _Item:
    """An item of a pod spec list that is named by its ``name`` (a volume, a volume mount)."""

    def __init__(self, raw: dict[str, Any], path: YPath) -> None:
        self.raw = raw
        self.path = path

    @property
    def name(self) -> Any:
        return self.raw.get("name")


class VolumeMount(_Item):
    @property
    def mount_path(self) -> Any:
        return self.raw.get("mountPath")

    @property
    def sub_path(self) -> tuple[str, str] | None:
        """``subPath`` or ``subPathExpr`` (whichever is set and non-empty), with its field name."""
        for field in ("subPath", "subPathExpr"):
            value = self.raw.get(field)
            if isinstance(value, str) and value:
                return field, value
        return None


class Volume(_Item):
    @property
    def source_type(self) -> str | None:
        """The volume's source field (``configMap``, ``persistentVolumeClaim``, ...)."""
        for key, value in self.raw.items():
            if key != "name" and value is not None:
                return str(key)
        return None

    @property
    def source(self) -> dict[str, Any]:
        kind = self.source_type
        return mapping(self.raw.get(kind)) if kind else {}

    @property
    def is_live_projected(self) -> bool:
        """ConfigMap, Secret, projected and downwardAPI volumes: the kubelet
        updates their files when the source changes (unless mounted with subPath)."""
        return self.source_type in LIVE_PROJECTED


class ComponentArg:
    """One command-line flag that a kubeadm configuration passes to a component (``extraArgs``).

    kubeadm API versions up to v1beta3 write ``extraArgs`` as a mapping (``name: value``),
    v1beta4 as a list of ``{name, value}`` items; ``path`` is the mapping key or the list
    item, ``value_path`` the value.
    """

    __slots__ = ("component", "name", "value", "path", "value_path")

    def __init__(self, component: str, name: str, value: Any, path: YPath, value_path: YPath) -> None:
        self.component = component  # kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet
        self.name = name
        self.value = value
        self.path = path
        self.value_path = value_path

    def __repr__(self) -> str:
        return f"<{self.component} --{self.name}>"


class FeatureGateSetting:
    """A feature gate a configuration sets: in a ``featureGates`` mapping, or inside a
    ``feature-gates`` flag value (``Name=true,Other=false``), where ``at`` is its column."""

    __slots__ = ("component", "name", "value", "path", "at", "flag_value")

    def __init__(self, component: str, name: str, value: bool | None, path: YPath,
                 at: tuple[int, int] | None = None, flag_value: str | None = None) -> None:
        self.component = component
        self.name = name
        self.value = value  # None when the value is neither true nor false
        self.path = path
        self.at = at
        self.flag_value = flag_value  # the whole --feature-gates value the gate is part of


#: kubeadm ClusterConfiguration fields that hold a component's extraArgs
_CONTROL_PLANE_ARGS = ((("apiServer", "extraArgs"), "kube-apiserver"),
                       (("controllerManager", "extraArgs"), "kube-controller-manager"),
                       (("scheduler", "extraArgs"), "kube-scheduler"),
                       (("etcd", "local", "extraArgs"), "etcd"))
_KUBELET_ARGS = (("nodeRegistration", "kubeletExtraArgs"), "kubelet")


def parse_feature_gates(text: str) -> list[tuple[str, bool | None, int]]:
    """``"A=true, B=false"`` -> [("A", True, 0), ("B", False, 7)]: each gate with its value
    (None when it is not a boolean) and the column where its name starts."""
    out: list[tuple[str, bool | None, int]] = []
    start = 0
    for part in text.split(","):
        lead = len(part) - len(part.lstrip())
        name, sep, raw = part.strip().partition("=")
        name = name.strip()
        if name:
            value = raw.strip().lower() if sep else ""
            out.append((name, True if value == "true" else False if value == "false" else None, start + lead))
        start += len(part) + 1
    return out


class ComponentConfig:
    """A configuration file of kubeadm (``kubeadm.k8s.io``), the kubelet
    (``kubelet.config.k8s.io``) or kube-proxy (``kubeproxy.config.k8s.io``)."""

    def __init__(self, obj: K8sObject) -> None:
        self.obj = obj
        self.raw = obj.raw
        self.group = obj.group
        self.version = split_api_version(obj.api_version)[1]
        self.kind = obj.kind

    @property
    def is_kubeadm(self) -> bool:
        return self.group == KUBEADM

    @property
    def component(self) -> str:
        """The component that reads the file."""
        return {KUBEADM: "kubeadm", KUBELET_CONFIG: "kubelet", KUBE_PROXY_CONFIG: "kube-proxy"}.get(self.group, "")

    @property
    def kubernetes_version(self) -> str | None:
        """A kubeadm ClusterConfiguration's ``kubernetesVersion``."""
        version = self.raw.get("kubernetesVersion") if self.kind == "ClusterConfiguration" else None
        return version if isinstance(version, str) and version else None

    def extra_args(self) -> list[ComponentArg]:
        """The flags a kubeadm configuration passes to the control plane components and the kubelet."""
        if not self.is_kubeadm:
            return []
        places = _CONTROL_PLANE_ARGS if self.kind == "ClusterConfiguration" else \
            (_KUBELET_ARGS,) if self.kind in ("InitConfiguration", "JoinConfiguration") else ()
        out: list[ComponentArg] = []
        for where, component in places:
            value = self.obj.get(*where)
            base = YPath(where)
            if isinstance(value, dict):  # v1beta3 and older: name -> value
                for name, arg in value.items():
                    if isinstance(name, str):
                        out.append(ComponentArg(component, name.lstrip("-"), arg, base / name, base / name))
            elif isinstance(value, list):  # v1beta4: [{name, value}]
                for i, item in enumerate(value):
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        out.append(ComponentArg(component, item["name"].lstrip("-"), item.get("value"),
                                                base / i / "name", base / i / "value"))
        return out

    def feature_gates(self) -> list[FeatureGateSetting]:
        """The Kubernetes feature gates the file sets: ``feature-gates`` flags in kubeadm
        extraArgs, ``featureGates`` of a KubeletConfiguration or KubeProxyConfiguration
        (a kubeadm ClusterConfiguration's own ``featureGates`` are kubeadm's, not these)."""
        out: list[FeatureGateSetting] = []
        if self.is_kubeadm:
            for arg in self.extra_args():
                if arg.name != "feature-gates" or not isinstance(arg.value, str):
                    continue
                for name, value, column in parse_feature_gates(arg.value):
                    out.append(FeatureGateSetting(arg.component, name, value, arg.value_path, (0, column),
                                                  arg.value))
        elif self.kind in ("KubeletConfiguration", "KubeProxyConfiguration"):
            gates = self.raw.get("featureGates")
            if isinstance(gates, dict):
                for name, value in gates.items():
                    if isinstance(name, str):
                        out.append(FeatureGateSetting(self.component, name,
                                                      value if isinstance(value, bool) else None,
                                                      YPath(("featureGates", name))))
        return out


def written_in(obj: K8sObject) -> str:
    """The file an object is written in, as a message names it: the chart
    template or kustomize resource it was rendered from, else its file."""
    doc = obj.document
    if doc.origin:
        return shown_path(doc.origin)
    if doc.template:
        return doc.template
    display = doc.source.display
    # a file of the repository's context is known by its absolute path: shown as the finding's own file is
    return shown_path(display) if os.path.isabs(display) and doc.source.path is not None else display


def shown_path(path: str) -> str:
    """A path as messages print it: relative to the working directory, unless that climbs
    out more than one level (then it stays as it is)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def object_path(obj: K8sObject, path: Iterable[str | int] = ROOT) -> tuple[str | int, ...]:
    """The path inside the document of a path inside ``obj``."""
    return obj.base + tuple(path) if obj.base else tuple(path)


class ApiVersionSlip(NamedTuple):
    """A document written as a Kubernetes object but for its apiVersion (see :func:`api_version_slip`)."""

    kind: str  # the kind it names
    kind_key: str  # the key that names it: ``kind``, or a misspelling of it (``Kind``)
    key: str | None  # the key written for apiVersion: a misspelling, ``apiVersion`` (empty), or None (no key)


#: how a Kubernetes kind is spelt (CamelCase); a lower-case "kind" (a CI pipeline's) is something else
_KIND_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
#: kinds whose apiVersion may be left out: kustomize fills it in (kustomization.yaml files)
_KUSTOMIZE_KINDS = frozenset({"Kustomization", "Component"})
#: how close (difflib's ratio, over the key in lower case without "_", "-" and spaces) a key
#: must be to ``apiversion`` or ``kind`` to be read as a misspelling of it
SPELLING_CUTOFF = 0.85


def _misspelling(data: dict[Any, Any], word: str, exact: str,
                 wanted: Callable[[object], bool] | None = None) -> str | None:
    """The key of ``data`` (other than ``exact``) that is closest to ``word`` (lower case), if
    close enough; with ``wanted``, only among keys whose value it accepts."""
    import difflib

    best, score = None, SPELLING_CUTOFF
    for key, value in data.items():
        if not isinstance(key, str) or key == exact or (wanted is not None and not wanted(value)):
            continue
        folded = key.lower().replace("_", "").replace("-", "").replace(" ", "")
        ratio = 1.0 if folded == word else difflib.SequenceMatcher(None, folded, word).ratio()
        if ratio >= score:
            best, score = key, ratio
    return best


def _is_kind_name(value: object) -> bool:
    return isinstance(value, str) and _KIND_NAME.match(value) is not None


def api_version_slip(data: object) -> ApiVersionSlip | None:
    """Whether a document is written as a Kubernetes object but for its apiVersion: a mapping
    that names a kind (a CamelCase string under ``kind``, or under a misspelling of it such as
    ``Kind``) and has a ``metadata`` mapping, but no ``apiVersion`` key (none at all, or a
    misspelling such as ``apiversion``), or an empty one. Values files, ``Chart.yaml``, compose
    files and CI workflows have no ``metadata`` mapping beside a kind: None for them, and for
    kustomize's own kinds, whose apiVersion kustomize fills in."""
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        return None
    if data.get("apiVersion") not in (None, ""):
        return None
    kind_key = "kind" if _is_kind_name(data.get("kind")) else _misspelling(data, "kind", "kind", _is_kind_name)
    if kind_key is None or data[kind_key] in _KUSTOMIZE_KINDS:
        return None
    key = "apiVersion" if "apiVersion" in data else _misspelling(data, "apiversion", "apiVersion")
    return ApiVersionSlip(data[kind_key], kind_key, key)


def suggested_api_version(kind: str, kube_version: tuple[int, ...]) -> str | None:
    """The apiVersion a built-in ``kind`` has at the target Kubernetes version (the one its API
    group prefers: GA before beta, the newest first; the core group first), or None for a kind
    the built-in schemas do not serve there (a custom resource, a removed kind)."""
    groups = BUILTIN_GROUPS.get(kind)
    if not groups or not kube_version:
        return None
    from .kube.schemas import builtin

    ranked: list[tuple[tuple[int, int, int, bool], str]] = []
    for api_version in builtin(tuple(kube_version)).api_versions(kind):
        group, version = split_api_version(api_version)
        m = _VERSION.match(version)
        if group in groups and m is not None:
            level = {None: 2, "beta": 1, "alpha": 0}[m.group(2)]
            ranked.append(((level, int(m.group(1)), int(m.group(3) or 0), group == ""), api_version))
    return max(ranked)[1] if ranked else None


#: a Kubernetes API version: v1, v2beta1, v1alpha3
_VERSION = re.compile(r"v(\d+)(?:(alpha|beta)(\d+))?\Z")


def api_version_problems(documents: Iterable[Document], kube_version: tuple[int, ...] = (),
                         default_namespace: str = "default") -> list[Problem]:
    """A ``missing-api-version`` problem for each document written as a Kubernetes object but
    for its apiVersion (:func:`api_version_slip`), with the object it would be as its identity:
    at the misspelt (or empty) key, with a did-you-mean, or at the document's first key."""
    from .findings import object_identity
    from .load import Problem

    out: list[Problem] = []
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict) or (data.get("kind") and data.get("apiVersion")):
            continue
        slip = api_version_slip(data)
        if slip is None:
            continue
        suggestion = suggested_api_version(slip.kind, kube_version)
        view = K8sObject(dict(data, kind=slip.kind, apiVersion=suggestion or ""), doc,
                         default_namespace=default_namespace)
        what = f"{slip.kind} {view.name!r}" if view.name else slip.kind
        mean = f"; did you mean `apiVersion: {suggestion}`?" if suggestion else ":"
        if slip.key is None:
            message = f"{what} has no apiVersion{mean}"
        elif slip.key == "apiVersion":
            message = f"{what} has an empty apiVersion{mean}"
        else:
            message = f"`{slip.key}` is not a field; did you mean `apiVersion`? {what} has no apiVersion, so"
        message += " kubectl rejects it, and no rule checked it"
        if slip.kind_key != "kind":
            message += f" (`{slip.kind_key}` is not a field either: write `kind`)"
        path: tuple[str | int, ...] = (slip.key,) if slip.key is not None else ()
        first = doc.positions.get((next(iter(data)),)) if data else None
        line, column = (first[0], first[1]) if first is not None else (doc.start_line, 0)
        # the object as written (no apiVersion), in the namespace the suggested apiVersion puts it
        identity = dict(object_identity(view), apiVersion="")
        out.append(Problem("missing-api-version", message, doc.source, line, column, doc, path, identity))
    return out


def build_objects(documents: Iterable[Document], default_namespace: str = "default") \
        -> tuple[list[K8sObject], int, int]:
    """Kubernetes objects in the documents (List items unpacked); also counts
    the documents that are not objects and the empty ones. A document written
    as an object but for its apiVersion (:func:`api_version_slip`) is neither:
    it is reported (:func:`api_version_problems`), not counted as skipped."""
    objects: list[K8sObject] = []
    skipped = empty = 0
    for doc in documents:
        data = doc.data
        if data is None:
            empty += 1
            continue
        if not isinstance(data, dict) or not data.get("kind") or not data.get("apiVersion"):
            if api_version_slip(data) is None:
                skipped += 1
            continue
        kind = data["kind"]
        items = data.get("items")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list) and "spec" not in data:
            item_kind = kind[:-4]
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                if item_kind and "kind" not in item or "apiVersion" not in item:
                    item = dict(item)
                    if item_kind:
                        item.setdefault("kind", item_kind)
                    item.setdefault("apiVersion", data["apiVersion"])
                if item.get("kind") and item.get("apiVersion"):
                    objects.append(K8sObject(item, doc, ("items", i), default_namespace))
            continue
        objects.append(K8sObject(data, doc, (), default_namespace))
    return objects, skipped, empty
