"""``k8slint graph PATH...``: the object graph of a run, as Graphviz, Mermaid, JSON or SVG.

The graph drawn is the one the rules use (:class:`k8slint.graph.Graph`):
its objects and the edges it extracted, nothing recomputed. A reference to an
object that is not in the run (a ConfigMap that is mounted, a ServiceAccount
that is named, but neither is defined) is a *missing* node: dashed in dot, the
``missing`` class in Mermaid, ``"missing": true`` in JSON.

A :class:`View` is a selection of that graph (nodes and the edges between
them). :func:`build_view` makes the whole one, :func:`select` narrows it
(``--namespace``, ``--kind``, ``--focus``), :func:`around_findings` keeps the
objects with findings and their neighbours (the reports use it), and the
renderers turn a view into text: :func:`to_dot`, :func:`to_mermaid`,
:func:`to_json`, :func:`to_svg` (a layered layout computed here, with no
dependency: columns by role, Ingress -> Service -> workloads -> what they use
-> RBAC).

networkx is never imported here: the Graph's own edges are the source.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import sys
from dataclasses import dataclass, field

from .engine import RANK

# identity ----------------------------------------------------------------------------

def node_id(key: tuple) -> str:
    """``Kind/namespace/name``, or ``Kind/name`` for a cluster-scoped object."""
    kind, namespace, name = key
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def object_line(obj) -> int:
    """1-based line where an object starts (a List item: its item)."""
    from .engine import locate

    doc = obj.document
    if obj.base:
        return locate(doc, tuple(obj.base))[0]
    return doc.start_line + 1


def result_key(result, default_namespace: str = "default"):
    """The graph key of the object a finding is about, or None (a file-level finding)."""
    obj = result.obj
    key = getattr(obj, "key", None)
    if key is not None:
        return key
    ident = result.object
    if not isinstance(ident, dict) or not ident.get("kind"):
        return None
    from .kube.kinds import CLUSTER_SCOPED

    kind = ident["kind"]
    namespace = ident.get("namespace") or (None if kind in CLUSTER_SCOPED else default_namespace)
    return (kind, namespace, ident.get("name") or "")


@dataclass
class Node:
    key: tuple
    obj: object = None  # the K8sObject; None when missing
    findings: int = 0
    worst: str | None = None  # worst severity of its findings

    @property
    def id(self) -> str:
        return node_id(self.key)

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def namespace(self):
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

    nodes: dict = field(default_factory=dict)  # key -> Node
    edges: list = field(default_factory=list)  # k8slint.graph.Edge, both ends in ``nodes``
    focus: tuple | None = None
    total: int = 0  # nodes in the whole graph
    note: str | None = None  # e.g. why the view is smaller than asked
    with_findings: bool = False  # findings were counted (a report was given)

    def neighbours(self) -> dict:
        """key -> set of keys linked to it, in either direction."""
        out: dict = {k: set() for k in self.nodes}
        for e in self.edges:
            s, t = e.source.key, e.target
            if s != t:
                out[s].add(t)
                out[t].add(s)
        return out

    def subview(self, keys, note=None) -> "View":
        keys = set(keys)
        return View({k: n for k, n in self.nodes.items() if k in keys},
                    [e for e in self.edges if e.source.key in keys and e.target in keys],
                    self.focus if self.focus in keys else None, self.total, note or self.note, self.with_findings)


def _node_sort_key(key: tuple) -> tuple:
    return (key[1] or "", key[0], key[2])


@dataclass(frozen=True)
class _End:
    key: tuple
    obj: object = None


@dataclass(frozen=True)
class ViewEdge:
    """An edge of the graph with the node keys of the view at both ends."""

    source: _End
    target: tuple
    kind: str
    path: object
    implicit: bool = False
    optional: bool = False


def _keys_by_unit(graph):
    """A node key per object: (kind, namespace, name), with the unit added to the
    name when the same object is defined in several units (two renders of one
    chart hold two objects, not one)."""
    units: dict = {}
    for obj in graph.objects:
        units.setdefault(obj.key, set()).add(obj.unit)
    shared = {key for key, found in units.items() if len(found) > 1}

    def key_of(obj=None, key=None, unit=None):
        key = obj.key if obj is not None else key
        unit = obj.unit if obj is not None else unit
        if key in shared and unit is not None and unit.label:
            return (key[0], key[1], f"{key[2]} ({unit.label})")
        return key

    return key_of


def build_view(graph, results=None) -> View:
    """The whole graph; with ``results``, each node counts its findings."""
    view = View()
    if graph is None:
        return view
    key_of = _keys_by_unit(graph)
    nodes: dict = {}
    for obj in graph.objects:
        key = key_of(obj)
        if key not in nodes:
            nodes[key] = Node(key, obj)
    edges = []
    for obj in graph.objects:
        source = _End(key_of(obj), obj)
        for e in graph.out_edges(obj):
            to = getattr(e, "to", None)
            target = key_of(to) if to is not None else key_of(key=e.target, unit=obj.unit)
            edges.append(ViewEdge(source, target, e.kind, e.path, e.implicit, e.optional))
            if target not in nodes:
                nodes[target] = Node(target, None)
    if results is not None:
        view.with_findings = True
        for r in results:
            key = key_of(r.obj) if getattr(r.obj, "key", None) is not None else result_key(r, graph.default_namespace)
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


def resolve_focus(view: View, spec: str, namespace: str | None = None) -> tuple:
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
    spelled: dict = {}  # lower-case KIND/NS/NAME and KIND/NAME -> the full id
    for k in view.nodes:
        spelled.setdefault(node_id(k).lower(), node_id(k))
        spelled.setdefault(f"{k[0]}/{k[2]}".lower(), node_id(k))
    close = [spelled[c] for c in difflib.get_close_matches(spec.lower(), list(spelled), n=6, cutoff=0.6)]
    if not close:  # the right kind, another name: suggest objects of that kind
        close = [node_id(k) for k in view.nodes if k[0].lower() == kind]
    close = list(dict.fromkeys(close))[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else "; no object of that kind is in the graph"
    raise FocusError(f"--focus {spec!r}: no such object{hint}")


def select(view: View, namespace: str | None = None, kinds=(), focus: tuple | None = None) -> View:
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
    neighbours = view.neighbours() if (focus is not None or namespace is not None) else None
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
                  key=lambda n: (-RANK[n.worst], -n.findings, n.id))
    neighbours = view.neighbours()
    chosen: dict = {}
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


def _all_near(core, neighbours) -> set:
    out = set()
    for node in core:
        out.add(node.key)
        out.update(neighbours[node.key])
    return out


# text renderers ----------------------------------------------------------------------

def _dot_string(*lines: str) -> str:
    """A double-quoted dot string; several lines are joined with dot's own line break."""
    return '"' + "\\n".join(text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")
                              for text in lines) + '"'


