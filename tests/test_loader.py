"""Loading: scalar resolution, positions, safety limits, provenance, discovery."""

from __future__ import annotations

import io
import os
import math

import pytest

from k8slint.load import LoadResult, Source, decode, load, parse_source
from k8slint.load.discover import discover, excluded
from k8slint.load.scalars import key_string, resolve_plain
from k8slint.load.yamlpos import parse_stream
from k8slint.model import build_objects


def parse_one(text):
    docs, problems = parse_stream(text)
    assert not problems, problems
    assert len(docs) == 1
    return docs[0]


# scalars ------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("y", True), ("Y", True), ("yes", True), ("On", True), ("TRUE", True),
    ("n", False), ("no", False), ("off", False), ("False", False),
    ("", None), ("~", None), ("null", None), ("NULL", None),
    ("0644", 420), ("0o644", 420), ("0x1F", 31), ("0b101", 5), ("-0x10", -16), ("+7", 7),
    ("1_000", 1000), ("0", 0), ("-0", 0),
    ("08", 8.0), ("1e3", 1000.0), ("1.5", 1.5), (".5", 0.5), ("-1.", -1.0),
    ("1:20", "1:20"),                     # no base 60
    ("2024-01-01", "2024-01-01"),         # timestamps stay strings
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("9223372036854775807", 2**63 - 1), ("18446744073709551615", 2**64 - 1),
    ("18446744073709551616", 1.8446744073709552e19),
    ("1e400", "1e400"),                   # out of float range: Go keeps the string
    ("0x", "0x"), ("+", "+"), ("-", "-"), ("._1", "._1"), ("1.2.3", "1.2.3"),
    ("on-call", "on-call"), ("nginx:1.27", "nginx:1.27"), ("yes please", "yes please"),
])
def test_plain_scalars_resolve_as_kubernetes_does(text, value):
    got = resolve_plain(text)
    assert got == value and type(got) is type(value)


def test_special_floats():
    assert math.isnan(resolve_plain(".nan"))
    assert resolve_plain("-.Inf") == -math.inf
    assert resolve_plain("+.inf") == math.inf


def test_quoted_and_block_scalars_are_strings():
    doc = parse_one("a: 'yes'\nb: \"0644\"\nc: |\n  on\nd: !!str 12\ne: !!int '12'\nf: !!float 3\ng: !custom yes\n")
    assert doc.data == {"a": "yes", "b": "0644", "c": "on\n", "d": "12", "e": 12, "f": 3.0, "g": "yes"}


def test_non_string_keys_become_json_keys():
    # go-yaml v2 reads the key `y` (like `on`) as a boolean: Kubernetes sees "true"
    doc = parse_one("on: 1\n1: a\nnull: b\n1.5: c\ny: d\n'n': e\n")
    assert list(doc.data) == ["true", "1", "null", "1.5", "n"]
    assert doc.data["true"] == "d"
    assert key_string(2.0) == "2"


# positions ---------------------------------------------------------------------------

def test_positions_of_keys_values_and_items():
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: x\n    - {name: b}\n"
    doc = parse_one(text)
    pos = doc.positions
    assert pos[("kind",)] == (1, 0, 1, 6)
    assert pos[("spec",)][:2] == (2, 0)
    assert pos[("spec", "containers", 0)][:2] == (4, 6)       # the item: its first key
    assert pos[("spec", "containers", 0, "image")] == (5, 6, 5, 13)
    assert pos[("spec", "containers", 1)][:2] == (6, 6)       # a flow mapping item: its brace
    assert pos[("spec", "containers", 1, "name")][:2] == (6, 7)


def test_columns_count_code_points():
    doc = parse_one("a: \"é😀\"\nb: 1\nc: {x: \"😀\", z: 2}\n")
    assert doc.positions[("c", "z")][:2] == (2, 12)  # the emoji is one column


def test_crlf_line_endings():
    doc = parse_one("a: 1\r\nb:\r\n  c: 2\r\n")
    assert doc.positions[("b", "c")][:2] == (2, 2)


def test_merge_keys_and_aliases():
    doc = parse_one("base: &b {x: 1, z: 2}\nuse:\n  <<: *b\n  z: 3\nlist: [*b, *b]\n")
    assert doc.data["use"] == {"x": 1, "z": 3}
    assert doc.data["list"] == [{"x": 1, "z": 2}] * 2
    assert doc.positions[("use", "z")][0] == 3
    assert not doc.duplicates


