"""Shared by the rules about selectors: the labels pods carry, and pods that an operator creates.

Not a rule (the leading underscore keeps the engine from loading it as one).
"""

from __future__ import annotations

from collections.abc import Iterable

from k8slint.kube.selectors import controller_label_matches, controller_pod_labels
from k8slint.model import mapping


def carries(workload, key, value) -> bool:
    """Whether the workload's pods carry ``key=value``, counting the labels their controller adds."""
    labels = workload.pod.labels
    if key in labels:
        return labels[key] == value
    expected = controller_pod_labels(workload).get(key)
    return expected is not None and controller_label_matches(expected, value)


def closest(workloads, wanted) -> str | None:
    """"closest: <workload>, which has <its values>": the workload whose pods carry most of the
    ``wanted`` (key, value) pairs (then most of their keys), and what it has for the others;
    None when no pod template carries any of the keys."""
    best, best_score = None, (0, 0)
    for w in workloads:
        labels = w.pod.labels
        score = (sum(1 for k, v in wanted if carries(w, k, v)), sum(1 for k, _ in wanted if k in labels))
        if score > best_score:
            best, best_score = w, score
    if best is None:
        return None
    labels = best.pod.labels
    differs = [f"{k}={labels[k]}" if k in labels else f"no {k}" for k, v in wanted if not carries(best, k, v)]
    return f"closest: {best.kind} {best.name!r}, which has {', '.join(differs)}"


def operator_managed(ctx, namespace, labels: dict, names: Iterable = ()) -> bool:
    """Whether a custom resource in the namespace may create the pods a selector wants: one whose
    ``spec.template`` labels carry all of ``labels`` (an Argo Rollout), or one named like a value
    in ``names`` (operators label their pods with the resource's name: CloudNativePG,
    Elasticsearch, LeaderWorkerSet...)."""
    names = set(names)
    for obj in ctx.graph.custom_objects(namespace):
        if obj.name in names:
            return True
        template = mapping(mapping(mapping(obj.spec.get("template")).get("metadata")).get("labels"))
        if template and labels and all(template.get(k) == v for k, v in labels.items()):
            return True
    return False
