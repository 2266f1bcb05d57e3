"""## What it does
Validates every object against the API schema of the target Kubernetes
version (`--kube-version`), strictly, as `kubectl apply` with strict field
validation does: unknown fields (typos like `livenessprobe` or `replica`),
wrong types (`replicas: "two"`, an environment variable `value: 8080`, an
annotation `true`), missing required fields (a container without `name`, a
Service port without `port`) and values outside an enumeration. Each problem
is one finding, at the offending key (a missing field: at the mapping that
lacks it), with a suggestion for near-miss field names.

Built-in kinds use the OpenAPI-derived schemas bundled with
kubernetes-validate for each Kubernetes version. Custom resources are
validated against the `openAPIV3Schema` of their CustomResourceDefinition when
the CRD is in the linted files or given with `--crds`, with the API server's
structural-schema rules (`x-kubernetes-preserve-unknown-fields`,
`x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource`, defaults
before validation, and `null` values of fields that are not `nullable`
pruned before validation, as the apiextensions server does: a custom
resource with `tolerations: null` is accepted, not rejected). Objects whose kind no schema describes are skipped (see
`schema-unknown-kind`); API versions the target version no longer serves are
`deprecated-api-version`'s business.

## Why is this bad?
The API server rejects the object, or, without strict validation, silently
drops the unknown field: a misspelled `livenessprobe` leaves the container
with no liveness probe at all, and nothing says so. YAML makes type slips
easy: `value: 8080` or `value: yes` are a number and a boolean, not strings,
and `kubectl` refuses them.

## How to fix
Correct the field name, quote values that must be strings, add the missing
field:

```yaml
containers:
  - name: web                      # required
    image: registry.example.com/web:1.4.2
    livenessProbe:                 # not livenessprobe
      httpGet: {path: /healthz, port: 8080}
    env:
      - name: PORT
        value: "8080"              # a string, quoted
```

## References
- Kubernetes API reference: https://kubernetes.io/docs/reference/kubernetes-api/
- Server-side field validation: https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
- Structural schemas of CustomResourceDefinitions: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
- kubernetes-validate (the bundled schemas): https://github.com/willthames/kubernetes-validate
"""

from k8slint.engine import Finding, rule
from k8slint.kube import schemas

from ._schema import custom_resources, source_token


_PATCH_DIRECTIVES = ("$patch", "$setElementOrder/", "$retainKeys", "$deleteFromPrimitiveList/")


def _is_patch(value) -> bool:
    """Whether a value holds strategic-merge-patch directives anywhere."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(isinstance(k, str) and k.startswith(_PATCH_DIRECTIVES) for k in node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


#: where a finding about excessive nesting anchors: this deep into the offending branch
MAX_REPORTED_DEPTH = 32


def _deepest(value) -> tuple[int, tuple]:
    """(depth, path) of the most deeply nested value, without recursion."""
    best: tuple[int, tuple] = (0, ())
    stack: list[tuple[object, tuple]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > best[0]:
            best = (len(path), path)
        if isinstance(node, dict):
            stack.extend((v, path + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(node))
    return best


@rule(id="schema-violation", severity="error", category="correctness",
      summary="An object the API server's schema rejects")
def check(obj, ctx):
    builtin = schemas.builtin(ctx.kube_version)
    validator = builtin.validator(obj.api_version, obj.kind)
    allowed = (lambda e: builtin.properties_at(list(e.schema_path)))
    prune = None
    if validator is None:
        crds = custom_resources(ctx)
        if not crds.knows(obj.api_version, obj.kind):
            return
        validator = crds.validator(obj.api_version, obj.kind)
        if validator is None:
            return
        allowed = (lambda e: crds.properties_at(obj.api_version, obj.kind, list(e.instance_path)))
        prune = crds.without_pruned_nulls
    try:
        instance = prune(obj.api_version, obj.kind, obj.raw) if prune is not None else obj.raw
        errors = list(validator.iter_errors(instance))
    except (RecursionError, ValueError) as err:  # the validator's "Recursion limit reached" is a ValueError
        if isinstance(err, ValueError) and "recursion" not in str(err).lower():
            raise
        depth, path = _deepest(obj.raw)
        yield Finding(path[:MAX_REPORTED_DEPTH], f"the object nests {depth} levels deep, too deep to check against "
                                                 "the API schema (no Kubernetes field nests anywhere near this far)",
                      severity="warning")
        return
    if errors and _is_patch(obj.raw):
        return  # a kustomize strategic-merge patch, not a whole object
    for path, message in schemas.explain(errors, instance, allowed, source_token(obj), written=obj.raw):
        yield Finding(path, message)
