"""## What it does
Flags a feature gate, set in a configuration file, that the target
Kubernetes version (`--kube-version`) still knows but has graduated (GA) or
deprecated, where the gate no longer chooses anything:

- **set to the value it is locked to** (error): a locked gate only accepts
  its default, so `SidecarContainers=false` at 1.33 stops the component;
- **set to its default** (warning): harmless today, since it changes
  nothing, but the component refuses to start once the gate is removed, a
  few releases later; remove it before upgrading;
- **set against its default while not locked** (warning): it still works,
  but the choice disappears with the gate.

The settings are read where `feature-gate-removed` reads them: the
`feature-gates` flag of kubeadm `extraArgs` and `kubeletExtraArgs`
(`Name=true,Other=false`, the finding pointing at the gate inside the
value), and the `featureGates` of a `KubeletConfiguration` or
`KubeProxyConfiguration`. Stages, defaults and locks come from
`k8slint/kube/featuregates.py` (the versioned feature list of
kubernetes/kubernetes and the documentation's table of removed gates).
Alpha and beta gates, and gates the table does not know, are not reported.
A gate whose lock is not recorded (the removed gates' table records none)
set against its default is a warning, never an error.

## Why is this bad?
A locked gate set to the other value is a startup error
(`cannot set feature gate SidecarContainers to false, feature is locked to
true`). A gate kept at its default documents nothing and turns into an
unknown gate, which is also a startup error, on the upgrade that removes
it: the line that was harmless breaks the control plane later.

## How to fix
Remove the gate from the configuration:

```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
featureGates: {}            # SidecarContainers: true removed: GA and locked since 1.33
```

## References
- Feature gates, stages and locking: https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/#feature-stages
- Versioned feature list: https://github.com/kubernetes/kubernetes/blob/master/test/compatibility_lifecycle/reference/versioned_feature_list.yaml
- Operations practice: turn a gate on for a release, and take it out again once the feature is GA, before the upgrade that removes the gate
"""

from k8slint.engine import Finding, rule
from k8slint.kube import featuregates

from ._common import GATE_KINDS, label, where


def _value(value) -> str:
    return "true" if value else "false"


@rule(id="feature-gate-locked", severity="warning", category="correctness", applies_to=GATE_KINDS,
      summary="A GA or deprecated feature gate set in a configuration: a no-op now, a startup error later")
def check(obj, ctx):
    config = obj.component_config
    if config is None:
        return
    target = label(ctx.kube_version)
    for setting in config.feature_gates():
        status = featuregates.status(setting.name, ctx.kube_version)
        if status is None or status.removed or status.state not in (featuregates.GA, featuregates.DEPRECATED):
            continue
        if not isinstance(setting.value, bool):
            continue
        gate, default = status.gate, status.default
        words = featuregates.stage_words(status.stage)
        removal = f"in {gate.removed_in}" if gate.removed_in else "in a later release"
        head = f"feature gate {gate.name} is {words} in Kubernetes {target}"
        if status.locked and default is not None and setting.value != default:
            yield Finding(setting.path, f"{head} and locked to {_value(default)}: {setting.component} refuses to "
                                        f"start with {gate.name}={_value(setting.value)}; remove it from "
                                        f"{where(setting)}", severity="error", at=setting.at)
        elif default is not None and setting.value == default:
            yield Finding(setting.path, f"{head}, {_value(default)} by default: setting it changes nothing, and "
                                        f"{setting.component} refuses to start with it once the gate is removed "
                                        f"({removal}); remove it from {where(setting)} before upgrading",
                          at=setting.at)
        else:
            yield Finding(setting.path, f"{head}: {gate.name}={_value(setting.value)} still takes effect, but the "
                                        f"gate goes away {removal} and then {setting.component} refuses to start "
                                        f"with it; plan to drop it from {where(setting)}", at=setting.at)
