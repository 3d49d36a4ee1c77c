"""Python names for the model, decided once and shared by every module of the package: classes
for schemas and enums, the module each lives in, which schema extends another, and the type
annotation of every type as written in a given module."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.emit.escape import py_str
from docgen.model.api import Api, Parameter, Schema
from docgen.model.conventions import GENERIC, Paging
from docgen.model.naming import (
    ANNOTATION_BUILTINS,
    RESERVED_MEMBERS,
    RESERVED_PREFIXES,
    pascal,
    python_identifier,
    snake,
    unique,
)
from docgen.model.types import TypeRef

_PRIMITIVE = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_STRING_FORMATS = {"date-time": "_dt.datetime", "date": "_dt.date", "binary": "bytes", "byte": "_rt.Base64Bytes"}
CLIENT = ""  # the module context of group modules: schemas are written `models.Name`


@dataclass(frozen=True)
class EnumType:
    name: str  # the class
    values: tuple[str, ...]
    owner: tuple[str, str]  # (schema, property) whose description is the enum's


def shared_headers(api: Api) -> tuple[Parameter, ...]:
    """The header parameters more than half of the operations document (a language, an app
    token): settings of the client, with a per-call override in the options, not an argument of
    every method. Each as first documented; compared by name, whatever its case."""
    first: dict[str, Parameter] = {}
    count: dict[str, int] = {}
    for op in api.operations:
        for p in {p.name.lower(): p for p in op.parameters if p.location == "header"}.values():
            first.setdefault(p.name.lower(), p)
            count[p.name.lower()] = count.get(p.name.lower(), 0) + 1
    return tuple(p for key, p in first.items() if 2 * count[key] > len(api.operations))


class PythonNames:
    def __init__(self, api: Api, paging: Paging = GENERIC.paging) -> None:
        """`paging`: how the API's lists page (model.conventions), which decides the page iterators."""
        self.api = api
        self.paging = paging
        self.classes = unique(class_names([s.name for s in api.schemas]).items())
        self.enums = self._enums(api, set(self.classes.values()))
        taken = [*self.classes.values(), *(e.name for e in self.enum_types)]
        self.modules = unique(((name, "_" + module_name(name)) for name in taken), _MODULE_GLOBALS)
        self.bases = self._bases(api)
        self.client_headers = shared_headers(api)
        self.client_header_names = frozenset(h.name.lower() for h in self.client_headers)

    # --- enums -----------------------------------------------------------------------------

    def _enums(self, api: Api, classes: set[str]) -> dict[tuple[str, str], EnumType]:
        """One enum class per property name and value list; two value lists under one
        property name are told apart by their schema's name."""
        wanted: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
        for schema in api.schemas:
            for prop in schema.properties:
                for values in _enum_values(prop.type):
                    wanted.setdefault((prop.name, values), (schema.name, prop.name))
        by_base: dict[str, int] = {}
        for prop_name, _ in wanted:
            base = pascal(prop_name) or "Value"
            by_base[base] = by_base.get(base, 0) + 1
        proposals = []
        for (prop_name, values), (schema_name, _) in wanted.items():
            base = pascal(prop_name) or "Value"
            if by_base[base] > 1 or base in classes:
                base = pascal(schema_name) + base
            proposals.append(((prop_name, values), python_identifier(base, "pascal")))
        avoid = set(classes)
        names: dict[tuple[str, tuple[str, ...]], str] = {}
        for key, name in proposals:
            chosen, n = name, 2
            while chosen in avoid:
                chosen, n = f"{name}{n}", n + 1
            avoid.add(chosen)
            names[key] = chosen
        found: dict[tuple[str, str], EnumType] = {}
        for schema in api.schemas:
            for prop in schema.properties:
                for values in _enum_values(prop.type):
                    key = (prop.name, values)
                    found[(schema.name, prop.name)] = EnumType(names[key], values, wanted[key])
        self.enum_types = sorted({e.name: e for e in found.values()}.values(), key=lambda e: e.name)
        return found

    # --- schemas that extend others ------------------------------------------------------

    def _bases(self, api: Api) -> dict[str, str]:
        """The class each schema's class extends: the base the pages declare, when it is described
        and no chain of bases comes back to the schema; else (pages that declare none)
        `ContactEntityWithLinks` extends `ContactEntity` when its name says so and it has every
        property of it, typed the same, never where the base refers back to it."""
        described = {s.name: s for s in api.schemas if s.described and s.properties}
        declared = {s.name: s.base for s in api.schemas if s.described and not s.enum and s.base}
        found: dict[str, str] = {}
        for name, base in declared.items():
            parent = api.schema(base)
            if parent is not None and parent.described and not parent.enum:
                chain, at = {name}, base
                while at in declared and at not in chain:
                    chain.add(at)
                    at = declared[at]
                if at not in chain:
                    found[name] = base
        for name, schema in described.items():
            if name in declared:
                continue
            prefixes = (name[:n] for n in range(1, len(name)))
            candidates = [b for b in prefixes if b in described and _extends(schema, described[b])]
            for base in sorted(candidates, key=len, reverse=True):
                if name not in self._reach(base, described):
                    found[name] = base
                    break
        return found

    def _reach(self, start: str, described: dict[str, Schema]) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            schema = described.get(todo.pop())
            if schema is None:
                continue
            for prop in schema.properties:
                for ref in prop.type.refs():
                    if ref not in seen:
                        seen.add(ref)
                        todo.append(ref)
        return seen

    # --- annotations ---------------------------------------------------------------------

    def module_of(self, schema: str) -> str:
        return self.modules[self.classes[schema]]

    def annotation(self, t: TypeRef | None, where: str = CLIENT, owner: tuple[str, str] | None = None) -> str:
        """The annotation of `t` written in module `where` (CLIENT for group modules). `owner`
        (schema, property) names the enum class of an enum-typed property."""
        if t is None or t.kind == "unknown":
            return "_t.Any"
        if t.kind == "primitive":
            if t.name == "string" and t.format in _STRING_FORMATS:
                if t.format == "date-time" and where != CLIENT:  # a field: leaves with an offset
                    return "_rt.DateTime"
                return _STRING_FORMATS[t.format]
            return _PRIMITIVE.get(t.name, "_t.Any")
        if t.kind == "ref":
            return self._qualified(self.classes[t.name], where)
        if t.kind == "array":
            return f"list[{self.annotation(t.item, where, owner)}]"
        if t.kind == "map":
            return f"dict[str, {self.annotation(t.item, where, owner)}]"
        if t.kind == "enum":
            enum = self.enums.get(owner) if owner is not None else None
            if enum is not None and where != CLIENT:
                return self._qualified(enum.name, where)
            return "_t.Literal[" + ", ".join(py_str(v) for v in t.values) + "]"
        # `any`: a value the pages call free-form (an `Object`), which a page may also say can
        # be a string (a JSON Patch `value`): any JSON value, never refused
        return "_t.Any"

    def _qualified(self, cls: str, where: str) -> str:
        if where == CLIENT:
            return f"models.{cls}"
        module = self.modules[cls]
        return cls if module == where else f"{module}.{cls}"

    def imported_by(self, annotation_types: Sequence[tuple[TypeRef, tuple[str, str] | None]], where: str) -> list[str]:
        """The sibling modules a model module imports for these types."""
        found: set[str] = set()
        for t, owner in annotation_types:
            for ref in t.refs():
                found.add(self.module_of(ref))
            if owner is not None and owner in self.enums and _enum_values(t):
                found.add(self.modules[self.enums[owner].name])
        found.discard(where)
        return sorted(found)


