"""`--format html`: one self-contained, escaped page; rendered for real in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from test_report_markdown import many_deployments

from k8slint.cli import main
from k8slint.engine import Settings
from k8slint.report import html
from k8slint.pipeline import lint

DATA = "tests/data/graph"
PWNED = "data-pwned"


@pytest.fixture(scope="module")
def page(fixture_report, registry) -> str:
    return html.render(fixture_report, registry)


def data_block(page: str) -> str:
    return re.search(r'<script type="application/json" id="k8slint-data">(.*?)</script>', page, re.S).group(1)


def inline_script(page: str) -> str:
    return re.search(r"<script>(.*?)</script>", page, re.S).group(1)


# the page itself -----------------------------------------------------------------------

def test_self_contained_no_network(page):
    assert "<link" not in page.lower() and "@import" not in page
    assert not re.search(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    assert "http://" not in page and "https://" not in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert "default-src 'none'" in csp and "connect-src" not in csp


def test_the_policy_allows_exactly_the_page_script(page):
    digest = base64.b64encode(hashlib.sha256(inline_script(page).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "unsafe-inline'; img" in page and "script-src 'unsafe-inline'" not in page


def test_manifest_text_is_escaped(page, fixture_report, registry):
    # exactly the page's two script elements: nothing from a manifest opens or closes one
    assert page.count("<script") == 2 and page.count("</script") == 2
    block = data_block(page)
    assert "<img" not in page and "document.title='pwned'" not in page.replace(block, "")
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003cscript\\u003edocument.title='pwned'" in block
    assert json.loads(block) == json.loads(json.dumps(html.page_data(fixture_report, registry)))
    # in the markup (SVG labels and titles, summary tables), escaped with html.escape
    assert "ConfigMap/shop/&lt;/script&gt;&lt;script&gt;document.body.setAttribute(&#x27;data-pwned&#x27;" in page


def test_page_data(fixture_report, registry):
    data = html.page_data(fixture_report, registry)
    assert len(data["findings"]) == len(fixture_report.results) and data["snippets"] is True
    [snippet] = [f for f in data["findings"] if f["r"] == "ingress-nginx-snippet"]
    assert (snippet["o"], snippet["n"], snippet["k"]) == ("Ingress/shop/promo", "shop", "Ingress shop/promo")
    lines = data["sources"][snippet["x"]]
    result = next(r for r in fixture_report.results if r.rule == "ingress-nginx-snippet")
    assert {int(n) for n in lines} >= set(range(snippet["l"] - 2, snippet["l"] + 3))
    assert lines[snippet["l"]] == result.source.line(result.line)
    assert "<script>document.title='pwned'" in lines[snippet["l"]]
    assert data["rules"]["bare-pod"] == registry["bare-pod"].summary


def test_summary_by_severity_rule_and_file(page, fixture_report):
    counts = fixture_report.counts()
    assert re.search(rf'data-severity="warning"><span class="num">{counts["warning"]}</span>', page)
    rules = re.findall(r'<tr data-rule="([^"]+)"', page)
    assert set(rules) == {r.rule for r in fixture_report.results}
    files = re.findall(r'<tr data-file="([^"]+)"', page)
    assert files[0] == f"{DATA}/hostile.yaml" and len(files) == 3


def test_ten_thousand_findings(tmp_path, registry):
    (tmp_path / "many.yaml").write_text(many_deployments(1250))
    report = lint([str(tmp_path / "many.yaml")], registry, Settings(enabled={"termination-message-policy"}))
    assert len(report.results) == 10_000
    out = io.StringIO()
    html.write(report, out, registry)  # its speed is measured in bench/, not here
    page = out.getvalue()
    assert len(page) < 8_000_000
    data = json.loads(data_block(page))
    assert len(data["findings"]) == 10_000 and data["snippets"] is False
    nodes = re.findall(r'<g class="node[^"]*" data-id="', page)
    assert len(nodes) == html.GRAPH_NODES and "Showing 300 objects: " in page


def test_command_line_output_file(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "report.html"
    assert main(["--format", "html", "--output", str(target), "--fail-on", "never", DATA]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_empty_report(lint_text, registry):
    page = html.render(lint_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), registry)
    assert "<h1>k8slint report: no problems found</h1>" in page and "By rule" not in page
    assert json.loads(data_block(page))["findings"] == []


# for real, in a browser ----------------------------------------------------------------------

def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (no `chromium` or `chromium-browser` on PATH); "
                ".ci/run installs Debian's chromium package to run this test")


class Dom(HTMLParser):
    """The bits of a dumped DOM the test looks at."""

    def __init__(self, text: str):
        super().__init__()
        self.rows = []  # (data-index, classes, hidden) of tr.finding
        self.snippets = []  # hidden flag of tr.snippet
        self.nodes = []  # (data-id, classes) of the SVG nodes
        self.html_attrs = {}
        self.body_attrs = {}
        self.head_title = None
        self.shown_count = None
        self.headers = {}  # data-sort -> classes
        self._stack = []
        self._in_head = False
        self._capture = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.html_attrs = a
        elif tag == "head":
            self._in_head = True
        elif tag == "body":
            self.body_attrs = a
        elif tag == "title" and self._in_head:
            self._capture = "title"
        elif tag == "tr" and "finding" in classes:
            self.rows.append((int(a["data-index"]), classes, "hidden" in a))
        elif tag == "tr" and "snippet" in classes:
            self.snippets.append("hidden" in a)
        elif tag == "g" and "node" in classes:
            self.nodes.append((a["data-id"], classes))
        elif tag == "p" and a.get("id") == "shown-count":
            self._capture = "shown"
        elif tag == "th" and "data-sort" in a:
            self.headers[a["data-sort"]] = classes

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag in ("title", "p"):
            self._capture = None

    def handle_data(self, data):
        if self._capture == "title":
            self.head_title = (self.head_title or "") + data
        elif self._capture == "shown":
            self.shown_count = (self.shown_count or "") + data

    def visible(self) -> list:
        return [i for i, _, hidden in self.rows if not hidden]


FRAGMENTS = ("", "severity=warning", "severity=error", "rule=resources-missing", "namespace=ops",
             "severity=info&rule=resources-missing", "q=PROMO-preview", "object=Deployment/shop/web", "sort=-rule",
             "sort=severity&snippets=0")


@pytest.fixture(scope="module")
def browser_run(tmp_path_factory, page):
    """Runs Chromium on the fixture report; the DOMs for FRAGMENTS are dumped up front, in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    exe = chromium()
    work = tmp_path_factory.mktemp("html-report")
    report = work / "report.html"
    report.write_text(page, encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
             "--no-default-browser-check", "--hide-scrollbars"]
    profiles = iter(range(1_000_000))

    def run(*args, fragment: str = "") -> subprocess.CompletedProcess:
        url = report.as_uri() + (f"#{fragment}" if fragment else "")
        profile = work / f"profile-{next(profiles)}"  # one per process: runs may overlap
        return subprocess.run([exe, *flags, f"--user-data-dir={profile}", *args, url], capture_output=True,
                              text=True, timeout=180)

    def dump_now(fragment: str) -> tuple[Dom, str]:
        done = run("--virtual-time-budget=5000", "--dump-dom", fragment=fragment)
        assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-3000:]
        return Dom(done.stdout), done.stdout

    with ThreadPoolExecutor(max_workers=4) as pool:
        dumps = dict(zip(FRAGMENTS, pool.map(dump_now, FRAGMENTS)))

    def dump(fragment: str = "") -> tuple[Dom, str]:
        if fragment not in dumps:
            dumps[fragment] = dump_now(fragment)
        return dumps[fragment]

    run.dump = dump
    run.work = work
    run.report = report
    return run


