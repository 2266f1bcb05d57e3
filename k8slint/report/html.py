"""``--format html``: one self-contained page (no network: inline CSS and script, no external reference).

- A summary by severity, by rule and by file (click one to filter).
- The object graph as an SVG (:func:`k8slint.report.graphs.to_svg`): nodes with
  findings show their count in the colour of their worst severity; clicking a
  node filters the findings to that object.
- The findings table: filters by severity, rule, namespace, file, object and
  free text, sorts by any column, and shows each finding's source lines with
  its line highlighted (all of them when there are few findings, else a click
  on a row opens one; "show source" opens all).

The filter state lives in the URL fragment, so a filtered view can be
bookmarked or linked: ``#severity=error&rule=bare-pod&namespace=shop&file=app.yaml&object=Pod/shop/web&q=text``,
with ``sort=-rule`` (a column, ``-`` for descending) and ``snippets=1`` or ``0``.

A manifest is untrusted input. Every string from one has its control
characters made visible (``\\x1b``; :func:`k8slint.report.safe.visible`; the
caret under a source line counts the escapes' width), then is escaped with
``html.escape(..., quote=True)`` in the markup (summary tables, SVG labels)
or travels in the JSON data block with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>`` can close it), and the
script puts it in the page with ``textContent`` only. A Content-Security-Policy
allows no network access at all and only the page's own script (by hash), so
even a mistake in escaping could not run injected code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..engine import RANK, SEVERITIES
from ..view import around_findings, build_view, node_id, result_key
from .graphs import to_svg
from . import plural
from .safe import is_safe, json_text, visible

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report

CONTEXT = 2  # source lines shown above and below a finding's line
MAX_LINE = 400  # longer source lines are cut in snippets
GRAPH_NODES = 300  # a larger graph is cut to the objects with findings and their neighbours
FILES_LISTED = 50
SNIPPETS_OPEN_UP_TO = 200  # with more findings, snippets open on demand


def _e(text: object) -> str:
    return html.escape(visible(str(text)), quote=True)


def json_for_script(value: object) -> str:
    """JSON that is inert inside ``<script type="application/json">``."""
    return (json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def page_data(report: Report, registry: Registry | None = None) -> dict[str, object]:
    """What the script needs: the findings (short keys), the source lines around
    them (each line once per file), the rules' summaries. Text from the input
    has its control characters made visible; ``u`` is then the caret's column
    in the shown line, when it differs from the finding's column ``c``."""
    default_ns = report.graph.default_namespace if report.graph is not None else "default"
    sources: dict[int, int] = {}  # id(source) -> its index in source_lines
    source_lines: list[dict[int, str]] = []  # line number -> text, for each source
    findings: list[dict[str, str | int]] = []
    x: int | None  # the finding's source in source_lines, -1 for none (None while it is looked up)
    for r in report.results:
        key = result_key(r, default_ns)
        x = -1
        caret = 0
        if r.source is not None and r.line:
            x = sources.get(id(r.source))
            if x is None:
                x = sources[id(r.source)] = len(source_lines)
                source_lines.append({})
            lines = source_lines[x]
            line_of = r.source.line
            for n in range(max(1, r.line - CONTEXT), r.line + CONTEXT + 1):
                if n not in lines:
                    text = line_of(n)
                    if text is None:
                        break
                    lines[n] = visible(text if len(text) <= MAX_LINE else text[:MAX_LINE] + "…", keep="\t")
            before = (line_of(r.line) or "")[:max(0, (r.column or 0) - 1)]
            if not is_safe(before):
                caret = len(visible(before, keep="\t")) + 1
        finding: dict[str, str | int] = {
            "s": r.severity, "r": r.rule, "m": visible(r.message), "f": visible(r.file), "l": r.line or 0,
            "c": r.column or 0, "o": visible(node_id(key)) if key else "", "n": visible(key[1] or "") if key else "",
            "k": visible(f"{key[0]} {key[1]}/{key[2]}" if key[1] else f"{key[0]} {key[2]}") if key else "",
            "p": visible(r.path), "t": visible(r.template or ""), "x": x,
        }
        if caret and caret != r.column:
            finding["u"] = caret
        findings.append(finding)
    rules = registry.rules if registry is not None else {}
    summaries = {rule: rules[rule].summary for rule in sorted({r.rule for r in report.results}) if rule in rules}
    return {"findings": findings, "sources": source_lines, "rules": summaries,
            "snippets": len(findings) <= SNIPPETS_OPEN_UP_TO}


