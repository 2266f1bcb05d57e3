"""## What it does
Flags `securityContext.windowsOptions.hostProcess: true` at pod level or on
any container, init container or ephemeral container: the HostProcess
control of the Pod Security Standards' Baseline level, which allows only
`false` or leaving the field out.

Each level is checked on its own, as admission does. Stays silent when
`hostProcess` is absent, `null` or `false`. The finding is a warning; in a
namespace that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
A Windows HostProcess container runs directly on the node as a host process,
with the node's network and file system and, usually, as `SYSTEM` or another
node account: it is the Windows counterpart of a privileged Linux container
with the host's namespaces, and whoever controls it controls the node. Pod
Security admission rejects such pods in namespaces that enforce Baseline or
Restricted.

## How to fix
Run the workload as a normal Windows container, under a non-administrative
account:

```yaml
spec:
  os:
    name: windows
  securityContext:
    windowsOptions:
      runAsUserName: "ContainerUser"
  containers:
    - name: app
      image: registry.example.com/win-app:1.0.0
```

Node management components that need HostProcess belong in a namespace
labelled `pod-security.kubernetes.io/enforce: privileged`.

## References
- Pod Security Standards, Baseline, HostProcess: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Create a Windows HostProcess pod: https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping

from ._pss import BASELINE, because, describe

REASON = "HostProcess containers are not allowed"


@rule(scope="object", id="windows-host-process", severity="warning", category="security",
      security_severity=9.4, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A Windows pod or container runs as a HostProcess on the node", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if mapping(pod.security_context.get("windowsOptions")).get("hostProcess") is True:
        yield Finding(pod.spec_path / "securityContext" / "windowsOptions" / "hostProcess",
                      f"{obj.kind} {obj.name!r}: the pod sets securityContext.windowsOptions.hostProcess: true: "
                      "its containers run as "
                      "processes on the Windows node " + because(BASELINE, REASON))
    for c in pod.all_containers:
        if mapping(c.security_context.get("windowsOptions")).get("hostProcess") is True:
            yield Finding(c.path / "securityContext" / "windowsOptions" / "hostProcess",
                          f"{describe(c)} sets securityContext.windowsOptions.hostProcess: true and runs as a "
                          "process on the Windows node " + because(BASELINE, REASON))