def test_table_rows_and_graph_nodes_in_chromium(browser_run, fixture_report, registry):
    dom, text = browser_run.dump()
    assert dom.html_attrs.get("data-ready") == "1"  # the script ran to its end (the policy allowed it)
    results = fixture_report.results
    assert len(dom.rows) == len(results) and len(dom.visible()) == len(results)
    assert dom.shown_count == f"Showing {len(results)} of {len(results)} findings"
    assert len(dom.snippets) == len(results) and not any(dom.snippets)  # few findings: every snippet shown
    from k8slint.view import build_view

    expected = {n.id for n in build_view(fixture_report.graph).nodes.values()}
    assert {node_id for node_id, _ in dom.nodes} == expected
    assert {"Deployment/shop/web", "Service/shop/api", "ClusterRole/view"} <= expected
    marked = {node_id: classes for node_id, classes in dom.nodes}
    assert "sev-warning" in marked["Deployment/shop/web"] and "missing" in marked["Service/shop/api"]
    # the finding's line is highlighted in its snippet, the manifest text shown as text
    assert re.search(r'<span class="line hl"><span class="ln">10</span>\s+nginx\.ingress\.kubernetes\.io/'
                     r"configuration-snippet: \"&lt;script&gt;document\.title='pwned';", text)


def test_hostile_manifest_text_does_not_run_in_chromium(browser_run):
    dom, text = browser_run.dump()
    assert PWNED not in dom.body_attrs and f"{PWNED}=" not in text.replace(f"'{PWNED}'", "")
    assert dom.head_title == "k8slint report"
    assert "&lt;script&gt;document.title='pwned';document.body.setAttribute('data-pwned','1')&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=document.body.setAttribute('data-pwned','1')&gt;" in text
    assert "<img" not in text


