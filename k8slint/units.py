"""Units: the sets of objects that would be applied to a cluster together.

A reference resolves where Kubernetes would resolve it, so the graph needs to
know which objects would really exist side by side:

- each Helm chart render (``helm template`` of a chart folder) is one unit;
- each kustomize build is one unit;
- each file of rendered output (one that carries Helm's ``# Source:``
  comments) is one unit: a folder of several renders of one chart (one per
  environment, say) holds alternatives, not one cluster; except the files
  ``helm template --output-dir`` writes, one per template at the template's
  own path, which together are the unit of their render;
- every other file belongs to the unit of its folder, as ``kubectl apply -f
  folder/`` applies a folder's files together (standard input is a unit of
  its own).

The unit of a file depends only on where the file is and what it holds, never
on whether it was linted or only loaded as context: a staged file and the rest
of its folder form the same unit in a pre-commit run as in a run over the
whole repository.

Plain folders are *shared*: their cluster-scoped objects and their objects
with an explicit ``metadata.namespace`` are visible from other units (the
graph decides how; see :mod:`k8slint.graph`). Renders and builds are
*private*: what a chart or an overlay defines is seen by that chart or
overlay alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .load import Document, Source

FOLDER = "folder"
RENDERED = "rendered"  # a file of rendered Helm output
STDIN = "stdin"


@dataclass(frozen=True)
class Unit:
    id: str  # stable across runs: the kind and the real path it stands for
    kind: str  # "folder", "rendered", "stdin", or the renderer ("helm template", "kustomize build")
    label: str  # how reports name it: the path as the user sees it

    @property
    def rendered(self) -> bool:
        """A chart render, a kustomize build or a file of rendered output: everything it references is in it."""
        return self.kind not in (FOLDER, STDIN)

    @property
    def shared(self) -> bool:
        """Whether other units may see its cluster-scoped and explicitly namespaced objects."""
        return self.kind == FOLDER

    def __str__(self) -> str:
        return self.label


#: the unit of objects that came from no document (built in code)
NOWHERE = Unit("", FOLDER, "")

#: one Unit object per unit and working directory (labels are paths relative to it), so that
#: the documents of one unit share one object within a run
_units: dict[tuple[str, str], Unit] = {}


def _unit(unit_id: str, kind: str, label: Callable[[], str]) -> Unit:
    """The unit with this id; ``label`` is called to name a new one."""
    key = (unit_id, os.getcwd())
    found = _units.get(key)
    if found is None:
        found = _units[key] = Unit(unit_id, kind, label())
    return found


def _label(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def unit_of(document: Document | None) -> Unit:
    """The unit a document belongs to (computed once per document)."""
    if document is None:
        return NOWHERE
    unit: Unit | None = getattr(document, "unit", None)
    if unit is not None:
        return unit
    source: Source | None = getattr(document, "source", None)
    rendered_by: str | None = getattr(source, "rendered_by", None)
    if source is None:
        unit = NOWHERE
    elif rendered_by:
        folder = getattr(source, "folder", None) or source.display
        real = os.path.realpath(folder)
        unit = _unit(f"{rendered_by}:{real}", rendered_by, lambda: source.display)
    elif source.path is None:
        unit = _unit(f"{STDIN}:{source.display}", STDIN, lambda: source.display)
    elif getattr(document, "template", None) or _is_rendered(source):
        real = _real(source)
        root = _output_dir_root(source, real)
        if root is not None:  # one file of a render split by `helm template --output-dir`
            unit = _unit(f"{RENDERED}:{root}", RENDERED, lambda: _label(root) + "/")
        else:
            unit = _unit(f"{RENDERED}:{real}", RENDERED, lambda: _label(real))
    else:
        real = os.path.dirname(_real(source))
        unit = _unit(f"{FOLDER}:{real}", FOLDER, lambda: _label(real) + "/")
    try:
        setattr(document, "unit", unit)  # a Document keeps its unit as an attribute of its own
    except AttributeError:
        pass
    return unit


def _real(source: Source) -> str:
    """The real path of a source read from a file (``source.path`` is set)."""
    real = getattr(source, "realpath", None)
    return cast(str, real()) if real is not None else os.path.realpath(cast(str, source.path))


def _output_dir_root(source: Source, real: str) -> str | None:
    """The chart folder of a render that ``helm template --output-dir OUT`` wrote, one file per
    template: a file whose documents all come from one template, and whose path ends with that
    template's ``# Source:`` path (``OUT/shop/templates/deployment.yaml`` for
    ``shop/templates/deployment.yaml``; a subchart's files lie below ``OUT/shop/charts/``). The
    render is ``OUT/shop``: its files together are one unit. None for any other file."""
    text = getattr(source, "text", "") or ""
    templates = {line[len("# Source: "):].strip() for line in text.splitlines() if line.startswith("# Source: ")}
    if len(templates) != 1:
        return None
    template = templates.pop()
    parts = [p for p in template.split("/") if p]
    if len(parts) < 2 or any(p in (".", "..") for p in parts):
        return None
    tail = os.sep + os.path.join(*parts)
    if not real.endswith(tail):
        return None
    return real[:-len(tail)] + os.sep + parts[0]


def _is_rendered(source: Source) -> bool:
    """Whether a file is rendered Helm output (any document has a ``# Source:`` comment)."""
    cached: bool | None = getattr(source, "_rendered", None)
    if cached is None:
        text = getattr(source, "text", "") or ""
        cached = "# Source: " in text and any(
            line.startswith("# Source: ") for line in text.splitlines())
        try:
            setattr(source, "_rendered", cached)
        except AttributeError:
            pass
    return cached
