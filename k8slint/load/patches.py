"""Which kustomize patch, or which line of a resource file, holds a field of a built object.

A kustomize resource is plain YAML, so there a field is looked up by its YAML
path in the resource's document (list items told apart by merge key, since a
patch may reorder them); where the resource lacks the field, the nearest
mapping or list on its way stands for it. A position inside a value is left to
the search by text of :mod:`k8slint.load.origins`.

A value that a kustomize patch set is not in the resource file at all. The
build lists the transformers that ran over each object, in order
(``transformerAnnotations``; :func:`k8slint.load.render.take_transformations`);
the patches among them are read from the kustomizations that configured them
(``patches``, ``patchesStrategicMerge``, ``patchesJson6902``: files and inline
strings), and the last patch applied to the object that writes the finding's
field (its YAML path) wins. A finding on a field is then placed in that patch:

- strategic merge: the field's key in the patch document for the object, list
  items told apart by their merge key (containers by ``name``, volume mounts
  by ``mountPath``...), not by their index;
- JSON 6902: the ``value`` of the operation that writes the field or one of
  its parents (then the field inside that value). An index in the operation's
  path is trusted only when no other patch adds, removes or reorders items of
  that list; an appended or replaced item is told by its merge key;
- inline patch: the line inside the kustomization's block string (``patch: |``),
  else the key that holds the string.

Only when the patch applies to the object for sure (its target or its
identity matches the object's original or built name), and the value it
writes is the built value, is the finding moved there. When a patch may have
written the field but this cannot be told for sure (a label selector that is
not a plain ``key=value`` the resource file's labels satisfy, a reordered list,
a later change of the value, a ``transformers:`` entry run after it, a remote
kustomization), the finding stays where the resource file puts it and its
message says ``(value may come from patch <file>)``; ``(value set by patch
<file>)`` when the patch writes it for sure but not at a line of its own
(``move``, ``copy``); an inline patch is ``a patch in <kustomization>``. A
finding about a missing field is not moved; one inside a value (a line of an
embedded file) is placed at the field's key in the patch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Union, cast

from . import Document, Source, locate, locate_in_scalar
from .yamlpos import ParsedDocument, Path, parse_stream

__all__ = ["Outcome", "PatchMapper"]

#: a list's place in an object with its indices left out: what a patch that reorders it names
Shape = tuple[Union[str, None], ...]

_PATCH_KINDS = ("PatchStrategicMergeTransformer", "PatchTransformer", "PatchJson6902Transformer")

#: the merge keys of the lists a strategic-merge patch merges item by item (the API's patchMergeKey);
#: the items of other lists are told apart by ``name`` when they have one, as kustomize infers it
_MERGE_KEYS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
               "volumes": "name", "imagePullSecrets": "name", "resourceClaims": "name", "schedulingGates": "name",
               "volumeMounts": "mountPath", "volumeDevices": "devicePath", "hostAliases": "ip",
               "topologySpreadConstraints": "topologyKey", "conditions": "type", "ownerReferences": "uid"}

#: what a strategic-merge patch writes to say which object it patches: it sets nothing
_IDENTITY: set[Path] = {("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace")}


_MISSING = object()


def _value(data: object, path: Path) -> object:
    """The value at ``path``, or _MISSING (a null value is a value)."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or not 0 <= part < len(data):
                return _MISSING
            data = data[part]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return _MISSING
    return data


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _shape(path: Path) -> Shape:
    return tuple(p if isinstance(p, str) else None for p in path)


def _merge_key(list_field: str | int | None, item: dict[Any, Any]) -> str:
    if list_field == "ports":
        return "containerPort" if "containerPort" in item else "port"
    return _MERGE_KEYS.get(list_field, "name") if isinstance(list_field, str) else "name"


def _pointer(text: object) -> list[str] | None:
    """The segments of a JSON pointer (RFC 6901)."""
    if not isinstance(text, str) or (text and not text.startswith("/")):
        return None
    return [s.replace("~1", "/").replace("~0", "~") for s in text.split("/")[1:]] if text else []


