"""## What it does
Flags a workload whose pods will have a ServiceAccount token mounted they
probably do not need: the pod spec does not set
`automountServiceAccountToken`, and its ServiceAccount (looked up in the
workload's unit, see "Units" in the README) does not set it to `false`; a
ServiceAccount that is not in the run is assumed to mount tokens, as the
`default` one does.

Stays silent when the pod spec sets `automountServiceAccountToken: true`
(the field exists to opt a pod in on purpose), when the ServiceAccount is
the subject of a RoleBinding or ClusterRoleBinding in the run (it exists to
call the API), and when every container already mounts something at exactly
`/var/run/secrets/kubernetes.io/serviceaccount`, where the admission plugin
adds no token (it compares the path as written: a trailing slash is another
path, and the token is still mounted).

## Why is this bad?
Every container of such a pod can read a token that authenticates as its
ServiceAccount at `/var/run/secrets/kubernetes.io/serviceaccount/token`.
Most applications never call the Kubernetes API, so the token only helps an
attacker who gets code execution in the container: it is a ready credential
for the API server, with whatever RBAC grants the ServiceAccount (and every
workload sharing the `default` ServiceAccount shares its permissions).

## How to fix
Turn automounting off on the ServiceAccount, and back on only for the pods
that need it:

```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
automountServiceAccountToken: false
---
# or per workload, in the pod template:
spec:
  template:
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
```

## Fix
`--unsafe-fixes` sets `automountServiceAccountToken: false` in the pod spec.
Unsafe: a pod that does call the Kubernetes API (an operator, a controller,
a CI runner) loses its credentials; review each change.

## References
- Opt out of API credential automounting: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
- Service accounts, good practices: https://kubernetes.io/docs/concepts/security/service-accounts/
- Operations practice: disable automounting on the pod, on the ServiceAccount, or by mounting over the token directory.
"""

from k8slint.engine import Finding, rule
from k8slint.fix import UNSAFE, Fix
from k8slint.model import WORKLOADS, written_in

TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def _token_dir_taken(pod) -> bool:
    containers = pod.containers + pod.init_containers
    return bool(containers) and all(
        any(m.mount_path == TOKEN_DIR for m in c.volume_mounts)
        for c in containers)


def _bound(obj, sa, key, ctx) -> bool:
    """Whether a (Cluster)RoleBinding the workload can see names its ServiceAccount."""
    if sa is not None:  # resolved: the bindings that resolved to this very object
        return bool(ctx.graph.in_edges(sa, "binds"))
    # not in the run: bindings of the workload's own unit, or ones that meet it by explicit namespaces
    for binding in ctx.graph.in_edges(key, "binds"):
        source = binding.source
        if source.unit is obj.unit or (source.unit.shared and obj.namespace_explicit):
            return True
    return False


@rule(id="sa-token-automount", severity="warning", category="security",
      security_severity=4.0, applies_to=WORKLOADS - {"PodTemplate"},
      fix_safety="unsafe",
      summary="Pods get a ServiceAccount token they probably do not need", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    setting = pod.spec.get("automountServiceAccountToken")
    if isinstance(setting, bool) or _token_dir_taken(pod):
        return  # off, or on on purpose
    where = pod.spec_path / "automountServiceAccountToken"
    fix = Fix.set(where, False, "set automountServiceAccountToken: false", UNSAFE)
    pods = f"pod {obj.name!r} mounts" if obj.kind == "Pod" else f"pods of {obj.kind} {obj.name!r} mount"
    sa_name = pod.service_account_name
    for edge in ctx.graph.out_edges(obj, "serviceAccount"):
        sa = edge.to
        if _bound(obj, sa, edge.target, ctx):
            return  # a ServiceAccount that RBAC grants something exists to call the API
        if sa is None:
            yield Finding(where, f"{pods} a ServiceAccount token: the pod spec does not set "
                                 f"automountServiceAccountToken: false (ServiceAccount {sa_name!r} is not "
                                 "among the linted objects)", fix=fix)
        elif sa.raw.get("automountServiceAccountToken") is not False:
            yield Finding(where, f"{pods} a ServiceAccount token: neither the pod spec nor ServiceAccount "
                                 f"{sa_name!r} ({written_in(sa)}) sets "
                                 "automountServiceAccountToken: false", fix=fix)
        return
