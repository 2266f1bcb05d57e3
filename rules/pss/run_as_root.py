"""## What it does
Checks the two Restricted-level controls of the Pod Security Standards that
keep containers from running as root:

- **Running as Non-root**: every container, init container and ephemeral
  container must run with `runAsNonRoot: true`, set on the container or
  inherited from the pod's `spec.securityContext`. A container's own value
  wins over the pod's, as in the kubelet: a container `runAsNonRoot: false`
  is flagged even when the pod sets `true`. An explicit pod-level `false` is
  flagged even when every container sets `true`, because admission rejects
  that value wherever it appears. When neither level sets it, the finding
  anchors at the container (or at the pod's `securityContext` when no
  container sets it), and says where it can be set.
- **Running as Non-root user**: `runAsUser: 0`, at pod level or on any
  container, is flagged at the field, also when containers override a pod
  value of `0`.

Stays silent when the pod runs in its own user namespace
(`spec.hostUsers: false`) and `--kube-version` is 1.35 or later: admission
then skips both controls, since root in the pod is not root on the node. The
rule belongs to the Restricted level and is off unless the Restricted profile
or a setting turns it on. The finding is a warning; in a namespace that
enforces the Restricted level with the `pod-security.kubernetes.io/enforce`
label, admission rejects the pod, and the finding becomes an error.

## Why is this bad?
A process that runs as UID 0 in a container is root on the node as far as
the kernel is concerned (only namespaces and capabilities hold it back): a
container escape, a writable `hostPath`, or a mounted socket then gives full
control of the node. `runAsNonRoot: true` makes the kubelet refuse to start a
container whose image would run as root, so the guarantee holds whatever the
image does. Pod Security admission rejects pods without it in namespaces that
enforce Restricted.

## How to fix
Set `runAsNonRoot: true` once for the whole pod, and a non-zero `runAsUser`
if the image does not declare a numeric non-root `USER`:

```yaml
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
  containers:
    - name: app
      image: registry.example.com/app:5.1.0
```

## References
- Pod Security Standards, Restricted, Running as Non-root and Running as Non-root user: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- Set the security context for a pod: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod
- User namespaces and Pod Security admission: https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/#integration-with-pod-security-admission-checks
"""

from k8slint.engine import Finding, rule
from k8slint.kube.security import CONTAINER, POD, resolve, user_namespace_relaxed
from k8slint.model import WORKLOADS

from ._pss import RESTRICTED, because, describe, is_int

NON_ROOT = "containers must run with runAsNonRoot: true"
NON_ZERO = "runAsUser may not be 0"


def _non_root(pod, containers):
    context = pod.spec_path / "securityContext"
    pod_value = pod.security_context.get("runAsNonRoot")
    if pod_value is False:
        override = ""
        if containers and all(c.security_context.get("runAsNonRoot") is True for c in containers):
            override = "; admission rejects this value even though every container sets runAsNonRoot: true"
        yield Finding(context / "runAsNonRoot", f"{pod.obj.kind} {pod.obj.name!r}: the pod sets "
                      f"securityContext.runAsNonRoot: false{override} " + because(RESTRICTED, NON_ROOT))
    missing = []
    for c in containers:
        effective = resolve(pod, c, "runAsNonRoot")  # the container's value wins over the pod's
        if effective.value is True:
            continue
        if effective.source == CONTAINER and effective.value is False:
            inherited = " (it overrides the pod's runAsNonRoot: true)" if pod_value is True else ""
            yield Finding(effective.path, f"{describe(c)} sets securityContext.runAsNonRoot: false{inherited} "
                          + because(RESTRICTED, NON_ROOT))
        elif not (effective.source == POD and effective.value is False):
            missing.append(c)  # unset at both levels (a pod-level false is reported above)
    if not missing:
        return
    if len(missing) == len(containers):
        yield Finding(context / "runAsNonRoot",
                      f"neither the pod nor {_containers(missing)} sets runAsNonRoot: true; set it once in the pod's "
                      "securityContext, or in every container's " + because(RESTRICTED, NON_ROOT))
        return
    for c in missing:
        yield Finding(c.path / "securityContext" / "runAsNonRoot",
                      f"{describe(c)} does not set runAsNonRoot: true and the pod does not either; set it in this "
                      "container's securityContext or in the pod's " + because(RESTRICTED, NON_ROOT))


def _containers(containers) -> str:
    if len(containers) == 1:
        return f"its {describe(containers[0])}"
    return "any of its containers (" + ", ".join(repr(c.name) for c in containers) + ")"


def _root_user(pod, containers):
    if pod.security_context.get("runAsUser") == 0 and is_int(pod.security_context.get("runAsUser")):
        override = ""
        uids = [c.security_context.get("runAsUser") for c in containers]
        if containers and all(is_int(u) and u != 0 for u in uids):
            override = "; admission rejects this value even though every container sets its own runAsUser"
        yield Finding(pod.spec_path / "securityContext" / "runAsUser",
                      f"{pod.obj.kind} {pod.obj.name!r}: the pod sets securityContext.runAsUser: 0 (root){override} "
                      + because(RESTRICTED, NON_ZERO))
    for c in containers:
        uid = c.security_context.get("runAsUser")
        if is_int(uid) and uid == 0:
            yield Finding(c.path / "securityContext" / "runAsUser",
                          f"{describe(c)} sets securityContext.runAsUser: 0 (root) " + because(RESTRICTED, NON_ZERO))


@rule(scope="object", id="run-as-root", severity="warning", category="security",
      security_severity=5.5, applies_to=WORKLOADS,
      tags=("pss-restricted",), enabled=False,
      summary="A container may run as root (runAsNonRoot not true, or runAsUser 0)", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if user_namespace_relaxed(pod, ctx.kube_version):
        return
    containers = pod.all_containers
    yield from _non_root(pod, containers)
    yield from _root_user(pod, containers)
