"""## What it does
Flags a Secret of type `kubernetes.io/service-account-token`: a manifest that
asks the token controller to issue a ServiceAccount token that never expires
and to store it in the Secret (for the ServiceAccount named in the
`kubernetes.io/service-account.name` annotation).

Secrets of every other type are ignored.

## Why is this bad?
The token in such a Secret has no expiry and is bound to nothing but the
ServiceAccount: it stays valid until the Secret is deleted, whoever copied
it. Anyone who can read Secrets in the namespace (a broad `get secrets` grant,
a backup, a leaked `kubectl get -o yaml`) gets a permanent credential with the
ServiceAccount's permissions. Since Kubernetes 1.24 these Secrets are no
longer created automatically; pods get short-lived tokens from the
TokenRequest API through a projected volume, which the kubelet rotates and
which become invalid when the pod is deleted.

## How to fix
Let pods use their automatically projected token, or project one with its
own audience and lifetime; for a client outside the cluster, request a
bounded token with `kubectl create token` (the TokenRequest API) instead of
storing one:

```yaml
volumes:
  - name: api-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            audience: https://vault.example.com
            expirationSeconds: 3600
```

Keep a `service-account-token` Secret only where a long-lived token is truly
required and its exposure is acceptable, and suppress the finding there with
a reason.

## References
- ServiceAccount token Secrets: https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
- Manually create a long-lived API token (and why to prefer TokenRequest): https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount
- Managing service accounts, bound service account tokens and legacy token clean-up: https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
"""

from k8slint.engine import Finding, rule

TYPE = "kubernetes.io/service-account-token"
ANNOTATION = "kubernetes.io/service-account.name"


@rule(scope="object", id="legacy-token-secret", severity="warning", category="security",
      security_severity=6.5, applies_to={"Secret"},
      summary="A Secret that holds a ServiceAccount token that never expires")
def check(obj, ctx):
    if obj.raw.get("type") != TYPE:
        return
    account = obj.annotations.get(ANNOTATION)
    whose = f"ServiceAccount {account!r}" if isinstance(account, str) and account else "a ServiceAccount"
    yield Finding(("type",), f"Secret {obj.name!r} is of type {TYPE}: it holds a token for {whose} that never "
                            "expires and works for anyone who reads the Secret; use projected, expiring tokens "
                            "(TokenRequest) instead")
