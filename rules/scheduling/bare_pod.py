"""## What it does
Flags a Pod that no controller manages: it has no `ownerReferences` entry
with `controller: true` (what `kubectl drain` looks for). The finding
anchors at the object's `kind`.

Stays silent for:

- Helm hooks (a `helm.sh/hook` annotation, e.g. `test`, `pre-install`):
  Helm creates, waits for and deletes these pods itself;
- Argo CD hooks (an `argocd.argoproj.io/hook` annotation): Argo CD runs
  them as sync steps and deletes them by its hook deletion policy;
- static and mirror pods (a `kubernetes.io/config.mirror` annotation,
  `kubernetes.io/config.source: file`, or owned by a Node): the kubelet runs
  them from a file, and `kubectl drain` skips them.

## Why is this bad?
A bare Pod is not recreated by anything: when its node fails, is drained or
is replaced, the pod is gone for good. `kubectl drain` refuses to proceed at
all while such a pod runs on the node ("cannot delete Pods declare no
controller (use --force to override)"), which blocks node upgrades and
autoscaler scale-downs until someone forces it and loses the pod. A bare Pod
also cannot be rolled out: most of its spec is immutable, so changing it
means deleting and recreating it by hand.

A warning: a one-off pod is sometimes started like this on purpose, but a
manifest meant to be applied to a cluster should not hold one.

## How to fix
Run it under a controller: a Deployment for a long-running service, a Job
for a task that runs to completion.

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: toolbox
spec:
  replicas: 1
  selector:
    matchLabels: {app: toolbox}
  template:
    metadata:
      labels: {app: toolbox}
    spec:
      containers:
        - name: toolbox
          image: registry.example.com/toolbox:1.2.0
```

## References
- kubectl drain (pods not managed by a controller need --force): https://kubernetes.io/docs/reference/kubectl/generated/kubectl_drain/
- Safely drain a node: https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
- Pods are usually created through workload resources: https://kubernetes.io/docs/concepts/workloads/pods/#working-with-pods
- Helm chart hooks: https://helm.sh/docs/topics/charts_hooks/
- Argo CD resource hooks: https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
"""

from k8slint.engine import Finding, rule

from ._sched import controller_ref, is_static_pod

HOOK_ANNOTATIONS = ("helm.sh/hook", "argocd.argoproj.io/hook")


@rule(scope="object", id="bare-pod", severity="warning", category="reliability", applies_to={"Pod"},
      summary="A Pod that no controller manages")
def check(obj, ctx):
    if controller_ref(obj) is not None or is_static_pod(obj):
        return
    if any(a in obj.annotations for a in HOOK_ANNOTATIONS):
        return
    yield Finding(("kind",), f"Pod {obj.name!r} is not managed by a controller: it is not recreated when its "
                             "node fails or is drained, and kubectl drain refuses to evict it without --force; "
                             "run it as a Deployment or a Job")
