"""Findings kept between runs: what the rules of scope "object" found in each object.

A rule of scope "object" reads its object alone (the engine holds it to
that), so what it finds depends on nothing but the object's document, the
code of k8slint and its rules, the rule's options, the target Kubernetes
version and the run's default namespace. Those findings are kept beside the
parse cache, one entry per text (a file, a render), and a later run with the
same text asks the kept findings instead of running those rules again: a warm
run of an unchanged repository only runs the rules that read the graph.

An entry's name is a digest of the text and of everything else its findings
depend on but the options, which are part of each rule's key inside the
entry; a change to any file of k8slint or of a rule pack changes every name.
Entries are pickled (findings carry their fixes), written whole to a
temporary file and renamed, and pruned with the parse cache's entries. A
damaged entry is ignored; nothing here ever fails a run.

A whole run is kept too: when a run loads the same texts from the same
places, in the same working directory, on the same day, with the same code
and settings (:func:`run_key`), every rule would find what it found last
time, so the results of all the rules are replayed and the graph is built
only if a report draws it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .findings import Finding

if TYPE_CHECKING:
    import datetime

    from .findings import Result
    from .load import LoadResult
    from .load.cache import ParseCache
    from .settings import Settings
    from .model import K8sObject
    from .registry import Registry

_MAGIC = b"k8slintF"
_PLACES = ("places",)  # the key, in an entry, of the places of paths located in its documents
#: bumped when the layout of an entry changes
FORMAT = 2

#: where a finding is: ((line, column, exact), [(line, column) of each related place])
Place = tuple[tuple[int, int, bool], list[tuple[int, int]]]
#: one kept finding: (path, message, severity, fix, related, at, place): the place is kept too, since the
#: entry is for the same text, so a later run need not build the document's position table
Kept = tuple[tuple[Any, ...], str, Any, Any, list[tuple[tuple[Any, ...], str]], Any, Place]


def code_signature(registry: Registry) -> str:
    """A digest of every file of k8slint and of the rule packs the registry holds (name, size and
    modification time): any change to the code that finds something changes it."""
    import importlib

    import k8slint

    from .load import cache

    folders = list(getattr(k8slint, "__path__", ()))
    folders += list(getattr(importlib.import_module("k8slint.rules"), "__path__", ()))
    files: set[str] = set()
    for folder in folders:
        for top, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            files.update(os.path.join(top, n) for n in names if n.endswith(".py"))
    for rule in registry:  # a user's rules folder
        module = sys.modules.get(rule.module)
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            files.add(file)
    digest = cache.blake2b(f"kept={FORMAT}".encode(), digest_size=16)
    for path in sorted(files):
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class KeptFindings:
    """The findings of rules of scope "object", by object, read and written through a parse cache's folder."""

    def __init__(self, cache: ParseCache, signature: str) -> None:
        self.cache = cache
        self.signature = signature
        self._entries: dict[int, tuple[str | None, dict[Any, Any]]] = {}  # id(source) -> entry
        self._dirty: set[int] = set()

    def _entry(self, obj: K8sObject) -> tuple[str | None, dict[Any, Any]]:
        source = obj.document.source
        found = self._entries.get(id(source))
        if found is None:
            text = getattr(source, "text", None)
            name = self.cache.key(f"{self.signature}\0{text}") if isinstance(text, str) else None
            found = self._entries[id(source)] = (name, self._read(name) if name is not None else {})
        return found

    def _load(self, name: str, magic: bytes) -> Any:
        """What :meth:`_store` kept under ``name``; None when nothing (usable) is there."""
        import pickle

        if self.cache is None:
            return None
        try:
            with open(os.path.join(self.cache.path, name), "rb") as fh:
                data = fh.read()
            return pickle.loads(data[len(magic):]) if data.startswith(magic) else None
        except Exception:  # missing, damaged, or written by other code: found again
            return None

    def _store(self, name: str, magic: bytes, value: Any) -> None:
        """Keep ``value`` under ``name``. Never raises: what cannot be kept is found again next time."""
        import pickle

        from .load.cache import replace_with

        if self.cache is None:
            return
        try:
            data = magic + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value pickle cannot store
            return
        replace_with(os.path.join(self.cache.path, name), data)

    def _read(self, name: str) -> dict[Any, Any]:
        table = self._load(name, _MAGIC)
        return table if isinstance(table, dict) else {}

    def get(self, obj: K8sObject) -> dict[str, list[Kept]]:
        """The kept findings of ``obj``: rule key -> findings (an empty dict to fill when none are kept)."""
        _, table = self._entry(obj)
        slot = (obj.document.index, tuple(obj.base or ()))
        found = table.get(slot)
        if found is None:
            found = table[slot] = {}
        return found

    def place(self, obj: K8sObject, path: tuple[Any, ...]) -> tuple[int, int, bool] | None:
        """Where ``path`` (a path in ``obj``'s document) was found in an earlier run of the same text."""
        _, table = self._entry(obj)
        places = table.get(_PLACES)
        return places.get((obj.document.index, path)) if places is not None else None

    def record(self, obj: K8sObject, path: tuple[Any, ...], place: tuple[int, int, bool]) -> None:
        """Remember where ``path`` is: a later run of the same text finds it without the position table
        (the findings of rules that read the graph are found again, but usually at the same places)."""
        _, table = self._entry(obj)
        places = table.get(_PLACES)
        if places is None:
            places = table[_PLACES] = {}
        places[(obj.document.index, path)] = place
        self._dirty.add(id(obj.document.source))

    def keep(self, obj: K8sObject, stored: dict[str, list[Kept]], key: str, findings: Iterable[Finding],
             places: Iterable[Place]) -> None:
        """Keep what a rule found in ``obj``, and where (``stored`` is :meth:`get`'s dict for it)."""
        stored[key] = [(tuple(f.path), f.message, f.severity, f.fix, [(tuple(p), t) for p, t in f.related], f.at,
                        place) for f, place in zip(findings, places)]
        self._dirty.add(id(obj.document.source))

    def replay(self, key: str, objects: list[K8sObject]) -> list[Result] | None:
        """The results of the rules of a run with the same :func:`run_key`, rebuilt on this run's
        ``objects`` (the graph's, in order); None when no such run was kept."""
        from .flat import rebuilt_result

        flats = self._load(key, _RUN_MAGIC)
        if not isinstance(flats, list):
            return None
        identities: dict[int, dict[str, Any]] = {}
        try:
            return [rebuilt_result(item, objects, identities) for item in flats]
        except Exception:  # kept by other code: the rules run
            return None

    def record_run(self, key: str, results: list[Result], objects: list[K8sObject]) -> None:
        """Keep a run's rule results under its :func:`run_key`. Never raises."""
        from .flat import flat

        if self.cache is not None:
            index = {id(obj): i for i, obj in enumerate(objects)}
            self._store(key, _RUN_MAGIC, [flat(r, index) for r in results])

    def save(self) -> None:
        """Write the entries that gained findings. Never raises."""
        for source_id in self._dirty:
            name, table = self._entries[source_id]
            if name is not None:
                self._store(name, _MAGIC, table)
        self._dirty.clear()