def _pointer_shape(segments: list[str]) -> Shape:
    return tuple(None if s == "-" or s.isdigit() else s for s in segments)


# what a patch does to a field: nothing, writes it (at a place in the patch), writes it without a place
# of its own, may write it, or wrote over it what came before (so neither it nor anything earlier did)
NONE, SET, COVER, UNSURE, BLOCK = "none", "set", "cover", "unsure", "block"


@dataclass
class _Hit:
    what: str
    at: Path = ()  # SET: the path of the field inside the patch document
    value: object = None  # SET: the value the patch writes there


def _item(list_field: str | int | None, rendered: list[Any], index: int, written: list[Any],
          merge: bool) -> tuple[str, int]:
    """Which item of a list a patch writes (``written``) is item ``index`` of the built list:
    (SET, its index), or (NONE | UNSURE | BLOCK, -1). ``merge``: the patch merges into the list
    (strategic merge), else it wrote the whole list (a JSON 6902 value)."""
    item = rendered[index]
    gone = NONE if merge else BLOCK  # what a list the item is not in says
    if isinstance(item, dict):
        key = _merge_key(list_field, item)
        if key in item:
            mine = item[key]
            if sum(1 for x in rendered if isinstance(x, dict) and _same(x.get(key, _MISSING), mine)) != 1:
                return UNSURE, -1
            hits = [j for j, x in enumerate(written) if isinstance(x, dict) and _same(x.get(key, _MISSING), mine)]
            return (SET, hits[0]) if len(hits) == 1 else (UNSURE, -1) if hits else (gone, -1)
    if _same(written, rendered):
        return SET, index
    hits = [j for j, x in enumerate(written) if _same(x, item)]
    if len(hits) == 1:
        return SET, hits[0]
    return (UNSURE, -1) if hits else (gone, -1)


def _descend(value: object, at: Path, path: Path, start: int, data: object, merge: bool) -> _Hit:
    """Follow ``path[start:]`` (a path in the built object ``data``) inside ``value``, what a patch
    writes at ``path[:start]`` (at ``at`` in the patch document)."""
    for k in range(start, len(path)):
        part = path[k]
        if merge and isinstance(value, dict) and value.get("$patch") == "delete":
            return _Hit(NONE)
        if isinstance(part, str):
            if not isinstance(value, dict):
                return _Hit(NONE if value is None else UNSURE)
            if part not in value:
                return _Hit(BLOCK if not merge or value.get("$patch") == "replace" else NONE)
            value, at = value[part], at + (part,)
            continue
        built = _value(data, path[:k])
        if not isinstance(value, list) or not isinstance(built, list) or not 0 <= part < len(built):
            return _Hit(NONE if value is None else UNSURE)
        what, j = _item(path[k - 1] if k else None, built, part, value, merge)
        if what != SET:
            return _Hit(what)
        value, at = value[j], at + (j,)
    if merge and (value is None or (isinstance(value, dict) and value.get("$patch") == "delete")):
        return _Hit(NONE)  # a deletion
    if merge and isinstance(value, (dict, list)) and not _same(value, _value(data, path)):
        return _Hit(NONE)  # merged into what was there: the field itself is not the patch's
    return _Hit(SET, at, value)


def _lists(value: object, path: Shape, out: list[Shape]) -> None:
    """The shapes of the lists a strategic-merge patch writes (each may come out reordered)."""
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(key, str):
                name = key.split("/", 1)[1] if key.startswith("$setElementOrder/") else key
                _lists(child, path + (name,), out)
    elif isinstance(value, list):
        out.append(path)
        for child in value:
            _lists(child, path + (None,), out)


