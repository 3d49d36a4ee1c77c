"""The OpenAPI document as a target: a fragment a schema and a path, assembled into openapi.yaml."""

from __future__ import annotations

from collections.abc import Iterable

from docgen.emit.openapi import by_path, document, path_fragment, schema_fragment
from docgen.emit.render import made_by, overridden
from docgen.emit.target import Context, Made, Unit, described
from docgen.model.api import Api, Operation

_TEMPLATES = ("openapi.yaml.jinja", "openapi_path.yaml.jinja", "openapi_schema.yaml.jinja")


class OpenApiTarget:
    name: str = "openapi"
    templates: tuple[str, ...] = ("openapi_schema.yaml.jinja", "openapi_path.yaml.jinja")

    def __init__(self, context: Context) -> None:
        self.api, self.settings = context.api, context.settings
        self._paths: dict[str, list[Operation]] = {}  # the operations of each path a run makes

    def units(self, api: Api) -> list[Unit]:
        self._paths = by_path(api.operations)
        return [*(("schema", s.name) for s in api.schemas), *(("path", p) for p in self._paths)]

    def unit(self, kind: str, name: str) -> Made:
        templates = self.settings.templates
        if kind == "schema":
            return Made(fragment=schema_fragment(described(self.api, name), templates))
        return Made(fragment=path_fragment(name, self._paths[name], templates))

    def global_files(self) -> dict[str, str]:
        return {}

    def touched(self, schemas: Iterable[str], operations: Iterable[Operation]) -> list[Unit]:
        """A changed schema's entry; the entry of each changed operation's path, with every
        operation on it (a path is in one group)."""
        found = [("schema", name) for name in sorted(set(schemas)) if self.api.schema(name) is not None]
        for path, group in sorted({(op.path, op.group) for op in operations}):
            self._paths[path] = list(self.api.on_path(group, path))
            found.append(("path", path))
        return found

    def assemble(self, fragments: dict[Unit, str]) -> dict[str, str]:
        settings = self.settings
        schemas = [text for (kind, _), text in fragments.items() if kind == "schema"]
        paths = [text for (kind, _), text in fragments.items() if kind == "path"]
        project = settings.project
        text = document(
            project.title, project.version, self.api.groups, schemas, paths, settings.templates, settings.conventions.schemes
        )
        users = [overridden(name, settings.templates) for name in _TEMPLATES]
        if any(users):
            made_by(next(u for u in users if u), "openapi.yaml", text)
        return {"openapi.yaml": text}
