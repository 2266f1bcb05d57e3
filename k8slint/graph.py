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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Union

from .kube.selectors import label_selector_matches, map_selector_matches, selector_pairs
from .model import K8sObject, mapping, sequence
from .paths import YPath
from .units import Unit

if TYPE_CHECKING:
    from .load import Source

_HASHABLE = (str, int, float, bool, type(None))
#: (kind, namespace, name); the namespace is None for cluster-scoped objects
Key = tuple[str, Union[str, None], str]
#: namespace slot of the kind indexes: a namespace, None (cluster-scoped), or every namespace
Slot = Union[str, None, tuple[str]]
Buckets = tuple[dict[tuple[str, Any], list[K8sObject]], list[K8sObject]]


@dataclass(frozen=True, slots=True)
class Edge:
    source: K8sObject
    target: Key  # (kind, namespace, name)
    kind: str
    path: YPath  # where the reference is written, inside the source object
    implicit: bool = False  # not written at all (a pod's default ServiceAccount)
    optional: bool = False  # `optional: true` on a ConfigMap/Secret reference
    to: K8sObject | None = None  # what it resolves to from the source's unit; None: not in the run


def _order(obj: K8sObject) -> tuple[str, int, tuple[str | int, ...]]:
    """A canonical order of objects (file, document, item), the same whichever
    files were linted and which were only loaded as context."""
    doc = obj.document
    source = getattr(doc, "source", None)
    real = getattr(source, "realpath", None)
    where = (real() if real is not None else None) or getattr(source, "display", "")
    return (where or "", getattr(doc, "index", 0), obj.base)


