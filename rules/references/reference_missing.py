"""## What it does
Flags a reference to an object that a *complete* unit does not hold:

- a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that a pod
  template uses: `configMap`, `secret`, `persistentVolumeClaim` and
  `projected` volumes, `env[].valueFrom` key references, `envFrom`,
  `imagePullSecrets`, `serviceAccountName`;
- the Service of an Ingress backend, and the Secret of an Ingress `tls`
  entry;
- the Deployment, StatefulSet, ReplicaSet or ReplicationController an
  HorizontalPodAutoscaler scales;
- the Role (a namespaced one, `roleRef.kind: Role`) a RoleBinding grants.

A unit is complete when nothing it references can live elsewhere: a Helm
chart render, a kustomize build, a file of rendered Helm output (with
`# Source:` comments), or a plain folder when the run says so (`--complete`,
or `complete: true` in the configuration). Everywhere else the rule stays
silent: the object may be applied from another folder or created by hand.

Not missing, because the cluster or something in the unit provides them:

- references marked `optional: true` (the pod starts without them);
- the ServiceAccount a pod gets without asking (`default`, written or not),
  and the ServiceAccounts OpenShift creates in every project (`builder`,
  `deployer`);
- the ConfigMaps the control plane (or the mesh) publishes in every
  namespace: `kube-root-ca.crt`, `openshift-service-ca.crt`,
  `istio-ca-root-cert`;
- a Secret a cert-manager `Certificate` of the unit writes
  (`spec.secretName`), and the `tls` Secret of an Ingress annotated for
  cert-manager or ACME (`cert-manager.io/issuer`, `cert-manager.io/cluster-issuer`,
  the older `certmanager.k8s.io/...` ones, `kubernetes.io/tls-acme: "true"`),
  which cert-manager creates;
- a Secret or ConfigMap that an object of the unit says it creates or
  manages: a word of the value of an annotation whose key mentions `secret`,
  `configmap` or `cert` (OpenShift's
  `service.beta.openshift.io/serving-cert-secret-name`); a `secretName`,
  `secretRef` (or its `name`) or `target.name` in a custom resource's spec,
  or the name of the custom resource itself (a SealedSecret, an
  ExternalSecret, a Strimzi KafkaUser); the value of a container flag or
  environment variable about secrets, config maps or certificates (a hook Job
  running `kube-webhook-certgen --secret-name=...` creates the Secret at
  install time); a `resourceNames` entry of a Role of the unit (what a
  controller of the unit may write);
- any object whose name derives from the name of a custom resource of the
  unit, the way operators name what they create: `<name>-...` (CloudNativePG's
  `<cluster>-app` Secret, ECK's `<kibana>-kb-http` Service) or a dotted part
  (Zalando's `<user>.<cluster>.credentials.postgresql.acid.zalan.do`).
  Custom resources that run pods themselves (a DeploymentConfig or Rollout:
  a `spec.template.spec`) count for neither of these two;
- names that are no valid object name (`<KSA_NAME>`, `${SA}`): placeholders
  to substitute before applying;
- the bootstrap Roles of `kube-system` (`extension-apiserver-authentication-reader`,
  the `system:` leader-locking ones);
- a PersistentVolumeClaim named after a `volumeClaimTemplates` entry of the
  same StatefulSet;
- left out altogether: a binding's `roleRef` to a ClusterRole
  (cluster-scoped, usually installed by something else), the ServiceAccount
  subjects of bindings, and HPA targets of custom kinds (an Argo Rollout);
- an object of the same kind and name that the unit defines in another
  namespace when one of the two ends sets no namespace (`helm install -n`
  or `kubectl apply -n` would put them together).

The finding names what the unit holds instead: the objects of that kind in
that namespace (with the closest name, when one looks like a typo), or the
namespace the object is defined in.

PodDisruptionBudgets reference nothing by name: they select pods, which
the selector rules check.

## Why is this bad?
A chart render or a kustomize build is everything that will be applied. A
reference to an object that is not in it points at nothing once installed:
a missing ConfigMap or Secret keeps the pod in `ContainerCreating`
(`configmap "app-config" not found`) or `CreateContainerConfigError`; a
missing PersistentVolumeClaim leaves it `Pending`; a missing ServiceAccount
means the ReplicaSet cannot create pods at all (`serviceaccount "api" not
found`); an Ingress backend without its Service answers 503; an HPA without
its target does nothing; a RoleBinding to a missing Role grants nothing.
`kubectl apply` and `helm install` accept all of it. It usually comes from a
rename done in one template and not another, or a resource dropped from a
kustomization.

## How to fix
Add the object to the chart or kustomization, fix the name, or mark the
reference optional when the workload can run without it:

```yaml
envFrom:
  - configMapRef:
      name: app-config        # the name the chart's ConfigMap really has
  - secretRef:
      name: app-overrides
      optional: true          # created by hand in some environments only
```

## References
- Configure a Pod to use a ConfigMap: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
- Secrets, optional Secrets: https://kubernetes.io/docs/concepts/configuration/secret/#restriction-secret-must-exist
- Configure Service Accounts for Pods: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
- cert-manager, securing Ingress resources: https://cert-manager.io/docs/usage/ingress/
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from k8slint.engine import Context, Finding, rule
from k8slint.graph import Edge
from k8slint.kube.kinds import is_builtin, split_api_version
from k8slint.model import WORKLOADS, K8sObject, mapping, sequence

#: what the cluster provides in every namespace
PROVIDED: dict[str, frozenset[str]] = {
    "ServiceAccount": frozenset({"default", "builder", "deployer"}),
    "ConfigMap": frozenset({"kube-root-ca.crt", "openshift-service-ca.crt", "istio-ca-root-cert"}),
    # bootstrap Roles of kube-system
    "Role": frozenset({"extension-apiserver-authentication-reader", "system:controller:bootstrap-signer",
                       "system:controller:cloud-provider", "system:controller:token-cleaner",
                       "system::leader-locking-kube-controller-manager", "system::leader-locking-kube-scheduler"}),
}
#: Ingress annotations that make cert-manager (or an ACME shim) create the tls Secrets
CERT_MANAGER = ("cert-manager.io/issuer", "cert-manager.io/cluster-issuer", "certmanager.k8s.io/issuer",
                "certmanager.k8s.io/cluster-issuer")
#: edge kinds this rule checks, and what the missing object does to the source
EFFECT = {
    "serviceAccount": "the controller cannot create its pods",
    "imagePullSecret": "the image pull may fail for want of credentials",
    "mounts": "the pod stays in ContainerCreating",
    "claims": "the pod stays Pending",
    "env": "the container never starts (CreateContainerConfigError)",
    "envFrom": "the container never starts (CreateContainerConfigError)",
    "routes-to": "the path answers 503",
    "tls": "the controller serves its default certificate instead",
    "scales": "the autoscaler scales nothing",
    "grants": "the binding grants nothing",
}
VERB = {
    "serviceAccount": "runs as", "imagePullSecret": "pulls images with", "mounts": "mounts", "claims": "claims",
    "env": "reads an environment variable from", "envFrom": "reads its environment from",
    "routes-to": "routes to", "tls": "serves TLS from", "scales": "scales", "grants": "grants",
}
UNIT_KIND = {"helm template": "the chart render", "kustomize build": "the kustomize build",
             "rendered": "the rendered file", "folder": "the folder", "stdin": "the input"}
_DNS_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
_WORD = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
_NAME_HOLDERS = {"secretName", "secretRef"}  # a custom resource field holding a Secret's name
_ABOUT = re.compile(r"secret|configmap|config-map|cert", re.I)


def _strings(value: Any, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """(key holding it, string) for every string in a YAML value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k if isinstance(k, str) else None)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _flagged(args: list[Any]) -> Iterator[str]:
    """Names given to a flag about Secrets, ConfigMaps or certificates (`--secret-name=x`, `--tls-secret ns/x`)."""
    previous = ""
    for arg in args:
        if not isinstance(arg, str):
            previous = ""
            continue
        flag, eq, value = arg.partition("=")
        if eq and flag.startswith("-") and _ABOUT.search(flag):
            yield from _WORD.findall(value)
        elif previous.startswith("-") and "=" not in previous and _ABOUT.search(previous):
            yield from _WORD.findall(arg)
        previous = arg