def test_filters_from_the_address_in_chromium(browser_run, fixture_report):
    results = fixture_report.results

    def visible(fragment: str) -> list:
        dom, _ = browser_run.dump(fragment)
        assert dom.html_attrs.get("data-ready") == "1"
        return [results[i] for i in dom.visible()]

    warnings = visible("severity=warning")
    assert warnings and len(warnings) == sum(r.severity == "warning" for r in results)
    assert all(r.severity == "warning" for r in warnings)
    assert visible("severity=error") == []
    rule = visible("rule=resources-missing")
    assert len(rule) == 3 and {r.rule for r in rule} == {"resources-missing"}
    assert {r.obj.key for r in visible("namespace=ops")} == {("CronJob", "ops", "backup")}
    assert len(visible("severity=info&rule=resources-missing")) == 0
    assert {r.rule for r in visible("q=PROMO-preview")} >= {"bare-pod", "resources-missing"}
    # a node's click sets this: the findings of one object, and the node selected
    dom, _ = browser_run.dump("object=Deployment/shop/web")
    shown = [results[i] for i in dom.visible()]
    assert shown and all(r.obj.key == ("Deployment", "shop", "web") for r in shown)
    assert len(shown) == sum(r.obj.key == ("Deployment", "shop", "web") for r in results)
    selected = [node_id for node_id, classes in dom.nodes if "selected" in classes]
    assert selected == ["Deployment/shop/web"]


def test_sorting_from_the_address_in_chromium(browser_run, fixture_report):
    results = fixture_report.results
    dom, _ = browser_run.dump("sort=-rule")
    order = [results[i].rule for i, _, _ in dom.rows]
    assert order == sorted(order, reverse=True)
    assert "desc" in dom.headers["rule"] and "asc" not in dom.headers["rule"]
    dom, _ = browser_run.dump("sort=severity&snippets=0")
    assert [results[i].severity for i, _, _ in dom.rows][0] == "warning" and dom.snippets == []


def test_screenshot_artifact_in_chromium(browser_run):
    shot = browser_run.work / "artifacts" / "k8slint-report.png"
    shot.parent.mkdir(exist_ok=True)
    done = browser_run("--virtual-time-budget=5000", f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-3000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    target = os.environ.get("K8SLINT_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
        shutil.copy(browser_run.report, Path(target) / "k8slint-report.html")


CLICKS = """
<script>
(function () {
  // test harness: what a reader does, recorded on <body> for the dumped DOM
  function count() { return document.querySelectorAll("tr.finding:not([hidden])").length; }
  function record(name) { document.body.setAttribute("data-" + name, location.hash + "|" + count()); }
  var node = Array.prototype.find.call(document.querySelectorAll("svg.graph .node"),
                                       function (n) { return n.getAttribute("data-id") === "Deployment/shop/web"; });
  node.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  record("after-node");
  node.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  record("after-node-again");
  var sev = document.getElementById("f-severity");
  sev.value = "info";
  sev.dispatchEvent(new Event("change", {bubbles: true}));
  record("after-severity");
  document.querySelector('#findings-table th[data-sort="rule"]').click();
  record("after-sort");
  document.querySelector('.by-rule tr[data-rule="resources-missing"]').click();
  record("after-rule");
  document.getElementById("f-reset").click();
  record("after-reset");
})();
</script>
"""


def test_clicks_filter_the_table_and_update_the_address_in_chromium(browser_run, page, fixture_report):
    """The page's own controls, used in the browser: a node click, a select, a header, a summary row."""
    harness = browser_run.work / "clicks.html"
    # the harness script is not the page's: drop the policy that would (rightly) block it
    unlocked = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    harness.write_text(unlocked.replace("</body>", CLICKS + "</body>"), encoding="utf-8")
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-first-run", f"--user-data-dir={browser_run.work / 'profile-clicks'}",
                           "--virtual-time-budget=5000", "--dump-dom", harness.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    body = Dom(done.stdout).body_attrs
    results = fixture_report.results
    on_web = sum(r.obj.key == ("Deployment", "shop", "web") for r in results)
    infos = sum(r.severity == "info" for r in results)
    assert body["data-after-node"] == f"#object=Deployment%2Fshop%2Fweb|{on_web}"
    assert body["data-after-node-again"] == f"|{len(results)}"
    assert body["data-after-severity"] == f"#severity=info|{infos}"
    assert body["data-after-sort"] == f"#severity=info&sort=rule|{infos}"
    assert body["data-after-rule"] == "#severity=info&rule=resources-missing&sort=rule|0"
    assert body["data-after-reset"] == f"|{len(results)}"
