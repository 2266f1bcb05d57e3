"""Configuration: ``.k8slint.yaml``, ``[tool.k8slint]`` in pyproject.toml, or ``--config FILE``.

The file is found by walking up from the working directory: in each folder
``.k8slint.yaml``, ``.k8slint.yml``, then a pyproject.toml with a
``[tool.k8slint]`` table; the first one found wins. It is validated against
``schemas/config.schema.json``; every error names the key and its line.

::

    extends: recommended        # or all: the opt-in rules too
    kube-version: "1.30"
    profile: restricted         # Pod Security Standards level: baseline (default), restricted, none
    fail-on: warning
    exclude: ["vendor/**", "charts/*/templates/**"]
    crds: ["vendor/crds"]       # learn custom resource schemas from these
    context: ["."]              # objects the graph may see without linting them
    rules:
      missing-liveness-probe: off
      job-missing-ttl: info
      sysctl-unsafe:
        allowed-unsafe-sysctls: ["kernel.msg*"]
    per-path:
      - paths: ["legacy/**"]
        ignore: [sa-token-automount]
    exemptions:
      - reason: "the ingress controller needs host ports until we move to a LoadBalancer"
        until: 2027-03-31
        namespaces: [ingress-nginx]
        kinds: [DaemonSet]
        rules: [host-port]

Paths and globs in the file are relative to the folder that holds it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .registry import Registry
from .paths import value_at
from .settings import Settings

if TYPE_CHECKING:
    from .findings import Result
from .load import Source, decode
from .load.discover import excluded
from .load.yamlpos import parse_stream

CONFIG_NAMES = (".k8slint.yaml", ".k8slint.yml")


class ConfigError(Exception):
    pass


@dataclass
class Exemption:
    reason: str
    until: str | None
    rules: tuple[str, ...]
    paths: tuple[str, ...]
    namespaces: tuple[str, ...]
    kinds: tuple[str, ...]
    names: tuple[str, ...]
    line: int  # 1-based line in the configuration file
    used: bool = False

    def matches(self, result: Result, relative_path: str) -> bool:
        if self.rules and result.rule not in self.rules:
            return False
        return self.covers(result.identity, relative_path)

    def covers(self, identity: Mapping[str, Any] | None, relative_path: str) -> bool:
        """Whether an object (or a problem outside any, with no identity) of this file is in the exemption's
        scope: its paths, namespaces, kinds and names, whatever the rule."""
        if self.paths and not excluded(relative_path, self.paths):
            return False
        obj = identity or {}
        for patterns, value in ((self.namespaces, obj.get("namespace") or "default"),
                                (self.kinds, obj.get("kind")), (self.names, obj.get("name"))):
            if patterns and not (value and any(fnmatch.fnmatchcase(value, p) for p in patterns)):
                return False
        return True


@dataclass
class Config:
    """A parsed configuration file (or the empty default)."""

    path: str | None = None
    source: Source | None = None
    data: dict[str, Any] = field(default_factory=dict)
    positions: Mapping[tuple[str | int, ...], tuple[int, int, int, int]] = field(default_factory=dict)
    exemptions: list[Exemption] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def line_of(self, *path: str | int) -> int | None:
        pos = self.positions.get(tuple(path))
        return pos[0] + 1 if pos else None

    def relative(self, file_path: str) -> str:
        """A file's path relative to the configuration's folder (for its globs)."""
        return os.path.relpath(os.path.abspath(file_path), self.folder).replace(os.sep, "/")

    def resolve_paths(self, key: str) -> list[str]:
        return [p if os.path.isabs(p) else os.path.join(self.folder, p) for p in self.data.get(key, [])]

    @property
    def display(self) -> str:
        """The file as reports name it: relative to the working directory, as linted files are."""
        return self.source.display if self.source is not None else str(self.path)

    def where(self, *path: str | int) -> str:
        line = self.line_of(*path)
        return f"{self.display}:{line}" if line else self.display


def project_root(config: Config | None = None, start: str | None = None) -> str | None:
    """The project's root: the folder of its configuration file, else the
    nearest folder at or above ``start`` (the working directory) that holds
    ``.git``; None outside any project."""
    if config is not None and getattr(config, "path", None):
        return config.folder
    folder = os.path.abspath(start or os.getcwd())
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def find_config(start: str | None = None) -> str | None:
    """The nearest configuration file at or above ``start``."""
    folder = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return re.search(r"^\s*\[tool\.k8slint(\.|\])", fh.read(), re.M) is not None
    except OSError:
        return False


def _shown(path: str) -> str:
    """The configuration file as reports name it: relative to the working directory, as linted files are."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return path


