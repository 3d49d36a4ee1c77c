"""The Python target: a project around the package (pyproject.toml, README.md), the package's
modules (client, one module a group, one a model), and the static runtime copied in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from docgen.emit.escape import docstring, markdown_cell, py_str, toml_str
from docgen.emit.layout import call
from docgen.emit.python_client import (
    CredentialView,
    GroupHead,
    GroupView,
    HeaderView,
    MethodMemo,
    MethodView,
    ParamView,
    credential_views,
    group_head,
    group_names,
    group_view,
    header_views,
    split_view,
)
from docgen.emit.python_models import enum_view, index_view, model_view, schema_enum_view
from docgen.emit.python_names import EnumType, PythonNames
from docgen.emit.render import render
from docgen.emit.target import Project
from docgen.model.api import Api, Operation, Schema
from docgen.model.conventions import Conventions

RUNTIME = Path(__file__).resolve().parent.parent / "sdk_runtime"
ERRORS = (
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "CertificateError",
    "ClientError",
    "ConflictError",
    "NotFoundError",
    "NotModifiedError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
)
EXPORTS = (
    "AsyncBinaryResponse", "AsyncPager", "AsyncStreamedResponse", "AsyncUpload", "BinaryResponse", "Page", "Pager",
    "RawResponse", "RequestOptions", "StreamedResponse", "Upload", "with_raw_response", "with_streaming_response",
)  # fmt: skip


def env_prefix(package: str) -> str:
    """The environment variables a client reads are named after its package: `MY_API_TOKEN`."""
    return package.upper() + "_"


@dataclass(frozen=True)
class Example:
    title: str
    code: str


@dataclass(frozen=True)
class ReadmeView:
    title: str
    package: str
    distribution: str
    description: str
    operations: int
    groups: tuple[tuple[str, str, int], ...]  # (attribute, class, operations)
    credentials: tuple[CredentialView, ...]
    basic: bool  # the client also takes username and password
    client: str  # the expression that makes a client, as the examples write it
    header: str  # an example of a header every request may carry, as a dict item
    paging_how: str  # how a list pages, in words
    examples: tuple[Example, ...]
    paging: Example | None
    binary: Example | None
    env_prefix: str  # what the client's environment variables are called: `MY_API_`
    client_headers: tuple[str, ...]  # the client's arguments for headers most operations take


def client_expression(conventions: Conventions) -> str:
    """`Client("<example base URL>", <credential>="<example value>")`: every example's first line."""
    keyword, value = conventions.example_credential
    return f"Client({py_str(conventions.example_base_url)}, {keyword}={py_str(value)})"


def _paging_how(conventions: Conventions) -> str:
    paging = conventions.paging
    offset = f", else `{paging.offset}` by `page_size`" if paging.offset else ""
    return f"`{paging.next_link}`{offset}"


def runtime_sources() -> list[tuple[str, bytes]]:
    """The runtime's files, as copied into every package (part of the cache key)."""
    return [(path.name, path.read_bytes()) for path in sorted(RUNTIME.glob("*.py"))]


class MemoSource(Protocol):
    """Where a run after an edit finds the methods the last run made (incremental.PieceApi)."""

    def memo(self, group: str) -> MethodMemo | None: ...

    def operation(self, uid: str) -> Operation: ...


