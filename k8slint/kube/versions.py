"""The Kubernetes versions k8slint can target.

They are the versions whose API schemas the installed kubernetes-validate
bundles, found by listing its data folder (without importing it, which
costs more than a whole one-file run).
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

#: used only when kubernetes-validate's data cannot be found
FALLBACK = tuple(f"1.{minor}" for minor in range(25, 38))


def parse(version: str) -> tuple[int, int]:
    """``"1.29"`` (or ``v1.29``, ``1.29.3``) -> (1, 29); ValueError otherwise."""
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", version.strip())
    if not m:
        raise ValueError(f"not a Kubernetes version: {version!r} (expected MAJOR.MINOR, e.g. 1.30)")
    return int(m.group(1)), int(m.group(2))


@lru_cache(maxsize=1)
def known() -> tuple[str, ...]:
    """Known versions, oldest first."""
    found = set()
    try:
        spec = importlib.util.find_spec("kubernetes_validate")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            data = os.path.join(location, "kubernetes-json-schema")
            if os.path.isdir(data):
                for entry in os.listdir(data):
                    m = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", entry)
                    if m:
                        found.add((int(m.group(1)), int(m.group(2))))
    versions = sorted(found) or [parse(v) for v in FALLBACK]
    return tuple(f"{a}.{b}" for a, b in versions)


def default() -> str:
    return known()[-1]


def resolve(version: str | None) -> tuple[int, int]:
    """The target version as a tuple; ValueError listing the known ones if unknown."""
    if version is None:
        return parse(default())
    wanted = parse(version)
    if f"{wanted[0]}.{wanted[1]}" not in known():
        raise ValueError(f"unknown Kubernetes version {version!r}; known versions: {', '.join(known())}")
    return wanted
