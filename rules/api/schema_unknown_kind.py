"""## What it does
Reports an object whose apiVersion and kind no schema describes: not a
built-in kind of the target Kubernetes version, and not defined by any
CustomResourceDefinition in the linted files or in the `--crds` files. Such
objects cannot be validated, so their typos go unnoticed.

The configuration files of kubeadm (`kubeadm.k8s.io`: InitConfiguration,
ClusterConfiguration, JoinConfiguration, ResetConfiguration,
UpgradeConfiguration), the kubelet (`kubelet.config.k8s.io`:
KubeletConfiguration, CredentialProviderConfig) and kube-proxy
(`kubeproxy.config.k8s.io`: KubeProxyConfiguration) are known kinds too:
`schema-violation` checks them against the schemas k8slint ships.

Off by default; `--strict-kinds` turns it on (or `schema-unknown-kind: on`
in the configuration). Built-in kinds under an API version the target no
longer serves are left to `deprecated-api-version`.

## Why is this bad?
An unknown kind is either a custom resource whose CRD the linter was not
shown (then nothing in it was checked), or a typo in `apiVersion`/`kind` that
the cluster will reject (`no matches for kind "Deployement"`). In a strict
pipeline both deserve attention: every object should be checked against some
schema.

## How to fix
Give k8slint the CRDs of the operators you use, or fix the apiVersion/kind:

```sh
k8slint --strict-kinds --crds vendor/cert-manager/crds/ manifests/
```

```yaml
apiVersion: apps/v1
kind: Deployment        # not Deployement
```

## References
- Custom resources: https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/
- API groups and versioning: https://kubernetes.io/docs/reference/using-api/#api-groups
"""

from k8slint.engine import Finding, rule
from k8slint.kube import schemas

from ._schema import custom_resources


@rule(id="schema-unknown-kind", severity="warning", category="correctness", enabled=False,
      switch="strict-kinds", summary="No schema or CRD describes this kind")
def check(obj, ctx):
    builtin = schemas.builtin(ctx.kube_version)
    if not builtin.available or obj.builtin or obj.config_kind or builtin.definition_for(obj.api_version, obj.kind):
        return
    if custom_resources(ctx).knows(obj.api_version, obj.kind):
        return
    version = ".".join(map(str, ctx.kube_version))
    yield Finding(("kind",), f"no schema describes {obj.api_version} {obj.kind}: it is not a built-in kind of "
                             f"Kubernetes {version} and no CustomResourceDefinition in the run defines it "
                             "(pass the CRDs with --crds)")
