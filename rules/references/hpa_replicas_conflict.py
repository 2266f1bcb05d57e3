"""## What it does
Flags `spec.replicas` written in a Deployment or StatefulSet that a
HorizontalPodAutoscaler in the run scales (its `scaleTargetRef` names the
workload's kind and name, with an `apps/...` apiVersion, and resolves to it as
the object graph resolves references: in the same unit, or between objects
that both name their namespace). The message names the HPA and its
`minReplicas`/`maxReplicas`.

`replicas` equal to the HPA's `minReplicas` is still flagged: once the HPA
has scaled up, the next apply brings the workload back down to that value.

Stays silent when `spec.replicas` is not written (or is not a number: an
unrendered template), when it is 0 (scaling the workload to zero pauses the
HPA on purpose), when the HPA's `minReplicas` and `maxReplicas` both equal
`replicas` (the HPA never moves away from it), and when the HPA is not in the
run or its `scaleTargetRef` names another API group.

## Why is this bad?
`spec.replicas` in the manifest is a desired state that `kubectl apply`, Helm
upgrades and every GitOps sync write back: each one resets the replica count
to the manifest's value, overriding the count the HPA chose, and the HPA
scales back only at its next evaluation (and scale-downs wait for its
stabilization window). Under load, a deploy can cut the pods serving traffic
down to the manifest's count; with `replicas` above what the HPA wants, every
sync starts pods the HPA then removes. Argo CD users often hide the field
with `ignoreDifferences`, but that lives outside the manifest and does not
help `kubectl apply` or Helm.

## How to fix
Remove `replicas` from the workload and let the HPA own the count (its
`minReplicas` applies from the start):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  # no replicas: the HorizontalPodAutoscaler below sets it
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
```

Removing the field is the fix, for Argo CD too: an `ignoreDifferences` entry
for `/spec/replicas` only hides the drift from Argo CD, and it lives outside
the manifest, so `kubectl apply` and Helm still reset the count. When
removing `replicas` from a live workload with client-side `kubectl apply`,
the count drops to 1 once; the HPA documentation explains how to avoid it
(`kubectl apply edit-last-applied`, or server-side apply).

## References
- Horizontal Pod Autoscaling, migrating Deployments and StatefulSets to horizontal autoscaling: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
- Deployment, replicas: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas
"""

from k8slint.engine import Finding, rule
from k8slint.model import mapping


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@rule(id="hpa-replicas-conflict", severity="warning", category="reliability",
      applies_to={"Deployment", "StatefulSet"},
      summary="A workload sets spec.replicas while a HorizontalPodAutoscaler scales it", marks_edges=True)
def check(obj, ctx):
    replicas = _count(obj.spec.get("replicas"))
    if replicas is None or replicas == 0:
        return
    for edge in ctx.graph.in_edges(obj, "scales"):
        hpa = edge.source
        if hpa.kind != "HorizontalPodAutoscaler":
            continue
        ref = mapping(hpa.spec.get("scaleTargetRef"))
        api_version = ref.get("apiVersion")
        if not isinstance(api_version, str) or api_version.partition("/")[0] != "apps":
            continue
        low, high = _count(hpa.spec.get("minReplicas", 1)), _count(hpa.spec.get("maxReplicas"))
        if low == high == replicas:
            continue
        bounds = ", ".join(f"{k} {v}" for k, v in (("minReplicas", low), ("maxReplicas", high)) if v is not None)
        yield Finding(("spec", "replicas"),
                      f"{obj.kind} {obj.name!r} sets replicas: {replicas} while HorizontalPodAutoscaler "
                      f"{hpa.name!r} scales it ({bounds}): every apply or sync resets the replica count to "
                      f"{replicas}, then the HPA scales it back; remove replicas and let the HPA own it",
                      edges=[(edge, f"{obj.kind} sets replicas: {replicas}")])
        return
