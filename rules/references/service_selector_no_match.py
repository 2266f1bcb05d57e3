"""## What it does
Flags a Service whose `spec.selector` matches the pods of no workload
(Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
CronJob or Pod) in its namespace, when that namespace has at least one
workload among the linted files (in any file of the run). The finding names
the selector labels that no pod carries and, when one exists, the workload
that comes closest (the most matching labels) and what it has instead.

A pod's labels are its template's plus those its controller adds:
`pod-template-hash` (Deployment), `controller-revision-hash`,
`statefulset.kubernetes.io/pod-name: <name>-<ordinal>` and
`apps.kubernetes.io/pod-index` (StatefulSet), `controller-revision-hash` and
`pod-template-generation` (DaemonSet), `job-name`,
`batch.kubernetes.io/job-name`, `controller-uid` and
`batch.kubernetes.io/job-completion-index` (Job, and the Jobs of a CronJob,
named `<cronjob>-<time>`). Generated values (hashes, UIDs) match any value.

Info, not a warning, when no workload of the namespace even carries one of
the selector's label keys, or one spelled nearly the same (a mistyped key
stays a warning): the Service selects `app.kubernetes.io/name`,
the namespace's workloads in the run label their pods `app`. In a shared
namespace (`monitoring`, `kube-system`) that usually means the pods come
from another chart or repository, not that a label was mistyped.

In a complete unit (a chart render, a kustomize build, a rendered file, or
a folder with `--complete`) the namespace needs no workload of its own: a
Service whose render holds no workload for it is reported too, and the info
grade for foreign label keys does not apply (the unit holds every pod).

Stays silent for Services without a selector (their endpoints are managed by
hand or by another controller), for `type: ExternalName` Services, when the
namespace has no workload in the linted files outside a complete unit (the
pods are defined elsewhere), when the pods may come from an operator: a custom resource in the
namespace whose `spec.template` labels match (an Argo Rollout) or whose name
is one of the selector's values (CloudNativePG, Elasticsearch, Redis or
LeaderWorkerSet resources label their pods with their own name), and when a
selector value is not a valid label value (a non-string, an unrendered
`${VAR}`: schema validation reports those).

## Why is this bad?
A Service routes to the ready pods whose labels include every key and value
of its selector. When none match, the Service gets no endpoints: clients
resolve its DNS name and then get `connection refused` or time out, Ingress
controllers answer 503, and nothing in `kubectl apply` warns about it. The
usual causes are a typo, a label renamed on the Deployment but not on the
Service, or a selector copied from another chart (`app` vs
`app.kubernetes.io/name`).

## How to fix
Make the selector a subset of the pod template's labels (not of the
Deployment's own `metadata.labels`):

```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app.kubernetes.io/name: web        # the same as in the pod template below
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
```

## References
- Service, defining a Service (the selector picks the pods): https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
- Services without selectors: https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
- Debug Services, does the Service have any Endpoints?: https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints
"""

import difflib
import re

from k8slint.engine import Finding, rule
from k8slint.kube.selectors import CONTROLLER_LABELS, controller_pod_labels
from ._pods import carries, closest, operator_managed


_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?\Z")


def _mistyped(key: str, other: str) -> bool:
    """Whether ``key`` looks like a misspelling of the label key ``other``: the same prefix and a
    name spelled nearly the same (``app.kubernetes.io/nmae``), or the other way round."""
    prefix, _, name = key.rpartition("/")
    other_prefix, _, other_name = other.rpartition("/")
    if prefix == other_prefix:
        return difflib.SequenceMatcher(None, name, other_name).ratio() >= 0.75
    return name == other_name and difflib.SequenceMatcher(None, prefix, other_prefix).ratio() >= 0.8


def _unit(obj) -> str:
    """How a message names the complete unit the Service is in."""
    unit = obj.unit
    if unit.kind == "rendered":
        return "this rendered file"
    name = {"helm template": "the chart render", "kustomize build": "the kustomize build"}.get(unit.kind)
    return f"{name} {unit.label}" if name else f"the folder {unit.label or '.'} (declared complete)"


