"""subpath-configmap-stale and projected volumes.

The rule stays silent only when the mounted data cannot change in place:
every ConfigMap and Secret behind the volume is in the run and immutable. A
projected volume can hold more than ConfigMaps and Secrets: a
serviceAccountToken source is a token the kubelet rotates, and downwardAPI
items change with the pod's labels and annotations. Such a volume is never
"immutable", however immutable its ConfigMaps and Secrets are.
"""

from __future__ import annotations

import pytest

from k8slint.engine import Settings

RULE = "subpath-configmap-stale"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          volumeMounts:
            - name: bundle
              mountPath: /etc/web/app.conf
              subPath: app.conf
      volumes:
        - name: bundle
          projected:
            sources:
{sources}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
immutable: {config_immutable}
data:
  app.conf: "level=info"
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
immutable: true
stringData:
  password: "not-a-real-one"
"""
SUBPATH_LINE = 18

CONFIG = "              - configMap: {name: web-config}"
SECRET = "              - secret: {name: web-secret}"
TOKEN = "              - serviceAccountToken: {path: token, expirationSeconds: 3600}"
DOWNWARD = "              - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}"


def stale(lint_text, *sources, config_immutable="true"):
    text = DEPLOYMENT.format(sources="\n".join(sources), config_immutable=config_immutable)
    report = lint_text(text, settings=Settings(enabled={RULE}))
    assert not [r for r in report.results if r.rule in ("internal-error", "invalid-yaml")]
    return [r for r in report.results if r.rule == RULE]


@pytest.mark.parametrize("sources", [(CONFIG,), (SECRET,), (CONFIG, SECRET)])
def test_a_projected_volume_of_immutable_configmaps_and_secrets_cannot_change(lint_text, sources):
    assert stale(lint_text, *sources) == []


@pytest.mark.parametrize("sources", [(CONFIG, TOKEN), (TOKEN, CONFIG), (CONFIG, SECRET, TOKEN), (SECRET, TOKEN)])
def test_a_projected_service_account_token_makes_the_volume_change(lint_text, sources):
    [finding] = stale(lint_text, *sources)
    assert finding.line == SUBPATH_LINE and finding.path.endswith("volumeMounts[0].subPath")
    assert "container 'web'" in finding.message and "projected volume 'bundle'" in finding.message
    assert "'app.conf'" in finding.message


def test_projected_downward_api_items_make_the_volume_change(lint_text):
    [finding] = stale(lint_text, CONFIG, DOWNWARD)
    assert finding.line == SUBPATH_LINE


def test_a_mutable_configmap_makes_the_volume_change_with_or_without_a_token(lint_text):
    assert len(stale(lint_text, CONFIG, config_immutable="false")) == 1
    assert len(stale(lint_text, CONFIG, TOKEN, config_immutable="false")) == 1


def test_a_token_alone_is_not_immutable(lint_text):
    assert len(stale(lint_text, TOKEN)) == 1


def test_a_subpath_to_the_token_itself_says_the_token_expires(lint_text):
    token_mount = DEPLOYMENT.replace("subPath: app.conf", "subPath: token")
    report = lint_text(token_mount.format(sources="\n".join((CONFIG, TOKEN)), config_immutable="true"),
                       settings=Settings(enabled={RULE}))
    [finding] = [r for r in report.results if r.rule == RULE]
    assert "ServiceAccount token" in finding.message and "expires after 3600 seconds" in finding.message
    assert "rejects it" in finding.message
    # a subPath to another file of the same volume is about that file, not the token
    [other] = stale(lint_text, CONFIG, TOKEN)
    assert "token" not in other.message.replace("ServiceAccount", "")
