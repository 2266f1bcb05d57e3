"""Helpers of the lifecycle, identity, references, TLS and ingress-nginx rules:
image references, credential-like variable names, certificate name matching,
ingress-nginx annotation keys."""

from __future__ import annotations

import pytest

from k8slint.kube import images
from k8slint.rules.identity import env_literal_secret as env
from k8slint.rules.ingress import _nginx as nginx
from k8slint.rules.tls import _certs as certs

DIGEST = "sha256:" + "ab" * 32


# image references --------------------------------------------------------------------

@pytest.mark.parametrize("ref, domain, path, tag, digest, repository", [
    ("nginx", None, "nginx", None, None, "docker.io/library/nginx"),
    ("nginx:1.27", None, "nginx", "1.27", None, "docker.io/library/nginx"),
    ("library/nginx:latest", None, "library/nginx", "latest", None, "docker.io/library/nginx"),
    ("team/app", None, "team/app", None, None, "docker.io/team/app"),
    ("registry:5000/app", "registry:5000", "app", None, None, "registry:5000/app"),
    ("registry:5000/app:1.0", "registry:5000", "app", "1.0", None, "registry:5000/app"),
    ("localhost/app", "localhost", "app", None, None, "localhost/app"),
    ("localhost:5000/a/b/c:v2", "localhost:5000", "a/b/c", "v2", None, "localhost:5000/a/b/c"),
    ("localhost:5000", None, "localhost", "5000", None, "docker.io/library/localhost"),
    ("Registry.Example.com/app", "Registry.Example.com", "app", None, None, "Registry.Example.com/app"),
    ("[::1]:5000/app:tag", "[::1]:5000", "app", "tag", None, "[::1]:5000/app"),
    ("192.168.1.10:5000/app", "192.168.1.10:5000", "app", None, None, "192.168.1.10:5000/app"),
    (f"app@{DIGEST}", None, "app", None, DIGEST, "docker.io/library/app"),
    (f"ghcr.io/org/app:1.2@{DIGEST}", "ghcr.io", "org/app", "1.2", DIGEST, "ghcr.io/org/app"),
    ("a_b__c-d---e/f.g:TAG_1.x-y", None, "a_b__c-d---e/f.g", "TAG_1.x-y", None, "docker.io/a_b__c-d---e/f.g"),
])
def test_image_references_parse(ref, domain, path, tag, digest, repository):
    parsed = images.parse(ref)
    assert (parsed.domain, parsed.path, parsed.tag, parsed.digest) == (domain, path, tag, digest)
    assert parsed.repository == repository
    assert str(parsed) == ref


def test_effective_tag_and_pinning():
    assert images.parse("nginx").effective_tag == "latest"
    assert images.parse("nginx:1.2").effective_tag == "1.2"
    assert images.parse(f"nginx@{DIGEST}").effective_tag is None
    assert images.parse(f"nginx:latest@{DIGEST}").pinned
    assert not images.parse("nginx:latest").pinned


@pytest.mark.parametrize("ref, reason", [
    ("", "empty reference"),
    ("repo:", "empty tag"),
    ("registry.example.com/app:", "empty tag"),
    (" nginx", "whitespace"),
    ("Nginx", "lowercase"),
    ("registry.example.com/Team/app", "lowercase"),
    ("app:-bad", "invalid tag"),
    ("app:" + "a" * 129, "invalid tag"),
    ("app@sha256:abc", "invalid digest"),
    ("app@", "invalid digest"),
    ("-app", "invalid repository name"),
    ("app-", "invalid repository name"),
    ("a//b", "invalid repository name"),
    ("a/", "invalid repository name"),
    ("registry.example.com/", "empty repository path"),
    ("-registry.example.com/app", "invalid registry host"),
    ("a_b.example/app", "invalid registry host"),  # a '.' makes it a host, and hosts have no '_'
    ("registry.example.com:port/app", "invalid registry host"),
    ("${IMAGE}", "lowercase"),
    ("<image>", "invalid repository name"),
    ("ab" * 32, "image ID"),
    ("a" * 256, "longer than 255"),
])
def test_invalid_image_references(ref, reason):
    with pytest.raises(images.ImageRefError, match=reason):
        images.parse(ref)
    assert images.try_parse(ref) is None


def test_non_string_reference():
    assert images.try_parse(None) is None
    assert images.try_parse(42) is None


# credential-like environment variables ------------------------------------------------

