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
`--fix` rewrites `apiVersion` to the replacement the target version serves
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
    if status.removed:
        head = f"{row.subject} was removed in Kubernetes {row.removed_in}: the API server rejects it"
    else:
        head = f"{row.subject} is deprecated since Kubernetes {row.deprecated_in}"
        head += f", removed in {row.removed_in}" if row.removed_in else ""
    replacement = status.replacement
    if replacement is not None:
        since = f" (served since {replacement.available_in})" if replacement.available_in else ""
        use = f"use {replacement.api_version} {row.kind}{since}"
        if row.changes:
            use += f"; what changes: {row.changes}"
    elif row.instead:
        use = f"no API version replaces it; use {row.instead}"
    else:
        use = "no API version replaces it"
    return f"{head}; {use}{_extra(obj, row)}"


@rule(id="deprecated-api-version", severity="warning", category="correctness", fix_safety="sometimes",
      summary="An apiVersion the target Kubernetes version deprecates or no longer serves")
def check(obj, ctx):
    status = deprecations.api_status(obj.api_version, obj.kind, ctx.kube_version)
    if status is None:
        return
    fix = None
    if status.replacement is not None:
        safety = UNSAFE if status.row.changes or _extra(obj, status.row) else SAFE
        fix = Fix.set(("apiVersion",), status.replacement.api_version,
                      f"change apiVersion to {status.replacement.api_version}", safety)
    yield Finding(("apiVersion",), message(obj, status), severity=status.severity, fix=fix)
