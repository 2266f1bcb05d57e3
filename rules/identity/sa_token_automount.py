"""## What it does
Flags a workload whose pods will have a ServiceAccount token mounted: the
pod spec does not set `automountServiceAccountToken: false`, and neither does
its ServiceAccount (looked up among all the linted objects, in any file; a
ServiceAccount that is not among them is assumed to mount tokens, as the
`default` one does).

An explicit `automountServiceAccountToken: true` in the pod spec overrides
the ServiceAccount and is flagged too; suppress the finding with a reason
when the pod really calls the Kubernetes API. Stays silent when every
container already mounts something at
`/var/run/secrets/kubernetes.io/serviceaccount`, where no token is added.

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
        any(isinstance(m.mount_path, str) and m.mount_path.rstrip("/") == TOKEN_DIR for m in c.volume_mounts)
        for c in containers)


@rule(id="sa-token-automount", severity="warning", category="security", applies_to=WORKLOADS - {"PodTemplate"},
      fix_safety="unsafe",
      summary="Pods get a ServiceAccount token they probably do not need", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    setting = pod.spec.get("automountServiceAccountToken")
    if setting is False or _token_dir_taken(pod):
        return
    where = pod.spec_path / "automountServiceAccountToken"
    fix = Fix.set(where, False, "set automountServiceAccountToken: false", UNSAFE)
    pods = f"pod {obj.name!r} mounts" if obj.kind == "Pod" else f"pods of {obj.kind} {obj.name!r} mount"
    if setting is True:
        yield Finding(where, f"{pods} a ServiceAccount token (automountServiceAccountToken: true); "
                             "suppress this with a reason if they call the Kubernetes API", fix=fix)
        return
    sa_name = pod.service_account_name
    for edge in ctx.graph.out_edges(obj, "serviceAccount"):
        sa = edge.to
        if sa is None:
            yield Finding(where, f"{pods} a ServiceAccount token: the pod spec does not set "
                                 f"automountServiceAccountToken: false (ServiceAccount {sa_name!r} is not "
                                 "among the linted objects)", fix=fix)
        elif sa.raw.get("automountServiceAccountToken") is not False:
            yield Finding(where, f"{pods} a ServiceAccount token: neither the pod spec nor ServiceAccount "
                                 f"{sa_name!r} ({written_in(sa)}) sets "
                                 "automountServiceAccountToken: false", fix=fix)
        return
