"""The object graph as text: Graphviz DOT, Mermaid, JSON and SVG.

Each renderer turns a :class:`k8slint.view.View` into text. DOT marks a
missing node dashed, Mermaid gives it the ``missing`` class, JSON says
``"missing": true``. :func:`to_svg` draws a layered layout computed here,
with no dependency: columns by role, Ingress -> Service -> workloads -> what
they use -> RBAC.

Names from manifests are escaped for each format, and their control
characters made visible (``\\x1b``; :func:`k8slint.report.safe.visible`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..engine import RANK
from ..view import Node, Problem, View, node_id, object_line
from .safe import visible

if TYPE_CHECKING:
    from ..graph import Key


def _dot_string(*lines: str) -> str:
    """A double-quoted dot string; several lines are joined with dot's own line break."""
    return '"' + "\\n".join(visible(text.replace("\r", " ").replace("\n", " ")).replace("\\", "\\\\")
                              .replace('"', '\\"') for text in lines) + '"'


def _label_name(node: Node) -> str:
    return f"{node.namespace}/{node.name}" if node.namespace else node.name


def _findings_label(node: Node) -> str:
    return f"{node.findings} finding{'s' if node.findings != 1 else ''}"


_DOT_SEVERITY = {"error": ("#fde2e1", "#cf222e"), "warning": ("#fff4d6", "#bf8700"), "info": ("#ddf4ff", "#0969da")}


@dataclass
class Arrow:
    """The edges of one (source, target, kind), drawn as one arrow: implicit
    and optional only if all of them are; their problems together."""

    source: Key
    target: Key
    kind: str
    implicit: bool
    optional: bool
    count: int
    problems: list[Problem]

    @property
    def worst(self) -> str | None:
        return max((p.severity for p in self.problems), key=RANK.__getitem__, default=None)

    def label(self, times: str) -> str:
        return self.kind + (" (optional)" if self.optional else "") + (f" {times}{self.count}" if self.count > 1 else "")

    def problem_text(self, limit: int = 2) -> str:
        """The problems in a few words: "no key 'a'; no key 'b'; +1 more"."""
        labels = [p.label for p in self.problems]
        shown = "; ".join(labels[:limit])
        return shown + (f"; +{len(labels) - limit} more" if len(labels) > limit else "")


def _edge_groups(view: View) -> list[Arrow]:
    """Edges collapsed by (source, target, kind): the diagrams draw one arrow per
    relation, however many fields write it."""
    groups: dict[tuple[Key, Key, str], Arrow] = {}
    for e in view.edges:
        k = (e.source.key, e.target, e.kind)
        g = groups.get(k)
        if g is None:
            groups[k] = Arrow(e.source.key, e.target, e.kind, e.implicit, e.optional, 1, list(e.problems))
        else:
            g.implicit = g.implicit and e.implicit
            g.optional = g.optional and e.optional
            g.count += 1
            g.problems.extend(p for p in e.problems if p not in g.problems)
    return list(groups.values())


def _namespaces(view: View) -> list[tuple[int, str | None, list[Node]]]:
    """(index, namespace, nodes) for the diagrams' namespace boxes: cluster-scoped
    objects (namespace None) first, then the namespaces by name."""
    by_ns: dict[str | None, list[Node]] = {}
    for node in view.nodes.values():
        by_ns.setdefault(node.namespace, []).append(node)
    return [(i, ns, by_ns[ns]) for i, ns in enumerate(sorted(by_ns, key=lambda n: (n is not None, n or "")))]


def _grouped(view: View, node_line: Callable[[Node, str], str], opening: Callable[[int, str], str],
             closing: str) -> list[str]:
    """Node lines, cluster-scoped first, then one group per namespace (DOT and Mermaid alike)."""
    lines: list[str] = []
    for i, ns, nodes in _namespaces(view):
        if ns is None:
            lines.extend(node_line(n, "  ") for n in nodes)
            continue
        lines.append(opening(i, ns))
        lines.extend(node_line(n, "    ") for n in nodes)
        lines.append(closing)
    return lines


def _label_parts(node: Node, missing: str, findings: Callable[[str], str], text: Callable[[str], str]) -> list[str]:
    """What a node's label says: kind, name, whether it is missing, how many findings."""
    parts = [text(node.kind), text(node.name)]
    if node.missing:
        parts.append(missing)
    if node.findings:
        parts.append(findings(_findings_label(node)))
    return parts


