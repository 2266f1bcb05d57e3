"""## What it does
Flags a Deployment whose pods use a PersistentVolumeClaim (found among the
linted objects, in the Deployment's namespace) whose `accessModes` are only
`ReadWriteOnce` and/or `ReadWriteOncePod`, when either

- the Deployment runs more than one replica (`spec.replicas`, or the
  `maxReplicas` of a HorizontalPodAutoscaler in the run that scales it): all
  replicas share the one claim; or
- its rollout strategy starts the new pod before the old one is gone:
  `RollingUpdate` (the default) whose `maxSurge` resolves to at least one
  pod. With one replica, any `maxSurge` other than `0` or `0%` rounds up to
  one pod, so the defaults (25% / 25%) surge.

The finding anchors at the volume's `claimName` and names the claim and its
access modes.

Stays silent with `strategy: Recreate` and one replica, with a single
replica and `RollingUpdate` with `maxSurge: 0` (the old pod is deleted first
and the new one only waits for the volume to detach), with zero replicas,
when the claim allows `ReadWriteMany` or `ReadOnlyMany`, when the claim is
not among the linted objects, and when the replica count or `maxSurge` is not
a plain value (a template placeholder). Also silent for a `ReadWriteOnce`
claim when the pod template is bound to one node (`nodeName`, or a
`kubernetes.io/hostname` nodeSelector): every pod then runs on that node,
where `ReadWriteOnce` lets them share the volume. Per-pod claims (generic
ephemeral volumes) are not `persistentVolumeClaim` volumes and are not
concerned.

## Why is this bad?
A `ReadWriteOnce` volume can be attached to one node at a time
(`ReadWriteOncePod`: used by one pod at a time). During a rolling update
the Deployment controller creates the new pod first and deletes the old one
only once the new one is ready. When the scheduler puts the new pod on
another node, it waits forever on `Multi-Attach error ... Volume is already
exclusively attached to one node`; with `ReadWriteOncePod` it does not even
get scheduled. It never becomes ready, so the old pod is never removed: the
rollout hangs (after `progressDeadlineSeconds` it is only reported as
failed, nothing is rolled back). With several replicas, every replica that
lands on a second node is stuck the same way.

A warning, not an error: `ReadWriteOnce` lets several pods on the same node
share the volume, so a rollout succeeds whenever the new pod happens to land
on the old pod's node; it hangs as soon as it does not.

## How to fix
Give each replica its own volume with a StatefulSet, or make the Deployment
replace its single pod instead of surging:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wiki
spec:
  replicas: 1
  strategy:
    type: Recreate            # stop the old pod, then start the new one
  template:
    spec:
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: wiki-data   # ReadWriteOnce
```

For replicas that really share data, use a `ReadWriteMany` volume (NFS,
CephFS, a cloud file service).

## References
- Persistent volume access modes: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
- Deployment strategy, Recreate and RollingUpdate (maxSurge, maxUnavailable, rounding): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
- StatefulSets, stable storage per replica: https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-storage
"""

from k8slint.engine import Finding, rule
from k8slint.model import mapping, sequence

from ..scheduling._sched import as_int, autoscalers, hpa_bounds, percent, pinned_node, replicas

SINGLE_WRITER = frozenset({"ReadWriteOnce", "ReadWriteOncePod"})


def _replicas(obj, ctx):
    """(largest replica count, how it reads) or (None, None)."""
    hpas = autoscalers(obj, ctx)
    if hpas:
        _, high = hpa_bounds(hpas[0])
        if high is None:
            return None, None
        return high, f"up to {high} replicas (maxReplicas of HorizontalPodAutoscaler {hpas[0].name!r})"
    count = replicas(obj)
    return count, f"{count} replicas"


def _surges(obj) -> bool | None:
    """Whether a one-replica rollout creates the new pod before deleting the old one."""
    strategy = mapping(obj.spec.get("strategy"))
    kind = strategy.get("type")
    if kind == "Recreate":
        return False
    if kind not in (None, "RollingUpdate"):
        return None
    surge = mapping(strategy.get("rollingUpdate")).get("maxSurge")
    if surge is None:
        return True  # 25%, rounded up: one pod
    if as_int(surge) is not None:
        return surge > 0
    pct = percent(surge)
    return None if pct is None else pct > 0


@rule(id="deployment-rwo-pvc", severity="warning", category="reliability", applies_to={"Deployment"},
      summary="A Deployment that shares a ReadWriteOnce volume between pods, so rollouts hang", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    edges = ctx.graph.out_edges(obj, "claims")
    if not edges:
        return
    count, how_many = _replicas(obj, ctx)
    if count is None or count < 1:
        return
    surges = _surges(obj) if count == 1 else None
    if count == 1 and not surges:
        return
    node = pinned_node(pod)
    seen = set()
    for edge in edges:
        claim = edge.to
        if claim is None or claim.kind != "PersistentVolumeClaim" or edge.path in seen:
            continue
        seen.add(edge.path)
        modes = [m for m in sequence(claim.spec.get("accessModes")) if isinstance(m, str)]
        if not modes or not set(modes) <= SINGLE_WRITER:
            continue
        if node is not None and "ReadWriteOncePod" not in modes:
            continue  # every pod runs on that one node, where ReadWriteOnce lets them share the volume
        shown = ", ".join(modes)
        if count > 1:
            why = (f"Deployment {obj.name!r} runs {how_many} sharing it: replicas scheduled on another node "
                   "cannot attach it and never start")
            if "ReadWriteOncePod" in modes:
                why = (f"Deployment {obj.name!r} runs {how_many} sharing it: only one pod at a time can use "
                       "it, the others never start")
        else:
            strategy = "the default RollingUpdate strategy" if "strategy" not in obj.spec \
                else "its RollingUpdate strategy"
            if "ReadWriteOncePod" in modes:
                then = "the new pod cannot use the claim while the old pod holds it, so it never starts"
            else:
                then = "placed on another node, it cannot attach the volume, never becomes ready,"
            why = (f"{strategy} starts the new pod of Deployment {obj.name!r} before the old one stops; {then} "
                   "and the rollout hangs (use strategy Recreate, or a StatefulSet)")
        yield Finding(edge.path, f"PersistentVolumeClaim {claim.name!r} is {shown}: {why}")
