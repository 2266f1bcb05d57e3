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
indexes. Selector edges (``selects``, ``protects``) are kept in groups
(:class:`EdgeGroup`): the sources whose selectors, evaluated from the same
place, select the same objects share one list of targets, so n Services that
all select the same n workloads cost n + n, not n * n; :meth:`Graph.out_edges`
and :meth:`Graph.in_edges` make the edges of a group when asked, and
:meth:`Graph.out_degree`, :meth:`Graph.in_degree` and :meth:`Graph.selected_by`
answer without making them. :attr:`Graph.nx` offers the same nodes and edges as a networkx
MultiDiGraph (imported only when asked for, since the import alone costs more
than linting one file).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Union

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


class EdgeGroup:
    """Edges of one kind from several sources to the same targets: every source
    in ``sources`` has an edge to every object in ``targets``, written at
    ``path`` in the source. The graph keeps selector edges this way (the
    sources are the objects whose selectors select the same objects from the
    same place); :meth:`edges` makes them one by one. A group lives as long as
    its graph, so a rule may compute something once per group."""

    __slots__ = ("kind", "path", "sources", "targets")

    def __init__(self, kind: str, path: YPath, targets: list[K8sObject]) -> None:
        self.kind = kind
        self.path = path
        self.sources: list[K8sObject] = []  # in the graph's order
        self.targets = targets  # shared with the graph's selection cache: never modify

    def edges(self) -> Iterator[Edge]:
        for source in self.sources:
            for target in self.targets:
                yield Edge(source, target.key, self.kind, self.path, to=target)

    def __repr__(self) -> str:
        return f"<EdgeGroup {self.kind}: {len(self.sources)} sources x {len(self.targets)} targets>"


class _Selector(NamedTuple):
    """A selector edge to extract: which objects of the namespace the selector selects."""

    kind: str
    path: YPath
    selector: dict[str, Any]
    label_selector: bool  # metav1.LabelSelector semantics, else a plain map (Services)
    empty_matches_all: bool