def test_duplicate_keys_are_reported_at_the_second_one():
    doc = parse_one("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert doc.data["b"]["c"] == 2
    [dup] = doc.duplicates
    assert (dup.line, dup.column, dup.path) == (3, 2, ("b", "c"))
    assert "first at line 3" in dup.message


# safety ------------------------------------------------------------------------------

def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    # 10**10 nodes if expanded: refused by the budget, not expanded (which would never end)
    docs, problems = parse_stream("\n".join(lines) + "\n")
    assert not docs and problems and "alias" in problems[0].message


def test_moderate_alias_use_is_fine():
    text = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(50)) + "}\n" + \
           "".join(f"c{i}: *b\n" for i in range(5))
    doc = parse_one(text)
    assert doc.data["c4"]["k49"] == 49


def test_recursive_alias():
    docs, problems = parse_stream("a: &x\n  b: *x\n")
    assert problems and "recursive alias" in problems[0].message


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_an_error_not_a_crash(text):
    docs, problems = parse_stream(text)
    assert problems and "nesting" in problems[0].message


def test_nesting_within_libyaml_limit_walks_without_recursion_error():
    depth = 990
    doc = parse_one("[" * depth + "1" + "]" * depth)
    value = doc.data
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


def test_syntax_error_keeps_the_other_documents():
    docs, problems = parse_stream("a: 1\n---\nb: [1\n---\nc: 3\n")
    assert [d.data for d in docs] == [{"a": 1}, {"c": 3}]
    assert docs[1].positions[("c",)][0] == 4
    assert len(problems) == 1 and problems[0].line == 3


def test_non_scalar_key():
    docs, problems = parse_stream("metadata:\n  name: {{ .Release.Name }}\n")
    assert problems and problems[0].line == 1


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01binary", "binary"),
    (b"a: \xff\xfe\x41\n", "UTF-8"),
])
def test_undecodable_bytes(data, message):
    text, error, _, _ = decode(data)
    assert text is None and message in error


def test_byte_order_marks():
    assert decode(b"\xef\xbb\xbfa: 1")[0] == "a: 1"
    assert decode("a: é".encode("utf-16"))[0] == "a: é"


def test_non_utf8_position():
    text, error, line, column = decode(b"a: 1\nb: caf\xe9\n")
    assert (line, column) == (1, 6)


def test_unrendered_template_hint():
    result = LoadResult()
    source = Source("t.yaml", None, "spec:\n  replicas: {{ .Values.replicas }}\n")
    parse_source(source, result)
    assert "helm template" in result.problems[0].message


def test_json_manifest_with_positions():
    result = LoadResult()
    parse_source(Source("x.json", None, '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"a": 1}\n}\n'), result)
    [doc] = result.documents
    assert doc.positions[("spec", "a")][:2] == (3, 11)


# helm provenance ----------------------------------------------------------------