class PythonPackage:
    """The files of the Python target, each made on its own (a model, an enum, a group) so that a
    run can remake only what changed, or share the work between processes."""

    def __init__(
        self,
        api: Api,
        names: PythonNames,
        project: Project,
        conventions: Conventions,
        templates: str | None,
        memos: MemoSource | None = None,
    ) -> None:
        self.api, self.names, self.project, self.conventions, self.templates = api, names, project, conventions, templates
        self.naming = group_names(api)
        self.memos = memos
        self._views: dict[str, GroupView] = {}  # those the README read, until their files take them
        self.made: dict[str, MethodMemo] = {}  # the memo of each group made, until taken

    @property
    def package(self) -> str:
        return self.project.package

    def model_file(self, schema: Schema) -> tuple[str, str]:
        if schema.enum:
            view = schema_enum_view(schema, self.names)
            return f"{self.package}/models/{view.module}.py", render("enum.py.jinja", {"e": view}, self.templates)
        model = model_view(schema, self.names)
        return f"{self.package}/models/{model.module}.py", render("model.py.jinja", {"m": model}, self.templates)

    def enum_file(self, enum: EnumType) -> tuple[str, str]:
        view = enum_view(enum, self.names)
        return f"{self.package}/models/{view.module}.py", render("enum.py.jinja", {"e": view}, self.templates)

    def view(self, group: str) -> GroupView:
        if group not in self._views:
            memo = self.memos.memo(group) if self.memos is not None else None
            operation = self.memos.operation if self.memos is not None else None
            self._views[group], self.made[group] = group_view(self.api, self.names, group, self.naming, memo, operation)
        return self._views[group]

    def group_files(self, group: str) -> list[tuple[str, str]]:
        """The group's module, then the modules of its parts if it is too large for one."""
        view = self.view(group)
        del self._views[group]  # a large API's views are tens of MB: none is kept
        files = []
        for n, module in enumerate(split_view(view)):
            title = f"The {group} operations of the {self.project.title}" + (f", part {n}." if n else ".")
            text = render("group.py.jinja", {"g": module, "doc": docstring(title)}, self.templates)
            files.append((f"{self.package}/groups/{module.module}.py", text))
        return files

    def global_files(self) -> dict[str, str]:
        """The files that depend on the whole API: the package's entry points and the project."""
        pkg, project, templates = self.package, self.project, self.templates
        groups = [group_head(self.api, group, self.naming) for group in self.api.groups]
        credentials = credential_views(self.conventions)
        client_headers = header_views(self.names, credentials)
        exports = sorted(["AsyncClient", "Client", "models", *ERRORS, *EXPORTS])
        files: dict[str, str] = {}
        files[f"{pkg}/__init__.py"] = render(
            "__init__.py.jinja",
            {
                "doc": docstring(f"Client for the {project.title}."),
                "errors": sorted([*ERRORS, *EXPORTS]),
                "version": py_str(project.version),
                "exports": call("__all__ = ", [py_str(n) for n in exports], 0, brackets="[]"),
            },
            templates,
        )
        files[f"{pkg}/_client.py"] = render(
            "client.py.jinja",
            {
                "title": docstring(project.title),
                "first_attr": groups[0].attr if groups else "group",
                "groups": groups,
                "by_module": sorted(groups, key=lambda g: g.module),
                "credentials": credentials,
                "client_headers": client_headers,
                "basic": self.conventions.basic,
                "follow_redirects": str(self.conventions.follow_redirects),
                "user_agent": py_str(f"{project.distribution}/{project.version} (docgen)"),
                "env_prefix": py_str(env_prefix(project.package)),
                "env_prefix_text": env_prefix(project.package),
                "env_url": env_prefix(project.package) + "BASE_URL",
                "env_example": env_prefix(project.package) + (credentials[0].param.upper() if credentials else "USERNAME"),
            },
            templates,
        )
        files[f"{pkg}/groups/__init__.py"] = render("groups_init.py.jinja", {}, templates)
        files[f"{pkg}/models/__init__.py"] = render(
            "models_init.py.jinja", {"index": index_view(self.names, project.title)}, templates
        )
        for name, data in runtime_sources():
            files[f"{pkg}/_runtime/{name}"] = data.decode("utf-8")
        files[f"{pkg}/py.typed"] = ""
        files["pyproject.toml"] = render("pyproject.toml.jinja", {"p": _pyproject(project)}, templates)
        files["README.md"] = render(
            "README.md.jinja", {"r": readme_view(self.api, project, groups, self.view, credentials, self.conventions, client_headers)}, templates
        )
        return files


def _pyproject(project: Project) -> dict[str, str]:
    return {
        "package": project.package,
        "distribution": toml_str(project.distribution),
        "version": toml_str(project.version),
        "description": toml_str(project.description),
        "package_glob": toml_str(project.package + "*"),
    }


# --- the README's examples ---------------------------------------------------------------


