"""Diagnostics the tool itself reports: input it cannot read, its own failures, suppressions.

They are registered like rules (so ``k8slint explain``, SARIF and severity
settings treat them alike) but have no check function: the loader and the
engine emit them. This module is data: :data:`DIAGNOSTICS` lists them, and
the engine registers them with the rule pack.
"""

from __future__ import annotations

INVALID_YAML = """\
## What it does
Reports a file or document that cannot be read as YAML or JSON: a syntax
error, a tab used for indentation, a file that is not UTF-8 text, a binary
file, nesting deeper than 1,000 levels, a recursive alias, aliases that
expand far beyond the document's own size (a "billion laughs" bomb), a
mapping key that is itself a mapping (what `{{ .Values.x }}` looks like to a
YAML parser), a file too large to parse, or a path that is not a regular
file (a FIFO, a socket, a device, or a link to one such as `/dev/zero`),
which is never read.

A file that does not parse is reported when it looks like a manifest: a line
holds the key `apiVersion` or `kind` (unquoted at the start of the line, or
quoted as JSON writes it). Any other file that does not parse, such as a
`tsconfig.json` with comments, is not Kubernetes: it is skipped and counted
as a non-Kubernetes document. Standard input and rendered charts are always
reported.

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

MISSING_API_VERSION = """\
## What it does
Reports a document written as a Kubernetes object but for its `apiVersion`:
it names a kind (`kind: Deployment`, or a misspelt `Kind:`) and has a
`metadata` mapping, but its `apiVersion` is missing, empty, or misspelt
(`apiversion:`, `apiVerison:`, `api_version:`, `ApiVersion:`). A misspelt key
is reported at that key with the spelling Kubernetes reads; a missing one at
the document's first key, with the apiVersion that the kind has in the target
Kubernetes version (`--kube-version`) when it is a built-in kind.

Documents without a `metadata` mapping beside a kind (Helm values,
`Chart.yaml`, docker-compose files, CI workflows), or whose kind is not
written as Kubernetes writes kinds (`kind: pipeline`), are not objects: they
are skipped and counted as non-Kubernetes documents. So are kustomize's
`Kustomization` and `Component`, whose apiVersion kustomize fills in.

## Why is this bad?
Without an apiVersion the document names no API, so no rule can check it:
skipped as not Kubernetes at all, it would let the run pass. `kubectl apply`
rejects it (`apiVersion not set`), so the mistake would surface only at
deploy time.

## How to fix
Write the key as Kubernetes spells it, with the group and version of the kind:

```yaml
apiVersion: apps/v1   # was: apiversion: apps/v1
kind: Deployment
metadata:
  name: web
```

`kubectl api-resources` lists the apiVersion of every kind a cluster serves.
A document that another tool completes before it is applied can keep a
`# k8slint: ignore[missing-api-version] <reason>` comment on the finding's
line or the line above it (an `ignore.k8slint.io/` annotation does not
apply: the document is not an object yet).

## References
- Required fields of an object: https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields
- API groups and versioning: https://kubernetes.io/docs/reference/using-api/#api-groups
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

UNUSED_SUPPRESSION = """\
## What it does
Reports a suppression that silences nothing: an `ignore.k8slint.io/<rule>`
annotation or a `# k8slint: ignore[<rule>]` comment where that rule finds
nothing, one that names an unknown rule (a typo), or a configured exemption
that matches no finding.

## Why is this bad?
A stale suppression hides the next real finding of that rule in the same
place, and a misspelt rule id suppresses nothing while looking as if it did.
Removing suppressions that are no longer needed keeps every remaining one
meaningful.

## How to fix
Delete the suppression, or correct the rule id it names:

```yaml
metadata:
  annotations:
    ignore.k8slint.io/host-port: "the ingress controller binds 80 and 443 on every node"
```

## References
- Suppressions in k8slint: see "Suppressing findings" in the README
- The same idea in other linters, e.g. ruff's unused-noqa: https://docs.astral.sh/ruff/rules/unused-noqa/
"""