def _summary(report: Report) -> str:
    results = report.results
    s = report.summary()
    counts = s["by_severity"]
    cards = []
    for sev in SEVERITIES:
        cards.append(f'<button type="button" class="card sev-{sev}" data-severity="{sev}">'
                     f'<span class="num">{counts[sev]:,}</span><span class="lbl">'
                     f'{sev if counts[sev] == 1 or sev == "info" else sev + "s"}</span></button>')
    extras = [plural(s["files"], "file"), plural(s["objects"], "object")]
    if s["suppressed"]:
        extras.append(f"{s['suppressed']:,} suppressed")
    if s["baselined"]:
        extras.append(f"{s['baselined']:,} in the baseline")
    by_rule: dict[str, list[int]] = {}  # rule -> [errors, warnings, info]
    by_file: dict[str, list[int]] = {}
    for r in results:
        entry = by_rule.setdefault(r.rule, [0, 0, 0])
        entry[2 - RANK[r.severity]] += 1
        entry = by_file.setdefault(r.file, [0, 0, 0])
        entry[2 - RANK[r.severity]] += 1

    def counts_cells(c: list[int]) -> str:
        return "".join(f'<td class="n sev-{sev}">{c[i]:,}</td>' if c[i] else '<td class="n"></td>'
                       for i, sev in enumerate(SEVERITIES))

    rule_rows = sorted(by_rule.items(), key=lambda kv: (tuple(-x for x in kv[1]), kv[0]))
    file_rows = sorted(by_file.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    parts = [f'<section id="summary"><div class="cards">{"".join(cards)}</div>',
             f'<p class="meta">{_e(" · ".join(extras))}</p>']
    if results:
        head = '<tr><th>{}</th><th class="n">errors</th><th class="n">warnings</th><th class="n">info</th></tr>'
        parts.append('<div class="tables"><div><h2>By rule</h2><table class="by-rule"><thead>' + head.format("rule")
                     + "</thead><tbody>")
        parts.extend(f'<tr data-rule="{_e(rule)}" tabindex="0"><td>{_e(rule)}</td>{counts_cells(c)}</tr>'
                     for rule, c in rule_rows)
        parts.append('</tbody></table></div><div><h2>By file</h2><table class="by-file"><thead>' + head.format("file")
                     + "</thead><tbody>")
        parts.extend(f'<tr data-file="{_e(name)}" tabindex="0"><td>{_e(name)}</td>{counts_cells(c)}</tr>'
                     for name, c in file_rows[:FILES_LISTED])
        parts.append("</tbody></table>")
        if len(file_rows) > FILES_LISTED:
            parts.append(f'<p class="note">and {len(file_rows) - FILES_LISTED:,} more files with fewer findings</p>')
        parts.append("</div></div>")
    parts.append("</section>")
    return "".join(parts)


def _graph(report: Report) -> str:
    view = around_findings(build_view(report.graph, report.results), GRAPH_NODES, whole_if_fits=True)
    if not view.nodes:
        return ""
    note = f'<p class="note">{_e(view.note[:1].upper() + view.note[1:])}.</p>' if view.note else ""
    legend = ('<p class="legend"><span class="key sev-error">errors</span><span class="key sev-warning">warnings'
              '</span><span class="key sev-info">info</span><span class="key missing">not in the run</span>'
              '<span class="key dotted">implicit reference</span><span class="key broken">✗ broken reference '
              '(a key or port its target lacks, a conflict: hover for what)</span> Click an object to list its findings; '
              'click it again to list all.</p>')
    return (f'<section id="graph-section"><h2>Object graph <span class="count">{len(view.nodes):,} objects, '
            f'{len(view.edges):,} references</span></h2>{note}{legend}<div class="svgwrap">{to_svg(view)}</div>'
            "</section>")


_FINDINGS = """<section id="findings"><h2>Findings</h2>
<form id="filters" autocomplete="off">
<label>Severity <select id="f-severity"><option value="">all</option><option value="error">error</option>
<option value="warning">warning</option><option value="info">info</option></select></label>
<label>Rule <select id="f-rule"><option value="">all</option></select></label>
<label>Namespace <select id="f-namespace"><option value="">all</option></select></label>
<label>Text <input id="f-q" type="search" placeholder="message, file, object…"></label>
<label class="check"><input id="f-snippets" type="checkbox"> show source</label>
<span id="chips"></span>
<button type="button" id="f-reset">Reset</button>
</form>
<p id="shown-count" class="meta"></p>
<table id="findings-table"><thead><tr><th data-sort="severity">severity</th><th data-sort="rule">rule</th>
<th data-sort="location">location</th><th data-sort="object">object</th><th data-sort="message">message</th></tr>
</thead><tbody></tbody></table>
<p id="no-match" class="note" hidden>No finding matches these filters.</p>
</section>"""

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--err:#cf222e;--err-bg:#ffebe9;
--warn:#9a6700;--warn-bg:#fff8c5;--info:#0969da;--info-bg:#ddf4ff;--hl:#fff8c5;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;
--err:#ff7b72;--err-bg:#3c1618;--warn:#d29922;--warn-bg:#3b2e0a;--info:#58a6ff;--info-bg:#0c2d4d;--hl:#3b2e0a;
--accent:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;padding:20px 28px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:22px 0 8px}
h2 .count{font-weight:normal;color:var(--muted);font-size:13px}
.meta,.note{color:var(--muted);margin:4px 0 10px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin-top:12px}
.card{border:1px solid var(--line);border-radius:8px;background:var(--panel);padding:8px 16px;min-width:120px;
text-align:left;cursor:pointer;color:var(--fg);font:inherit}
.card .num{display:block;font-size:24px;font-weight:600}
.card.sev-error .num{color:var(--err)}
.card.sev-warning .num{color:var(--warn)}
.card.sev-info .num{color:var(--info)}
.card.active{outline:2px solid var(--accent)}
.tables{display:flex;gap:28px;flex-wrap:wrap}
.tables>div{flex:1 1 420px;min-width:0}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;width:5em}
td.n.sev-error{color:var(--err)}
td.n.sev-warning{color:var(--warn)}
td.n.sev-info{color:var(--info)}
.by-rule tbody tr,.by-file tbody tr{cursor:pointer}
.by-rule tbody tr:hover,.by-file tbody tr:hover{background:var(--panel)}
.by-file td:first-child{word-break:break-all}
.svgwrap{overflow:auto;max-height:75vh;border:1px solid var(--line);border-radius:8px;background:var(--panel)}
svg.graph{display:block;font:12px system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
svg .node{cursor:pointer}
svg .node rect{fill:var(--bg);stroke:var(--muted);stroke-width:1.2}
svg .node text{fill:var(--fg)}
svg .node text.kind{fill:var(--muted);font-size:11px}
svg .node text.name{font-weight:600}
svg .node.missing rect{stroke-dasharray:5 4;fill:var(--panel)}
svg .node.missing text.name{font-weight:normal;fill:var(--muted)}
svg .node.sev-error rect{stroke:var(--err);stroke-width:2;fill:var(--err-bg)}
svg .node.sev-warning rect{stroke:var(--warn);stroke-width:2;fill:var(--warn-bg)}
svg .node.sev-info rect{stroke:var(--info);stroke-width:2;fill:var(--info-bg)}
svg .badge circle{fill:var(--muted)}
svg .sev-error .badge circle{fill:var(--err)}
svg .sev-warning .badge circle{fill:var(--warn)}
svg .sev-info .badge circle{fill:var(--info)}
svg .badge text{fill:#fff;font-size:11px;font-weight:700}
svg .node.selected rect{stroke:var(--accent);stroke-width:3.5}
svg .node:focus{outline:none}
svg .node:focus rect{stroke:var(--accent)}
svg .node.dim{opacity:.35}
svg .edge{fill:none;stroke:var(--muted);stroke-width:1.2;opacity:.8}
svg .edge.implicit{stroke-dasharray:2 3}
svg .arrowhead{fill:var(--muted)}
svg .edge.e-selects,svg .edge.e-routes-to{stroke:var(--accent)}
svg .edge.broken{stroke-width:2;opacity:1}
svg .edge.broken.sev-error{stroke:var(--err)}
svg .edge.broken.sev-warning{stroke:var(--warn)}
svg .edge.broken.sev-info{stroke:var(--info)}
svg .edge-problem circle{fill:var(--bg);stroke-width:2}
svg .edge-problem text{font-size:11px;font-weight:700}
svg .edge-problem.sev-error circle{stroke:var(--err)}
svg .edge-problem.sev-error text{fill:var(--err)}
svg .edge-problem.sev-warning circle{stroke:var(--warn)}
svg .edge-problem.sev-warning text{fill:var(--warn)}
svg .edge-problem.sev-info circle{stroke:var(--info)}
svg .edge-problem.sev-info text{fill:var(--info)}
.legend{font-size:12px;color:var(--muted)}
.legend .key{display:inline-block;margin-right:12px;padding:0 6px;border:1.5px solid var(--muted);border-radius:4px}
.legend .key.sev-error{border-color:var(--err);background:var(--err-bg)}
.legend .key.sev-warning{border-color:var(--warn);background:var(--warn-bg)}
.legend .key.sev-info{border-color:var(--info);background:var(--info-bg)}
.legend .key.missing{border-style:dashed}
.legend .key.dotted{border-style:dotted}
.legend .key.broken{border-color:var(--err);color:var(--err)}
#filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;position:sticky;top:0;background:var(--bg);
padding:8px 0;z-index:2;border-bottom:1px solid var(--line)}
#filters select,#filters input[type=search]{font:inherit;padding:3px 6px;border:1px solid var(--line);
border-radius:6px;background:var(--bg);color:var(--fg);max-width:22em}
#filters input[type=search]{width:18em}
button{font:inherit;cursor:pointer}
#f-reset,.chip{border:1px solid var(--line);border-radius:14px;background:var(--panel);color:var(--fg);
padding:2px 10px}
.chip{margin-right:6px}
.chip::after{content:" ✕";color:var(--muted)}
#findings-table th[data-sort]{cursor:pointer;user-select:none}
#findings-table th.asc::after{content:" ▲"}
#findings-table th.desc::after{content:" ▼"}
#findings-table{table-layout:fixed}
#findings-table th:nth-child(1){width:92px}
#findings-table th:nth-child(2){width:16%}
#findings-table th:nth-child(3){width:21%}
#findings-table th:nth-child(4){width:14%}
tr.finding{cursor:pointer}
tr.finding:hover{background:var(--panel)}
tr.finding td{overflow-wrap:anywhere}
tr.finding td.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.badge-sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.badge-sev.sev-error{color:var(--err);background:var(--err-bg)}
.badge-sev.sev-warning{color:var(--warn);background:var(--warn-bg)}
.badge-sev.sev-info{color:var(--info);background:var(--info-bg)}
.objlink{border:0;background:none;padding:0;color:var(--accent);text-align:left}
.tpl,.path{color:var(--muted);font-size:12px}
tr.snippet td{padding:0 8px 10px;border-bottom:1px solid var(--line)}
pre.code{margin:0;padding:6px 0;background:var(--panel);border:1px solid var(--line);border-radius:6px;
overflow-x:auto;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.code .line{display:block;padding:0 10px;white-space:pre}
pre.code .line.hl{background:var(--hl)}
pre.code .ln{display:inline-block;width:4.5em;color:var(--muted);user-select:none}
pre.code .caret{color:var(--err);font-weight:700}
footer{margin-top:30px;color:var(--muted);font-size:12px}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("k8slint-data").textContent);
  var F = data.findings, S = data.sources;
  var RANK = {error: 2, warning: 1, info: 0};
  var KEYS = ["severity", "rule", "namespace", "file", "object", "q", "sort", "snippets"];
  var DEFAULT_SNIPPETS = data.snippets ? "1" : "0";
  var state = {};
  var tbody = document.querySelector("#findings-table tbody");
  var rows = [], snippetRows = [], opened = [], hay = [], order = [];
  var currentSort = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  F.forEach(function (f, i) {
    var tr = el("tr", "finding sev-" + f.s);
    tr.setAttribute("data-index", i);
    var td = el("td", "sev");
    td.appendChild(el("span", "badge-sev sev-" + f.s, f.s));
    tr.appendChild(td);
    tr.appendChild(el("td", "rule", f.r));
    var loc = el("td", "loc");  // break long paths after a slash
    (f.f + (f.l ? ":" + f.l + (f.c ? ":" + f.c : "") : "")).split("/").forEach(function (part, j) {
      if (j) { loc.appendChild(document.createTextNode("/")); loc.appendChild(el("wbr")); }
      loc.appendChild(document.createTextNode(part));
    });
    tr.appendChild(loc);
    var o = el("td", "obj");
    if (f.o) {
      var b = el("button", "objlink", f.k);
      b.type = "button";
      b.setAttribute("data-object", f.o);
      b.title = "only the findings of this object";
      o.appendChild(b);
    }
    tr.appendChild(o);
    var m = el("td", "msg", f.m);
    if (f.p) m.appendChild(el("div", "path", f.p));
    if (f.t) m.appendChild(el("div", "tpl", "rendered from Helm template " + f.t));
    tr.appendChild(m);
    rows.push(tr);
    snippetRows.push(null);
    opened.push(false);
    hay.push([f.m, f.r, f.f + ":" + f.l, f.k, f.o, f.p, f.t].join("\n").toLowerCase());
    order.push(i);
  });

  function snippetRow(i) {
    if (snippetRows[i]) return snippetRows[i];
    var f = F[i], tr = el("tr", "snippet"), td = el("td");
    td.colSpan = 5;
    var pre = el("pre", "code"), lines = f.x >= 0 ? S[f.x] : {};
    for (var n = Math.max(1, f.l - 2); n <= f.l + 2; n++) {
      var text = lines[n];
      if (text === undefined) continue;
      var line = el("span", "line" + (n === f.l ? " hl" : ""));
      line.appendChild(el("span", "ln", n));
      line.appendChild(document.createTextNode(text));
      pre.appendChild(line);
      var col = f.u || f.c;  // the caret's column in the shown line (escapes are wider)
      if (n === f.l && col > 0 && col <= text.length + 1) {
        var caret = el("span", "line hl");
        caret.appendChild(el("span", "ln", ""));
        caret.appendChild(document.createTextNode(" ".repeat(col - 1)));
        caret.appendChild(el("span", "caret", "^"));
        pre.appendChild(caret);
      }
    }
    if (!pre.firstChild) pre.appendChild(el("span", "line", "(no source line)"));
    td.appendChild(pre);
    tr.appendChild(td);
    snippetRows[i] = tr;
    return tr;
  }

  // filter controls --------------------------------------------------------------
  function fill(select, values, label) {
    values.forEach(function (v) {
      var opt = el("option", null, label ? label(v) : v);
      opt.value = v;
      select.appendChild(opt);
    });
  }
  var ruleCount = {}, namespaces = {};
  F.forEach(function (f) { ruleCount[f.r] = (ruleCount[f.r] || 0) + 1; if (f.n) namespaces[f.n] = 1; });
  var selRule = document.getElementById("f-rule"), selSev = document.getElementById("f-severity"),
      selNs = document.getElementById("f-namespace"), inQ = document.getElementById("f-q"),
      inSnip = document.getElementById("f-snippets"), chips = document.getElementById("chips");
  fill(selRule, Object.keys(ruleCount).sort(function (a, b) {
    return ruleCount[b] - ruleCount[a] || (a < b ? -1 : 1);
  }), function (r) { return r + " (" + ruleCount[r] + ")"; });
  fill(selNs, Object.keys(namespaces).sort());

  function ensureOption(select, value) {
    if (!value) return;
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return;
    var opt = el("option", null, value);
    opt.value = value;
    select.appendChild(opt);
  }

  // sorting ------------------------------------------------------------------------
  var SORTS = {
    severity: function (a, b) { return RANK[F[b].s] - RANK[F[a].s]; },
    rule: function (a, b) { return cmp(F[a].r, F[b].r); },
    location: function (a, b) { return cmp(F[a].f, F[b].f) || F[a].l - F[b].l || F[a].c - F[b].c; },
    object: function (a, b) { return cmp(F[a].k, F[b].k); },
    message: function (a, b) { return cmp(F[a].m, F[b].m); }
  };
  function cmp(x, y) { return x < y ? -1 : x > y ? 1 : 0; }

  function sortRows() {
    var key = state.sort || "", desc = key.charAt(0) === "-", name = desc ? key.slice(1) : key;
    if (key === currentSort) return;
    currentSort = key;
    order = F.map(function (_, i) { return i; });
    if (SORTS[name]) {
      order.sort(function (a, b) { var c = SORTS[name](a, b); return (desc ? -c : c) || a - b; });
    }
    var frag = document.createDocumentFragment();
    order.forEach(function (i) { frag.appendChild(rows[i]); if (snippetRows[i]) frag.appendChild(snippetRows[i]); });
    tbody.appendChild(frag);
    document.querySelectorAll("#findings-table th[data-sort]").forEach(function (th) {
      var s = th.getAttribute("data-sort");
      th.classList.toggle("asc", s === name && !desc);
      th.classList.toggle("desc", s === name && desc);
    });
  }

  // applying the state ---------------------------------------------------------------
  function matches(i) {
    var f = F[i];
    if (state.severity && f.s !== state.severity) return false;
    if (state.rule && f.r !== state.rule) return false;
    if (state.namespace && f.n !== state.namespace) return false;
    if (state.file && f.f !== state.file) return false;
    if (state.object && f.o !== state.object) return false;
    if (state.q && hay[i].indexOf(state.q.toLowerCase()) < 0) return false;
    return true;
  }

  function chip(label, key) {
    var b = el("button", "chip", label);
    b.type = "button";
    b.title = "remove this filter";
    b.addEventListener("click", function () { state[key] = ""; update(); });
    chips.appendChild(b);
  }

  function apply() {
    sortRows();
    var shown = 0, showSnippets = state.snippets === "1", objects = {};
    for (var i = 0; i < F.length; i++) {
      var visible = matches(i);
      rows[i].hidden = !visible;
      if (visible) { shown++; if (F[i].o) objects[F[i].o] = 1; }
      var open = visible && (showSnippets || opened[i]);
      if (open && !snippetRows[i]) rows[i].parentNode.insertBefore(snippetRow(i), rows[i].nextSibling);
      if (snippetRows[i]) snippetRows[i].hidden = !open;
    }
    document.getElementById("shown-count").textContent =
      "Showing " + shown.toLocaleString("en") + " of " + F.length.toLocaleString("en") + " findings";
    document.getElementById("no-match").hidden = shown > 0 || F.length === 0;
    selSev.value = state.severity;
    ensureOption(selRule, state.rule);
    selRule.value = state.rule;
    ensureOption(selNs, state.namespace);
    selNs.value = state.namespace;
    if (document.activeElement !== inQ) inQ.value = state.q;
    inSnip.checked = showSnippets;
    chips.textContent = "";
    if (state.file) chip("file: " + state.file, "file");
    if (state.object) chip("object: " + state.object, "object");
    document.querySelectorAll(".card[data-severity]").forEach(function (c) {
      c.classList.toggle("active", c.getAttribute("data-severity") === state.severity);
    });
    var filtered = state.severity || state.rule || state.namespace || state.file || state.q;
    document.querySelectorAll("svg.graph .node").forEach(function (n) {
      var id = n.getAttribute("data-id");
      n.classList.toggle("selected", id === state.object);
      n.classList.toggle("dim", !!filtered && !objects[id]);
    });
  }

  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    KEYS.forEach(function (k) { state[k] = p.get(k) || ""; });
    if (state.snippets !== "1" && state.snippets !== "0") state.snippets = DEFAULT_SNIPPETS;
  }

  function writeHash() {
    var p = new URLSearchParams();
    KEYS.forEach(function (k) {
      if (state[k] && !(k === "snippets" && state[k] === DEFAULT_SNIPPETS)) p.set(k, state[k]);
    });
    var h = p.toString(), target = h ? "#" + h : location.pathname + location.search;
    if (("#" + h) === location.hash || (!h && !location.hash)) return;
    try { history.replaceState(null, "", target); } catch (err) { location.hash = h; }
  }

  function update() { apply(); writeHash(); }

  // events ---------------------------------------------------------------------------
  selSev.addEventListener("change", function () { state.severity = selSev.value; update(); });
  selRule.addEventListener("change", function () { state.rule = selRule.value; update(); });
  selNs.addEventListener("change", function () { state.namespace = selNs.value; update(); });
  var typing = null;
  inQ.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { state.q = inQ.value; update(); }, 120);
  });
  inSnip.addEventListener("change", function () { state.snippets = inSnip.checked ? "1" : "0"; update(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    KEYS.forEach(function (k) { state[k] = ""; });
    state.snippets = DEFAULT_SNIPPETS;
    update();
  });
  document.getElementById("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  document.querySelectorAll("#findings-table th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var s = th.getAttribute("data-sort");
      state.sort = state.sort === s ? "-" + s : state.sort === "-" + s ? "" : s;
      update();
    });
  });
  document.querySelectorAll(".card[data-severity]").forEach(function (c) {
    c.addEventListener("click", function () {
      var s = c.getAttribute("data-severity");
      state.severity = state.severity === s ? "" : s;
      update();
    });
  });
  function activate(selector, key) {
    document.querySelectorAll(selector).forEach(function (tr) {
      function go() {
        var v = tr.getAttribute("data-" + key);
        state[key] = state[key] === v ? "" : v;
        update();
        document.getElementById("findings").scrollIntoView({block: "start"});
      }
      tr.addEventListener("click", go);
      tr.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(); });
    });
  }
  activate(".by-rule tbody tr", "rule");
  activate(".by-file tbody tr", "file");
  document.querySelectorAll("svg.graph .node").forEach(function (n) {
    function go() {
      var id = n.getAttribute("data-id");
      state.object = state.object === id ? "" : id;
      update();
    }
    n.addEventListener("click", go);
    n.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); }
    });
  });
  tbody.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.objlink");
    if (b) {
      var id = b.getAttribute("data-object");
      state.object = state.object === id ? "" : id;
      update();
      return;
    }
    if (window.getSelection && String(window.getSelection())) return;  // selecting text, not clicking
    var tr = ev.target.closest("tr.finding");
    if (!tr) return;
    var i = +tr.getAttribute("data-index");
    opened[i] = !opened[i];
    if (state.snippets === "1" && !opened[i]) { opened[i] = true; }
    apply();
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });

  // a graph a little wider than the page is scaled down to fit; a much wider one scrolls
  var svg = document.querySelector("svg.graph"), wrap = svg && svg.parentNode;
  if (svg && wrap.clientWidth) {
    var w = +svg.getAttribute("width"), h = +svg.getAttribute("height"), scale = (wrap.clientWidth - 2) / w;
    if (scale < 1 && scale >= 0.7) {
      svg.setAttribute("width", Math.floor(w * scale));
      svg.setAttribute("height", Math.floor(h * scale));
    }
  }

  readHash();
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
CSP = (f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def render(report: Report, registry: Registry | None = None) -> str:
    counts = report.counts()
    title_counts = ", ".join(plural(counts[s], s) for s in SEVERITIES if counts[s]) or "no problems found"
    version = ".".join(map(str, report.kube_version)) if report.kube_version else ""
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        "<title>k8slint report</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<header><h1>k8slint report: {_e(title_counts)}</h1>',
        f'<p class="meta">k8slint {_e(__version__)}'
        + (f" · Kubernetes {_e(version)}" if version else "") + "</p></header>",
        _summary(report),
        _graph(report),
        _FINDINGS,
        f"<footer>Generated by k8slint {_e(__version__)}. Filters are kept in the address (after #), "
        "so a filtered view can be bookmarked.</footer>",
        f'<script type="application/json" id="k8slint-data">{json_for_script(page_data(report, registry))}</script>',
        f"<script>{_JS}</script>",
        "</body></html>\n",
    ]
    return "\n".join(parts)


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    stream.write(render(report, registry))