def test_helm_source_comments_attach_to_the_next_document():
    text = ("---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n"
            "---\n# Source: app/templates/empty.yaml\n"
            "---\n# Source: app/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n"
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = LoadResult()
    parse_source(Source("out.yaml", None, text), result)
    templates = [d.template for d in result.documents if d.data]
    assert templates == ["app/templates/sa.yaml", "app/templates/deploy.yaml", None]


# objects -----------------------------------------------------------------------

def test_lists_are_unpacked_with_item_positions():
    text = ("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n"
            "  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b}\n")
    result = LoadResult()
    parse_source(Source("l.yaml", None, text), result)
    objects, skipped, empty = build_objects(result.documents)
    assert [(o.kind, o.name, o.base) for o in objects] == [("ConfigMap", "a", ("items", 0)),
                                                           ("Secret", "b", ("items", 1))]


def test_typed_list_items_inherit_kind():
    text = "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - metadata: {name: a}\n    spec: {}\n"
    result = LoadResult()
    parse_source(Source("l.yaml", None, text), result)
    objects, _, _ = build_objects(result.documents)
    assert [(o.api_version, o.kind, o.name) for o in objects] == [("apps/v1", "Deployment", "a")]


def test_non_kubernetes_documents_are_counted_not_objects():
    result = LoadResult()
    parse_source(Source("v.yaml", None, "replicas: 2\n---\n---\n- a\n---\napiVersion: v1\nkind: Namespace\n"
                                        "metadata: {name: x}\n"), result)
    objects, skipped, empty = build_objects(result.documents)
    assert (len(objects), skipped, empty) == (1, 2, 1)
    assert objects[0].namespace is None  # cluster-scoped


# discovery ---------------------------------------------------------------------

def test_discovery(tmp_path):
    (tmp_path / "a.yaml").write_text("a: 1\n")
    (tmp_path / "b.YML").write_text("a: 1\n")
    (tmp_path / "c.json").write_text("{}\n")
    (tmp_path / "notes.txt").write_text("x\n")
    (tmp_path / ".hidden.yaml").write_text("a: 1\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("a: 1\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "v.yaml").write_text("a: 1\n")
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "d.yaml").write_text("{{ x }}\n")
    args = [str(tmp_path), str(tmp_path / "a.yaml"), str(tmp_path / "missing.yaml")]
    found = discover(args, ["vendor"])
    names = sorted(p.rsplit("/", 1)[-1] for p, _ in found.files)
    assert names == ["a.yaml", "b.YML", "c.json"]
    assert found.renders == [("helm", str(chart), "walk")]  # a walk renders the chart it meets
    assert found.missing and "missing.yaml" in found.missing[0]
    found = discover(args, ["vendor"], render=False)  # --no-render: the chart's plain files, not its templates
    names = sorted(p.rsplit("/", 1)[-1] for p, _ in found.files)
    assert names == ["Chart.yaml", "a.yaml", "b.YML", "c.json"]
    assert found.skipped_templates == 1 and found.renders == []


def test_kustomize_patches_met_in_a_walk_are_not_linted_alone(tmp_path, registry):
    overlay = tmp_path / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "resources: [../../base]\n"
        "patches:\n- path: replicas.yaml\n- patch: |-\n    - op: replace\n"
        "patchesStrategicMerge:\n- memory.yaml\n- |-\n  apiVersion: v1\n  kind: Service\n"
        "patchesJson6902:\n- target: {kind: Deployment, name: web}\n  path: ../shared/image.yaml\n")
    partial = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n"
    for name in ("replicas.yaml", "memory.yaml", "service.yaml"):
        (overlay / name).write_text(partial)
    (tmp_path / "overlays" / "shared").mkdir()
    (tmp_path / "overlays" / "shared" / "image.yaml").write_text("- op: replace\n  path: /x\n  value: 1\n")
    # rendering, a walk builds the kustomization and reads none of its files alone
    found = discover([str(tmp_path)])
    assert found.files == [] and found.renders == [("kustomize", str(overlay), "walk")]
    assert found.skipped_patches == 1  # ../shared/image.yaml, a patch from outside the folder
    # so does a file inside it given by name (as pre-commit names staged files); any other file is read
    staged = [str(overlay / "replicas.yaml"), str(overlay / "service.yaml"),
              str(tmp_path / "overlays" / "shared" / "image.yaml")]
    named = discover(staged, root=str(tmp_path))
    assert [os.path.relpath(p, tmp_path) for p, _ in named.files] == ["overlays/shared/image.yaml"]
    assert [(k, os.path.relpath(f, tmp_path), how) for k, f, how in named.renders] == [
        ("kustomize", "overlays/prod", "file")]
    # with --no-render, the walk reads the kustomization's files but not the patches it names
    found = discover([str(tmp_path)], render=False)
    names = sorted(os.path.relpath(p, tmp_path) for p, _ in found.files)
    assert names == ["overlays/prod/kustomization.yaml", "overlays/prod/service.yaml"]
    assert found.skipped_patches == 3
    named = discover(staged, render=False)
    assert [os.path.relpath(p, tmp_path) for p, _ in named.files] == ["overlays/prod/service.yaml",
                                                                       "overlays/shared/image.yaml"]
    assert named.skipped_patches == 1
    from k8slint.engine import Settings
    from k8slint.report.text import write
    from k8slint.pipeline import lint

    report = lint([str(tmp_path)], registry, Settings(), render=False)
    assert report.summary()["skipped_patches"] == 3
    out = io.StringIO()
    write(report, out, registry)
    assert "3 kustomize patches not linted on their own" in out.getvalue()


