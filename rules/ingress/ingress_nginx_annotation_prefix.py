"""## What it does
Flags an Ingress annotation whose name part is an ingress-nginx annotation
(`rewrite-target`, `ssl-redirect`, `configuration-snippet`, ... the full list,
including removed ones, is kept with its sources in `rules/ingress/_nginx.py`)
but whose prefix is not the one the controller reads
(`nginx.ingress.kubernetes.io`, or the rule's `annotations-prefix` option for a
controller started with `--annotations-prefix`):

- an evidently mistyped prefix, flagged unless an IngressClass among the
  linted objects or the Ingress's class name shows another controller: the
  right words with other punctuation (`nginx-ingress.kubernetes.io/`,
  `nginx_ingress.kubernetes.io/`), the prefix joined to the name by another
  character than `/` (`nginx.ingress.kubernetes.io.rewrite-target`, which is a
  valid annotation key), or a prefix that names nginx together with ingress,
  Kubernetes or k8s (`ingress.nginx.kubernetes.io/`, `nginx.ingress.k8s.io/`,
  `ingress-nginx.kubernetes.io/`, `nginx.kubernetes.io/`);
- the prefix `ingress.kubernetes.io/` (the one ingress-nginx used before
  0.9), or no prefix at all (`rewrite-target: /`), flagged only when the
  Ingress is evidently for ingress-nginx: its IngressClass (among the linted
  objects) has `spec.controller: k8s.io/ingress-nginx`, or its class name
  (`spec.ingressClassName` or `kubernetes.io/ingress.class`) contains
  `nginx`, or it already carries other annotations with the right prefix;
  or, when nothing tells the controller, the name itself is one only
  ingress-nginx defines: the snippets (`configuration-snippet`,
  `server-snippet`, `auth-snippet`, `stream-snippet`, `modsecurity-snippet`),
  ModSecurity and its tracing and WAF modules.

Stays silent for the prefixes of other controllers, including NGINX Inc's
NGINX Ingress Controller (`nginx.org/`, `nginx.com/`), Traefik, HAProxy
Ingress and others that read `ingress.kubernetes.io/` themselves, and for
names that are not ingress-nginx annotations.

## Why is this bad?
ingress-nginx reads only annotations under its own prefix and does not
report the others: an Ingress with `ingress.kubernetes.io/ssl-redirect:
"false"` or `nginx-ingress.kubernetes.io/rewrite-target: /` is accepted and
behaves as if the annotation were not there. The redirect still happens,
the path is not rewritten, the allow-list does not restrict anything, and
the mistake only shows as wrong behaviour in production (an
`allowlist-source-range` that silently does nothing is a security hole).

## How to fix
Use the controller's prefix:

```yaml
metadata:
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  ingressClassName: nginx
```

## References
- ingress-nginx annotations (and the --annotations-prefix flag): https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
- ingress-nginx command line arguments: https://kubernetes.github.io/ingress-nginx/user-guide/cli-arguments/
- Annotation list with risk levels: https://github.com/kubernetes/ingress-nginx/blob/main/docs/user-guide/nginx-configuration/annotations-risk.md
- Ingress controllers and ingress classes: https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
"""

from k8slint.engine import Finding, Option, rule

from ._nginx import DEFAULT_PREFIX, ONLY_NGINX, SHARED_PREFIX, controller_of, misspelled_prefix, split_key, uses_prefix


@rule(scope="object", id="ingress-nginx-annotation-prefix", severity="warning", category="correctness", applies_to={"Ingress"},
      summary="An ingress-nginx annotation under a prefix the controller does not read",
      options={"annotations-prefix": Option(DEFAULT_PREFIX, "the ingress-nginx --annotations-prefix", "str")})
def check(obj, ctx):
    configured = ctx.options["annotations-prefix"]
    controller = None
    decided = False
    for key in obj.annotations:
        parts = split_key(key)
        if parts is None:
            continue
        prefix, separator, name = parts
        if prefix == configured and separator == "/":
            continue
        if not decided:
            controller = controller_of(obj, ctx)
            decided = True
        if controller == "other":
            continue
        right = f"{configured}/{name}"
        evidence = ""
        if prefix == configured or misspelled_prefix(prefix, configured):
            pass
        elif prefix in ("", SHARED_PREFIX) and separator in ("", "/"):
            if controller != "ingress-nginx" and not uses_prefix(obj, configured):
                if controller is not None or name not in ONLY_NGINX:
                    continue
                evidence = f" ({name!r} is an ingress-nginx annotation no other controller defines)"
        else:
            continue
        yield Finding(("metadata", "annotations", key),
                      f"annotation {key!r} looks meant for ingress-nginx, which reads only {right!r}{evidence}: "
                      "the controller ignores it without a warning")
