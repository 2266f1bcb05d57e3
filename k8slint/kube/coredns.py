"""CoreDNS knowledge for Corefile checks: which plugin directives each release
knows, which plugins and plugin options were removed (and when), and which
CoreDNS version kubeadm installs with each Kubernetes version.

Everything here is data with its source next to it. The main sources:

- ``MIGRATION``: github.com/coredns/corefile-migration, ``migration/versions.go``
  and ``migration/plugins.go`` at 1dc6c9e (2026-03-10, "support coredns
  v1.14.2"): per CoreDNS release, the plugins and options with their status
  (deprecated, ignored, removed), the tool kubeadm uses to migrate a Corefile.
- ``notes(v)``: the CoreDNS release notes, github.com/coredns/coredns
  ``notes/coredns-<v>.md`` (also published on coredns.io).
- ``PLUGIN_CFG``: github.com/coredns/coredns ``plugin.cfg`` at every release tag
  v1.0.0 to v1.14.7 (read at 4b26cce, 2026-08-20): the directives the standard
  build accepts; anything else is "Unknown directive" to it.
- ``DEPLOYMENT``: github.com/coredns/deployment
  ``kubernetes/CoreDNS-k8s_version.md`` at 7853d4a (2025-01-14): the CoreDNS
  version kubeadm installs with each Kubernetes version up to 1.32.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .images import ImageRef

Version = tuple[int, int, int]

MIGRATION = "github.com/coredns/corefile-migration migration/versions.go, migration/plugins.go @1dc6c9e"
PLUGIN_CFG = "github.com/coredns/coredns plugin.cfg at each release tag"
DEPLOYMENT = "github.com/coredns/deployment kubernetes/CoreDNS-k8s_version.md @7853d4a"


def notes(version: str) -> str:
    """The release notes of a CoreDNS version."""
    return f"https://github.com/coredns/coredns/blob/master/notes/coredns-{version}.md"


def setup_go(plugin: str, before: str, after: str) -> str:
    """A plugin's option parser, where an option stops being accepted."""
    return f"github.com/coredns/coredns plugin/{plugin}/setup.go v{before} -> v{after}"


#: directive -> the first release whose plugin.cfg lists it (PLUGIN_CFG; the newest tag read is NEWEST)
PLUGINS_SINCE: dict[str, Version] = {
    **dict.fromkeys(("tls", "root", "bind", "debug", "trace", "health", "pprof", "prometheus", "errors", "log",
                     "dnstap", "chaos", "cache", "rewrite", "loadbalance", "dnssec", "autopath", "reverse", "hosts",
                     "federation", "kubernetes", "file", "auto", "secondary", "etcd", "proxy", "erratic", "whoami",
                     "startup", "shutdown"), (1, 0, 0)),
    "nsid": (1, 0, 1),
    "template": (1, 0, 3),
    "forward": (1, 0, 5), "route53": (1, 0, 5), "on": (1, 0, 5),
    "reload": (1, 1, 0),
    "metadata": (1, 2, 0),
    "loop": (1, 2, 1),
    "k8s_external": (1, 3, 0),
    "cancel": (1, 5, 0), "grpc": (1, 5, 0), "ready": (1, 5, 0),
    "any": (1, 5, 1),
    "azure": (1, 6, 2),
    "clouddns": (1, 6, 3), "sign": (1, 6, 3),
    "acl": (1, 6, 4),
    "transfer": (1, 6, 5),
    "bufsize": (1, 6, 6),
    "dns64": (1, 7, 0),
    "local": (1, 8, 1),
    "minimal": (1, 8, 4),
    "header": (1, 8, 5), "geoip": (1, 8, 5),
    "tsig": (1, 9, 4),
    "view": (1, 10, 0),
    "timeouts": (1, 10, 1),
    "multisocket": (1, 12, 0),
    "quic": (1, 12, 2),
    "nomad": (1, 13, 0),
    "grpc_server": (1, 14, 0), "https": (1, 14, 0), "https3": (1, 14, 0),
    "proxyproto": (1, 14, 3),
    "shed": (1, 14, 7),
}
#: the newest release whose plugin.cfg PLUGINS_SINCE was read from
NEWEST: Version = (1, 14, 7)
#: the oldest: before it, directives are not checked
OLDEST: Version = (1, 0, 0)