class Graph:
    """Objects, their references, and who can see whom.

    Every object belongs to a unit (:mod:`k8slint.units`). A reference from an
    object resolves in its own unit first. Failing that, it may resolve to an
    object of a *shared* unit (a plain folder): a cluster-scoped one always; a
    namespaced one only when both ends name their namespace explicitly, since
    two objects that set no namespace land in the same namespace only when
    they are applied together. Renders and builds are never seen from outside.
    :meth:`view` gives that visibility for one unit; the engine hands each
    rule the view of the object it checks.
    """

    def __init__(self, objects: list[K8sObject], default_namespace: str = "default") -> None:
        self.objects = objects
        self.default_namespace = default_namespace
        self._ordered = ordered = sorted(objects, key=_order)
        self._local: dict[tuple[Unit, Key], list[K8sObject]] = {}
        self._local_kind: dict[tuple[Unit, str, Slot], list[K8sObject]] = {}  # built-in kinds
        self._local_custom: dict[tuple[Unit, str | None], list[K8sObject]] = {}  # custom resources by namespace
        self._shared: dict[Key, list[K8sObject]] = {}  # objects other units may see
        self._shared_kind: dict[tuple[str, Slot], list[K8sObject]] = {}
        self._shared_custom: dict[str | None, list[K8sObject]] = {}
        self._units: dict[Unit, list[K8sObject]] = {}
        self._all: dict[Key, list[K8sObject]] = {}  # objects of every unit
        for obj in ordered:
            unit = obj.unit
            self._units.setdefault(unit, []).append(obj)
            self._all.setdefault(obj.key, []).append(obj)
            self._local.setdefault((unit, obj.key), []).append(obj)
            if obj.builtin:
                self._local_kind.setdefault((unit, obj.kind, obj.namespace), []).append(obj)
                if obj.namespace is not None:
                    self._local_kind.setdefault((unit, obj.kind, _ANY), []).append(obj)
            else:
                self._local_custom.setdefault((unit, obj.namespace), []).append(obj)
            if unit.shared and obj.namespace_explicit:
                self._shared.setdefault(obj.key, []).append(obj)
                if obj.builtin:
                    self._shared_kind.setdefault((obj.kind, obj.namespace), []).append(obj)
                    if obj.namespace is not None:
                        self._shared_kind.setdefault((obj.kind, _ANY), []).append(obj)
                else:
                    self._shared_custom.setdefault(obj.namespace, []).append(obj)
        self._duplicated = {unit for (unit, _), found in self._local.items() if len(found) > 1}
        self._views: dict[tuple[Unit, bool, int], GraphView] = {}
        self._out: dict[int, list[Edge]] = {}  # id(source) -> edges
        self._in: dict[int, list[Edge]] = {}  # id(resolved target) -> edges
        self._dangling: dict[Key, list[Edge]] = {}  # target key -> edges that resolve to nothing
        self._workload_index: dict[tuple[Unit | None, str | None], Buckets] | None = None
        for obj in ordered:
            if not obj.builtin:
                continue
            view = self.view_for(obj)
            extract = _EXTRACTORS.get(obj.kind)
            edges: list[Edge] = list(extract(view, obj)) if extract is not None else []
            if obj.pod is not None:
                edges.extend(_pod_references(obj))
            for edge in edges:
                if edge.to is None:
                    target = view.lookup(edge.target)
                    if target is not None:
                        edge = replace(edge, to=target)
                self._out.setdefault(id(obj), []).append(edge)
                if edge.to is not None:
                    self._in.setdefault(id(edge.to), []).append(edge)
                else:
                    self._dangling.setdefault(edge.target, []).append(edge)

    # visibility -------------------------------------------------------------
    def view(self, unit: Unit, explicit: bool = False, source: Source | None = None) -> GraphView:
        """What an object of ``unit`` (written in ``source``) sees; ``explicit``: the object names its namespace."""
        found = self._views.get((unit, explicit, id(source)))
        if found is None:
            found = self._views[(unit, explicit, id(source))] = GraphView(self, unit, explicit, source)
        return found

    def view_for(self, obj: K8sObject) -> GraphView:
        return self.view(obj.unit, obj.namespace_explicit, getattr(obj.document, "source", None))

    def same_key(self, obj: K8sObject) -> list[K8sObject]:
        """Objects of ``obj``'s unit with its kind, namespace and name (itself included), in order."""
        return list(self._local.get((obj.unit, obj.key), ()))

    # lookups over the whole run (a single-unit run needs no view) ---------------
    def get(self, kind: str, namespace: str | None, name: str) -> K8sObject | None:
        return self.lookup((kind, namespace, name))

    def lookup(self, key: Key) -> K8sObject | None:
        """The object with this key, from any unit (the first in order)."""
        found = self._all.get(key)
        return found[0] if found else None

    def out_edges(self, obj: K8sObject, kind: str | None = None) -> list[Edge]:
        edges = self._out.get(id(obj), ())
        return [e for e in edges if kind is None or e.kind == kind]

    def in_edges(self, obj_or_key: K8sObject | Key, kind: str | None = None) -> list[Edge]:
        """Edges that resolve to this object (or, given a key, edges to that key that resolve to nothing)."""
        edges: Iterable[Edge]
        if isinstance(obj_or_key, K8sObject):
            edges = self._in.get(id(obj_or_key), ())
        else:
            edges = self._dangling.get(obj_or_key, ())
        return [e for e in edges if kind is None or e.kind == kind]

    def objects_of(self, kind: str, namespace: str | None = None) -> list[K8sObject]:
        """Objects of a built-in kind in the whole run (in one namespace, if given)."""
        out: list[K8sObject] = []
        for unit in self._units:
            out.extend(self._local_kind.get((unit, kind, namespace if namespace is not None else _ANY), ()))
            if namespace is None:
                out.extend(self._local_kind.get((unit, kind, None), ()))
        return out

    def custom_objects(self, namespace: str | None) -> list[K8sObject]:
        out: list[K8sObject] = []
        for unit in self._units:
            out.extend(self._local_custom.get((unit, namespace), ()))
        return out

    def workloads(self, namespace: str | None) -> list[K8sObject]:
        """Objects with a pod template (not PodTemplate) in ``namespace``, in every unit."""
        return [o for unit in self._units for o in self._index().get((unit, namespace), ({}, []))[1]]

    def workloads_selected(self, namespace: str | None, selector: dict[str, Any], label_selector: bool = True,
                           empty_matches_all: bool = True) -> list[K8sObject]:
        """:meth:`GraphView.workloads_selected` over every unit."""
        return [o for unit in self._units for o in self.view(unit).workloads_selected(
            namespace, selector, label_selector, empty_matches_all) if o.unit is unit]

    # label selection -----------------------------------------------------
    def _index(self) -> dict[tuple[Unit | None, str | None], Buckets]:
        """(unit, namespace) -> ({label pair: workloads}, workloads); and
        (None, namespace) for the workloads other units may see."""
        if self._workload_index is None:
            index: dict[tuple[Unit | None, str | None], Buckets] = {}
            for obj in self._ordered:
                pod = obj.pod
                if pod is None or obj.kind in ("PodTemplate",):
                    continue
                unit = obj.unit
                buckets = [index.setdefault((unit, obj.namespace), ({}, []))]
                if unit.shared and obj.namespace_explicit:
                    buckets.append(index.setdefault((None, obj.namespace), ({}, [])))
                for by_ns in buckets:
                    by_ns[1].append(obj)
                    for pair in pod.labels.items():
                        if isinstance(pair[1], _HASHABLE):
                            by_ns[0].setdefault(pair, []).append(obj)
            self._workload_index = index
        return self._workload_index

    # networkx view --------------------------------------------------------
    @cached_property
    def nx(self) -> Any:
        """The graph as a ``networkx.MultiDiGraph``: nodes are (kind, namespace, name)
        keys with ``obj`` (None when not in the run) and ``missing`` attributes;
        every edge keeps its ``kind`` and ``path``.

        networkx is not a dependency of k8slint; without it this raises ImportError."""
        try:
            import networkx
        except ImportError as exc:
            raise ImportError("Graph.nx needs networkx, which k8slint does not install: "
                              "pip install networkx", name="networkx") from exc

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


