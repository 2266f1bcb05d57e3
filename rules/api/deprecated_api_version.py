"""## What it does
Flags an object whose `apiVersion` and `kind` the target Kubernetes version
(`--kube-version`, by default the newest known) deprecates or no longer
serves. The finding points at `apiVersion` and says which of the two
applies:

- **removed**: the target version does not serve the API version any more,
  whether it was removed at the target or long before it
  (`extensions/v1beta1` Deployments were removed in 1.16);
- **deprecated**: the target still serves it, with a warning, and the
  message names the release that removes it.

Either way the message names the API version to use instead: the preferred
one that the target version serves (for an old FlowSchema, `v1` from 1.29
and `v1beta3` before it), with the field changes that migration involves
(an Ingress backend's `serviceName` becomes `service.name`, an empty
PodDisruptionBudget selector selects every pod under `policy/v1`, HPA
metrics take a `target`). When no API version replaces the kind, as for
PodSecurityPolicy, it says what to use instead.

The table covers every section of the Deprecated API Migration Guide, from
the removals of 1.16 to those of 1.32, the alpha and beta versions of
built-in kinds that releases since 1.25 stopped serving (resource.k8s.io,
ValidatingAdmissionPolicy, IPAddress and ServiceCIDR, LeaseCandidate,
ClusterTrustBundle, VolumeAttributesClass, ...), and the later beta
deprecations (`storage.k8s.io/v1beta1` VolumeAttributesClass from 1.34,
`resource.k8s.io/v1beta1` from 1.35).

The kubeadm configuration file versions are covered as well:
`kubeadm.k8s.io/v1beta1` (removed in 1.22), `v1beta2` (removed in 1.27)
and `v1beta3` (deprecated in 1.31, removed in 1.36). kubeadm of the target
release refuses such a file, and the message says how to convert it with
`kubeadm config migrate`, which reads only the previous versions, so an old
file is converted in steps. The kubelet (`kubelet.config.k8s.io/v1beta1`)
and kube-proxy (`kubeproxy.config.k8s.io/v1alpha1`) configuration versions
have not been removed and are not reported.

Stays silent while the target version predates an API version's
deprecation (a `flowcontrol.apiserver.k8s.io/v1beta3` FlowSchema at 1.28),
for current API versions, and for kinds the table does not list, such as
custom resources. Alpha versions have no deprecation period: they are
reported once they are removed. A removed API version is an error (the API
server rejects the object); a deprecated one is a warning.

## Why is this bad?
An API version that is no longer served cannot be applied: the API server
answers `no matches for kind "Ingress" in version "extensions/v1beta1"`,
and `kubectl apply` or a Helm upgrade fails, typically on the day the
cluster is upgraded. Objects already stored keep working, because the API
server converts them, but the manifests, charts and pipelines that create
them do not. A deprecated version still works and makes the API server
return a warning; it stops working at the release named in the message.
The replacement versions sometimes change fields or defaults, so the
migration needs more than a new `apiVersion` line.

## How to fix
Move to the replacement API version and adapt the fields that changed, for
example an Ingress from `extensions/v1beta1`:

```yaml
apiVersion: networking.k8s.io/v1      # was extensions/v1beta1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix          # required in v1
            backend:
              service:
                name: storefront      # was serviceName
                port:
                  number: 80          # was servicePort
```

`kubectl convert -f old.yaml --output-version networking.k8s.io/v1` (the
kubectl-convert plugin) does the mechanical part.

## Fix
`--fix` never touches a kubeadm configuration (only `kubeadm config
migrate` converts one). It rewrites `apiVersion` to the replacement the target version serves
when the upstream guide lists no change between the two (a pure rename, such
as `batch/v1beta1` to `batch/v1` for a CronJob). Where fields changed (an
Ingress backend, a PodDisruptionBudget's empty selector, HPA metrics, a
Deployment that now needs `spec.selector`), the same rewrite is offered as an
unsafe fix (`--unsafe-fixes`): the object may still need the field changes
the message lists.

## References
- Deprecated API Migration Guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
- Kubernetes Deprecation Policy: https://kubernetes.io/docs/reference/using-api/deprecation-policy/
- Deprecation warnings returned by the API server: https://kubernetes.io/blog/2020/09/03/warnings/
- Pod Security Admission, which replaces PodSecurityPolicy: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- kubeadm configuration API (v1beta4) and its changes: https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
- `kubeadm config migrate`: https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-config/#cmd-config-migrate
- Removal of kubeadm v1beta2 in 1.27: https://github.com/kubernetes/kubernetes/pull/114540
- Operations practice: a kubeadm file written for an old cluster (`kubeadm.k8s.io/v1beta2`, `kubernetesVersion: v1.16.0`) no longer loads after an upgrade; migrate it before upgrading
"""

from k8slint.engine import Finding, rule
from k8slint.fix import SAFE, UNSAFE, Fix
from k8slint.kube import deprecations


def _extra(obj, row) -> str:
    """What the migration changes for this very object, when the table's notes are not enough."""
    if row.kind == "PodDisruptionBudget" and row.api_version == "policy/v1beta1":
        selector = obj.spec.get("selector")
        if isinstance(selector, dict) and not selector:
            return "; this PodDisruptionBudget's empty selector would select every pod in its namespace"
    return ""


def message(obj, status) -> str:
    row = status.row
    reader = "kubeadm refuses the file" if obj.config_kind else "the API server rejects it"
    if status.removed:
        head = f"{row.subject} was removed in Kubernetes {row.removed_in}: {reader}"
    else:
        head = f"{row.subject} is deprecated since Kubernetes {row.deprecated_in}"
        head += f", removed in {row.removed_in}" if row.removed_in else ""
    replacement = status.replacement
    if replacement is not None:
        verb = "read" if obj.config_kind else "served"
        since = f" ({verb} since {replacement.available_in})" if replacement.available_in else ""
        use = f"use {replacement.api_version} {row.kind}{since}"
        if row.changes:
            use += f"; what changes: {row.changes}"
    elif row.instead:
        use = f"no API version replaces it; use {row.instead}"
    else:
        use = "no API version replaces it"
    return f"{head}; {use}{_extra(obj, row)}"


@rule(scope="object", id="deprecated-api-version", severity="warning", category="correctness", fix_safety="sometimes",
      summary="An apiVersion the target Kubernetes version deprecates or no longer serves")
def check(obj, ctx):
    status = deprecations.api_status(obj.api_version, obj.kind, ctx.kube_version)
    if status is None:
        return
    fix = None
    if status.replacement is not None and not obj.config_kind:  # a config file needs `kubeadm config migrate`
        safety = UNSAFE if status.row.changes or _extra(obj, status.row) else SAFE
        fix = Fix.set(("apiVersion",), status.replacement.api_version,
                      f"change apiVersion to {status.replacement.api_version}", safety)
    yield Finding(("apiVersion",), message(obj, status), severity=status.severity, fix=fix)
