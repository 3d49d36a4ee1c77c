"""Every output file, made whole or remade in part: each model, enum and group module of the
Python package and each schema and path entry of openapi.yaml is a unit of its own, so a run
after an edit remakes only the units whose part of the model changed."""

from __future__ import annotations

import gc
import pickle
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from docgen.cache import Cache
from docgen.diagnostics import diag
from docgen.emit.format import FormatError, format_python
from docgen.emit.layout import black_would_change
from docgen.emit.openapi import by_path, document, path_fragment, schema_fragment
from docgen.emit.python_names import PythonNames
from docgen.emit.python_package import MemoSource, Project, PythonPackage
from docgen.emit.render import OPENAPI_TEMPLATES, TemplateProblem, compile_early, made_by, overridden, template_of
from docgen.model.api import Api, Operation, Schema
from docgen.model.conventions import Conventions
from docgen.workers import beside


class ApiView(Protocol):
    """What the emitters read of an Api: a whole one, or one a run keeps in pieces."""

    @property
    def groups(self) -> tuple[str, ...]: ...

    def schema(self, name: str) -> Schema | None: ...

    def in_group(self, group: str) -> tuple[Operation, ...]: ...

    def group_size(self, group: str) -> int: ...

    def on_path(self, group: str, path: str) -> tuple[Operation, ...]: ...


@dataclass
class Outputs:
    texts: dict[str, str]  # output path -> text, openapi.yaml aside
    units: dict[str, str]  # "model:Name", "enum:Name", "group:Name" -> output path
    schema_fragments: dict[str, str] = field(default_factory=dict)
    path_fragments: dict[str, str] = field(default_factory=dict)
    openapi: str = ""
    # group -> its MethodMemo, pickled (when kept): bytes, or the last run's (run_state.Blob), passed on
    memos: dict[str, Any] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        return {**self.texts, "openapi.yaml": self.openapi}


@dataclass(frozen=True)
class Settings:
    project: Project
    title: str
    version: str
    templates: str | None
    black: bool
    conventions: Conventions


_PARALLEL_FROM = 400  # units; below this, starting processes costs more than it saves
_WORKER: list[Emitter] = []  # in a worker process: the emitter it was handed (`_adopt`)
_UNIT_TEMPLATES = ["group.py.jinja", "model.py.jinja", "enum.py.jinja", "openapi_schema.yaml.jinja", "openapi_path.yaml.jinja"]


_GLOBALS = ("globals", "")  # a worker's first task: the files that depend on the whole API


def _adopt(emitter: Emitter, templates: list[str]) -> None:
    """A worker's setup: the emitter it renders from (inherited under `fork`, unpickled under
    `spawn` and `forkserver`) and the templates compiled once."""
    _WORKER[:] = [emitter]
    compile_early(templates, emitter.settings.templates)


def _unit(unit: tuple[str, str]) -> tuple[list[tuple[str, str]], bytes] | dict[str, str]:
    emitter = _WORKER[0]
    if unit == _GLOBALS:
        return emitter._global_files()
    files = emitter.unit(*unit)
    return files, emitter.memo(unit[1]) if unit[0] == "group" else b""


def unit_keys(kind: str, name: str, count: int) -> list[str]:
    """A unit's keys in Outputs.units: `group:Name` for its file, `part:2:Name`... for the
    modules of a large group's parts (the number first: a name may hold any character)."""
    return [f"{kind}:{name}" if n == 0 else f"part:{n + 1}:{name}" for n in range(count)]


def _is_part_of(key: str, group: str) -> bool:
    kind, _, rest = key.partition(":")
    return kind == "part" and rest.partition(":")[2] == group