class _Pods:
    """What the pod templates of one namespace carry, indexed once per namespace (and view of the
    graph) however many Services select there."""

    def __init__(self, workloads) -> None:
        self.workloads = workloads
        self._closest: dict = {}
        self.by_pair: dict = {}  # (key, value) -> positions (in workloads) whose template labels have it
        self.by_controller: dict = {}  # key -> positions whose controller alone adds that label
        self.by_key: dict = {}  # key -> positions that carry the key at all
        for i, w in enumerate(workloads):
            labels = w.pod.labels
            for k, v in labels.items():
                if isinstance(v, (str, int, float, bool)):
                    self.by_pair.setdefault((k, v), []).append(i)
                self.by_key.setdefault(k, []).append(i)
            for k in controller_pod_labels(w):
                if k not in labels:
                    self.by_controller.setdefault(k, []).append(i)
                    self.by_key.setdefault(k, []).append(i)

    def matches(self, key, value) -> list:
        """Positions of the pod templates that carry ``key=value`` (as :func:`carries` decides)."""
        found = list(self.by_pair.get((key, value), ()))
        found += [i for i in self.by_controller.get(key, ()) if carries(self.workloads[i], key, value)]
        return found

    def carried(self, key, value) -> bool:
        """Whether some pod template carries ``key=value``."""
        return bool(self.matches(key, value))

    def closest(self, wanted: tuple):
        """:func:`closest`, looking only at the pod templates that can win: those that carry one of
        the pairs, else the first with the most of the keys."""
        if wanted not in self._closest:
            near = sorted({i for k, v in wanted for i in self.matches(k, v)})
            if not near:
                counts: dict = {}
                for k, _ in wanted:
                    for i in self.by_key.get(k, ()):
                        counts[i] = counts.get(i, 0) + 1
                if counts:
                    most = max(counts.values())
                    near = [min(i for i, n in counts.items() if n == most)]
            self._closest[wanted] = closest([self.workloads[i] for i in near], wanted)
        return self._closest[wanted]

    @property
    def keys(self):
        """The label keys the pods carry, controller labels included."""
        return self.by_key.keys()


def _labels(pairs) -> str:
    return ", ".join(f"{k}={v}" for k, v in pairs)


@rule(id="service-selector-no-match", severity="warning", category="correctness", applies_to={"Service"},
      summary="A Service whose selector matches no pod template in its namespace")
def check(obj, ctx):
    spec = obj.spec
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not selector or spec.get("type") == "ExternalName":
        return
    if not all(isinstance(k, str) and isinstance(v, str) and _LABEL_VALUE.match(v) for k, v in selector.items()):
        return  # not a valid selector (or an unrendered template): schema validation reports it
    if ctx.graph.out_degree(obj, "selects"):
        return
    pods = ctx.memo(("service-selector-no-match", obj.namespace),
                    lambda: _Pods(ctx.graph.workloads(obj.namespace)))
    workloads = pods.workloads
    complete = ctx.is_complete(obj.unit)
    if not workloads and not complete:
        return  # the pods are defined elsewhere
    wanted = tuple(selector.items())
    if any(k in CONTROLLER_LABELS for k in selector) \
            and any(all(carries(w, k, v) for k, v in wanted) for w in workloads):
        return  # (without controller labels, the graph's `selects` edges already said no)
    if operator_managed(ctx, obj.namespace, dict(wanted), (v for _, v in wanted)):
        return
    if not workloads:
        yield Finding(("spec", "selector"), f"Service {obj.name!r} selects {_labels(wanted)}, but "
                                            f"{_unit(obj)} holds no workload in namespace {obj.namespace!r}: "
                                            "the Service has no endpoints")
        return
    unmatched = [(k, v) for k, v in wanted if not pods.carried(k, v)]
    if unmatched and len(unmatched) < len(wanted):
        what = f"no pod template has {_labels(unmatched)}"
    elif unmatched:
        what = f"no pod template has any of {_labels(unmatched)}"
    else:
        what = "each label is on some pod template, but none has them all"
    message = (f"Service {obj.name!r} selects {_labels(wanted)}, but no workload in namespace "
               f"{obj.namespace!r} matches ({what}); the Service has no endpoints")
    near = pods.closest(wanted)
    if near is not None:
        message += f"; {near}"
    keys = pods.keys
    if not complete and not any(k in keys or any(_mistyped(k, key) for key in keys) for k, _ in wanted):
        # no pod of the namespace's workloads even carries the selector's keys: the pods are most likely
        # defined elsewhere (another chart or repository sharing the namespace), not mislabelled here
        yield Finding(("spec", "selector"), message + "; no workload here uses the selector's label keys, so "
                      "its pods may be defined elsewhere", severity="info")
        return
    yield Finding(("spec", "selector"), message)
