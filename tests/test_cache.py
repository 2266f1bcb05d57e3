"""The parse cache: exact round trips, damaged entries, unwritable folders, where it lives."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import time
import zlib

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import k8slint
from k8slint.load import LoadResult, Source, parse_source, read_source
from k8slint.load import cache as cache_module
from k8slint.load.cache import ParseCache
from k8slint.load.yamlpos import parse_stream

TRICKY = {
    "anchors-and-merge-keys": (
        "base: &base {cpu: 100m, memory: 64Mi, list: [1, 2]}\n"
        "copy: *base\n"
        "merged:\n  <<: *base\n  cpu: 200m\n"
        "many:\n  <<: [*base, {extra: yes}]\n"
        "items: &items\n  - a\n  - {b: c}\nagain: *items\n"),
    "special-numbers": (
        "nan: .nan\nNaN2: .NaN\ninf: .inf\nminf: -.Inf\nnegzero: -0.0\nzero: -0\n"
        "octal: 0644\nhex: 0x1F\nbig: 18446744073709551615\nbigger: 18446744073709551616\n"
        "float: 1e3\nbools: [yes, no, on, off, y, n, True]\nnulls: [~, null, ]\n"
        "strings: ['yes', \"0644\", !!str 12, 1:20, 2024-01-01]\ntagged: [!!int '7', !!float 3, !custom x]\n"
        "list-of-nan: [.nan, .nan, {k: .nan}]\n"),
    "non-string-keys": "y: 1\n1: one\n1.5: x\n~: null key\n.nan: nan key\ntrue: t\n",
    "syntax-error-in-the-middle": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        "---\nkind: [unclosed\n  bad: : :\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
        "---\n\tkind: tab\n"
        "---\nlast: doc\n"),
    "duplicate-keys": "a: 1\nb: 2\na: 3\nnested:\n  x: 1\n  x: 2\n---\nc: 1\nc: 1\n",
    "empty-documents": "---\n---\n# only a comment\n---\n...\n---\n~\n---\n",
    "empty-text": "",
    "comment-only": "# nothing here\n",
    "json": '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"a": [1, 2.5, null, true, "x"]}\n}\n',
    "crlf-and-unicode": "name: caf\u00e9\r\nemoji: \U0001f600\r\nlist:\r\n  - \u00fc\r\n  - 'q'\r\n",
    "recursive-alias": "a: &a\n  b: *a\n---\nok: 1\n",
    "non-scalar-key": "? [a, b]\n: 1\n---\nok: 2\n",
    "block-scalars": "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\n",
    "deep-flow": "x: " + "[" * 50 + "]" * 50 + "\n",
}


def snapshot(parsed) -> str:
    """An exact picture of a parse result: repr keeps types, key order,
    tuple/list and NaN (which == would not)."""
    return repr(parsed)


@pytest.fixture
def cache(tmp_path):
    c = ParseCache.open(str(tmp_path / "cache"))
    assert c is not None and c.warnings == []
    return c


def entry_files(c: ParseCache) -> list[str]:
    return sorted(os.path.join(c.path, n) for n in os.listdir(c.path) if cache_module._is_entry_name(n))


# round trips -------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TRICKY))
def test_round_trip_equals_a_fresh_parse(cache, name):
    text = TRICKY[name]
    fresh = snapshot(parse_stream(text))
    assert cache.get(text) is None
    assert snapshot(cache.parse(text)) == fresh  # miss: parsed and stored
    assert snapshot(cache.get(text)) == fresh  # hit
    again = ParseCache.open(cache.directory)  # the next run
    assert snapshot(again.get(text)) == fresh
    assert cache.warnings == again.warnings == []


def test_types_survive_the_cache(cache):
    text = TRICKY["special-numbers"] + "tuplekey:\n  - [1, [2]]\n"
    cache.parse(text)
    (doc,), _ = cache.get(text)
    data = doc.data
    assert data["negzero"] == 0.0 and str(data["negzero"]) == "-0.0"
    assert data["nan"] != data["nan"] and data["inf"] == float("inf") and data["minf"] == float("-inf")
    assert type(data["zero"]) is int and type(data["float"]) is float
    assert data["big"] == 2**64 - 1 and type(data["big"]) is int
    assert [type(v) for v in data["bools"]] == [bool] * 7
    assert list(data) == list(parse_stream(text)[0][0].data)  # key order
    assert all(type(k) is tuple for k in doc.positions)
    assert doc.positions[("tuplekey", 0, 1)] == parse_stream(text)[0][0].positions[("tuplekey", 0, 1)]
    assert all(type(v) is tuple and len(v) == 4 for v in doc.positions.values())


def test_duplicates_and_problems_round_trip(cache):
    text = TRICKY["duplicate-keys"] + "---\nx: [\n---\ny: 1\n"
    cache.parse(text)
    docs, problems = cache.get(text)
    fresh_docs, fresh_problems = parse_stream(text)
    assert [d.duplicates for d in docs] == [d.duplicates for d in fresh_docs]
    assert sum(len(d.duplicates) for d in docs) == 3
    assert all(type(p.path) is tuple for d in docs for p in d.duplicates)
    assert problems == fresh_problems and problems[0].doc_index == 2
    assert [(d.index, d.start_line, d.end_line) for d in docs] == [
        (d.index, d.start_line, d.end_line) for d in fresh_docs]


def test_positions_false_returns_the_same_data_without_positions(cache):
    text = TRICKY["anchors-and-merge-keys"] + "---\n" + TRICKY["duplicate-keys"]
    cache.parse(text)
    fresh_docs, fresh_problems = parse_stream(text)
    docs, problems = cache.get(text, positions=False)
    assert [d.positions for d in docs] == [{}] * len(fresh_docs)
    for doc, fresh in zip(docs, fresh_docs):
        fresh.positions = {}
        assert repr(doc) == repr(fresh)
    assert problems == fresh_problems
    assert snapshot(cache.parse(text, positions=False)) == snapshot((docs, problems))
    assert all(d.positions for d in cache.get(text, positions=True)[0])  # still there for who asks


def test_a_hit_does_not_parse(cache, monkeypatch):
    text = TRICKY["anchors-and-merge-keys"]
    fresh = snapshot(cache.parse(text))

    def fail(text):
        raise AssertionError("parsed although the cache holds the text")

    monkeypatch.setattr(cache_module, "parse_stream", fail)
    assert snapshot(cache.parse(text)) == fresh
    assert cache.parse(text, positions=False)[0][0].positions == {}


def test_the_key_is_the_text(cache):
    a, b = "a: 1\n", "a: 2\n"
    cache.parse(a)
    assert cache.get(b) is None
    assert cache.key(a) != cache.key(b) and len(cache.key(a)) == 40
    assert cache.get("a: 1\n") is not None


def test_values_marshal_cannot_store_are_not_cached(cache):
    docs, problems = parse_stream("a: 1\n")
    docs[0].data = {"a": object()}
    cache.put("a: 1\n", docs, problems)
    assert cache.get("a: 1\n") is None and cache.warnings == []
    assert cache.warnings == []


def test_the_deepest_documents_round_trip(cache):
    deep = "a: " + "[" * 998 + "x" + "]" * 998 + "\n"  # libyaml's nesting limit is 1000
    assert not parse_stream(deep)[1]
    cache.parse(deep)
    (doc,), problems = cache.get(deep)
    value, depth = doc.data["a"], 0
    while isinstance(value, list):
        (value,), depth = value, depth + 1
    assert (value, depth, problems) == ("x", 998, [])
    assert len(doc.positions) == 999 and cache.warnings == []


def test_writes_leave_no_temporary_files(cache):
    for name, text in TRICKY.items():
        cache.parse(text)
    names = os.listdir(cache.path)
    assert names and all(cache_module._is_entry_name(n) for n in names)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return ParseCache.open(str(tmp_path_factory.mktemp("hypothesis-cache")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON_VALUES, style=st.sampled_from(["block", "flow", "json"]))
def test_round_trip_of_generated_documents(shared_cache, value, style):
    if style == "json":
        text = json.dumps(value, indent=1)
    else:
        text = yaml.safe_dump(value, default_flow_style=style == "flow", sort_keys=False, allow_unicode=True)
    fresh = snapshot(parse_stream(text))
    assert snapshot(shared_cache.parse(text)) == fresh
    assert snapshot(shared_cache.get(text)) == fresh
    assert shared_cache.warnings == []


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:-&*<>!|'\"{}[],#?~. \n\t0123456789")), max_size=60))
def test_round_trip_of_arbitrary_text(shared_cache, text):
    fresh = snapshot(parse_stream(text))
    assert snapshot(shared_cache.parse(text)) == fresh
    assert snapshot(shared_cache.get(text)) == fresh
    assert shared_cache.warnings == []


# the loader ----------------------------------------------------------------------

def loaded(result: LoadResult):
    return (repr([(d.index, d.data, d.positions, d.start_line, d.template) for d in result.documents]),
            repr([(p.code, p.message, p.line, p.column, p.path, p.document is not None) for p in result.problems]))


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_read_source_through_the_cache(cache, name):
    data = TRICKY[name].encode()
    plain = LoadResult()
    read_source("f.yaml", "f.yaml", data, plain)
    for _ in range(2):  # a miss, then a hit
        result = LoadResult()
        read_source("f.yaml", "f.yaml", data, result, cache=cache)
        assert loaded(result) == loaded(plain)
    context = LoadResult()
    read_source("f.yaml", "f.yaml", data, context, cache=cache, positions=False)
    assert [d.positions for d in context.documents] == [{}] * len(plain.documents)
    assert repr([d.data for d in context.documents]) == repr([d.data for d in plain.documents])


def test_json_that_libyaml_refuses_still_loads_through_the_cache(cache):
    text = '{"kind": "ConfigMap", "apiVersion": "v1", "data": {"%s": "v"}}\n' % ("k" * 1100)
    assert parse_stream(text)[1]  # libyaml limits implicit keys to 1024 characters, JSON does not
    for _ in range(2):
        result = LoadResult()
        parse_source(Source("x.json", None, text), result, cache=cache)
        assert result.problems == []
        assert [d.data for d in result.documents] == [json.loads(text)]


# damaged entries ------------------------------------------------------------------

def damage_garbage(path):
    with open(path, "wb") as fh:
        fh.write(os.urandom(300))


def damage_truncate(path):
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)


def damage_empty(path):
    open(path, "wb").close()


def damage_header_only(path):
    with open(path, "r+b") as fh:
        fh.truncate(cache_module._HEADER.size)


def damage_flip_a_byte(path):
    with open(path, "r+b") as fh:
        fh.seek(cache_module._HEADER.size + 5)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0xFF]))


def damage_flip_a_position_byte(path):
    with open(path, "r+b") as fh:
        fh.seek(-3, 2)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0xFF]))


def damage_change_a_string(path):
    # still well-formed marshal data, with another value: only the checksum tells
    with open(path, "rb") as fh:
        content = fh.read()
    assert b"ConfigMap" in content
    with open(path, "wb") as fh:
        fh.write(content.replace(b"ConfigMap", b"ConfigMaq", 1))


def damage_huge_sizes(path):
    with open(path, "r+b") as fh:
        fh.seek(8)
        fh.write((2**62).to_bytes(8, "little") * 2)


def damage_wrong_layout(path):
    # a well-formed entry (right magic, sizes and checksums) whose values have another shape
    values, tables = marshal.dumps(({"not": "a list"}, 5)), marshal.dumps([])
    with open(path, "wb") as fh:
        fh.write(cache_module._HEADER.pack(cache_module._MAGIC, len(values), len(tables),
                                           zlib.crc32(values), zlib.crc32(tables)))
        fh.write(values + tables)


def damage_directory(path):
    os.unlink(path)
    os.mkdir(path)


DAMAGE = [damage_garbage, damage_truncate, damage_empty, damage_header_only, damage_flip_a_byte,
          damage_flip_a_position_byte, damage_change_a_string, damage_huge_sizes, damage_wrong_layout]


@pytest.mark.parametrize("damage", DAMAGE + [damage_directory], ids=lambda f: f.__name__)
def test_a_damaged_entry_is_parsed_again(tmp_path, damage):
    text = TRICKY["syntax-error-in-the-middle"]
    fresh = snapshot(parse_stream(text))
    first = ParseCache.open(str(tmp_path / "c"))
    first.parse(text)
    (path,) = entry_files(first)
    damage(path)
    run = ParseCache.open(str(tmp_path / "c"))
    if damage is damage_flip_a_position_byte:  # the values are intact, only the positions are damaged
        assert run.parse(text, positions=False) is not None and run.warnings == []
    assert snapshot(run.parse(text)) == fresh
    assert len(run.warnings) == 1
    assert "warning" in run.warnings[0]
    assert snapshot(run.parse(text)) == fresh
    if damage is not damage_directory:  # the entry was rewritten: the next run reads it
        later = ParseCache.open(str(tmp_path / "c"))
        assert snapshot(later.get(text)) == fresh and later.warnings == []


def test_damaged_positions_without_positions_are_not_read(tmp_path):
    text = "a: 1\n"
    first = ParseCache.open(str(tmp_path / "c"))
    first.parse(text)
    damage_flip_a_position_byte(entry_files(first)[0])
    run = ParseCache.open(str(tmp_path / "c"))
    assert run.get(text, positions=False) is not None and run.warnings == []
    assert run.get(text, positions=True) is None and len(run.warnings) == 1


def test_many_damaged_entries_give_one_warning(tmp_path):
    texts = [f"kind: ConfigMap\nn: {i}\n" for i in range(20)]
    first = ParseCache.open(str(tmp_path / "c"))
    for text in texts:
        first.parse(text)
    for i, path in enumerate(entry_files(first)):
        DAMAGE[i % len(DAMAGE)](path)
    run = ParseCache.open(str(tmp_path / "c"))
    for text in texts:
        assert snapshot(run.parse(text)) == snapshot(parse_stream(text))
    assert len(run.warnings) == 1


# unwritable folders ---------------------------------------------------------------

def test_a_folder_that_cannot_be_created_gives_one_warning(tmp_path):
    (tmp_path / "afile").write_text("a regular file\n")
    where = str(tmp_path / "afile" / "cache")
    run = ParseCache.open(where)
    assert run is not None and len(run.warnings) == 1
    assert where in run.warnings[0] and "not writable" in run.warnings[0]
    for text in TRICKY.values():
        assert snapshot(run.parse(text)) == snapshot(parse_stream(text))
        assert run.get(text) is None
        run.put(text, *parse_stream(text))
    assert len(run.warnings) == 1


def test_the_env_var_folder_that_cannot_be_created_gives_one_warning(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("K8SLINT_CACHE_DIR", str(tmp_path / "afile" / "cache"))
    run = ParseCache.open(project_root=str(tmp_path))
    assert len(run.warnings) == 1
    assert not (tmp_path / ".k8slint_cache").exists()  # an explicit folder is not replaced
    assert snapshot(run.parse("a: 1\n")) == snapshot(parse_stream("a: 1\n"))


def test_a_folder_that_stops_being_writable_gives_one_warning_and_stops_writing(cache, monkeypatch):
    os.rmdir(cache.path)
    with open(cache.path, "w") as fh:  # writes into the folder now fail
        fh.write("in the way\n")
    calls = []
    real_open = os.open

    def counting_open(path, *args, **kwargs):
        calls.append(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cache_module.os, "open", counting_open)
    for text in TRICKY.values():
        assert snapshot(cache.parse(text)) == snapshot(parse_stream(text))
    assert len(cache.warnings) == 1 and "not writable" in cache.warnings[0]
    assert len(calls) == 1  # no write is tried after the first failure


def test_puts_never_raise(tmp_path):
    run = ParseCache.open(str(tmp_path / "c"))
    run.put("a: 1\n", [object()], [])  # not a ParsedDocument at all
    assert run.get("a: 1\n") is None


# versions ---------------------------------------------------------------------------

def test_another_k8slint_version_does_not_read_old_entries(tmp_path, monkeypatch):
    text = TRICKY["anchors-and-merge-keys"]
    old = ParseCache.open(str(tmp_path / "c"))
    old.parse(text)
    assert old.get(text) is not None
    monkeypatch.setattr(k8slint, "__version__", "99.0.0")
    new = ParseCache.open(str(tmp_path / "c"))
    assert new.path != old.path and os.path.basename(new.path).startswith("v99.0.0-")
    assert new.key(text) != old.key(text)
    assert new.get(text) is None
    assert snapshot(new.parse(text)) == snapshot(parse_stream(text))
    assert new.get(text) is not None and new.warnings == []
    assert sorted(os.listdir(tmp_path / "c")) == sorted(
        ["CACHEDIR.TAG", os.path.basename(old.path), os.path.basename(new.path)])


def test_odd_version_strings_make_safe_folder_names(tmp_path, monkeypatch):
    monkeypatch.setattr(k8slint, "__version__", "1.0/../../x y")
    run = ParseCache.open(str(tmp_path / "c"))
    assert os.path.dirname(run.path) == str(tmp_path / "c")
    run.parse("a: 1\n")
    assert run.get("a: 1\n") is not None


# where the cache lives ---------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("K8SLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return monkeypatch


def test_disabled_is_none(tmp_path):
    assert ParseCache.open(str(tmp_path / "c"), enabled=False) is None
    assert not (tmp_path / "c").exists()


def test_the_argument_wins_over_the_env_var(tmp_path, clean_env):
    clean_env.setenv("K8SLINT_CACHE_DIR", str(tmp_path / "env"))
    run = ParseCache.open(str(tmp_path / "arg"))
    assert run.directory == str(tmp_path / "arg")


def test_the_env_var_is_honoured(tmp_path, clean_env):
    clean_env.setenv("K8SLINT_CACHE_DIR", str(tmp_path / "env"))
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run = ParseCache.open(project_root=str(tmp_path / "project"))
    assert run.directory == str(tmp_path / "env") and run.warnings == []
    run.parse("a: 1\n")
    assert len(os.listdir(os.path.join(tmp_path, "env", os.path.basename(run.path)))) == 1
    assert (tmp_path / "env" / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "project").exists()


def test_xdg_cache_home_is_honoured(tmp_path, clean_env):
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run = ParseCache.open(project_root=str(tmp_path / "project"))
    assert run.directory == str(tmp_path / "xdg" / "k8slint") and run.warnings == []
    assert (tmp_path / "xdg" / "k8slint" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / "xdg" / "k8slint" / ".gitignore").exists()


def test_home_cache_without_xdg(tmp_path, clean_env):
    clean_env.setenv("HOME", str(tmp_path / "home"))
    clean_env.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says to ignore it
    run = ParseCache.open(project_root=str(tmp_path / "project"))
    assert run.directory == str(tmp_path / "home" / ".cache" / "k8slint")


def test_project_folder_when_the_user_cache_is_not_writable(tmp_path, clean_env):
    (tmp_path / "afile").write_text("")
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path / "afile" / "xdg"))
    project = tmp_path / "project"
    project.mkdir()
    run = ParseCache.open(project_root=str(project))
    assert run.directory == str(project / ".k8slint_cache") and run.warnings == []
    assert "*" in (project / ".k8slint_cache" / ".gitignore").read_text().splitlines()
    assert (project / ".k8slint_cache" / "CACHEDIR.TAG").is_file()
    text = TRICKY["json"]
    run.parse(text)
    assert snapshot(ParseCache.open(project_root=str(project)).get(text)) == snapshot(parse_stream(text))


def test_project_folder_without_a_home(tmp_path, clean_env):
    clean_env.delenv("HOME", raising=False)
    clean_env.setattr(cache_module.os.path, "expanduser", lambda path: path)  # no home to expand to
    clean_env.chdir(tmp_path)
    run = ParseCache.open()
    assert run.directory == str(tmp_path / ".k8slint_cache") and run.warnings == []
    assert (tmp_path / ".k8slint_cache" / ".gitignore").is_file()


def test_nothing_writable_at_all_gives_one_warning(tmp_path, clean_env):
    (tmp_path / "afile").write_text("")
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path / "afile" / "xdg"))
    run = ParseCache.open(project_root=str(tmp_path / "afile"))
    assert len(run.warnings) == 1
    assert snapshot(run.parse("a: 1\n")) == snapshot(parse_stream("a: 1\n"))


def test_an_explicit_k8slint_cache_folder_is_git_ignored_too(tmp_path):
    ParseCache.open(str(tmp_path / "deep" / ".k8slint_cache" / "inner"))
    assert (tmp_path / "deep" / ".k8slint_cache" / ".gitignore").is_file()
    assert not (tmp_path / "deep" / ".k8slint_cache" / "inner" / ".gitignore").exists()


def test_an_existing_folder_is_left_as_it_is(tmp_path):
    (tmp_path / ".k8slint_cache").mkdir()
    run = ParseCache.open(str(tmp_path / ".k8slint_cache"))
    assert sorted(os.listdir(tmp_path / ".k8slint_cache")) == [os.path.basename(run.path)]


# size bound ---------------------------------------------------------------------------

def test_prune_removes_the_least_recently_used(cache):
    texts = [f"n: {i}\n" for i in range(10)]
    now = time.time()
    for i, text in enumerate(texts):
        cache.parse(text)
        path = os.path.join(cache.path, cache.key(text))
        os.utime(path, (now - 1000 + i, now - 1000 + i))  # text i used at time i
    os.utime(os.path.join(cache.path, cache.key(texts[0])), (now, now - 1000))  # read recently
    assert cache.prune(max_entries=5) == 6  # down to 80% of 5
    kept = [t for t in texts if os.path.exists(os.path.join(cache.path, cache.key(t)))]
    assert kept == [texts[0], texts[7], texts[8], texts[9]]
    assert cache.prune(max_entries=5) == 0


def test_prune_by_size(cache):
    for i in range(10):
        cache.parse(f"n: {i}\n")
    size = sum(os.path.getsize(p) for p in entry_files(cache))
    cache.prune(max_bytes=size // 2)
    assert sum(os.path.getsize(p) for p in entry_files(cache)) <= size * 0.4


def test_prune_removes_old_versions_and_stray_files_only(cache):
    root = cache.directory
    old = os.path.join(root, "v0.0.1-0123abcd")
    recent = os.path.join(root, "v0.0.2-0123abcd")
    unrelated = os.path.join(root, "my-folder")
    for folder in (old, recent, unrelated):
        os.mkdir(folder)
        with open(os.path.join(folder, "a" * 40), "w") as fh:
            fh.write("x")
    with open(os.path.join(recent, "notes.txt"), "w") as fh:
        fh.write("x")
    stray = os.path.join(cache.path, "b" * 40 + ".123.abcd.tmp")
    with open(stray, "w") as fh:
        fh.write("x")
    week_ago = time.time() - 8 * 24 * 3600
    for path in (stray, old, unrelated):
        os.utime(path, (week_ago, week_ago))
    cache.prune()
    assert not os.path.exists(old) and not os.path.exists(stray)
    assert os.path.exists(os.path.join(recent, "a" * 40))
    assert os.path.exists(os.path.join(unrelated, "a" * 40))
    assert os.path.exists(os.path.join(root, "CACHEDIR.TAG"))


def test_writes_prune_now_and_then(cache, monkeypatch):
    calls = []
    monkeypatch.setattr(ParseCache, "prune", lambda self, *a, **k: calls.append(1) or 0)
    lucky = []
    for text in (f"n: {i}\n" for i in range(1_000_000)):
        if cache.key(text).startswith("00"):
            lucky.append(text)
            if len(lucky) == 3:
                break
    others = [f"m: {i}\n" for i in range(50) if not cache.key(f"m: {i}\n").startswith("00")]
    parsed = parse_stream("a: 1\n")
    for text in others:
        cache.put(text, *parsed)
    assert calls == []
    for text in lucky:  # about one write in 256 prunes, at most once per run
        cache.put(text, *parsed)
    assert len(calls) == 1


# import cost -------------------------------------------------------------------------

def test_importing_the_cache_stays_light():
    code = ("import sys, k8slint.load; before = set(sys.modules); import k8slint.load.cache; "
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    added = set(eval(out)) - {"k8slint.load.cache"}
    assert added <= {"_blake2", "zlib", "hashlib", "_hashlib", "struct", "_struct", "marshal"}, added


def test_a_hit_builds_a_position_table_only_when_asked(cache):
    from k8slint.load.yamlpos import PackedPositions

    text = TRICKY["anchors-and-merge-keys"]
    (fresh,), _ = parse_stream(text)
    cache.parse(text)
    (doc,), _ = ParseCache.open(cache.directory).get(text)
    assert isinstance(doc.positions, PackedPositions) and doc.positions._table is None
    path = next(iter(fresh.positions))
    assert doc.positions.get(path) == fresh.positions[path]
    assert doc.positions._table is not None and doc.positions._blob is None  # built once, the bytes let go
    assert dict(doc.positions) == fresh.positions
