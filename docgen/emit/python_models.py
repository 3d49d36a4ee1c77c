"""Api -> the view models.py.jinja lays out: one class per schema, statements ready to print."""

from __future__ import annotations

from typing import Any

from docgen.emit.escape import docstring, py_str
from docgen.emit.format import format_statement
from docgen.emit.layout import call, docstring_block, fits
from docgen.emit.python_names import PythonNames, attribute_names
from docgen.model.api import Api, Schema

PLACEHOLDER_DOC = "Referenced by the reference pages but described by none: keeps whatever fields arrive."


def class_view(schema: Schema, names: PythonNames) -> dict[str, Any]:
    attrs = attribute_names([p.name for p in schema.properties])
    doc = schema.description if schema.described else PLACEHOLDER_DOC
    fields = []
    for p in schema.properties:
        args = ["default=None", f"alias={py_str(p.name)}"]
        text = " ".join(p.description.split())
        if text:
            args.append(f"description={py_str(text)}")
        field = call(f"{attrs[p.name]}: {names.annotation(p.type)} | None = _pd.Field", args, 4)
        fields.append(field if fits(field.split("\n", 1)[0]) else format_statement(field, 4))
    return {
        "name": names.classes[schema.name],
        "header": call(f"class {names.classes[schema.name]}", ["_Model"], 0, ":"),
        "doc": docstring_block(docstring(doc) or docstring(f"The {schema.name} schema."), 4),
        "fields": fields,
    }


def models_view(api: Api, names: PythonNames) -> dict[str, Any]:
    classes = [class_view(s, names) for s in api.schemas]
    exports = [py_str(name) for name in sorted(c["name"] for c in classes)]
    return {"classes": classes, "exports": call("__all__ = ", exports, 0, brackets="[]")}
