"""ingress-nginx (kubernetes/ingress-nginx) annotations, as data, and how to
tell that an Ingress is meant for that controller.

Sources:

- https://github.com/kubernetes/ingress-nginx/blob/main/docs/user-guide/nginx-configuration/annotations.md
  (the annotation table and sections)
- https://github.com/kubernetes/ingress-nginx/blob/main/docs/user-guide/nginx-configuration/annotations-risk.md
  (every annotation the current controller parses, with its risk level)
- older releases of the same documents, for annotations that were removed
  or renamed (``whitelist-source-range``, ``secure-backends``,
  ``lua-resty-waf*``, ``influxdb-*``, ``opentracing``...): an old name under
  a wrong prefix is just as ignored.
"""

from __future__ import annotations

import re

from k8slint.model import mapping

DEFAULT_PREFIX = "nginx.ingress.kubernetes.io"
CONTROLLER = "k8s.io/ingress-nginx"  # spec.controller of its IngressClass

#: "Critical" risk in annotations-risk.md: raw NGINX configuration
SNIPPETS = frozenset({"configuration-snippet", "server-snippet", "auth-snippet", "stream-snippet",
                      "modsecurity-snippet"})

CURRENT = frozenset({
    # annotations-risk.md
    "server-alias", "allowlist-source-range", "backend-protocol", "auth-realm", "auth-secret",
    "auth-secret-type", "auth-type", "canary", "canary-by-cookie", "canary-by-header",
    "canary-by-header-pattern", "canary-by-header-value", "canary-weight", "canary-weight-total",
    "auth-tls-error-page", "auth-tls-match-cn", "auth-tls-pass-certificate-to-upstream", "auth-tls-secret",
    "auth-tls-verify-client", "auth-tls-verify-depth", "client-body-buffer-size", "configuration-snippet",
    "connection-proxy-header", "cors-allow-credentials", "cors-allow-headers", "cors-allow-methods",
    "cors-allow-origin", "cors-expose-headers", "cors-max-age", "enable-cors", "custom-http-errors",
    "custom-headers", "default-backend", "denylist-source-range", "disable-proxy-intercept-errors",
    "enable-global-auth", "auth-always-set-cookie", "auth-cache-duration", "auth-cache-key", "auth-keepalive",
    "auth-keepalive-requests", "auth-keepalive-share-vars", "auth-keepalive-timeout", "auth-method",
    "auth-proxy-set-headers", "auth-request-redirect", "auth-response-headers", "auth-signin",
    "auth-signin-redirect-param", "auth-snippet", "auth-url", "fastcgi-index", "fastcgi-params-configmap",
    "http2-push-preload", "load-balance", "enable-access-log", "enable-rewrite-log", "mirror-host",
    "mirror-request-body", "mirror-target", "enable-modsecurity", "enable-owasp-core-rules",
    "modsecurity-snippet", "modsecurity-transaction-id", "enable-opentelemetry", "opentelemetry-operation-name",
    "opentelemetry-trust-incoming-span", "proxy-body-size", "proxy-buffer-size", "proxy-buffering",
    "proxy-buffers-number", "proxy-connect-timeout", "proxy-cookie-domain", "proxy-cookie-path",
    "proxy-http-version", "proxy-max-temp-file-size", "proxy-next-upstream", "proxy-next-upstream-timeout",
    "proxy-next-upstream-tries", "proxy-read-timeout", "proxy-redirect-from", "proxy-redirect-to",
    "proxy-request-buffering", "proxy-send-timeout", "proxy-ssl-ciphers", "proxy-ssl-name",
    "proxy-ssl-protocols", "proxy-ssl-secret", "proxy-ssl-server-name", "proxy-ssl-verify",
    "proxy-ssl-verify-depth", "limit-allowlist", "limit-burst-multiplier", "limit-connections", "limit-rate",
    "limit-rate-after", "limit-rpm", "limit-rps", "from-to-www-redirect", "permanent-redirect",
    "permanent-redirect-code", "temporal-redirect", "temporal-redirect-code", "app-root", "force-ssl-redirect",
    "preserve-trailing-slash", "rewrite-target", "ssl-redirect", "use-regex", "ssl-ciphers",
    "ssl-prefer-server-ciphers", "ssl-passthrough", "satisfy", "server-snippet", "service-upstream",
    "affinity", "affinity-canary-behavior", "affinity-mode", "session-cookie-change-on-failure",
    "session-cookie-conditional-samesite-none", "session-cookie-domain", "session-cookie-expires",
    "session-cookie-max-age", "session-cookie-name", "session-cookie-partitioned", "session-cookie-path",
    "session-cookie-samesite", "session-cookie-secure", "stream-snippet", "upstream-hash-by",
    "upstream-hash-by-subset", "upstream-hash-by-subset-size", "upstream-vhost", "use-port-in-redirects",
    "x-forwarded-prefix",
})

REMOVED = frozenset({
    "whitelist-source-range", "limit-whitelist", "secure-backends", "secure-verify-ca-secret", "grpc-backend",
    "add-base-url", "base-url-scheme", "session-cookie-hash", "upstream-max-fails", "upstream-fail-timeout",
    "enable-opentracing", "opentracing-trust-incoming-span", "enable-influxdb", "influxdb-measurement",
    "influxdb-port", "influxdb-host", "influxdb-server-name", "global-rate-limit", "global-rate-limit-window",
    "global-rate-limit-key", "global-rate-limit-ignored-cidrs", "lua-resty-waf", "lua-resty-waf-debug",
    "lua-resty-waf-ignore-rulesets", "lua-resty-waf-extra-rules", "lua-resty-waf-allow-unknown-content-types",
    "lua-resty-waf-score-threshold", "lua-resty-waf-process-multipart-body", "mirror-uri",
})

