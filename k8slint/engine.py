"""The rule engine: registry, discovery, running rules, locating findings.

A rule is one module: its docstring is its documentation and one decorated
function yields :class:`Finding` objects (a YAML path inside the object and
a message). The engine knows nothing about any rule in particular: it finds
them, runs each on the objects of the kinds it declares, and turns every
path into a file, line and column.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import pkgutil
import re
import sys
import traceback
from dataclasses import dataclass, field

from .load import locate
from .model import object_path
from .units import unit_of
from .paths import YPath, render

SEVERITIES = ("error", "warning", "info")
RANK = {"info": 0, "warning": 1, "error": 2}
DOC_SECTIONS = ("What it does", "Why is this bad?", "How to fix", "References")
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


# rule metadata -----------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """A rule option: its default, what it means, and the type of its value."""

    default: object
    help: str
    kind: str = "str"  # "str" | "int" | "bool" | "str-list"

    def validate(self, value):
        ok = {
            "str": lambda v: isinstance(v, str),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
            "str-list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        }[self.kind](value)
        if not ok:
            raise ValueError(f"expected {self.kind.replace('str-list', 'a list of strings')}, got {value!r}")
        return tuple(value) if self.kind == "str-list" else value


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    category: str
    summary: str
    doc: str
    check: object = None  # callable(obj, ctx) -> iterable of Finding; None for tool diagnostics
    applies_to: frozenset | None = None  # type names (kinds); None: every object
    options: dict = field(default_factory=dict)
    module: str = ""
    tags: tuple = ()  # groups that profiles select (declared by the rule pack with Registry.declare_profiles)
    enabled: bool = True  # off unless a profile, a switch or a setting turns it on
    fix_safety: str | None = None  # "safe", "unsafe" or "sometimes" when the rule offers fixes
    switch: str | None = None  # a named switch that turns the rule on (a configuration key and a CLI flag)

    @property
    def sections(self) -> dict:
        """The documentation split into its ``## Heading`` sections."""
        out: dict = {}
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
    tags: frozenset
    admission: str | None = None


class Registry:
    def __init__(self):
        self.rules: dict = {}
        self.profiles: dict = {}  # name -> Profile, lowest level first
        self.default_profile: str | None = None

    def declare_profiles(self, profiles, default: str) -> None:
        """The levels of the pack, lowest first, and the one that runs by default."""
        self.profiles = {p.name: p for p in profiles}
        if default not in self.profiles:
            raise ValueError(f"default profile {default!r} is not among {list(self.profiles)}")
        self.default_profile = default

    @property
    def governed_tags(self) -> frozenset:
        return frozenset(t for p in self.profiles.values() for t in p.tags)

    def lowest_profile(self, rule: "Rule") -> Profile | None:
        """The lowest profile that runs a governed rule (None for a rule no profile governs)."""
        tags = set(rule.tags)
        return next((p for p in self.profiles.values() if tags & p.tags), None)

    def runs_by_default(self, rule: "Rule") -> bool:
        if set(rule.tags) & self.governed_tags and self.default_profile is not None:
            return bool(set(rule.tags) & self.profiles[self.default_profile].tags)
        return rule.enabled

    def register(self, rule: Rule) -> Rule:
        if not _ID.match(rule.id):
            raise ValueError(f"rule id {rule.id!r} is not kebab-case")
        if rule.severity not in SEVERITIES:
            raise ValueError(f"rule {rule.id}: severity must be one of {SEVERITIES}")
        existing = self.rules.get(rule.id)
        if existing is not None and existing.module != rule.module:
            raise ValueError(f"rule id {rule.id!r} is defined twice: in {existing.module} and {rule.module}")
        self.rules[rule.id] = rule
        return rule

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __contains__(self, rule_id) -> bool:
        return rule_id in self.rules

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: r.id))

    def __len__(self):
        return len(self.rules)


REGISTRY = Registry()
BUILTIN_PACKAGE = "k8slint.rules"


CATEGORIES = ("correctness", "reliability", "security", "efficiency", "input")


