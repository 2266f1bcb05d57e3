"""Rule settings from a YAML file: which rules run, their severity, their options.

::

    kube-version: "1.30"                     # target Kubernetes version
    rules:
      missing-liveness-probe: off            # or on
      job-missing-ttl: info                  # a severity
      sysctl-unsafe:                         # options (and optionally severity)
        allowed-unsafe-sysctls: ["kernel.msg*", "net.core.somaxconn"]
      cronjob-history-limits:
        severity: error
        max: 5

Errors name the offending key and its line.
"""

from __future__ import annotations

from .engine import SEVERITIES, Registry, Settings
from .load import decode
from .load.yamlpos import parse_stream


class ConfigError(Exception):
    pass


def load_settings(path: str, registry: Registry, settings: Settings | None = None) -> Settings:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    text, error, line, _ = decode(raw)
    if text is None:
        raise ConfigError(f"{path}:{line + 1}: {error}")
    docs, problems = parse_stream(text)
    if problems:
        p = problems[0]
        raise ConfigError(f"{path}:{p.line + 1}:{p.column + 1}: {p.message}")
    data = docs[0].data if docs else None
    positions = docs[0].positions if docs else {}
    return apply_settings(data or {}, positions, path, registry, settings or Settings())


def apply_settings(data, positions: dict, path: str, registry: Registry, settings: Settings) -> Settings:
    def where(p) -> str:
        pos = positions.get(tuple(p))
        return f"{path}:{pos[0] + 1}" if pos else path

    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    for key in data:
        if key not in ("rules", "kube-version"):
            raise ConfigError(f"{where((key,))}: unknown key {key!r} (expected: kube-version, rules)")
    if "kube-version" in data:
        from .kube import versions

        value = data["kube-version"]
        if not isinstance(value, str):
            raise ConfigError(f"{where(('kube-version',))}: write the version as a string, e.g. \"1.30\" "
                              f"(unquoted it is read as the number {value!r})")
        try:
            versions.resolve(value)
        except ValueError as err:
            raise ConfigError(f"{where(('kube-version',))}: {err}") from None
        settings.kube_version = str(value)
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{where(('rules',))}: 'rules' must map rule ids to settings")
    for rule_id, value in rules.items():
        at = where(("rules", rule_id))
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
            if value not in SEVERITIES:
                raise ConfigError(f"{at}: {value!r} is not off, on or a severity ({', '.join(SEVERITIES)})")
            settings.severity[rule_id] = value
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"{at}: expected off, on, a severity or a mapping of options")
        for name, option_value in value.items():
            at = where(("rules", rule_id, name))
            if name == "severity":
                if option_value not in SEVERITIES:
                    raise ConfigError(f"{at}: severity must be one of {', '.join(SEVERITIES)}")
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
    return settings

