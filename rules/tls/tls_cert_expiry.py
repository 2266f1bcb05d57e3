"""## What it does
Flags a Secret of type `kubernetes.io/tls` whose certificate (`tls.crt`, the
first certificate of the chain, which is the server's own) has expired, or
expires within `warn-days` days (default 30) of the day of the run. The first
case is an error, the second a warning.

`tls.crt` is read from `stringData` (plain PEM) if present there, else from
`data` (base64 of the PEM), as the API server merges them. Stays silent when
there is no certificate to read: the key is missing or empty, the value is a
placeholder or an unrendered template, the base64 or the PEM is invalid (the
API server or the consumer of the Secret reports those). Certificates after
the first one (intermediates) are not checked.

## Why is this bad?
Nothing in Kubernetes renews a certificate stored in a Secret by hand, and
nothing warns before it runs out. On the expiry date every TLS client of the
Ingress, webhook or server that uses the Secret refuses to connect
(`certificate has expired`), typically all at once and often on a weekend; an
admission webhook with an expired certificate can block every `kubectl
apply` in the cluster. A certificate committed to manifests that is already
expired, or about to be, is an outage scheduled in advance.

## How to fix
Replace the certificate before it expires, and better, let cert-manager
issue and renew it instead of committing it to the manifests:

```yaml
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web-tls
spec:
  secretName: web-tls          # cert-manager writes and renews the Secret
  dnsNames: [www.example.com]
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
```

For a one-off check of a certificate on disk:
`openssl x509 -in tls.crt -noout -enddate`.

## References
- TLS Secrets: https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets
- Ingress TLS: https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
- cert-manager, Certificate resources and renewal: https://cert-manager.io/docs/usage/certificate/
- RFC 5280, validity period: https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5
"""

from k8slint.engine import Finding, Option, rule

from ._certs import leaf_certificate, now

TLS_TYPE = "kubernetes.io/tls"


@rule(id="tls-cert-expiry", severity="error", category="reliability", applies_to={"Secret"},
      summary="A TLS Secret whose certificate has expired or expires soon",
      options={"warn-days": Option(30, "report certificates that expire within this many days", "int")})
def check(obj, ctx):
    if obj.raw.get("type") != TLS_TYPE:
        return
    cert = leaf_certificate(obj)
    if cert is None:
        return
    today = now()
    left = cert.not_after - today
    date = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
    who = f"the certificate in Secret {obj.name!r} ({cert.subject or 'no subject'})"
    if left.total_seconds() <= 0:
        yield Finding(cert.path, f"{who} expired on {date} ({-left.days} days ago): TLS clients refuse it")
        return
    warn_days = ctx.options["warn-days"]
    if left.days < warn_days:
        yield Finding(cert.path, f"{who} expires on {date}, in {left.days} days (warn-days: {warn_days}): "
                                 "renew it before TLS clients start refusing it", severity="warning")
