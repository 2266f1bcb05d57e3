"""Reading the certificate of a TLS Secret (shared by the tls-* rules).

``cryptography`` is imported only when a certificate is actually parsed, so
runs without TLS Secrets do not pay for the import.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from k8slint.model import mapping

KEY = "tls.crt"
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True)
class LeafCertificate:
    """The first certificate of a ``tls.crt`` chain and where it is written."""

    path: tuple  # ("data", "tls.crt") or ("stringData", "tls.crt")
    not_after: datetime  # timezone-aware, UTC
    subject: str
    dns_names: tuple  # subjectAltName DNS entries, as written in the certificate
    chain_length: int


def _pem_bytes(obj) -> tuple[tuple, bytes] | None:
    """The PEM text of ``tls.crt``: stringData wins over data, as on the API server."""
    string_data = mapping(obj.raw.get("stringData"))
    value = string_data.get(KEY)
    if isinstance(value, str):
        return ("stringData", KEY), value.encode("utf-8", errors="replace")
    value = mapping(obj.raw.get("data")).get(KEY)
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", value), validate=True)
    except (binascii.Error, ValueError):
        return None  # not base64: the API server rejects the Secret (or a template was not rendered)
    return ("data", KEY), raw


def leaf_certificate(obj) -> LeafCertificate | None:
    """The leaf certificate of a Secret's ``tls.crt``, or None when there is none that parses
    (missing key, empty or placeholder value, invalid base64, PEM or DER)."""
    found = _pem_bytes(obj)
    if found is None:
        return None
    path, pem = found
    blocks = _PEM.findall(pem)
    if not blocks:
        return None
    try:
        der = base64.b64decode(re.sub(rb"\s+", b"", blocks[0]), validate=True)
    except (binascii.Error, ValueError):
        return None
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
        not_after = getattr(cert, "not_valid_after_utc", None)
        if not_after is None:
            not_after = cert.not_valid_after.replace(tzinfo=timezone.utc)
        subject = cert.subject.rfc4514_string()
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            dns_names = tuple(san.get_values_for_type(x509.DNSName))
        except x509.ExtensionNotFound:
            dns_names = ()
    except Exception:  # noqa: BLE001  (malformed DER, duplicate extensions, ...: not a usable certificate)
        return None
    return LeafCertificate(path, not_after, subject, dns_names, len(blocks))


def now() -> datetime:
    return datetime.now(timezone.utc)


def covers(pattern: str, host: str) -> bool:
    """Whether a certificate DNS name covers a host name (RFC 6125, section 6.4).

    Comparison ignores case and a trailing dot. A wildcard is only honoured
    as the whole left-most label of a name with at least two more labels
    (``*.example.com``), and it stands for exactly one label: it covers
    ``www.example.com``, not ``example.com`` nor ``a.b.example.com``. A host
    that is itself a wildcard (an Ingress may list ``*.example.com``) is
    covered only by the same wildcard.
    """
    pattern = pattern.strip().rstrip(".").lower()
    host = host.strip().rstrip(".").lower()
    if not pattern or not host:
        return False
    if pattern == host:
        return True
    if host.startswith("*"):
        return False
    p_labels = pattern.split(".")
    h_labels = host.split(".")
    if p_labels[0] != "*" or "*" in ".".join(p_labels[1:]) or len(p_labels) < 3:
        return False
    return len(h_labels) == len(p_labels) and h_labels[0] != "" and h_labels[1:] == p_labels[1:]
