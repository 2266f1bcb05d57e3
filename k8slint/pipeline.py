"""One lint run, in one direction: sources -> documents (k8slint.load) ->
objects (k8slint.model) -> units and graph (k8slint.units, k8slint.graph) ->
rules (k8slint.engine) -> findings -> post-processing (origins, suppressions,
baseline) -> a :class:`Report` for the reporters."""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from .engine import RANK, Context, Registry, Result, Settings, object_identity, run_rules
from .graph import Graph
from .kube.podsecurity import NamespacePolicy
from .load import LoadResult, load, locate
from .load.origins import map_results
from .model import K8sObject, api_version_problems, build_objects
from .paths import render
from .suppress import Suppressor, filter_baseline

if TYPE_CHECKING:
    from .config import Config
    from .load.cache import ParseCache
    from .load.render import RenderOptions


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    objects: list[K8sObject] = field(default_factory=list)
    _graph: Graph | None = field(default=None, repr=False)
    load: LoadResult | None = None
    kube_version: tuple[int, ...] = ()
    skipped_documents: int = 0  # YAML documents that are not Kubernetes objects
    empty_documents: int = 0
    suppressed: list[Result] = field(default_factory=list)  # findings silenced by a suppression, with its reason
    baselined: int = 0  # findings left out because the baseline has them
    fixed: int = 0  # findings --fix fixed before this report was made
    #: paths that could not be read and charts or kustomizations given as arguments that failed to render
    #: (the run's exit status is 2): what the reports must not pass over as clean
    failures: list[str] = field(default_factory=list)
    #: builds the graph when a report asks for it (a run replayed from the cache did not need it)
    make_graph: Callable[[], Graph] | None = field(default=None, repr=False, compare=False)

    @property
    def graph(self) -> Graph | None:
        if self._graph is None and self.make_graph is not None:
            self._graph, self.make_graph = self.make_graph(), None
        return self._graph

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for r in self.results:
            out[r.severity] += 1
        return out

    def worst(self) -> str | None:
        return max((r.severity for r in self.results), key=RANK.__getitem__, default=None)

    def files(self) -> tuple[int, int]:
        """(files linted, files with findings). A render counts the templates or resources its
        documents came from, where its findings are reported; a file a finding is about that
        nothing was read from (a chart's Chart.yaml when it did not render, the configuration
        file) counts too, so that the files with findings are never more than the files."""
        load_result = self.load or LoadResult()
        known: set[str] = set()
        renders: dict[int, set[str]] = {}
        sources = {id(d.source): d.source for d in load_result.documents}
        for doc in load_result.documents:
            if doc.source.rendered_by is not None:
                renders.setdefault(id(doc.source), set()).add(_file_key(doc.origin) if doc.origin
                                                              else doc.source.display)
        sources.update((id(p.source), p.source) for p in load_result.problems)
        known.update(_file_key(s.path) if s.path else s.display for s in sources.values() if s.rendered_by is None)
        files = load_result.files + sum(len(origins) - 1 for origins in renders.values())
        for origins in renders.values():
            known |= origins
        with_findings = {_file_key(r.source.path) if r.source is not None and r.source.path else r.file
                         for r in self.results}
        return files + len(with_findings - known), len(with_findings)

    def summary(self) -> dict[str, Any]:
        load_result = self.load or LoadResult()
        files, with_findings = self.files()
        return {
            "files": files,
            "files_with_findings": with_findings,
            "failures": len(self.failures),
            "documents": len(load_result.documents),
            "objects": len(self.objects),
            "skipped_documents": self.skipped_documents,
            "empty_documents": self.empty_documents,
            "skipped_templates": load_result.skipped_templates,
            "skipped_patches": load_result.skipped_patches,
            "findings": len(self.results),
            "by_severity": self.counts(),
            "suppressed": len(self.suppressed),
            "baselined": self.baselined,
            "kube_version": ".".join(map(str, self.kube_version)),
        }


def _file_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _where(obj: K8sObject) -> tuple[str | None, int, tuple[str | int, ...]]:
    return (obj.document.source.realpath(), obj.document.index, obj.base)


def problem_results(load_result: LoadResult, registry: Registry, settings: Settings,
                    default_namespace: str = "default", kube_version: tuple[int, ...] = ()) -> list[Result]:
    """The load's problems as results, and the documents written as objects but for their
    apiVersion (``missing-api-version``, whose suggestion depends on ``kube_version``)."""
    out: list[Result] = []
    problems = load_result.problems
    if "missing-api-version" not in settings.disabled:
        problems = problems + api_version_problems(load_result.documents, kube_version, default_namespace)
    for p in problems:
        if p.code in settings.disabled:
            continue
        sev = settings.severity_of(registry[p.code]) if p.code in registry else "error"
        doc = p.document
        line, column = p.line + 1, p.column + 1
        obj: dict[str, Any] | None = p.identity
        if doc is not None and isinstance(doc.data, dict):
            if obj is None and not (doc.data.get("kind") and doc.data.get("apiVersion")):
                continue  # duplicate keys in a document that is not a Kubernetes object
            obj = obj or object_identity(K8sObject(doc.data, doc, default_namespace=default_namespace))
            if p.path:
                line, column, _ = locate(doc, p.path)
        out.append(Result(p.code, sev, p.message, p.source.display, line, column, render(p.path), obj,
                          doc.template if doc is not None else None, p.source, document=doc))
    return out