def _value(p: ParamView) -> str | None:
    """A literal a type checker accepts for a parameter, or None when the example cannot
    make one up (an upload)."""
    annotation = p.annotation
    if annotation in ("int", "float"):
        return "1"
    if annotation == "bool":
        return "True"
    if annotation == "str":
        return '"text"'
    if annotation.startswith("models.") and "[" not in annotation:
        return annotation + "()"
    if annotation.startswith(("list[", "dict[")):
        return "[]" if annotation.startswith("list[") else "{}"
    if annotation.startswith("_t.Literal["):
        return annotation[len("_t.Literal[") :].split(",")[0].rstrip("]")
    return None


def _call_code(group: GroupHead, method: MethodView, package: str, client: str) -> str | None:
    values = [_value(p) for p in method.positional]
    if any(v is None for v in values):
        return None
    uses_models = any(v is not None and v.startswith("models.") for v in values)
    imports = f"from {package} import Client" + (", models" if uses_models else "")
    target = "result = " if method.kind == "json" else ""
    call_text = f"client.{group.attr}.{method.name}({', '.join(v for v in values if v)})"
    lines = [imports, "", f"with {client} as client:"]
    lines.append(f"    {target}{call_text}")
    if target:
        lines.append("    print(result)")
    return "\n".join(lines)


def _first(groups: list[GroupHead], view: Callable[[str], GroupView], package: str, client: str, kind: str, skip: str = "") -> Example | None:
    for group in groups:
        if group.group == skip:
            continue
        for method in view(group.group).methods:
            if method.kind != kind:
                continue
            code = _call_code(group, method, package, client)
            if code is not None:
                return Example(f"{group.group}: {method.name}", code)
    return None


def _example_of(
    groups: list[GroupHead], view: Callable[[str], GroupView], kind: str, package: str, client: str, body: Callable[[str, str], str]
) -> Example | None:
    """The README's example of the first method of this kind whose arguments all have example
    values: `body` lays out the lines inside the client's `with`, from the call and its arguments."""
    for group in groups:
        method = next((m for m in view(group.group).methods if m.kind == kind), None)
        if method is not None and all(_value(p) is not None for p in method.positional):
            args = ", ".join(v for v in (_value(p) for p in method.positional) if v)
            code = f"from {package} import Client\n\nwith {client} as client:\n" + body(f"client.{group.attr}.{method.name}", args)
            return Example(f"{group.group}: {method.name}", code)
    return None


def readme_view(
    api: Api,
    project: Project,
    groups: list[GroupHead],
    view: Callable[[str], GroupView],
    credentials: list[CredentialView],
    conventions: Conventions,
    client_headers: list[HeaderView],
) -> ReadmeView:
    """The README from the first methods that make examples (of two groups): only the groups it
    reads are laid out."""
    pkg = project.package
    client = client_expression(conventions)
    first = _first(groups, view, pkg, client, "json")
    second = _first(groups, view, pkg, client, "json", skip=first.title.split(":")[0]) if first is not None else None
    examples = [e for e in (first, second) if e is not None]
    paging = _example_of(
        groups, view, "pages", pkg, client,
        lambda call, args: f"    for row in {call}({args + ', ' if args else ''}page_size=200):\n        print(row)",
    )  # fmt: skip
    binary = _example_of(
        groups, view, "binary", pkg, client, lambda call, args: f"    with {call}({args}) as answer:\n        answer.write_to(\"download.bin\")"
    )
    counts = {g.group: len(api.in_group(g.group)) for g in groups}
    return ReadmeView(
        title=markdown_cell(project.title),
        package=pkg,
        distribution=project.distribution,
        description=markdown_cell(project.description),
        operations=len(api.operations),
        groups=tuple((g.attr, g.cls, counts[g.group]) for g in groups),
        credentials=tuple(credentials),
        basic=conventions.basic,
        client=client,
        header=f"{py_str(conventions.example_header[0])}: {py_str(conventions.example_header[1])}",
        paging_how=_paging_how(conventions),
        examples=tuple(examples),
        paging=paging,
        binary=binary,
        env_prefix=env_prefix(pkg),
        client_headers=tuple(h.param for h in client_headers),
    )
