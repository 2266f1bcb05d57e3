"""Render Helm charts and kustomizations to manifests, with provenance.

A folder with a ``Chart.yaml`` is rendered with ``helm template`` (the user's
``helm`` on PATH, or in-process with the ``helm-python-sdk`` package of the
``k8slint[helm]`` extra); a folder with a ``kustomization.yaml`` with
``kustomize build`` or ``kubectl kustomize`` (whichever is on PATH; the
``k8slint[kustomize]`` extra provides a pinned kubectl). Commands run without
a shell and under a timeout; a missing tool or a failed render is a
:class:`RenderError` whose message includes the tool's stderr.

Every rendered document knows the file it came from: Helm writes a
``# Source:`` comment before it; for kustomize, the folder is built through a
small wrapper kustomization that asks for ``originAnnotations`` and
``transformerAnnotations``, and the ``config.kubernetes.io/origin`` and
``alpha.config.kubernetes.io/transformations`` annotations are read and
removed again (the transformers, patches among them, that kustomize ran over
each object, in the order it ran them: see :mod:`k8slint.load.patches`).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
TRANSFORMATIONS_ANNOTATION = "alpha.config.kubernetes.io/transformations"


class RenderError(Exception):
    pass


class RendererMissing(RenderError):
    """No tool on this machine can render the folder."""

    def __init__(self, message: str, tool_hint: str):
        super().__init__(message)
        self.tool_hint = tool_hint  # what to install


@dataclass
class RenderOptions:
    values: list[str] = field(default_factory=list)  # values files, in order (later ones win)
    set: list[str] = field(default_factory=list)  # --set expressions, applied after the files
    release_name: str = "release-name"
    namespace: str | None = None
    timeout: float = 120.0


def is_chart(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "Chart.yaml"))


def is_kustomization(path: str) -> bool:
    return any(os.path.isfile(os.path.join(path, name)) for name in KUSTOMIZATION_FILES)


def which(tool: str) -> str | None:
    """A tool on PATH, or installed beside this Python (a virtual environment's
    bin folder, where the k8slint[kustomize] extra puts kubectl)."""
    import shutil  # here, as subprocess and tempfile below: a run that renders nothing never imports them

    return shutil.which(tool) or shutil.which(tool, path=os.path.dirname(sys.executable))


#: kubectl's log prefix ("E1130 01:18:14.091021    6433 run.go:72] "): a time and a process id that change
#: every run, which would make the same failure a new finding each time
_KLOG_PREFIX = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]\s]+\] ", re.M)


def _run(argv: list[str], timeout: float, what: str, cwd: str | None = None) -> str:
    import subprocess

    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{what} did not finish within {timeout:g} s") from None
    except OSError as err:
        raise RenderError(f"{what} could not start: {err}") from None
    if proc.returncode != 0:
        stderr = _KLOG_PREFIX.sub("", proc.stderr.decode("utf-8", "replace")).strip()
        raise RenderError(f"{what} failed (exit {proc.returncode}): {stderr or '(no error output)'}")
    return proc.stdout.decode("utf-8", "replace")


# Helm ----------------------------------------------------------------------------------

def render_chart(path: str, options: RenderOptions) -> str:
    """``helm template`` output for the chart at ``path``."""
    missing = missing_dependencies(path)
    if missing:  # helm template refuses such a chart; rendered in-process, the subcharts would silently be left out
        names = ", ".join(missing)
        raise RenderError(f"cannot render the Helm chart {path}: its dependencies are not in its charts/ folder "
                          f"({names}); run `helm dependency build {path}` to fetch them")
    helm = which("helm")
    if helm:
        argv = [helm, "template", options.release_name, path]
        if options.namespace:
            argv += ["--namespace", options.namespace]
        for values in options.values:
            argv += ["--values", values]
        for expression in options.set:
            argv += ["--set", expression]
        return _run(argv, options.timeout, f"helm template {path}")
    try:
        import helm_python
    except ImportError:
        raise RendererMissing(f"cannot render the Helm chart {path}: no `helm` on PATH and the helm-python-sdk "
                              "package is not installed (install Helm, or `pip install 'k8slint[helm]'`), "
                              "or lint `helm template` output instead",
                              "install Helm, or `pip install 'k8slint[helm]'`") from None
    return _render_in_process(helm_python, path, options)


def _chart_name(path: str) -> str | None:
    """The ``name`` in the Chart.yaml of a chart folder or a packaged chart (``.tgz``)."""
    text: bytes | None = None
    if os.path.isdir(path):
        try:
            with open(os.path.join(path, "Chart.yaml"), "rb") as fh:
                text = fh.read()
        except OSError:
            return None
    elif path.endswith((".tgz", ".tar.gz")):
        import tarfile

        try:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:  # <chart>/Chart.yaml, the first entry of what `helm package` writes
                    if member.isfile() and member.name.count("/") == 1 and member.name.endswith("/Chart.yaml"):
                        stream = archive.extractfile(member)
                        text = stream.read() if stream is not None else None
                        break
        except (OSError, tarfile.TarError):
            return None
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def missing_dependencies(chart_dir: str) -> list[str]:
    """The dependencies a chart declares (``dependencies`` in Chart.yaml, or requirements.yaml for
    apiVersion v1) that no chart in its ``charts/`` folder provides, as ``helm template`` checks:
    by the name in the subchart's own Chart.yaml, whatever its condition."""
    declared: list[str] = []
    for name in ("Chart.yaml", "requirements.yaml"):
        try:
            with open(os.path.join(chart_dir, name), "rb") as fh:
                data = yaml.safe_load(fh)
        except (OSError, yaml.YAMLError):
            continue
        dependencies = data.get("dependencies") if isinstance(data, dict) else None
        for entry in dependencies if isinstance(dependencies, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"] not in declared:
                declared.append(entry["name"])
    if not declared:
        return []
    folder = os.path.join(chart_dir, "charts")
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        entries = []
    present = {_chart_name(os.path.join(folder, entry)) for entry in entries}
    return [name for name in declared if name not in present]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Helm's coalescing of values: maps merge recursively, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _render_in_process(helm: ModuleType, path: str, options: RenderOptions) -> str:
    try:
        chart = helm.Chart.load(path)
        overrides: dict[str, Any] = {}
        for values in options.values:
            with open(values, encoding="utf-8") as fh:
                overrides = _merge(overrides, helm.values_from_yaml(fh.read()) or {})
        for expression in options.set:
            overrides = _merge(overrides, helm.parse_set_string(expression))
        rendered = chart.render(chart.merge_values(overrides), name=options.release_name,
                                namespace=options.namespace or "default", is_install=True)
    except OSError as err:
        raise RenderError(f"cannot render the Helm chart {path}: {err}") from None
    except helm.HelmError as err:
        raise RenderError(f"helm template {path} failed: {err}") from None
    parts: list[str] = []
    for template in sorted(rendered):
        name = os.path.basename(template)
        text = rendered[template]
        if name == "NOTES.txt" or name.startswith("_") or not text.strip():
            continue
        parts.append(f"---\n# Source: {template}\n{text.rstrip()}\n")
    return "".join(parts)


def template_file(chart_dir: str, source: str) -> str:
    """The file behind a ``# Source: <chart>/templates/x.yaml`` comment
    (``<chart>/charts/<sub>/templates/...`` for a subchart)."""
    parts = source.replace("\\", "/").split("/")
    return os.path.join(chart_dir, *parts[1:]) if len(parts) > 1 else os.path.join(chart_dir, source)


# kustomize -----------------------------------------------------------------------

def render_kustomization(path: str, timeout: float = 120.0) -> tuple[str, str]:
    """(``kustomize build`` output, folder its origin and transformation paths are relative to)."""
    import shutil
    import tempfile

    wrapper = tempfile.mkdtemp(prefix="k8slint-kustomize-")
    try:
        target = os.path.relpath(os.path.abspath(path), wrapper)
        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as fh:
            # emitted, not pasted: a folder named `a #b`, `x: y` or with a line break stays one quoted path
            # transformerAnnotations: the patches that set a value (k8slint.load.patches)
            spec = {"resources": [target], "buildMetadata": ["originAnnotations", "transformerAnnotations"]}
            yaml.safe_dump(spec, fh, allow_unicode=True, default_flow_style=False)
        kustomize = which("kustomize")
        kubectl = which("kubectl")
        if kustomize:
            argv = [kustomize, "build", wrapper]
        elif kubectl:
            argv = [kubectl, "kustomize", wrapper]
        else:
            raise RendererMissing(f"cannot build the kustomization {path}: neither `kustomize` nor `kubectl` is "
                                  "on PATH (install one, or `pip install 'k8slint[kustomize]'`), or lint "
                                  "`kustomize build` output instead",
                                  "install kustomize or kubectl, or `pip install 'k8slint[kustomize]'`")
        what = f"kustomize build {path}" if kustomize else f"kubectl kustomize {path}"
        return _run(argv, timeout, what), wrapper
    finally:
        shutil.rmtree(wrapper, ignore_errors=True)


def _take_annotation(data: object, key: str) -> object:
    """Remove one annotation that kustomize added to an object (and ``annotations``, when it
    held nothing else); return its value, or None."""
    if not isinstance(data, dict):
        return None
    meta: Any = data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(annotations, dict) or key not in annotations:
        return None
    text = annotations.pop(key)
    if not annotations:
        meta.pop("annotations")
    return text


def take_origin(data: object, base: str) -> str | None:
    """Remove kustomize's origin annotation from an object; return the file it names."""
    text = _take_annotation(data, ORIGIN_ANNOTATION)
    if text is None:
        return None
    try:
        fields = yaml.safe_load(str(text))
    except yaml.YAMLError:
        return None
    if not isinstance(fields, dict):
        return None
    for key in ("path", "configuredIn"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return os.path.normpath(os.path.join(base, value))
    return None


@dataclass(frozen=True)
class Transformation:
    """One transformer that kustomize ran over an object (an entry of its transformations annotation)."""

    file: str | None  # the file that configured it (a kustomization, or a `transformers:` file); None: remote
    kind: str  # PatchTransformer, PatchStrategicMergeTransformer, PatchJson6902Transformer, ImageTagTransformer...
    field: bool  # configured by a field of the kustomization (`patches:`...), not by an entry of `transformers:`


def take_transformations(data: object, base: str) -> list[Transformation]:
    """Remove kustomize's transformations annotation from an object; return the transformers it
    lists, in the order kustomize ran them (every transformer of a kustomization that the object
    went through, whether it changed the object or not)."""
    text = _take_annotation(data, TRANSFORMATIONS_ANNOTATION)
    if text is None:
        return []
    try:
        entries = yaml.safe_load(str(text))
    except yaml.YAMLError:
        return []
    out: list[Transformation] = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        by = entry.get("configuredBy")
        by = by if isinstance(by, dict) else {}
        kind = by.get("kind")
        where = entry.get("configuredIn")
        local = isinstance(where, str) and where.strip() and not entry.get("repo")
        out.append(Transformation(os.path.normpath(os.path.join(base, str(where))) if local else None,
                                  kind if isinstance(kind, str) else "",
                                  by.get("apiVersion") == "builtin" and not by.get("name")))
    return out
