"""The rule engine: each active rule over the objects it applies to.

The engine knows nothing about any rule in particular: it takes the rules
the registry holds (:mod:`k8slint.registry`), runs each on the objects of the
kinds it declares (with the graph as that object's unit sees it), and turns
every finding's path into a file, line and column.

Rule authors import what they need from here: :func:`rule`, :class:`Option`,
:class:`Finding`, and :class:`Context` for annotations.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from .findings import Finding, Related, Result, object_identity
from .flat import flat, rebuilt_result
from .kept import Place, rebuilt
from .load import locate, locate_in_scalar
from .model import K8sObject, object_path
from .paths import YPath, render
from .registry import CATEGORIES, DOC_SECTIONS, RANK, REGISTRY, SEVERITIES, Option, Profile, Registry, Rule, rule
from .rulepack import BUILTIN_PACKAGE, import_rule_package, load_builtin_rules, load_rules_directory
from .settings import Settings

if TYPE_CHECKING:
    from .graph import Graph, GraphView
    from .kept import KeptFindings
    from .units import Unit

__all__ = ["BUILTIN_PACKAGE", "CATEGORIES", "DOC_SECTIONS", "RANK", "REGISTRY", "SEVERITIES", "Context", "Finding",
           "Option", "Policy", "Profile", "Registry", "Result", "Rule", "Settings", "import_rule_package",
           "load_builtin_rules", "load_rules_directory", "object_identity", "rule", "run_rules"]

T = TypeVar("T")


class Context:
    """What a rule sees besides its object: the graph as that object sees it
    (``graph``: its unit's objects and what other units show it; ``run_graph``:
    the whole run), its options, the target version, and ``cache``, a per-run
    dict where rules keep what they compute once (e.g. schemas learnt from
    CRDs)."""

    __slots__ = ("_graph", "_run_graph", "options", "kube_version", "default_namespace", "rule", "_cache", "_complete",
                 "read_run")

    def __init__(self, graph: Graph, kube_version: tuple[int, ...], default_namespace: str = "default",
                 complete: bool = False) -> None:
        self._graph: Graph | GraphView = graph
        self._complete = complete  # plain folders are complete too (--complete)
        self._run_graph = graph
        # set when the rule being run reads anything beyond its object (the graph, the units, the shared
        # cache): what it finds in that object then depends on the run, and is not kept (k8slint.kept)
        self.read_run = False
        self.kube_version = kube_version
        self.default_namespace = default_namespace
        self.options: dict[str, Any] = {}
        self.rule: Rule | None = None
        self._cache: dict[Hashable, Any] = {}

    @property
    def graph(self) -> Graph | GraphView:
        self.read_run = True
        return self._graph

    @graph.setter
    def graph(self, graph: Graph | GraphView) -> None:
        self._graph = graph

    @property
    def run_graph(self) -> Graph:
        self.read_run = True
        return self._run_graph

    @property
    def complete(self) -> bool:
        self.read_run = True
        return self._complete

    @property
    def cache(self) -> dict[Hashable, Any]:
        self.read_run = True
        return self._cache

    def is_complete(self, unit: Unit) -> bool:
        """Whether ``unit`` holds every object its manifests reference: a chart render, a
        kustomize build or a rendered file always; a folder (or standard input) with --complete."""
        self.read_run = True
        return unit.rendered or self._complete

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per run for each view of the graph (what it
        computes from ``graph`` holds for the objects that share that view)."""
        slot = (id(self.graph), key)
        if slot not in self.cache:
            self.cache[slot] = compute()
        found: T = self.cache[slot]
        return found


class Policy(Protocol):
    """Decides per object for the rules it governs (Pod Security levels set on namespaces)."""

    def governs(self, rule: Rule) -> bool: ...

    def decide(self, rule: Rule, obj: K8sObject, active: bool, severity: str) -> str | None: ...


def run_rules(objects: Iterable[K8sObject], registry: Registry, settings: Settings, ctx: Context,
              policy: Policy | None = None, jobs: int = 1, kept: KeptFindings | None = None) -> list[Result]:
    """Run every active rule on the objects of its kinds.

    ``policy``, if given, decides per object for the rules it governs
    (``policy.governs(rule)``): ``policy.decide(rule, obj, active, severity)``
    returns the severity to run the rule at for that object, or None to skip
    it. Pod Security Standards levels set on namespaces work this way.

    With ``jobs`` above 1 and enough objects, the objects are split in that
    many runs of consecutive objects, each checked in its own process
    (:mod:`k8slint.parallel`); the results are the same, in the same order.
    ``kept`` (:class:`k8slint.kept.KeptFindings`) serves and keeps what the
    rules of scope "object" find.
    """
    objects = list(objects)
    from .parallel import MIN_RULE_OBJECTS, run_parts, split

    if jobs <= 1 or len(objects) < MIN_RULE_OBJECTS:
        found = _run_rules(objects, registry, settings, ctx, policy, kept)
        if kept is not None:
            kept.save()
        return found
    # a pod template costs the rules about five times what another object does
    parts = split([5 if obj.pod is not None else 1 for obj in objects], jobs)
    index = {id(obj): i for i, obj in enumerate(ctx.run_graph.objects)}

    def work(part: int) -> list[Result] | list[tuple[Any, ...]]:
        found = _run_rules([objects[i] for i in parts[part]], registry, settings, ctx, policy, kept)
        if kept is not None:
            kept.save()  # each process writes what it found
        return found if part == 0 else [flat(r, index) for r in found]  # children send plain values

    results: list[Result] = []
    everything = ctx.run_graph.objects
    identities: dict[int, dict[str, Any]] = {}  # one identity per object, shared by its results as in a serial run
    for part, answer in enumerate(run_parts(work, len(parts))):
        if part == 0:
            results.extend(cast("list[Result]", answer))
        else:
            results.extend(rebuilt_result(cast("tuple[Any, ...]", item), everything, identities) for item in answer)
    return results


