"""## What it does
Flags a sysctl in a pod's `securityContext.sysctls` that is namespaced (so a
pod may set it) but not in Kubernetes' *safe* set for the target version
(`--kube-version`). Sysctls the cluster's kubelets allow can be listed in the
`allowed-unsafe-sysctls` option, which takes the same patterns as the
kubelet flag (`kernel.msg*`, `net.core.somaxconn`).

The safe set grows over releases: `net.ipv4.ip_local_reserved_ports` is safe
from 1.27, the TCP keepalive and `tcp_fin_timeout` sysctls from 1.29,
`tcp_rmem`/`tcp_wmem` from 1.32. Sysctls that are not namespaced at all are
`sysctl-node-level`'s business.

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
```

## References
- Using sysctls in a Kubernetes cluster (safe and unsafe sets): https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
- Pod Security Standards, Baseline, Sysctls: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Operations practice: most namespaced parameters are safe; unsafe namespaced ones must be enabled on the kubelet first.
"""

from k8slint.engine import Finding, Option, rule
from k8slint.kube import sysctls
from k8slint.model import WORKLOADS


@rule(id="sysctl-unsafe", severity="warning", category="security", applies_to=WORKLOADS, tags=("pss-baseline",),
      summary="A namespaced sysctl outside the safe set (the kubelet rejects the pod)",
      options={"allowed-unsafe-sysctls": Option(
          (), "sysctl names or patterns (ending in *) the nodes allow with --allowed-unsafe-sysctls",
          "str-list")}, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    host = {sysctls.NET: pod.spec.get("hostNetwork") is True, sysctls.IPC: pod.spec.get("hostIPC") is True}
    allowed = ctx.options["allowed-unsafe-sysctls"]
    version = ctx.kube_version
    for i, name in sysctls.pod_sysctls(pod):
        namespace = sysctls.namespace_of(name)
        if namespace is None or host[namespace]:
            continue  # cannot be set at all: sysctl-node-level
        if sysctls.is_safe(name, version) or sysctls.allowed_by(name, allowed):
            continue
        since = sysctls.SAFE_SINCE.get(sysctls.normalize(name))
        later = f" (it is safe from Kubernetes {since[0]}.{since[1]})" if since else ""
        yield Finding(pod.spec_path / "securityContext" / "sysctls" / i / "name",
                      f"sysctl {name!r} is not in the safe set of Kubernetes {version[0]}.{version[1]}{later}: "
                      "the kubelet refuses to start the pod unless the node allows it with "
                      "--allowed-unsafe-sysctls")
