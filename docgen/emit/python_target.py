"""The Python SDK as a target: a unit a group module (with its parts), a model and an enum, each
held to black's layout; the package's entry points and the project around it made whole."""

from __future__ import annotations

import pickle
from collections.abc import Iterable

from docgen.diagnostics import diag
from docgen.emit.format import FormatError, format_python
from docgen.emit.layout import black_would_change
from docgen.emit.python_package import PythonPackage
from docgen.emit.render import TemplateProblem, made_by, overridden
from docgen.emit.target import Context, Made, Unit, described, unit_key
from docgen.model.api import Api, Operation

_GLOBAL_TEMPLATES = {
    "__init__.py": "__init__.py.jinja",
    "_client.py": "client.py.jinja",
    "groups/__init__.py": "groups_init.py.jinja",
    "models/__init__.py": "models_init.py.jinja",
}


def template_of(path: str) -> str:
    """The built-in template that makes an output file (by its place in the package)."""
    if path in ("pyproject.toml", "README.md"):
        return path + ".jinja"
    inner = path.split("/", 1)[1] if "/" in path else path
    if inner in _GLOBAL_TEMPLATES:
        return _GLOBAL_TEMPLATES[inner]
    if inner.startswith("groups/"):
        return "group.py.jinja"
    if inner.startswith("models/"):
        return "model.py.jinja"  # or enum.py.jinja: the parse says which line failed either way
    return ""


def memo_key(group: str) -> str:
    """Where a run keeps the methods it made for a group (Outputs.memos)."""
    return unit_key(PythonTarget.name, "group", group)


class PythonTarget:
    name: str = "python"
    templates: tuple[str, ...] = ("group.py.jinja", "model.py.jinja", "enum.py.jinja")

    def __init__(self, context: Context) -> None:
        settings = context.settings
        self.api, self.names, self.settings, self.cache = context.api, context.names, settings, context.cache
        self.keep_memos = context.keep_memos
        self.package = PythonPackage(
            context.api, context.names, settings.project, settings.conventions, settings.templates, context.memos  # type: ignore[arg-type]
        )
        self._enums = {e.name: e for e in context.names.enum_types}

    def units(self, api: Api) -> list[Unit]:
        return [
            *(("group", g) for g in api.groups),
            *(("model", s.name) for s in api.schemas),
            *(("enum", e.name) for e in self.names.enum_types),
        ]

    def unit(self, kind: str, name: str) -> Made:
        if kind == "group":
            files = tuple(self._python(path, text) for path, text in self.package.group_files(name))
            made = self.package.made.pop(name)
            return Made(files, memo=pickle.dumps(made, protocol=5) if self.keep_memos else b"")
        if kind == "model":
            return Made((self._python(*self.package.model_file(described(self.api, name))),))
        return Made((self._python(*self.package.enum_file(self._enums[name])),))

    def global_files(self) -> dict[str, str]:
        return dict(self._python(path, text) for path, text in self.package.global_files().items())

    def touched(self, schemas: Iterable[str], operations: Iterable[Operation]) -> list[Unit]:
        """A changed schema's model and the enums it owns; the group of each changed operation."""
        changed = set(schemas)
        return [
            *(("model", name) for name in sorted(changed) if self.api.schema(name) is not None),
            *(("enum", e.name) for e in self.names.enum_types if e.owner[0] in changed),
            *(("group", group) for group in sorted({op.group for op in operations})),
        ]

    def assemble(self, fragments: dict[Unit, str]) -> dict[str, str]:
        return {}  # every unit makes files of its own

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
