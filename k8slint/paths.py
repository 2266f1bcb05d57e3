"""YAML paths: tuples of mapping keys and sequence indices."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


class YPath(tuple[str | int, ...]):
    """A path inside one object: ``YPath(("spec",)) / "containers" / 0``.

    ``str(path)`` gives the dotted form used in reports:
    ``spec.template.spec.containers[0].volumeMounts[1].subPath``; keys that
    are not plain words are quoted: ``metadata.annotations["a.b/c"]``.
    """

    __slots__ = ()

    def __truediv__(self, part: str | int) -> "YPath":
        return YPath(tuple.__add__(self, (part,)))

    def __add__(self, other: Iterable[Any]) -> "YPath":  # tuple's own signature allows any items
        return YPath(tuple.__add__(self, tuple(other)))

    @property
    def parent(self) -> "YPath":
        return YPath(self[:-1])

    def __str__(self) -> str:
        return render(self)

    def __repr__(self) -> str:
        return f"YPath({render(self)!r})"


ROOT = YPath()


def render(path: Iterable[str | int]) -> str:
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


_PART = re.compile(r"""\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]""")


def parse(text: str) -> tuple[str | int, ...] | None:
    """The path :func:`render` printed as ``text``, as a tuple again (``a.b[0]["c/d"]`` ->
    ("a", "b", 0, "c/d")); None when ``text`` is not such a path."""
    out: list[str | int] = []
    at = 0
    while at < len(text):
        m = _PART.match(text, at)
        if m is None or (m.group(1) is not None and out and text[at] != "."):
            return None
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append(int(m.group(2)))
        else:
            try:
                out.append(json.loads(m.group(3)))
            except ValueError:
                return None
        at = m.end()
    return tuple(out)


def value_at(data: Any, path: Iterable[str | int]) -> Any:
    """The value at ``path`` inside ``data`` (mappings and lists), or None when the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
