"""## What it does
Flags a sysctl in a pod's `securityContext.sysctls` that no pod can set:

- it is not namespaced by the Linux kernel (`vm.*`, `fs.*` other than
  `fs.mqueue.*`, most of `kernel.*`, `dev.*`), so it exists once per node; or
- it is namespaced, but the pod shares that namespace with the node:
  `net.*` with `hostNetwork: true`, IPC sysctls (`kernel.shm*`,
  `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`) with `hostIPC: true`.

## Why is this bad?
The kubelet refuses to start such a pod (`SysctlForbidden`), and no kubelet
flag changes that: `--allowed-unsafe-sysctls` accepts only namespaced
sysctls. Setting the value would change it for the whole node, under every
other pod, which is why it is a node setting and not a pod setting. Typical
examples are `vm.max_map_count` for Elasticsearch and `fs.inotify.*` for
file watchers.

## How to fix
Set the parameter on the nodes, not in the pod: in the node image or its
sysctl configuration, a node-tuning operator, or a privileged init container
of a DaemonSet that owns node setup. Then drop it from the pod:

```yaml
# node: /etc/sysctl.d/90-elasticsearch.conf
vm.max_map_count = 262144
```

For a namespaced sysctl on a `hostNetwork` pod, decide whether the pod
really needs the node's network namespace; without it, the sysctl applies to
the pod alone.

## References
- Using sysctls in a Kubernetes cluster (namespaced and node-level sysctls): https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#setting-sysctls-for-a-pod
- Operations practice: non-namespaced parameters can only be changed on the host (or from a privileged container).
"""

from k8slint.engine import Finding, rule
from k8slint.kube import sysctls
from k8slint.model import WORKLOADS


@rule(scope="object", id="sysctl-node-level", severity="error", category="correctness", applies_to=WORKLOADS,
      summary="A sysctl a pod cannot set (not namespaced, or shared with the node)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for i, name in sysctls.pod_sysctls(pod):
        namespace = sysctls.namespace_of(name)
        where = pod.spec_path / "securityContext" / "sysctls" / i / "name"
        if namespace is None:
            yield Finding(where, f"sysctl {name!r} is not namespaced: it is a node setting, and the kubelet "
                                 "refuses to start a pod that sets it; configure it on the nodes")
        elif namespace == sysctls.NET and pod.spec.get("hostNetwork") is True:
            yield Finding(where, f"sysctl {name!r} cannot be set: the pod uses hostNetwork, so it would change "
                                 "the node's network settings")
        elif namespace == sysctls.IPC and pod.spec.get("hostIPC") is True:
            yield Finding(where, f"sysctl {name!r} cannot be set: the pod uses hostIPC, so it would change "
                                 "the node's IPC settings")
