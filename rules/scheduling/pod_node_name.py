"""## What it does
Flags `spec.nodeName` set (to a non-empty string) in a Pod or in the pod
template of a workload.

In a DaemonSet template it is flagged too: the DaemonSet controller then
creates a pod only for the named node and binds it there directly, instead
of placing its pods through node affinity and the scheduler.

Stays silent for Pods that a controller created (an `ownerReferences` entry
with `controller: true`: the scheduler wrote `nodeName` when it bound the
pod, so the manifest is an export of a running pod), for static and mirror
pods (the kubelet runs them from a file on that node), and for PodTemplate
objects.

## Why is this bad?
A pod with `nodeName` never goes through the scheduler: the kubelet of the
named node simply tries to run it. `NoSchedule` taints do not apply to such
a pod, so it lands on cordoned and dedicated nodes; pod anti-affinity,
topology spread and priority preemption play no part. When the node lacks
room for its resource requests (or does not match its node selector), the
kubelet rejects the pod (`OutOfcpu`, `OutOfmemory`) instead of the
scheduler waiting for, or choosing, a node that fits. If the node is gone or
renamed (node names of cloud instances change on every replacement), the
pods never run. Every replica of a Deployment with `nodeName` is pinned to
the same node.

A warning: the pods run as long as the named node exists and has room; the
failures come later, at the first node replacement or resource squeeze.

## How to fix
Select the node through the scheduler, by label:

```yaml
spec:
  template:
    spec:
      nodeSelector:
        kubernetes.io/hostname: worker-3   # or a label naming the node pool
```

or with `affinity.nodeAffinity` when several nodes qualify.

## References
- Assigning Pods to Nodes, nodeName (bypasses the scheduler; its limitations): https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename
- Taint effects (NoSchedule does not stop pods that bypass the scheduler): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#scheduling
- How DaemonSet pods are scheduled: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#how-daemon-pods-are-scheduled
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS

from ._sched import controller_ref, is_static_pod


@rule(scope="object", id="pod-node-name", severity="warning", category="reliability", applies_to=WORKLOADS - {"PodTemplate"},
      summary="A pod template that sets nodeName and bypasses the scheduler", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    node = pod.spec.get("nodeName")
    if not isinstance(node, str) or not node:
        return
    if obj.kind == "Pod" and (controller_ref(obj) is not None or is_static_pod(obj)):
        return
    where = pod.spec_path / "nodeName"
    if obj.kind == "DaemonSet":
        yield Finding(where, f"DaemonSet {obj.name!r} sets nodeName {node!r}: it runs a pod on that node only, "
                             "bound there without the scheduler's resource and taint checks; "
                             "use a nodeSelector or node affinity")
        return
    if obj.kind == "Pod":
        what = "the pod is bound to that node without the scheduler: it lands there despite NoSchedule taints, " \
               "is rejected instead of rescheduled when the node lacks room, and never runs if the node is gone"
    else:
        what = f"the pods of {obj.kind} {obj.name!r} are bound to that node without the scheduler: they land " \
               "there despite NoSchedule taints, are rejected instead of rescheduled when the node lacks room, " \
               "and never run if the node is gone"
    yield Finding(where, f"nodeName {node!r}: {what}; use a nodeSelector or node affinity")
