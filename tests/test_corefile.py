"""The Corefile parser (k8slint.kube.corefile), the CoreDNS tables (k8slint.kube.coredns),
and the two CoreDNS rules end to end."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import SHARED

from k8slint.kube import coredns, corefile, images
from k8slint.kube.corefile import parse, tokenize

NOTEBOOK = """\
.:53 {
    errors
    health
    rewrite name harbor.sh.umcloud.network harbor.default.svc.cluster.local
    rewrite name docker.sh.umcloud.network docker.default.svc.cluster.local
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       upstream
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    hosts {
      10.250.11.11 test1.test.com
      10.250.12.64 test2.test.com
      fallthrough
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
"""

# kubeadm's default (cmd/kubeadm/app/phases/addons/dns/manifests.go, DNS domain cluster.local)
KUBEADM_DEFAULT = """\
.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def codes(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(p.code, p.at) for p in parse(text, coredns.ALL_DIRECTIVES).problems]


# tokens ---------------------------------------------------------------------------------------

def test_tokens_carry_their_line_and_column():
    tokens, problems = tokenize(".:53 {\n    forward . /etc/resolv.conf\n}\n")
    assert problems == []
    assert [(t.text, t.line, t.column) for t in tokens] == [
        (".:53", 0, 0), ("{", 0, 5), ("forward", 1, 4), (".", 1, 12), ("/etc/resolv.conf", 1, 14), ("}", 2, 0)]


def test_comments_run_to_the_end_of_the_line_even_inside_a_word():
    tokens, _ = tokenize("# a comment { }\nerrors # trailing\nlog#no space\n  # indented\ncache 30\n")
    assert [(t.text, t.line, t.column) for t in tokens] == [("errors", 1, 0), ("log", 2, 0), ("cache", 4, 0),
                                                             ("30", 4, 6)]


def test_quoted_strings_keep_spaces_unescape_only_quotes_and_may_span_lines():
    tokens, problems = tokenize('log . "{remote} \\"{name}\\" \\d"\nanswer "a\nb" next\n')
    assert problems == []
    log, dot, fmt, answer, multi, after = tokens
    assert fmt.text == '{remote} "{name}" \\d' and fmt.quoted and fmt.at == (0, 6)
    assert multi.text == "a\nb" and (multi.line, multi.end_line) == (1, 2)
    assert (after.text, after.line, after.column) == ("next", 2, 3)


def test_a_quote_inside_a_word_is_a_plain_character_and_a_bom_is_skipped():
    tokens, _ = tokenize('\ufeffa"b c')
    assert [(t.text, t.at, t.quoted) for t in tokens] == [('a"b', (0, 0), False), ("c", (0, 4), False)]


def test_an_unterminated_quote_is_a_problem_where_it_starts():
    tokens, problems = tokenize('.:53 {\n  log "abc\n}\n')
    assert [(p.code, p.at) for p in problems] == [(corefile.UNTERMINATED_QUOTE, (1, 6))]
    assert tokens[-1].text == "abc\n}\n"


def test_environment_variables_are_recognised():
    tokens, _ = tokenize("forward . {$UPSTREAM} {%DNS%} 10.0.0.1")
    assert [t.has_env for t in tokens] == [False, False, True, True, False]


# structure ------------------------------------------------------------------------------------

def test_the_notebook_corefile_parses_into_one_server_block_with_nested_options():
    parsed = parse(NOTEBOOK, coredns.ALL_DIRECTIVES)
    assert parsed.problems == [] and parsed.outside == []
    [block] = parsed.blocks
    assert block.describe() == ".:53" and block.open.at == (0, 5) and block.close.at == (22, 0)
    assert [e.name.text for e in block.entries] == ["errors", "health", "rewrite", "rewrite", "kubernetes", "hosts",
                                                    "prometheus", "forward", "cache", "loop", "reload", "loadbalance"]
    kubernetes = block.entries[4]
    assert [t.text for t in kubernetes.args] == ["cluster.local", "in-addr.arpa", "ip6.arpa"]
    assert [(o.name.text, o.name.at) for o in kubernetes.block] == [
        ("pods", (6, 7)), ("upstream", (7, 7)), ("fallthrough", (8, 7)), ("ttl", (9, 7))]
    assert kubernetes.block[1].args == [] and kubernetes.block[0].describe() == "pods insecure"
    hosts = block.entries[5]
    assert [o.describe() for o in hosts.block] == ["10.250.11.11 test1.test.com", "10.250.12.64 test2.test.com",
                                                   "fallthrough"]
    assert block.entries[7].describe() == "forward . /etc/resolv.conf" and block.entries[7].block is None


def test_blocks_nest_and_close_on_their_own_line_or_on_the_line_of_an_option():
    parsed = parse("a.org {\n  template IN A {\n    match x\n    answer { inner } \n  }\n  forward . 1.1.1.1 "
                   "{ max_concurrent 10 }\n}\n")
    assert parsed.problems == []
    template, forward = parsed.blocks[0].entries
    match, answer = template.block
    assert [t.text for t in match.args] == ["x"] and [o.name.text for o in answer.block] == ["inner"]
    assert [o.describe() for o in forward.block] == ["max_concurrent 10"]


def test_a_block_may_open_at_the_start_of_the_next_line():
    parsed = parse(".:53 {\n  kubernetes cluster.local\n  {\n    pods insecure\n  }\n  cache 30\n}\n")
    assert parsed.problems == []
    kubernetes, cache = parsed.blocks[0].entries
    assert [o.name.text for o in kubernetes.block] == ["pods"] and kubernetes.open.at == (2, 2)
    assert cache.describe() == "cache 30"


def test_keys_continue_after_a_trailing_comma_and_several_blocks_follow_each_other():
    parsed = parse("example.org:53,\nexample.net:53 {\n  errors\n}\n.:53 {\n  forward . 8.8.8.8\n}\n")
    assert parsed.problems == []
    assert [b.describe() for b in parsed.blocks] == ["example.org:53, example.net:53", ".:53"]


def test_snippets_and_imports():
    parsed = parse("(common) {\n  errors\n  cache 30\n}\n.:53 {\n  import common\n  forward . 8.8.8.8\n}\n",
                   coredns.ALL_DIRECTIVES)
    assert parsed.problems == []
    snippet, server = parsed.blocks
    assert snippet.snippet == "common" and server.snippet is None
    assert [e.describe() for e in server.entries] == ["import common", "forward . 8.8.8.8"]
    assert [e.name.text for _, e in parsed.entries()] == ["errors", "cache", "import", "forward"]


def test_a_corefile_without_braces_is_one_server_block():
    parsed = parse(".:53\nerrors\nforward . 8.8.8.8\n", coredns.ALL_DIRECTIVES)
    assert parsed.problems == []
    assert [e.describe() for e in parsed.blocks[0].entries] == ["errors", "forward . 8.8.8.8"]


def test_the_kubeadm_default_has_no_problem():
    assert codes(KUBEADM_DEFAULT) == []


# problems -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\n", "# nothing but a comment\n"])
def test_an_empty_corefile_is_a_problem(text):
    assert codes(text) == [(corefile.EMPTY, (0, 0))]


def test_a_missing_close_is_one_problem_at_the_innermost_open_brace_left_at_the_end():
    assert codes(".:53 {\n  errors\n") == [(corefile.UNCLOSED, (0, 5))]
    text = ".:53 {\n  kubernetes cluster.local {\n    pods insecure\n  forward . 8.8.8.8\n"
    [problem] = parse(text).problems
    assert (problem.code, problem.at) == (corefile.UNCLOSED, (1, 27))
    assert "2 '{' but 0 '}'" in problem.message and "'kubernetes cluster.local'" in problem.message


def test_an_extra_close_at_the_end_is_a_trailing_close_and_elsewhere_an_unexpected_one():
    assert codes(".:53 {\n  errors\n}\n}\n") == [(corefile.TRAILING_CLOSE, (3, 0))]
    assert codes("}\n.:53 {\n  errors\n}\n") == [(corefile.UNEXPECTED_CLOSE, (0, 0))]


def test_a_server_block_close_on_a_directive_line():
    assert codes(".:53 {\n  errors }\n") == [(corefile.CLOSE_ON_DIRECTIVE_LINE, (1, 9))]
    assert codes(".:53 {\n  forward . 1.1.1.1 { max_fails 3 } }\n") == [(corefile.CLOSE_ON_DIRECTIVE_LINE,
                                                                          (1, 36))]


def test_directives_after_an_early_close_are_one_problem_at_the_first_of_them():
    text = ".:53 {\n  kubernetes cluster.local {\n    pods insecure\n  }\n  }\n  forward . 8.8.8.8\n  cache 30\n}\n"
    parsed = parse(text, coredns.ALL_DIRECTIVES)
    assert [(p.code, p.at) for p in parsed.problems] == [(corefile.OUTSIDE, (5, 2))]
    assert "Corefile line 5" in parsed.problems[0].message
    assert [e.describe() for e in parsed.outside] == ["forward . 8.8.8.8", "cache 30"]


def test_a_zone_is_not_a_directive_and_without_the_directive_names_nothing_is_outside():
    text = ".:53 {\n  errors\n}\nlog\n"
    assert codes(text) == [(corefile.OUTSIDE, (3, 0))]
    assert parse(text).problems == []  # no directive names given: 'log' is read as a zone


def test_an_unterminated_quote_is_not_also_reported_as_unbalanced_braces():
    assert codes('.:53 {\n  log "abc\n}\n') == [(corefile.UNTERMINATED_QUOTE, (1, 6))]


def test_a_brace_that_belongs_to_no_directive():
    assert codes(".:53 {\n  {\n    errors\n  }\n}\n") == [(corefile.STRAY_OPEN, (1, 2))]


# the tables -----------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, version", [("v1.11.3", (1, 11, 3)), ("1.6.7", (1, 6, 7)),
                                          ("v1.8.7-eksbuild.3", (1, 8, 7)), ("latest", None), ("1.6", None),
                                          ("v1.2.3.4", None)])
