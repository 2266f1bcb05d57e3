"""## What it does
Flags a CoreDNS `Corefile` that CoreDNS cannot load, at the offending line of
the ConfigMap:

- **unbalanced braces**: a `{` never closed (a block of `kubernetes`,
  `forward`, `hosts` or the server block itself), a `}` that closes nothing,
  or a server block's `}` on the line of a directive (`errors }`); a `}`
  left over at the very end is info (CoreDNS reads it as the zone of an
  extra server block with no plugins);
- **a directive outside any server block**: a plugin line after the `}` of
  the block it belongs in (usually because of one `}` too many above it);
- **an unterminated quote**, a `{` that belongs to no directive, and an
  **empty** Corefile;
- **an unknown directive**: a name that is not a plugin of the CoreDNS that
  runs it: a typo (`fowrard`), a plugin newer than that version
  (`multisocket` arrived in 1.12.0), or a plugin that is not part of the
  standard build at all (an external plugin such as `k8s_gateway`). This is an
  error when the image is the standard build (`registry.k8s.io/coredns/coredns`,
  `coredns/coredns`) or when no image is known, and info for any other image,
  which may be a custom build that compiles the plugin in.

The ConfigMaps checked and the CoreDNS version assumed are those of
`coredns-plugin-removed` (a ConfigMap named `coredns`, or one a CoreDNS
workload in the run mounts; the image's tag, else the CoreDNS that kubeadm
installs with the target Kubernetes version). Plugins that the running version
has removed (`proxy`, `federation`) are `coredns-plugin-removed`'s to report.
Directives inside snippets (`(name) { }`) are not checked, nor plugin options,
nor files pulled in with `import`.

## Why is this bad?
CoreDNS parses the whole Corefile at startup and exits on the first error
(`Unknown directive 'fowrard'`, `Unexpected '}' because no matching opening
brace`, `Unexpected EOF`): its pods crash-loop, and when the last old pod
is replaced nothing in the cluster resolves names. With the `reload` plugin a
running CoreDNS keeps its previous configuration when the ConfigMap changes to
a broken one, so the outage waits for the next restart. A directive written
after its block's `}` is not applied at all: CoreDNS reads the line as the
zones of a new server block.

## How to fix
Balance the braces, keep every directive inside its server block, one
`}` per line, and use only the plugins your CoreDNS build has:

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
        }
        forward . /etc/resolv.conf
        cache 30
    }
```

Running the image's version locally (`coredns -conf Corefile -dns.port
1053`) shows whether a Corefile loads before it reaches the cluster.

## References
- CoreDNS manual, configuration (Corefile syntax, snippets, import, environment variables): https://coredns.io/manual/configuration/
- The directives of the standard build, in order: https://github.com/coredns/coredns/blob/master/plugin.cfg
- The Corefile parser (Caddyfile syntax): https://github.com/coredns/caddy/blob/master/caddyfile/parse.go
- External plugins (need a custom build): https://coredns.io/explugins/
- Kubernetes: customizing DNS (the `coredns` ConfigMap): https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
- Operations practice: add custom DNS records to CoreDNS through its ConfigMap (`rewrite`, `hosts` blocks in the Corefile).
"""

import difflib

from k8slint.engine import Finding, rule
from k8slint.kube import coredns, corefile

from . import _coredns

# what each syntax problem does to CoreDNS
_CONSEQUENCE = {
    corefile.EMPTY: "CoreDNS then serves no zone, and no name in the cluster resolves",
    corefile.UNCLOSED: "CoreDNS refuses to start (the Corefile ends inside the block); add the missing '}'",
    corefile.UNEXPECTED_CLOSE: "CoreDNS reads it as the zone of a new server block, and the lines after it as "
                               "that block's directives; delete it, or add the '{' it was meant to close",
    corefile.TRAILING_CLOSE: "CoreDNS reads it as the zone of an extra server block with no plugins; delete it",
    corefile.CLOSE_ON_DIRECTIVE_LINE: "CoreDNS refuses to start (\"Unexpected '}' because no matching opening "
                                      "brace\"); put the '}' on the next line",
    corefile.OUTSIDE: "CoreDNS does not apply it: it reads the line as the zones of a new server block, and "
                      "refuses to start when one of them is already served; move it inside the block",
    corefile.UNTERMINATED_QUOTE: "CoreDNS refuses to start; close the quote",
    corefile.STRAY_OPEN: "CoreDNS refuses to start (\"Unknown directive '{'\"); put the '{' at the end of "
                         "the directive's line",
}


def _unknown(name: str, runtime: _coredns.Runtime) -> tuple[str, str] | None:
    """(message tail, severity) for a directive the running CoreDNS does not know; None if it knows it."""
    version = runtime.version
    if version < coredns.OLDEST or coredns.removed_plugin(name, version) is not None:
        return None  # too old to tell; a removed plugin is coredns-plugin-removed's
    since = coredns.plugin_since(name)
    if since is not None and since <= version:
        return None
    severity = "error" if runtime.standard else "info"
    build = "" if runtime.standard else \
        " (unless this image is a custom build that compiles it in: it is not the standard one)"
    if since is not None:
        return (f"plugin {name!r} arrived in CoreDNS {coredns.show(since)}, and this Corefile runs on "
                f"{runtime.describe()}: "
                f"CoreDNS refuses to start (\"Unknown directive '{name}'\"){build}; upgrade CoreDNS or drop it",
                severity)
    if version > coredns.NEWEST:
        return (f"{name!r} is not a plugin of the standard CoreDNS build up to {coredns.show(coredns.NEWEST)}, "
                f"and this Corefile runs on {runtime.describe()}, newer than k8slint knows: check that it has "
                "the plugin",
                "info")
    close = difflib.get_close_matches(name, [p for p, v in coredns.PLUGINS_SINCE.items() if v <= version], n=1,
                                      cutoff=0.8)
    hint = f"; did you mean {close[0]!r}?" if close else \
        "; an external plugin needs a custom build that compiles it in" if runtime.standard else ""
    return (f"{name!r} is not a plugin of the standard CoreDNS build, and this Corefile runs on "
            f"{runtime.describe()}: CoreDNS refuses to start (\"Unknown directive '{name}'\"){build}{hint}",
            severity)


@rule(scope="object", id="coredns-corefile-invalid", severity="error", category="correctness", applies_to={"ConfigMap"},
      summary="A CoreDNS Corefile that CoreDNS cannot load: bad braces, an unknown directive")
def check(obj, ctx):
    runtime = _coredns.runtime(obj, ctx)
    if runtime is None:
        return
    where = _coredns.subject(obj)
    parsed = _coredns.parsed(obj, ctx)
    for problem in parsed.problems:
        severity = "info" if problem.code == corefile.TRAILING_CLOSE else None
        yield Finding(_coredns.PATH, f"{where}: {problem.message}: {_CONSEQUENCE[problem.code]}",
                      severity=severity, at=problem.at)
    for block in parsed.blocks:
        if block.snippet is not None:
            continue  # a snippet's lines may be options of the block it is imported into
        for entry in block.entries:
            name = entry.name
            if name.text == "import" or name.quoted or name.has_env:
                continue
            unknown = _unknown(name.text, runtime)
            if unknown is not None:
                message, severity = unknown
                yield Finding(_coredns.PATH, f"{where}: {message}", severity=severity, at=name.at)