@pytest.mark.parametrize("path, pattern, hit", [
    ("charts/x/values.yaml", "values.yaml", True),
    ("charts/x/values.yaml", "charts/**", True),
    ("charts/x/values.yaml", "x/*.yaml", True),
    ("charts/x/values.yaml", "*.json", False),
    ("./a/b.yaml", "a/b.yaml", True),
    ("a/b.yaml", "**/b.yaml", True),
    ("a/b.yaml", "c", False),
])
def test_exclude_globs(path, pattern, hit):
    assert excluded(path, [pattern]) is hit


def test_stdin_and_other_files_in_one_run(tmp_path):
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    result = load(["-", str(tmp_path / "a.yaml")], stdin=io.BytesIO(b"apiVersion: v1\nkind: Secret\n"))
    assert [d.source.display for d in result.documents] == ["<stdin>", str(tmp_path / "a.yaml")]


def test_huge_files_are_reported_not_parsed(tmp_path, monkeypatch):
    import k8slint.load as load_module

    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1024)
    (tmp_path / "big.yaml").write_text("a: " + "x" * 2000 + "\n")
    (tmp_path / "small.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    result = load([str(tmp_path)])
    assert [p.message for p in result.problems] == ["file is larger than 1,024 bytes; not parsed"]
    assert len(result.documents) == 1 and result.files == 2


# merge keys: precedence, as Kubernetes' YAML reader (go-yaml v2) applies it ------------------

def test_merge_key_list_earlier_maps_win_and_explicit_keys_win_over_all():
    doc = parse_one(
        "a: &a {shared: from-a, only-a: 1}\n"
        "b: &b {shared: from-b, only-b: 2}\n"
        "ab:\n  <<: [*a, *b]\n"
        "ba:\n  <<: [*b, *a]\n"
        "explicit:\n  <<: [*a, *b]\n  shared: mine\n"
    )
    assert doc.data["ab"] == {"shared": "from-a", "only-a": 1, "only-b": 2}
    assert doc.data["ba"] == {"shared": "from-b", "only-a": 1, "only-b": 2}
    assert doc.data["explicit"] == {"shared": "mine", "only-a": 1, "only-b": 2}
    assert not doc.duplicates  # overriding a merged key is what merge keys are for


def test_merge_key_list_of_inline_mappings_keeps_the_same_precedence():
    doc = parse_one("m:\n  <<: [{p: 1, q: 1}, {p: 2, q: 2, r: 2}, {r: 3}]\n  q: 0\n")
    assert doc.data["m"] == {"p": 1, "q": 0, "r": 2}


def test_a_place_inside_a_string_value_maps_to_its_source_line():
    from k8slint.load import LoadResult, locate_in_scalar, read_source

    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\ndata:\n"
            "  Corefile: |\n    .:53 {\n        errors\n        proxy . /etc/resolv.conf\n    }\n"
            "  one: \"a b c\"\n  plain: a b c\n  folded: >\n    a\n    b\n")
    result = LoadResult()
    read_source("cm.yaml", None, text.encode(), result)
    [doc] = result.documents
    # line 2 of the Corefile, column 4 ("proxy") -> source line 9, column 9
    assert locate_in_scalar(doc, ("data", "Corefile"), 2, 4) == (9, 9, True)
    assert locate_in_scalar(doc, ("data", "Corefile"), 0, 0) == (7, 5, True)
    assert locate_in_scalar(doc, ("data", "one"), 0, 2) == (11, 11, True)  # inside the quotes
    assert locate_in_scalar(doc, ("data", "plain"), 0, 4) == (12, 14, True)
    assert locate_in_scalar(doc, ("data", "plain"), 1, 0)[2] is False  # a one-line value has no line 1
    assert locate_in_scalar(doc, ("data", "folded"), 1, 0)[2] is False  # folded lines do not map one to one
    assert locate_in_scalar(doc, ("data", "missing"), 0, 0)[2] is False


# files that do not parse, and whether they look like manifests ----------------------------

TSCONFIG = '{\n  // compiler options\n  "compilerOptions": {\n    "strict": true, /* no implicit any */\n  },\n}\n'
PACKAGE_JSON = '{"name": "web", "version": "1.0.0", "scripts": {"test": "jest"}}\n'
BROKEN_DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
                     "spec:\n  replicas: 2\n\tselector: {}\n")  # a tab on line 7
POD_JSON = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n'
            ' "spec": {"containers": [{"name": "c", "image": "nginx:1.27",\n'
            '                          "securityContext": {"privileged": true}}]}}\n')