def test_versions_come_from_image_tags(tag, version):
    assert coredns.parse_version(tag) == version


@pytest.mark.parametrize("kube, version", [((1, 25), (1, 9, 3)), ((1, 26), (1, 9, 3)), ((1, 27), (1, 10, 1)),
                                           ((1, 28), (1, 10, 1)), ((1, 29), (1, 11, 1)), ((1, 30), (1, 11, 1)),
                                           ((1, 31), (1, 11, 3)), ((1, 32), (1, 11, 3)), ((1, 33), (1, 12, 0)),
                                           ((1, 34), (1, 12, 1)), ((1, 35), (1, 13, 1)), ((1, 36), (1, 14, 2)),
                                           ((1, 37), (1, 14, 4))])
def test_the_coredns_of_kubeadm_per_kubernetes_version(kube, version):
    found, for_kube, source = coredns.kubeadm_coredns(kube)
    assert (found, for_kube) == (version, kube) and source


def test_kubernetes_versions_outside_the_table_take_the_nearest():
    assert coredns.kubeadm_coredns((1, 38))[:2] == ((1, 14, 4), (1, 37))
    assert coredns.kubeadm_coredns((1, 5))[:2] == ((1, 1, 3), (1, 11))


def test_every_kubernetes_version_k8slint_targets_has_its_coredns():
    from k8slint.kube import versions

    for known in versions.known():
        assert versions.parse(known) in coredns.KUBEADM