_RUN_MAGIC = b"k8slintR"


def run_key(kept: KeptFindings, loaded: LoadResult, context: LoadResult | None, settings: Settings,
            today: datetime.date) -> str:
    """A digest of everything a run's rule findings depend on: k8slint's code and the rule packs
    (the signature), the settings, the working directory (units are named from it), the day
    (certificates expire), and every text the run loaded, with where it came from."""
    from .load.cache import blake2b

    digest = blake2b(f"run={FORMAT}\0{kept.signature}".encode("utf-8", "surrogateescape"), digest_size=20)

    def add(*parts: object) -> None:
        digest.update(("\0".join(map(repr, parts)) + "\n").encode("utf-8", "surrogateescape"))

    add(os.getcwd(), today.isoformat())
    add(sorted(settings.disabled), sorted(settings.enabled), sorted(settings.severity.items()),
        sorted((rule, sorted(values.items())) for rule, values in settings.options.items()),
        settings.kube_version, settings.profile, sorted(settings.switches), settings.complete)
    for part, load_result in (("linted", loaded), ("context", context)):
        seen: set[int] = set()
        for doc in load_result.documents if load_result is not None else ():
            source = doc.source
            if id(source) not in seen:
                seen.add(id(source))
                text = source.text if isinstance(source.text, str) else ""
                add(part, source.display, source.path, source.rendered_by, getattr(source, "folder", None),
                    kept.cache.key(text) if kept.cache is not None else text)
    return digest.hexdigest()


def rebuilt(kept: list[Kept]) -> tuple[list[Finding], list[Place]]:
    """Kept findings as findings again, and their places."""
    return ([Finding(path, message, severity, fix, related, at) for path, message, severity, fix, related, at, _ in kept],
            [place for *_, place in kept])
