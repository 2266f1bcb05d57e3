"""API schemas: validate objects against the Kubernetes OpenAPI schemas and CRDs.

Built-in kinds use the strict JSON Schemas that kubernetes-validate bundles
for each Kubernetes version (read as data from its package folder, without
importing it), validated with jsonschema-rs: validators are compiled once per
(Kubernetes version, apiVersion, kind) and report every error with its
instance path.

Custom resources use the ``openAPIV3Schema`` of their CustomResourceDefinition
(apiextensions.k8s.io/v1), translated to JSON Schema with the structural-schema
semantics the API server applies for ``kubectl apply`` with strict field
validation: unknown fields are errors unless ``x-kubernetes-preserve-unknown-fields``
keeps them, ``x-kubernetes-int-or-string`` accepts both, an
``x-kubernetes-embedded-resource`` carries apiVersion/kind/metadata, a field
with a ``default`` is not required (defaulting runs before validation), and
``nullable`` allows null.

Errors become (path, message) pairs a person can act on: one per problem,
with no cascades from ``oneOf`` branches.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from ..paths import value_at
from .kinds import split_api_version

if TYPE_CHECKING:
    import jsonschema_rs

    from ..model import K8sObject

_Path = tuple[str | int, ...]  # a path inside an object: keys and list indices

_DEFS_URI = "https://kubernetes.io/api/_definitions.json"


def _data_dir() -> str | None:
    try:
        spec = importlib.util.find_spec("kubernetes_validate")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(location, "kubernetes-json-schema")
        if os.path.isdir(path):
            return path
    return None


def package_text(name: str) -> str:
    """The text of a file of ``k8slint.schemas`` (the schemas k8slint ships), read by path:
    importlib.resources, which only a zipped install needs, costs a tenth of a small run's start-up."""
    import importlib

    package = importlib.import_module("k8slint.schemas")
    for folder in getattr(package, "__path__", ()):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                return fh.read()
    import importlib.resources  # pragma: no cover - a zipped install

    return importlib.resources.files("k8slint.schemas").joinpath(name).read_text(encoding="utf-8")  # pragma: no cover


#: a folder where the built-in schemas are kept between runs, cut down to what each kind needs (the CLI
#: sets it to the parse cache's folder); None: each run reads the whole bundle
cache_dir: str | None = None


