"""The object graph of a whole run: which object references which.

Edges are extracted once, for all files together, so a Deployment in one
file sees the ServiceAccount, ConfigMaps and PVCs defined in another:

==================================  ==========================================
edge kind                           from -> to
==================================  ==========================================
``serviceAccount``                  workload -> ServiceAccount (``default`` when unset: implicit)
``mounts``, ``env``, ``envFrom``    workload -> ConfigMap / Secret (volumes, env, envFrom)
``imagePullSecret``                 workload -> Secret
``claims``                          workload -> PersistentVolumeClaim
``selects``                         Service -> workloads whose pod labels match its selector
``routes-to``, ``tls``              Ingress -> Service, Ingress -> TLS Secret
``scales``                          HorizontalPodAutoscaler -> its scale target
``protects``                        PodDisruptionBudget -> workloads its selector matches
``binds``, ``grants``               (Cluster)RoleBinding -> ServiceAccount, -> (Cluster)Role
==================================  ==========================================

A target that is not in the run is still an edge (its ``target`` key has no
object): rules decide whether a dangling reference matters. Lookups use plain
indexes; :attr:`Graph.nx` offers the same nodes and edges as a networkx
MultiDiGraph (imported only when asked for, since the import alone costs more
than linting one file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .kube.selectors import label_selector_matches, map_selector_matches, selector_pairs
from .model import K8sObject, mapping, sequence
from .paths import YPath

_HASHABLE = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class Edge:
    source: K8sObject
    target: tuple  # (kind, namespace, name)
    kind: str
    path: YPath  # where the reference is written, inside the source object
    implicit: bool = False  # not written at all (a pod's default ServiceAccount)
    optional: bool = False  # `optional: true` on a ConfigMap/Secret reference


class Graph:
    def __init__(self, objects: list, default_namespace: str = "default"):
        self.objects = objects
        self.default_namespace = default_namespace
        self._by_key: dict = {}
        self._by_kind: dict = {}  # built-in kind -> objects
        self._custom: dict = {}  # namespace -> custom resources
        for obj in objects:
            self._by_key.setdefault(obj.key, []).append(obj)
            if obj.builtin:
                self._by_kind.setdefault(obj.kind, []).append(obj)
            else:
                self._custom.setdefault(obj.namespace, []).append(obj)
        self._out: dict = {}
        self._in: dict = {}
        self._workload_index: dict | None = None
        for obj in objects:
            if obj.builtin:
                extract = _EXTRACTORS.get(obj.kind)
                if extract is not None:
                    for edge in extract(self, obj):
                        self._out.setdefault(id(obj), []).append(edge)
                        self._in.setdefault(edge.target, []).append(edge)
                if obj.pod is not None:
                    for edge in _pod_references(obj):
                        self._out.setdefault(id(obj), []).append(edge)
                        self._in.setdefault(edge.target, []).append(edge)

    # lookups --------------------------------------------------------------
    def get(self, kind: str, namespace, name: str) -> K8sObject | None:
        found = self._by_key.get((kind, namespace, name))
        return found[0] if found else None

    def lookup(self, key: tuple) -> K8sObject | None:
        found = self._by_key.get(key)
        return found[0] if found else None

    def out_edges(self, obj: K8sObject, kind: str | None = None) -> list:
        edges = self._out.get(id(obj), ())
        return [e for e in edges if kind is None or e.kind == kind]

    def in_edges(self, obj_or_key, kind: str | None = None) -> list:
        key = obj_or_key.key if isinstance(obj_or_key, K8sObject) else obj_or_key
        edges = self._in.get(key, ())
        return [e for e in edges if kind is None or e.kind == kind]

    def objects_of(self, kind: str, namespace=None) -> list:
        """Objects of a built-in kind (in one namespace, if given)."""
        found = self._by_kind.get(kind, ())
        return [o for o in found if o.namespace == namespace] if namespace is not None else list(found)

    def custom_objects(self, namespace) -> list:
        """Custom resources (kinds no built-in API serves) in a namespace."""
        return list(self._custom.get(namespace, ()))

    # label selection -----------------------------------------------------
    def _index(self) -> dict:
        if self._workload_index is None:
            index: dict = {}
            for obj in self.objects:
                pod = obj.pod
                if pod is None or obj.kind in ("PodTemplate",):
                    continue
                by_ns = index.setdefault(obj.namespace, ({}, []))
                by_ns[1].append(obj)
                for pair in pod.labels.items():
                    if isinstance(pair[1], _HASHABLE):
                        by_ns[0].setdefault(pair, []).append(obj)
            self._workload_index = index
        return self._workload_index

    def workloads(self, namespace) -> list:
        """Objects with a pod template (not PodTemplate) in ``namespace``."""
        by_ns = self._index().get(namespace)
        return list(by_ns[1]) if by_ns else []

    def workloads_selected(self, namespace, selector, label_selector: bool = True,
                           empty_matches_all: bool = True) -> list:
        """Workloads in ``namespace`` whose pod template labels the selector matches.

        ``label_selector`` picks metav1.LabelSelector semantics (matchLabels,
        matchExpressions); otherwise a plain map selector as in Services.
        Pods owned by a controller in the run are not listed twice: only the
        objects written in the manifests are considered.
        """
        by_ns = self._index().get(namespace)
        if by_ns is None:
            return []
        pairs = [p for p in selector_pairs(selector) if isinstance(p[1], _HASHABLE)]
        if pairs:
            lists = [by_ns[0].get(p, ()) for p in pairs]
            candidates = min(lists, key=len)
        else:
            candidates = by_ns[1]
        if label_selector:
            return [o for o in candidates if label_selector_matches(selector, o.pod.labels, empty_matches_all)]
        return [o for o in candidates if map_selector_matches(selector, o.pod.labels)]

    # networkx view --------------------------------------------------------
    @cached_property
    def nx(self):
        """The graph as a ``networkx.MultiDiGraph``: nodes are (kind, namespace, name)
        keys with ``obj`` (None when not in the run) and ``missing`` attributes;
        every edge keeps its ``kind`` and ``path``."""
        import networkx

        g = networkx.MultiDiGraph()
        for obj in self.objects:
            g.add_node(obj.key, obj=obj, missing=False)
        for edges in self._out.values():
            for e in edges:
                if e.target not in g:
                    g.add_node(e.target, obj=None, missing=True)
                g.add_edge(e.source.key, e.target, kind=e.kind, path=e.path, implicit=e.implicit,
                           optional=e.optional)
        return g


# edge extraction -------------------------------------------------------------

def _name(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _pod_references(obj: K8sObject):
    pod = obj.pod
    ns = obj.namespace
    spec = pod.spec
    sp = pod.spec_path
    if obj.kind != "PodTemplate":
        field = "serviceAccountName" if _name(spec.get("serviceAccountName")) else \
            "serviceAccount" if _name(spec.get("serviceAccount")) else None
        yield Edge(obj, ("ServiceAccount", ns, pod.service_account_name), "serviceAccount",
                   sp / field if field else sp, implicit=field is None)
    for i, ref in enumerate(sequence(spec.get("imagePullSecrets"))):
        name = _name(mapping(ref).get("name"))
        if name:
            yield Edge(obj, ("Secret", ns, name), "imagePullSecret", sp / "imagePullSecrets" / i)
    for vol in pod.volumes:
        src = vol.source
        kind = vol.source_type
        if kind == "configMap" and _name(src.get("name")):
            yield Edge(obj, ("ConfigMap", ns, src["name"]), "mounts", vol.path / "configMap" / "name",
                       optional=src.get("optional") is True)
        elif kind == "secret" and _name(src.get("secretName")):
            yield Edge(obj, ("Secret", ns, src["secretName"]), "mounts", vol.path / "secret" / "secretName",
                       optional=src.get("optional") is True)
        elif kind == "persistentVolumeClaim" and _name(src.get("claimName")):
            yield Edge(obj, ("PersistentVolumeClaim", ns, src["claimName"]), "claims",
                       vol.path / "persistentVolumeClaim" / "claimName")
        elif kind == "projected":
            for j, source in enumerate(sequence(src.get("sources"))):
                source = mapping(source)
                for field, target in (("configMap", "ConfigMap"), ("secret", "Secret")):
                    ref = mapping(source.get(field))
                    if _name(ref.get("name")):
                        yield Edge(obj, (target, ns, ref["name"]), "mounts",
                                   vol.path / "projected" / "sources" / j / field / "name",
                                   optional=ref.get("optional") is True)
    for c in pod.all_containers:
        for i, env in enumerate(sequence(c.raw.get("env"))):
            value_from = mapping(mapping(env).get("valueFrom"))
            for field, target in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = mapping(value_from.get(field))
                if _name(ref.get("name")):
                    yield Edge(obj, (target, ns, ref["name"]), "env",
                               c.path / "env" / i / "valueFrom" / field / "name",
                               optional=ref.get("optional") is True)
        for i, env_from in enumerate(sequence(c.raw.get("envFrom"))):
            env_from = mapping(env_from)
            for field, target in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = mapping(env_from.get(field))
                if _name(ref.get("name")):
                    yield Edge(obj, (target, ns, ref["name"]), "envFrom", c.path / "envFrom" / i / field / "name",
                               optional=ref.get("optional") is True)


def _service(graph: Graph, obj: K8sObject):
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return
    for target in graph.workloads_selected(obj.namespace, selector, label_selector=False):
        yield Edge(obj, target.key, "selects", YPath(("spec", "selector")))


def _ingress(graph: Graph, obj: K8sObject):
    spec = obj.spec
    ns = obj.namespace

    def backend(b, path):
        b = mapping(b)
        service = mapping(b.get("service"))
        name = _name(service.get("name")) or _name(b.get("serviceName"))
        if name:
            field = ("service", "name") if _name(service.get("name")) else ("serviceName",)
            yield Edge(obj, ("Service", ns, name), "routes-to", path + field)

    for field in ("defaultBackend", "backend"):
        if field in spec:
            yield from backend(spec[field], YPath(("spec", field)))
    for i, rule in enumerate(sequence(spec.get("rules"))):
        for j, p in enumerate(sequence(mapping(mapping(rule).get("http")).get("paths"))):
            yield from backend(mapping(p).get("backend"),
                               YPath(("spec", "rules", i, "http", "paths", j, "backend")))
    for i, tls in enumerate(sequence(spec.get("tls"))):
        name = _name(mapping(tls).get("secretName"))
        if name:
            yield Edge(obj, ("Secret", ns, name), "tls", YPath(("spec", "tls", i, "secretName")))


def _hpa(graph: Graph, obj: K8sObject):
    ref = mapping(obj.spec.get("scaleTargetRef"))
    if _name(ref.get("kind")) and _name(ref.get("name")):
        yield Edge(obj, (ref["kind"], obj.namespace, ref["name"]), "scales", YPath(("spec", "scaleTargetRef")))


def _pdb(graph: Graph, obj: K8sObject):
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict):
        return
    empty_matches_all = not obj.api_version.endswith("v1beta1")
    for target in graph.workloads_selected(obj.namespace, selector, empty_matches_all=empty_matches_all):
        yield Edge(obj, target.key, "protects", YPath(("spec", "selector")))


def _binding(graph: Graph, obj: K8sObject):
    for i, subject in enumerate(sequence(obj.raw.get("subjects"))):
        subject = mapping(subject)
        if subject.get("kind") == "ServiceAccount" and _name(subject.get("name")):
            ns = _name(subject.get("namespace")) or obj.namespace or graph.default_namespace
            yield Edge(obj, ("ServiceAccount", ns, subject["name"]), "binds", YPath(("subjects", i)))
    ref = mapping(obj.raw.get("roleRef"))
    if ref.get("kind") in ("Role", "ClusterRole") and _name(ref.get("name")):
        ns = obj.namespace if ref["kind"] == "Role" else None
        yield Edge(obj, (ref["kind"], ns, ref["name"]), "grants", YPath(("roleRef",)))


_EXTRACTORS = {
    "Service": _service,
    "Ingress": _ingress,
    "HorizontalPodAutoscaler": _hpa,
    "PodDisruptionBudget": _pdb,
    "RoleBinding": _binding,
    "ClusterRoleBinding": _binding,
}
