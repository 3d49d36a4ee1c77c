"""Sample requests and responses: the fence split into start line, headers and JSON body, and
the body reduced to a shape that can fill in what a property table leaves blank."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from docgen.diagnostics import Diagnostic, diag
from docgen.parse.page import Sample

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+:")


def read_sample(kind: str, content: str, line: int, path: str) -> tuple[Sample, list[Diagnostic]]:
    """`line` is the 1-based line of the fence's opening; content starts on the next line."""
    lines = content.split("\n")
    first = lines[0].strip() if lines else ""
    headers: list[tuple[str, str]] = []
    index = 1
    while index < len(lines) and lines[index].strip() and _HEADER.match(lines[index].strip()):
        name, _, value = lines[index].partition(":")
        headers.append((name.strip(), value.strip()))
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    body_line = line + 1 + index
    body_text = "\n".join(lines[index:]).strip()
    sample = Sample(kind, line, first, tuple(headers), body_text, body_line)
    if not body_text:
        return sample, []
    try:
        body = json.loads(body_text)
    except RecursionError:
        return sample, [diag(path, body_line, "DG019", f"sample {kind} JSON is nested too deeply to read")]
    except ValueError as error:
        where = body_line + getattr(error, "lineno", 1) - 1
        col = getattr(error, "colno", 0)
        reason = getattr(error, "msg", str(error))
        return sample, [diag(path, where, "DG009", f"sample {kind} is not valid JSON: {reason}", col)]
    return Sample(kind, line, first, tuple(headers), body_text, body_line, body, True), []


@dataclass(frozen=True)
class Shape:
    """What sample values show of a type. kind: null, boolean, integer, number, string,
    date-time, object, array, mixed."""

    kind: str
    fields: tuple[tuple[str, Shape], ...] = field(default=())
    item: Shape | None = None

    def field(self, name: str) -> Shape | None:
        return next((s for n, s in self.fields if n == name), None)


NULL = Shape("null")
_MAX_DEPTH = 200


def shape_of(value: object, depth: int = 0) -> Shape:
    """Shape of a JSON value; iterative depth guard instead of trusting Python's stack."""
    if depth > _MAX_DEPTH:
        return Shape("mixed")
    if value is None:
        return NULL
    if isinstance(value, bool):
        return Shape("boolean")
    if isinstance(value, int):
        return Shape("integer")
    if isinstance(value, float):
        return Shape("number")
    if isinstance(value, str):
        return Shape("date-time") if _DATETIME.match(value) else Shape("string")
    if isinstance(value, list):
        item: Shape = NULL
        for element in value:
            item = unite(item, shape_of(element, depth + 1))
        return Shape("array", item=item)
    if isinstance(value, dict):
        return Shape("object", tuple((str(k), shape_of(v, depth + 1)) for k, v in value.items()))
    return Shape("mixed")


def unite(a: Shape, b: Shape) -> Shape:
    """The shape that covers both a and b (null gives way to anything)."""
    if a.kind == "null":
        return b
    if b.kind == "null":
        return a
    if a.kind != b.kind:
        if {a.kind, b.kind} == {"integer", "number"}:
            return Shape("number")
        if {a.kind, b.kind} == {"string", "date-time"}:
            return Shape("string")
        return Shape("mixed")
    if a.kind == "array":
        return Shape("array", item=unite(a.item or NULL, b.item or NULL))
    if a.kind == "object":
        names = [n for n, _ in a.fields] + [n for n, _ in b.fields if a.field(n) is None]
        return Shape(
            "object",
            tuple((n, unite(a.field(n) or NULL, b.field(n) or NULL)) for n in names),
        )
    return a
