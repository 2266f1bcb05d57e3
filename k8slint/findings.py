"""What rules yield (:class:`Finding`) and what reporters get (:class:`Result`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .paths import YPath
from .registry import SEVERITIES
from .units import unit_of

if TYPE_CHECKING:
    from .fix import Fix
    from .graph import Edge
    from .load import Document, Source
    from .model import K8sObject


class Finding:
    """What a rule yields: a path inside the object and a specific message.

    The path names the offending field; for a missing field, name the field
    that should be there: the finding then anchors at the start of the
    mapping that should hold it. ``severity`` overrides the rule's default for
    this finding (an expired certificate is an error, one about to expire a
    warning); a severity the user configured for the rule still wins.

    ``edges`` names the references of the object graph the finding is about,
    each with a few words on what is wrong with it (``no key 'password'``):
    the graph views (``k8slint graph``, the reports' diagrams) mark those edges.
    """

    __slots__ = ("path", "message", "severity", "fix", "related", "at", "edges")

    def __init__(self, path: YPath | tuple[str | int, ...], message: str, severity: str | None = None,
                 fix: Fix | None = None,
                 related: Iterable[tuple[YPath | tuple[str | int, ...], str]] = (),
                 at: tuple[int, int] | None = None, edges: Iterable[tuple[Edge, str]] = ()) -> None:
        self.path = path if isinstance(path, YPath) else YPath(path)
        self.message = message
        # other places in the same object the finding is about: (path, what is there)
        self.related = [(p if isinstance(p, YPath) else YPath(p), text) for p, text in related]
        # (line, column), 0-based, inside the string value at ``path`` (a Corefile in a ConfigMap):
        # the finding anchors there when the value is a block scalar, else at the field
        self.at = at
        self.edges = list(edges)
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        self.severity = severity
        self.fix = fix

    def __repr__(self) -> str:
        return f"Finding({str(self.path)!r}, {self.message!r})"


@dataclass
class Related:
    """Another place a finding is about (SARIF ``relatedLocations``)."""

    message: str
    file: str
    line: int | None
    column: int | None
    path: str
    source: Source | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "file": self.file, "line": self.line, "column": self.column,
                "path": self.path}


@dataclass
class Result:
    """A finding located in a file, ready for the reporters."""

    rule: str
    severity: str
    message: str
    file: str
    line: int | None  # 1-based
    column: int | None  # 1-based
    path: str = ""
    identity: dict[str, Any] | None = None  # apiVersion, kind, namespace, namespaceExplicit, name; "object" in JSON
    template: str | None = None
    source: Source | None = field(default=None, repr=False, compare=False)
    exact: bool = field(default=True, repr=False, compare=False)  # False: anchored at the mapping of a missing field
    obj: K8sObject | None = field(default=None, repr=False, compare=False)  # the object, for suppressions
    document: Document | None = field(default=None, repr=False, compare=False)
    suppression: dict[str, Any] | None = field(default=None, compare=False)  # {"kind", "reason", "where"}
    rendered: tuple[str, int, int] | None = field(default=None, compare=False)  # (display, line, column) before mapping
    fix: Fix | None = field(default=None, repr=False, compare=False)  # the fix the rule offers
    related: list[Related] = field(default_factory=list, repr=False, compare=False)
    edges: list[tuple[Edge, str]] = field(default_factory=list, repr=False, compare=False)  # see Finding

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    @property
    def unit(self) -> str | None:
        """The label of the unit (folder, chart render, kustomize build, rendered file) the finding is in."""
        if self.obj is not None:
            return self.obj.unit.label or None
        if self.document is not None:
            return unit_of(self.document).label or None
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule, "severity": self.severity, "message": self.message, "file": self.file,
            "line": self.line, "column": self.column, "path": self.path, "object": self.identity,
            "template": self.template, "unit": self.unit}
        if self.related:
            out["related"] = [r.to_json() for r in self.related]
        return out


def object_identity(obj: K8sObject) -> dict[str, Any]:
    """apiVersion, kind, name and the namespace the object lands in: ``metadata.namespace``,
    else the run's namespace (``--namespace``, ``default``); null for cluster-scoped kinds.
    ``namespaceExplicit`` says whether the object itself names it."""
    return {"apiVersion": obj.api_version, "kind": obj.kind, "namespace": obj.namespace,
            "namespaceExplicit": obj.namespace is not None and obj.namespace_explicit, "name": obj.name}


def written_namespace(identity: dict[str, Any]) -> str | None:
    """The namespace as the object writes it (None when it names none)."""
    explicit = identity.get("namespaceExplicit", True)
    namespace = identity.get("namespace")
    return namespace if explicit and isinstance(namespace, str) else None