def _label_name(node: Node) -> str:
    return f"{node.namespace}/{node.name}" if node.namespace else node.name


def _findings_label(node: Node) -> str:
    return f"{node.findings} finding{'s' if node.findings != 1 else ''}"


_DOT_SEVERITY = {"error": ("#fde2e1", "#cf222e"), "warning": ("#fff4d6", "#bf8700"), "info": ("#ddf4ff", "#0969da")}


def _edge_groups(view: View) -> list:
    """Edges collapsed by (source, target, kind): the diagrams draw one arrow per
    relation, however many fields write it; implicit only if all are."""
    groups: dict = {}
    for e in view.edges:
        k = (e.source.key, e.target, e.kind)
        g = groups.get(k)
        if g is None:
            groups[k] = [e.implicit, e.optional, 1]
        else:
            g[0] = g[0] and e.implicit
            g[1] = g[1] and e.optional
            g[2] += 1
    return [(s, t, kind, implicit, optional, count) for (s, t, kind), (implicit, optional, count) in groups.items()]


def _namespaces(view: View) -> list:
    """(index, namespace, nodes) for the diagrams' namespace boxes: cluster-scoped
    objects (namespace None) first, then the namespaces by name."""
    by_ns: dict = {}
    for node in view.nodes.values():
        by_ns.setdefault(node.namespace, []).append(node)
    return [(i, ns, by_ns[ns]) for i, ns in enumerate(sorted(by_ns, key=lambda n: (n is not None, n or "")))]


