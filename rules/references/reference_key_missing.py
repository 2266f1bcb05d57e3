"""## What it does
Flags a key that a pod template reads from a ConfigMap or Secret in the run
when that object does not have it:

- `env[].valueFrom.configMapKeyRef.key` and `secretKeyRef.key`;
- `items[].key` of a `configMap` or `secret` volume, and of the `configMap`
  and `secret` sources of a projected volume.

The keys of a ConfigMap are those of its `data` and `binaryData`, of a
Secret those of its `data` and `stringData`. The finding names the keys the
object does have, and the closest one when it looks like a typo.

Stays silent for references marked `optional: true` (the container starts
without the value), when the ConfigMap or Secret is not in the run (it may
live elsewhere), when it holds no `data`, `binaryData` or `stringData` at
all (its content is written by something else: a controller, an operator,
`kubectl create secret`), and for Secrets of type
`kubernetes.io/service-account-token`, whose keys the control plane adds.

## Why is this bad?
The kubelet resolves the keys when it starts the container. A missing
environment key leaves the container in `CreateContainerConfigError`
(`couldn't find key DB_PASSWORD in Secret shop/db`); a missing volume item
keeps the pod in `ContainerCreating` with `configmap references non-existent
config key`. `kubectl apply` accepts both, so the mistake shows only as pods
that never start, usually after a key was renamed in one file and not the
other.

## How to fix
Use a key the object has (or add it), or mark the reference optional if the
container can run without it:

```yaml
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db
        key: password          # the Secret's data has `password`, not `db-password`
```

## References
- Define container environment variables using ConfigMap data: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data
- Using Secrets as environment variables, optional Secrets: https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
- Projecting keys to specific paths (`items`): https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#add-configmap-data-to-a-specific-path-in-the-volume
"""

import difflib

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping, sequence, written_in
from k8slint.paths import value_at

FIELDS = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}


def _keys(target) -> set | None:
    """The keys of a ConfigMap or Secret, or None when it writes no content at all."""
    if target.kind == "Secret" and target.raw.get("type") == "kubernetes.io/service-account-token":
        return None  # the token controller adds token, ca.crt and namespace
    found = [target.raw.get(f) for f in FIELDS.get(target.kind, ()) if isinstance(target.raw.get(f), dict)]
    if not found:
        return None
    return {k for part in found for k in part if isinstance(k, str)}


def _wanted(obj, edge):
    """(path of the key, key) for each key the reference reads."""
    ref_path = edge.path.parent  # the mapping that holds `name`/`secretName`
    ref = mapping(value_at(obj.raw, ref_path))
    if edge.kind == "env":
        if isinstance(ref.get("key"), str):
            yield ref_path / "key", ref["key"]
        return
    for i, item in enumerate(sequence(ref.get("items"))):
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            yield ref_path / "items" / i / "key", item["key"]


@rule(id="reference-key-missing", severity="error", category="correctness", applies_to=WORKLOADS,
      summary="A ConfigMap or Secret key a pod reads that the object in the run does not have", needs="pod",
      marks_edges=True)
def check(obj, ctx):
    for edge in ctx.graph.out_edges(obj):
        if edge.kind not in ("env", "mounts") or edge.optional or edge.to is None:
            continue
        keys = _keys(edge.to)
        if keys is None:
            continue
        for path, key in _wanted(obj, edge):
            if key in keys:
                continue
            close = difflib.get_close_matches(key, sorted(keys), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            has = ", ".join(repr(k) for k in sorted(keys)[:8]) + (" ..." if len(keys) > 8 else "") \
                if keys else "no keys"
            effect = ("the container never starts (CreateContainerConfigError)" if edge.kind == "env" else
                      "the volume cannot be set up, so the pod stays in ContainerCreating")
            yield Finding(path, f"{edge.to.kind} {edge.to.name!r} ({written_in(edge.to)}) has no key {key!r}"
                                f"{hint}; it has {has}: {effect}", edges=[(edge, f"no key {key!r}")])
