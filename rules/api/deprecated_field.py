"""## What it does
Flags a field, annotation, volume type, node label or kind that the target
Kubernetes version (`--kube-version`, by default the newest known)
deprecates or no longer honours, and names what replaces it. The finding
points at the field or annotation key (for a pod template, at the key in
the template's `metadata.annotations`). It covers:

- Services: `spec.topologyKeys` (deprecated in 1.21, removed in 1.22),
  `spec.loadBalancerIP` (deprecated in 1.24), the annotations
  `service.alpha.kubernetes.io/tolerate-unready-endpoints` (no effect since
  1.24; use `spec.publishNotReadyAddresses`) and
  `service.kubernetes.io/topology-aware-hints` (deprecated in 1.27 for
  `service.kubernetes.io/topology-mode`); `v1` Endpoints objects
  (deprecated in 1.33 for EndpointSlices);
- Ingresses: the `kubernetes.io/ingress.class` annotation (deprecated since
  1.18 for `spec.ingressClassName`);
- pod templates: the seccomp annotations
  `seccomp.security.alpha.kubernetes.io/pod` and
  `container.seccomp.security.alpha.kubernetes.io/<container>` (deprecated
  in 1.19, no effect since 1.27; use `securityContext.seccompProfile`),
  `container.apparmor.security.beta.kubernetes.io/<container>` (deprecated
  in 1.30; use `securityContext.appArmorProfile`),
  `scheduler.alpha.kubernetes.io/critical-pod` (no effect since 1.16; use
  `priorityClassName`), the `security.alpha.kubernetes.io/sysctls`
  annotations, and `spec.serviceAccount`, the deprecated alias of
  `spec.serviceAccountName`;
- volume types whose in-tree plugin was removed, in pods and
  PersistentVolumes: `gitRepo` (deprecated in 1.11, disabled by default in
  1.33, unsupported from 1.36), `photonPersistentDisk`, `scaleIO`,
  `flocker`, `storageos`, `quobyte`, `glusterfs`, `cephfs` and `rbd`;
- deprecated node labels in node selectors, node affinity, topology spread
  constraints and pod affinity topology keys (`beta.kubernetes.io/os`,
  `failure-domain.beta.kubernetes.io/zone`, ...);
- storage annotations: `volume.beta.kubernetes.io/storage-class` on claims,
  claim templates and PersistentVolumes (deprecated since 1.8),
  `volume.beta.kubernetes.io/mount-options` on PersistentVolumes
  (deprecated in 1.31).

A field that still works is reported from the release that deprecated it,
the release from which the API server warns about it or the API reference
marks it deprecated, and never before: at 1.29 a Service's
`topology-aware-hints` annotation is reported, at 1.26 it is not. From the
release that removes it, the message says so and what happens instead
(the field is dropped, the annotation is ignored, the pod does not start),
and the finding is an error instead of a warning.
The critical-pod and sysctls annotations, whose deprecation release is not
established, are reported from their removal only.

Stays silent for custom resources, for empty values (`loadBalancerIP: ""`),
and when the replacement is already set next to the old annotation, as
the API server judges it: the pod seccomp annotation when the pod sets
`securityContext.seccompProfile`, a container's seccomp annotation when
that container sets it, an AppArmor annotation when the pod or the
container sets `securityContext.appArmorProfile`, and
`tolerate-unready-endpoints` on a Service that sets
`spec.publishNotReadyAddresses`. Seccomp and AppArmor annotations on a
workload's own metadata, outside its pod template, never applied to pods
and are left alone. In-tree volume types that are redirected
to a CSI driver (`awsElasticBlockStore`, `azureDisk`, `gcePersistentDisk`,
...) keep working and are not reported.

## Why is this bad?
A removed field does nothing, and nothing says so at deploy time: the API
server drops an unknown field such as `topologyKeys`, an ignored seccomp
annotation leaves the containers without the profile it named, a
`tolerate-unready-endpoints` Service stops publishing pods that are not
ready, and a pod with a `glusterfs` or `gitRepo` volume never starts. A
deprecated field still works, often with a warning from the API server on
every apply, and is on its way out: controllers honour annotations such as
`kubernetes.io/ingress.class` only for backwards compatibility, and nodes
are not guaranteed to carry deprecated labels.

## How to fix
Use the replacement the message names, for example:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}        # no seccomp or AppArmor annotations
    spec:
      serviceAccountName: api   # not serviceAccount
      nodeSelector:
        kubernetes.io/os: linux # not beta.kubernetes.io/os
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: api
          image: registry.example.com/api:2.3.1
          securityContext:
            appArmorProfile:
              type: RuntimeDefault
```

## References
- Pod field and annotation warnings of the API server: https://github.com/kubernetes/kubernetes/blob/master/pkg/api/pod/warnings.go
- Restrict a container's syscalls with seccomp: https://kubernetes.io/docs/tutorials/security/seccomp/
- Restrict a container's access with AppArmor: https://kubernetes.io/docs/tutorials/security/apparmor/
- Ingress class, deprecated annotation: https://kubernetes.io/docs/concepts/services-networking/ingress/#deprecated-annotation
- Volume types (deprecated and removed plugins): https://kubernetes.io/docs/concepts/storage/volumes/
- Well-known labels, annotations and taints: https://kubernetes.io/docs/reference/labels-annotations-taints/
- Endpoints deprecation in 1.33: https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/
"""