#: index slot for "every namespace" (namespaced objects only)
_ANY = ("*",)


class GraphView:
    """The graph as the objects of one file of one unit see it: their own unit
    first, then what shared units show them (see :class:`Graph`). Rules get
    one as ``ctx.graph``; it answers the same questions as the graph.

    A unit that defines one kind/namespace/name twice holds one object in the
    cluster, not two: a lookup picks the definition in the asking file if it
    has one, else the last (the one a later apply leaves).
    """

    __slots__ = ("graph", "unit", "explicit", "source", "default_namespace", "__dict__")

    def __init__(self, graph: Graph, unit: Unit, explicit: bool, source: Source | None = None) -> None:
        self.graph = graph
        self.unit = unit
        self.explicit = explicit
        self.source = source
        self.default_namespace = graph.default_namespace

    def _reaches(self, namespace: str | None | tuple[str]) -> bool:
        return namespace is None or self.explicit

    def _pick(self, found: list[K8sObject]) -> K8sObject:
        if len(found) == 1:
            return found[0]
        for obj in found:
            if obj.document.source is self.source:
                return obj
        return found[-1]

    def _visible(self, own: Iterable[K8sObject], foreign: Iterable[K8sObject] = ()) -> list[K8sObject]:
        """Own objects (one per key), then other units' objects this unit does not shadow."""
        g, unit = self.graph, self.unit
        out: list[K8sObject] = []
        if unit in g._duplicated:
            groups: dict[Key, list[K8sObject]] = {}
            for obj in own:
                groups.setdefault(obj.key, []).append(obj)
            out.extend(self._pick(found) for found in groups.values())
        else:
            out.extend(own)
        if foreign:
            local = g._local
            seen: set[Key] = set()
            for obj in foreign:
                key = obj.key
                if obj.unit is unit or (unit, key) in local or key in seen:
                    continue
                seen.add(key)
                out.append(obj)
        return out

    def get(self, kind: str, namespace: str | None, name: str) -> K8sObject | None:
        return self.lookup((kind, namespace, name))

    def lookup(self, key: Key) -> K8sObject | None:
        g = self.graph
        found = g._local.get((self.unit, key))
        if found:
            return self._pick(found)
        if self._reaches(key[1]):
            for obj in g._shared.get(key, ()):
                return obj
        return None

    def out_edges(self, obj: K8sObject, kind: str | None = None) -> list[Edge]:
        return self.graph.out_edges(obj, kind)

    def same_key(self, obj: K8sObject) -> list[K8sObject]:
        return self.graph.same_key(obj)

    def in_edges(self, obj_or_key: K8sObject | Key, kind: str | None = None) -> list[Edge]:
        return self.graph.in_edges(obj_or_key, kind)

    def objects_of(self, kind: str, namespace: str | None = None) -> list[K8sObject]:
        """Visible objects of a built-in kind (in one namespace, if given)."""
        g = self.graph
        slot: Slot = namespace if namespace is not None else _ANY
        own = list(g._local_kind.get((self.unit, kind, slot), ()))
        foreign: list[K8sObject] = []
        if namespace is None:
            own.extend(g._local_kind.get((self.unit, kind, None), ()))
        if self._reaches(namespace):
            foreign.extend(g._shared_kind.get((kind, slot), ()))
            if namespace is None:
                foreign.extend(g._shared_kind.get((kind, None), ()))
        return self._visible(own, foreign)

    def custom_objects(self, namespace: str | None) -> list[K8sObject]:
        """Visible custom resources (kinds no built-in API serves) in a namespace."""
        g = self.graph
        foreign: Iterable[K8sObject] = g._shared_custom.get(namespace, ()) if self._reaches(namespace) else ()
        return self._visible(g._local_custom.get((self.unit, namespace), ()), foreign)

    @cached_property
    def objects(self) -> list[K8sObject]:
        """Every visible object (costs a pass over the run: prefer the indexed lookups)."""
        g = self.graph
        foreign = [o for key, found in g._shared.items() if self._reaches(key[1]) for o in found]
        return self._visible(g._units.get(self.unit, ()), foreign)

    def _candidates(self, namespace: str | None, pairs: list[tuple[str, Any]]) -> list[K8sObject]:
        index = self.graph._index()

        def bucket(by_ns: Buckets | None) -> list[K8sObject]:
            if by_ns is None:
                return []
            return min((by_ns[0].get(p, []) for p in pairs), key=len) if pairs else by_ns[1]

        foreign = bucket(index.get((None, namespace))) if self._reaches(namespace) else []
        return self._visible(bucket(index.get((self.unit, namespace))), foreign)

    def workloads(self, namespace: str | None) -> list[K8sObject]:
        """Visible objects with a pod template (not PodTemplate) in ``namespace``."""
        return self._candidates(namespace, [])

    def workloads_selected(self, namespace: str | None, selector: dict[str, Any], label_selector: bool = True,
                           empty_matches_all: bool = True) -> list[K8sObject]:
        """Visible workloads in ``namespace`` whose pod template labels the selector matches.

        ``label_selector`` picks metav1.LabelSelector semantics (matchLabels,
        matchExpressions); otherwise a plain map selector as in Services.
        Pods owned by a controller in the run are not listed twice: only the
        objects written in the manifests are considered.
        """
        pairs = [p for p in selector_pairs(selector) if isinstance(p[1], _HASHABLE)]
        candidates = self._candidates(namespace, pairs)
        if label_selector:
            return [o for o in candidates if label_selector_matches(selector, _pod_labels(o), empty_matches_all)]
        return [o for o in candidates if map_selector_matches(selector, _pod_labels(o))]