def lint(paths: Iterable[str], registry: Registry, settings: Settings | None = None,
         kube_version: tuple[int, ...] = (1, 37), default_namespace: str = "default", excludes: Iterable[str] = (),
         stdin: IO[bytes] | None = None, context_paths: Iterable[str] = (), config: Config | None = None,
         baseline: Counter[str] | None = None, render_options: RenderOptions | None = None,
         render: bool = True) -> Report:
    settings = settings or Settings()
    load_result = load(list(paths), list(excludes), stdin=stdin, render_options=render_options, render=render)
    context = load(list(context_paths)) if context_paths else None
    return lint_loaded(load_result, registry, settings, kube_version, default_namespace, context, config, baseline)


def lint_loaded(load_result: LoadResult, registry: Registry, settings: Settings, kube_version: tuple[int, ...],
                default_namespace: str = "default", context: LoadResult | None = None, config: Config | None = None,
                baseline: Counter[str] | None = None, today: datetime.date | None = None, jobs: int = 1,
                cache: ParseCache | None = None) -> Report:
    """Lint what was loaded. ``context`` holds objects that exist alongside
    (CRDs given with --crds, the rest of a repository): the graph and the
    rules see them, but they are not linted themselves. ``config`` brings
    per-path ignores and exemptions; ``baseline`` (a Counter of fingerprints)
    removes findings recorded earlier; ``jobs`` is how many processes the
    rules may run in (see :func:`k8slint.engine.run_rules`); with ``cache``
    (a usable parse cache), what the rules of scope "object" find is kept
    there and reused (:mod:`k8slint.kept`)."""
    objects, skipped, empty = build_objects(load_result.documents, default_namespace)
    skipped += load_result.skipped_unparsable  # files that do not parse and are not manifests
    context_objects: list[K8sObject] = []
    unlinted: list[K8sObject] = []  # the context's objects that this run does not lint (an exemption's may be there)
    if context is not None:  # a file both linted and in the context counts once
        linted = {_where(o) for o in objects}
        units = {o.unit for o in objects}
        # what no linted object can see, and whose references reach no linted object, is left out:
        # objects of other units, unless a shared unit shows them (see Graph)
        unlinted = [o for o in build_objects(context.documents, default_namespace)[0] if _where(o) not in linted]
        context_objects = [o for o in unlinted if o.unit in units or (o.unit.shared and o.namespace_explicit)]
    everything = objects + context_objects
    results = problem_results(load_result, registry, settings, default_namespace, kube_version)
    kept = replay_key = replayed = None
    if cache is not None and cache.usable:
        from .kept import KeptFindings, code_signature, run_key

        kept = KeptFindings(cache, f"{code_signature(registry)}\0{kube_version}\0{default_namespace}")
        # the same texts at the same places, the same code and settings, the same day: the rules' findings too
        replay_key = run_key(kept, load_result, context, settings, today or datetime.date.today())
        replayed = kept.replay(replay_key, everything)
    graph: Graph | None = None
    if replayed is not None:
        results.extend(replayed)
    else:
        graph = Graph(everything, default_namespace)
        ctx = Context(graph, kube_version, default_namespace, complete=settings.complete)
        policy = NamespacePolicy(graph, registry)
        found = run_rules(objects, registry, settings, ctx, policy if policy.levels else None, jobs, kept)
        if kept is not None and replay_key is not None:
            kept.record_run(replay_key, found, everything)
        results.extend(found)
    map_results(results)
    sources = {id(d.source): d.source for d in load_result.documents}
    sources.update((id(p.source), p.source) for p in load_result.problems)
    sources.update((id(r.source), r.source) for r in results if r.source is not None)
    suppressor = Suppressor(registry, settings, config, today, outside=unlinted)
    results, suppressed = suppressor.apply(results, objects, list(sources.values()))
    results.extend(suppressor.diagnostics)
    baselined = 0
    if baseline is not None:
        results, baselined = filter_baseline(results, baseline)
    results.sort(key=Result.sort_key)
    suppressed.sort(key=Result.sort_key)
    report = Report(results, objects, graph, load_result, kube_version, skipped, empty, suppressed, baselined,
                    failures=load_result.missing + (context.missing if context is not None else []))
    if graph is None:
        report.make_graph = lambda: Graph(everything, default_namespace)
    return report
