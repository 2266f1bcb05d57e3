"""Reporters: one module per output format, each a ``write(report, stream, **kw)``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..engine import Registry
    from ..pipeline import Report

FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "markdown", "html")


def plural(n: int, word: str) -> str:
    """``1 error``, ``1,204 warnings``, ``3 info``."""
    return f"{n:,} {word}{'' if n == 1 or word == 'info' else 's'}"


def write(fmt: str, report: Report, stream: TextIO, registry: Registry | None, color: bool = False) -> None:
    module = importlib.import_module(f"{__name__}.{fmt}")
    module.write(report, stream, registry=registry, color=color)
