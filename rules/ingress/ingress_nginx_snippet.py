"""## What it does
Flags an Ingress annotation that passes raw NGINX configuration to
ingress-nginx: `nginx.ingress.kubernetes.io/configuration-snippet`,
`server-snippet`, `auth-snippet`, `stream-snippet` and
`modsecurity-snippet` (the annotations that ingress-nginx classifies as
*Critical* risk). The prefix is the controller's default; if yours runs with
`--annotations-prefix`, set the rule's `annotations-prefix` option to match.

Stays silent for an Ingress that an IngressClass among the linted objects
assigns to another controller (`spec.controller` other than
`k8s.io/ingress-nginx`), which does not read these annotations. Snippets in
the controller's own ConfigMap (`http-snippet`, `server-snippet`, ...) are
set by the cluster administrator and are not checked.

## Why is this bad?
A snippet is pasted verbatim into the `nginx.conf` of the shared controller.
Whoever can create or edit an Ingress in any namespace can therefore make
NGINX read files in the controller's pod, including its ServiceAccount
token, which by default can read every Secret in the cluster
(CVE-2021-25742), or break routing for every other tenant with one bad
directive. The 2025 "IngressNightmare" vulnerabilities (CVE-2025-1974 and
the annotation injections CVE-2025-1097, CVE-2025-1098, CVE-2025-24514)
abused exactly this path of untrusted NGINX configuration to run code in the
controller.

Because of this, ingress-nginx refuses snippet annotations by default: since
v1.9 unless `allow-snippet-annotations: "true"` is set in its ConfigMap, and
since v1.12 also unless `annotations-risk-level: Critical`. On a current
controller the Ingress is rejected by the admission webhook or the snippet is
ignored; on a cluster where they were re-enabled, the risk above applies.

## How to fix
Use the dedicated annotation for the job instead of a snippet (headers,
redirects, CORS, rate limits, authentication all have one), or a global
setting in the controller's ConfigMap maintained by the cluster's admins:

```yaml
metadata:
  annotations:
    # instead of a configuration-snippet with add_header / more_set_headers:
    nginx.ingress.kubernetes.io/custom-headers: ingress-nginx/custom-headers   # a ConfigMap of headers
    # instead of a server-snippet with "return 301 ...":
    nginx.ingress.kubernetes.io/permanent-redirect: https://www.example.com
```

## References
- ingress-nginx annotations, configuration snippet and server snippet: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#configuration-snippet
- Annotation risk levels: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations-risk/
- ConfigMap options allow-snippet-annotations and annotations-risk-level: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations
- CVE-2021-25742 (kubernetes/ingress-nginx#7837): https://github.com/kubernetes/ingress-nginx/issues/7837
- CVE-2025-1974 (IngressNightmare): https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/
"""

from k8slint.engine import Finding, Option, rule

from ._nginx import DEFAULT_PREFIX, SNIPPETS, served_by_other_controller


@rule(scope="object", id="ingress-nginx-snippet", severity="warning", category="security",
      security_severity=8.1, applies_to={"Ingress"},
      summary="An ingress-nginx snippet annotation injects raw NGINX configuration",
      options={"annotations-prefix": Option(DEFAULT_PREFIX, "the ingress-nginx --annotations-prefix", "str")})
def check(obj, ctx):
    prefix = ctx.options["annotations-prefix"]
    keys = [k for k in obj.annotations
            if isinstance(k, str) and k.startswith(prefix + "/") and k[len(prefix) + 1:] in SNIPPETS]
    if not keys or served_by_other_controller(obj, ctx):
        return
    for key in keys:
        yield Finding(("metadata", "annotations", key),
                      f"annotation {key!r} inserts raw NGINX configuration into the shared ingress-nginx "
                      "controller (it can read the controller's credentials, CVE-2021-25742); current "
                      "controllers reject it unless snippets are re-enabled; use a dedicated annotation instead")
