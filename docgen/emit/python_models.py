"""Api -> the view models.py.jinja lays out: one class per schema, fields ready to print."""

from __future__ import annotations

from typing import Any

from docgen.emit.escape import docstring, py_str
from docgen.emit.python_names import PythonNames, attribute_names
from docgen.model.api import Api, Schema

PLACEHOLDER_DOC = "Referenced by the reference pages but described by none: keeps whatever fields arrive."


def class_view(schema: Schema, names: PythonNames) -> dict[str, Any]:
    attrs = attribute_names([p.name for p in schema.properties])
    doc = schema.description if schema.described else PLACEHOLDER_DOC
    return {
        "name": names.classes[schema.name],
        "doc": docstring(doc) or docstring(f"The {schema.name} schema."),
        "fields": [
            {
                "attr": attrs[p.name],
                "annotation": names.annotation(p.type),
                "alias": py_str(p.name),
                "description": py_str(" ".join(p.description.split())) if p.description.strip() else "",
            }
            for p in schema.properties
        ],
    }


def models_view(api: Api, names: PythonNames) -> dict[str, Any]:
    classes = [class_view(s, names) for s in api.schemas]
    return {"classes": classes, "exports": [py_str(name) for name in sorted(c["name"] for c in classes)]}