@pytest.mark.parametrize("plugin, option, before, removed", [
    ("proxy", None, (1, 4, 0), (1, 5, 0)), ("federation", None, (1, 6, 9), (1, 7, 0)),
    ("kubernetes", "upstream", (1, 6, 9), (1, 7, 0)), ("kubernetes", "resyncperiod", (1, 6, 9), (1, 7, 0)),
    ("kubernetes", "transfer", (1, 7, 1), (1, 8, 0)), ("header", "set", (1, 12, 3), (1, 12, 4))])
def test_removals_start_at_their_release(plugin, option, before, removed):
    def lookup(version):
        return coredns.removed_plugin(plugin, version) if option is None \
            else coredns.removed_option(plugin, option, version)

    assert lookup(before) is None
    removal = lookup(removed)
    assert removal is not None and removal.removed == removed and removal.sources and removal.fix
    assert all(s.startswith(("https://", "github.com/")) for s in removal.sources)


def test_options_of_other_plugins_and_kept_plugins_are_not_removals():
    assert coredns.removed_option("hosts", "upstream", (1, 14, 4)) is None
    assert coredns.removed_option("kubernetes", "ttl", (1, 14, 4)) is None
    assert coredns.removed_plugin("forward", (1, 14, 4)) is None


def test_plugin_directives_and_their_first_release():
    assert coredns.plugin_since("forward") == (1, 0, 5)
    assert coredns.plugin_since("multisocket") == (1, 12, 0)
    assert coredns.plugin_since("k8s_gateway") is None
    assert max(coredns.PLUGINS_SINCE.values()) == coredns.NEWEST
    # every directive of the kubeadm default and of the notebook is known to the CoreDNS they ran with
    for text, version in ((KUBEADM_DEFAULT, (1, 9, 3)), (NOTEBOOK, (1, 6, 7))):
        for _, entry in parse(text).entries():
            assert coredns.plugin_since(entry.name.text) <= version


