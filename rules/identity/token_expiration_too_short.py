"""## What it does
Flags a requested ServiceAccount token lifetime that the API server rejects:
`expirationSeconds` below 600 (10 minutes), or above 2^32 seconds, in

- a projected volume's `serviceAccountToken` source, in any pod template;
- a CSIDriver's `spec.tokenRequests`.

Stays silent when `expirationSeconds` is not set (a projected token then
lives one hour) and when it is not an integer (schema validation reports
that).

## Why is this bad?
The API server validates the requested lifetime as part of the pod template
(and of the CSIDriver): a value under ten minutes fails with
`may not specify a duration less than 10 minutes` (over 2^32 seconds:
`may not specify a duration larger than 2^32 seconds`), so `kubectl apply`
of the Deployment, StatefulSet, Job or CSIDriver fails and the change never
reaches the cluster; in a GitOps pipeline the whole sync can stall on it. A
very short lifetime does not add security anyway: the kubelet rotates a
projected token when it reaches 80% of its lifetime (or is older than 24
hours), and the application must re-read the file either way.

## How to fix
Request at least 600 seconds; one hour is the default and a good choice:

```yaml
volumes:
  - name: vault-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            audience: vault
            expirationSeconds: 600   # the minimum the API accepts
```

## References
- ServiceAccountTokenProjection (must be at least 10 minutes): https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/volume/#projections
- Projected volumes, serviceAccountToken: https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken
- CSIDriver tokenRequests: https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-driver-v1/
- Validation in the API server (`may not specify a duration less than 10 minutes`): https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence

MINIMUM = 600
MAXIMUM = 1 << 32


def _problem(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if value < MINIMUM:
        return f"expirationSeconds {value} is below the minimum of {MINIMUM} (10 minutes)"
    if value > MAXIMUM:
        return f"expirationSeconds {value} is above the maximum of 2^32 seconds"
    return None


@rule(scope="object", id="token-expiration-too-short", severity="error", category="correctness",
      applies_to=WORKLOADS | {"CSIDriver"},
      summary="A requested ServiceAccount token lifetime the API server rejects (under 10 minutes)")
def check(obj, ctx):
    if obj.kind == "CSIDriver":
        for i, request in enumerate(sequence(obj.spec.get("tokenRequests"))):
            problem = _problem(mapping(request).get("expirationSeconds"))
            if problem:
                yield Finding(("spec", "tokenRequests", i, "expirationSeconds"),
                              f"CSIDriver {obj.name!r} token request #{i}: {problem}: the API server rejects it")
        return
    pod = obj.pod
    if pod is None:
        return
    for volume in pod.volumes:
        if volume.source_type != "projected":
            continue
        for j, source in enumerate(sequence(volume.source.get("sources"))):
            token = mapping(mapping(source).get("serviceAccountToken"))
            problem = _problem(token.get("expirationSeconds"))
            if problem:
                yield Finding(volume.path / "projected" / "sources" / j / "serviceAccountToken" /
                              "expirationSeconds",
                              f"projected volume {volume.name!r}: ServiceAccount token {problem}: the API server "
                              "rejects the pod template")
