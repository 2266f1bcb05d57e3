"""## What it does
Flags a command-line flag that a kubeadm configuration passes to a
component, and that the component of the target Kubernetes version
(`--kube-version`) no longer has:

- `apiServer.extraArgs` (kube-apiserver), `controllerManager.extraArgs`
  (kube-controller-manager), `scheduler.extraArgs` (kube-scheduler) and
  `etcd.local.extraArgs` (etcd) of a `ClusterConfiguration`;
- `nodeRegistration.kubeletExtraArgs` (kubelet) of an `InitConfiguration` or
  `JoinConfiguration`.

Both forms are read: the mapping of `kubeadm.k8s.io/v1beta3` and older
(`address: 0.0.0.0`) and the list of `{name, value}` items of `v1beta4`. The
finding points at the flag's name and says which release removed it and
what to use instead.

The removed flags are kept as data (`k8slint/kube/components.py`), each with
the upstream pull request or report it was checked against: the insecure
serving flags of kube-apiserver, kube-controller-manager and kube-scheduler
(`--address`, `--port`, `--insecure-port`, `--insecure-bind-address`,
removed in 1.24), `--basic-auth-file` (1.19), `--kubelet-https` (1.22),
`--target-ram-mb` (1.24), the scheduler's `--scheduler-name` and
`--hard-pod-affinity-symmetric-weight` (1.22) and policy flags (1.23), and
the kubelet's dockershim flags (`--network-plugin`, `--cni-bin-dir`,
`--docker-endpoint`, ..., 1.24), `--container-runtime` (1.27),
`--keep-terminated-pod-volumes` (1.30) and `--pod-infra-container-image`
(1.35). Flags not in the table are not reported.

The target version decides, not the file's own `kubernetesVersion`: the
target is the release being upgraded to, and a file pinned to an older
release is exactly the one that breaks on the upgrade (the message then
says so).

## Why is this bad?
A component started with a flag it does not know exits at once
(`Error: unknown flag: --address`); the kubelet logs `failed to parse
kubelet flag: unknown flag: --network-plugin` and the node stays NotReady.
kubeadm copies `extraArgs` into the static Pod manifests verbatim, so
`kubeadm upgrade apply` leaves a control plane component crash-looping, or
`kubeadm join` a node without a kubelet.

## How to fix
Remove the flag, or replace it with what the message names:

```yaml
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.33.0
scheduler:
  extraArgs:
    - name: bind-address        # was address: 0.0.0.0
      value: 0.0.0.0
```

## References
- kube-apiserver insecure flags removed in 1.24: https://github.com/kubernetes/kubernetes/pull/106859
- kube-scheduler insecure serving deprecated, flags removed in 1.24: https://github.com/kubernetes/kubernetes/pull/96345, https://github.com/kubernetes/kubeadm/issues/2716
- kubelet dockershim flags removed in 1.24: https://github.com/kubernetes/kubernetes/pull/106907
- kubelet `--container-runtime` removed in 1.27: https://github.com/kubernetes/kubernetes/pull/114017
- kubeadm `extraArgs`: https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/control-plane-flags/
- Operations practice: a kubeadm file kept from an old cluster passes `address: 0.0.0.0` to the scheduler; after the upgrade to 1.24 the scheduler no longer starts
"""

from k8slint.engine import Finding, rule
from k8slint.kube import components

from ._common import KUBEADM_ARGS_KINDS, label, pinned


@rule(scope="object", id="component-flag-removed", severity="error", category="correctness", applies_to=KUBEADM_ARGS_KINDS,
      summary="A kubeadm extraArgs flag that the component of the target version no longer has")
def check(obj, ctx):
    config = obj.component_config
    if config is None:
        return
    target = label(ctx.kube_version)
    for arg in config.extra_args():
        row = components.removed_flag(arg.component, arg.name, ctx.kube_version)
        if row is None:
            continue
        note = pinned(config, ctx, lambda version, row=row: version < row.removed_version)
        yield Finding(arg.path, f"{arg.component} {target} has no flag --{row.flag} (removed in {row.removed_in}): "
                                f"the component stops with 'unknown flag: --{row.flag}'{note}; use {row.instead}")
