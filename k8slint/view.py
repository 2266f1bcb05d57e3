"""The object graph as the views and reports see it: nodes and edges, selected.

The graph drawn is the one the rules use (:class:`k8slint.graph.Graph`):
its objects and the edges it extracted, nothing recomputed. A reference to an
object that is not in the run (a ConfigMap that is mounted, a ServiceAccount
that is named, but neither is defined) is a *missing* node. An object defined
in several units (two renders of one chart) is one node per unit.

A :class:`View` is a selection of that graph (nodes and the edges between
them). :func:`build_view` makes the whole one, :func:`select` narrows it
(``--namespace``, ``--kind``, ``--focus``), :func:`around_findings` keeps the
objects with findings and their neighbours (the reports use it). The
renderers that turn a view into text are in :mod:`k8slint.report.graphs`.

networkx is never imported here: the Graph's own edges are the source.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from .engine import RANK
from .load import locate
from .kube.kinds import CLUSTER_SCOPED

if TYPE_CHECKING:
    from .engine import Result
    from .graph import Graph, Key
    from .model import K8sObject
    from .paths import YPath
    from .units import Unit


# identity ----------------------------------------------------------------------------

def node_id(key: Key) -> str:
    """``Kind/namespace/name``, or ``Kind/name`` for a cluster-scoped object."""
    kind, namespace, name = key
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def object_line(obj: K8sObject) -> int:
    """1-based line where an object starts (a List item: its item)."""
    doc = obj.document
    if obj.base:
        return locate(doc, tuple(obj.base))[0]
    return doc.start_line + 1


def result_key(result: Result, default_namespace: str = "default") -> Key | None:
    """The graph key of the object a finding is about, or None (a file-level finding)."""
    obj = result.obj
    key: Key | None = getattr(obj, "key", None)
    if key is not None:
        return key
    ident = result.identity
    if not isinstance(ident, dict) or not ident.get("kind"):
        return None
    kind = ident["kind"]
    namespace = ident.get("namespace") or (None if kind in CLUSTER_SCOPED else default_namespace)
    return (kind, namespace, ident.get("name") or "")


@dataclass
class Node:
    key: Key
    obj: K8sObject | None = None  # None when missing
    findings: int = 0
    worst: str | None = None  # worst severity of its findings

    @property
    def id(self) -> str:
        return node_id(self.key)

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def namespace(self) -> str | None:
        return self.key[1]

    @property
    def name(self) -> str:
        return self.key[2]

    @property
    def missing(self) -> bool:
        return self.obj is None


@dataclass
class View:
    """A selection of the graph: nodes by key (in a stable order) and the edges between them."""

    nodes: dict[Key, Node] = field(default_factory=dict)
    edges: list[ViewEdge] = field(default_factory=list)  # both ends in ``nodes``
    focus: Key | None = None
    total: int = 0  # nodes in the whole graph
    note: str | None = None  # e.g. why the view is smaller than asked
    with_findings: bool = False  # findings were counted (a report was given)

    def neighbours(self) -> dict[Key, set[Key]]:
        """key -> set of keys linked to it, in either direction."""
        out: dict[Key, set[Key]] = {k: set() for k in self.nodes}
        for e in self.edges:
            s, t = e.source.key, e.target
            if s != t:
                out[s].add(t)
                out[t].add(s)
        return out

    def subview(self, keys: Iterable[Key], note: str | None = None) -> View:
        keys = set(keys)
        return View({k: n for k, n in self.nodes.items() if k in keys},
                    [e for e in self.edges if e.source.key in keys and e.target in keys],
                    self.focus if self.focus in keys else None, self.total, note or self.note, self.with_findings)


def _node_sort_key(key: Key) -> tuple[str, str, str]:
    return (key[1] or "", key[0], key[2])


@dataclass(frozen=True)
class _End:
    key: Key
    obj: K8sObject | None = None


@dataclass(frozen=True)
class Problem:
    """What a finding says is wrong with an edge (a key or port the target lacks)."""

    severity: str
    rule: str
    label: str  # a few words: "no key 'password'"


@dataclass(frozen=True)
class ViewEdge:
    """An edge of the graph with the node keys of the view at both ends."""

    source: _End
    target: Key
    kind: str
    path: YPath
    implicit: bool = False
    optional: bool = False
    problems: tuple[Problem, ...] = ()


class _KeyOf(Protocol):
    def __call__(self, obj: K8sObject | None = None, key: Key | None = None, unit: Unit | None = None) -> Key: ...


def _keys_by_unit(graph: Graph) -> _KeyOf:
    """A node key per object: (kind, namespace, name), with the unit added to the
    name when the same object is defined in several units (two renders of one
    chart hold two objects, not one)."""
    units: dict[Key, set[Unit]] = {}
    for obj in graph.objects:
        units.setdefault(obj.key, set()).add(obj.unit)
    shared = {key for key, found in units.items() if len(found) > 1}

    def key_of(obj: K8sObject | None = None, key: Key | None = None, unit: Unit | None = None) -> Key:
        key = obj.key if obj is not None else cast("Key", key)  # given an object or a key
        unit = obj.unit if obj is not None else unit
        if key in shared and unit is not None and unit.label:
            return (key[0], key[1], f"{key[2]} ({unit.label})")
        return key

    return key_of


def _problems(results: Iterable[Result]) -> dict[tuple[int, Key, str, YPath], list[Problem]]:
    """The problems findings name on edges (Finding ``edges``), by (source object, target, kind, path)."""
    out: dict[tuple[int, Key, str, YPath], list[Problem]] = {}
    for r in results:
        for edge, label in r.edges:
            problem = Problem(r.severity, r.rule, label)
            found = out.setdefault((id(edge.source), edge.target, edge.kind, edge.path), [])
            if problem not in found:
                found.append(problem)
    return out


def build_view(graph: Graph | None, results: Iterable[Result] | None = None, count: bool = True) -> View:
    """The whole graph; with ``results``, each node counts its findings (unless
    ``count`` is false) and the edges findings name carry their problems."""
    view = View()
    if graph is None:
        return view
    results = list(results) if results is not None else None
    problems = _problems(results) if results is not None else {}
    key_of = _keys_by_unit(graph)
    nodes: dict[Key, Node] = {}
    key: Key | None  # an object's key; for a finding, None when it is about no object
    for obj in graph.objects:
        key = key_of(obj)
        if key not in nodes:
            nodes[key] = Node(key, obj)
    edges: list[ViewEdge] = []
    for obj in graph.objects:
        source = _End(key_of(obj), obj)
        for e in graph.out_edges(obj):
            to = getattr(e, "to", None)
            target = key_of(to) if to is not None else key_of(key=e.target, unit=obj.unit)
            found = problems.get((id(obj), e.target, e.kind, e.path))
            edges.append(ViewEdge(source, target, e.kind, e.path, e.implicit, e.optional,
                                  tuple(found) if found else ()))
            if target not in nodes:
                nodes[target] = Node(target, None)
    if results is not None and count:
        view.with_findings = True
        for r in results:
            key = key_of(cast("K8sObject", r.obj)) if getattr(r.obj, "key", None) is not None \
                else result_key(r, graph.default_namespace)
            node = nodes.get(key) if key is not None else None
            if node is not None:
                node.findings += 1
                if node.worst is None or RANK[r.severity] > RANK[node.worst]:
                    node.worst = r.severity
    view.nodes = {k: nodes[k] for k in sorted(nodes, key=_node_sort_key)}
    view.edges = sorted(edges, key=lambda e: (node_id(e.source.key), node_id(e.target), e.kind, str(e.path)))
    view.total = len(view.nodes)
    return view


# selection ---------------------------------------------------------------------------

class FocusError(ValueError):
    """An unknown or ambiguous ``--focus``: a usage error."""


def resolve_focus(view: View, spec: str, namespace: str | None = None) -> Key:
    """The key that ``KIND/NAME`` or ``KIND/NAMESPACE/NAME`` names (kind case-insensitive).

    ``KIND/NAME`` finds a cluster-scoped object, or a namespaced one in
    ``namespace`` when given, else in any namespace as long as only one matches.
    """
    parts = spec.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise FocusError(f"--focus {spec!r}: write KIND/NAME or KIND/NAMESPACE/NAME (e.g. Deployment/shop/web)")
    kind = parts[0].lower()
    if len(parts) == 3:
        matches = [k for k in view.nodes if k[0].lower() == kind and k[1] == parts[1] and k[2] == parts[2]]
    else:
        name = parts[1]
        matches = [k for k in view.nodes if k[0].lower() == kind and k[2] == name]
        if namespace is not None:
            matches = [k for k in matches if k[1] in (namespace, None)]
        if len(matches) > 1:
            listed = ", ".join(node_id(k) for k in matches[:6])
            raise FocusError(f"--focus {spec!r} is ambiguous: {listed}; add the namespace (KIND/NAMESPACE/NAME)")
    if matches:
        return matches[0]
    spelled: dict[str, str] = {}  # lower-case KIND/NS/NAME and KIND/NAME -> the full id
    for k in view.nodes:
        spelled.setdefault(node_id(k).lower(), node_id(k))
        spelled.setdefault(f"{k[0]}/{k[2]}".lower(), node_id(k))
    close = [spelled[c] for c in difflib.get_close_matches(spec.lower(), list(spelled), n=6, cutoff=0.6)]
    if not close:  # the right kind, another name: suggest objects of that kind
        close = [node_id(k) for k in view.nodes if k[0].lower() == kind]
    close = list(dict.fromkeys(close))[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else "; no object of that kind is in the graph"
    raise FocusError(f"--focus {spec!r}: no such object{hint}")


def select(view: View, namespace: str | None = None, kinds: Iterable[str] = (), focus: Key | None = None) -> View:
    """Narrow a view, predictably:

    - ``focus``: the object and its direct neighbours, in both directions
      (found in the whole view); the filters below then narrow that
      neighbourhood, but never remove the focused object itself;
    - ``namespace``: objects in that namespace, plus the cluster-scoped objects
      directly linked to one of them (the ClusterRole a RoleBinding grants);
    - ``kinds``: objects of those kinds (case-insensitive).

    The result keeps every edge whose two ends are kept.
    """
    keys = list(view.nodes)
    # computed when a focus or a namespace needs it (None otherwise, and then never read)
    neighbours = cast("dict[Key, set[Key]]",
                      view.neighbours() if (focus is not None or namespace is not None) else None)
    if focus is not None:
        near = neighbours[focus] | {focus}
        keys = [k for k in keys if k in near]
    if namespace is not None:
        in_ns = {k for k in keys if k[1] == namespace}
        keys = [k for k in keys if k in in_ns or k == focus or
                (k[1] is None and (neighbours[k] & in_ns or (k[0] == "Namespace" and k[2] == namespace)))]
    if kinds:
        wanted = {k.lower() for k in kinds}
        keys = [k for k in keys if k[0].lower() in wanted or k == focus]
    out = view.subview(keys)
    out.focus = focus
    return out


def around_findings(view: View, limit: int, whole_if_fits: bool = False) -> View:
    """The objects with findings and their neighbours, at most ``limit`` nodes.

    Objects with the worst findings come first; when the limit is reached the
    view says so in ``note``. With ``whole_if_fits``, a graph that fits
    is kept whole."""
    if whole_if_fits and len(view.nodes) <= limit:
        return view
    core = sorted((n for n in view.nodes.values() if n.findings),
                  key=lambda n: (-RANK[cast(str, n.worst)], -n.findings, n.id))  # set: it has findings
    neighbours = view.neighbours()
    chosen: dict[Key, bool] = {}
    for node in core:
        if len(chosen) >= limit:
            break
        chosen[node.key] = True
        for other in sorted(neighbours[node.key], key=node_id):
            if len(chosen) >= limit:
                break
            chosen[other] = True
    shown = sum(1 for node in core if node.key in chosen)
    note = None
    if len(chosen) < len(_all_near(core, neighbours)):
        note = (f"showing {len(chosen):,} objects: {shown:,} of the {len(core):,} objects with findings "
                f"(the worst first) and their neighbours")
    return view.subview(chosen, note)


def _all_near(core: list[Node], neighbours: dict[Key, set[Key]]) -> set[Key]:
    out: set[Key] = set()
    for node in core:
        out.add(node.key)
        out.update(neighbours[node.key])
    return out


# text renderers ----------------------------------------------------------------------