def _edge_label(kind: str, optional: bool, count: int, times: str) -> str:
    return kind + (" (optional)" if optional else "") + (f" {times}{count}" if count > 1 else "")


def to_dot(view: View) -> str:
    lines = ["digraph k8slint {", "  rankdir=LR;", '  graph [fontname="Helvetica", fontsize=10];',
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#57606a", '
             'fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=9, color="#57606a"];']
    def node_line(node: Node, indent: str) -> str:
        label = [node.kind, node.name]
        attrs = []
        if node.missing:
            label.append("(missing)")
            attrs.append('style="rounded,dashed,filled", fillcolor="#f6f8fa", fontcolor="#57606a"')
        if node.findings:
            label.append(_findings_label(node))
            fill, stroke = _DOT_SEVERITY[node.worst]
            if not node.missing:
                attrs.append(f'fillcolor="{fill}"')
            attrs.append(f'color="{stroke}", penwidth=2')
        if node.key == view.focus:
            attrs.append("peripheries=2")
        return f"{indent}{_dot_string(node.id)} [label={_dot_string(*label)}{', ' if attrs else ''}{', '.join(attrs)}];"

    for i, ns, nodes in _namespaces(view):
        if ns is None:
            lines.extend(node_line(n, "  ") for n in nodes)
            continue
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f'    label={_dot_string("namespace " + ns)}; style="rounded,dashed"; color="#8c959f";')
        lines.extend(node_line(n, "    ") for n in nodes)
        lines.append("  }")
    for s, t, kind, implicit, optional, count in _edge_groups(view):
        label = _edge_label(kind, optional, count, "×")
        style = ", style=dotted" if implicit else ""
        lines.append(f"  {_dot_string(node_id(s))} -> {_dot_string(node_id(t))} [label={_dot_string(label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for what Mermaid,
    Markdown or HTML would read (quotes, angle brackets, ampersands, backticks)."""
    out = []
    for ch in str(text):
        if ch in '#"<>&`[]{}()|\\*_~':
            out.append(f"#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(view: View, direction: str = "LR") -> str:
    """A Mermaid flowchart: one subgraph per namespace; missing nodes have the
    ``missing`` class, nodes with findings the class of their worst severity."""
    ids = {key: f"n{i}" for i, key in enumerate(view.nodes)}
    lines = [f"flowchart {direction}"]

    def node_line(node: Node, indent: str) -> str:
        parts = [mermaid_text(node.kind), mermaid_text(node.name)]
        if node.missing:
            parts.append("<i>missing</i>")
        if node.findings:
            parts.append(f"<b>{_findings_label(node)}</b>")
        return f'{indent}{ids[node.key]}["{"<br/>".join(parts)}"]'

    for i, ns, nodes in _namespaces(view):
        if ns is None:
            lines.extend(node_line(n, "  ") for n in nodes)
            continue
        lines.append(f'  subgraph ns{i}["namespace {mermaid_text(ns)}"]')
        lines.extend(node_line(n, "    ") for n in nodes)
        lines.append("  end")
    for s, t, kind, implicit, optional, count in _edge_groups(view):
        label = _edge_label(kind, optional, count, "x")
        arrow = "-.->" if implicit else "-->"
        lines.append(f"  {ids[s]} {arrow}|{mermaid_text(label)}| {ids[t]}")
    classes = {"missing": [], "error": [], "warning": [], "info": [], "focus": []}
    for node in view.nodes.values():
        if node.missing:
            classes["missing"].append(ids[node.key])
        if node.findings:
            classes[node.worst].append(ids[node.key])
        if node.key == view.focus:
            classes["focus"].append(ids[node.key])
    styles = {"missing": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:5 5,color:#57606a",
              "error": "fill:#fde2e1,stroke:#cf222e,stroke-width:2px",
              "warning": "fill:#fff4d6,stroke:#bf8700,stroke-width:2px",
              "info": "fill:#ddf4ff,stroke:#0969da,stroke-width:2px",
              "focus": "stroke-width:4px"}
    for name, members in classes.items():
        if members:
            lines.append(f"  classDef {name} {styles[name]}")
            lines.append(f"  class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


def node_json(node: Node) -> dict:
    obj = node.obj
    out = {"id": node.id, "apiVersion": obj.api_version if obj is not None else None, "kind": node.kind,
           "namespace": node.namespace, "name": obj.name if obj is not None else node.name,
           "file": obj.document.source.display if obj is not None else None,
           "line": object_line(obj) if obj is not None else None,
           "unit": (obj.unit.label or None) if obj is not None else None,
           "missing": node.missing}
    if obj is not None and obj.document.template:
        out["template"] = obj.document.template
    return out


def to_json(view: View) -> dict:
    nodes = []
    for node in view.nodes.values():
        item = node_json(node)
        if view.with_findings:
            item["findings"] = node.findings
            item["severity"] = node.worst
        nodes.append(item)
    edges = [{"source": node_id(e.source.key), "target": node_id(e.target), "kind": e.kind, "path": str(e.path),
              "implicit": e.implicit, "optional": e.optional} for e in view.edges]
    out = {"nodes": nodes, "edges": edges}
    if view.focus is not None:
        out["focus"] = node_id(view.focus)
    if view.note:
        out["note"] = view.note
    return out


# layered SVG layout ------------------------------------------------------------------

_WORKLOAD_KINDS = frozenset({"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                             "ReplicationController", "Job", "CronJob"})
#: column of each kind: traffic enters on the left, permissions end on the right
COLUMNS = {
    "Ingress": 0, "IngressClass": 0, "Gateway": 0, "HTTPRoute": 0, "GRPCRoute": 0,
    "Service": 1, "HorizontalPodAutoscaler": 1, "PodDisruptionBudget": 1, "NetworkPolicy": 1,
    **{k: 2 for k in _WORKLOAD_KINDS},
    "ConfigMap": 3, "Secret": 3, "PersistentVolumeClaim": 3, "ServiceAccount": 3,
    "RoleBinding": 4, "ClusterRoleBinding": 4,
    "Role": 5, "ClusterRole": 5,
}
OTHER_COLUMN = 6

NODE_W, NODE_H, GAP_Y, GAP_X, MARGIN = 184, 46, 14, 70, 24
_NAME_CHARS = 25


@dataclass
class Layout:
    positions: dict  # key -> (x, y) of the node's top-left corner
    columns: dict  # key -> column index (after empty columns are dropped)
    width: int
    height: int


def layout(view: View, sweeps: int = 4) -> Layout:
    """Columns by role; within a column, nodes ordered to shorten edges
    (a few barycentre sweeps: each node moves towards the mean position of
    its neighbours in the other columns)."""
    raw_col = {k: COLUMNS.get(k[0], OTHER_COLUMN) for k in view.nodes}
    used = sorted(set(raw_col.values()))
    remap = {c: i for i, c in enumerate(used)}
    col = {k: remap[c] for k, c in raw_col.items()}
    columns: list = [[] for _ in used]
    for k in sorted(view.nodes, key=lambda k: (k[1] or "", COLUMNS.get(k[0], OTHER_COLUMN), k[0], k[2])):
        columns[col[k]].append(k)
    pos = {k: i for c in columns for i, k in enumerate(c)}
    near = view.neighbours()
    for sweep in range(sweeps):
        order = range(len(columns)) if sweep % 2 == 0 else range(len(columns) - 1, -1, -1)
        for c in order:
            keys = columns[c]

            def centre(k):
                linked = [pos[n] for n in near[k] if col[n] != c]
                return sum(linked) / len(linked) if linked else pos[k]

            keys.sort(key=lambda k: (centre(k), pos[k]))
            for i, k in enumerate(keys):
                pos[k] = i
    positions = {}
    for c, keys in enumerate(columns):
        for i, k in enumerate(keys):
            positions[k] = (MARGIN + c * (NODE_W + GAP_X), MARGIN + i * (NODE_H + GAP_Y))
    tallest = max((len(c) for c in columns), default=0)
    width = MARGIN * 2 + max(0, len(columns) * (NODE_W + GAP_X) - GAP_X) + 40
    height = MARGIN * 2 + max(0, tallest * (NODE_H + GAP_Y) - GAP_Y)
    return Layout(positions, col, width, height)


def _short(text: str, limit: int = _NAME_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _edge_path(a: tuple, b: tuple, same_column: bool) -> str:
    (x1, y1), (x2, y2) = a, b
    y1c, y2c = y1 + NODE_H / 2, y2 + NODE_H / 2
    if same_column:
        sx, tx = x1 + NODE_W, x2 + NODE_W
        bend = 36 + min(60, abs(y2 - y1) / 8)
        return f"M{sx},{y1c} C{sx + bend},{y1c} {tx + bend},{y2c} {tx + 4},{y2c}"
    if x2 > x1:
        sx, tx = x1 + NODE_W, x2
        dx = (tx - sx) / 2
        return f"M{sx},{y1c} C{sx + dx},{y1c} {tx - dx},{y2c} {tx - 4},{y2c}"
    sx, tx = x1, x2 + NODE_W
    dx = (sx - tx) / 2
    return f"M{sx},{y1c} C{sx - dx},{y1c} {tx + dx},{y2c} {tx + 4},{y2c}"


def to_svg(view: View, element_id: str = "k8slint-graph") -> str:
    """The view as an inline SVG element (no external references, every label
    escaped). Each node is a ``<g class="node" data-id="Kind/ns/name">``;
    nodes with findings carry ``sev-<worst>`` and a badge with their count;
    missing nodes the ``missing`` class (dashed)."""
    lay = layout(view)
    esc = html.escape
    out = [f'<svg id="{esc(element_id)}" class="graph" role="img" width="{lay.width}" height="{lay.height}" '
           f'viewBox="0 0 {lay.width} {lay.height}" aria-label="object graph">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
           '<g class="edges">']
    for s, t, kind, implicit, optional, count in _edge_groups(view):
        d = _edge_path(lay.positions[s], lay.positions[t], lay.columns[s] == lay.columns[t])
        classes = f"edge e-{esc(kind)}" + (" implicit" if implicit else "") + (" optional" if optional else "")
        title = f"{node_id(s)} {kind} {node_id(t)}" + (" (implicit)" if implicit else "") + \
            (" (optional)" if optional else "")
        out.append(f'<path class="{classes}" d="{d}" marker-end="url(#arrow)" data-source="{esc(node_id(s))}" '
                   f'data-target="{esc(node_id(t))}"><title>{esc(title)}</title></path>')
    out.append("</g><g class=\"nodes\">")
    for key, node in view.nodes.items():
        x, y = lay.positions[key]
        classes = ["node"]
        if node.missing:
            classes.append("missing")
        if node.findings:
            classes.append(f"sev-{node.worst}")
        if key == view.focus:
            classes.append("focus")
        title = node.id + (" (not in the run)" if node.missing else "") + \
            (f": {_findings_label(node)}" if node.findings else "")
        out.append(f'<g class="{" ".join(classes)}" data-id="{esc(node.id)}" '
                   f'data-findings="{node.findings}" transform="translate({x},{y})" tabindex="0" role="button">'
                   f'<title>{esc(title)}</title>'
                   f'<rect width="{NODE_W}" height="{NODE_H}" rx="6" ry="6"/>'
                   f'<text x="10" y="18" class="kind">{esc(_short(node.kind + (" (missing)" if node.missing else "")))}'
                   f'</text><text x="10" y="36" class="name">{esc(_short(_label_name(node)))}</text>')
        if node.findings:
            out.append(f'<g class="badge"><circle cx="{NODE_W - 4}" cy="4" r="12"/>'
                       f'<text x="{NODE_W - 4}" y="8" text-anchor="middle">{node.findings}</text></g>')
        out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)


# the command -------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    from .cli import add_chart_arguments

    p = argparse.ArgumentParser(
        prog="k8slint graph",
        description="Print the object graph of the manifests: which object references which (mounts, env, envFrom, "
                    "serviceAccount, imagePullSecret, claims, selects, routes-to, tls, scales, protects, binds, "
                    "grants). References to objects that are not in the run are 'missing' nodes.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (a folder with a Chart.yaml or kustomization.yaml is rendered); "
                        "- reads stdin")
    out = p.add_argument_group("output")
    out.add_argument("--format", choices=("dot", "mermaid", "json"), default="dot",
                     help="dot (Graphviz, the default), mermaid, or json")
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    narrow = p.add_argument_group("narrowing")
    narrow.add_argument("--namespace", metavar="NS",
                        help="only objects in NS (and the cluster-scoped objects linked to them)")
    narrow.add_argument("--kind", action="append", default=[], metavar="KIND",
                        help="only objects of this kind (repeatable, or comma-separated; case-insensitive)")
    narrow.add_argument("--focus", metavar="KIND/NAME",
                        help="one object and its direct neighbours (KIND/NAME or KIND/NAMESPACE/NAME)")
    inputs = p.add_argument_group("inputs")
    inputs.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip files and folders matching GLOB (repeatable; .gitignore-style)")
    inputs.add_argument("--default-namespace", metavar="NS",
                        help="namespace of objects that set none, and Helm's --namespace (default: the "
                             "configuration's namespace, else default)")
    inputs.add_argument("--config", metavar="FILE", help="configuration file (for its exclude and namespace)")
    inputs.add_argument("--no-config", action="store_true", help="do not look for a configuration file")
    add_chart_arguments(p, "read")
    return p


def _error(message: str) -> int:
    print(f"k8slint graph: error: {message}", file=sys.stderr)
    return 2


def cmd_graph(argv) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error argparse already printed
        return done.code if isinstance(done.code, int) else 2
    if not args.paths:
        parser.print_usage(sys.stderr)
        return _error("no paths given (use - to read from stdin)")
    from .cli import load_inputs, read_config, utf8_stream
    from .config import ConfigError
    from .graph import Graph
    from .runner import build_objects

    try:
        config = read_config(args)
    except ConfigError as err:
        return _error(str(err))
    default_namespace = args.default_namespace or config.get("namespace") or "default"
    loaded = load_inputs(args, config, args.default_namespace or config.get("namespace"))
    objects = build_objects(loaded.documents, default_namespace)[0]
    view = build_view(Graph(objects, default_namespace))
    focus = None
    if args.focus:
        try:
            focus = resolve_focus(view, args.focus, args.namespace)
        except FocusError as err:
            return _error(str(err))
    kinds = [k.strip() for v in args.kind for k in v.split(",") if k.strip()]
    view = select(view, args.namespace, kinds, focus)
    if args.format == "json":
        text = json.dumps(to_json(view), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "mermaid":
        text = to_mermaid(view)
    else:
        text = to_dot(view)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as err:
            return _error(f"cannot write {args.output}: {err.strerror or err}")
    else:
        stream = utf8_stream(sys.stdout)
        stream.write(text)
        stream.flush()
    unreadable = [p for p in loaded.problems if p.document is None]  # duplicate keys still make objects
    for i, problem in enumerate(unreadable):
        if i == 10:
            print(f"k8slint graph: warning: and {len(unreadable) - 10} more unreadable files or documents",
                  file=sys.stderr)
            break
        print(f"k8slint graph: warning: {problem.source.display}:{problem.line + 1}:{problem.column + 1}: "
              f"{problem.message} (not in the graph)", file=sys.stderr)
    for message in loaded.missing:
        print(f"k8slint graph: error: {message}", file=sys.stderr)
    if loaded.missing:
        return 2
    if not objects:
        print("k8slint graph: warning: no Kubernetes objects found in the given paths", file=sys.stderr)
    return 0