def _pod_labels(obj: K8sObject) -> dict[str, Any]:
    return obj.pod.labels if obj.pod is not None else {}


# edge extraction -------------------------------------------------------------

def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _pod_references(obj: K8sObject) -> Iterator[Edge]:
    pod = obj.pod
    if pod is None:
        return
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


def _service(view: GraphView, obj: K8sObject) -> Iterator[Edge]:
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return
    for target in view.workloads_selected(obj.namespace, selector, label_selector=False):
        yield Edge(obj, target.key, "selects", YPath(("spec", "selector")), to=target)


def _ingress(view: GraphView, obj: K8sObject) -> Iterator[Edge]:
    spec = obj.spec
    ns = obj.namespace

    def backend(value: object, path: YPath) -> Iterator[Edge]:
        b = mapping(value)
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


def _hpa(view: GraphView, obj: K8sObject) -> Iterator[Edge]:
    ref = mapping(obj.spec.get("scaleTargetRef"))
    if _name(ref.get("kind")) and _name(ref.get("name")):
        yield Edge(obj, (ref["kind"], obj.namespace, ref["name"]), "scales", YPath(("spec", "scaleTargetRef")))


def _pdb(view: GraphView, obj: K8sObject) -> Iterator[Edge]:
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict):
        return
    empty_matches_all = not obj.api_version.endswith("v1beta1")
    for target in view.workloads_selected(obj.namespace, selector, empty_matches_all=empty_matches_all):
        yield Edge(obj, target.key, "protects", YPath(("spec", "selector")), to=target)


def _binding(view: GraphView, obj: K8sObject) -> Iterator[Edge]:
    for i, subject in enumerate(sequence(obj.raw.get("subjects"))):
        subject = mapping(subject)
        if subject.get("kind") == "ServiceAccount" and _name(subject.get("name")):
            explicit = _name(subject.get("namespace"))
            key = ("ServiceAccount", explicit or obj.namespace or view.default_namespace, subject["name"])
            # a subject that names its namespace reaches that namespace's ServiceAccount wherever it is defined
            to = view.graph.view(view.unit, True, view.source).lookup(key) if explicit else None
            yield Edge(obj, key, "binds", YPath(("subjects", i)), to=to)
    ref = mapping(obj.raw.get("roleRef"))
    if ref.get("kind") in ("Role", "ClusterRole") and _name(ref.get("name")):
        ns = obj.namespace if ref["kind"] == "Role" else None
        yield Edge(obj, (ref["kind"], ns, ref["name"]), "grants", YPath(("roleRef",)))


_EXTRACTORS: dict[str, Callable[[GraphView, K8sObject], Iterator[Edge]]] = {
    "Service": _service,
    "Ingress": _ingress,
    "HorizontalPodAutoscaler": _hpa,
    "PodDisruptionBudget": _pdb,
    "RoleBinding": _binding,
    "ClusterRoleBinding": _binding,
}
