"""Which files a run reads: explicit files, walked directories, stdin.

A folder given as an argument that holds a ``Chart.yaml`` or a
``kustomization.yaml`` is rendered (see :mod:`k8slint.load.render`). Other
directories are walked recursively for ``*.yaml``, ``*.yml`` and ``*.json``;
hidden files and folders are skipped, and so are the raw templates of a Helm
chart (``templates/`` beside a ``Chart.yaml``), which are not manifests until
``helm template`` renders them, and the patches a ``kustomization.yaml`` met
during the walk names (``patches``, ``patchesStrategicMerge``,
``patchesJson6902``): partial objects that mean something only applied to
their base. Files named explicitly are always read, except a patch named by
the kustomization beside it (pre-commit passes every staged file by name).

``--exclude`` globs follow .gitignore conventions: a pattern without ``/``
matches any single path component (``vendor``, ``*.json``); a pattern with
``/`` matches the whole path relative to the argument or the working
directory; ``**`` spans folders.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Discovery:
    files: list = field(default_factory=list)  # (display path, filesystem path or None for stdin)
    renders: list = field(default_factory=list)  # ("helm" | "kustomize", folder)
    missing: list = field(default_factory=list)
    skipped_templates: int = 0
    skipped_patches: int = 0


def kustomize_patches(folder: str, filenames) -> set:
    """Real paths of the patch files the folder's kustomization names (a file
    that does not parse names none: kustomize reports that, not us)."""
    import yaml

    from .render import KUSTOMIZATION_FILES

    out: set = set()
    for name in KUSTOMIZATION_FILES:
        if name not in filenames:
            continue
        try:
            with open(os.path.join(folder, name), "rb") as fh:
                spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(spec, dict):
            continue
        named = [e for e in spec.get("patchesStrategicMerge") or () if isinstance(e, str) and "\n" not in e]
        for key in ("patches", "patchesJson6902"):
            named += [e["path"] for e in spec.get(key) or () if isinstance(e, dict) and isinstance(e.get("path"), str)]
        out.update(os.path.realpath(os.path.join(folder, e)) for e in named)
    return out


def _is_patch_beside_kustomization(path: str, cache: dict) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in cache:
        try:
            cache[folder] = kustomize_patches(folder, os.listdir(folder))
        except OSError:
            cache[folder] = set()
    return os.path.realpath(path) in cache[folder]


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def excluded(rel_path: str, patterns) -> bool:
    """Whether a path (with "/" separators) matches any exclude pattern."""
    if not patterns:
        return False
    rel_path = rel_path.replace(os.sep, "/")
    while rel_path.startswith("./"):
        rel_path = rel_path[2:]
    parts = rel_path.split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        rx = _glob_regex(pattern)
        if "/" in pattern:
            if rx.match(rel_path) or any(rx.match("/".join(parts[i:])) for i in range(1, len(parts))):
                return True
        elif any(rx.match(part) for part in parts):
            return True
    return False


def _display(path: str) -> str:
    return os.path.normpath(path) if path not in ("-", "") else path


def discover(paths, excludes=(), render: bool = True) -> Discovery:
    """Files to read, and chart or kustomization folders to render (when
    ``render``: a folder given as an argument that holds a Chart.yaml or a
    kustomization.yaml is rendered instead of walked)."""
    from .render import is_chart, is_kustomization

    found = Discovery()
    seen = set()
    patch_folders: dict = {}

    def add(display, real):
        key = os.path.realpath(real) if real else "<stdin>"
        if key not in seen:
            seen.add(key)
            found.files.append((display, real))

    for arg in paths:
        if arg == "-":
            add("<stdin>", None)
            continue
        if os.path.isdir(arg) and render and is_chart(arg):
            found.renders.append(("helm", arg))
        elif os.path.isdir(arg) and render and is_kustomization(arg):
            found.renders.append(("kustomize", arg))
        elif os.path.isdir(arg):
            _walk(arg, excludes, found, add)
        elif os.path.exists(arg):
            if excluded(_display(arg), excludes) or excluded(os.path.abspath(arg), excludes):
                continue
            if _is_patch_beside_kustomization(arg, patch_folders):
                found.skipped_patches += 1  # as pre-commit passes it: staged alone
                continue
            add(_display(arg), arg)
        else:
            found.missing.append(f"{arg}: no such file or directory")
    return found


def _walk(root: str, excludes, found: Discovery, add) -> None:
    collected = []
    patches: set = set()
    for dirpath, dirnames, filenames in os.walk(root):
        patches |= kustomize_patches(dirpath, filenames)
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir
        kept = []
        for d in dirnames:
            rel = os.path.join(rel_dir, d)
            full = os.path.join(root, rel)
            if d.startswith(".") or excluded(rel, excludes) or excluded(full, excludes) \
                    or excluded(os.path.abspath(full), excludes):
                continue
            if d == "templates" and "Chart.yaml" in filenames:
                found.skipped_templates += sum(
                    1 for _, _, files in os.walk(os.path.join(dirpath, d))
                    for f in files if f.lower().endswith(MANIFEST_SUFFIXES))
                continue
            kept.append(d)
        dirnames[:] = sorted(kept)
        for f in filenames:
            if f.startswith(".") or not f.lower().endswith(MANIFEST_SUFFIXES):
                continue
            rel = os.path.join(rel_dir, f)
            full = os.path.join(dirpath, f)
            if excluded(rel, excludes) or excluded(_display(full), excludes) \
                    or excluded(os.path.abspath(full), excludes):
                continue
            collected.append((_display(full), full))
    for display, full in sorted(collected):
        if patches and os.path.realpath(full) in patches:
            found.skipped_patches += 1
            continue
        add(display, full)
