"""## What it does
Flags a workload in `kube-system` whose pod template sets no
`priorityClassName`: Deployments, StatefulSets, DaemonSets, ReplicaSets and
ReplicationControllers, the controllers that run cluster add-ons. The
namespace is the object's own (`metadata.namespace`, or the run's default
namespace, `--namespace`, when it sets none). The `namespaces` option
(default `["kube-system"]`) lists the namespaces that hold cluster-critical
add-ons.

Any `priorityClassName` satisfies the rule, not only the two built-in
critical classes: a cluster may define its own. Stays silent for Jobs and
CronJobs (run-to-completion work) and for Pods: nothing reschedules a bare
Pod whatever its priority (`bare-pod` reports those), and the Pod that a
controller or the kubelet (static pods) creates takes its priority from a
template that is linted on its own.

## Why is this bad?
Pods without a priority class get priority 0 (or the cluster's
`globalDefault` class), the same as every application pod. When a node runs
short of memory the kubelet ranks them for eviction like any application
pod, and when the cluster is full the scheduler cannot preempt application pods to make room
for them: a rescheduled CoreDNS, CNI, kube-proxy or metrics-server pod stays
`Pending` behind ordinary workloads, and the whole cluster loses DNS,
networking or autoscaling while it waits.

A warning: the add-on works until the cluster is under pressure, which is
exactly when it is needed most.

## How to fix
Give cluster add-ons one of the built-in critical classes:
`system-node-critical` for per-node agents (CNI, kube-proxy, CSI node
plugins) and `system-cluster-critical` for cluster-wide services (CoreDNS,
metrics-server):

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  template:
    spec:
      priorityClassName: system-cluster-critical
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.3
```

## References
- Guaranteed scheduling for critical add-on pods: https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-addon-pods/
- Pod priority and preemption: https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
- Node-pressure eviction (priority in the eviction order): https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#pod-selection-for-kubelet-eviction
"""

from k8slint.engine import Finding, Option, rule

KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}


@rule(scope="object", id="pod-priority-missing", severity="warning", category="reliability", applies_to=KINDS,
      summary="A cluster add-on in kube-system without a priorityClassName",
      options={"namespaces": Option(("kube-system",), "namespaces whose workloads are cluster-critical add-ons",
                                    "str-list")}, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if obj.namespace not in ctx.options["namespaces"]:
        return
    name = pod.spec.get("priorityClassName")
    if isinstance(name, str) and name:
        return
    yield Finding(pod.spec_path / "priorityClassName",
                  f"{obj.kind} {obj.name!r} runs in {obj.namespace} without a priorityClassName: its pods have the "
                  "same priority as every application pod, so they are evicted under node pressure and cannot "
                  "preempt to get rescheduled (use system-cluster-critical or system-node-critical)")
