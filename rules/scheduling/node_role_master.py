"""## What it does
Flags pod templates that still count on the `node-role.kubernetes.io/master`
label or taint of control-plane nodes:

- a `nodeSelector` on `node-role.kubernetes.io/master`, or a required node
  affinity term that requires it (`In`, `Exists`): the pods may only run on
  nodes with that label;
- a toleration of the `node-role.kubernetes.io/master` taint without one of
  the `node-role.kubernetes.io/control-plane` taint next to it.

Stays silent for a `master` toleration that comes with a `control-plane`
one (the usual way to support old and new clusters), for a toleration
without a key (`operator: Exists` tolerates every taint), for terms that
keep pods off the control plane (`DoesNotExist`, `NotIn`), and for
preferred affinity (a preference that matches nothing changes nothing).

## Why is this bad?
kubeadm renamed the control-plane role: since Kubernetes 1.24 it no longer
labels control-plane nodes `node-role.kubernetes.io/master` (and `kubeadm
upgrade` removes the label), and since 1.25 it taints them only with
`node-role.kubernetes.io/control-plane`. A selector on the old label then
matches no node: the pods stay `Pending`, and a DaemonSet meant for the
control plane runs nowhere. A toleration of the old taint alone no longer
lets pods onto control-plane nodes. Nothing fails at `kubectl apply`; it
shows after the cluster upgrade. (Some distributions still apply the old
label; the new one is on every kubeadm, k3s and RKE2 control-plane node.)

## How to fix
Use the new label and taint (and keep the old toleration only while older
clusters must be supported):

```yaml
spec:
  nodeSelector:
    node-role.kubernetes.io/control-plane: ""
  tolerations:
    - key: node-role.kubernetes.io/control-plane
      operator: Exists
      effect: NoSchedule
    - key: node-role.kubernetes.io/master   # clusters older than 1.25 only
      operator: Exists
      effect: NoSchedule
```

## References
- kubeadm stops applying the "master" label in 1.24, taints with "control-plane": https://github.com/kubernetes/kubernetes/pull/107533
- kubeadm no longer applies the "master" taint in 1.25: https://github.com/kubernetes/kubernetes/pull/110095
- KEP 2067, renaming the master label and taint: https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/kubeadm/2067-rename-master-label-taint
- Well-known labels and taints, `node-role.kubernetes.io/control-plane`: https://kubernetes.io/docs/reference/labels-annotations-taints/#node-role-kubernetes-io-control-plane
- Operations practice: control-plane nodes carry the `node-role.kubernetes.io/master` taint (`kubectl taint nodes --all node-role.kubernetes.io/master-`), now the `control-plane` one.
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence

MASTER = "node-role.kubernetes.io/master"
CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


def _required_terms(pod):
    affinity = mapping(mapping(pod.spec.get("affinity")).get("nodeAffinity"))
    required = mapping(affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    base = pod.spec_path / "affinity" / "nodeAffinity" / "requiredDuringSchedulingIgnoredDuringExecution"
    for i, term in enumerate(sequence(required.get("nodeSelectorTerms"))):
        for j, expr in enumerate(sequence(mapping(term).get("matchExpressions"))):
            if isinstance(expr, dict):
                yield base / "nodeSelectorTerms" / i / "matchExpressions" / j, expr


@rule(scope="object", id="node-role-master", severity="warning", category="reliability", applies_to=WORKLOADS,
      summary="A pod that selects or tolerates control-plane nodes by the removed master label or taint",
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    what = "the pod" if obj.kind == "Pod" else f"pods of {obj.kind} {obj.name!r}"
    selector = mapping(pod.spec.get("nodeSelector"))
    if MASTER in selector:
        yield Finding(pod.spec_path / "nodeSelector" / MASTER,
                      f"nodeSelector {MASTER}={selector[MASTER]!r}: kubeadm no longer puts this label on "
                      f"control-plane nodes (since Kubernetes 1.24), so {what} fit no node and stay Pending; "
                      f"select {CONTROL_PLANE} instead")
    for path, expr in _required_terms(pod):
        if expr.get("key") == MASTER and expr.get("operator") in ("In", "Exists"):
            yield Finding(path / "key",
                          f"required node affinity on {MASTER} ({expr.get('operator')}): kubeadm no longer puts "
                          f"this label on control-plane nodes (since Kubernetes 1.24), so {what} fit no node "
                          f"and stay Pending; use {CONTROL_PLANE}")
    tolerations = [(i, t) for i, t in enumerate(sequence(pod.spec.get("tolerations"))) if isinstance(t, dict)]
    if any(t.get("key") == CONTROL_PLANE for _, t in tolerations):
        return
    for i, toleration in tolerations:
        if toleration.get("key") == MASTER:
            yield Finding(pod.spec_path / "tolerations" / i / "key",
                          f"toleration {i} tolerates {MASTER}, but control-plane nodes are tainted "
                          f"{CONTROL_PLANE} (since Kubernetes 1.24; the master taint is gone since 1.25): "
                          f"{what} are kept off them; tolerate {CONTROL_PLANE} too")
