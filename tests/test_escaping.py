"""Control characters from the input (file names, messages, source lines) never reach the output raw."""

from __future__ import annotations

import html as htmllib
import io
import json
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from k8slint.cli import main
from k8slint.engine import Settings
from k8slint.findings import Related
from k8slint.pipeline import lint
from k8slint.report import FORMATS, write
from k8slint.report.safe import json_text, visible

#: a raw control character; a format's own line breaks and tabs are allowed
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: the tool's own colours (--color always)
SGR = re.compile(r"\x1b\[[0-9;]*m")

NAME = "evil\x1b]0;pwned\x07\ttab\x01\x7f\x9b-é中.yaml"  # an OSC that retitles the terminal, C0, DEL, C1
NAME_SHOWN = r"evil\x1b]0;pwned\x07\ttab\x01\x7f\x9b-é中.yaml"
BROKEN = "bad\nname.yaml"
BROKEN_SHOWN = r"bad\nname.yaml"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    app: "\\u001b[31mred\\u009b2J"
spec:
  containers:
    - name: "c\\u001b]0;hacked\\u0007"
      image: nginx
"""
# ESC is not allowed in YAML: invalid-yaml, which quotes this line
INVALID = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \x1b]0;osc\x07 [\x1b[31m\n"
HOSTILE_MESSAGE = "value '\x1b]0;msg\x07' \x1b[2J\r\nfake.yaml:1:1: error forged [x] \x9b31m\u202eevil"


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / NAME).write_text(POD, encoding="utf-8")
    (folder / BROKEN).write_text(INVALID, encoding="utf-8")
    return folder


def cli(capsys, *argv):
    main(["--no-config", "--fail-on", "never", *argv])
    return capsys.readouterr().out


def assert_no_raw(out: str, allowed: str = "\n") -> None:
    assert "\x1b]" not in out and "\x07" not in out  # no OSC from the input, in any form
    bad = {hex(ord(c)) for c in RAW.findall(out) if c not in allowed}
    assert not bad, f"raw control characters {sorted(bad)}"


def hostile_report(registry, hostile):
    """The linted folder, with a finding whose message, template and related
    location hold raw control characters (as a rule quoting a value raw would)."""
    report = lint([str(hostile)], registry, Settings())
    r = next(r for r in report.results if r.file.endswith(NAME))
    r.message = HOSTILE_MESSAGE
    r.template = "chart/templates/\x1b]0;tpl\x07.yaml"
    r.related = [Related(HOSTILE_MESSAGE, r.file, 1, 1, "kind")]
    return report


def render(fmt, report, registry, color=False):
    out = io.StringIO()
    write(fmt, report, out, registry, color=color)
    return out.getvalue()


# the command line, on a folder with hostile file names and an invalid-yaml line with escape sequences


@pytest.mark.parametrize("color", ["never", "always"])
def test_text(capsys, hostile, color):
    out = cli(capsys, "--color", color, str(hostile))
    if color == "always":
        assert SGR.search(out)  # its own colours, and nothing else
        out = SGR.sub("", out)
    assert_no_raw(out)
    assert f"{NAME_SHOWN}:9:7: " in out
    assert f"{BROKEN_SHOWN}:4:9: error " in out
    assert r"   4 |   name: \x1b]0;osc\x07 [\x1b[31m" in out


def test_text_marker_under_the_escaped_character(capsys, hostile):
    lines = cli(capsys, "--color", "never", "--select", "invalid-yaml", str(hostile)).splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("   4 | "))
    assert lines[i + 1].index("^") == lines[i].index("\\x1b")  # column 9 of the file, 12 characters in
    assert lines[i + 1].endswith("^~~~")  # as wide as the four characters of \x1b


def test_github(capsys, hostile):
    out = cli(capsys, "--format", "github", str(hostile))
    assert_no_raw(out)
    assert all(line.startswith("::") for line in out.splitlines())  # no forged line
    folder = str(hostile).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert f"file={folder}/{NAME_SHOWN},line=9,col=7" in out
    assert f"file={folder}/bad%0Aname.yaml,line=4,col=9" in out  # a line break as the runner reads it back


def test_markdown(capsys, hostile):
    out = cli(capsys, "--format", "markdown", str(hostile))
    assert_no_raw(out)
    assert r"evil\\x1b\]0;pwned\\x07\\ttab\\x01\\x7f\\x9b-é中.yaml" in out


def test_junit_is_well_formed_xml(capsys, hostile):
    out = cli(capsys, "--format", "junit", str(hostile))
    assert_no_raw(out)
    root = ET.fromstring(out)
    names = {case.get("classname") for case in root.iter("testcase")}
    assert any(n.endswith(NAME_SHOWN) for n in names) and any(n.endswith(BROKEN_SHOWN) for n in names)


def test_html(capsys, hostile):
    out = cli(capsys, "--format", "html", str(hostile))
    assert_no_raw(out)
    assert f"{htmllib.escape(NAME_SHOWN)}</td>" in out  # the by-file table


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_keep_the_exact_names(capsys, hostile, fmt):
    out = cli(capsys, "--format", fmt, str(hostile))
    assert_no_raw(out)
    doc = json.loads(out)
    if fmt == "json":
        files = {f["file"] for f in doc["findings"]}
    else:
        files = {urllib.parse.unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                 for r in doc["runs"][0]["results"]}
    assert any(f.endswith(NAME) for f in files) and any(f.endswith(BROKEN) for f in files)


# every format, with raw control characters in a message, a template name, a related location


@pytest.mark.parametrize("fmt", FORMATS)
def test_messages_in_every_format(registry, hostile, fmt):
    report = hostile_report(registry, hostile)
    out = render(fmt, report, registry)
    assert_no_raw(out)
    assert "\u202e" not in out  # nor a bidirectional override
    if fmt == "junit":
        ET.fromstring(out)
    if fmt == "json":
        assert HOSTILE_MESSAGE in {f["message"] for f in json.loads(out)["findings"]}  # the data is exact
    elif fmt == "sarif":
        assert HOSTILE_MESSAGE in {r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]}
    else:
        assert "fake.yaml:1:1: error forged" in htmllib.unescape(out)


def test_text_shows_message_template_and_related_escaped(registry, hostile):
    out = render("text", hostile_report(registry, hostile), registry)
    assert r"value '\x1b]0;msg\x07' \x1b[2J\r\nfake.yaml:1:1: error forged [x] \x9b31m\u202eevil" in out
    assert r"rendered from Helm template chart/templates/\x1b]0;tpl\x07.yaml" in out
    assert not any(line.startswith("fake.yaml") for line in out.splitlines())  # no forged finding
    colored = render("text", hostile_report(registry, hostile), registry, color=True)
    assert_no_raw(SGR.sub("", colored))


def test_graph_diagrams(registry, tmp_path):
    from k8slint.report.graphs import to_dot, to_mermaid, to_svg
    from k8slint.view import build_view

    (tmp_path / "a.yaml").write_text(POD.replace("name: p", 'name: "p\\u001b]0;x\\u0007\\u0085"'))
    report = lint([str(tmp_path)], registry, Settings())
    view = build_view(report.graph, report.results)
    for text in (to_dot(view), to_mermaid(view), to_svg(view)):
        assert_no_raw(text)


def test_html_caret_counts_the_escapes(registry, hostile):
    from k8slint.report.html import page_data

    report = lint([str(hostile)], registry, Settings())
    [result] = [r for r in report.results if r.rule == "invalid-yaml"]
    [finding] = [f for f in page_data(report, registry)["findings"] if f["r"] == "invalid-yaml"]
    assert finding["c"] == 9 and "u" not in finding  # ESC is the first character escaped: no shift
    result.column = 19  # the second ESC, after two escaped characters (each 3 wider)
    data = page_data(report, registry)
    [finding] = [f for f in data["findings"] if f["r"] == "invalid-yaml"]
    line = data["sources"][finding["x"]][4]
    assert line == r"  name: \x1b]0;osc\x07 [\x1b[31m"
    assert (finding["c"], finding["u"]) == (19, 25) and line[finding["u"] - 1:] == r"\x1b[31m"


def test_a_file_name_that_is_not_utf8(registry, tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"inv\xff\x1b.yaml"), "w", encoding="utf-8") as fh:
        fh.write(POD)
    report = lint([str(tmp_path)], registry, Settings())
    for fmt in FORMATS:
        out = render(fmt, report, registry)
        out.encode("utf-8")  # no lone surrogate left to fail on a strict stream
        assert_no_raw(out)


# the helpers


def test_visible():
    assert visible("plain é 中 ✓ \\x") == "plain é 中 ✓ \\x"
    assert visible("a\x1b[31m\x07\x00\x7f\x85\x9b\t\n\r\u202e\u2066\udcff\ufffe") == \
        r"a\x1b[31m\x07\x00\x7f\x85\x9b\t\n\r\u202e\u2066\udcff\ufffe"
    assert visible("a\tb\nc\x1b", keep="\n") == "a\\tb\nc\\x1b"


def test_json_text_is_the_same_json():
    value = {"s": "\x1b\x7f\x85\x9b\u2028\u202e é 中"}
    encoded = json_text(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(encoded) and "\u2028" not in encoded and "\u202e" not in encoded
    assert json.loads(encoded) == value and "é 中" in encoded


def test_messages_on_standard_error_show_control_characters_as_escapes(capsys, tmp_path):
    from k8slint.cli import main

    missing = str(tmp_path / "no\x1b]0;pwned\x07such.yaml")
    assert main(["--no-config", missing]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "no\\x1b]0;pwned\\x07such.yaml: no such file or directory" in err