@dataclass(frozen=True)
class Removal:
    """A plugin (``option`` None) or a plugin option that a CoreDNS release stopped accepting."""

    plugin: str
    option: str | None
    removed: Version  # the first release that refuses it
    deprecated: Version | None  # the release that deprecated it (announced its removal), if any
    fix: str  # what to write instead
    sources: tuple[str, ...]
    error: str | None = None  # what CoreDNS says when it refuses it (None: not quoted)
    replaced_by: str | None = None  # the plugin that takes the same arguments, if one does

    @property
    def name(self) -> str:
        return self.plugin if self.option is None else self.option


REMOVALS: tuple[Removal, ...] = (
    # plugins -----------------------------------------------------------------
    Removal("proxy", None, (1, 5, 0), (1, 4, 0),
            "'forward' takes the same zone and upstreams (it has no 'fail_timeout', 'health_check' or 'spray' "
            "options)",
            (notes("1.4.0"), notes("1.5.0"), MIGRATION + ': plugins["proxy"]["removal"] (replacedBy "forward") '
             "from 1.5.0", PLUGIN_CFG + ": proxy is gone from v1.5.0"), "Unknown directive 'proxy'", "forward"),
    Removal("federation", None, (1, 7, 0), None,  # 1.6.0 announced it, 1.6.3 moved it out of tree
            "delete the 'federation' block: Kubernetes federation v1 is gone, and the external plugin "
            "(github.com/coredns/federation) does not build with CoreDNS 1.7.0 or later",
            (notes("1.6.0"), notes("1.6.3"), notes("1.7.0"), PLUGIN_CFG + ": federation is gone from v1.7.0",
             DEPLOYMENT + " (v1.19 row)"), "Unknown directive 'federation'"),
    Removal("reverse", None, (1, 1, 4), (1, 1, 3),
            "delete it (the 'template' plugin can synthesize PTR answers)",
            (notes("1.1.3"), notes("1.1.4"), PLUGIN_CFG + ": 'reverse:deprecated' in v1.1.4, a stub that fails "
             "startup; gone from v1.2.0")),
    Removal("startup", None, (1, 1, 0), (1, 0, 6), "use the 'on' plugin ('on startup COMMAND')",
            (notes("1.0.6"), notes("1.1.0"), PLUGIN_CFG + ": 'startup:deprecated' in v1.1.0, a stub that fails "
             "startup")),
    Removal("shutdown", None, (1, 1, 0), (1, 0, 6), "use the 'on' plugin ('on shutdown COMMAND')",
            (notes("1.0.6"), notes("1.1.0"), PLUGIN_CFG + ": 'shutdown:deprecated' in v1.1.0, a stub that fails "
             "startup")),
    # options -----------------------------------------------------------------
    Removal("kubernetes", "upstream", (1, 7, 0), (1, 4, 0),
            "delete the line: since 1.5.0 the kubernetes plugin resolves external names through CoreDNS itself "
            "and the option did nothing",
            (MIGRATION + ': plugins["kubernetes"] v4 (deprecated, 1.4.0), v5 (ignored, 1.5.0), v7 (removed, '
             "1.7.0)", notes("1.5.2"), notes("1.7.0") + " (coredns/coredns#3737)"), "unknown property 'upstream'"),
    Removal("kubernetes", "resyncperiod", (1, 7, 0), (1, 5, 0),
            "delete the line: it has done nothing since 1.6.0",
            (MIGRATION + ': plugins["kubernetes"] v5 (deprecated, 1.5.0), v6 (ignored, 1.6.x), v7 (removed, '
             "1.7.0)", notes("1.5.0"), notes("1.7.0") + " (coredns/coredns#3737)"), "unknown property 'resyncperiod'"),
    Removal("kubernetes", "transfer", (1, 8, 0), None,
            "move it to the 'transfer' plugin in the same server block ('transfer { to * }')",
            (MIGRATION + ': plugins["kubernetes"]["v8 remove transfer option"] from 1.8.0', notes("1.8.0"),
             DEPLOYMENT + " (v1.21 row)"), "unknown property 'transfer'"),
    Removal("file", "transfer", (1, 8, 0), None,
            "move it to the 'transfer' plugin in the same server block ('transfer { to * }')",
            (notes("1.8.0"), setup_go("file", "1.7.1", "1.8.0")), "unknown property 'transfer'"),
    Removal("auto", "transfer", (1, 8, 0), None,
            "move it to the 'transfer' plugin in the same server block ('transfer { to * }')",
            (notes("1.8.0"), setup_go("auto", "1.7.1", "1.8.0")), "unknown property 'transfer'"),
    Removal("file", "no_reload", (1, 5, 0), (1, 4, 0), "write 'reload 0' instead",
            (notes("1.4.0"), notes("1.5.0"), setup_go("file", "1.4.0", "1.5.0")), "unknown property 'no_reload'"),
    Removal("auto", "no_reload", (1, 5, 0), (1, 4, 0), "write 'reload 0' instead",
            (notes("1.4.0"), notes("1.5.0"), setup_go("auto", "1.4.0", "1.5.0")), "unknown property 'no_reload'"),
    Removal("secondary", "upstream", (1, 8, 0), (1, 5, 2),
            "delete the line: CoreDNS resolves external names itself since 1.5.2",
            (notes("1.5.2"), setup_go("secondary", "1.7.1", "1.8.0")), "unknown property 'upstream'"),
    Removal("header", "set", (1, 12, 4), (1, 9, 4),
            "name the selector: 'response set ...' (what the old form meant) or 'query set ...'",
            (notes("1.9.4") + " (coredns/coredns#5556)", notes("1.12.4") + " (coredns/coredns#7436)",
             setup_go("header", "1.12.3", "1.12.4")), "invalid selector=set should be query or response"),
    Removal("header", "clear", (1, 12, 4), (1, 9, 4),
            "name the selector: 'response clear ...' (what the old form meant) or 'query clear ...'",
            (notes("1.9.4") + " (coredns/coredns#5556)", notes("1.12.4") + " (coredns/coredns#7436)",
             setup_go("header", "1.12.3", "1.12.4")), "invalid selector=clear should be query or response"),
)
_PLUGIN_REMOVALS = {r.plugin: r for r in REMOVALS if r.option is None}
_OPTION_REMOVALS = {(r.plugin, r.option): r for r in REMOVALS if r.option is not None}