from k8slint.engine import Finding, rule
from k8slint.kube import deprecations as dep
from k8slint.model import WORKLOADS, mapping, sequence
from k8slint.paths import YPath

ANNOTATIONS = YPath(("metadata", "annotations"))


def _value_at(raw, dotted: str):
    value = raw
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _is_set(value) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def message(what: str, status) -> str:
    row = status.row
    if status.removed:
        text = f"{what} was removed in Kubernetes {row.removed_in}"
        if row.effect:
            text += f": {row.effect}"
    else:
        text = f"{what} is deprecated since Kubernetes {row.deprecated_in}"
        if row.removed_in:
            text += f", removed in {row.removed_in}"
    text += f"; use {row.replacement}"
    if row.note and not status.removed:
        text += f" ({row.note})"
    return text


def _report(row, target, path, what):
    if row is None:
        return None
    status = dep.status(row, target)
    if status is None:
        return None
    return Finding(path, message(what, status), severity=status.severity)


# annotations -----------------------------------------------------------------------------

def _annotations(kind: str, annotations: dict, base: YPath, target, superseded=None):
    """Findings for the annotations of an object (or of a pod or claim template)."""
    for key in annotations:
        row = dep.annotation_row(kind, key)
        if row is None or (superseded is not None and superseded(row, key)):
            continue
        finding = _report(row, target, base / key, f"annotation {key!r}")
        if finding is not None:
            yield finding


def _pod_superseded(pod):
    """Whether the securityContext field that replaces a pod annotation is already set."""
    containers = {c.name: c for c in pod.all_containers}

    def superseded(row, key: str) -> bool:
        if not row.superseded_by:
            return False
        if not row.is_prefix or row.superseded_at_pod_level:
            if isinstance(_value_at(pod.spec, row.superseded_by), dict):
                return True
            if not row.is_prefix:
                return False
        container = containers.get(key[len(row.key) - 1:])  # the annotation key ends with the container name
        return container is not None and isinstance(_value_at(container.raw, row.superseded_by), dict)

    return superseded


def _object_superseded(obj):
    def superseded(row, key: str) -> bool:
        return bool(row.superseded_by) and _is_set(_value_at(obj.raw, row.superseded_by))

    return superseded


# node labels -----------------------------------------------------------------------------

def _selector_terms(terms, base: YPath):
    """(path of the key, key) of each matchExpressions entry of node selector terms."""
    for i, term in enumerate(sequence(terms)):
        for j, expression in enumerate(sequence(mapping(term).get("matchExpressions"))):
            key = mapping(expression).get("key")
            if isinstance(key, str):
                yield base / i / "matchExpressions" / j / "key", key