@pytest.mark.parametrize("image, is_coredns, standard", [
    ("registry.k8s.io/coredns/coredns:v1.11.3", True, True), ("coredns/coredns:1.8.0", True, True),
    ("k8s.gcr.io/coredns:1.6.7", True, True),
    ("registry.aliyuncs.com/google_containers/coredns:v1.11.1", True, False),
    ("602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4", True, False),
    ("ghcr.io/k8s-gateway/k8s_gateway:0.4.0", False, False), ("nginx:1.27", False, False)])
def test_coredns_images(image, is_coredns, standard):
    ref = images.parse(image)
    assert coredns.is_coredns_image(ref) is is_coredns
    assert coredns.is_standard_image(ref) is standard


# the rules --------------------------------------------------------------------------------------

def configmap(text: str, name: str = "coredns", namespace: str = "kube-system") -> str:
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\ndata:\n"
            "  Corefile: |\n" + textwrap.indent(text, "    "))


def deployment(image: str, configmap_name: str = "coredns", namespace: str = "kube-system") -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: coredns
          namespace: {namespace}
        spec:
          selector:
            matchLabels: {{k8s-app: kube-dns}}
          template:
            metadata:
              labels: {{k8s-app: kube-dns}}
            spec:
              containers:
                - name: coredns
                  image: {image}
              volumes:
                - name: config-volume
                  configMap:
                    name: {configmap_name}
        """)


RULES = ("coredns-plugin-removed", "coredns-corefile-invalid")


def findings(report) -> list[tuple[int, str, str]]:
    return [(r.line, r.rule, r.severity) for r in report.results if r.rule in RULES]


@pytest.mark.parametrize("image", ["registry.k8s.io/coredns/coredns:v1.7.0", "registry.k8s.io/coredns/coredns:v1.11.3",
                                   "coredns/coredns:1.8.6"])
def test_the_notebook_corefile_with_coredns_1_7_or_later_gives_the_removed_upstream(lint_text, image):
    report = lint_text(configmap(NOTEBOOK) + "---\n" + deployment(image))
    upstream_line = 8 + NOTEBOOK.splitlines().index("       upstream")
    assert findings(report) == [(upstream_line, "coredns-plugin-removed", "error")]
    [result] = [r for r in report.results if r.rule == "coredns-plugin-removed"]
    assert result.column == 12 and "'upstream'" in result.message and image in result.message


def test_the_notebook_corefile_with_coredns_1_6_gives_nothing(lint_text):
    report = lint_text(configmap(NOTEBOOK) + "---\n" + deployment("registry.k8s.io/coredns:1.6.7"))
    assert findings(report) == []


@pytest.mark.parametrize("kube", [(1, minor) for minor in range(25, 38)])
def test_the_current_default_corefile_gives_nothing_for_any_target_version(lint_text, kube):
    assert findings(lint_text(configmap(KUBEADM_DEFAULT), kube_version=kube)) == []


def test_without_an_image_the_kubeadm_version_is_assumed_and_said(lint_text):
    report = lint_text(configmap("example.org {\n    multisocket\n}\n"), kube_version=(1, 30))
    [result] = [r for r in report.results if r.rule in RULES]
    assert result.rule == "coredns-corefile-invalid" and result.severity == "error"
    assert "CoreDNS 1.11.1 (assumed: the CoreDNS kubeadm installs with Kubernetes 1.30" in result.message
    assert findings(lint_text(configmap("example.org {\n    multisocket\n}\n"), kube_version=(1, 33))) == []


def test_a_ConfigMap_neither_named_coredns_nor_mounted_by_coredns_is_not_checked(lint_text):
    assert findings(lint_text(configmap("{\n  proxy . 8.8.8.8\n", name="dns-notes"))) == []
    # mounted by a CoreDNS Deployment under another name (a Helm release): checked
    text = configmap(".:53 {\n    proxy . 8.8.8.8\n}\n", name="edge-coredns", namespace="edge") + "---\n" + \
        deployment("coredns/coredns:1.9.3", configmap_name="edge-coredns", namespace="edge")
    assert findings(lint_text(text)) == [(9, "coredns-plugin-removed", "error")]


def test_an_unknown_directive_is_info_with_a_custom_image_and_an_error_with_the_standard_one(lint_text):
    corefile_text = ".:53 {\n    k8s_gateway example.com\n}\n"
    custom = lint_text(configmap(corefile_text) + "---\n" + deployment("registry.example.com/dns/coredns:1.12.0"))
    assert findings(custom) == [(9, "coredns-corefile-invalid", "info")]
    standard = lint_text(configmap(corefile_text) + "---\n" + deployment("registry.k8s.io/coredns/coredns:v1.12.0"))
    assert findings(standard) == [(9, "coredns-corefile-invalid", "error")]


def test_a_corefile_in_a_flow_scalar_anchors_at_the_field(lint_text):
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\n"
            "data:\n  Corefile: \".:53 {\\n  errors\\n  proxy . 8.8.8.8\\n}\\n\"\n")
    report = lint_text(text)
    assert [(r.line, r.rule) for r in report.results if r.rule in RULES] == [(7, "coredns-plugin-removed")]


def test_the_operations_notebook_itself(lint_text):
    seed = SHARED / "seed" / "kubernetes-practices.md"
    if not seed.is_file():
        pytest.skip("../shared/seed is not available in this checkout")
    text = seed.read_text(encoding="utf-8")
    m = re.search(r"kubectl get cm -n kube-system coredns -oyaml\n(apiVersion: v1\n.*?namespace: kube-system\n)",
                  text, re.S)
    assert m, "the notebook's coredns ConfigMap is not where it was"
    manifest = m.group(1)
    new = lint_text(manifest + "---\n" + deployment("registry.k8s.io/coredns/coredns:v1.11.3"))
    [(line, rule, _)] = findings(new)
    assert rule == "coredns-plugin-removed" and manifest.splitlines()[line - 1].strip() == "upstream"
    assert findings(lint_text(manifest + "---\n" + deployment("registry.k8s.io/coredns:1.6.2"))) == []


def test_the_parser_never_raises_and_survives_deep_nesting():
    import random

    rng = random.Random(7)
    alphabet = ["{", "}", '"', "\\", "#", "\n", " ", "forward", ".", "kubernetes", "}}", "{{", "(x)", ",", "import"]
    for _ in range(2000):
        parse("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))), coredns.ALL_DIRECTIVES)
    deep = ".:53 {\n" + "a {\n" * 3000 + "}\n" * 3001
    assert parse(deep).problems == []
    assert [p.code for p in parse(".:53 {\n" + "a {\n" * 3000).problems] == [corefile.UNCLOSED]
