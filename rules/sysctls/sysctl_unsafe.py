"""## What it does
Flags a sysctl in a pod's `securityContext.sysctls` that is namespaced (so a
pod may set it) but not in Kubernetes' *safe* set for the target version
(`--kube-version`). Sysctls the cluster's kubelets allow can be listed in the
`allowed-unsafe-sysctls` option, which takes the same patterns as the
kubelet flag (`kernel.msg*`, `net.core.somaxconn`).

The safe set grows over releases: `net.ipv4.ip_local_reserved_ports` is safe
from 1.27, the TCP keepalive and `tcp_fin_timeout` sysctls from 1.29,
`tcp_rmem`/`tcp_wmem` from 1.32, `tcp_slow_start_after_idle` and
`tcp_notsent_lowat` from 1.37. Sysctls that are not namespaced at all are
`sysctl-node-level`'s business.

A `KubeletConfiguration` in the run (any folder) counts like the option: a
sysctl its `allowedUnsafeSysctls` allows is info, since the kubelets that
use it start the pod and only Pod Security admission may still reject it.

Two more cases where a safe sysctl still fails:

- **An old kernel.** The kubelet takes a safe sysctl off its list on a node
  whose kernel predates the sysctl's network namespacing (`tcp_rmem` and
  `tcp_wmem` need Linux 4.15, the keepalive ones 4.5, `tcp_fin_timeout` 4.6,
  `tcp_slow_start_after_idle` 4.15, `tcp_notsent_lowat` 4.6). Tell the rule
  the nodes' kernel with the `node-kernel-version` option (a string:
  `"4.14"`, `"5.10"`) and it reports those as the kubelet would treat them;
  without it, the kernel is assumed new enough.
- **The slash form under Pod Security admission** (info). The kubelet
  accepts `net/ipv4/ip_local_port_range` as the same sysctl as
  `net.ipv4.ip_local_port_range`, but admission compares the name as
  written with its allowed list of dotted names, so a namespace that
  enforces `baseline` rejects the pod (an error there). Write the dotted
  form.

This is also the Sysctls control of the Pod Security Standards' Baseline
level: in a namespace labelled `pod-security.kubernetes.io/enforce: baseline`
(or `restricted`), admission rejects the pod outright, and the finding is an
error there.

## Why is this bad?
A namespaced sysctl outside the safe set is not isolated from other pods on
the node (it can take memory or affect the host's network stack). The
scheduler still places the pod, but the kubelet refuses to start it
(`SysctlForbidden`) unless the node runs with
`--allowed-unsafe-sysctls` covering it, so the pod fails on some nodes and
not others, or on all of them after a node pool change.

## How to fix
Use a safe sysctl if one does the job, or allow the sysctl on a dedicated
node pool and schedule the pod there (and list it in this rule's option):

```yaml
# kubelet on the dedicated nodes: --allowed-unsafe-sysctls='net.core.somaxconn'
spec:
  nodeSelector:
    pool: tuned
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_port_range   # safe: allowed everywhere
        value: "1024 65000"
```

```yaml
# .k8slint.yaml
rules:
  sysctl-unsafe:
    allowed-unsafe-sysctls: ["net.core.somaxconn"]
    node-kernel-version: "5.10"   # the oldest kernel among the nodes
```

## References
- Using sysctls in a Kubernetes cluster (safe and unsafe sets): https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
- Pod Security Standards, Baseline, Sysctls: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Kernel versions the safe sysctls need: https://kubernetes.io/docs/reference/node/kernel-version-requirements/
- `tcp_slow_start_after_idle` and `tcp_notsent_lowat` made safe in 1.37: https://github.com/kubernetes/kubernetes/pull/138389
- Operations practice: most namespaced parameters are safe; unsafe namespaced ones must be enabled on the kubelet first.
"""

from k8slint.engine import Finding, Option, rule
from k8slint.kube import sysctls
from k8slint.model import WORKLOADS, sequence, written_in


