"""TypeRef: what the model knows of a value's type, and how specific that knowledge is."""

from __future__ import annotations

import functools
from dataclasses import dataclass

PRIMITIVES = ("integer", "number", "string", "boolean")


@dataclass(frozen=True)
class TypeRef:
    """kind: primitive | ref | array | map | enum | any | unknown.

    `any` is a documented free-form object; `unknown` means nothing tells the type, and stays
    unknown rather than guessed.
    """

    kind: str
    name: str = ""  # primitive name, or the referenced schema's name
    format: str = ""  # int32, int64, double, date-time, date, byte, binary, uuid
    item: TypeRef | None = None  # array item or map value
    values: tuple[str, ...] = ()  # enum values

    def describe(self) -> str:
        if self.kind == "primitive":
            return self.name + (f":{self.format}" if self.format else "")
        if self.kind == "ref":
            return self.name
        if self.kind in ("array", "map"):
            return f"{self.kind}<{self.item.describe() if self.item else '?'}>"
        if self.kind == "enum":
            return "enum(" + ", ".join(self.values) + ")"
        return self.kind

    def refs(self) -> list[str]:
        """Names of the schemas this type mentions."""
        if self.kind == "ref":
            return [self.name]
        if self.item is not None:
            return self.item.refs()
        return []

    def renamed(self, mapping: dict[str, str]) -> TypeRef:
        if self.kind == "ref":
            found = mapping.get(self.name, self.name)
            return self if found == self.name else TypeRef("ref", found)
        if self.item is not None:
            inner = self.item.renamed(mapping)
            return self if inner is self.item else TypeRef(self.kind, self.name, self.format, inner, self.values)
        return self


UNKNOWN = TypeRef("unknown")
ANY = TypeRef("any")


@functools.cache
def primitive(name: str, fmt: str = "") -> TypeRef:
    """One object for each primitive (a TypeRef is frozen): a page's drafts pickle it once."""
    return TypeRef("primitive", name, fmt)


def ref(name: str) -> TypeRef:
    return TypeRef("ref", name)


def array(item: TypeRef) -> TypeRef:
    return TypeRef("array", item=item)


def mapping(value: TypeRef) -> TypeRef:
    return TypeRef("map", item=value)


def vague(t: TypeRef) -> bool:
    """Does this type leave something a sample could still tell?"""
    if t.kind in ("unknown", "any"):
        return True
    if t.kind in ("array", "map"):
        return t.item is None or vague(t.item)
    return False


def specificity(t: TypeRef) -> int:
    """How much a type tells; merging keeps the higher."""
    if t.kind == "unknown":
        return 0
    if t.kind == "any":
        return 1
    if t.kind == "primitive":
        return 3 if t.format else 2
    if t.kind == "enum":
        return 3
    if t.kind in ("array", "map"):
        return 2 + (specificity(t.item) if t.item else 0)
    return 4


def compatible(a: TypeRef, b: TypeRef) -> bool:
    """Can one of a and b refine the other (rather than contradict it)?"""
    if vague(a) and a.kind in ("unknown", "any"):
        return True
    if vague(b) and b.kind in ("unknown", "any"):
        return True
    if a.kind == "primitive" and b.kind == "primitive":
        if a.name != b.name:
            return {a.name, b.name} == {"integer", "number"}
        return not a.format or not b.format or a.format == b.format or {a.format, b.format} == {"int32", "int64"}
    if {a.kind, b.kind} == {"primitive", "enum"}:
        return (a if a.kind == "primitive" else b).name == "string"
    if a.kind != b.kind:
        return False
    if a.kind == "ref":
        return a.name == b.name
    if a.kind in ("array", "map"):
        return a.item is None or b.item is None or compatible(a.item, b.item)
    return True


def merge_types(a: TypeRef, b: TypeRef) -> TypeRef:
    """The more specific of two compatible types (a wins ties, so the first page leads)."""
    if a.kind in ("array", "map") and b.kind == a.kind and a.item and b.item:
        return TypeRef(a.kind, item=merge_types(a.item, b.item))
    if a.kind == b.kind == "primitive" and {a.format, b.format} == {"int32", "int64"}:
        return primitive(a.name, "int64")
    if {a.kind, b.kind} == {"primitive"} and {a.name, b.name} == {"integer", "number"}:
        return a if a.name == "number" else b
    if a.kind == b.kind == "enum":
        return TypeRef("enum", values=tuple(dict.fromkeys(a.values + b.values)))
    return b if specificity(b) > specificity(a) else a
