"""Value formats the API server's validation code checks beyond the OpenAPI schema.

Each validator takes a value and returns the reasons it is invalid (an empty
list when it is valid), worded after the upstream messages, so a rule can
quote what the API server would say. They mirror, without copying, the
functions of k8s.io/apimachinery:

- ``pkg/util/validation/validation.go``: :func:`dns1123_label`,
  :func:`dns1123_subdomain`, :func:`dns1035_label`,
  :func:`wildcard_dns1123_subdomain`, :func:`port_name` (IsValidPortName,
  the IANA_SVC_NAME syntax), :func:`port_number`, :func:`env_var_name`
  (IsEnvVarName and, from Kubernetes 1.32, IsRelaxedEnvVarName),
  :func:`config_map_key`, :func:`percent`, :func:`http_header_name`;
- ``pkg/api/validate/content/kube.go``: :func:`qualified_name` (IsLabelKey,
  also called IsQualifiedName) and :func:`label_value`;
- ``pkg/api/validation/generic.go`` and ``path/name.go``: the name
  functions (:func:`name_is_dns1123_subdomain` and friends, which accept a
  trailing ``-`` in a ``generateName`` prefix) and
  :func:`path_segment_name`;
- ``pkg/api/resource/quantity.go``: :func:`parse_quantity`, which reads a
  quantity (``500m``, ``1.5Gi``, ``2e3``) exactly as ParseQuantity does,
  into an exact :class:`fractions.Fraction` for comparisons.

Go regular expressions anchored with ``^...$`` match the whole string, so
every pattern here is used with :meth:`re.Pattern.fullmatch`. Lengths are
Go byte lengths (UTF-8), which only matter for values the patterns reject
anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache, wraps

__all__ = [
    "DNS1123_LABEL_MAX", "DNS1123_SUBDOMAIN_MAX", "LABEL_VALUE_MAX", "QuantityError", "config_map_key",
    "dns1035_label", "dns1123_label", "dns1123_subdomain", "env_var_name", "format_quantity", "http_header_name",
    "is_ip_address", "label_value", "name_is_dns1035_label", "name_is_dns1123_label", "name_is_dns1123_subdomain",
    "parse_quantity", "path_segment_name", "percent", "port_name", "port_number", "qualified_name",
    "wildcard_dns1123_subdomain",
]

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_MAX = 63
LABEL_VALUE_MAX = 63
QUALIFIED_NAME_MAX = 63
PORT_NAME_MAX = 15

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_WILDCARD_SUBDOMAIN = re.compile(r"\*\." + _DNS1123_SUBDOMAIN.pattern)
_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")
_ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_CONFIG_MAP_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_PERCENT = re.compile(r"[0-9]+%")
_HTTP_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+")
# net.ParseIP accepts dotted quads (the "sloppy" parser of k8s.io/utils/net also leading zeros) and IPv6
_IPV4 = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){3}")

DNS1123_LABEL_MESSAGE = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                         "and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')")
DNS1123_SUBDOMAIN_MESSAGE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                             "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')")
DNS1035_LABEL_MESSAGE = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                         "alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')")
NAME_PART_MESSAGE = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                     "alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')")
LABEL_VALUE_MESSAGE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                       "and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')")


def _remembered(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """``check`` once per distinct value in a run (manifests repeat the same names, labels and keys
    thousands of times); each caller gets a list of its own."""
    cached = lru_cache(maxsize=16384)(lambda value: tuple(check(value)))

    @wraps(check)
    def remembered(value: str) -> list[str]:
        return list(cached(value))

    return remembered


def _max_len(limit: int) -> str:
    return f"must be no more than {limit} characters"


def _length(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


# DNS names (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsWildcardDNS1123Subdomain) --------------------

@_remembered
def dns1123_label(value: str) -> list[str]:
    """A lowercase RFC 1123 label (container, volume and port names; namespaces)."""
    errors = []
    if _length(value) > DNS1123_LABEL_MAX:
        errors.append(_max_len(DNS1123_LABEL_MAX))
    if not _DNS1123_LABEL.fullmatch(value):
        errors.append("must not contain dots" if _DNS1123_SUBDOMAIN.fullmatch(value) else DNS1123_LABEL_MESSAGE)
    return errors


@_remembered
def dns1123_subdomain(value: str) -> list[str]:
    """A lowercase RFC 1123 subdomain (most object names, hosts)."""
    errors = []
    if _length(value) > DNS1123_SUBDOMAIN_MAX:
        errors.append(_max_len(DNS1123_SUBDOMAIN_MAX))
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        errors.append(DNS1123_SUBDOMAIN_MESSAGE)
    return errors


@_remembered
def dns1035_label(value: str) -> list[str]:
    """An RFC 1035 label: an RFC 1123 label that starts with a letter (Service names)."""
    errors = []
    if _length(value) > DNS1035_LABEL_MAX:
        errors.append(_max_len(DNS1035_LABEL_MAX))
    if not _DNS1035_LABEL.fullmatch(value):
        errors.append(DNS1035_LABEL_MESSAGE)
    return errors


def wildcard_dns1123_subdomain(value: str) -> list[str]:
    """``*.`` followed by a subdomain (wildcard Ingress hosts)."""
    errors = []
    if _length(value) > DNS1123_SUBDOMAIN_MAX:
        errors.append(_max_len(DNS1123_SUBDOMAIN_MAX))
    if not _WILDCARD_SUBDOMAIN.fullmatch(value):
        errors.append("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
                      "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
                      "character (e.g. '*.example.com')")
    return errors


def is_ip_address(value: str) -> bool:
    """Whether net.ParseIP (as k8s.io/utils/net's sloppy variant) reads ``value`` as an IP address."""
    if _IPV4.fullmatch(value):
        return all(int(part) <= 255 for part in value.split("."))
    if ":" in value:
        import ipaddress
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return False
        return True
    return False


# object names (pkg/api/validation/generic.go, path/name.go) -------------------------------------------------------

def _mask_trailing_dash(name: str) -> str:
    """A generateName prefix may end in '-': the generated suffix follows it (maskTrailingDash)."""
    return name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name


def name_is_dns1123_subdomain(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNSSubdomain: the name rule of most kinds."""
    return dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1123_label(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNSLabel: Namespaces, StatefulSets."""
    return dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNS1035Label: Services."""
    return dns1035_label(_mask_trailing_dash(name) if prefix else name)


def path_segment_name(name: str, prefix: bool = False) -> list[str]:
    """IsValidPathSegmentName (ValidatePathSegmentName): the minimal rule every object name meets,
    and the whole rule for RBAC objects and PodDisruptionBudgets: not '.' or '..', no '/' or '%'."""
    errors = []
    if not prefix and name in (".", ".."):
        errors.append(f"may not be '{name}'")
    for bad in ("/", "%"):
        if bad in name:
            errors.append(f"may not contain '{bad}'")
    return errors


NameValidator = Callable[[str, bool], "list[str]"]


# label keys and values (content.IsLabelKey, content.IsLabelValue) -------------------------------------------------

@_remembered
def qualified_name(value: str) -> list[str]:
    """A label key, annotation key (lower-cased first), finalizer or selector key:
    an optional DNS subdomain prefix and '/', then a name of at most 63 characters."""
    parts = value.split("/")
    if len(parts) > 2:
        return [f"a valid label key {NAME_PART_MESSAGE} with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName'): at most one '/'"]
    errors = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend(f"prefix part {msg}" for msg in dns1123_subdomain(prefix))
    if not name:
        errors.append("name part must be non-empty")
    elif _length(name) > QUALIFIED_NAME_MAX:
        errors.append(f"name part {_max_len(QUALIFIED_NAME_MAX)}")
    if not _NAME_PART.fullmatch(name):
        errors.append(f"name part {NAME_PART_MESSAGE}")
    return errors


@_remembered
def label_value(value: str) -> list[str]:
    """A label value: empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric."""
    errors = []
    if _length(value) > LABEL_VALUE_MAX:
        errors.append(_max_len(LABEL_VALUE_MAX))
    if not _LABEL_VALUE.fullmatch(value):
        errors.append(LABEL_VALUE_MESSAGE)
    return errors


# ports (IsValidPortName, IsValidPortNum) ---------------------------------------------------------------------------

@_remembered
def port_name(value: str) -> list[str]:
    """An IANA_SVC_NAME (RFC 6335): at most 15 of [-a-z0-9], at least one letter, no '--', no '-' at either end."""
    errors = []
    if _length(value) > PORT_NAME_MAX:
        errors.append(_max_len(PORT_NAME_MAX))
    if not _PORT_NAME_CHARS.fullmatch(value):
        errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errors.append("must contain at least one letter (a-z)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen")
    return errors


def port_number(value: int) -> list[str]:
    return [] if 1 <= value <= 65535 else ["must be between 1 and 65535, inclusive"]


# other formats -------------------------------------------------------------------------------------------------------

def env_var_name(value: str, relaxed: bool) -> list[str]:
    """An environment variable name (also an envFrom prefix); see :func:`_env_var_name`."""
    return list(_env_var_name(value, relaxed))


@lru_cache(maxsize=16384)
def _env_var_name(value: str, relaxed: bool) -> tuple[str, ...]:
    """An environment variable name (also an envFrom prefix).

    Strict (IsEnvVarName, Kubernetes 1.31 and earlier): letters, digits,
    '_', '-', '.', not starting with a digit, and not '.', '..' or '..'-prefixed.
    Relaxed (IsRelaxedEnvVarName, RelaxedEnvironmentVariableValidation, on by
    default from 1.32): any printable ASCII character but '='.
    """
    if relaxed:
        if not value:
            return ("environment variable name must be non-empty",)
        if any(not " " <= ch <= "~" or ch == "=" for ch in value):
            return ("a valid environment variable name must consist only of printable ASCII characters other "
                    "than '='",)
        return ()
    errors = []
    if not _ENV_VAR_NAME.fullmatch(value):
        errors.append("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                      "or '.', and must not start with a digit (e.g. 'my.env-name', 'MY_ENV.NAME' or 'MyEnvName1')")
    errors.extend(_chdir_prefix(value))
    return tuple(errors)


def _chdir_prefix(value: str) -> list[str]:
    if value in (".", ".."):
        return [f"must not be '{value}'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


@_remembered
def config_map_key(value: str) -> list[str]:
    """A ConfigMap or Secret data key (IsConfigMapKey)."""
    errors = []
    if _length(value) > DNS1123_SUBDOMAIN_MAX:
        errors.append(_max_len(DNS1123_SUBDOMAIN_MAX))
    if not _CONFIG_MAP_KEY.fullmatch(value):
        errors.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                      "(e.g. 'key.name', 'KEY_NAME' or 'key-name')")
    errors.extend(_chdir_prefix(value))
    return errors


def percent(value: str) -> list[str]:
    """An int-or-percent string: digits followed by '%' (IsValidPercent)."""
    if _PERCENT.fullmatch(value):
        return []
    return ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')"]


def http_header_name(value: str) -> list[str]:
    if _HTTP_HEADER_NAME.fullmatch(value):
        return []
    return ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name')"]


# quantities (resource.ParseQuantity) -------------------------------------------------------------------------------

class QuantityError(ValueError):
    pass


QUANTITY_FORMAT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_NANO = Fraction(1, 10**9)


def _scan_quantity(text: str) -> tuple[bool, str, str, str]:
    """(positive, integer digits, fraction digits, suffix), scanned as parseQuantityString does."""
    pos, end = 0, len(text)
    positive = True
    if text[:1] in ("-", "+"):
        positive = text[0] == "+"
        pos = 1
    start = pos
    while pos < end and "0" <= text[pos] <= "9":
        pos += 1
    whole = text[start:pos]
    fraction = ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and "0" <= text[pos] <= "9":
            pos += 1
        fraction = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and "0" <= text[pos] <= "9":
        pos += 1
    if pos != end:
        raise QuantityError(f"quantities must match the regular expression '{QUANTITY_FORMAT}'")
    return positive, whole, fraction, text[suffix_start:]


def parse_quantity(value: object) -> Fraction:
    """The exact amount of a quantity (a string, or a YAML number read as its JSON text),
    rounded up to the nano scale as the API server stores it; QuantityError if it is not one."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise QuantityError("a quantity must be a string or a number")
    text = value if isinstance(value, str) else (str(value) if isinstance(value, int) else repr(value))
    return _parse_quantity_text(text, isinstance(value, float))


@lru_cache(maxsize=4096)
def _parse_quantity_text(text: str, from_float: bool) -> Fraction:
    """:func:`parse_quantity` of a quantity's text (once per distinct text in a run)."""
    if from_float and text.endswith(".0"):
        text = text[:-2]  # JSON writes 2.0 as 2
    if not text:
        raise QuantityError(f"quantities must match the regular expression '{QUANTITY_FORMAT}'")
    if text == "0":
        return Fraction(0)
    positive, whole, fraction, suffix = _scan_quantity(text)
    if suffix in _DECIMAL_SUFFIXES:
        base, exponent = 10, _DECIMAL_SUFFIXES[suffix]
    elif suffix in _BINARY_SUFFIXES:
        base, exponent = 2, _BINARY_SUFFIXES[suffix]
    elif len(suffix) > 1 and suffix[0] in "eE" and re.fullmatch(r"[+-]?[0-9]+", suffix[1:]):
        base, exponent = 10, int(suffix[1:])
        if abs(exponent) > 2**63 - 1:
            raise QuantityError("unable to parse quantity's suffix")
    else:
        raise QuantityError("unable to parse quantity's suffix")
    try:
        amount = Fraction(Decimal(f"{whole or '0'}.{fraction or '0'}"))
    except InvalidOperation as err:  # pragma: no cover - the scanner only lets digits through
        raise QuantityError("unable to parse numeric part of quantity") from err
    amount *= Fraction(base) ** exponent
    if amount and amount.denominator != 1:
        # round up (away from zero) to a whole number of nano units
        nanos = amount / _NANO
        amount = Fraction(-(-nanos.numerator // nanos.denominator)) * _NANO
    return amount if positive else -amount


def format_quantity(value: object) -> str:
    """A quantity as the manifest writes it (for messages)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