#: every annotation name the controller reads or once read, without prefix
KNOWN = CURRENT | REMOVED

#: names no other controller reads under ``ingress.kubernetes.io/`` or without a prefix: raw NGINX
#: configuration (the snippets), ModSecurity, and ingress-nginx's tracing and WAF modules. On an
#: Ingress whose class says nothing, such a name is itself the evidence that it is meant for
#: ingress-nginx. (HAProxy Ingress names its snippets config-backend/config-frontend, Traefik 1.x
#: has none, Voyager uses ingress.appscode.com/.)
ONLY_NGINX = SNIPPETS | frozenset({
    "enable-modsecurity", "enable-owasp-core-rules", "modsecurity-transaction-id",
    "enable-opentelemetry", "opentelemetry-operation-name", "opentelemetry-trust-incoming-span",
    "enable-opentracing", "opentracing-trust-incoming-span", "enable-influxdb", "influxdb-measurement",
    "influxdb-port", "influxdb-host", "influxdb-server-name", "lua-resty-waf", "lua-resty-waf-debug",
    "lua-resty-waf-ignore-rulesets", "lua-resty-waf-extra-rules", "lua-resty-waf-allow-unknown-content-types",
    "lua-resty-waf-score-threshold", "lua-resty-waf-process-multipart-body",
})

#: NGINX Inc's own controller (nginx.org/nginx-ingress) and its commercial edition
OTHER_NGINX_PREFIXES = ("nginx.org", "nginx.com")
#: the prefix ingress-nginx used before 0.9 and that other controllers (Traefik 1.x,
#: HAProxy Ingress, Voyager) still read: meant for ingress-nginx only on an ingress-nginx Ingress
SHARED_PREFIX = "ingress.kubernetes.io"

_SEPARATORS = "./:_-"


def split_key(key: str):
    """(prefix, separator, name) of an annotation key whose name part is a known
    ingress-nginx annotation: ``a.b/rewrite-target`` -> ("a.b", "/", "rewrite-target");
    also a prefix joined by another separator (``nginx.ingress.kubernetes.io.rewrite-target``)
    and no prefix at all (``rewrite-target`` -> ("", "", ...)). None otherwise."""
    if not isinstance(key, str):
        return None
    if key in KNOWN:
        return "", "", key
    prefix, slash, name = key.rpartition("/")
    if slash and name in KNOWN:
        return prefix, "/", name
    best = None
    for candidate in KNOWN:
        if len(key) > len(candidate) + 1 and key.endswith(candidate) and key[-len(candidate) - 1] in _SEPARATORS:
            if best is None or len(candidate) > len(best):
                best = candidate
    if best is None:
        return None
    return key[:-len(best) - 1], key[-len(best) - 1], best


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def misspelled_prefix(prefix: str, configured: str) -> bool:
    """Whether ``prefix`` is evidently a mistyped ingress-nginx prefix: it is the
    configured prefix with other punctuation or case (``nginx-ingress.kubernetes.io``,
    ``nginx.ingress.kubernetes.io.``, ``nginx_ingress.kubernetes.io``), or it names both
    nginx and ingress or Kubernetes (``ingress.nginx.kubernetes.io``,
    ``nginx.ingress.k8s.io``, ``ingress-nginx.kubernetes.io``, ``nginx.kubernetes.io``).
    NGINX Inc's prefixes (``nginx.org``, ``nginx.com``) are not."""
    if not prefix or prefix == configured:
        return False
    lowered = prefix.lower().strip(_SEPARATORS)
    if any(lowered == p or lowered.endswith("." + p) for p in OTHER_NGINX_PREFIXES):
        return False
    squashed = _squash(prefix)
    if squashed == _squash(configured):
        return True
    return "nginx" in squashed and any(word in squashed for word in ("ingress", "kubernetes", "k8s"))


def ingress_class(obj) -> str | None:
    """The class an Ingress asks for: ``spec.ingressClassName`` or the older annotation."""
    name = obj.spec.get("ingressClassName")
    if isinstance(name, str) and name:
        return name
    name = obj.annotations.get("kubernetes.io/ingress.class")
    return name if isinstance(name, str) and name else None


def _default_class(ctx):
    for ic in ctx.graph.objects_of("IngressClass"):
        if str(ic.annotations.get("ingressclass.kubernetes.io/is-default-class")).lower() == "true":
            return ic
    return None


def controller_of(obj, ctx) -> str | None:
    """The controller an Ingress is for, when the linted objects or its class name tell:
    ``"ingress-nginx"``, ``"other"``, or None when unknown."""
    name = ingress_class(obj)
    ic = ctx.graph.get("IngressClass", None, name) if name else _default_class(ctx)
    if ic is not None:
        controller = mapping(ic.raw.get("spec")).get("controller")
        if isinstance(controller, str) and controller:
            return "ingress-nginx" if controller == CONTROLLER else "other"
    if name is None:
        return None
    lowered = name.lower()
    if "nginx" in lowered and not any(p in lowered for p in ("nginx.org", "nginx-plus", "nginxinc")):
        return "ingress-nginx"
    return "other"


def uses_prefix(obj, prefix: str) -> bool:
    return any(isinstance(k, str) and k.startswith(prefix + "/") for k in obj.annotations)


def served_by_other_controller(obj, ctx) -> bool:
    """Whether an IngressClass among the linted objects shows that the Ingress is
    handled by a controller other than ingress-nginx."""
    name = ingress_class(obj)
    ic = ctx.graph.get("IngressClass", None, name) if name else _default_class(ctx)
    if ic is None:
        return False
    controller = mapping(ic.raw.get("spec")).get("controller")
    return isinstance(controller, str) and bool(controller) and controller != CONTROLLER