def to_dot(view: View) -> str:
    lines = ["digraph k8slint {", "  rankdir=LR;", '  graph [fontname="Helvetica", fontsize=10];',
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#57606a", '
             'fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=9, color="#57606a"];']
    def node_line(node: Node, indent: str) -> str:
        label = _label_parts(node, "(missing)", str, str)
        attrs = []
        if node.missing:
            attrs.append('style="rounded,dashed,filled", fillcolor="#f6f8fa", fontcolor="#57606a"')
        if node.findings:
            fill, stroke = _DOT_SEVERITY[cast(str, node.worst)]  # set: it has findings
            if not node.missing:
                attrs.append(f'fillcolor="{fill}"')
            attrs.append(f'color="{stroke}", penwidth=2')
        if node.key == view.focus:
            attrs.append("peripheries=2")
        return f"{indent}{_dot_string(node.id)} [label={_dot_string(*label)}{', ' if attrs else ''}{', '.join(attrs)}];"

    lines += _grouped(view, node_line, lambda i, ns: (
        f"  subgraph cluster_{i} {{\n"
        f'    label={_dot_string("namespace " + ns)}; style="rounded,dashed"; color="#8c959f";'), "  }")
    for a in _edge_groups(view):
        label = [a.label("×")]
        style = ", style=dotted" if a.implicit else ""
        if a.problems:
            label.append("✗ " + a.problem_text())
            stroke = _DOT_SEVERITY[cast(str, a.worst)][1]
            style += f', color="{stroke}", fontcolor="{stroke}", penwidth=2'
        lines.append(f"  {_dot_string(node_id(a.source))} -> {_dot_string(node_id(a.target))} "
                     f"[label={_dot_string(*label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for what Mermaid,
    Markdown or HTML would read (quotes, angle brackets, ampersands, backticks)."""
    out = []
    for ch in visible(str(text), keep="\r\n\t"):
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
        parts = _label_parts(node, "<i>missing</i>", lambda text: f"<b>{text}</b>", mermaid_text)
        return f'{indent}{ids[node.key]}["{"<br/>".join(parts)}"]'

    lines += _grouped(view, node_line, lambda i, ns: f'  subgraph ns{i}["namespace {mermaid_text(ns)}"]', "  end")
    marked: dict[str, list[int]] = {}  # severity -> indexes of the links with problems (for linkStyle)
    for i, a in enumerate(_edge_groups(view)):
        label = mermaid_text(a.label("x"))
        if a.problems:
            label += "<br/>✗ " + mermaid_text(a.problem_text())
            marked.setdefault(cast(str, a.worst), []).append(i)
        arrow = "-.->" if a.implicit else "-->"
        lines.append(f"  {ids[a.source]} {arrow}|{label}| {ids[a.target]}")
    classes: dict[str, list[str]] = {"missing": [], "error": [], "warning": [], "info": [], "focus": []}
    for node in view.nodes.values():
        if node.missing:
            classes["missing"].append(ids[node.key])
        if node.findings:
            classes[cast(str, node.worst)].append(ids[node.key])  # set: it has findings
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
    for severity, links in marked.items():
        stroke = _DOT_SEVERITY[severity][1]
        lines.append(f"  linkStyle {','.join(map(str, links))} stroke:{stroke},stroke-width:2px,color:{stroke}")
    return "\n".join(lines) + "\n"


def node_json(node: Node) -> dict[str, str | int | None]:
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


def to_json(view: View) -> dict[str, object]:
    nodes = []
    for node in view.nodes.values():
        item = node_json(node)
        if view.with_findings:
            item["findings"] = node.findings
            item["severity"] = node.worst
        nodes.append(item)
    edges = [{"source": node_id(e.source.key), "target": node_id(e.target), "kind": e.kind, "path": str(e.path),
              "implicit": e.implicit, "optional": e.optional,
              "problems": [{"rule": p.rule, "severity": p.severity, "message": p.label} for p in e.problems]}
             for e in view.edges]
    out: dict[str, object] = {"nodes": nodes, "edges": edges}
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
    positions: dict[Key, tuple[int, int]]  # key -> (x, y) of the node's top-left corner
    columns: dict[Key, int]  # key -> column index (after empty columns are dropped)
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
    columns: list[list[Key]] = [[] for _ in used]
    for k in sorted(view.nodes, key=lambda k: (k[1] or "", COLUMNS.get(k[0], OTHER_COLUMN), k[0], k[2])):
        columns[col[k]].append(k)
    pos = {k: i for c in columns for i, k in enumerate(c)}
    near = view.neighbours()
    for sweep in range(sweeps):
        order = range(len(columns)) if sweep % 2 == 0 else range(len(columns) - 1, -1, -1)
        for c in order:
            keys = columns[c]

            def centre(k: Key) -> float:
                linked = [pos[n] for n in near[k] if col[n] != c]
                return sum(linked) / len(linked) if linked else pos[k]

            keys.sort(key=lambda k: (centre(k), pos[k]))
            for i, k in enumerate(keys):
                pos[k] = i
    positions: dict[Key, tuple[int, int]] = {}
    for c, keys in enumerate(columns):
        for i, k in enumerate(keys):
            positions[k] = (MARGIN + c * (NODE_W + GAP_X), MARGIN + i * (NODE_H + GAP_Y))
    tallest = max((len(c) for c in columns), default=0)
    width = MARGIN * 2 + max(0, len(columns) * (NODE_W + GAP_X) - GAP_X) + 40
    height = MARGIN * 2 + max(0, tallest * (NODE_H + GAP_Y) - GAP_Y)
    return Layout(positions, col, width, height)


def _short(text: str, limit: int = _NAME_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _edge_curve(a: tuple[int, int], b: tuple[int, int], same_column: bool) -> tuple[str, tuple[float, float]]:
    """An edge's cubic curve from node ``a`` to node ``b`` (top-left corners) as SVG path
    data, and the curve's middle point (where a problem label goes)."""
    (x1, y1), (x2, y2) = a, b
    y1c, y2c = y1 + NODE_H / 2, y2 + NODE_H / 2
    if same_column:
        sx, tx = x1 + NODE_W, x2 + NODE_W
        bend = 36 + min(60, abs(y2 - y1) / 8)
        c1, c2, end = sx + bend, tx + bend, tx + 4
    elif x2 > x1:
        sx, tx = x1 + NODE_W, x2
        dx = (tx - sx) / 2
        c1, c2, end = sx + dx, tx - dx, tx - 4
    else:
        sx, tx = x1, x2 + NODE_W
        dx = (sx - tx) / 2
        c1, c2, end = sx - dx, tx + dx, tx + 4
    middle = ((sx + 3 * c1 + 3 * c2 + end) / 8, (y1c + y2c) / 2)  # the Bezier curve at t = 1/2
    return f"M{sx},{y1c} C{c1},{y1c} {c2},{y2c} {end},{y2c}", middle


def to_svg(view: View, element_id: str = "k8slint-graph") -> str:
    """The view as an inline SVG element (no external references, every label
    escaped). Each node is a ``<g class="node" data-id="Kind/ns/name">``;
    nodes with findings carry ``sev-<worst>`` and a badge with their count;
    missing nodes the ``missing`` class (dashed)."""
    lay = layout(view)

    def esc(text: str) -> str:
        return html.escape(visible(text))

    out = [f'<svg id="{esc(element_id)}" class="graph" role="img" width="{lay.width}" height="{lay.height}" '
           f'viewBox="0 0 {lay.width} {lay.height}" aria-label="object graph">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
           '<g class="edges">']
    labels: list[str] = []  # problem labels on edges
    for a in _edge_groups(view):
        s, t = a.source, a.target
        d, (mx, my) = _edge_curve(lay.positions[s], lay.positions[t], lay.columns[s] == lay.columns[t])
        edge_classes = f"edge e-{esc(a.kind)}" + (" implicit" if a.implicit else "") + \
            (" optional" if a.optional else "") + (f" broken sev-{a.worst}" if a.problems else "")
        title = f"{node_id(s)} {a.kind} {node_id(t)}" + (" (implicit)" if a.implicit else "") + \
            (" (optional)" if a.optional else "") + (f": {a.problem_text(limit=5)}" if a.problems else "")
        out.append(f'<path class="{edge_classes}" d="{d}" marker-end="url(#arrow)" data-source="{esc(node_id(s))}" '
                   f'data-target="{esc(node_id(t))}"><title>{esc(title)}</title></path>')
        if a.problems:
            # a mark in the gap between the columns; what is wrong is in its tooltip, as on the edge
            labels.append(f'<g class="edge-problem sev-{a.worst}" transform="translate({mx:g},{my:g})">'
                          f'<title>{esc(title)}</title><circle r="8"/><text y="4" text-anchor="middle">✗</text></g>')
    out.append("</g>")
    out.extend(labels)  # above the edges, below the nodes
    out.append("<g class=\"nodes\">")
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
