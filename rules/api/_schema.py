"""Helpers shared by the schema rules."""

from k8slint.kube import schemas
from k8slint.model import object_path


def custom_resources(ctx) -> schemas.CustomResources:
    """What the CRDs this object can see teach (views that see the same CRDs share it)."""
    def compute():
        crds = ctx.graph.objects_of("CustomResourceDefinition")
        key = ("custom-resources",) + tuple(id(c) for c in crds)
        found = ctx.cache.get(key)
        if found is None:
            found = ctx.cache[key] = schemas.CustomResources(crds)
        return found

    return ctx.memo("custom-resources", compute)


def source_token(obj):
    """The text of a scalar as written in the file, by its path in the object."""
    doc = obj.document

    def token(path):
        pos = doc.positions.get(object_path(obj, path))
        line = doc.source.line(pos[2] + 1) if pos else None
        if not line:
            return None
        text = line[pos[3]:].split(" #", 1)[0]
        for stop in (",", "}", "]"):
            text = text.split(stop, 1)[0]
        return text.strip() or None

    return token
