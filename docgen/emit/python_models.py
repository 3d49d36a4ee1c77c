"""Api -> the views of the models package: one module per schema and per enum, and an index
that loads each module on first use. Views are typed; the templates lay them out."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.emit.escape import docstring, prefixes_used, py_str
from docgen.emit.layout import call, docstring_block, fits, import_line
from docgen.emit.prose import one_line, plain
from docgen.emit.python_names import EnumType, PythonNames, class_attributes, lineage
from docgen.model.api import Schema
from docgen.model.naming import python_identifier, unique

PLACEHOLDER_DOC = "Referenced by the reference pages but described by none: keeps whatever fields arrive."


@dataclass(frozen=True)
class FieldView:
    attr: str
    annotation: str
    wire: str
    description: str

    @property
    def head(self) -> str:
        return f"{self.attr}: {self.annotation} | None = _pd.Field"

    @property
    def args(self) -> list[str]:
        found = ["default=None"]
        if self.wire != self.attr:
            found += [f"validation_alias={py_str(self.wire)}", f"serialization_alias={py_str(self.wire)}"]
        if self.description:
            found.append(f"description={py_str(self.description)}")
        return found


@dataclass(frozen=True)
class ModelView:
    name: str
    module: str
    title: str  # the module docstring's first line
    doc: str  # the class docstring statement
    base: str
    imports: tuple[str, ...]  # statements
    fields: tuple[FieldView, ...]
    late_imports: str  # the sibling modules the fields name, imported after the class


@dataclass(frozen=True)
class EnumView:
    name: str
    module: str
    title: str
    doc: str
    members: tuple[tuple[str, str], ...]  # (identifier, value literal)


@dataclass(frozen=True)
class IndexView:
    title: str
    entries: tuple[tuple[str, str], ...]  # (class, module)
    imports: tuple[str, ...]  # the type checkers' imports, laid out
    exports: str  # the __all__ statement
    modules: str  # the statement mapping each class to its module


def model_view(schema: Schema, names: PythonNames) -> ModelView:
    cls = names.classes[schema.name]
    module = names.modules[cls]
    attrs = class_attributes(schema, names)
    base_name = names.bases.get(schema.name)
    ancestors = lineage(schema, names)[1:]
    inherited = {p.name for owner in ancestors for p in owner.properties}
    fields = tuple(
        FieldView(attrs[p.name], names.annotation(p.type, module, (schema.name, p.name)), p.name, one_line(p.description))
        for p in schema.properties
        if p.name not in inherited
    )
    typed = [(p.type, (schema.name, p.name)) for p in schema.properties if p.name not in inherited]
    siblings = names.imported_by(typed, module)
    # pydantic reads an inherited field's annotation again in the subclass's module: the modules
    # the bases' fields name are imported here too
    from_bases = [(p.type, (owner.name, p.name)) for owner in ancestors for p in owner.properties]
    only_bases = [m for m in names.imported_by(from_bases, module) if m not in siblings]
    base = "_rt.Model" if schema.described else "_rt.OpenModel"
    early: list[str] = []
    if base_name is not None:
        base_module = names.module_of(base_name)
        base = f"{base_module}.{names.classes[base_name]}"
        early = [base_module]
        siblings = [s for s in siblings if s != base_module]
    text = " ".join([base, *(f.annotation for f in fields)])
    doc = plain(schema.description) if schema.described else PLACEHOLDER_DOC
    return ModelView(
        name=cls,
        module=module,
        title=docstring(f"The {schema.name} schema."),
        doc=docstring_block(docstring(doc) or docstring(f"The {schema.name} schema."), 4),
        base=call(f"class {cls}", [base], 0, ":"),
        imports=_imports(text, early, bool(fields)),
        fields=fields,
        late_imports=_late_imports(siblings, only_bases),
    )


def _imports(annotations: str, siblings: list[str], has_fields: bool) -> tuple[str, ...]:
    """The import block, grouped and ordered as isort (ruff) orders it, with what is used."""
    used = prefixes_used(annotations)
    standard = [line for name, line in (("_dt", "import datetime as _dt"), ("_t", "import typing as _t")) if name in used]
    third = ["import pydantic as _pd"] if has_fields else []
    local = ["from .. import _runtime as _rt"] if "_rt" in used else []
    local += [import_line(".", siblings)] if siblings else []
    return tuple(block for block in ("\n".join(standard), "\n".join(third), "\n".join(local)) if block)


def _late_imports(siblings: list[str], only_bases: list[str]) -> str:
    """The modules of the types the fields name, imported after the class: they may import this
    module too, and the annotations are read when the model is first used, by which time every
    module has its class (a sibling imported first would look for a class not yet made). The
    modules only the bases' fields name are kept in `_INHERITED`, for pydantic."""
    modules = sorted({*siblings, *only_bases})
    if not modules:
        return ""
    one = f"from . import {', '.join(modules)}  # noqa: E402"
    if fits(one):
        lines = one
    else:  # black keeps a comment after the opening bracket where it is
        lines = "\n".join(["from . import (  # noqa: E402", *(f"    {m}," for m in modules), ")"])
    if only_bases:
        one = f"_INHERITED = ({only_bases[0]},)" if len(only_bases) == 1 else ""
        lines += "\n\n" + (one if one and fits(one) else call("_INHERITED = ", sorted(only_bases), 0, brackets="()"))
    return lines


def enum_view(enum: EnumType, names: PythonNames) -> EnumView:
    owner = names.api.schema(enum.owner[0])
    prop = owner.property(enum.owner[1]) if owner is not None else None
    doc = plain(prop.description if prop is not None else "") or f"The values the pages list for {enum.name}."
    return _enum(enum.name, names.modules[enum.name], enum.values, doc, enum.name)


def schema_enum_view(schema: Schema, names: PythonNames) -> EnumView:
    """An enumeration the pages name (`microsoft.graph.riskLevel`): a class of its own."""
    cls = names.classes[schema.name]
    doc = plain(schema.description) or f"The values the pages list for {schema.name}."
    return _enum(cls, names.modules[cls], schema.values, doc, schema.name)


def _enum(cls: str, module: str, values: tuple[str, ...], doc: str, title: str) -> EnumView:
    idents = unique((value, python_identifier(value, "snake").upper().strip("_") or "VALUE") for value in values)
    return EnumView(
        name=cls,
        module=module,
        title=docstring(f"The {title} enum."),
        doc=docstring_block(docstring(doc + "\n\nA value the server adds later is a member of its own."), 4),
        members=tuple((_member(idents[v]), py_str(v)) for v in values),
    )


def _member(name: str) -> str:
    """Enum member names may not be sunder or dunder names, nor start with a digit."""
    name = name.strip("_") or "VALUE"
    return f"V_{name}" if name[0].isdigit() else name


def index_view(names: PythonNames, title: str) -> IndexView:
    entries = sorted(((cls, module) for cls, module in names.modules.items()), key=lambda item: item[1])
    exports = [py_str(cls) for cls in sorted(names.modules)]
    modules = call("_MODULES: dict[str, str] = ", [f"{py_str(c)}: {py_str(m)}" for c, m in sorted(entries)], 0, brackets="{}")
    imports = tuple(import_line(f".{m}", [f"{c} as {c}"], 4) for c, m in entries)
    return IndexView(
        docstring(f"Models of the {title}."), tuple(entries), imports, call("__all__: list[str] = ", exports, 0, brackets="[]"), modules
    )