@pytest.mark.parametrize("text, looks", [
    ("apiVersion: v1\nkind: [\n", True),
    ("  - apiVersion: v1\n", True),                  # an item of a List
    ('{"kind":"Pod", x}', True),                     # JSON on one line
    ("{ 'apiVersion' : v1", True),
    ("{apiVersion: v1, kind: Pod", True),            # a flow mapping
    ("metadata: {{ .Values.x }}\nkind: {{ .Values.kind }}\n", True),
    (TSCONFIG, False),
    ("# apiVersion: v1\n# kind: Pod\nvalues: [\n", False),  # commented out
    ("description: the kind: of thing\n", False),   # not a key of its own
    ("Kind: x\napiversion: y\n[", False),            # Kubernetes' own spelling only
    ("replicaCount: 1\n\tkind_of: x\n", False),
])
def test_what_looks_like_a_manifest(text, looks):
    from k8slint.load import looks_like_manifest

    assert looks_like_manifest(text) is looks


def test_a_file_that_does_not_parse_and_is_not_a_manifest_is_skipped(tmp_path):
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / "values.yaml").write_text("replicaCount: 1\nimage:\n  repository: web\n\ttag: x\n")
    (tmp_path / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    for paths in ([str(tmp_path)], sorted(str(p) for p in tmp_path.iterdir())):  # a walk, and files by name
        result = load(paths)
        assert [(os.path.basename(p.source.display), p.code, p.line + 1) for p in result.problems] == [
            ("deploy.yaml", "invalid-yaml", 7)]
        assert result.skipped_unparsable == 2 and result.files == 3


def test_standard_input_that_does_not_parse_is_always_reported():
    result = load(["-"], stdin=io.BytesIO(TSCONFIG.encode()))
    assert [p.code for p in result.problems] == ["invalid-yaml"] and result.skipped_unparsable == 0


def test_undecodable_files_are_judged_by_what_can_be_read(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    (tmp_path / "latin1-manifest.yaml").write_bytes(b"apiVersion: v1\nkind: ConfigMap\ndata: {a: caf\xe9}\n")
    (tmp_path / "utf16.json").write_bytes(b"\xff\xfe" + '{"apiVersion": "v1"'.encode("utf-16-le") + b"\x00\xd8")
    result = load([str(tmp_path)])
    assert sorted(os.path.basename(p.source.display) for p in result.problems) == ["latin1-manifest.yaml",
                                                                                   "utf16.json"]
    assert result.skipped_unparsable == 1


def test_skipping_is_decided_on_every_run_not_kept_in_the_parse_cache(tmp_path):
    from k8slint.load.cache import ParseCache

    cache = ParseCache.open(str(tmp_path / "cache"))
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    for _ in range(2):  # a miss, then a hit
        result = load([str(tmp_path / "tsconfig.json"), str(tmp_path / "deploy.yaml")], cache=cache)
        assert [os.path.basename(p.source.display) for p in result.problems] == ["deploy.yaml"]
        assert result.skipped_unparsable == 1
        # the same text on standard input, parsed from the cache, is still reported
        result = load(["-"], stdin=io.BytesIO(TSCONFIG.encode()), cache=cache)
        assert [p.code for p in result.problems] == ["invalid-yaml"]


def test_json_files_in_a_run(tmp_path, registry):
    from k8slint.engine import Settings
    from k8slint.pipeline import lint
    from k8slint.report.text import write

    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / "package.json").write_text(PACKAGE_JSON)
    (tmp_path / "pod.json").write_text(POD_JSON)
    report = lint([str(tmp_path)], registry, Settings())
    assert {r.rule for r in report.results if r.file.endswith("pod.json")} >= {"privileged-container"}
    assert {os.path.basename(r.file) for r in report.results} == {"pod.json"}
    assert report.summary()["skipped_documents"] == 2  # package.json, and tsconfig.json that does not parse
    out = io.StringIO()
    write(report, out, registry)
    assert "2 non-Kubernetes documents skipped" in out.getvalue()


# documents written as objects but for their apiVersion ------------------------------------

def test_a_misspelt_or_missing_api_version_is_reported_not_skipped(lint_text):
    report = lint_text("apiversion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n---\n"
                       "# a comment\nkind: Deployment\nmetadata:\n  name: api\n---\n"
                       "kind: Widget\nmetadata: {name: w}\n---\n"
                       "replicaCount: 1\nkind: Deployment\n")  # values: no metadata
    found = [(r.line, r.column, r.path, r.message) for r in report.results if r.rule == "missing-api-version"]
    assert found == [
        (1, 1, "apiversion", "`apiversion` is not a field; did you mean `apiVersion`? Deployment 'web' has no "
                             "apiVersion, so kubectl rejects it, and no rule checked it"),
        (8, 1, "", "Deployment 'api' has no apiVersion; did you mean `apiVersion: apps/v1`? kubectl rejects it, "
                   "and no rule checked it"),
        (12, 1, "", "Widget 'w' has no apiVersion: kubectl rejects it, and no rule checked it")]
    assert all(r.severity == "error" for r in report.results if r.rule == "missing-api-version")
    assert report.results[0].identity == {"apiVersion": "", "kind": "Deployment", "namespace": "default",
                                          "namespaceExplicit": False, "name": "web"}
    summary = report.summary()
    assert (summary["objects"], summary["skipped_documents"]) == (0, 1)  # the values document alone


@pytest.mark.parametrize("key", ["apiVerison", "api_version", "ApiVersion", "APIVERSION", "api-version",
                                 "apiVersions", "apVersion"])
def test_misspellings_of_api_version(lint_text, key):
    report = lint_text(f"kind: ConfigMap\nmetadata: {{name: c}}\n{key}: v1\n")
    [result] = report.results
    assert (result.rule, result.line, result.path) == ("missing-api-version", 3, key)
    assert result.message.startswith(f"`{key}` is not a field; did you mean `apiVersion`?")


@pytest.mark.parametrize("text", [
    "apiVersion: v2\nname: web\nversion: 1.0.0\n",                                   # Chart.yaml
    "kind: Deployment\nimage: {repository: web}\n",                                  # values
    "services:\n  web: {image: web}\n",                                              # docker-compose
    "on: push\njobs: {build: {runs-on: ubuntu-latest}}\n",                           # a GitHub workflow
    "kind: pipeline\ntype: docker\nmetadata: {name: default}\n",                     # a CI pipeline
    "kind: Kustomization\nmetadata: {name: web}\nresources: [deploy.yaml]\n",        # kustomize fills it in
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
])
def test_documents_that_are_not_objects_stay_silent(lint_text, text):
    assert [r.rule for r in lint_text(text).results] == []


def test_a_key_not_close_to_api_version_is_no_misspelling_of_it(lint_text):
    [result] = lint_text("kind: Deployment\nmetadata: {name: web}\nversion: v1\n").results
    assert (result.line, result.path) == (1, "")
    assert result.message.startswith("Deployment 'web' has no apiVersion; did you mean `apiVersion: apps/v1`?")


def test_the_suggested_api_version_follows_the_target_version(lint_text):
    text = ("kind: HorizontalPodAutoscaler\nmetadata: {name: web}\n---\n"
            "apiVersion: ''\nkind: Event\nmetadata: {name: e}\n")
    messages = [r.message for r in lint_text(text, kube_version=(1, 30)).results]
    assert messages == [
        "HorizontalPodAutoscaler 'web' has no apiVersion; did you mean `apiVersion: autoscaling/v2`? kubectl "
        "rejects it, and no rule checked it",
        "Event 'e' has an empty apiVersion; did you mean `apiVersion: v1`? kubectl rejects it, and no rule "
        "checked it"]


def test_a_misspelt_kind_is_named_too(lint_text):
    [result] = lint_text("Kind: ClusterRole\nmetadata: {name: reader}\n").results
    assert result.message == ("ClusterRole 'reader' has no apiVersion; did you mean `apiVersion: "
                              "rbac.authorization.k8s.io/v1`? kubectl rejects it, and no rule checked it "
                              "(`Kind` is not a field either: write `kind`)")
    assert result.identity["namespace"] is None  # cluster-scoped, as the suggested apiVersion makes it


def test_missing_api_version_is_suppressed_and_disabled_as_other_diagnostics(lint_text):
    from k8slint.engine import Settings

    text = ("# k8slint: ignore[missing-api-version] completed by the generator\n"
            "kind: ConfigMap\nmetadata: {name: c}\n")
    report = lint_text(text)
    assert report.results == [] and [r.rule for r in report.suppressed] == ["missing-api-version"]
    report = lint_text("kind: ConfigMap\nmetadata: {name: c}\n", settings=Settings(disabled={"missing-api-version"}))
    assert report.results == []
