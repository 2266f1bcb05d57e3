"""## What it does
Checks the sysctls a kubelet is told to allow beyond the safe set: the
`allowedUnsafeSysctls` list of a `KubeletConfiguration`, and the
`allowed-unsafe-sysctls` flag in a kubeadm `InitConfiguration` or
`JoinConfiguration` (`nodeRegistration.kubeletExtraArgs`, a map in
`v1beta3`, a list of `name`/`value` pairs in `v1beta4`). It reports each
entry that the kubelet refuses:

- a sysctl or pattern that is not namespaced: only `kernel.shm*`,
  `kernel.msg*`, `kernel.sem`, `fs.mqueue.*` and `net.*` are (`vm.*`,
  `fs.inotify.*`, `kernel.pid_max` are node-wide);
- a malformed pattern: upper-case letters, spaces, a `*` anywhere but at the
  end, more than 253 characters.

A `KubeletConfiguration` in the run also tells `sysctl-unsafe` which
sysctls the nodes allow: a pod's sysctl it allows is no longer reported as
rejected by the kubelet (Pod Security admission still rejects it where a
namespace enforces the Baseline level).

## Why is this bad?
The kubelet checks the list when it starts, and one bad entry stops it
(`failed to create kubelet: the sysctl "vm.nr_hugepages" are not known to be
namespaced`): the node goes `NotReady` and every pod on it is evicted after
the toleration period. A node-level sysctl cannot be given to one pod anyway,
since every pod would change it for the whole node.

## How to fix
Allow only namespaced sysctls, and set node-level ones on the node itself
(a `sysctl.d` file, or a privileged DaemonSet that tunes the node pool):

```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
allowedUnsafeSysctls:
  - "net.core.somaxconn"
  - "kernel.msg*"
```

## References
- Using sysctls in a Kubernetes cluster (namespaced and node-level sysctls, enabling unsafe ones): https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
- The kubelet's allowlist (`NewAllowlist`: pattern check, "not known to be namespaced"): https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/sysctl/allowlist.go
- Which sysctls are namespaced (`NamespacedBy`): https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/node/util/sysctl/namespace.go
- Kubelet configuration, `allowedUnsafeSysctls`: https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
- Operations practice: unsafe namespaced sysctls must be enabled on the kubelet with `--allowed-unsafe-sysctls` before pods may set them.
"""

from k8slint.engine import Finding, rule
from k8slint.kube import sysctls
from k8slint.model import mapping, sequence

KUBELET_KINDS = {"KubeletConfiguration", "KubeletConfiguration.kubelet.config.k8s.io"}
KUBEADM_KINDS = {"InitConfiguration", "JoinConfiguration", "InitConfiguration.kubeadm.k8s.io",
                 "JoinConfiguration.kubeadm.k8s.io"}
FLAG = "allowed-unsafe-sysctls"
EFFECT = "the kubelet refuses the whole list and does not start, so the node goes NotReady"


def _kubeadm_entries(obj):
    """(path, text) of each pattern in nodeRegistration.kubeletExtraArgs' allowed-unsafe-sysctls."""
    base = ("nodeRegistration", "kubeletExtraArgs")
    extra = mapping(obj.raw.get("nodeRegistration")).get("kubeletExtraArgs")
    if isinstance(extra, dict):  # v1beta3 and earlier: a map of flag -> value
        value, path = extra.get(FLAG), base + (FLAG,)
    else:  # v1beta4: a list of {name, value}
        value, path = None, None
        for i, arg in enumerate(sequence(extra)):
            if isinstance(arg, dict) and arg.get("name") == FLAG:
                value, path = arg.get("value"), base + (i, "value")
    if isinstance(value, str) and path is not None:
        offset = 0
        for item in value.split(","):
            if item.strip():
                yield path, item.strip(), value, offset + len(item) - len(item.lstrip())
            offset += len(item) + 1


def _problem(entry: str) -> str | None:
    if not sysctls.is_valid_pattern(entry):
        return ("is not a valid sysctl pattern (lower-case names separated by dots or slashes, at most 253 "
                "characters, a `*` only at the end)")
    namespace = sysctls.namespace_of(entry[:-1] if entry.endswith("*") else entry)
    if namespace is None:
        return "is not namespaced (only kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* and net.* are)"
    return None


@rule(scope="object", id="kubelet-unsafe-sysctl-invalid", severity="error", category="correctness",
      applies_to=KUBELET_KINDS | KUBEADM_KINDS,
      summary="An allowed unsafe sysctl the kubelet refuses, so it does not start")
def check(obj, ctx):
    if obj.kind == "KubeletConfiguration":
        listed = sequence(obj.raw.get("allowedUnsafeSysctls"))
        for i, entry in enumerate(listed):
            problem = _problem(entry) if isinstance(entry, str) else None
            if problem:
                yield Finding(("allowedUnsafeSysctls", i), f"allowedUnsafeSysctls entry {entry!r} {problem}: {EFFECT}")
        return
    for path, entry, value, column in _kubeadm_entries(obj):
        problem = _problem(entry)
        if problem:
            yield Finding(path, f"kubeletExtraArgs {FLAG} {value!r}: entry {entry!r} {problem}: {EFFECT}",
                          at=(0, column))
