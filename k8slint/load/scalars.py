"""Plain-scalar resolution as the Kubernetes API server and kubectl see it.

Kubernetes reads YAML through sigs.k8s.io/yaml, a fork of go-yaml v2, and then
converts the result to JSON. That is YAML 1.1 with Go's number parsing, which
neither PyYAML (YAML 1.1 with Python rules) nor ruamel.yaml (YAML 1.2 by
default) reproduces. The table, for an unquoted (plain) scalar:

==========================================  =================================
plain scalar                                value
==========================================  =================================
``y Y yes Yes YES true True TRUE on On ON``  ``true``
``n N no No NO false False FALSE off ...``   ``false``
empty, ``~ null Null NULL``                  ``null``
``0644``, ``0o644``, ``0x1F``, ``0b101``     Go ``ParseInt(s, 0)``: 420, 420, 31, 5
``1_000``                                    1000 (underscores are dropped)
``08``, ``1e3``, ``1.5``                     floats: 8.0, 1000.0, 1.5
``.inf -.inf .nan`` (and case variants)      floats
``1:20`` (YAML 1.1 base 60)                  the string ``"1:20"``
``2024-01-01`` (timestamps)                  the string ``"2024-01-01"``
anything else                                the string itself
==========================================  =================================

Quoted and block scalars are always strings. Explicit tags ``!!str``,
``!!int``, ``!!float``, ``!!bool`` and ``!!null`` are honoured; other tags
leave the text as it is.
"""

from __future__ import annotations

import math
import re

STR_TAG = "tag:yaml.org,2002:str"

_TRUE = ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
_FALSE = ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")
_NULL = ("", "~", "null", "Null", "NULL")

#: plain scalars whose value comes from a fixed table (go-yaml v2 ``resolveMap``)
FIXED: dict[str, object] = {}
FIXED.update(dict.fromkeys(_TRUE, True))
FIXED.update(dict.fromkeys(_FALSE, False))
FIXED.update(dict.fromkeys(_NULL, None))
FIXED.update(dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan))
FIXED.update(dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf))
FIXED.update(dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf))

#: first characters after which a plain scalar may be something other than a string
MAYBE_TYPED = frozenset("+-0123456789.yYnNtTfFoO~")
_NUMERIC_START = frozenset("+-0123456789")

# Go's strconv.ParseInt(s, 0, 64) syntax, after go-yaml removed every "_".
_GO_INT = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")

_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1


def _go_int(text: str) -> int | None:
    m = _GO_INT.fullmatch(text)
    if m is None:
        return None
    sign, hexa, octo, bina, lead0, dec = m.groups()
    for digits, most in ((hexa, 16), (octo, 22), (bina, 64), (lead0, 22), (dec, 20)):
        if digits is not None and len(digits.lstrip("0")) > most:
            return None  # beyond uint64, as Go's ParseUint says (and too long for int() to convert at all)
    if hexa is not None:
        value = int(hexa, 16)
    elif octo is not None:
        value = int(octo, 8)
    elif bina is not None:
        value = int(bina, 2)
    elif lead0 is not None:
        value = int(lead0, 8)
    else:
        value = int(dec)
    if sign == "-":
        value = -value
        return value if value >= _INT64_MIN else None
    # ParseInt up to int64, then ParseUint (which takes no sign) up to uint64
    if value <= _UINT64_MAX and (sign == "" or value < 2**63):
        return value
    return None


def resolve_plain(text: str) -> object:
    """The value of a plain (unquoted, untagged) scalar, as Kubernetes reads it."""
    if text in FIXED:
        return FIXED[text]
    first = text[0]
    if first in _NUMERIC_START:
        plain = text.replace("_", "")
        value = _go_int(plain)
        if value is not None:
            return value
        if _YAML_FLOAT.fullmatch(plain):
            number = float(plain)
            if not math.isinf(number):  # Go's ParseFloat reports a range error
                return number
        return text
    if first == "." and _DOT_FLOAT.fullmatch(text):
        return float(text)
    return text


def resolve_tagged(tag: str, text: str) -> object:
    """The value of a scalar with an explicit tag (``!!int "5"``)."""
    short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag
    if short in ("str", "binary", "timestamp"):
        return text
    if short in ("int", "float", "bool", "null"):
        value = resolve_plain(text) if text else None
        if short == "float" and type(value) is int:
            return float(value)
        if short == "int" and type(value) is int:
            return value
        if short == "bool" and type(value) is bool:
            return value
        if short == "null" and value is None:
            return None
        if short == "float" and type(value) is float:
            return value
        return text
    # local or unknown tags: the text is kept as written
    return text


def key_string(value: object) -> str:
    """How sigs.k8s.io/yaml turns a non-string mapping key into a JSON key."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)