#: every directive name the standard build has ever known (a line starting with one is not a zone)
ALL_DIRECTIVES = frozenset(PLUGINS_SINCE)

#: Kubernetes minor -> (the CoreDNS version kubeadm installs, source)
KUBEADM: dict[tuple[int, int], tuple[Version, str]] = {
    **{k: (v, DEPLOYMENT) for k, v in {
        (1, 11): (1, 1, 3), (1, 12): (1, 2, 2), (1, 13): (1, 2, 6), (1, 14): (1, 3, 1), (1, 15): (1, 3, 1),
        (1, 16): (1, 6, 2), (1, 17): (1, 6, 5), (1, 18): (1, 6, 7), (1, 19): (1, 7, 0), (1, 20): (1, 7, 0),
        (1, 21): (1, 8, 0), (1, 22): (1, 8, 4), (1, 23): (1, 8, 6), (1, 24): (1, 8, 6), (1, 25): (1, 9, 3),
        (1, 26): (1, 9, 3), (1, 27): (1, 10, 1), (1, 28): (1, 10, 1), (1, 29): (1, 11, 1), (1, 30): (1, 11, 1),
        (1, 31): (1, 11, 3), (1, 32): (1, 11, 3)}.items()},
    # coredns/deployment#306: "kubeadm v1.33 has started using coredns v1.12.0" (build/dependencies.yaml at v1.33.0)
    (1, 33): ((1, 12, 0), "https://github.com/coredns/deployment/pull/306"),
    # CHANGELOG-1.34.md, v1.34.0-alpha.1: "Upgrade CoreDNS to v1.12.1" (kubernetes#131151); no later bump in 1.34
    (1, 34): ((1, 12, 1), "https://github.com/kubernetes/kubernetes/pull/131151"),
    # kubernetes#133968 "Update coredns to v1.13.1" (CHANGELOG-1.35.md still says v1.12.4, the PR's first
    # target); `kubeadm config images list` for v1.35.0 gives registry.k8s.io/coredns/coredns:v1.13.1
    (1, 35): ((1, 13, 1), "https://github.com/kubernetes/kubernetes/pull/133968"),
    # CHANGELOG-1.36.md: "Updated CoreDNS to v1.14.2" (kubernetes#137605)
    (1, 36): ((1, 14, 2), "https://github.com/kubernetes/kubernetes/pull/137605"),
    # kubernetes#139735 "bump coredns to v1.14.4", merged for v1.37.0-alpha.2; the next bump (v1.14.7,
    # kubernetes#141462) is in CHANGELOG-1.38.md, v1.38.0-alpha.1
    (1, 37): ((1, 14, 4), "https://github.com/kubernetes/kubernetes/pull/139735"),
}