def _created(obj: K8sObject) -> Iterator[str]:
    """Names of Secrets and ConfigMaps that ``obj`` creates, manages or announces (see the docstring)."""
    for key, value in obj.annotations.items():
        if isinstance(key, str) and isinstance(value, str) and _ABOUT.search(key):
            yield from _WORD.findall(value)
    if not obj.builtin:
        if not _workload_like(obj):
            yield obj.name
        for holder, text in _strings(obj.spec):
            if holder in _NAME_HOLDERS:
                yield text
        for ref in _refs(obj.spec):
            name = ref.get("name")
            if isinstance(name, str):
                yield name
        return
    if obj.kind == "Ingress" and (any(a in obj.annotations for a in CERT_MANAGER)
                                  or str(obj.annotations.get("kubernetes.io/tls-acme")).lower() == "true"):
        for tls in sequence(obj.spec.get("tls")):
            name = mapping(tls).get("secretName")
            if isinstance(name, str):
                yield name
    if obj.kind == "Role":
        for r in sequence(obj.raw.get("rules")):
            yield from (n for n in sequence(mapping(r).get("resourceNames")) if isinstance(n, str))
    pod = obj.pod
    if pod is not None:
        for c in pod.all_containers:
            yield from _flagged(sequence(c.raw.get("command")) + sequence(c.raw.get("args")))
            for env in sequence(c.raw.get("env")):
                env = mapping(env)
                name, value = env.get("name"), env.get("value")
                if isinstance(name, str) and isinstance(value, str) and _ABOUT.search(name):
                    yield from _WORD.findall(value)