@dataclass(eq=False)
class _Patch:
    """One patch of a kustomization: a strategic-merge patch (one or more documents) or a JSON 6902 patch."""

    file: str  # the file it is written in: a patch file, or the kustomization for an inline patch
    strategic: bool
    documents: list[ParsedDocument]
    target: dict[str, Any] | None
    inline: tuple[Document, Path] | None = None  # the kustomization, and the path of the patch string in it

    def describe(self, display: str) -> str:
        return f"a patch in {display}" if self.inline is not None else f"patch {display}"


@dataclass
class _Object:
    """What a patch is matched against: the built object, and what its resource file wrote."""

    group: str
    version: str
    kind: str
    name: str
    namespaces: set[str]  # built and written, "default" for none
    written: str | None = None  # the name in the resource file (the original name)
    labels: dict[str, Any] = field(default_factory=dict)  # built
    written_labels: dict[str, Any] | None = None
    annotations: dict[str, Any] = field(default_factory=dict)
    written_annotations: dict[str, Any] | None = None


@dataclass
class _Applied:
    """The patches kustomize ran over one object, in order (None: a patch transformer k8slint cannot read)."""

    entries: list[tuple[_Patch, ParsedDocument, bool] | None]  # (patch, document, sure it applies)
    # (shape, under: every list below it too, owner): lists whose items a patch adds, removes or reorders
    moved: list[tuple[Shape, bool, tuple[int, int]]]

    def reordered(self, shape: Shape, owner: tuple[int, int]) -> bool:
        return any(o != owner and (s == shape or (under and shape[:len(s)] == s)) for s, under, o in self.moved)


Outcome = Union[tuple[Source, int, int], str, None]  # a place in a patch, a note for the message, or nothing


def _fullmatch(pattern: str, text: str) -> bool | None:
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:  # Go's syntax, which Python does not read
        return None


def _namespace(value: object) -> str:
    return value if isinstance(value, str) and value else "default"


_TERM = re.compile(r"\s*(!?)\s*([A-Za-z0-9_./-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9_.-]*))?\s*$")


def _selector_holds(selector: str, labels: dict[str, Any] | None) -> bool | None:
    """Whether an equality-based selector (``a=b,c!=d,e,!f``) holds for ``labels``; None when
    it is not one of those, or the labels are unknown."""
    if labels is None:
        return None
    for term in selector.split(","):
        m = _TERM.match(term)
        if m is None or (m.group(1) and m.group(3)):
            return None
        negate, key, op, value = m.groups()
        if op is None:
            if (key in labels) == bool(negate):
                return False
        elif (str(labels.get(key)) == value and key in labels) != (op != "!="):
            return False
    return True


