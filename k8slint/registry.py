"""Rule metadata and the registry: what a rule declares about itself.

A rule is one module: its docstring is its documentation and one function,
decorated with :func:`rule`, yields findings. The decorator records the
rule's metadata here, once; the engine, the CLI and the reporters read it
from the registry and know no rule by name. The rule pack also declares its
profiles here (:meth:`Registry.declare_profiles`): which tags run at which
level.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Context
    from .findings import Finding
    from .model import K8sObject

    CheckFunction = Callable[[K8sObject, Context], Iterable[Finding] | None]

SEVERITIES = ("error", "warning", "info")
RANK = {"info": 0, "warning": 1, "error": 2}
DOC_SECTIONS = ("What it does", "Why is this bad?", "How to fix", "References")
CATEGORIES = ("correctness", "reliability", "security", "efficiency", "input")
#: what a rule may need of its object before the engine calls it with one
NEEDS = ("pod",)
#: what a rule reads: "object": its object, and the run only through its Context (the graph, the units, the
#: shared cache), which the engine notices: what it finds without them is kept between runs (k8slint.kept);
#: "graph": anything, and nothing it finds is kept
SCOPES = ("object", "graph")
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class Option:
    """A rule option: its default, what it means, and the type of its value."""

    default: object
    help: str
    kind: str = "str"  # "str" | "int" | "bool" | "str-list"
    #: a further check of a well-typed value: the reason it is wrong, or None
    check: Callable[[Any], str | None] | None = None

    def validate(self, value: object) -> object:
        checks: dict[str, Callable[[object], bool]] = {
            "str": lambda v: isinstance(v, str),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
            "str-list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        }
        if not checks[self.kind](value):
            hint = " (YAML reads an unquoted number as a number: quote it)" \
                if self.kind == "str" and isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            raise ValueError(f"expected {self.kind.replace('str-list', 'a list of strings')}, got {value!r}{hint}")
        wrong = self.check(value) if self.check is not None else None
        if wrong:
            raise ValueError(wrong)
        return tuple(value) if self.kind == "str-list" and isinstance(value, list) else value


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    category: str
    summary: str
    doc: str
    check: CheckFunction | None = None  # None for tool diagnostics
    applies_to: frozenset[str] | None = None  # type names (kinds); None: every object
    options: dict[str, Option] = field(default_factory=dict)
    module: str = ""
    tags: tuple[str, ...] = ()  # groups that profiles select (see Registry.declare_profiles)
    enabled: bool = True  # off unless a profile, a switch or a setting turns it on
    fix_safety: str | None = None  # "safe", "unsafe" or "sometimes" when the rule offers fixes
    switch: str | None = None  # a named switch that turns the rule on (a configuration key and a CLI flag)
    needs: str | None = None  # "pod": the engine calls it only for objects with a pod template
    marks_edges: bool = False  # its findings name graph edges (Finding.edges): `k8slint graph` runs it
    scope: str = "graph"  # "object": what it finds without reading the run is kept between runs (SCOPES)
    #: how grave a security finding is, 0.1 to 10.0 as CVSS scores are (SARIF ``security-severity``)
    security_severity: float | None = None

    @property
    def sections(self) -> dict[str, str]:
        """The documentation split into its ``## Heading`` sections."""
        out: dict[str, list[str]] = {}
        current = None
        for line in self.doc.splitlines():
            m = re.match(r"##\s+(.*?)\s*$", line)
            if m:
                current = m.group(1)
                out[current] = []
            elif current is not None:
                out[current].append(line)
        return {k: "\n".join(v).strip() for k, v in out.items()}

    @property
    def description(self) -> str:
        return self.sections.get("What it does", self.summary)


@dataclass(frozen=True)
class Profile:
    """A level a rule pack offers (``--profile NAME``): the tags whose rules run at it.

    Rules that carry any tag of any profile are *governed*: they run when the
    chosen profile holds one of their tags, whatever their ``enabled`` says.
    ``admission`` names the Kubernetes admission level the profile stands
    for, if any (a namespace label can then choose it)."""

    name: str
    tags: frozenset[str]
    admission: str | None = None