def rule(*, id: str, severity: str, category: str, summary: str, applies_to=None, options=None, tags=(),
         enabled: bool = True, fix_safety: str | None = None, switch: str | None = None):
    """Declare a rule. The decorated function takes (object view, context) and
    yields findings; the module docstring is the rule's documentation.

    ``category`` is one of :data:`CATEGORIES` for the built-in rules; ``applies_to`` lists the kinds
    (None: every object); ``options`` maps option names to :class:`Option`;
    ``tags`` group rules for the profiles the pack declares; a rule with
    ``enabled=False`` runs only when a setting, a profile or its ``switch``
    (a named flag such as a configuration key) turns it on;
    ``fix_safety`` (``safe``, ``unsafe`` or ``sometimes``) says that findings
    may carry a :class:`k8slint.fix.Fix`, and how far ``--fix`` can trust it.
    """
    if fix_safety not in (None, "safe", "unsafe", "sometimes"):
        raise ValueError(f"rule {id}: fix_safety must be safe, unsafe or sometimes")

    def decorate(fn):
        module = sys.modules.get(fn.__module__)
        doc = inspect.cleandoc(module.__doc__ or "") if module else ""
        REGISTRY.register(Rule(
            id=id, severity=severity, category=category, summary=summary, doc=doc, check=fn,
            applies_to=frozenset(applies_to) if applies_to is not None else None,
            options=dict(options or {}), module=fn.__module__, tags=tuple(tags), enabled=enabled,
            fix_safety=fix_safety, switch=switch))
        fn.rule_id = id
        return fn

    return decorate


def import_rule_package(package_name: str, paths) -> list[str]:
    """Import every module below a package's directories; returns their names.

    This one mechanism loads the built-in pack (``k8slint.rules``, which the
    wheel maps from the top-level ``rules/`` folder) and a user's own rules
    folder (``--rules-dir``).
    """
    names = []
    for info in pkgutil.walk_packages(list(paths), prefix=package_name + "."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return names


def load_builtin_rules() -> Registry:
    from .diagnostics import DIAGNOSTICS

    for rule_id, severity, category, summary, doc in DIAGNOSTICS:  # invalid-yaml, ...
        if rule_id not in REGISTRY:
            REGISTRY.register(Rule(id=rule_id, severity=severity, category=category, summary=summary, doc=doc,
                                   module="k8slint.diagnostics"))
    package = importlib.import_module(BUILTIN_PACKAGE)
    import_rule_package(BUILTIN_PACKAGE, package.__path__)
    return REGISTRY


def load_rules_directory(directory: str) -> list[str]:
    """Load a user's rule modules from a folder, as a package of its own."""
    directory = os.path.abspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"rules directory not found: {directory}")
    name = "k8slint_user_rules_" + re.sub(r"\W", "_", directory)
    if name not in sys.modules:
        spec = importlib.util.spec_from_loader(name, loader=None, is_package=True)
        module = importlib.util.module_from_spec(spec)
        module.__path__ = [directory]
        sys.modules[name] = module
    return import_rule_package(name, [directory])


# findings ------------------------------------------------------------------------

class Finding:
    """What a rule yields: a path inside the object and a specific message.

    The path names the offending field; for a missing field, name the field
    that should be there: the finding then anchors at the start of the
    mapping that should hold it. ``severity`` overrides the rule's default for
    this finding (an expired certificate is an error, one about to expire a
    warning); a severity the user configured for the rule still wins.
    """

    __slots__ = ("path", "message", "severity", "fix")

    def __init__(self, path, message: str, severity: str | None = None, fix=None):
        self.path = path if isinstance(path, YPath) else YPath(path)
        self.message = message
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        self.severity = severity
        self.fix = fix  # a k8slint.fix.Fix, or None

    def __repr__(self):
        return f"Finding({str(self.path)!r}, {self.message!r})"


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
    identity: dict | None = None  # apiVersion, kind, namespace (as written), name; "object" in JSON
    template: str | None = None
    source: object = field(default=None, repr=False, compare=False)
    exact: bool = field(default=True, repr=False, compare=False)  # False: anchored at the mapping of a missing field
    obj: object = field(default=None, repr=False, compare=False)  # the K8sObject, for suppressions
    document: object = field(default=None, repr=False, compare=False)
    suppression: dict | None = field(default=None, compare=False)  # {"kind", "reason", "where"} when suppressed
    rendered: tuple | None = field(default=None, compare=False)  # (display, line, column) before mapping
    fix: object = field(default=None, repr=False, compare=False)  # a k8slint.fix.Fix the rule offers

    def sort_key(self):
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    @property
    def unit(self) -> str | None:
        """The label of the unit (folder, chart render, kustomize build, rendered file) the finding is in."""
        if self.obj is not None:
            return self.obj.unit.label or None
        if self.document is not None:
            return unit_of(self.document).label or None
        return None

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "file": self.file,
                "line": self.line, "column": self.column, "path": self.path, "object": self.identity,
                "template": self.template, "unit": self.unit}