@pytest.mark.parametrize("name", [
    "PASSWORD", "DB_PASSWORD", "dbPassword", "db-password", "MYSQL_ROOT_PASSWORD", "PGPASSWORD",
    "REDIS_PASS", "DB_PWD", "GITHUB_TOKEN", "AUTH_TOKEN", "REFRESH_TOKEN", "CLIENT_SECRET", "clientSecret",
    "SECRET_KEY", "SECRET_KEY_BASE", "AWS_SECRET_ACCESS_KEY", "API_KEY", "apiKey", "STRIPE_APIKEY",
    "JWT_PRIVATE_KEY", "ENCRYPTION_KEY", "SMTP_CREDENTIALS", "GPG_PASSPHRASE", "WSREP_SST_PASSWORD",
    "TOKEN_SECRET", "OAuth2Token",
])
def test_names_that_hold_credentials(name):
    assert env.names_credential(name)


@pytest.mark.parametrize("name", [
    "SECRET_NAME", "DB_SECRET_NAME", "TOKEN_URL", "KEYCLOAK_TOKEN_ENDPOINT", "PASSWORD_FILE",
    "VAULT_SECRET_PATH", "TOKEN_TTL", "PASSWORD_MIN_LENGTH", "SECRET_VERSION", "API_KEY_HEADER",
    "SECRET_KEY_FILE", "MAX_TOTAL_TOKENS", "MAX_BATCH_PREFILL_TOKENS", "MYSQL_ALLOW_EMPTY_PASSWORD",
    "MYSQL_RANDOM_ROOT_PASSWORD", "SKIP_TOKEN_VERIFY", "PWD", "OLDPWD", "KEY", "TLS_KEY", "MONKEY",
    "BYPASS", "PASSTHROUGH", "ETCD_INITIAL_CLUSTER_TOKEN", "HOSTNAME", "", None, 42,
])
def test_names_that_do_not(name):
    assert not env.names_credential(name)


@pytest.mark.parametrize("name, value", [
    ("DB_PASSWORD", "hunter2"),
    ("PASSWORD", "password"),
    ("DATABASE_PASSWORD", "postgres://app:secret@db:5432/app"),
    ("API_KEY", "sk_live_123"),
    ("TOKEN", "1234"),
])
def test_literal_values(name, value):
    assert env.is_literal_secret(name, value)


@pytest.mark.parametrize("name, value", [
    ("DB_PASSWORD", ""), ("DB_PASSWORD", "   "), ("DB_PASSWORD", "$(DB_PASS)"),
    ("DB_PASSWORD", "prefix-$(DB_PASS)"), ("DB_PASSWORD", "${DB_PASSWORD}"), ("DB_PASSWORD", "<password>"),
    ("DB_PASSWORD", "__DB_PASSWORD__"), ("DB_PASSWORD", "#{DbPassword}#"), ("DB_PASSWORD", "changeme"),
    ("DB_PASSWORD", "REPLACE_ME"), ("DB_PASSWORD", "xxx"), ("DB_PASSWORD", "*****"), ("DB_PASSWORD", "TODO"),
    ("DB_PASSWORD", "true"), ("DB_PASSWORD", "0"), ("DB_PASSWORD", "/run/secrets/db"),
    ("DB_PASSWORD", "https://vault.example.com/v1/secret"), ("HF_TOKEN", "HF_TOKEN"),
    ("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"), ("ETCD_DISCOVERY_TOKEN", "INSERT_ETCD_DISCOVERY_TOKEN"),
    ("DB_PASSWORD", 12345), ("DB_PASSWORD", None), ("DB_PASSWORD", True),
])
def test_values_that_are_not_secrets(name, value):
    assert not env.is_literal_secret(name, value)


# certificate names -----------------------------------------------------------------