def _workload_like(obj: K8sObject) -> bool:
    """A custom resource that runs pods (a DeploymentConfig, an Argo Rollout): it creates no Secret after its name."""
    template = mapping(obj.spec.get("template"))
    return isinstance(template.get("spec"), dict)


def _refs(value: Any) -> Iterator[dict[str, Any]]:
    """Mappings held under a `secretRef` or `target` key, anywhere in a YAML value."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("secretRef", "target") and isinstance(v, dict):
                yield v
            yield from _refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _refs(v)


class _Unit:
    """What the unit of a view holds and announces."""

    def __init__(self, ctx: Context) -> None:
        self.created: set[str] = set()  # Secrets and ConfigMaps something in the unit creates
        self.custom: set[str] = set()  # names of its custom resources
        self.by_name: dict[tuple[str, str], list[K8sObject]] = {}
        self.by_kind: dict[tuple[str, str | None], list[K8sObject]] = {}
        for obj in ctx.graph.objects:
            self.created.update(_created(obj))
            if not obj.builtin and not _workload_like(obj):
                self.custom.add(obj.name)
            self.by_name.setdefault((obj.kind, obj.name), []).append(obj)
            self.by_kind.setdefault((obj.kind, obj.namespace), []).append(obj)

    def operator_made(self, name: str) -> bool:
        """Whether ``name`` is derived from a custom resource's name, as operators name what they
        create: `<name>-...` (`db-app`, `kibana-kb-http`), `...<name>.` (`user.db.credentials...`)."""
        parts = name.split(".")
        return any(name.startswith(p + "-") or name.startswith(p + ".") for p in self.custom) or \
            any(p in self.custom for p in parts[1:])


def _describe_unit(obj: K8sObject) -> str:
    unit = obj.unit
    if unit.kind == "rendered":
        return "this rendered file"  # the finding's own file: naming it again says nothing
    what = f"{UNIT_KIND.get(unit.kind, 'the unit')} {unit.label}" if unit.label else "the unit"
    return what if unit.rendered else f"{what} (declared complete)"


def _checked(obj: K8sObject, edge: Edge) -> bool:
    """Whether the rule checks this reference at all."""
    if edge.kind not in EFFECT or edge.to is not None or edge.optional or edge.implicit:
        return False
    kind, _, name = edge.target
    if name in PROVIDED.get(kind, ()) or (kind != "Role" and not _DNS_NAME.fullmatch(name)):
        return False  # provided, or a placeholder (`<KSA_NAME>`, `${SA}`) to substitute first
    if edge.kind == "grants":
        return kind == "Role"
    if edge.kind == "scales":
        ref = mapping(obj.spec.get("scaleTargetRef"))
        group, _ = split_api_version(str(ref.get("apiVersion", "apps/v1")))
        return kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController") and is_builtin(kind, group)
    if edge.kind == "claims" and obj.kind == "StatefulSet":
        templates = {mapping(mapping(t).get("metadata")).get("name")
                     for t in sequence(obj.spec.get("volumeClaimTemplates"))}
        return name not in templates
    return True


def _instead(unit: _Unit, target: tuple[str, str | None, str]) -> str:
    """" (it holds ServiceAccount 'a', 'b'; did you mean 'a'?)": what the unit has of that kind there."""
    kind, namespace, name = target
    names = sorted({o.name for o in unit.by_kind.get((kind, namespace), ())})
    if not names:
        return ""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    shown = ", ".join(repr(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f" (it holds {kind} {shown}{f'; did you mean {close[0]!r}?' if close else ''})"


@rule(id="reference-missing", severity="warning", category="correctness",
      applies_to=WORKLOADS | {"Ingress", "HorizontalPodAutoscaler", "RoleBinding"},
      summary="A ConfigMap, Secret, PVC, ServiceAccount, Service, HPA target or Role that a complete unit "
              "(chart render, kustomize build, --complete) does not hold")
def check(obj: K8sObject, ctx: Context) -> Iterator[Finding]:
    if not ctx.is_complete(obj.unit):
        return
    edges = [e for e in ctx.graph.out_edges(obj) if _checked(obj, e)]
    if not edges:
        return
    unit = ctx.memo(("reference-missing", "unit"), lambda: _Unit(ctx))
    for edge in edges:
        kind, namespace, name = edge.target
        if (kind in ("Secret", "ConfigMap") and name in unit.created) or unit.operator_made(name):
            continue
        elsewhere = [o for o in unit.by_name.get((kind, name), ()) if o.namespace != namespace]
        if any(not (o.namespace_explicit and obj.namespace_explicit) for o in elsewhere):
            continue  # `apply -n` would put them in one namespace
        where = f" (only in namespace {elsewhere[0].namespace!r})" if elsewhere else _instead(unit, edge.target)
        yield Finding(edge.path, f"{obj.kind} {obj.name!r} {VERB[edge.kind]} {kind} {name!r}, but "
                                 f"{_describe_unit(obj)} holds no {kind} {name!r} in namespace "
                                 f"{namespace!r}{where}: {EFFECT[edge.kind]}")
