"""## What it does
Flags a StatefulSet whose pod template sets `terminationGracePeriodSeconds: 0`.

Stays silent for any other value (including an unset field, which means the
default of 30 seconds) and for other workload kinds, whose pods have no
stable identity to protect.

## Why is this bad?
A StatefulSet promises that at most one pod with a given identity
(`web-0`, with its volume `data-web-0`) runs at any time. It keeps that
promise by waiting until the old pod is gone from the API before it creates
the replacement, and the kubelet removes a pod from the API only after its
containers have stopped and its volumes are unmounted.

A grace period of zero bypasses the kubelet: deleting such a pod (a drain,
an eviction, the node controller evicting pods from an unreachable node)
removes it from the API immediately, as `kubectl delete --force
--grace-period=0` would. If the node is partitioned or the kubelet is down,
the old container can still be running, writing to its volume, when the
controller starts `web-0` again elsewhere: two members with the same identity,
split-brain in a replicated database, corrupted data on a volume attached
twice. The containers also get no SIGTERM window to flush and leave their
cluster cleanly.

## How to fix
Give the pods a real grace period (at least 1 second; long enough to shut
down cleanly), and force-delete a stuck pod by hand only after making sure
it is no longer running:

```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: db
          image: registry.example.com/db:16.2
```

## References
- StatefulSet deployment and scaling guarantees (a grace period of 0 is unsafe and strongly discouraged): https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees
- Force delete StatefulSet pods: https://kubernetes.io/docs/tasks/run-application/force-delete-stateful-set-pod/
- Pod termination: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
- kubernetes/kubernetes#120671 (pods with a zero grace period are force-deleted): https://github.com/kubernetes/kubernetes/issues/120671
"""

from k8slint.engine import Finding, rule


@rule(scope="object", id="statefulset-zero-grace", severity="warning", category="reliability", applies_to={"StatefulSet"},
      summary="A StatefulSet whose pods are deleted without a grace period", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    value = pod.spec.get("terminationGracePeriodSeconds")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != 0:
        return
    yield Finding(pod.spec_path / "terminationGracePeriodSeconds",
                  f"StatefulSet {obj.name!r} sets terminationGracePeriodSeconds: 0: deleting one of its pods "
                  "removes it from the API at once, without waiting for the kubelet to stop it, so a replacement "
                  "with the same identity and volume can start while the old pod still runs")
