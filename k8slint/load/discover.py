"""Which files a run reads: explicit files, walked directories, stdin, and
which chart and kustomization folders it renders.

A folder that holds a ``Chart.yaml`` or a ``kustomization.yaml`` is rendered
(see :mod:`k8slint.load.render`), whether it is given as an argument or met
during a walk; a walk does not go into it, since what it holds means
something only once rendered. Other directories are walked recursively for
``*.yaml``, ``*.yml`` and ``*.json``; hidden files and folders are skipped.

A file named explicitly (as pre-commit passes staged files) that lies inside
a chart or a kustomization folder makes that folder render, exactly as a walk
from the project root would: a raw template, a values file, a patch are never
read as manifests of their own. A kustomization folder brings along the
kustomizations of the project that build on it (an overlay of a staged base).

With rendering off (``--no-render``), folders are walked as plain files: the
raw templates of a chart (``templates/`` beside a ``Chart.yaml``) are
skipped, and so are the patches a ``kustomization.yaml`` names
(``patches``, ``patchesStrategicMerge``, ``patchesJson6902``), partial
objects that mean something only applied to their base.

``--exclude`` globs follow .gitignore conventions: a pattern without ``/``
matches any single path component (``vendor``, ``*.json``); a pattern with
``/`` matches the whole path relative to the argument or the working
directory; ``**`` spans folders.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
#: Helm template helpers, which pre-commit passes when they are staged
TEMPLATE_SUFFIXES = (".tpl",)


@dataclass
class Discovery:
    # (display path, filesystem path or None for stdin)
    files: list[tuple[str, str | None]] = field(default_factory=list)
    # ("helm" | "kustomize", folder, "argument" | "walk" | "file")
    renders: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped_templates: int = 0
    skipped_patches: int = 0
    real: dict[str | None, str] = field(default_factory=dict, repr=False)  # filesystem path -> real path
    _rendered: set[str] = field(default_factory=set, repr=False)

    def render(self, kind: str, folder: str, how: str) -> None:
        real = os.path.realpath(folder)
        if real not in self._rendered:
            self._rendered.add(real)
            self.renders.append((kind, _display(folder), how))


def _read_kustomization(path: str) -> dict[str, Any] | None:
    """A kustomization file's mapping; None when it cannot be read or is not a
    mapping (kustomize reports that, not us)."""
    import yaml

    try:
        with open(path, "rb") as fh:
            spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        return None
    return spec if isinstance(spec, dict) else None


def kustomize_patches(folder: str, filenames: Collection[str]) -> set[str]:
    """Real paths of the patch files the folder's kustomization names (a file
    that does not parse names none)."""
    from .render import KUSTOMIZATION_FILES

    out: set[str] = set()
    for name in KUSTOMIZATION_FILES:
        if name not in filenames:
            continue
        spec = _read_kustomization(os.path.join(folder, name))
        if spec is None:
            continue
        named = [e for e in spec.get("patchesStrategicMerge") or () if isinstance(e, str) and "\n" not in e]
        for key in ("patches", "patchesJson6902"):
            named += [e["path"] for e in spec.get(key) or () if isinstance(e, dict) and isinstance(e.get("path"), str)]
        out.update(os.path.realpath(os.path.join(folder, e)) for e in named)
    return out


def _is_patch_beside_kustomization(path: str, cache: dict[str, set[str]]) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in cache:
        try:
            cache[folder] = kustomize_patches(folder, os.listdir(folder))
        except OSError:
            cache[folder] = set()
    return os.path.realpath(path) in cache[folder]


@lru_cache(maxsize=8192)
def _real_folder(folder: str) -> str:
    """The real path of an absolute, normalised folder: its parent's, plus its
    name unless it is a symbolic link (one lstat per folder, not per part)."""
    parent, name = os.path.split(folder)
    if not name or parent == folder:
        return folder
    full = os.path.join(_real_folder(parent), name)
    return os.path.realpath(full) if os.path.islink(full) else full


def real_path(path: str) -> str:
    """``os.path.realpath``, resolving each folder once per run (a walk of a
    large repository asks for thousands of files in the same folders)."""
    path = os.path.abspath(path)
    if os.path.islink(path):
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    return os.path.join(_real_folder(folder), name)


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
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


def excluded(rel_path: str, patterns: Sequence[str]) -> bool:
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


def _renders_as(folder: str) -> str | None:
    from .render import is_chart, is_kustomization

    if is_chart(folder):
        return "helm"
    if is_kustomization(folder):
        return "kustomize"
    return None


def is_inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (both absolute and normalised alike)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def render_owner(path: str, root: str | None) -> tuple[str, str] | None:
    """(kind, folder): the outermost chart or kustomization folder that holds
    ``path``, below ``root`` (the project root; without one, the folders up
    to the working directory, or the file's own folder and its parent)."""
    folder = os.path.dirname(os.path.abspath(path))
    stop = os.path.abspath(root) if root else None
    if stop is not None and not is_inside(folder, stop):
        stop = None  # a file outside the project
    if stop is None:
        cwd = os.getcwd()
        stop = cwd if is_inside(folder, cwd) else os.path.dirname(folder)
    owner = None
    while True:
        kind = _renders_as(folder)
        if kind is not None:
            owner = (kind, folder)
        if folder == stop or os.path.dirname(folder) == folder:
            break
        folder = os.path.dirname(folder)
    return owner


def discover(paths: Iterable[str], excludes: Sequence[str] = (), render: bool = True,
             root: str | None = None) -> Discovery:
    """Files to read, and chart or kustomization folders to render (when
    ``render``). ``root`` is the project root, up to which a file given by
    name is looked up as part of a chart or kustomization."""
    found = Discovery()
    seen: set[str] = set()
    patch_folders: dict[str, set[str]] = {}
    staged_kustomizations: list[str] = []

    def add(display: str, path: str | None) -> None:
        key = real_path(path) if path else "<stdin>"
        if key not in seen:
            seen.add(key)
            found.files.append((display, path))
            found.real[path] = key

    for arg in paths:
        if arg == "-":
            add("<stdin>", None)
            continue
        kind = _renders_as(arg) if render and os.path.isdir(arg) else None
        if kind is not None:
            found.render(kind, arg, "argument")
        elif os.path.isdir(arg):
            _walk(arg, excludes, found, add, render)
        elif os.path.exists(arg):
            if excluded(_display(arg), excludes) or excluded(os.path.abspath(arg), excludes):
                continue
            if render:
                owner = render_owner(arg, root)
                if owner is not None:
                    found.render(owner[0], _relative(owner[1]), "file")
                    if owner[0] == "kustomize":
                        staged_kustomizations.append(owner[1])
                    continue
            if arg.lower().endswith(TEMPLATE_SUFFIXES):
                found.skipped_templates += 1  # a Helm helper outside any chart: nothing to lint
                continue
            if not render and _is_patch_beside_kustomization(arg, patch_folders):
                found.skipped_patches += 1  # as pre-commit passes it: staged alone
                continue
            add(_display(arg), arg)
        else:
            found.missing.append(f"{arg}: no such file or directory")
    if staged_kustomizations and root:
        for folder in kustomizations_building_on(staged_kustomizations, root, excludes):
            found.render("kustomize", _relative(folder), "file")
    return found


def _relative(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _walk(root: str, excludes: Sequence[str], found: Discovery, add: Callable[[str, str | None], None],
          render: bool = False) -> None:
    collected: list[tuple[str, str]] = []
    patches: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if not render:
            patches |= kustomize_patches(dirpath, filenames)
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir
        kept: list[str] = []
        for d in dirnames:
            rel = os.path.join(rel_dir, d)
            full = os.path.join(root, rel)
            if d.startswith(".") or excluded(rel, excludes) or excluded(full, excludes) \
                    or excluded(os.path.abspath(full), excludes):
                continue
            if render:
                kind = _renders_as(full)
                if kind is not None:
                    found.render(kind, full, "walk")
                    if kind == "kustomize":  # patches it names from outside its folder are not manifests either
                        try:
                            patches |= kustomize_patches(full, os.listdir(full))
                        except OSError:
                            pass
                    continue
            elif d == "templates" and "Chart.yaml" in filenames:
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
        if patches and real_path(full) in patches:
            found.skipped_patches += 1
            continue
        add(display, full)


def _local_bases(folder: str) -> list[str]:
    """The local folders a kustomization builds on (``resources``, ``bases``, ``components``)."""
    from .render import KUSTOMIZATION_FILES

    for name in KUSTOMIZATION_FILES:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        spec = _read_kustomization(path)
        if spec is None:
            return []
        out: list[str] = []
        for key in ("resources", "bases", "components"):
            for entry in spec.get(key) or ():
                if isinstance(entry, str) and "://" not in entry and not entry.startswith("git@"):
                    target = os.path.realpath(os.path.join(folder, entry))
                    if os.path.isdir(target):
                        out.append(target)
        return out
    return []


def kustomizations_building_on(folders: Iterable[str], root: str, excludes: Sequence[str] = ()) -> list[str]:
    """The kustomization folders under ``root`` whose builds include one of
    ``folders`` (directly or through other kustomizations), as a walk of
    ``root`` would render them."""
    targets = {os.path.realpath(f) for f in folders}
    found = Discovery()
    _walk(root, excludes, found, lambda display, real: None, render=True)
    candidates = [os.path.realpath(folder) for kind, folder, _ in found.renders if kind == "kustomize"]
    bases = {c: _local_bases(c) for c in candidates}
    out: list[str] = []
    changed = True
    reached = set(targets)
    while changed:
        changed = False
        for folder, uses in bases.items():
            if folder not in reached and any(u in reached for u in uses):
                reached.add(folder)
                out.append(folder)
                changed = True
    return out