def _kubelet_allowlists(ctx) -> list:
    """(KubeletConfiguration, its allowedUnsafeSysctls) for each one in the run, whatever its folder:
    a kubelet's configuration applies to the nodes, not to one unit of manifests."""
    key = "sysctl-unsafe/kubelet"
    if key not in ctx.cache:
        ctx.cache[key] = [(k, [p for p in sequence(k.raw.get("allowedUnsafeSysctls")) if isinstance(p, str)])
                          for k in ctx.run_graph.objects
                          if k.kind == "KubeletConfiguration" and k.group == "kubelet.config.k8s.io"]
    return ctx.cache[key]


def _kernel_option(value: str) -> str | None:
    if value and sysctls.parse_kernel(value) is None:
        return f"{value!r} is not a kernel version (write it as a string, like \"5.10\")"
    return None


@rule(id="sysctl-unsafe", severity="warning", category="security",
      security_severity=5.0, applies_to=WORKLOADS, tags=("pss-baseline",),
      summary="A namespaced sysctl outside the safe set (the kubelet rejects the pod)",
      options={"allowed-unsafe-sysctls": Option(
          (), "sysctl names or patterns (ending in *) the nodes allow with --allowed-unsafe-sysctls",
          "str-list"),
          "node-kernel-version": Option(
          "", "the Linux version of the oldest node (\"5.10\"): safe sysctls that kernel predates are unsafe there",
          "str", check=_kernel_option)}, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    host = {sysctls.NET: pod.spec.get("hostNetwork") is True, sysctls.IPC: pod.spec.get("hostIPC") is True}
    allowed = ctx.options["allowed-unsafe-sysctls"]
    kernel = sysctls.parse_kernel(ctx.options["node-kernel-version"] or "")
    version = ctx.kube_version
    kubelet_configs = _kubelet_allowlists(ctx)
    for i, name in sysctls.pod_sysctls(pod):
        namespace = sysctls.namespace_of(name)
        if namespace is None or host[namespace]:
            continue  # cannot be set at all: sysctl-node-level
        at = pod.spec_path / "securityContext" / "sysctls" / i / "name"
        dotted = sysctls.normalize(name)
        if sysctls.is_safe(name, version):
            needed = sysctls.kernel_too_old(name, kernel)
            if needed is not None and not sysctls.allowed_by(name, allowed):
                yield Finding(at, f"sysctl {name!r} is safe only on Linux {needed[0]}.{needed[1]} and later, and the "
                                  f"nodes run {ctx.options['node-kernel-version']}: the kubelet drops it from its safe "
                                  "set there and refuses to start the pod unless --allowed-unsafe-sysctls allows it")
            elif dotted != name:
                yield Finding(at, f"sysctl {name!r} is safe, but Pod Security admission compares the name as written "
                                  f"and allows only {dotted!r}: a namespace that enforces the baseline level rejects "
                                  f"the pod; write {dotted!r}", severity="info")
            continue
        if sysctls.allowed_by(name, allowed):
            continue
        config = next((k for k in kubelet_configs if sysctls.allowed_by(name, k[1])), None)
        if config is not None:
            yield Finding(at, f"sysctl {name!r} is not in the safe set, but KubeletConfiguration "
                              f"({written_in(config[0])}) allows it: the kubelets that use that configuration "
                              "start the pod; Pod Security admission still rejects it in a namespace that "
                              "enforces the baseline level", severity="info")
            continue
        since = sysctls.SAFE_SINCE.get(dotted)
        later = f" (it is safe from Kubernetes {since[0]}.{since[1]})" if since else ""
        yield Finding(at, f"sysctl {name!r} is not in the safe set of Kubernetes {version[0]}.{version[1]}{later}: "
                          "the kubelet refuses to start the pod unless the node allows it with "
                          "--allowed-unsafe-sysctls")