@pytest.mark.parametrize("pattern, host, expected", [
    ("www.example.com", "www.example.com", True),
    ("WWW.example.com", "www.EXAMPLE.com.", True),
    ("*.example.com", "www.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "a.b.example.com", False),
    ("*.example.com", "www.example.org", False),
    ("*.example.com", "*.example.com", True),
    ("www.example.com", "*.example.com", False),
    ("*.com", "example.com", False),
    ("w*.example.com", "www.example.com", False),
    ("*.*.example.com", "a.b.example.com", False),
    ("", "example.com", False),
    ("example.com", "", False),
])
def test_certificate_names_cover_hosts_per_rfc_6125(pattern, host, expected):
    assert certs.covers(pattern, host) is expected


# ingress-nginx annotation keys --------------------------------------------------------

@pytest.mark.parametrize("key, expected", [
    ("nginx.ingress.kubernetes.io/rewrite-target", ("nginx.ingress.kubernetes.io", "/", "rewrite-target")),
    ("nginx.ingress.kubernetes.io.rewrite-target", ("nginx.ingress.kubernetes.io", ".", "rewrite-target")),
    ("ingress.kubernetes.io/auth-tls-secret", ("ingress.kubernetes.io", "/", "auth-tls-secret")),
    ("x.io-auth-tls-secret", ("x.io", "-", "auth-tls-secret")),
    ("rewrite-target", ("", "", "rewrite-target")),
    ("nginx.ingress.kubernetes.io/not-an-annotation", None),
    ("kubernetes.io/ingress.class", None),
    (42, None),
])
def test_split_key(key, expected):
    assert nginx.split_key(key) == expected


@pytest.mark.parametrize("prefix, expected", [
    ("nginx-ingress.kubernetes.io", True),
    ("nginx_ingress.kubernetes.io", True),
    ("nginx.ingress.kubernetes.io.", True),
    ("ingress.nginx.kubernetes.io", True),
    ("ingress-nginx.kubernetes.io", True),
    ("nginx.ingress.k8s.io", True),
    ("nginx.kubernetes.io", True),
    ("nginx.ingress.kubernetes.io", False),
    ("nginx.org", False),
    ("nginx.com", False),
    ("k8s.nginx.org", False),
    ("ingress.kubernetes.io", False),
    ("alb.ingress.kubernetes.io", False),
    ("traefik.ingress.kubernetes.io", False),
    ("", False),
])
def test_misspelled_prefix(prefix, expected):
    assert nginx.misspelled_prefix(prefix, nginx.DEFAULT_PREFIX) is expected


# odd shapes ------------------------------------------------------------------------

def test_rules_never_fail_on_odd_shapes_of_their_kinds():
    """The fuzz test's odd shapes, for the kinds and fields these rules read."""
    import json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from k8slint.engine import Settings, load_builtin_rules
    from k8slint.load import LoadResult, read_source
    from k8slint.pipeline import lint_loaded

    registry = load_builtin_rules()
    keys = ["metadata", "spec", "type", "data", "stringData", "tls.crt", "tls", "hosts", "secretName",
            "annotations", "nginx.ingress.kubernetes.io/server-snippet", "ingress.kubernetes.io/ssl-redirect",
            "kubernetes.io/ingress.class", "ingressClassName", "controller", "selector", "template", "labels",
            "tokenRequests", "expirationSeconds", "volumes", "projected", "sources", "serviceAccountToken",
            "containers", "env", "name", "value", "valueFrom", "image", "terminationGracePeriodSeconds"]
    leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
              | st.sampled_from(["kubernetes.io/tls", "DB_PASSWORD", "nginx", "repo:", "*.example.com", "",
                                 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "aGVsbG8="])
              | st.text(max_size=5))
    shapes = st.recursive(leaves, lambda children: st.lists(children, max_size=4)
                          | st.dictionaries(st.sampled_from(keys), children, max_size=5), max_leaves=40)
    mine = {"statefulset-zero-grace", "termination-message-policy", "image-tag-latest", "legacy-token-secret",
            "token-expiration-too-short", "env-literal-secret", "service-selector-no-match", "tls-cert-expiry",
            "tls-cert-host-mismatch", "ingress-nginx-snippet", "ingress-nginx-annotation-prefix"}
    only_mine = Settings(disabled={r.id for r in registry if r.id not in mine})

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(shapes, st.sampled_from([("v1", "Secret"), ("networking.k8s.io/v1", "Ingress"), ("v1", "Service"),
                                    ("storage.k8s.io/v1", "CSIDriver"), ("networking.k8s.io/v1", "IngressClass"),
                                    ("apps/v1", "StatefulSet"), ("v1", "Pod")]))
    def run(value, kind):
        doc = {"apiVersion": kind[0], "kind": kind[1]}
        if isinstance(value, dict):
            doc.update(value)
            doc["kind"] = kind[1]
        else:
            doc["spec"] = value
        result = LoadResult()
        text = json.dumps(doc) + "\n---\n" + json.dumps({"apiVersion": "apps/v1", "kind": "Deployment",
                                                         "metadata": {"name": "w"}, "spec": value})
        read_source("odd.yaml", None, text.encode(), result)
        report = lint_loaded(result, registry, only_mine, (1, 37))
        assert not [r for r in report.results if r.rule == "internal-error"], [r.message for r in report.results]

    run()