class Registry:
    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}
        self.profiles: dict[str, Profile] = {}  # lowest level first
        self.default_profile: str | None = None

    def declare_profiles(self, profiles: Iterable[Profile], default: str) -> None:
        """The levels of the pack, lowest first, and the one that runs by default."""
        self.profiles = {p.name: p for p in profiles}
        if default not in self.profiles:
            raise ValueError(f"default profile {default!r} is not among {list(self.profiles)}")
        self.default_profile = default

    @property
    def governed_tags(self) -> frozenset[str]:
        return frozenset(t for p in self.profiles.values() for t in p.tags)

    def lowest_profile(self, rule: Rule) -> Profile | None:
        """The lowest profile that runs a governed rule (None for a rule no profile governs)."""
        tags = set(rule.tags)
        return next((p for p in self.profiles.values() if tags & p.tags), None)

    def runs_by_default(self, rule: Rule) -> bool:
        if set(rule.tags) & self.governed_tags and self.default_profile is not None:
            return bool(set(rule.tags) & self.profiles[self.default_profile].tags)
        return rule.enabled

    def register(self, rule: Rule) -> Rule:
        if not _ID.match(rule.id):
            raise ValueError(f"rule id {rule.id!r} is not kebab-case")
        if rule.severity not in SEVERITIES:
            raise ValueError(f"rule {rule.id}: severity must be one of {SEVERITIES}")
        if rule.needs is not None and rule.needs not in NEEDS:
            raise ValueError(f"rule {rule.id}: needs must be one of {NEEDS}")
        if rule.scope not in SCOPES:
            raise ValueError(f"rule {rule.id}: scope must be one of {SCOPES}")
        existing = self.rules.get(rule.id)
        if existing is not None and existing.module != rule.module:
            raise ValueError(f"rule id {rule.id!r} is defined twice: in {existing.module} and {rule.module}")
        self.rules[rule.id] = rule
        return rule

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.rules.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self.rules)


REGISTRY = Registry()


def rule(*, id: str, severity: str, category: str, summary: str, applies_to: Iterable[str] | None = None,
         options: dict[str, Option] | None = None, tags: Iterable[str] = (), enabled: bool = True,
         fix_safety: str | None = None, switch: str | None = None,
         needs: str | None = None, marks_edges: bool = False, scope: str = "graph",
         security_severity: float | None = None) -> Callable[[Any], Any]:
    """Declare a rule. The decorated function takes (object view, context) and
    yields findings; the module docstring is the rule's documentation.

    ``category`` is one of :data:`CATEGORIES` for the built-in rules; ``applies_to`` lists the kinds
    (None: every object); ``options`` maps option names to :class:`Option`;
    ``tags`` group rules for the profiles the pack declares; a rule with
    ``enabled=False`` runs only when a setting, a profile or its ``switch``
    (a named flag such as a configuration key) turns it on;
    ``fix_safety`` (``safe``, ``unsafe`` or ``sometimes``) says that findings
    may carry a :class:`k8slint.fix.Fix`, and how far ``--fix`` can trust it;
    ``needs="pod"`` has the engine call the rule only for objects with a pod
    template, so ``obj.pod`` is never None inside it; ``marks_edges`` says that
    findings name the graph edges they are about (:class:`Finding` ``edges``),
    and has ``k8slint graph`` run the rule to mark them; ``scope="object"``
    promises that the rule reads nothing beyond its object but through its
    Context (no module-level state, no unit, no date): when it finds what it
    finds without reading the graph, the units or the shared cache (the
    engine notices), its findings are kept with the parse cache and reused
    while the object's document, the code, its options and the target
    version stay the same. ``security_severity`` (0.1 to 10.0) ranks a
    security rule's findings the way code scanning ranks alerts: Critical
    from 9.0, High from 7.0, Medium from 4.0, Low below.
    """
    if security_severity is not None and not 0.1 <= security_severity <= 10.0:
        raise ValueError(f"rule {id}: security_severity must be between 0.1 and 10.0")
    if fix_safety not in (None, "safe", "unsafe", "sometimes"):
        raise ValueError(f"rule {id}: fix_safety must be safe, unsafe or sometimes")

    def decorate(fn: Any) -> Any:
        module = sys.modules.get(fn.__module__)
        doc = inspect.cleandoc(module.__doc__ or "") if module else ""
        REGISTRY.register(Rule(
            id=id, severity=severity, category=category, summary=summary, doc=doc, check=fn,
            applies_to=frozenset(applies_to) if applies_to is not None else None,
            options=dict(options or {}), module=fn.__module__, tags=tuple(tags), enabled=enabled,
            fix_safety=fix_safety, switch=switch, needs=needs, marks_edges=marks_edges, scope=scope,
            security_severity=security_severity))
        fn.rule_id = id
        return fn

    return decorate
