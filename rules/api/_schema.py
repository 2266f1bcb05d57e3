"""Helpers shared by the schema rules."""

from k8slint.kube import schemas
from k8slint.model import object_path


def custom_resources(ctx) -> schemas.CustomResources:
    return ctx.memo("custom-resources", lambda: schemas.CustomResources(
        ctx.graph.objects_of("CustomResourceDefinition")))


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