class Context:
    """What a rule sees besides its object: the graph as that object sees it
    (``graph``: its unit's objects and what other units show it; ``run_graph``:
    the whole run), its options, the target version, and ``cache``, a per-run
    dict where rules keep what they compute once (e.g. schemas learnt from
    CRDs)."""

    __slots__ = ("graph", "run_graph", "options", "kube_version", "default_namespace", "rule", "cache")

    def __init__(self, graph, kube_version: tuple, default_namespace: str = "default"):
        self.graph = graph
        self.run_graph = graph
        self.kube_version = kube_version
        self.default_namespace = default_namespace
        self.options: dict = {}
        self.rule = None
        self.cache: dict = {}

    def memo(self, key, compute):
        """``compute()``, once per run for each view of the graph (what it
        computes from ``graph`` holds for the objects that share that view)."""
        key = (id(self.graph), key)
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass
class Settings:
    """Which rules run, at which severity, with which options."""

    disabled: set = field(default_factory=set)
    enabled: set = field(default_factory=set)  # rules that are off by default, turned on
    severity: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # rule id -> {option: value}
    kube_version: str | None = None  # "X.Y" from a configuration file
    profile: str | None = None  # the rule pack's profile that runs (None: the pack's default)
    switches: set = field(default_factory=set)  # named switches turned on (rules declare which they answer to)

    def options_for(self, rule: Rule) -> dict:
        values = {name: opt.default for name, opt in rule.options.items()}
        values.update(self.options.get(rule.id, {}))
        return values

    def severity_of(self, rule: Rule) -> str:
        return self.severity.get(rule.id, rule.severity)

    def is_active(self, rule: Rule, registry: Registry | None = None) -> bool:
        if rule.id in self.disabled:
            return False
        if rule.id in self.enabled or (rule.switch is not None and rule.switch in self.switches):
            return True
        registry = registry or REGISTRY
        governed = set(rule.tags) & registry.governed_tags
        if governed:
            profile = registry.profiles.get(self.profile or registry.default_profile or "")
            return profile is not None and bool(governed & profile.tags)
        return rule.enabled


def object_identity(obj) -> dict:
    ns = obj.metadata.get("namespace")
    return {"apiVersion": obj.api_version, "kind": obj.kind,
            "namespace": ns if isinstance(ns, str) else None, "name": obj.name}


def run_rules(objects, registry: Registry, settings: Settings, ctx: Context, policy=None) -> list[Result]:
    """Run every active rule on the objects of its kinds.

    ``policy``, if given, decides per object for the rules it governs
    (``policy.governs(rule)``): ``policy.decide(rule, obj, active, severity)``
    returns the severity to run the rule at for that object, or None to skip
    it. Pod Security Standards levels set on namespaces work this way.
    """
    by_type: dict = {}
    universal = []
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
    results: list[Result] = []
    graph = ctx.run_graph
    view_for = getattr(graph, "view_for", None)
    for obj in objects:
        rules = by_type.get(obj.type_name, ())
        if universal:
            rules = list(rules) + universal
        if not rules:
            continue
        if view_for is not None:
            ctx.graph = view_for(obj)
        doc = obj.document
        identity = None
        for r in rules:
            if r.id in governed:
                decided = policy.decide(r, obj, settings.is_active(r, registry), severity[r.id])
                if decided is None:
                    continue
            ctx.options = options[r.id]
            ctx.rule = r
            try:
                findings = list(r.check(obj, ctx) or ())
            except Exception as err:  # a broken rule must not stop the run
                frame = traceback.extract_tb(err.__traceback__)[-1]
                findings = [Finding((), f"rule {r.id} failed on this object: {type(err).__name__}: {err} "
                                        f"(at {os.path.basename(frame.filename)}:{frame.lineno}); "
                                        "this is a bug in the rule, please report it")]
                rule_id, sev = "internal-error", "error"
            else:
                rule_id, sev = r.id, decided if r.id in governed else severity[r.id]
            configured = r.id in settings.severity
            for f in findings:
                if identity is None:
                    identity = object_identity(obj)
                line, column, exact = locate(doc, object_path(obj, f.path))
                level = f.severity if f.severity is not None and not configured and rule_id == r.id \
                    and not (r.id in governed and sev == "error") else sev
                result = Result(rule_id, level, f.message, doc.source.display, line, column,
                                render(f.path), identity, doc.template, doc.source, exact, obj, doc)
                result.fix = f.fix
                results.append(result)
    return results