def class_names(names: list[str]) -> dict[str, str]:
    """A class name for each schema name: its last dotted part (`microsoft.graph.user` ->
    `User`), with as many parts before it as tell it from another's (`CallRecordsSession` beside
    `Session`). Names without dots are their own."""
    parts = {name: [p for p in name.split(".") if p] or [name] for name in names}
    taken: dict[str, int] = {}
    depth = dict.fromkeys(names, 1)
    while True:
        proposed = {name: python_identifier("".join(pascal(p) for p in parts[name][-depth[name] :]), "pascal") for name in names}
        taken = {}
        for candidate in proposed.values():
            taken[candidate] = taken.get(candidate, 0) + 1
        clashing = [n for n in names if taken[proposed[n]] > 1 and depth[n] < len(parts[n])]
        if not clashing:
            return proposed
        for name in clashing:
            depth[name] += 1


# Names a model module binds itself: no sibling module may take one.
_MODULE_GLOBALS = frozenset({"_t", "_dt", "_pd", "_rt", "annotations", "_INHERITED"})
_MODULE_LENGTH = 60  # file names have a limit (255 bytes); modules stay far below it


def module_name(name: str) -> str:
    """A module name for a class or group: its snake_case, shortened with a hash of the whole
    name when long, so that distinct long names stay distinct."""
    base = snake(name) or "model"
    if len(base) <= _MODULE_LENGTH:
        return base
    return base[:50].rstrip("_") + "_" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _enum_values(t: TypeRef) -> list[tuple[str, ...]]:
    if t.kind == "enum" and t.values:
        return [t.values]
    return _enum_values(t.item) if t.item is not None else []


def _extends(schema: Schema, base: Schema) -> bool:
    mine = {p.name: p.type for p in schema.properties}
    theirs = {p.name: p.type for p in base.properties}
    return set(theirs) < set(mine) and all(mine[name] == t for name, t in theirs.items())


def lineage(schema: Schema, names: PythonNames) -> list[Schema]:
    """The schema and the schemas its class extends, nearest first."""
    found = [schema]
    base = names.bases.get(schema.name)
    while base is not None and all(s.name != base for s in found):
        parent = names.api.schema(base)
        if parent is None:
            break
        found.append(parent)
        base = names.bases.get(base)
    return found


def class_attributes(schema: Schema, names: PythonNames) -> dict[str, str]:
    """Each wire name of a class and of the classes it extends -> its attribute: the bases' first,
    the farthest first, so that a class names every inherited field as its base does."""
    wires = [p.name for owner in reversed(lineage(schema, names)) for p in owner.properties]
    return attribute_names(list(dict.fromkeys(wires)))


def attribute_names(
    wire_names: list[str], avoid: frozenset[str] = RESERVED_MEMBERS, shadow: frozenset[str] = ANNOTATION_BUILTINS
) -> dict[str, str]:
    """Distinct snake_case attribute names for a list of wire names, in order."""
    return unique((w, python_identifier(w, "snake", avoid, RESERVED_PREFIXES, shadow)) for w in wire_names)
