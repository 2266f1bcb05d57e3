"""## What it does
Flags an object defined twice in one unit: the same kind (and API group, for
custom resources), namespace and name in what would be applied together (a
plain folder, a chart render, a kustomize build, a file of rendered output).
The finding is at the second definition (and each later one) and names the
first. Two definitions with different contents in one file (or one render)
are a warning. Two identical definitions are reported at info, and so are two
definitions in different files of a plain folder: a folder of alternatives
(one file per environment or per example, each applied on its own) looks
the same as a folder applied as a whole.

Stays silent for duplicates across units (two renders of one chart in one
folder are alternatives, not one cluster), for objects named by
`generateName` (the API server makes each name unique), for objects without a
name (schema validation reports those), and for Helm hooks (objects annotated
`helm.sh/hook` are created at their hook's time, outside the release's
manifest).

## Why is this bad?
The API server holds one object per kind, namespace and name. `kubectl apply
-f folder/` applies both definitions in turn and the later one silently
replaces the first: whatever the first said (a replica count, a ConfigMap key,
a ServiceAccount setting) is gone, and which one wins depends on file order.
`helm install` stops with "already exists" on a chart that renders one object
twice, and `kustomize build` refuses a resource with an already registered id.
The usual causes are a file copied to start a new one and not renamed, two
subcharts that ship the same object, and an overlay that adds a resource its
base already has.

## How to fix
Keep one definition; rename the copy if both are meant to exist:

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings          # was "settings", the name of another ConfigMap
data:
  LOG_LEVEL: info
```

To keep several variants of the same objects (one per environment) in one
folder, render them to separate files with Helm's `# Source:` comments, or
put them in separate folders: each is then a unit of its own.

## References
- Kubernetes: [Object names and IDs](https://kubernetes.io/docs/concepts/overview/working-with-objects/names/)
- Kubernetes: [Declarative management with `kubectl apply`](https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/)
- Helm: [install fails when a chart has duplicate resources (helm/helm#2947)](https://github.com/helm/helm/issues/2947)
"""

from k8slint.engine import Finding, rule
from k8slint.load import locate
from k8slint.model import written_in

HOOK = "helm.sh/hook"


def _where(obj) -> str:
    doc = obj.document
    if doc.origin or doc.template:
        return written_in(obj)
    line = locate(doc, tuple(obj.base))[0] if obj.base else doc.start_line + 1
    return f"{doc.source.display}:{line}"


def _same_object(a, b) -> bool:
    return a.builtin == b.builtin and (a.builtin or a.group == b.group)


@rule(id="duplicate-object", severity="warning", category="correctness",
      summary="The same object is defined twice in what is applied together")
def check(obj, ctx):
    if not obj.name or obj.name.endswith("*") or HOOK in obj.annotations:
        return
    same = [o for o in ctx.graph.same_key(obj) if _same_object(o, obj) and HOOK not in o.annotations]
    if len(same) < 2 or same[0] is obj:
        return
    first = same[0]
    ns = f" in namespace {obj.namespace!r}" if obj.namespace and obj.namespace_explicit else ""
    unit = obj.unit.label or "this run"
    what = f"{obj.kind} {obj.name!r}{ns} is already defined in {unit} (at {_where(first)})"
    if first.raw == obj.raw:
        yield Finding(("metadata", "name"), f"{what}, identically; keep one", severity="info")
        return
    helm = "; helm install refuses a chart that renders it twice" if obj.document.template else ""
    message = f"{what}, with different contents: applied together, the later one silently replaces the first"
    if first.document.source is obj.document.source:
        yield Finding(("metadata", "name"), message + helm)
    else:  # two files of one folder: maybe alternatives, each applied on its own
        yield Finding(("metadata", "name"), message + "; if the files are alternatives, each applied on its "
                      "own, keep them in separate folders", severity="info")