def load_config(path: str) -> Config:
    """Read and validate a configuration file (YAML, or pyproject.toml's [tool.k8slint])."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    text, error, line, _ = decode(raw)
    if text is None:
        raise ConfigError(f"{path}:{line + 1}: {error}")
    source = Source(_shown(path), path, text)
    positions: Mapping[tuple[str | int, ...], tuple[int, int, int, int]]
    if os.path.basename(path) == "pyproject.toml":
        data, positions = _from_pyproject(path, text)
    else:
        docs, problems = parse_stream(text)
        if problems:
            p = problems[0]
            raise ConfigError(f"{path}:{p.line + 1}:{p.column + 1}: {p.message}")
        data = docs[0].data if docs else None
        positions = docs[0].positions if docs else {}
        if data is None:
            data = {}
    config = Config(path, source, data, positions)
    _validate(config)
    for i, item in enumerate(data.get("exemptions", [])):
        config.exemptions.append(Exemption(
            reason=item["reason"], until=item.get("until"), rules=tuple(item.get("rules", ())),
            paths=tuple(item.get("paths", ())), namespaces=tuple(item.get("namespaces", ())),
            kinds=tuple(item.get("kinds", ())), names=tuple(item.get("names", ())),
            line=config.line_of("exemptions", i) or 1))
    return config


def _from_pyproject(path: str, text: str) -> tuple[Any, dict[tuple[str | int, ...], tuple[int, int, int, int]]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text).get("tool", {}).get("k8slint", {})
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: {err}") from None
    # TOML keeps no positions: find each top-level key's line in the [tool.k8slint] tables
    positions: dict[tuple[str | int, ...], tuple[int, int, int, int]] = {}
    for m in re.finditer(r"^\s*\"?([A-Za-z0-9_.-]+)\"?\s*=", text, re.M):
        line = text.count("\n", 0, m.start())
        key = m.group(1)
        positions.setdefault((key,), (line, 0, line, 0))
    return data, positions


def _schema() -> dict[str, Any]:
    from .kube.schemas import package_text

    text = package_text("config.schema.json")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validate(config: Config) -> None:
    import jsonschema_rs

    if not isinstance(config.data, dict):
        raise ConfigError(f"{config.path}: the configuration must be a mapping of settings")
    errors = list(jsonschema_rs.validator_for(_schema()).iter_errors(config.data))
    if not errors:
        return
    e = min(errors, key=lambda e: (len(list(e.instance_path)), e.kind.name != "required"))
    path = tuple(e.instance_path)
    name = e.kind.name
    detail = e.kind.as_dict() if hasattr(e.kind, "as_dict") else {}
    if name == "additionalProperties":
        key = detail.get("unexpected", ["?"])[0]
        known = ", ".join(sorted(_schema_properties(path)))
        raise ConfigError(f"{config.where(*path, key)}: unknown key {key!r}" + (f" (expected one of: {known})"
                                                                              if known else ""))
    label = ".".join(str(p) for p in path) or "the configuration"
    if len(path) == 2 and path[0] == "rules":
        raise ConfigError(f"{config.where(*path)}: {label}: expected off, on, a severity (error, warning, info) "
                          "or a mapping of options")
    if name == "required":
        raise ConfigError(f"{config.where(*path)}: {label} needs {detail.get('property')!r}")
    value = value_at(config.data, path)
    if path == ("kube-version",) and not isinstance(value, str):
        raise ConfigError(f"{config.where(*path)}: write the version as a string, e.g. \"1.30\" "
                          f"(unquoted it is read as the number {value!r})")
    raise ConfigError(f"{config.where(*path)}: {label}: {e.message}")


def _schema_properties(path: Iterable[str | int]) -> list[str]:
    node = _schema()
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
        if "$ref" in node:
            node = _schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return list(node.get("properties", {}))


def resolve_settings(config: Config, registry: Registry, *, select: Iterable[str] = (),
                     ignore: Iterable[str] = (), enable_all: bool = False, profile: str | None = None,
                     switches: Iterable[str] = (), complete: bool = False) -> Settings:
    """Which rules run, at which severity and with which options: the
    configuration, then the command line's choices, which win. The one place
    the CLI and the Python API resolve them. Raises ConfigError."""
    select, ignore = list(select), list(ignore)
    settings = settings_from(config, registry)
    if complete:
        settings.complete = True
    if profile:
        settings.profile = profile
    if settings.profile is not None and registry.profiles and settings.profile not in registry.profiles:
        raise ConfigError(f"unknown profile {settings.profile!r} (choose from {', '.join(registry.profiles)})")
    unknown = [r for r in select + ignore if r not in registry]
    if unknown:
        raise ConfigError(f"unknown rule {unknown[0]!r}; `k8slint rules` lists them")
    if enable_all:
        settings.enabled.update(r.id for r in registry)
        settings.disabled.clear()
    if select:
        selected = set(select)
        settings.disabled.update(r.id for r in registry if r.id not in selected and r.check is not None)
        settings.enabled.update(selected)
        settings.disabled.difference_update(selected)
    settings.disabled.update(ignore)
    settings.switches.update(switches)
    return settings


def settings_from(config: Config, registry: Registry, settings: Settings | None = None) -> Settings:
    """Rule settings (on/off, severity, options, target version) from a configuration."""
    settings = settings or Settings()
    if config.get("extends") == "all":
        settings.enabled.update(r.id for r in registry)
    if config.get("profile"):
        settings.profile = config.get("profile")
    if config.get("complete") is True:
        settings.complete = True
    # a rule's switch is also a configuration key (strict-kinds: true)
    settings.switches.update(r.switch for r in registry if r.switch is not None and config.get(r.switch))
    if config.get("kube-version"):
        from .kube import versions

        try:
            versions.resolve(config.get("kube-version"))
        except ValueError as err:
            raise ConfigError(f"{config.where('kube-version')}: {err}") from None
        settings.kube_version = config.get("kube-version")
    for rule_id, value in (config.get("rules") or {}).items():
        at = config.where("rules", rule_id)
        if rule_id not in registry:
            raise ConfigError(f"{at}: unknown rule {rule_id!r}")
        rule = registry[rule_id]
        if value is False or value == "off":
            settings.disabled.add(rule_id)
            settings.enabled.discard(rule_id)
            continue
        settings.disabled.discard(rule_id)
        settings.enabled.add(rule_id)
        if value is True or value == "on":
            continue
        if isinstance(value, str):
            settings.severity[rule_id] = value
            continue
        for name, option_value in value.items():
            at = config.where("rules", rule_id, name)
            if name == "severity":
                settings.severity[rule_id] = option_value
                continue
            option = rule.options.get(name)
            if option is None:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(f"{at}: unknown option {name!r} for rule {rule_id} (options: {known})")
            try:
                settings.options.setdefault(rule_id, {})[name] = option.validate(option_value)
            except ValueError as err:
                raise ConfigError(f"{at}: option {name!r} of {rule_id}: {err}") from None
    for i, entry in enumerate(config.get("per-path") or []):
        for rule_id in entry["ignore"]:
            if rule_id not in registry:
                raise ConfigError(f"{config.where('per-path', i)}: unknown rule {rule_id!r}")
    for exemption in config.exemptions:
        for rule_id in exemption.rules:
            if rule_id not in registry:
                raise ConfigError(f"{config.path}:{exemption.line}: unknown rule {rule_id!r}")
    return settings

