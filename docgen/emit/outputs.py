"""Every output file, made whole or remade in part: each model, enum and group module of the
Python package and each schema and path entry of openapi.yaml is a unit of its own, so a run
after an edit remakes only the units whose part of the model changed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from docgen.cache import Cache
from docgen.dialects import Dialect
from docgen.emit.format import format_python
from docgen.emit.layout import black_would_change
from docgen.emit.openapi import by_path, document, path_fragment, schema_fragment
from docgen.emit.python_names import PythonNames
from docgen.emit.python_package import Project, PythonPackage
from docgen.model.api import Api, Operation, Schema


class ApiView(Protocol):
    """What the emitters read of an Api: a whole one, or one a run keeps in pieces."""

    @property
    def groups(self) -> tuple[str, ...]: ...

    def schema(self, name: str) -> Schema | None: ...

    def in_group(self, group: str) -> tuple[Operation, ...]: ...


@dataclass
class Outputs:
    texts: dict[str, str]  # output path -> text, openapi.yaml aside
    units: dict[str, str]  # "model:Name", "enum:Name", "group:Name" -> output path
    schema_fragments: dict[str, str] = field(default_factory=dict)
    path_fragments: dict[str, str] = field(default_factory=dict)
    openapi: str = ""

    def files(self) -> dict[str, str]:
        return {**self.texts, "openapi.yaml": self.openapi}


@dataclass(frozen=True)
class Settings:
    project: Project
    title: str
    version: str
    templates: str | None
    black: bool


class Emitter:
    def __init__(self, api: Api | ApiView, names: PythonNames, settings: Settings, dialect: Dialect, cache: Cache | None) -> None:
        self.api, self.names, self.settings, self.cache = api, names, settings, cache
        self.package = PythonPackage(api, names, settings.project, dialect, settings.templates)  # type: ignore[arg-type]

    def _python(self, path: str, text: str) -> tuple[str, str]:
        """The layout fits every line black would leave alone; a file with a line it cannot fit
        (a name longer than a line) goes through black, so the output is black-stable whatever
        the pages say."""
        if path.endswith(".py") and (self.settings.black or black_would_change(text)):
            return path, format_python(text, path, self.cache)
        return path, text

    def everything(self, api: Api) -> Outputs:
        texts: dict[str, str] = {}
        units: dict[str, str] = {}
        for path, text in self.package.global_files().items():
            texts.update([self._python(path, text)])
        for group in api.groups:
            path, text = self._python(*self.package.group_file(group))
            texts[path], units[f"group:{group}"] = text, path
        for schema in api.schemas:
            path, text = self._python(*self.package.model_file(schema))
            texts[path], units[f"model:{schema.name}"] = text, path
        for enum in self.names.enum_types:
            path, text = self._python(*self.package.enum_file(enum))
            texts[path], units[f"enum:{enum.name}"] = text, path
        templates = self.settings.templates
        schemas = {s.name: schema_fragment(s, templates) for s in api.schemas}
        paths = {path: path_fragment(path, ops, templates) for path, ops in by_path(api.operations).items()}
        return self._with_openapi(Outputs(texts, units, schemas, paths))

    def remake(self, base: Outputs, schemas: set[str], operations: set[Operation]) -> Outputs:
        """`base` with the units of these schemas (and the enums they own) and of the groups and
        paths of these operations made again."""
        texts, units = dict(base.texts), dict(base.units)
        schema_fragments, path_fragments = dict(base.schema_fragments), dict(base.path_fragments)
        templates = self.settings.templates
        for name in sorted(schemas):
            schema = self.api.schema(name)
            if schema is None:
                continue
            path, text = self._python(*self.package.model_file(schema))
            texts[path], units[f"model:{name}"] = text, path
            schema_fragments[name] = schema_fragment(schema, templates)
        for enum in self.names.enum_types:
            if enum.owner[0] in schemas:
                path, text = self._python(*self.package.enum_file(enum))
                texts[path], units[f"enum:{enum.name}"] = text, path
        for group in sorted({op.group for op in operations}):
            path, text = self._python(*self.package.group_file(group))
            texts[path], units[f"group:{group}"] = text, path
        for path, group in sorted({(op.path, op.group) for op in operations}):
            at = [op for op in self.api.in_group(group) if op.path == path]  # a path is in one group
            path_fragments[path] = path_fragment(path, at, templates)
        return self._with_openapi(replace(base, texts=texts, units=units, schema_fragments=schema_fragments, path_fragments=path_fragments))

    def _with_openapi(self, outputs: Outputs) -> Outputs:
        settings = self.settings
        text = document(
            settings.title, settings.version, self.api.groups, list(outputs.schema_fragments.values()),
            list(outputs.path_fragments.values()), settings.templates,
        )  # fmt: skip
        return replace(outputs, openapi=text)