SUPPRESSION_WITHOUT_REASON = """\
## What it does
Reports a suppression that does not say why: an `ignore.k8slint.io/<rule>`
annotation with an empty value, or a `# k8slint: ignore[<rule>]` comment with
nothing after it. The suppression still applies.

## Why is this bad?
A finding was judged acceptable once, for a reason that only its author knew.
Without the reason nobody can tell later whether it still holds, and
reviewers cannot tell a deliberate exception from a silenced warning.

## How to fix
Write the reason as the annotation's value, or after the comment:

```yaml
metadata:
  annotations:
    ignore.k8slint.io/sa-token-automount: "the operator watches ConfigMaps through the API"
spec:
  replicas: 1  # k8slint: ignore[replicas-no-spread] single replica by design, state lives elsewhere
```

## References
- Kubernetes annotations: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
- Suppressions in k8slint: see "Suppressing findings" in the README
"""

EXEMPTION_EXPIRED = """\
## What it does
Reports an exemption in the configuration whose `until` date has passed. The
exemption no longer applies, so the findings it covered are reported again;
this finding, at the exemption's line, says why they came back.

## Why is this bad?
Exemptions with a date are promises ("until the migration is done"). When the
date passes, either the work was done and the exemption should go, or it was
not and the date should be reconsidered explicitly.

## How to fix
Remove the exemption if it is no longer needed, or set a new date with a
fresh reason:

```yaml
exemptions:
  - reason: "legacy batch host ports, removed with the Q3 migration"
    until: 2027-09-30
    kinds: [DaemonSet]
    rules: [host-port]
```

## References
- Configuration and exemptions in k8slint: see "Configuration" in the README
- Dates are ISO 8601 calendar dates: https://en.wikipedia.org/wiki/ISO_8601#Calendar_dates
"""

RENDER_FAILED = """\
## What it does
Reports a Helm chart or a kustomization that k8slint met in a walk of a
folder (or through a file inside it given by name, as pre-commit gives staged
files) and could not render: `helm template` or `kustomize build` failed, or
did not finish in time. The message holds the tool's own error. The finding
is on the chart's `Chart.yaml` or the folder's `kustomization.yaml`; the run
goes on with everything else. (A chart or kustomization folder given as an
argument that fails to render is a usage error instead: exit status 2.)

## Why is this bad?
What the chart or the overlay would apply was not checked at all. The same
error stops `helm install` or `kubectl apply -k` (a template that fails on its
default values, a resource path outside the kustomization's folder, a remote
base that cannot be fetched).

## How to fix
Run the command the message names and correct what it reports, or give the
values a chart needs (`-f values.yaml`, `--set`). A chart or kustomization
that is not meant to render on its own (a library chart, a component) can be
left out with the configuration's `exclude`:

```yaml
# .k8slint.yaml
exclude:
  - charts/common          # a library chart: rendered by the charts that use it
```

## References
- Helm: [helm template](https://helm.sh/docs/helm/helm_template/)
- Kustomize: [kustomize build](https://kubectl.docs.kubernetes.io/references/kustomize/cmd/build/)
"""

#: (id, severity, category, summary, documentation)
DIAGNOSTICS = (
    ("invalid-yaml", "error", "input", "A file or document that cannot be parsed", INVALID_YAML),
    ("duplicate-key", "error", "input", "A key repeated within one mapping", DUPLICATE_KEY),
    ("missing-api-version", "error", "input", "A document with a kind and metadata but no apiVersion",
     MISSING_API_VERSION),
    ("render-failed", "error", "input", "A chart or kustomization met in a walk that failed to render",
     RENDER_FAILED),
    ("internal-error", "error", "input", "A rule failed on an object", INTERNAL_ERROR),
    ("unused-suppression", "info", "input", "A suppression that matches no finding", UNUSED_SUPPRESSION),
    ("suppression-without-reason", "warning", "input", "A suppression that does not say why",
     SUPPRESSION_WITHOUT_REASON),
    ("exemption-expired", "warning", "input", "A configured exemption past its until date",
     EXEMPTION_EXPIRED),
)