def _freeze(value: object) -> Hashable:
    """A hashable stand-in for a YAML value, equal only for equal values of the same
    types; None when the value holds something it cannot represent."""
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            fk, fv = _freeze(k), _freeze(v)
            if fk is None or fv is None:
                return None
            items.append((fk, fv))
        return (dict, tuple(items))
    if isinstance(value, list):
        frozen = [_freeze(v) for v in value]
        return None if any(f is None for f in frozen) else (list, tuple(frozen))
    if isinstance(value, _HASHABLE):
        return (type(value), value)
    return None


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
        self._views: dict[tuple[Unit, bool, int | None], GraphView] = {}
        self._out: dict[int, list[Edge]] = {}  # id(source) -> edges
        self._in: dict[int, list[Edge]] = {}  # id(resolved target) -> edges
        self._dangling: dict[Key, list[Edge]] = {}  # target key -> edges that resolve to nothing
        self._in_kind: dict[tuple[int, str], list[Edge]] = {}  # the same two, by edge kind
        self._dangling_kind: dict[tuple[Key, str], list[Edge]] = {}
        self._out_groups: dict[int, list[EdgeGroup]] = {}  # id(source) -> selector edge groups it is in
        self._in_groups: dict[int, list[EdgeGroup]] = {}  # id(target) -> selector edge groups that reach it
        self._groups: dict[tuple[Hashable, str, YPath], EdgeGroup] = {}
        self._selected: dict[Hashable, list[K8sObject]] = {}  # selection cache (see GraphView._selected)
        self._selected_ids: dict[Hashable, set[int]] = {}  # the same, as sets of ids
        self._objects_of: dict[Hashable, list[K8sObject]] = {}  # GraphView.objects_of, shared by views
        self._position = {id(obj): i for i, obj in enumerate(ordered)}
        self._workload_index: dict[tuple[Unit | None, str | None], Buckets] | None = None
        for obj in ordered:
            if not obj.builtin:
                continue
            view = self.view_for(obj)
            select = _SELECTORS.get(obj.kind)
            found = select(obj) if select is not None else None
            if found is not None:  # before the other edges, as the source's first ones
                self._add_group(view, obj, found)
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
                    self._in_kind.setdefault((id(edge.to), edge.kind), []).append(edge)
                else:
                    self._dangling.setdefault(edge.target, []).append(edge)
                    self._dangling_kind.setdefault((edge.target, edge.kind), []).append(edge)

    def _add_group(self, view: GraphView, obj: K8sObject, sel: _Selector) -> None:
        cache_key, targets = view._selected(obj.namespace, sel.selector, sel.label_selector, sel.empty_matches_all)
        group_key = (cache_key if cache_key is not None else ("source", id(obj)), sel.kind, sel.path)
        group = self._groups.get(group_key)
        if group is None:
            group = self._groups[group_key] = EdgeGroup(sel.kind, sel.path, targets)
            for target in targets:
                self._in_groups.setdefault(id(target), []).append(group)
        group.sources.append(obj)
        self._out_groups.setdefault(id(obj), []).append(group)

    # visibility -------------------------------------------------------------
    def view(self, unit: Unit, explicit: bool = False, source: Source | None = None) -> GraphView:
        """What an object of ``unit`` (written in ``source``) sees; ``explicit``: the object names its namespace."""
        # the file matters only where the unit defines a key twice (a reference prefers its own file's
        # definition): elsewhere one view serves the whole unit, and so do the memos rules keep per view
        slot = (unit, explicit, id(source) if unit in self._duplicated else None)
        found = self._views.get(slot)
        if found is None:
            found = self._views[slot] = GraphView(self, unit, explicit, source)
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
        out: list[Edge] = []
        for group in self._out_groups.get(id(obj), ()):
            if kind is None or group.kind == kind:
                out.extend(Edge(obj, t.key, group.kind, group.path, to=t) for t in group.targets)
        edges = self._out.get(id(obj), ())
        out.extend(e for e in edges if kind is None or e.kind == kind)
        return out

    def in_edges(self, obj_or_key: K8sObject | Key, kind: str | None = None) -> list[Edge]:
        """Edges that resolve to this object (or, given a key, edges to that key that resolve to nothing),
        in the order of their sources."""
        found = self._in_regular(obj_or_key, kind)
        if not isinstance(obj_or_key, K8sObject):
            return found
        obj = obj_or_key
        groups = self.selected_by(obj, kind)
        if not groups:
            return found
        position = self._position
        # a source's selector edges come before its other edges, as in out_edges
        ranked = [((position[id(s)], 0), Edge(s, obj.key, g.kind, g.path, to=obj)) for g in groups for s in g.sources]
        ranked.extend(((position[id(e.source)], 1), e) for e in found)
        ranked.sort(key=lambda pair: pair[0])
        return [e for _, e in ranked]

    def _in_regular(self, obj_or_key: K8sObject | Key, kind: str | None) -> list[Edge]:
        """In-edges that are not in groups (a new list)."""
        if isinstance(obj_or_key, K8sObject):
            if kind is not None:
                return list(self._in_kind.get((id(obj_or_key), kind), ()))
            return list(self._in.get(id(obj_or_key), ()))
        if kind is not None:
            return list(self._dangling_kind.get((obj_or_key, kind), ()))
        return list(self._dangling.get(obj_or_key, ()))

    def out_degree(self, obj: K8sObject, kind: str | None = None) -> int:
        """``len(out_edges(obj, kind))``, without making the edges."""
        count = sum(len(g.targets) for g in self._out_groups.get(id(obj), ()) if kind is None or g.kind == kind)
        return count + sum(1 for e in self._out.get(id(obj), ()) if kind is None or e.kind == kind)

    def in_degree(self, obj_or_key: K8sObject | Key, kind: str | None = None) -> int:
        """``len(in_edges(obj_or_key, kind))``, without making the edges."""
        if isinstance(obj_or_key, K8sObject):
            regular = self._in_kind.get((id(obj_or_key), kind), ()) if kind is not None \
                else self._in.get(id(obj_or_key), ())
            return len(regular) + sum(len(g.sources) for g in self.selected_by(obj_or_key, kind))
        regular = self._dangling_kind.get((obj_or_key, kind), ()) if kind is not None \
            else self._dangling.get(obj_or_key, ())
        return len(regular)

    def selected_by(self, obj: K8sObject, kind: str | None = None) -> list[EdgeGroup]:
        """The selector edge groups (``selects``, ``protects``) that reach ``obj``: their sources
        are the sources of its in-edges of those kinds, each in one group, so a rule can work
        once per group rather than once per source."""
        return [g for g in self._in_groups.get(id(obj), ()) if kind is None or g.kind == kind]

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

    def is_selected(self, obj: K8sObject, namespace: str | None, selector: dict[str, Any],
                    label_selector: bool = True, empty_matches_all: bool = True) -> bool:
        """Whether ``obj`` is among :meth:`workloads_selected` (a set lookup once the selection is known)."""
        return self.view(obj.unit).is_selected(obj, namespace, selector, label_selector, empty_matches_all)

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
        for source in self._ordered:
            for e in self.out_edges(source):
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

    def out_degree(self, obj: K8sObject, kind: str | None = None) -> int:
        return self.graph.out_degree(obj, kind)

    def in_degree(self, obj_or_key: K8sObject | Key, kind: str | None = None) -> int:
        return self.graph.in_degree(obj_or_key, kind)

    def selected_by(self, obj: K8sObject, kind: str | None = None) -> list[EdgeGroup]:
        return self.graph.selected_by(obj, kind)

    def _shared_key(self, namespace: str | None) -> tuple[Unit, bool, int | None]:
        """What visibility in ``namespace`` depends on: views that differ only by the asking file
        see the same unless their unit defines an object twice (see :meth:`_pick`)."""
        return (self.unit, self._reaches(namespace), id(self.source) if self.unit in self.graph._duplicated else None)

    def objects_of(self, kind: str, namespace: str | None = None) -> list[K8sObject]:
        """Visible objects of a built-in kind (in one namespace, if given)."""
        g = self.graph
        key = (self._shared_key(namespace), kind, namespace)
        found = g._objects_of.get(key)
        if found is None:
            found = g._objects_of[key] = self._objects_of(kind, namespace)
        return list(found)

    def _objects_of(self, kind: str, namespace: str | None) -> list[K8sObject]:
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
        return list(self._selected(namespace, selector, label_selector, empty_matches_all)[1])

    def is_selected(self, obj: K8sObject, namespace: str | None, selector: dict[str, Any],
                    label_selector: bool = True, empty_matches_all: bool = True) -> bool:
        """Whether ``obj`` is among :meth:`workloads_selected` (a set lookup once the selection is known)."""
        key, selected = self._selected(namespace, selector, label_selector, empty_matches_all)
        if key is None:
            return any(o is obj for o in selected)
        ids = self.graph._selected_ids.get(key)
        if ids is None:
            ids = self.graph._selected_ids[key] = {id(o) for o in selected}
        return id(obj) in ids

    def _selected(self, namespace: str | None, selector: dict[str, Any], label_selector: bool,
                  empty_matches_all: bool) -> tuple[Hashable, list[K8sObject]]:
        """:meth:`workloads_selected`, computed once per selection: (the cache key, or None when the
        selector cannot be one; the shared list, which callers must not modify)."""
        g = self.graph
        frozen = _freeze(selector)
        key: Hashable = None
        if frozen is not None:
            # what the answer depends on: the unit, whether other units' objects are reached, the
            # asking file when the unit defines an object twice (see _pick), the selection itself
            key = (self._shared_key(namespace), namespace, frozen, label_selector, empty_matches_all)
            found = g._selected.get(key)
            if found is not None:
                return key, found
        pairs = [p for p in selector_pairs(selector) if isinstance(p[1], _HASHABLE)]
        candidates = self._candidates(namespace, pairs)
        if label_selector:
            selected = [o for o in candidates if label_selector_matches(selector, _pod_labels(o), empty_matches_all)]
        else:
            selected = [o for o in candidates if map_selector_matches(selector, _pod_labels(o))]
        if key is not None:
            g._selected[key] = selected
        return key, selected


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
            value_from = env.get("valueFrom") if type(env) is dict else None
            if type(value_from) is not dict:
                continue  # most variables have a value
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


_SELECTOR_PATH = YPath(("spec", "selector"))


def _service(obj: K8sObject) -> _Selector | None:
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return None
    return _Selector("selects", _SELECTOR_PATH, selector, label_selector=False, empty_matches_all=True)


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


def _pdb(obj: K8sObject) -> _Selector | None:
    selector = obj.spec.get("selector")
    if not isinstance(selector, dict):
        return None
    empty_matches_all = not obj.api_version.endswith("v1beta1")
    return _Selector("protects", _SELECTOR_PATH, selector, label_selector=True, empty_matches_all=empty_matches_all)


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


#: selector edges, kept in groups (see EdgeGroup)
_SELECTORS: dict[str, Callable[[K8sObject], _Selector | None]] = {
    "Service": _service,
    "PodDisruptionBudget": _pdb,
}

_EXTRACTORS: dict[str, Callable[[GraphView, K8sObject], Iterator[Edge]]] = {
    "Ingress": _ingress,
    "HorizontalPodAutoscaler": _hpa,
    "RoleBinding": _binding,
    "ClusterRoleBinding": _binding,
}
