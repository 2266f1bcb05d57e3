"""Generate JSON Schemas for the component configuration files from their Go types.

    python scripts/config_schemas.py KIND-SPEC... --out schemas/config-kinds/NAME.json \\
        --api-version GROUP/VERSION --source URL --commit SHA --release 1.37 TYPES.go...

A KIND-SPEC is a Go type name registered as a kind (``KubeletConfiguration``).
The Go files are the package's ``types.go`` (one version of one API group),
read from a checkout of the upstream repository at the recorded commit, e.g.

- k8s.io/kubelet ``config/v1beta1/types.go`` (github.com/kubernetes/kubelet),
- k8s.io/kube-proxy ``config/v1alpha1/types.go`` (github.com/kubernetes/kube-proxy),
- kubeadm ``cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go`` (github.com/kubernetes/kubernetes).

What the schema says, and what it leaves open (precision first: a valid
configuration must never be reported):

- every struct of the package is a definition whose known fields are its
  ``json`` names (a field without a tag keeps its Go name, ``json:"-"`` is
  left out, ``json:",inline"`` merges the embedded struct); unknown fields
  are rejected (``additionalProperties: false``), as the components' strict
  decoders do;
- a struct definition accepts an object or ``null``, as Go's decoder does;
- scalars get their JSON type (``string``, ``boolean``, ``integer``,
  ``number``), slices ``array``, maps ``object``; every field also accepts
  ``null``, which Go's decoder ignores for any type;
- types of other packages are open: ``metav1.Duration`` and ``metav1.Time``
  are strings, ``resource.Quantity`` and ``intstr.IntOrString`` a string or a
  number, anything else (core/v1 Taint and EnvVar, component-base logging,
  tracing and client connection settings, bootstrap tokens) any value.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

_STRUCT = re.compile(r"^type\s+(\w+)\s+struct\s*\{(.*?)^\}", re.S | re.M)
_ALIAS = re.compile(r"^type\s+(\w+)\s+(\[\]\w+|map\[\w+\]\w+|\w+)\s*$", re.M)
_FIELD = re.compile(r"^\s*(?:(\w+)\s+)?([\w.\[\]*]+)\s*(`[^`]*`)?\s*(//.*)?$")
_JSON_TAG = re.compile(r'json:"([^"]*)"')

_SCALARS = {"string": {"type": "string"}, "bool": {"type": "boolean"}, "float32": {"type": "number"},
            "float64": {"type": "number"}, "byte": {"type": "integer"}}
_EXTERNAL = {
    "metav1.Duration": {"type": "string"},
    "metav1.Time": {"type": "string"},
    "resource.Quantity": {"type": ["string", "number"]},
    "intstr.IntOrString": {"type": ["string", "integer"]},
}


def _strip_comments(body: str) -> list[str]:
    lines = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        lines.append(line)
    return lines


def parse_go(source: str) -> tuple[dict[str, list[tuple[str | None, str, str | None]]], dict[str, str]]:
    """Structs (name -> [(field name or None if embedded, Go type, json tag)]) and named
    non-struct types (name -> underlying Go type) of one Go file."""
    structs: dict[str, list[tuple[str | None, str, str | None]]] = {}
    for m in _STRUCT.finditer(source):
        fields: list[tuple[str | None, str, str | None]] = []
        for line in _strip_comments(m.group(2)):
            fm = _FIELD.match(line)
            if not fm:
                continue
            name, gotype, tag = fm.group(1), fm.group(2), fm.group(3)
            json_tag = None
            if tag:
                jm = _JSON_TAG.search(tag)
                json_tag = jm.group(1) if jm else None
            fields.append((name, gotype, json_tag))
        structs[m.group(1)] = fields
    aliases = {m.group(1): m.group(2) for m in _ALIAS.finditer(source) if m.group(1) not in structs}
    return structs, aliases


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return schema  # every struct definition allows null itself (no anyOf: errors stay precise)
    kind = schema.get("type")
    if kind is None:
        return schema  # any value
    kinds = kind if isinstance(kind, list) else [kind]
    return {**schema, "type": kinds + ["null"]}


def go_type(gotype: str, structs: dict[str, Any], aliases: dict[str, str]) -> dict[str, Any]:
    """The JSON Schema of a Go type expression."""
    gotype = gotype.lstrip("*")
    if gotype.startswith("[]"):
        inner = gotype[2:]
        if inner == "byte":
            return {"type": "string"}  # base64
        return {"type": "array", "items": _nullable(go_type(inner, structs, aliases))}
    if gotype.startswith("map["):
        close = gotype.index("]")
        return {"type": "object", "additionalProperties": _nullable(go_type(gotype[close + 1:], structs, aliases))}
    if gotype in _SCALARS:
        return dict(_SCALARS[gotype])
    if re.fullmatch(r"u?int(8|16|32|64)?", gotype):
        return {"type": "integer"}
    if gotype in _EXTERNAL:
        return dict(_EXTERNAL[gotype])
    if "." in gotype:
        return {}  # another package's type: any value
    if gotype in structs:
        return {"$ref": f"#/$defs/{gotype}"}
    if gotype in aliases:
        return go_type(aliases[gotype], structs, aliases)
    return {}


def struct_schema(name: str, structs: dict[str, Any], aliases: dict[str, str], top: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    open_ended = False
    for field, gotype, tag in structs[name]:
        json_name = tag.split(",")[0] if tag is not None else None
        inline = tag is not None and ",inline" in tag
        if json_name == "-":
            continue
        if field is None or inline:  # embedded
            base = gotype.lstrip("*")
            if base == "metav1.TypeMeta":
                properties["apiVersion"] = {"type": "string"}
                properties["kind"] = {"type": "string"}
            elif base in structs:
                properties.update(struct_schema(base, structs, aliases)["properties"])
            else:
                open_ended = True  # an embedded type of another package: its fields are unknown here
            continue
        properties[json_name or field] = _nullable(go_type(gotype, structs, aliases))
    schema: dict[str, Any] = {"type": ["object", "null"], "properties": properties}
    if not open_ended:
        schema["additionalProperties"] = False
    return schema


def build(kinds: list[str], sources: list[str]) -> dict[str, Any]:
    structs: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for text in sources:
        found, named = parse_go(text)
        structs.update(found)
        aliases.update(named)
    missing = [k for k in kinds if k not in structs]
    if missing:
        raise SystemExit(f"kinds not found in the Go files: {', '.join(missing)}")
    defs = {name: struct_schema(name, structs, aliases) for name in sorted(structs)}
    return {"$defs": defs, "kinds": {kind: {"$ref": f"#/$defs/{kind}"} for kind in kinds}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="Go files of one API version")
    parser.add_argument("--kind", action="append", required=True, help="a Go type registered as a kind")
    parser.add_argument("--api-version", required=True)
    parser.add_argument("--source", required=True, help="where the Go files come from (repository and path)")
    parser.add_argument("--commit", required=True, help="the commit the Go files were read at")
    parser.add_argument("--release", required=True, help="the Kubernetes release of that commit")
    parser.add_argument("--note", default="", help="how the files were obtained, if not straight from upstream")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    sources = []
    for path in args.files:
        with open(path, encoding="utf-8") as fh:
            sources.append(fh.read())
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by scripts/config_schemas.py from the Go types; do not edit by hand.",
        "x-k8slint-api-version": args.api_version,
        "x-k8slint-source": args.source,
        "x-k8slint-commit": args.commit,
        "x-k8slint-release": args.release,
        **({"x-k8slint-note": args.note} if args.note else {}),
        **build(args.kind, sources),
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(schema, fh, indent=1, sort_keys=False)
        fh.write("\n")
    print(f"wrote {args.out}: {len(schema['$defs'])} definitions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