class Emitter:
    def __init__(
        self,
        api: Api | ApiView,
        names: PythonNames,
        settings: Settings,
        cache: Cache | None,
        memos: MemoSource | None = None,
        keep_memos: bool = False,
    ) -> None:
        """`memos`: the methods a run after an edit takes from the last one; `keep_memos`: the
        methods this run makes are kept (Outputs.memos) for the next."""
        self.api, self.names, self.settings, self.cache, self.keep_memos = api, names, settings, cache, keep_memos
        self.package = PythonPackage(api, names, settings.project, settings.conventions, settings.templates, memos)  # type: ignore[arg-type]
        self._enums = {e.name: e for e in names.enum_types}
        self._paths: dict[str, list[Operation]] = {}

    def memo(self, group: str) -> bytes:
        """The memo of the group's methods as this run made them, pickled; b"" unless kept."""
        made = self.package.made.pop(group)
        return pickle.dumps(made, protocol=5) if self.keep_memos else b""

    def _python(self, path: str, text: str) -> tuple[str, str]:
        """The layout fits every line black would leave alone; a file with a line it cannot fit
        (a name longer than a line) goes through black, so the output is black-stable whatever
        the pages say. A file a user's template made is parsed first: what it makes that is not
        Python is that template's diagnostic, and nothing is written."""
        user = overridden(template_of(path), self.settings.templates)
        if user:
            made_by(user, path, text)
        if path.endswith(".py") and (self.settings.black or black_would_change(text)):
            try:
                return path, format_python(text, path, self.cache)
            except FormatError as error:
                raise TemplateProblem(diag(user or template_of(path), 0, "DG026", str(error))) from None
        return path, text

    def everything(self, api: Api, workers: int = 1) -> Outputs:
        """Every unit, in `workers` processes for a large API (forked: each has the Api as this
        process has it, and sends back only text)."""
        self._paths = by_path(api.operations)
        units = [
            *(("group", g) for g in api.groups),
            *(("model", s.name) for s in api.schemas),
            *(("enum", e.name) for e in self.names.enum_types),
            *(("schema", s.name) for s in api.schemas),
            *(("path", p) for p in self._paths),
        ]
        if workers > 1 and len(units) >= _PARALLEL_FROM:
            # every `workers`-th unit of each kind here, the others in workers handed this
            # emitter, which send back only text; the first worker also makes the global files,
            # as this process takes the results in
            compile_early(_UNIT_TEMPLATES, self.settings.templates)
            theirs = [_GLOBALS, *(u for n, u in enumerate(units) if n % workers)]
            gc.freeze()  # a forked worker's collector never scans (and so never copies) what exists now
            try:
                setup = (_adopt, (self, _UNIT_TEMPLATES))
                with beside(_unit, theirs, workers - 1, -(-len(theirs) // (workers - 1)), setup) as results:
                    made, memos = self._units(units[::workers])
                    found = iter(results)
                    texts = next(found)
                    assert isinstance(texts, dict)
                    for unit, result in zip(theirs[1:], found, strict=True):
                        assert isinstance(result, tuple)
                        files, memo = result
                        made[unit] = files
                        if unit[0] == "group":
                            memos[unit[1]] = memo
            finally:
                gc.unfreeze()
        else:
            texts = self._global_files()
            made, memos = self._units(units)
        outputs = Outputs(texts, {}, memos=memos if self.keep_memos else {})
        for kind, name in units:
            files = made[(kind, name)]
            if kind == "schema":
                outputs.schema_fragments[name] = files[0][1]
            elif kind == "path":
                outputs.path_fragments[name] = files[0][1]
            else:
                for key, (path, text) in zip(unit_keys(kind, name, len(files)), files, strict=True):
                    texts[path], outputs.units[key] = text, path
        return self._with_openapi(outputs)

    def _units(self, units: list[tuple[str, str]]) -> tuple[dict[tuple[str, str], list[tuple[str, str]]], dict[str, bytes]]:
        """(path, text) of each unit's files, and the memo of each group's methods, taken as it is made."""
        made: dict[tuple[str, str], list[tuple[str, str]]] = {}
        memos: dict[str, bytes] = {}
        for unit in units:
            made[unit] = self.unit(*unit)
            if unit[0] == "group":
                memos[unit[1]] = self.memo(unit[1])
        return made, memos

    def _global_files(self) -> dict[str, str]:
        return dict(self._python(path, text) for path, text in self.package.global_files().items())

    def unit(self, kind: str, name: str) -> list[tuple[str, str]]:
        """(output path, text) of one unit's files (a large group has several); a fragment of
        openapi.yaml has no path of its own."""
        templates = self.settings.templates
        if kind == "group":
            return [self._python(path, text) for path, text in self.package.group_files(name)]
        if kind == "model":
            return [self._python(*self.package.model_file(self._schema(name)))]
        if kind == "enum":
            return [self._python(*self.package.enum_file(self._enums[name]))]
        if kind == "schema":
            return [("", schema_fragment(self._schema(name), templates))]
        return [("", path_fragment(name, self._paths[name], templates))]

    def _schema(self, name: str) -> Schema:
        found = self.api.schema(name)
        assert found is not None, name
        return found

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
        memos = dict(base.memos)
        for group in sorted({op.group for op in operations}):
            for key in [k for k in units if _is_part_of(k, group)]:  # its parts, as they were
                del texts[units.pop(key)]
            files = [self._python(path, text) for path, text in self.package.group_files(group)]
            for key, (path, text) in zip(unit_keys("group", group, len(files)), files, strict=True):
                texts[path], units[key] = text, path
            memos[group] = self.memo(group)
        for path, group in sorted({(op.path, op.group) for op in operations}):
            path_fragments[path] = path_fragment(path, list(self.api.on_path(group, path)), templates)
        remade = replace(base, texts=texts, units=units, schema_fragments=schema_fragments, path_fragments=path_fragments, memos=memos)
        return self._with_openapi(remade)

    def _with_openapi(self, outputs: Outputs) -> Outputs:
        settings = self.settings
        text = document(
            settings.title, settings.version, self.api.groups, list(outputs.schema_fragments.values()),
            list(outputs.path_fragments.values()), settings.templates, settings.conventions.schemes,
        )  # fmt: skip
        users = [overridden(name, settings.templates) for name in OPENAPI_TEMPLATES]
        if any(users):
            made_by(next(u for u in users if u), "openapi.yaml", text)
        return replace(outputs, openapi=text)