class PatchMapper:
    """Finds, for a field of an object of a kustomize build, the patch that set it
    (:meth:`patched`) or its line in the resource file the object came from
    (:meth:`in_resource`). ``source`` reads a file (:meth:`k8slint.load.origins.OriginMapper.source`,
    which keeps what it read for the search by text too)."""

    def __init__(self, source: Callable[[str], Source | None]) -> None:
        self.source = source
        self._parsed: dict[str, list[ParsedDocument] | None] = {}
        # kustomization -> transformer kind -> the patches of each transformer of that kind (None: unreadable)
        self._patches: dict[str, dict[str, list[list[_Patch] | None]] | None] = {}
        self._applied: dict[tuple[int, Path], _Applied | None] = {}

    def parsed(self, path: str) -> list[ParsedDocument] | None:
        """The documents of a file, or None when it cannot be read or does not parse."""
        if path not in self._parsed:
            source = self.source(path)
            parsed = parse_stream(source.text) if source is not None else None
            self._parsed[path] = parsed[0] if parsed is not None and not parsed[1] else None
        return self._parsed[path]

    def _patch(self, kustomization: Document, entry: Path, text: object, is_path: bool, strategic: bool | None,
               target: object) -> _Patch | None:
        """A patch that a kustomization names at ``entry``: a file (``text`` is its path) or an inline
        string; None when it cannot be read."""
        if not isinstance(text, str) or not text.strip():
            return None
        if is_path:
            file = os.path.normpath(os.path.join(os.path.dirname(cast(str, kustomization.source.path)), text))
            documents = self.parsed(file)
            inline = None
        else:
            file = cast(str, kustomization.source.path)
            parsed, problems = parse_stream(text)
            documents, inline = (None if problems else parsed), (kustomization, entry)
        documents = [d for d in documents or () if d.data is not None]
        if not documents:
            return None
        if strategic is None:  # `patches:` holds both kinds: a JSON patch is a list of operations
            strategic = not isinstance(documents[0].data, list)
        if not all(isinstance(d.data, dict if strategic else list) for d in documents) \
                or (not strategic and len(documents) > 1):
            return None
        return _Patch(file, strategic, documents, target if isinstance(target, dict) else None, inline)

    def patches(self, path: str) -> dict[str, list[list[_Patch] | None]] | None:
        """The patch transformers a kustomization configures, by kind, each with its patches, in the
        order kustomize runs them; None when it cannot be read."""
        if path in self._patches:
            return self._patches[path]
        documents = self.parsed(path)
        source = self.source(path)
        spec = documents[0] if documents and source is not None else None
        if spec is None or not isinstance(spec.data, dict):
            self._patches[path] = None
            return None
        data: dict[str, Any] = spec.data
        kustomization = Document(cast(Source, source), 0, data, spec.positions, spec.start_line)
        folder = os.path.dirname(path)
        out: dict[str, list[list[_Patch] | None]] = {kind: [] for kind in _PATCH_KINDS}
        entries = data.get("patchesStrategicMerge")
        if isinstance(entries, list) and entries:  # one transformer for all of them
            group: list[_Patch] | None = []
            for i, entry in enumerate(entries):
                is_path = isinstance(entry, str) and "\n" not in entry and os.path.isfile(os.path.join(folder, entry))
                patch = self._patch(kustomization, ("patchesStrategicMerge", i), entry, is_path, True, None)
                group = None if patch is None or group is None else group + [patch]
            out["PatchStrategicMergeTransformer"].append(group)
        for key, kind, strategic in (("patches", "PatchTransformer", None),
                                     ("patchesJson6902", "PatchJson6902Transformer", False)):
            entries = data.get(key)
            for i, entry in enumerate(entries if isinstance(entries, list) else ()):  # one transformer each
                patch = None
                if isinstance(entry, dict):
                    is_path = bool(entry.get("path"))
                    text = entry.get("path") if is_path else entry.get("patch")
                    patch = self._patch(kustomization, (key, i, "patch"), text, is_path, strategic, entry.get("target"))
                out[kind].append([patch] if patch is not None else None)
        self._patches[path] = out
        return out

    def written(self, origin: str, data: dict[str, Any]) -> ParsedDocument | None:
        """The document of the resource file that a built object came from: the same kind, a name
        the built name holds (the same name, or one a prefix or suffix was added to)."""
        meta = data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        if not isinstance(name, str):
            return None
        found: list[tuple[bool, ParsedDocument]] = []
        for d in self.parsed(origin) or ():
            w = d.data.get("metadata") if isinstance(d.data, dict) and d.data.get("kind") == data.get("kind") else None
            if isinstance(w, dict) and isinstance(w.get("name"), str) and w["name"] and w["name"] in name:
                found.append((w["name"] == name, d))
        exact = [d for same, d in found if same]
        return exact[0] if len(exact) == 1 else found[0][1] if len(found) == 1 else None

    def _object(self, data: dict[str, Any], origin: str) -> _Object:
        api_version = data.get("apiVersion")
        group, _, version = api_version.rpartition("/") if isinstance(api_version, str) else ("", "", "")
        meta = data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        kind, name = str(data.get("kind", "")), str(meta.get("name", ""))
        labels, annotations = meta.get("labels"), meta.get("annotations")
        obj = _Object(group, version, kind, name, {_namespace(meta.get("namespace"))},
                      labels=labels if isinstance(labels, dict) else {},
                      annotations=annotations if isinstance(annotations, dict) else {})
        written = self.written(origin, data)
        w = cast(dict[str, Any], written.data).get("metadata") if written is not None else None
        if isinstance(w, dict):  # what the resource file writes: the original name, labels, annotations
            obj.written = w["name"]
            obj.namespaces.add(_namespace(w.get("namespace")))
            w_labels, w_annotations = w.get("labels"), w.get("annotations")
            obj.written_labels = w_labels if isinstance(w_labels, dict) else {}
            obj.written_annotations = w_annotations if isinstance(w_annotations, dict) else {}
        return obj

    def in_resource(self, doc: Document, base: Path, path: Path, line: int, column: int,
                    origin: str) -> tuple[Source, int, int] | None:
        """For a kustomize build: the place in the resource file of a field at ``line``/``column``
        (its key), or of the mapping that should hold a missing field (its start), found by its
        YAML path, list items told apart by merge key as a strategic-merge patch tells them (a patch
        may have reordered them); where the resource file lacks the field, the nearest mapping or
        list on its way that it has. None when the position is neither (inside a value)."""
        data = _value(doc.data, base)
        source = self.source(origin)
        written = self.written(origin, data) if isinstance(data, dict) and source is not None else None
        if written is None:
            return None
        at = (line - 1, column - 1)
        pos = doc.positions.get(base + path)
        if pos is not None and at == pos[:2]:
            key = True
        else:  # a missing field: anchored at the nearest mapping on its way (see k8slint.load.locate)
            key = False
            while path:
                path = path[:-1]
                pos = doc.positions.get(base + path)
                if pos is not None:
                    break
            if pos is None or at != pos[2:]:
                return None
        value: object = written.data
        place: Path = ()
        for k, part in enumerate(path):
            if isinstance(part, str):
                if not isinstance(value, dict) or part not in value:
                    break
                value, place = value[part], place + (part,)
                continue
            built = _value(data, path[:k])
            if not isinstance(value, list) or not isinstance(built, list):
                break
            what, j = _item(path[k - 1] if k else None, built, part, value, True)
            if what != SET:
                break
            value, place = value[j], place + (j,)
        else:
            found = written.positions.get(place)
            if found is not None:
                return cast(Source, source), found[0 if key else 2] + 1, found[1 if key else 3] + 1
        found = written.positions.get(place)  # what the resource file has of the way to the field
        if found is None:
            return cast(Source, source), written.start_line + 1, 1
        return cast(Source, source), found[0] + 1, found[1] + 1

    def _name_matches(self, obj: _Object, match: Callable[[str], bool | None]) -> bool | None:
        """Whether kustomize finds the object by name: its original or its built name (True), a name
        it may have had between the two (None), neither (False)."""
        if any(match(n) for n in (obj.written, obj.name) if n):
            return True
        if obj.written is None:
            return None
        start = obj.name.find(obj.written)
        while start >= 0:  # a prefix or suffix added by a kustomization before the patch's
            end = start + len(obj.written)
            for i in range(start + 1):
                for j in range(end, len(obj.name) + 1):
                    if match(obj.name[i:j]):
                        return None
            start = obj.name.find(obj.written, start + 1)
        return False

    def _applies(self, patch: _Patch, document: ParsedDocument, obj: _Object) -> bool | None:
        """Whether kustomize applies a patch document to the object: True, False, None (it may)."""
        sure = True
        target = patch.target
        if target is None:  # a strategic-merge patch finds its object by apiVersion, kind, name, namespace
            if not patch.strategic or not isinstance(document.data, dict):
                return False
            data: dict[str, Any] = document.data
            api_version = data.get("apiVersion")
            group, _, version = api_version.rpartition("/") if isinstance(api_version, str) else ("", "", "")
            meta = data.get("metadata")
            meta = meta if isinstance(meta, dict) else {}
            if (group, version, data.get("kind")) != (obj.group, obj.version, obj.kind):
                return False
            name = meta.get("name")
            found = self._name_matches(obj, lambda n: n == name) if isinstance(name, str) else False
            if found is False:
                return False
            return True if found is True and _namespace(meta.get("namespace")) in obj.namespaces else None
        for key, value in (("group", obj.group), ("version", obj.version), ("kind", obj.kind)):
            pattern = target.get(key)
            if isinstance(pattern, str) and pattern:
                matched = _fullmatch(pattern, value)
                if matched is False:
                    return False
                sure = sure and matched is True
        name_pattern = target.get("name")
        if isinstance(name_pattern, str) and name_pattern:
            found = self._name_matches(obj, lambda n: _fullmatch(name_pattern, n))
            if found is False:
                return False
            sure = sure and found is True
        pattern = target.get("namespace")
        if isinstance(pattern, str) and pattern:
            sure = sure and any(_fullmatch(pattern, n) for n in obj.namespaces)
        for key, built, written in (("labelSelector", obj.labels, obj.written_labels),
                                    ("annotationSelector", obj.annotations, obj.written_annotations)):
            selector = target.get(key)
            if isinstance(selector, str) and selector.strip():
                sure = sure and bool(_selector_holds(selector, built)) and bool(_selector_holds(selector, written))
        return True if sure else None

    def applied(self, doc: Document, base: Path, origin: str) -> _Applied | None:
        """The patches kustomize ran over the object at ``base`` in ``doc``, or None when none did."""
        key = (id(doc), base)
        if key in self._applied:
            return self._applied[key]
        transformations = doc.transformations or []
        data = _value(doc.data, base)
        result: _Applied | None = None
        if isinstance(data, dict) and any(t.kind in _PATCH_KINDS for t in transformations):
            obj = self._object(data, origin)
            result = _Applied([], [])
            runs: dict[tuple[str, str], int] = {}
            for t in transformations:
                if t.kind not in _PATCH_KINDS:
                    continue
                groups = self.patches(t.file) if t.file is not None and t.field else None
                kinds = groups.get(t.kind) if groups is not None else None
                if not kinds:
                    result.entries.append(None)
                    continue
                run = runs.get((cast(str, t.file), t.kind), 0)
                runs[(cast(str, t.file), t.kind)] = run + 1
                group = kinds[run % len(kinds)]  # a component used twice runs its patches twice
                if group is None:
                    result.entries.append(None)
                    continue
                for patch in group:
                    for document in patch.documents:
                        applies = self._applies(patch, document, obj)
                        if applies is not False:
                            result.entries.append((patch, document, applies is True))
                            self._moves(patch, document, result)
        self._applied[key] = result
        return result

    @staticmethod
    def _moves(patch: _Patch, document: ParsedDocument, applied: _Applied) -> None:
        """Note the lists whose items the patch adds, removes or reorders (see :meth:`_Applied.reordered`)."""
        if patch.strategic:
            shapes: list[Shape] = []
            _lists(document.data, (), shapes)
            applied.moved.extend((shape, False, (id(document), -1)) for shape in shapes)
            return
        for i, op in enumerate(cast(list[Any], document.data)):
            if not isinstance(op, dict):
                continue
            owner = (id(document), i)
            for key in ("path", "from") if op.get("op") == "move" else ("path",):
                segments = _pointer(op.get(key))
                if segments is None:
                    continue
                shape = _pointer_shape(segments)
                if shape and shape[-1] is None and op.get("op") in ("add", "remove", "move", "copy"):
                    applied.moved.append((shape[:-1], False, owner))  # an item added or taken out
                if op.get("op") in ("add", "replace", "remove", "move", "copy"):
                    applied.moved.append((shape, True, owner))  # the lists in what it writes or takes out

    def _json_hit(self, document: ParsedDocument, path: Path, data: object, applied: _Applied) -> _Hit:
        """What the operations of a JSON 6902 patch do to the field at ``path`` (the last one that writes it)."""
        ops = cast(list[Any], document.data)
        for i in reversed(range(len(ops))):
            op = ops[i]
            kind = op.get("op") if isinstance(op, dict) else None
            segments = _pointer(op.get("path")) if kind in ("add", "replace", "move", "copy") else None
            if segments is None or len(segments) > len(path) or (kind in ("add", "replace") and "value" not in op):
                continue  # it writes another field, or one inside this one
            sure = True
            for k, segment in enumerate(segments):
                part = path[k]
                if isinstance(part, str):
                    if segment != part:
                        break
                    continue
                if segment != "-" and not segment.isdigit():
                    break
                built = cast(list[Any], _value(data, path[:k]))
                if k == len(segments) - 1 and kind in ("add", "replace"):
                    # it writes the item itself: told by what it writes, wherever the item went after
                    what, _ = _item(path[k - 1] if k else None, built, part, [op["value"]], True)
                    if what == UNSURE:
                        sure = False
                    elif what != SET:
                        break
                    continue
                if segment == "-" or applied.reordered(_shape(path[:k]), (id(document), i)):
                    sure = False  # its index then named another item, or the item moved since
                elif int(segment) != part:
                    break
            else:
                if not sure:
                    return _Hit(UNSURE)
                if kind in ("move", "copy"):
                    return _Hit(COVER)
                if len(segments) == len(path):
                    return _Hit(SET, (i, "value"), op["value"])
                return _descend(op["value"], (i, "value"), path, len(segments), data, False)
        return _Hit(NONE)

    def _place(self, patch: _Patch, document: ParsedDocument, at: Path) -> tuple[Source, int, int] | None:
        """The position, in the file it is written in, of the key at ``at`` in a patch document."""
        pos = document.positions.get(at)
        if pos is None:
            return None
        if patch.inline is None:
            source = self.source(patch.file)
            return (source, pos[0] + 1, pos[1] + 1) if source is not None else None
        kustomization, entry = patch.inline
        line, column, exact = locate_in_scalar(kustomization, entry, pos[0], pos[1])
        written = kustomization.positions.get(entry)
        head = (kustomization.source.line(written[2] + 1) or "")[written[3]:] if written is not None else ""
        if not exact or (head.startswith("'") and "''" in head):  # a string whose text is not the line's
            line, column, _ = locate(kustomization, entry)  # the key that holds the patch
        return kustomization.source, line, column

    def patched(self, doc: Document, base: Path, path: Path, origin: str) -> Outcome:
        """For a field of a built object: its place in the patch that wrote it, or a note that a patch
        wrote (or may have written) it, or None (no patch did, as far as can be told)."""
        applied = self.applied(doc, base, origin)
        data = _value(doc.data, base)
        built = _value(data, path)
        if applied is None or not path or built is _MISSING:
            return None
        unread_after = False  # a patch transformer k8slint cannot read ran later: it may have written the field
        for entry in reversed(applied.entries):
            if entry is None:
                unread_after = True
                continue
            patch, document, sure = entry
            if patch.strategic:
                hit = _Hit(NONE) if path in _IDENTITY else _descend(document.data, (), path, 0, data, True)
            else:
                hit = self._json_hit(document, path, data, applied)
            if hit.what == NONE:
                continue
            if hit.what == BLOCK:
                return None
            source = self.source(patch.file)
            display = source.display if source is not None else os.path.relpath(patch.file)
            certain = sure and not unread_after
            if certain and hit.what == SET and _same(hit.value, built):
                place = self._place(patch, document, hit.at)
                if place is not None:
                    return place
            if certain and (hit.what == COVER or (hit.what == SET and _same(hit.value, built))):
                return f"value set by {patch.describe(display)}"
            return f"value may come from {patch.describe(display)}"
        return None
