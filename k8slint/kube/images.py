"""Container image references, parsed as the kubelet and container runtimes parse them.

The grammar is the one of the distribution reference library
(github.com/distribution/reference, ``reference.go``)::

    reference        := name [ ":" tag ] [ "@" digest ]
    name             := [domain '/'] remote-name
    domain           := host [':' port-number]
    host             := domain-name | IPv4address | '[' IPv6address ']'
    domain-name      := domain-component ['.' domain-component]*
    domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    port-number      := /[0-9]+/
    remote-name      := path-component ['/' path-component]*
    path-component   := alpha-numeric [separator alpha-numeric]*
    alpha-numeric    := /[a-z0-9]+/
    separator        := /[_.]|__|[-]+/
    tag              := /[\\w][\\w.-]{0,127}/
    digest           := algorithm ":" hex   (algorithm /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*/,
                                            hex /[0-9a-fA-F]{32,}/)

The first component of the name is a registry host only when it contains
a ``.`` or a ``:``, is ``localhost``, or has an upper-case letter (Docker's
normalization, which the kubelet applies); otherwise the image is on
Docker Hub (``nginx`` is ``docker.io/library/nginx``). A reference with
neither tag nor digest means the tag ``latest``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
DEFAULT_TAG = "latest"
NAME_MAX = 255  # the whole name (domain and path), as in the reference library

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9A-Fa-f:.]+(?:%[0-9A-Za-z]+)?\])"
_TAG = r"\w[\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

_DOMAIN_RE = re.compile(rf"{_HOST}(?::[0-9]+)?\Z", re.ASCII)
_PATH_RE = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*\Z", re.ASCII)
_TAG_RE = re.compile(rf"{_TAG}\Z", re.ASCII)
_DIGEST_RE = re.compile(rf"{_DIGEST}\Z", re.ASCII)
_IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}\Z")


class ImageRefError(ValueError):
    """An image reference that a container runtime refuses (``InvalidImageName``)."""


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference; ``domain`` is None when none is written."""

    domain: str | None
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """The name as written: ``registry:5000/team/app``, ``nginx``."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def registry(self) -> str:
        return self.domain or DEFAULT_DOMAIN

    @property
    def repository(self) -> str:
        """The fully qualified repository: ``docker.io/library/nginx``."""
        if self.domain is None:
            path = self.path if "/" in self.path else f"library/{self.path}"
            return f"{DEFAULT_DOMAIN}/{path}"
        return self.name

    @property
    def effective_tag(self) -> str | None:
        """The tag the runtime pulls: the written tag, ``latest`` when there is
        neither tag nor digest, None for a digest-only reference."""
        if self.tag is not None:
            return self.tag
        return None if self.digest else DEFAULT_TAG

    @property
    def pinned(self) -> bool:
        """Whether the reference names content by digest (a tag beside it is ignored for pulling)."""
        return self.digest is not None

    def __str__(self) -> str:
        out = self.name
        if self.tag is not None:
            out += f":{self.tag}"
        if self.digest is not None:
            out += f"@{self.digest}"
        return out


def _split_domain(name: str) -> tuple[str | None, str]:
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        return first, rest
    return None, name


def parse(reference: str) -> ImageRef:
    """Parse an image reference; :class:`ImageRefError` says why one is invalid."""
    if not isinstance(reference, str):
        raise ImageRefError("not a string")
    if not reference:
        raise ImageRefError("empty reference")
    if reference != reference.strip():
        raise ImageRefError("leading or trailing whitespace")
    digest: str | None
    rest, at, digest = reference.partition("@")
    if at:
        if not _DIGEST_RE.match(digest):
            raise ImageRefError(f"invalid digest {digest!r}")
    else:
        digest = None
    # a tag follows the last ':' that comes after the last '/' (a ':' before it is a port)
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag: str | None = None
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
        if not tag:
            raise ImageRefError("empty tag after ':'")
        if not _TAG_RE.match(tag):
            raise ImageRefError(f"invalid tag {tag!r}")
    if not rest:
        raise ImageRefError("empty name")
    if len(rest) > NAME_MAX:
        raise ImageRefError(f"name longer than {NAME_MAX} characters")
    if _IDENTIFIER_RE.match(rest):
        raise ImageRefError("a 64-character hexadecimal string is an image ID, not a repository name")
    domain, path = _split_domain(rest)
    if domain is not None and not _DOMAIN_RE.match(domain):
        raise ImageRefError(f"invalid registry host {domain!r}")
    if not path:
        raise ImageRefError("empty repository path")
    if path.lower() != path:
        raise ImageRefError("repository name must be lowercase")
    if not _PATH_RE.match(path):
        raise ImageRefError(f"invalid repository name {path!r}")
    return ImageRef(domain, path, tag, digest)


def try_parse(reference: str) -> ImageRef | None:
    try:
        return parse(reference)
    except ImageRefError:
        return None
