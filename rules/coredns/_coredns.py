"""Shared CoreDNS helpers: which ConfigMaps hold a Corefile CoreDNS runs, which
CoreDNS version runs it (and why we think so), the parsed Corefile.

Not a rule module (the leading underscore keeps the engine from loading it).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8slint.kube import coredns, corefile, images
from k8slint.model import mapping

PATH = ("data", "Corefile")
KUBEADM_NAME = "coredns"  # kubeadm's ConfigMap (and Deployment): kube-system/coredns


@dataclass(frozen=True)
class Runtime:
    """The CoreDNS that reads a Corefile."""

    version: coredns.Version
    why: str  # "the image 'registry.k8s.io/coredns/coredns:v1.11.3' of Deployment 'coredns'"
    standard: bool  # the standard build (its plugins are exactly plugin.cfg's), or no image known

    def describe(self) -> str:
        return f"CoreDNS {coredns.show(self.version)} ({self.why})"


def corefile_text(obj) -> str | None:
    value = mapping(obj.raw.get("data")).get("Corefile")
    return value if isinstance(value, str) else None


def _mounting(obj, ctx) -> list:
    """(workload, container, image) for the app containers of the workloads that mount this ConfigMap."""
    out = []
    for edge in ctx.graph.in_edges(obj, "mounts"):
        pod = edge.source.pod
        if pod is None:
            continue
        for container in pod.containers:
            image = container.raw.get("image")
            ref = images.try_parse(image) if isinstance(image, str) else None
            out.append((edge.source, container, ref, image))
    return out


def _runtime(obj, ctx) -> Runtime | None:
    text = corefile_text(obj)
    if text is None:
        return None
    mounting = _mounting(obj, ctx)
    runners = [m for m in mounting if m[2] is not None and coredns.is_coredns_image(m[2])]
    if not runners and obj.name != KUBEADM_NAME:
        return None  # a Corefile nothing visibly runs: maybe a copy, a template, documentation
    kube_default, kube, _ = coredns.kubeadm_coredns(ctx.kube_version)
    kubeadm = f"assumed: the CoreDNS kubeadm installs with Kubernetes {kube[0]}.{kube[1]}"
    if runners:
        workload, _container, ref, image = runners[0]
        where = f"the image {image!r} of {workload.kind} {workload.name!r}"
        version = coredns.parse_version(ref.tag or "")
        if version is None:
            return Runtime(kube_default, f"{kubeadm}, since {where} names no version",
                           coredns.is_standard_image(ref))
        return Runtime(version, where, coredns.is_standard_image(ref))
    if mounting:  # mounted only by workloads whose image is not CoreDNS's: a custom build
        workload, _container, _ref, image = mounting[0]
        return Runtime(kube_default, f"{kubeadm}; {workload.kind} {workload.name!r}, which mounts this ConfigMap, "
                                     f"runs {image!r}, not a CoreDNS image", standard=False)
    return Runtime(kube_default, f"{kubeadm}; no workload in the run mounts this ConfigMap with a CoreDNS image",
                   standard=True)


def runtime(obj, ctx) -> Runtime | None:
    """The CoreDNS that runs this ConfigMap's Corefile, or None when the ConfigMap is not checked:
    it has no ``data.Corefile``, or it is neither named ``coredns`` nor mounted by a CoreDNS workload."""
    return ctx.memo(("coredns-runtime", id(obj)), lambda: _runtime(obj, ctx))


def parsed(obj, ctx) -> corefile.Corefile:
    text = corefile_text(obj) or ""
    return ctx.memo(("corefile", id(obj)), lambda: corefile.parse(text, coredns.ALL_DIRECTIVES))


def subject(obj) -> str:
    return f"Corefile of ConfigMap {obj.name!r}"
