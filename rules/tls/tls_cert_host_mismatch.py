"""## What it does
Flags a host in an Ingress's `spec.tls[].hosts` that the certificate of the
TLS entry's Secret (`secretName`) does not cover. The Secret is looked up
among all the linted objects (in any file, in the Ingress's namespace); its
`tls.crt` is read as in `tls-cert-expiry` (the first certificate of the
chain, from `stringData` or base64 `data`).

A host is covered when one of the certificate's subjectAltName DNS names
equals it (ignoring case) or is a wildcard for it. A wildcard follows RFC
6125: `*.example.com` covers exactly one more label (`www.example.com`), not
`example.com` and not `a.b.example.com`; a host that is itself a wildcard is
covered only by the same wildcard. The subject's common name is not used:
browsers and Go, Java and most TLS libraries ignore it once it is not in the
SANs, so a certificate without DNS SANs covers no host.

Stays silent when the Secret is not among the linted objects, when it holds
no certificate that parses (missing, placeholder, invalid), and for TLS
entries without hosts or without `secretName`.

## Why is this bad?
The Ingress controller serves the Secret's certificate for the listed hosts.
If the certificate does not name a host, every client connecting to it gets a
certificate name mismatch (`NET::ERR_CERT_COMMON_NAME_INVALID`,
`x509: certificate is valid for ..., not ...`) and refuses to connect, while
the Ingress itself looks healthy. Typical causes: a host added to the
Ingress but not to the certificate, a wildcard expected to cover the apex
domain or a second level of subdomains, or the wrong Secret name.

## How to fix
Issue a certificate whose SANs list every host of the TLS entry (or split the
hosts across TLS entries with matching Secrets):

```yaml
spec:
  tls:
    - hosts:
        - example.com          # the apex needs its own SAN
        - www.example.com      # covered by *.example.com
      secretName: example-com-tls   # SANs: example.com, *.example.com
```

## References
- Ingress TLS: https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
- RFC 6125, section 6.4.3, checking of wildcard certificates: https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3
- RFC 6125, section 6.4.4, checking of common names (only without DNS SANs, and deprecated): https://www.rfc-editor.org/rfc/rfc6125#section-6.4.4
- CA/Browser Forum Baseline Requirements (SANs are authoritative): https://cabforum.org/working-groups/server/baseline-requirements/requirements/
"""

from k8slint.engine import Finding, rule
from k8slint.model import mapping, sequence

from ._certs import covers, leaf_certificate


@rule(id="tls-cert-host-mismatch", severity="error", category="correctness", applies_to={"Ingress"},
      summary="An Ingress TLS host that the certificate in its Secret does not cover")
def check(obj, ctx):
    certificates = {}
    for edge in ctx.graph.out_edges(obj, "tls"):
        secret = edge.to
        if secret is not None:
            certificates[edge.path[2]] = (secret, leaf_certificate(secret))
    for i, entry in enumerate(sequence(obj.spec.get("tls"))):
        secret, cert = certificates.get(i, (None, None))
        if cert is None:
            continue
        names = ", ".join(cert.dns_names[:6]) + (", ..." if len(cert.dns_names) > 6 else "")
        for j, host in enumerate(sequence(mapping(entry).get("hosts"))):
            if not isinstance(host, str) or not host.strip():
                continue
            if any(covers(name, host) for name in cert.dns_names):
                continue
            if cert.dns_names:
                why = f"its DNS names are {names}"
            else:
                why = f"it has no DNS subjectAltName (subject {cert.subject or 'empty'}; clients ignore the CN)"
            yield Finding(("spec", "tls", i, "hosts", j),
                          f"TLS host {host!r} is not covered by the certificate in Secret {secret.name!r} "
                          f"({why}): clients connecting to {host} get a certificate name mismatch")