def _pod_node_labels(spec: dict, spec_path: YPath):
    """(path, label, where) of every node label a pod spec selects on."""
    for key in mapping(spec.get("nodeSelector")):
        yield spec_path / "nodeSelector" / key, key, "nodeSelector"
    affinity = mapping(spec.get("affinity"))
    node = mapping(affinity.get("nodeAffinity"))
    node_path = spec_path / "affinity" / "nodeAffinity"
    required = mapping(node.get("requiredDuringSchedulingIgnoredDuringExecution")).get("nodeSelectorTerms")
    for path, key in _selector_terms(
            required, node_path / "requiredDuringSchedulingIgnoredDuringExecution" / "nodeSelectorTerms"):
        yield path, key, "node affinity"
    for i, preferred in enumerate(sequence(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
        expressions = mapping(mapping(preferred).get("preference")).get("matchExpressions")
        base = node_path / "preferredDuringSchedulingIgnoredDuringExecution" / i / "preference"
        for j, expression in enumerate(sequence(expressions)):
            key = mapping(expression).get("key")
            if isinstance(key, str):
                yield base / "matchExpressions" / j / "key", key, "node affinity"
    for i, constraint in enumerate(sequence(spec.get("topologySpreadConstraints"))):
        key = mapping(constraint).get("topologyKey")
        if isinstance(key, str):
            yield spec_path / "topologySpreadConstraints" / i / "topologyKey", key, "topology spread constraint"
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = mapping(affinity.get(kind))
        base = spec_path / "affinity" / kind
        for i, term in enumerate(sequence(terms.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            key = mapping(term).get("topologyKey")
            if isinstance(key, str):
                yield base / "requiredDuringSchedulingIgnoredDuringExecution" / i / "topologyKey", key, kind
        for i, term in enumerate(sequence(terms.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            key = mapping(mapping(term).get("podAffinityTerm")).get("topologyKey")
            if isinstance(key, str):
                yield (base / "preferredDuringSchedulingIgnoredDuringExecution" / i / "podAffinityTerm"
                       / "topologyKey", key, kind)


def _node_labels(labels, target):
    for path, key, where in labels:
        finding = _report(dep.node_label_row(key), target, path, f"node label {key!r} (in {where})")
        if finding is not None:
            yield finding


def _service_account_context(row, spec: dict, value) -> str:
    if row.name != "pod-service-account":
        return ""
    name = spec.get("serviceAccountName")
    if name == value:
        return "; here it only repeats serviceAccountName: remove it"
    if _is_set(name):
        return f"; here serviceAccountName {name!r} wins and {value!r} is ignored"
    return ""


# places ----------------------------------------------------------------------------------

def _pod(pod, target):
    yield from _annotations(dep.POD_TEMPLATE, pod.annotations, pod.path / "metadata" / "annotations", target,
                            _pod_superseded(pod))
    for row in dep.field_rows(dep.FIELD, dep.POD_TEMPLATE):
        value = _value_at(pod.spec, row.key)
        if _is_set(value):
            finding = _report(row, target, pod.spec_path + tuple(row.key.split(".")), f"spec.{row.key}")
            if finding is not None:
                finding.message += _service_account_context(row, pod.spec, value)
                yield finding
    for volume in pod.volumes:
        for source in volume.raw:
            finding = _report(dep.volume_row(source), target, volume.path / source,
                              f"the {source} volume type (volume {volume.name!r})")
            if finding is not None:
                yield finding
    yield from _node_labels(_pod_node_labels(pod.spec, pod.spec_path), target)


def _persistent_volume(obj, target):
    spec = obj.spec
    for source in spec:
        finding = _report(dep.volume_row(source), target, ("spec", source),
                          f"the {source} volume type (PersistentVolume {obj.name!r})")
        if finding is not None:
            yield finding
    required = mapping(mapping(spec.get("nodeAffinity")).get("required")).get("nodeSelectorTerms")
    terms = _selector_terms(required, YPath(("spec", "nodeAffinity", "required", "nodeSelectorTerms")))
    yield from _node_labels(((path, key, "node affinity") for path, key in terms), target)


def _claim_templates(obj, target):
    for i, template in enumerate(sequence(obj.spec.get("volumeClaimTemplates"))):
        annotations = mapping(mapping(mapping(template).get("metadata")).get("annotations"))
        base = YPath(("spec", "volumeClaimTemplates", i, "metadata", "annotations"))
        yield from _annotations(dep.CLAIM_TEMPLATE, annotations, base, target)


@rule(scope="object", id="deprecated-field", severity="warning", category="correctness",
      applies_to=WORKLOADS | dep.kinds_with_fields(),
      summary="A field, annotation or volume type the target Kubernetes version deprecates or ignores")
def check(obj, ctx):
    if not obj.builtin:
        return
    target = ctx.kube_version
    row = dep.kind_row(obj.api_version, obj.kind)
    if row is not None:
        finding = _report(row, target, ("kind",), f"{obj.api_version} {obj.kind} ({obj.name!r})")
        if finding is not None:
            yield finding
    yield from _annotations(obj.kind, obj.annotations, ANNOTATIONS, target, _object_superseded(obj))
    for row in dep.field_rows(dep.FIELD, obj.kind):
        if _is_set(_value_at(obj.raw, row.key)):
            finding = _report(row, target, tuple(row.key.split(".")), f"field {row.key} of {obj.kind} {obj.name!r}")
            if finding is not None:
                yield finding
    pod = obj.pod
    if pod is not None:
        yield from _pod(pod, target)
    if obj.kind == "PersistentVolume":
        yield from _persistent_volume(obj, target)
    elif obj.kind == "StatefulSet":
        yield from _claim_templates(obj, target)
