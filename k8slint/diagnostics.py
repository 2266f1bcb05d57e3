"""Diagnostics the tool itself reports: input it cannot read, and its own failures.

They are registered like rules (so ``k8slint explain``, SARIF and severity
settings treat them alike) but have no check function: the loader and the
engine emit them.
"""

from __future__ import annotations

from .engine import REGISTRY, Rule

INVALID_YAML = """\
## What it does
Reports a file or document that cannot be read as YAML or JSON: a syntax
error, a tab used for indentation, a file that is not UTF-8 text, a binary
file, nesting deeper than 1,000 levels, a recursive alias, aliases that
expand far beyond the document's own size (a "billion laughs" bomb), a
mapping key that is itself a mapping (what `{{ .Values.x }}` looks like to a
YAML parser), or a file too large to parse.

## Why is this bad?
`kubectl apply` rejects the file, so nothing in it is applied; a CI job that
skips unparsable files silently passes with nothing checked. k8slint reports
the error at the parser's position, keeps linting every other file, and still
reads the documents that follow the broken one (after the next `---`).

## How to fix
Correct the syntax at the reported line. If the message says the file looks
like an unrendered Helm template, lint what Helm renders instead of the raw
template:

```sh
helm template my-release ./chart | k8slint -
```

## References
- YAML 1.1 specification: https://yaml.org/spec/1.1/
- Kubernetes reads YAML with sigs.k8s.io/yaml (go-yaml v2): https://github.com/kubernetes-sigs/yaml
"""

DUPLICATE_KEY = """\
## What it does
Reports a key that appears twice in the same mapping of a Kubernetes object.

## Why is this bad?
YAML forbids duplicate keys, but most parsers quietly keep the last value:
the first value is dead text that a reviewer will believe is in effect.
`kubectl apply` with strict field validation (the default since Kubernetes
1.27) rejects the object with `duplicate field`.

## How to fix
Keep one of the two keys, with the value you mean:

```yaml
metadata:
  labels:
    app: web        # was listed twice
```

## References
- Kubernetes field validation: https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
"""

INTERNAL_ERROR = """\
## What it does
Reports that a rule raised an exception on an object. The other rules still
run on that object, and the rule still runs on every other object.

## Why is this bad?
The rule could not check this object, so a problem may go unreported. It is a
bug in the rule (built-in or your own `--rules-dir`), not in the manifest.

## How to fix
Report the message (it names the rule, the exception and the line of the rule
that failed) together with the object. Until it is fixed you can disable the
rule for that object.

## References
- k8slint rule authoring: see "Writing a rule" in the README
"""

for _id, _summary, _doc in (
        ("invalid-yaml", "A file or document that cannot be parsed", INVALID_YAML),
        ("duplicate-key", "A key repeated within one mapping", DUPLICATE_KEY),
        ("internal-error", "A rule failed on an object", INTERNAL_ERROR)):
    REGISTRY.register(Rule(id=_id, severity="error", category="input", summary=_summary, doc=_doc,
                           module=__name__))
