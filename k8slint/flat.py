"""Results as plain values, to cross between processes or to be kept on disk, and back.

A result refers to its object, its document and its source, and its edges to
other objects: :func:`flat` writes those as positions in the run's list of
objects (the graph's, in order), and :func:`rebuilt_result` finds them again
in the objects of the process (or the run) that reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .findings import Related, Result, object_identity
from .graph import Edge
from .paths import YPath

if TYPE_CHECKING:
    from .model import K8sObject


def flat(r: Result, index: dict[int, int]) -> tuple[Any, ...]:
    """A result as plain values (objects by their position in ``index``: id(object) -> position)."""
    related = [(x.message, x.line, x.column, x.path) for x in r.related]
    edges = [(index[id(e.source)], e.target, e.kind, tuple(e.path), e.implicit, e.optional,
              index[id(e.to)] if e.to is not None else -1, label) for e, label in r.edges]
    return (index[id(r.obj)], r.rule, r.severity, r.message, r.line, r.column, r.path, r.exact, r.fix, related, edges)


def rebuilt_result(values: tuple[Any, ...], objects: list[K8sObject], identities: dict[int, dict[str, Any]]) -> Result:
    """:func:`flat`'s result again, in this process's (or this run's) objects; ``identities``
    keeps one identity per object, shared by its results as in a run that made them."""
    at, rule_id, severity, message, line, column, path, exact, fix, related, edges = values
    obj = objects[at]
    doc = obj.document
    identity = identities.get(at)
    if identity is None:
        identity = identities[at] = object_identity(obj)
    result = Result(rule_id, severity, message, doc.source.display, line, column, path, identity,
                    doc.template, doc.source, exact, obj, doc)
    result.fix = fix
    result.related = [Related(text, doc.source.display, at_line, at_column, where, doc.source)
                      for text, at_line, at_column, where in related]
    result.edges = [(Edge(objects[source], target, kind, YPath(where), implicit, optional,
                          objects[to] if to >= 0 else None), label)
                    for source, target, kind, where, implicit, optional, to, label in edges]
    return result