#: the repositories of the standard CoreDNS build (the project's own images, and the Kubernetes mirror of them)
STANDARD_REPOSITORIES = frozenset({
    "registry.k8s.io/coredns/coredns", "docker.io/coredns/coredns",
    "k8s.gcr.io/coredns/coredns", "k8s.gcr.io/coredns", "registry.k8s.io/coredns",
})

_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?![\d.])")


def parse_version(text: str) -> Version | None:
    """``v1.11.3``, ``1.6.7``, ``v1.8.7-eksbuild.3`` -> (1, 11, 3) ...; None when it names no version."""
    m = _VERSION.match(text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def show(version: Version) -> str:
    return ".".join(str(part) for part in version)


def kubeadm_coredns(kube_version: tuple[int, ...]) -> tuple[Version, tuple[int, int], str]:
    """(CoreDNS version, the Kubernetes version it is for, source) that kubeadm installs for
    ``kube_version``; the nearest known Kubernetes version when that one is not in the table."""
    wanted = (kube_version[0], kube_version[1]) if len(kube_version) >= 2 else (1, 0)
    if wanted not in KUBEADM:
        known = sorted(KUBEADM)
        wanted = known[-1] if wanted > known[-1] else known[0] if wanted < known[0] else \
            max(k for k in known if k <= wanted)
    version, source = KUBEADM[wanted]
    return version, wanted, source


def removed_plugin(name: str, version: Version) -> Removal | None:
    """The removal of plugin ``name`` when ``version`` no longer has it."""
    removal = _PLUGIN_REMOVALS.get(name)
    return removal if removal is not None and version >= removal.removed else None


def removed_option(plugin: str, option: str, version: Version) -> Removal | None:
    """The removal of ``option`` (the first word of a line in ``plugin``'s block) when ``version`` refuses it."""
    removal = _OPTION_REMOVALS.get((plugin, option))
    return removal if removal is not None and version >= removal.removed else None


def plugin_since(name: str) -> Version | None:
    """The first release that knows directive ``name``; None for a name no release of the standard build knows."""
    return PLUGINS_SINCE.get(name)


def is_coredns_image(ref: ImageRef) -> bool:
    """An image of CoreDNS: its repository's last component is ``coredns`` (``registry.k8s.io/coredns/coredns``,
    a mirror such as ``registry.example.com/google_containers/coredns``, EKS's ``eks/coredns``)."""
    return ref.path.rsplit("/", 1)[-1] == "coredns"


def is_standard_image(ref: ImageRef) -> bool:
    """The CoreDNS project's own build (its plugins are exactly those of plugin.cfg)."""
    return ref.repository in STANDARD_REPOSITORIES
