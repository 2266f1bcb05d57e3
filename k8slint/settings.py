"""Which rules run, at which severity, with which options (resolved by k8slint.config)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .registry import REGISTRY, Registry, Rule


@dataclass
class Settings:
    """Which rules run, at which severity, with which options."""

    disabled: set[str] = field(default_factory=set)
    enabled: set[str] = field(default_factory=set)  # rules that are off by default, turned on
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, object]] = field(default_factory=dict)  # rule id -> {option: value}
    kube_version: str | None = None  # "X.Y" from a configuration file
    profile: str | None = None  # the rule pack's profile that runs (None: the pack's default)
    switches: set[str] = field(default_factory=set)  # named switches turned on (rules declare which they answer to)
    complete: bool = False  # every unit holds all it references (--complete, `complete: true`)

    def options_for(self, rule: Rule) -> dict[str, object]:
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
