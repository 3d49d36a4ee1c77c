"""The type-string grammar of the SuperOffice reference pages, across its renderings.

    type    := "" | "Enum:" value ("," value)* | name "[]" | primitive | schema-name
    primitive spellings: Integer int int32 int64 long String string Boolean bool date-time
                         double number decimal float byte object Object array Array binary ...
"""

from __future__ import annotations

import functools
import re

from docgen.model.types import ANY, UNKNOWN, TypeRef, array, primitive, ref

_PRIMITIVES: dict[str, TypeRef] = {
    "integer": primitive("integer"),
    "int": primitive("integer", "int32"),
    "int16": primitive("integer", "int32"),
    "short": primitive("integer", "int32"),
    "int32": primitive("integer", "int32"),
    "int64": primitive("integer", "int64"),
    "long": primitive("integer", "int64"),
    "string": primitive("string"),
    "str": primitive("string"),
    "char": primitive("string"),
    "bool": primitive("boolean"),
    "boolean": primitive("boolean"),
    "date-time": primitive("string", "date-time"),
    "datetime": primitive("string", "date-time"),
    "date": primitive("string", "date"),
    "double": primitive("number", "double"),
    "float": primitive("number", "float"),
    "number": primitive("number"),
    "decimal": primitive("number", "double"),
    "byte": primitive("string", "byte"),
    "binary": primitive("string", "binary"),
    "file": primitive("string", "binary"),
    "stream": primitive("string", "binary"),
    "guid": primitive("string", "uuid"),
    "uuid": primitive("string", "uuid"),
    "object": ANY,
    "array": array(UNKNOWN),
    "void": UNKNOWN,
}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@functools.lru_cache(maxsize=8192)
def parse_type(text: str) -> tuple[TypeRef, bool]:
    """(type, understood). A blank cell is understood as unknown; gibberish is not understood.
    Cached: a few hundred spellings recur, and one object per spelling pickles once a batch."""
    spelled = text.strip().strip("`").strip()
    if not spelled:
        return UNKNOWN, True
    if spelled.lower().startswith("enum:"):
        values = tuple(dict.fromkeys(v.strip() for v in spelled[5:].split(",") if v.strip()))
        return (TypeRef("enum", values=values), True) if values else (primitive("string"), True)
    if spelled.endswith("[]"):
        item, ok = parse_type(spelled[:-2])
        return array(item), ok
    known = _PRIMITIVES.get(spelled.lower())
    if known is not None:
        return known, True
    if _NAME.match(spelled):
        return ref(spelled.rsplit(".", 1)[-1] or spelled), True
    return UNKNOWN, False