def _run_rules(objects: list[K8sObject], registry: Registry, settings: Settings, ctx: Context,
               policy: Policy | None, kept: KeptFindings | None = None) -> list[Result]:
    by_type: dict[str, list[Rule]] = {}
    universal: list[Rule] = []
    governed = {r.id for r in registry if policy is not None and r.check is not None and policy.governs(r)
                and r.id not in settings.disabled}
    active = [r for r in registry if r.check is not None and (settings.is_active(r, registry) or r.id in governed)]
    for r in active:
        if r.applies_to is None:
            universal.append(r)
        else:
            for t in r.applies_to:
                by_type.setdefault(t, []).append(r)
    options = {r.id: settings.options_for(r) for r in active}
    severity = {r.id: settings.severity_of(r) for r in active}
    # what a rule of scope "object" found is kept under its id and options (see k8slint.kept)
    kept_key = {r.id: f"{r.id}\0{sorted(options[r.id].items())!r}" for r in active if r.scope == "object"}
    results: list[Result] = []
    graph = ctx.run_graph

    def place_of(obj: K8sObject, path: YPath) -> tuple[int, int, bool]:
        """:func:`locate`, asking the places kept from an earlier run of the same text first."""
        full = object_path(obj, path)
        if kept is None:
            return locate(obj.document, full)
        place = kept.place(obj, full)
        if place is None:
            place = locate(obj.document, full)
            kept.record(obj, full, place)
        return place

    for obj in objects:
        rules: list[Rule] = by_type.get(obj.type_name, [])
        if universal:
            rules = rules + universal
        if not rules:
            continue
        ctx.graph = graph.view_for(obj)
        doc = obj.document
        identity = None
        stored = kept.get(obj) if kept is not None else None
        for r in rules:
            if r.check is None or (r.needs == "pod" and obj.pod is None):
                continue
            decided = None
            if policy is not None and r.id in governed:
                decided = policy.decide(r, obj, settings.is_active(r, registry), severity[r.id])
                if decided is None:
                    continue
            ctx.options = options[r.id]
            ctx.rule = r
            ctx.read_run = False
            key = kept_key.get(r.id) if stored is not None else None
            places: list[Place] | None = None  # where the kept findings are (their document is the same text)
            keep = False
            try:
                if key is not None and key in cast("dict[str, Any]", stored):
                    findings, places = rebuilt(cast("dict[str, Any]", stored)[key])
                else:
                    findings = list(r.check(obj, ctx) or ())
                    keep = key is not None and not ctx.read_run  # what it found depends on this object alone
            except Exception as err:  # a broken rule must not stop the run
                frame = traceback.extract_tb(err.__traceback__)[-1]
                findings = [Finding((), f"rule {r.id} failed on this object: {type(err).__name__}: {err} "
                                        f"(at {os.path.basename(frame.filename)}:{frame.lineno}); "
                                        "this is a bug in the rule, please report it")]
                rule_id, sev = "internal-error", "error"
            else:
                rule_id, sev = r.id, decided if decided is not None else severity[r.id]
            configured = r.id in settings.severity
            found_places: list[Place] = []
            for i, f in enumerate(findings):
                if identity is None:
                    identity = object_identity(obj)
                if places is not None:
                    (line, column, exact), related_at = places[i]
                else:
                    line, column, exact = place_of(obj, f.path) if f.at is None \
                        else locate_in_scalar(doc, object_path(obj, f.path), *f.at)
                    related_at = [place_of(obj, path)[:2] for path, _ in f.related]
                    found_places.append(((line, column, exact), related_at))
                level = f.severity if f.severity is not None and not configured and rule_id == r.id \
                    and not (r.id in governed and sev == "error") else sev
                result = Result(rule_id, level, f.message, doc.source.display, line, column,
                                render(f.path), identity, doc.template, doc.source, exact, obj, doc)
                result.fix = f.fix
                result.edges = f.edges
                for (where, text), (at_line, at_column) in zip(f.related, related_at):
                    result.related.append(Related(text, doc.source.display, at_line, at_column, render(where),
                                                  doc.source))
                results.append(result)
            if keep:
                cast("KeptFindings", kept).keep(obj, cast("dict[str, Any]", stored), cast(str, key), findings,
                                                found_places)
    return results
