"""Python names and annotations for the model: computed once, shared by models and client."""

from __future__ import annotations

from docgen.model.api import Api
from docgen.model.naming import RESERVED_MEMBERS, RESERVED_PREFIXES, python_identifier, unique
from docgen.model.types import TypeRef

_PRIMITIVE = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_STRING_FORMATS = {"date-time": "_dt.datetime", "date": "_dt.date", "binary": "bytes"}


class PythonNames:
    """Class names for schemas and annotations for types, with a module prefix when the
    annotation is written outside models.py."""

    def __init__(self, api: Api) -> None:
        self.classes = unique((s.name, python_identifier(s.name, "pascal")) for s in api.schemas)

    def annotation(self, t: TypeRef | None, prefix: str = "") -> str:
        if t is None or t.kind == "unknown":
            return "_t.Any"
        if t.kind == "primitive":
            if t.name == "string" and t.format in _STRING_FORMATS:
                return _STRING_FORMATS[t.format]
            return _PRIMITIVE.get(t.name, "_t.Any")
        if t.kind == "ref":
            return prefix + self.classes[t.name]
        if t.kind == "array":
            return f"list[{self.annotation(t.item, prefix)}]"
        if t.kind == "map":
            return f"dict[str, {self.annotation(t.item, prefix)}]"
        if t.kind == "enum":
            return "str"
        return "dict[str, _t.Any]"


def attribute_names(wire_names: list[str], avoid: frozenset[str] = RESERVED_MEMBERS) -> dict[str, str]:
    """Distinct snake_case attribute names for a list of wire names, in order."""
    return unique((w, python_identifier(w, "snake", avoid, RESERVED_PREFIXES)) for w in wire_names)