def _refs(node: Any, out: set[str]) -> None:
    """The names of the definitions ``node`` refers to (``#/$defs/NAME``)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                out.add(ref[len("#/$defs/"):])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


class Schemas:
    """Validators for the built-in kinds of one Kubernetes version.

    The bundle of definitions (1.8 MB of JSON) is read only when needed: with
    :data:`cache_dir` set, the first run keeps an index (apiVersion and kind to
    definition) and, for each definition a validator is compiled for, the
    definitions it reaches; later runs read those small files instead.
    """

    def __init__(self, version: tuple[int, ...]) -> None:
        self.version = version
        self._validators: dict[tuple[str, str], jsonschema_rs.Validator | None] = {}
        self._gvk: dict[tuple[str, str, str], str] | None = None
        self._whole: dict[str, Any] | None = None
        folder = _data_dir()
        self._path = os.path.join(folder, f"v{version[0]}.{version[1]}.0-local-strict", "_definitions.json") \
            if folder else None
        try:
            info = os.stat(self._path) if self._path else None
        except OSError:
            info = None
        self._kept = os.path.join(cache_dir, f"schemas-{version[0]}.{version[1]}-{info.st_size}-{info.st_mtime_ns}") \
            if cache_dir and info is not None else None
        self._exists = info is not None

    # the bundle, whole or cut down ------------------------------------------------------------------------------
    def _bundle(self) -> dict[str, Any]:
        if self._whole is None:
            self._whole = {}
            if self._exists:
                with open(cast(str, self._path), "rb") as fh:
                    self._whole = json.load(fh)
        return self._whole

    @property
    def definitions(self) -> dict[str, Any]:
        found: dict[str, Any] = self._bundle().get("$defs", {})
        return found

    def _read_kept(self, name: str) -> Any:
        if self._kept is None:
            return None
        import marshal

        try:
            with open(os.path.join(self._kept, name), "rb") as fh:
                return marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def _keep(self, name: str, value: Any) -> None:
        """Write a file of the kept schemas; a folder that cannot be written keeps nothing, silently."""
        if self._kept is None:
            return
        import marshal

        from ..load.cache import replace_with

        try:
            os.makedirs(self._kept, exist_ok=True)
            data = marshal.dumps(value)
        except (OSError, ValueError):
            return
        replace_with(os.path.join(self._kept, name), data)

    def _index(self) -> dict[tuple[str, str, str], str]:
        if self._gvk is None:
            kept = self._read_kept("index")
            if isinstance(kept, dict):
                self._gvk = kept
            else:
                self._gvk = {}
                for name, schema in self.definitions.items():
                    for gvk in schema.get("x-kubernetes-group-version-kind") or ():
                        self._gvk[(gvk.get("group", ""), gvk.get("version"), gvk.get("kind"))] = name
                self._keep("index", self._gvk)
        return self._gvk

    def _cut(self, name: str) -> dict[str, Any]:
        """A bundle of the definition ``name`` and every definition it reaches, nothing else."""
        kept = self._read_kept(f"def-{name}")
        if isinstance(kept, dict):
            return kept
        definitions = self.definitions
        wanted, todo = {name}, [name]
        while todo:
            found: set[str] = set()
            _refs(definitions.get(todo.pop()), found)
            for other in found - wanted:
                wanted.add(other)
                todo.append(other)
        bundle = {key: value for key, value in self._bundle().items() if key != "$defs"}
        bundle["$defs"] = {key: definitions[key] for key in sorted(wanted) if key in definitions}
        self._keep(f"def-{name}", bundle)
        return bundle

    # what rules ask -------------------------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return bool(self._index())

    def definition_for(self, api_version: str, kind: str) -> str | None:
        group, version = split_api_version(api_version)
        return self._index().get((group, version, kind))

    def api_versions(self, kind: str) -> list[str]:
        """Every apiVersion (``apps/v1``, ``v1``) that serves ``kind`` at this version."""
        return [f"{group}/{version}" if group else version for group, version, k in self._index() if k == kind]

    def validator(self, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
        key = (api_version, kind)
        if key not in self._validators:
            name = self.definition_for(api_version, kind)
            if name is None:
                self._validators[key] = None
            else:
                import jsonschema_rs

                registry = jsonschema_rs.Registry([(_DEFS_URI, self._cut(name))])
                self._validators[key] = jsonschema_rs.validator_for(
                    {"$ref": f"{_DEFS_URI}#/$defs/{name}"}, registry=registry)
        return self._validators[key]

    def properties_at(self, schema_path: Sequence[str | int]) -> list[str]:
        """The property names allowed by the definition an error points into."""
        if len(schema_path) >= 2 and schema_path[0] == "$defs":
            node = self.definitions.get(cast(str, schema_path[1]), {})  # a definition's name
            return sorted((node.get("properties") or {}).keys())
        return []


@lru_cache(maxsize=4)
def builtin(version: tuple[int, ...]) -> Schemas:
    return Schemas(tuple(version))


# component configuration files ----------------------------------------------------

#: apiVersion -> the schema file (in k8slint.schemas) of the configuration kinds of that version, generated
#: by scripts/config_schemas.py from the upstream Go types (each file records its source and commit)
CONFIG_SCHEMA_FILES = {
    "kubeadm.k8s.io/v1beta4": "config-kind-kubeadm-v1beta4.json",
    "kubeadm.k8s.io/v1beta3": "config-kind-kubeadm-v1beta3.json",
    "kubelet.config.k8s.io/v1beta1": "config-kind-kubelet-v1beta1.json",
    "kubelet.config.k8s.io/v1alpha1": "config-kind-kubelet-v1alpha1.json",
    "kubelet.config.k8s.io/v1": "config-kind-kubelet-v1.json",
    "kubeproxy.config.k8s.io/v1alpha1": "config-kind-kubeproxy-v1alpha1.json",
}


class ConfigSchemas:
    """Schemas of the configuration files of kubeadm, the kubelet and kube-proxy.

    They are not Kubernetes API objects, so kubernetes-validate has no schema
    for them; k8slint ships its own, generated from the Go types (their known
    fields and JSON types; fields typed in other packages are left open).
    """

    def __init__(self) -> None:
        self._bundles: dict[str, dict[str, Any] | None] = {}
        self._validators: dict[tuple[str, str], jsonschema_rs.Validator | None] = {}

    def bundle(self, api_version: str) -> dict[str, Any] | None:
        if api_version not in self._bundles:
            name = CONFIG_SCHEMA_FILES.get(api_version) if isinstance(api_version, str) else None
            found = None
            if name is not None:
                found = json.loads(package_text(name))
            self._bundles[api_version] = found
        return self._bundles[api_version]

    def source(self, api_version: str) -> str | None:
        bundle = self.bundle(api_version)
        return cast("str | None", bundle.get("x-k8slint-source")) if bundle else None

    def validator(self, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
        key = (api_version, kind)
        if key not in self._validators:
            bundle = self.bundle(api_version)
            validator = None
            if bundle is not None and kind in (bundle.get("kinds") or {}):
                import jsonschema_rs

                validator = jsonschema_rs.validator_for({"$defs": bundle["$defs"], "$ref": f"#/$defs/{kind}"})
            self._validators[key] = validator
        return self._validators[key]

    def properties_at(self, api_version: str, kind: str, path: Sequence[str | int]) -> list[str]:
        """The field names allowed at a path of a configuration object."""
        bundle = self.bundle(api_version)
        if bundle is None:
            return []
        defs = bundle["$defs"]

        def resolve(node: Any) -> dict[str, Any]:
            for _ in range(64):
                if not isinstance(node, dict):
                    return {}
                if "$ref" in node:
                    node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
                elif "anyOf" in node:
                    node = next((n for n in node["anyOf"] if isinstance(n, dict) and n.get("type") != "null"), {})
                else:
                    return node
            return {}

        node = resolve(defs.get(kind, {}))
        for part in path:
            if isinstance(part, int):
                node = resolve(node.get("items", {}))
            else:
                node = resolve((node.get("properties") or {}).get(part) or node.get("additionalProperties") or {})
        return sorted((node.get("properties") or {}).keys())


@lru_cache(maxsize=1)
def config_kinds() -> ConfigSchemas:
    return ConfigSchemas()


# custom resources ------------------------------------------------------------------

_KEEP = ("enum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "multipleOf",
         "minProperties", "maxProperties", "minimum", "maximum", "format")


def structural(node: object, root: bool = False) -> dict[str, Any]:
    """A CRD openAPIV3Schema node as JSON Schema with strict-field-validation semantics."""
    if not isinstance(node, dict):
        return {}
    out: dict[str, Any] = {}
    nullable = node.get("nullable") is True
    kind = node.get("type")
    if node.get("x-kubernetes-int-or-string") is True:
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}] + ([{"type": "null"}] if nullable else [])
    elif isinstance(kind, str):
        out["type"] = [kind, "null"] if nullable else kind
    for key in _KEEP:
        if key in node:
            out[key] = node[key]
    # OpenAPI v3 writes exclusive bounds as booleans next to minimum/maximum
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if node.get(bound) is True and limit in node:
            out[bound] = out.pop(limit)
    properties = node.get("properties")
    props = {k: structural(v) for k, v in properties.items()} if isinstance(properties, dict) else {}
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if node.get("x-kubernetes-embedded-resource") is True or root:
        for field in ("apiVersion", "kind"):
            props.setdefault(field, {"type": "string"})
        meta = props.get("metadata") or {"type": "object"}
        meta.pop("additionalProperties", None)  # the API server validates ObjectMeta itself
        props["metadata"] = meta
    if props:
        out["properties"] = props
    required = node.get("required")
    if isinstance(required, list):
        defaulted = {k for k, v in (properties or {}).items() if isinstance(v, dict) and "default" in v}
        required = [r for r in required if isinstance(r, str) and r not in defaulted]
        if required:
            out["required"] = required
    if "items" in node:
        items = node["items"]
        out["items"] = structural(items) if isinstance(items, dict) else {}
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = structural(extra)
    elif isinstance(extra, bool):
        out["additionalProperties"] = extra
    elif (kind == "object" or props) and not preserve:
        out["additionalProperties"] = False  # unknown fields are rejected, not pruned, under Strict
    for combinator in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(combinator), list):
            # structural schemas only restrict values there; unknown fields are decided above
            out[combinator] = [_loose(structural(x)) for x in node[combinator]]
    if isinstance(node.get("not"), dict):
        out["not"] = _loose(structural(node["not"]))
    return out


def _loose(schema: dict[str, Any]) -> dict[str, Any]:
    schema.pop("additionalProperties", None)
    return schema


def _field_schema(schema: object, key: str) -> dict[str, Any] | None:
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get(key), dict):
        return cast("dict[str, Any]", properties[key])
    extra = schema.get("additionalProperties")
    return cast("dict[str, Any]", extra) if isinstance(extra, dict) else None


def _prune_nulls(value: Any, schema: dict[str, Any] | None) -> Any:
    if isinstance(value, dict):
        out: dict[Any, Any] | None = None
        for key, item in value.items():
            field = _field_schema(schema, key) if isinstance(key, str) else None
            if item is None and field is not None and field.get("nullable") is not True:
                if out is None:
                    out = dict(value)
                if "default" in field:
                    out[key] = field["default"]  # defaulting fills it before validation
                else:
                    del out[key]
                continue
            pruned = _prune_nulls(item, field)
            if pruned is not item:
                if out is None:
                    out = dict(value)
                out[key] = pruned
        return value if out is None else out
    if isinstance(value, list):
        items = schema.get("items") if isinstance(schema, dict) else None
        pruned_items = [_prune_nulls(item, items if isinstance(items, dict) else None) for item in value]
        return value if all(a is b for a, b in zip(pruned_items, value)) else pruned_items
    return value


class CustomResources:
    """Schemas of the custom resources defined by CRDs (in the run or given with --crds)."""

    def __init__(self, crds: Iterable[K8sObject]) -> None:
        self._schemas: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._validators: dict[tuple[str, str, str], jsonschema_rs.Validator | None] = {}
        self.kinds: set[tuple[str, str]] = set()  # (group, kind) defined by some CRD
        for crd in crds:
            spec: Any = crd.raw.get("spec") if isinstance(crd.raw.get("spec"), dict) else {}
            names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
            group, kind = spec.get("group"), names.get("kind")
            if not isinstance(group, str) or not isinstance(kind, str):
                continue
            self.kinds.add((group, kind))
            for version in spec.get("versions") or []:
                if not isinstance(version, dict) or version.get("served") is False:
                    continue
                schema = (version.get("schema") or {}).get("openAPIV3Schema") \
                    if isinstance(version.get("schema"), dict) else None
                if isinstance(version.get("name"), str) and isinstance(schema, dict):
                    self._schemas[(group, version["name"], kind)] = schema

    def knows(self, api_version: str, kind: str) -> bool:
        group, _ = split_api_version(api_version)
        return (group, kind) in self.kinds

    def validator(self, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
        group, version = split_api_version(api_version)
        key = (group, version, kind)
        if key not in self._validators:
            schema = self._schemas.get(key)
            if schema is None:
                self._validators[key] = None
            else:
                import jsonschema_rs

                try:
                    self._validators[key] = jsonschema_rs.validator_for(structural(schema, root=True))
                except (ValueError, jsonschema_rs.ValidationError):
                    self._validators[key] = None  # a schema the API server would refuse: not ours to judge here
        return self._validators[key]

    def without_pruned_nulls(self, api_version: str, kind: str, value: Any) -> Any:
        """The object as the API server validates it: non-nullable nulls removed.

        Before validating a custom resource, the apiextensions server deletes
        every ``null`` map value whose schema is not ``nullable`` (and fills
        those with a ``default`` with it), so such nulls are never an error
        (``PruneNonNullableNullsWithoutDefaults``, apiextensions-apiserver
        pkg/apiserver/schema/defaulting/prunenulls.go). Only map values are
        pruned, so the paths of everything that stays are unchanged. The
        object itself is never modified; a copy is made only where needed.
        """
        group, version = split_api_version(api_version)
        schema = self._schemas.get((group, version, kind))
        return _prune_nulls(value, schema) if schema is not None else value

    def properties_at(self, api_version: str, kind: str, path: Sequence[str | int]) -> list[str]:
        group, version = split_api_version(api_version)
        node = structural(self._schemas.get((group, version, kind), {}), root=True)
        for part in path:
            if isinstance(part, int):
                node = node.get("items", {})
            else:
                node = (node.get("properties") or {}).get(part) or node.get("additionalProperties") or {}
            if not isinstance(node, dict):
                return []
        return sorted((node.get("properties") or {}).keys())


# errors to messages ----------------------------------------------------------------

_TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
               "object": "a mapping", "array": "a list", "null": "null"}
_WELL_KNOWN = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "a number or a string (a port number or a port name, "
                                                       "a count or a percentage)",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "a quantity such as 500m, 2 or 1Gi",
}
_YAML_BOOLEANS = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
                  "true", "True", "TRUE", "false", "False", "FALSE"}


def describe_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the number {value:g}" if isinstance(value, float) else f"the number {value}"
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def human_name(definition: str) -> str:
    """``io.k8s.api.core.v1.PodSpec`` -> ``pod spec``."""
    short = definition.rsplit(".", 1)[-1]
    special = {"ObjectMeta": "metadata", "PodSpec": "pod spec", "PodTemplateSpec": "pod template"}
    if short in special:
        return special[short]
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+", short)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


def _field(path: Sequence[str | int]) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def explain(errors: Iterable[jsonschema_rs.ValidationError], instance: Any,
            allowed_names: Callable[[jsonschema_rs.ValidationError], list[str]],
            source_token: Callable[[_Path], str | None] | None = None,
            written: Any = None) -> list[tuple[_Path, str]]:
    """Turn validation errors into (path, message) pairs, one per problem.

    ``allowed_names(error)`` gives the property names allowed where an
    unknown field was found; ``source_token(path)`` the text of a scalar as
    written, to explain YAML typing surprises; ``written`` the object as
    written when ``instance`` is what the API server makes of it (nulls
    pruned), to explain a required field that was there as ``null``.
    """
    out: list[tuple[_Path, str]] = []
    seen: set[tuple[_Path, str]] = set()
    covered: list[_Path] = []  # paths whose value is wrong as a whole: no more findings below them
    suggested: set[tuple[_Path, str]] = set()  # (path, name) offered as "did you mean": its absence is the same problem
    errors = sorted(errors, key=lambda e: (e.kind.name != "additionalProperties", len(list(e.instance_path))))
    for e in errors:
        path = tuple(e.instance_path)
        if any(path[:len(c)] == c for c in covered):
            continue
        keyword = e.kind.name
        detail = e.kind.as_dict() if hasattr(e.kind, "as_dict") else {}
        schema_path = list(e.schema_path)
        value = value_at(instance, path)
        if keyword == "additionalProperties":
            allowed = allowed_names(e)
            where = human_name(cast(str, schema_path[1])) if len(schema_path) > 2 and schema_path[0] == "$defs" else \
                (f"`{_field(path)}`" if path else "the object")
            for name in detail.get("unexpected", []):
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6) if allowed else []
                if not close and allowed:
                    close = [a for a in allowed if a.lower() == str(name).lower()]
                hint = f" — did you mean `{close[0]}`?" if close else ""
                if close:
                    suggested.add((path, close[0]))
                item = (path + (name,), f"unknown field `{name}` in {where}{hint}")
                if item not in seen:
                    seen.add(item)
                    out.append(item)
            continue
        if keyword == "required":
            missing = detail.get("property")
            if (path, missing) in suggested:
                continue  # reported as the misspelt field already
            where = human_name(cast(str, schema_path[1])) if len(schema_path) > 2 and schema_path[0] == "$defs" else \
                (f"`{_field(path)}`" if path else "the object")
            parent = value_at(written, path) if written is not None else None
            if isinstance(parent, dict) and missing in parent and parent[missing] is None:
                item = (path + (missing,), f"required field `{missing}` in {where} is null: the API server drops "
                                           "a null the schema does not allow, and then the field is missing")
            else:
                item = (path + (missing,), f"missing required field `{missing}` in {where}")
        elif keyword in ("type", "oneOf", "anyOf"):
            covered.append(path)
            if keyword == "type":
                wanted = [t for t in detail.get("types", []) if t != "null"] or detail.get("types", [])
                expected = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
            else:
                definition = cast(str, schema_path[1]) if len(schema_path) > 2 and schema_path[0] == "$defs" else ""
                expected = _WELL_KNOWN.get(definition) or "a value of another type"
            message = f"`{_field(path)}` must be {expected}, not {describe_value(value)}"
            token = source_token(path) if source_token else None
            if isinstance(value, bool) and token in _YAML_BOOLEANS and token not in ("true", "false"):
                message += f" (YAML reads the unquoted `{token}` as a boolean)"
            if "string" in wanted_types(keyword, detail, expected) and isinstance(value, (bool, int, float)):
                message += f"; quote it: \"{token if token is not None else value}\""
            item = (path, message)
        elif keyword == "enum":
            options = ", ".join(json.dumps(o) for o in detail.get("options", []))
            item = (path, f"`{_field(path)}` must be one of {options}, not {describe_value(value)}")
        else:
            item = (path, f"`{_field(path)}`: {e.message}")
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def wanted_types(keyword: str, detail: dict[str, Any], expected: str) -> list[str]:
    if keyword == "type":
        return list(detail.get("types", []))
    return ["string"] if "string" in expected else []


