"""`--format markdown`: valid GitHub-flavoured Markdown, escaped, short at any number of findings."""

from __future__ import annotations

import io
import re

import pytest
from conftest import ROOT
from markdown_it import MarkdownIt

from k8slint.cli import main
from k8slint.engine import Settings
from k8slint.report import markdown
from k8slint.pipeline import lint

DATA = "tests/data/graph"
GITHUB_COMMENT_LIMIT = 65_536


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch):
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)


def many_deployments(count: int, namespaces: int = 5) -> str:
    """``count`` Deployments (and their Services): 8 findings each with the default rules."""
    docs = []
    for i in range(count):
        ns = f"team-{i % namespaces}"
        docs.append(f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
        - name: main
          image: registry.example.com/app:latest
          volumeMounts: [{{name: cfg, mountPath: /etc/app}}]
      volumes:
        - name: cfg
          configMap: {{name: app-{i}-config}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: {ns}}}
spec: {{selector: {{app: app-{i}}}, ports: [{{port: 80}}]}}
""")
    return "---\n".join(docs)


def to_html(text: str) -> str:
    """What a CommonMark renderer with GFM tables (raw HTML allowed, as on GitHub) makes of it."""
    return MarkdownIt("commonmark").enable("table").render(text)


def check_tables(text: str) -> int:
    """Every table row has as many cells as its header (an unescaped | would add one); returns the rows."""
    rows = 0
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|(?:\s*-+:?\s*\|)+", line):
            width = len(re.findall(r"(?<!\\)\|", lines[i - 1]))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == width, lines[j]
                rows += 1
                j += 1
    return rows


def test_summary_tables_details_and_links(fixture_report, registry, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = markdown.render(fixture_report, registry)
    counts = fixture_report.counts()
    assert text.startswith(f"## k8slint: {counts['warning']} warnings, {counts['info']} info\n")
    assert f"| 🟡 warning | {counts['warning']} |" in text
    rules = re.findall(r"^\| `([a-z-]+)` \| (\w+) \| (\d+) \|", text, re.M)
    by_rule: dict = {}
    for r in fixture_report.results:
        by_rule[r.rule] = by_rule.get(r.rule, 0) + 1
    assert {rule: int(n) for rule, _, n in rules} == by_rule
    # top rules first: warnings before info, then the most frequent
    assert [sev for _, sev, _ in rules] == sorted((sev for _, sev, _ in rules), key=["warning", "info"].index)
    assert rules[0][0] == "resources-missing"
    assert re.findall(r"<strong>([a-z-]+)</strong>", text) == [rule for rule, _, _ in rules]
    assert text.count("<details open>") == len(rules) == text.count("</details>")  # few findings: open
    assert "[tests/data/graph/shop.yaml:59](tests/data/graph/shop.yaml#L59) | Deployment shop/web |" in text
    assert check_tables(text) == len(rules) + len(fixture_report.results) + 2  # + the severity rows
    html = to_html(text)
    assert html.count("<table>") == 2 + len(rules)
    assert '<a href="tests/data/graph/shop.yaml#L59">tests/data/graph/shop.yaml:59</a>' in html


def test_manifest_text_is_escaped(fixture_report, registry):
    text = markdown.render(fixture_report, registry)
    for raw in ("<script", "</script", "<img"):
        assert raw not in text
    html = to_html(text)
    assert "<script" not in html and "<img" not in html
    mermaid = text.split("```mermaid\n")[1].split("```")[0]
    assert "#60;/script#62;" in mermaid and '"' not in "".join(re.findall(r'\["(.*)"\]', mermaid))


@pytest.mark.parametrize("raw, shown", [
    ("a|b", "a|b"), ("`code`", "`code`"), ("<script>x</script>", "<script>x</script>"),
    ("**bold** _it_ ~~del~~", "**bold** _it_ ~~del~~"), ("[link](javascript:x)", "[link](javascript:x)"),
    ("a & b &amp; c", "a & b &amp; c"), ("back\\slash", "back\\slash"), ("two\nlines", "two lines"),
])
def test_escape_shows_text_literally(raw, shown):
    html = to_html(f"| h |\n|---|\n| {markdown.escape(raw)} |\n")
    cell = re.search(r"<td>(.*)</td>", html, re.S).group(1)
    import html as html_module

    assert html_module.unescape(cell) == shown
    assert "<a " not in html and "<script" not in html and "<strong>" not in html and "<em>" not in html


def test_mentions_are_defused():
    assert "@\u2060octocat" in markdown.escape("@octocat")


def test_no_findings(lint_text, registry):
    report = lint_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert markdown.render(report, registry) == "## k8slint: no problems found\n\nChecked 1 file (1 object).\n"


def test_links_only_to_files_in_the_working_directory(lint_text, registry, tmp_path, monkeypatch):
    report = lint_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n",
                       name="my pod (1).yaml")
    [r] = [r for r in report.results if r.rule == "bare-pod"]
    monkeypatch.chdir(tmp_path)
    assert markdown.location(r) == "[" + markdown.escape(f"{r.file}:{r.line}") + f"](my%20pod%20%281%29.yaml#L{r.line})"
    monkeypatch.chdir(ROOT)
    assert markdown.location(r) == markdown.escape(f"{r.file}:{r.line}")  # outside: no link
    r.source.path = None  # standard input, rendered output: no file to link
    assert markdown.location(r) == markdown.escape(f"{r.file}:{r.line}")


def test_links_in_github_actions_go_to_the_checked_commit(lint_text, registry, tmp_path, monkeypatch):
    report = lint_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n",
                       name="pod.yaml")
    [r] = [r for r in report.results if r.rule == "bare-pod"]
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/shop")
    monkeypatch.setenv("GITHUB_SHA", "0123abcd")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    expected = f"https://github.com/acme/shop/blob/0123abcd/{tmp_path.name}/pod.yaml#L{r.line}"
    assert markdown.location(r).endswith(f"]({expected})")


def test_readable_at_a_thousand_findings(tmp_path, registry, monkeypatch):
    (tmp_path / "many.yaml").write_text(many_deployments(125))
    monkeypatch.chdir(tmp_path)
    # termination-message-policy is opt-in; turned on, each Deployment gets eight findings
    report = lint(["many.yaml"], registry, Settings(enabled={"termination-message-policy"}))
    assert len(report.results) == 1000
    text = markdown.render(report, registry)
    assert len(text) < GITHUB_COMMENT_LIMIT
    sections = re.findall(r"<details><summary>.*?<strong>([a-z-]+)</strong>: (.*?)</summary>\n(.*?)</details>",
                          text, re.S)
    assert len(sections) == 8 and "<details open>" not in text  # collapsed
    assert [s[0] for s in sections][:4] == ["image-tag-latest", "missing-readiness-probe",
                                            "resources-missing", "sa-token-automount"]  # warnings first
    for rule, counted, body in sections:
        assert counted == ("125 warnings" if "warning" in counted else "125 info")
        rows = len(re.findall(r"^\| \[many\.yaml:\d+\]", body, re.M))
        assert markdown.FIRST_ROWS <= rows <= markdown.ROWS_PER_RULE
        left = re.search(r"…and ([\d,]+) more findings? of this rule not listed", body)
        assert left and rows + int(left.group(1).replace(",", "")) == 125
    check_tables(text)
    mermaid = text.split("```mermaid\n")[1].split("```")[0]
    assert len(re.findall(r'^\s+n\d+\["', mermaid, re.M)) <= markdown.DIAGRAM_NODES
    assert "_Diagram cut: showing" in text
    html = to_html(text)
    assert html.count("<details>") == 8


@pytest.mark.parametrize("rules", [8, 60, 1000])
def test_within_the_limit_however_many_rules_fire(tmp_path, registry, monkeypatch, rules):
    """A run where many rules fire (custom rule packs, a big repository) still fits:
    the rows get what the rest leaves, and past some number of rules the diagram goes."""
    import dataclasses

    (tmp_path / "many.yaml").write_text(many_deployments(250))
    monkeypatch.chdir(tmp_path)
    report = lint(["many.yaml"], registry, Settings())
    report.results = [dataclasses.replace(r, rule=f"custom-rule-{i % rules:03d}", message=r.message * 3)
                      for i, r in enumerate(report.results)]
    text = markdown.render(report, registry)
    assert markdown.LIMIT - 3_000 < len(text) <= markdown.LIMIT  # the room is used, and no more
    check_tables(text)
    in_table = len(re.findall(r"^\| `custom-rule-\d+` \|", text, re.M))
    sections = len(re.findall(r"<details><summary>", text))
    listed = len(re.findall(r"^\| \[many\.yaml:\d+\]", text, re.M))
    if rules <= 60:  # every rule has its place; the rows fill what is left
        assert in_table == sections == rules and listed > 0
        assert "```mermaid" in text
    else:  # the rules with the most findings first; each cut says what it left out
        assert 0 < sections < in_table < rules and "```mermaid" not in text
        assert f"…and {rules - in_table} more rules with fewer findings" in text
        left = re.search(r"([\d,]+) findings of ([\d,]+) more rules not listed for lack of room", text)
        assert left and int(left.group(2)) == rules - sections


def test_ten_thousand_findings(tmp_path, registry):
    (tmp_path / "many.yaml").write_text(many_deployments(1250))
    report = lint([str(tmp_path / "many.yaml")], registry, Settings(enabled={"termination-message-policy"}))
    assert len(report.results) == 10_000
    out = io.StringIO()
    markdown.write(report, out, registry)  # its speed is measured in bench/, not here
    assert len(out.getvalue()) < GITHUB_COMMENT_LIMIT


def test_command_line(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["--format", "markdown", "--fail-on", "never", DATA]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## k8slint: ") and "```mermaid\nflowchart LR\n" in out
