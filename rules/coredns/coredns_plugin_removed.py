"""## What it does
Flags a plugin or a plugin option in a CoreDNS `Corefile` that the CoreDNS
version running it no longer accepts, at its line in the ConfigMap:

| written | removed in | deprecated in | instead |
|---|---|---|---|
| `proxy` | 1.5.0 | 1.4.0 | `forward` |
| `federation` | 1.7.0 | (announced in 1.6.0) | nothing: delete it |
| `upstream` in `kubernetes` | 1.7.0 | 1.4.0 (a no-op from 1.5.0) | nothing: delete the line |
| `resyncperiod` in `kubernetes` | 1.7.0 | 1.5.0 (a no-op from 1.6.0) | nothing: delete the line |
| `transfer` in `kubernetes`, `file`, `auto` | 1.8.0 | | the `transfer` plugin |
| `no_reload` in `file`, `auto` | 1.5.0 | 1.4.0 | `reload 0` |
| `upstream` in `secondary` | 1.8.0 | 1.5.2 | nothing: delete the line |
| `set`, `clear` in `header` without `query`/`response` | 1.12.4 | 1.9.4 | `response set ...` |
| `reverse`; `startup`, `shutdown` | 1.1.4; 1.1.0 | 1.1.3; 1.0.6 | nothing; `on` |

A deprecated plugin or option that the running version still accepts is not
reported.

Which ConfigMaps: those with a `data.Corefile` that are named `coredns` (as
kubeadm's `kube-system/coredns`), or that a workload in the run mounts and
runs with a CoreDNS image, an image whose repository's last component is
`coredns` (`registry.k8s.io/coredns/coredns`, `coredns/coredns`, a mirror),
as a Helm chart's `<release>-coredns` ConfigMap. Which version: the tag of
that image when it names one (`v1.11.3`); otherwise the CoreDNS that kubeadm
installs with the target Kubernetes version (`--kube-version`: 1.9.3 for 1.25
and 1.26, 1.10.1 for 1.27 and 1.28, 1.11.1 for 1.29 and 1.30, 1.11.3 for 1.31
and 1.32, 1.12.0 for 1.33, 1.12.1 for 1.34, 1.13.1 for 1.35, 1.14.2 for 1.36,
1.14.4 for 1.37). Each message says which version it assumed and why.

Unknown directives and syntax errors are `coredns-corefile-invalid`'s.

## Why is this bad?
CoreDNS reads the whole Corefile when it starts and stops at the first plugin
or option it does not know (`Unknown directive 'proxy'`, `plugin/kubernetes:
... unknown property 'upstream'`): the pods crash-loop and, once the old ones
are gone, nothing in the cluster resolves names. It usually shows up at an
upgrade: `kubeadm upgrade` moves CoreDNS to a new version while the
ConfigMap still holds options an older one accepted, or a Corefile copied
from an old blog post is applied to a new cluster. With the `reload` plugin,
the running pods keep their old configuration after the ConfigMap changes
(the reload fails), so the breakage waits for the next restart or node drain.

## How to fix
Write what replaced the plugin or option, or delete it:

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
        cache 30
        loop
        reload
        loadbalance
    }
```

(`upstream` and `resyncperiod` deleted, `proxy` written as `forward`.)
Before an upgrade, `corefile-tool deprecated --from 1.6.7 --to 1.11.3
--corefile Corefile` lists what the new version refuses.

## References
- CoreDNS Corefile migration data (what changed in which release): https://github.com/coredns/corefile-migration
- CoreDNS 1.7.0 release notes (federation, `upstream` and `resyncperiod` removed): https://coredns.io/2020/06/15/coredns-1.7.0-release/
- CoreDNS 1.5.0 release notes (`proxy` removed): https://coredns.io/2019/04/06/coredns-1.5.0-release/
- CoreDNS 1.8.0 release notes (zone transfers moved to the `transfer` plugin): https://coredns.io/2020/10/22/coredns-1.8.0-release/
- The CoreDNS version kubeadm installs per Kubernetes version: https://github.com/coredns/deployment/blob/master/kubernetes/CoreDNS-k8s_version.md
- Kubernetes: customizing DNS (the `coredns` ConfigMap): https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
- Operations practice: add custom DNS records to CoreDNS through its ConfigMap (`rewrite`, `hosts` blocks in the Corefile).
"""

from k8slint.engine import Finding, rule
from k8slint.kube import coredns

from . import _coredns


def _when(removal: coredns.Removal) -> str:
    out = f"removed in CoreDNS {coredns.show(removal.removed)}"
    if removal.deprecated is not None:
        out += f" (deprecated since {coredns.show(removal.deprecated)})"
    return out


def _refusal(removal: coredns.Removal) -> str:
    return f'CoreDNS refuses to start ("{removal.error}")' if removal.error else "CoreDNS refuses to start"


def _instead(removal: coredns.Removal, entry) -> str:
    if removal.replaced_by is None:
        return ""
    if not entry.args:
        return f"use {removal.replaced_by!r}: "
    return f"write {' '.join([removal.replaced_by, *(t.text for t in entry.args)])!r}: "


def _line(entry) -> str:
    return f" ({entry.describe()!r})" if entry.args else ""


@rule(scope="object", id="coredns-plugin-removed", severity="error", category="correctness", applies_to={"ConfigMap"},
      summary="A Corefile plugin or option the running CoreDNS version has removed")
def check(obj, ctx):
    runtime = _coredns.runtime(obj, ctx)
    if runtime is None:
        return
    where = _coredns.subject(obj)
    version = runtime.version
    for _block, entry in _coredns.parsed(obj, ctx).entries():
        name = entry.name
        if name.quoted or name.has_env:
            continue
        removal = coredns.removed_plugin(name.text, version)
        if removal is not None:
            yield Finding(_coredns.PATH,
                          f"{where}: plugin {name.text!r}{_line(entry)} was {_when(removal)}, and this Corefile runs "
                          f"on {runtime.describe()}: {_refusal(removal)}; {_instead(removal, entry)}{removal.fix}",
                          at=name.at)
            continue
        for line in entry.block or ():
            option = line.name
            removal = coredns.removed_option(name.text, option.text, version)
            if removal is not None and not option.quoted:
                yield Finding(_coredns.PATH,
                              f"{where}: option {option.text!r} of plugin {name.text!r}{_line(line)} was "
                              f"{_when(removal)}, and this Corefile runs on {runtime.describe()}: "
                              f"{_refusal(removal)}; {removal.fix}", at=option.at)
