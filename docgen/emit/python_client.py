"""Api -> the views of the client: one module per group with a sync and an async class, one
method per operation (and a lazy page iterator for OData lists), and the client classes that
load each group on first use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from docgen.emit.escape import docstring, prefixes_used, py_str
from docgen.emit.layout import Call, Expr, call, docstring_block, import_line, render
from docgen.emit.prose import one_line, plain
from docgen.emit.python_names import PythonNames, attribute_names, module_name
from docgen.emit.render import statement
from docgen.model.api import Api, Operation, Parameter, is_text_media
from docgen.model.conventions import Conventions, Paging
from docgen.model.naming import ANNOTATION_BUILTINS, RESERVED_MEMBERS, pascal, python_identifier, snake, unique

# Names a generated method body or its module uses; arguments must not shadow them.
_METHOD_LOCALS = frozenset({"self", "response", "result", "row", "models", "_rt", "_t"})
_ERRORS = {
    "304": "NotModifiedError",
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "412": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}


@dataclass(frozen=True)
class ParamView:
    arg: str
    annotation: str
    default: str  # "" for a required argument
    description: str
    async_annotation: str = ""  # where the async method takes more (an upload: an async stream too)

    @property
    def line(self) -> str:
        return f"{self.arg}: {self.annotation}" + (f" = {self.default}" if self.default else "") + ","

    @property
    def async_line(self) -> str:
        annotation = self.async_annotation or self.annotation
        return f"{self.arg}: {annotation}" + (f" = {self.default}" if self.default else "") + ","


@dataclass(frozen=True)
class MethodView:
    name: str
    kind: str  # json | none | binary | pages
    doc: str
    positional: tuple[ParamView, ...]
    keywords: tuple[ParamView, ...]
    returns: str
    returns_async: str
    send: str
    send_async: str
    result: str


@dataclass(frozen=True)
class GroupHead:
    """What the client module says of a group: its names, never its methods."""

    group: str
    attr: str
    module: str
    cls: str
    async_cls: str
    prop_doc: str  # the docstring of the client's property for the group
    type_import: str  # the client module's import of the group's classes, for type checkers
    imports: tuple[str, str] = ("", "")  # (sync, async): its property's import of the class


@dataclass(frozen=True)
class GroupView:
    group: str
    attr: str
    module: str
    cls: str
    async_cls: str
    doc: str
    prop_doc: str  # the docstring of the client's property for the group
    type_import: str  # the client module's import of the group's classes, for type checkers
    literals: tuple[str, ...]  # the module's aliases of enum parameters' Literal types
    methods: tuple[MethodView, ...]
    uses_any: bool
    uses_dt: bool
    uses_models: bool
    pages: bool
    parts: tuple[str, ...] = ()  # the modules of the parts a split group is made of
    bases: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (sync, async): their classes, qualified
    part: bool = False  # a part of a split group: its methods, no constructor


@dataclass(frozen=True)
class CredentialView:
    param: str
    header: str  # literal
    prefix: str  # literal
    description: str


@dataclass(frozen=True)
class HeaderView:
    """A header the client sends with every call (PythonNames.client_headers)."""

    param: str
    header: str  # literal
    doc: str  # `name` (the header): what the pages say it is, as docstring text


# The client constructor's own arguments, which a header's argument may not take.
_CLIENT_ARGUMENTS = frozenset(
    {"self", "base_url", "headers", "timeout", "max_retries", "follow_redirects", "max_response_bytes", "http_client"}
    | {"username", "password", "given", "sent"}
)


class Literals:
    """The Literal types of a group module's enum parameters, one module-level alias each, so
    that a signature line stays short whatever the values."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, ...], str] = {}

    def annotation(self, p: Parameter, names: PythonNames) -> str:
        t = p.type
        if t.kind == "enum" and t.values:
            return self._alias(p.name, t.values)
        if t.kind == "array" and t.item is not None and t.item.kind == "enum" and t.item.values:
            return f"list[{self._alias(p.name, t.item.values)}]"
        return names.annotation(t)

    def _alias(self, param: str, values: tuple[str, ...]) -> str:
        if values not in self.names:
            base = "_" + (pascal(param) or "Value")
            name, n = base, 2
            while name in self.names.values():
                name, n = f"{base}{n}", n + 1
            self.names[values] = name
        return self.names[values]

    def statements(self) -> list[str]:
        return [call(f"{name} = _t.Literal", [py_str(v) for v in values], 0, brackets="[]") for values, name in self.names.items()]


def _body_key(op: Operation) -> str:
    return "body:" + (op.request_body.name if op.request_body and op.request_body.name else "body")


def argument_names(op: Operation) -> dict[str, str]:
    """`location:wire name` (and `body:name`) -> the method's argument name, in signature order."""
    path = [p for p in op.parameters if p.location == "path"]
    rest = [p for p in op.parameters if p.location != "path"]
    keys = [f"{p.location}:{p.name}" for p in path]
    if op.request_body is not None:
        keys.append(_body_key(op))
    keys += [f"{p.location}:{p.name}" for p in rest]
    keys.append("options:request_options")
    avoid = _METHOD_LOCALS | RESERVED_MEMBERS | {"request_options", "page_size"}
    found = unique((k, python_identifier(k.split(":", 1)[1], "snake", avoid)) for k in keys[:-1])
    found["options:request_options"] = "request_options"
    return found


def group_names(api: Api) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(group -> client attribute, group or `async:group` -> class name, group -> module)."""
    # the client's own annotations name dict, str, int, float and bool, never list
    members = RESERVED_MEMBERS | {"base_url", "headers", "with_options"}
    attrs = attribute_names(list(api.groups), members, ANNOTATION_BUILTINS - {"list", "bytes"})
    # `ContactOperations`, never `Contact`: a group is named apart from the models (a `Contact`
    # schema is as likely as a Contact group), as Azure's SDKs name theirs
    classes = unique(
        [(g, python_identifier(g, "pascal") + "Operations") for g in api.groups]
        + [("async:" + g, "Async" + python_identifier(g, "pascal") + "Operations") for g in api.groups]
    )
    modules = unique((g, python_identifier(module_name(g), "snake", frozenset({"models"}))) for g in api.groups)
    return attrs, classes, modules


def group_methods(ops: list[Operation], api: Api, paging: Paging) -> dict[str, str]:
    """operation id (and `pages:` id for a page iterator) -> method name, within one group."""
    wanted = [(op.id, python_identifier(snake(op.name), "snake", RESERVED_MEMBERS)) for op in ops]
    wanted += [("pages:" + op.id, "iter_" + python_identifier(snake(op.name), "snake")) for op in ops if pages(op, api, paging)]
    return unique(wanted)


def method_names(api: Api, paging: Paging) -> dict[str, tuple[str, str]]:
    """operation id -> (group attribute on the client, method name)."""
    attrs, _, _ = group_names(api)
    result: dict[str, tuple[str, str]] = {}
    for group in api.groups:
        result.update({key: (attrs[group], name) for key, name in group_methods(list(api.in_group(group)), api, paging).items()})
    return result


def paging_parameters(paging: Paging) -> tuple[str, ...]:
    """The query parameters a page iterator sets itself."""
    return (paging.page_size, paging.offset) if paging.offset else (paging.page_size,)


def _sizes(op: Operation, paging: Paging) -> bool:
    """Does the operation take the page size (the iterator then has `page_size`)?"""
    return any(p.location == "query" and p.name == paging.page_size for p in op.parameters)


def pages(op: Operation, api: Api, paging: Paging) -> bool:
    """A list the API pages: a GET whose query takes the page size (and the offset, where the
    server pages by offset) and whose answer holds the rows and the next page's link."""
    query = {p.name for p in op.parameters if p.location == "query"}
    t = op.success.type if op.success else None
    schema = api.schema(t.name) if t is not None and t.kind == "ref" else None
    answer = {p.name for p in schema.properties} if schema is not None else set()
    # a server that pages by offset needs both parameters; one that gives a next link, none
    needed = set(paging_parameters(paging)) if paging.offset else set()
    return op.method == "GET" and needed <= query and {paging.items, paging.next_link} <= answer


def _pairs(keyword: str, params: list[Parameter], args: dict[str, str]) -> Call:
    """`keyword=[(wire name, argument), ...]`: what the method sends in the path, query or headers."""
    pairs = tuple(Call("", (py_str(p.name), args[f"{p.location}:{p.name}"])) for p in params)
    return Call(f"{keyword}=", pairs, "[]")


def _binary_types(media: tuple[str, ...]) -> str:
    binary = [m for m in media if not is_text_media(m) and not m.startswith("multipart/")]
    return ", ".join(binary) if binary else "application/octet-stream"


def _upload_type(op: Operation) -> str:
    """What an upload is sent as unless the caller says: plain bytes where the page allows them
    among others (a page that lists image/jpeg first and octet-stream later takes any file)."""
    body = op.request_body
    assert body is not None
    found = [m for m in body.content_types if not is_text_media(m) and "form" not in m]
    if "application/octet-stream" in found or not found:
        return "application/octet-stream"
    return found[0]


def _uploads(op: Operation) -> bool:
    body = op.request_body
    return body is not None and body.type.kind == "primitive" and body.type.format == "binary"


def _signature(
    op: Operation, args: dict[str, str], names: PythonNames, literals: Literals, paged: bool
) -> tuple[list[ParamView], list[ParamView]]:
    positional, keywords = [], []
    for p in op.parameters:
        if p.location == "path":
            positional.append(ParamView(args[f"path:{p.name}"], literals.annotation(p, names), "", one_line(p.description)))
    body = op.request_body
    if body is not None:
        upload = _uploads(op)
        annotation = "_rt.Upload" if upload else names.annotation(body.type)
        view = ParamView(args[_body_key(op)], annotation, "", one_line(body.description), "_rt.AsyncUpload" if upload else "")
        positional.append(view)
    query = [p for p in op.parameters if p.location == "query" and not (paged and p.name in paging_parameters(names.paging))]
    for p in query:
        if p.required:
            positional.append(ParamView(args[f"query:{p.name}"], literals.annotation(p, names), "", one_line(p.description)))
    for p in op.parameters:
        if p.location == "header" and p.name.lower() in names.client_header_names:
            continue
        optional = p.location == "header" or (p.location == "query" and not p.required and p in query)
        if optional:
            annotation = "str" if p.location == "header" else literals.annotation(p, names)
            keywords.append(ParamView(args[f"{p.location}:{p.name}"], f"{annotation} | None", "None", one_line(p.description)))
    if paged and _sizes(op, names.paging):
        keywords.append(ParamView("page_size", "int | None", "None", "Rows a page; without it, the server's paging alone is followed."))
    keywords.append(ParamView("request_options", "_rt.RequestOptions | None", "None", "Timeout, headers, query, retries for this call."))
    return positional, keywords


def _docstring(op: Operation, positional: list[ParamView], keywords: list[ParamView], returns: str) -> str:
    text = plain(op.summary + ("\n\n" + op.description if op.description else "")) or f"{op.method} {op.path}"
    lines = [text, "", f"{op.method} {op.path}", "", "Args:"]
    lines += [f"    {p.arg}: {p.description}" if p.description else f"    {p.arg}: -" for p in [*positional, *keywords]]
    if returns:
        lines += ["", "Returns:", f"    {returns}"]
    lines += ["", "Raises:"]
    for r in op.responses:
        if r.status in _ERRORS:
            lines.append(f"    {_ERRORS[r.status]}: {one_line(r.description) or r.status}")
    lines += ["    ApiError: another error status.", "    TransportError: no answer."]
    return docstring_block(docstring("\n".join(lines)), 8)


def method_views(op: Operation, name: str, iter_name: str | None, names: PythonNames, literals: Literals) -> list[MethodView]:
    args = argument_names(op)
    views = [_method(op, name, args, names, literals, paged=False)]
    if iter_name is not None:
        views.append(_method(op, iter_name, args, names, literals, paged=True))
    return views


def _method(op: Operation, name: str, args: dict[str, str], names: PythonNames, literals: Literals, paged: bool) -> MethodView:
    success = op.success
    positional, keywords = _signature(op, args, names, literals, paged)
    query = [p for p in op.parameters if p.location == "query" and not (paged and p.name in paging_parameters(names.paging))]
    send: list[Expr] = [py_str(op.method), py_str(op.path)]
    path_params = [p for p in op.parameters if p.location == "path"]
    if path_params:
        send.append(_pairs("path_params", path_params, args))
    if query:
        send.append(_pairs("query", query, args))
    headers = [p for p in op.parameters if p.location == "header" and p.name.lower() not in names.client_header_names]
    if headers:
        send.append(_pairs("headers", headers, args))
    body = op.request_body
    send_async = list(send)
    if body is not None and _uploads(op):
        arg = args[_body_key(op)]
        send.append(Call("content=_rt.upload_content", (arg,)))
        send_async.append(Call("content=_rt.async_upload_content", (arg,)))
        for sends in (send, send_async):
            sends.append(f"media_type={py_str(_upload_type(op))}")
    elif body is not None:
        send.append(f"json={args[_body_key(op)]}")
        send_async.append(f"json={args[_body_key(op)]}")
    if op.binary:
        for sends in (send, send_async):
            sends.append(f"accept={py_str(_binary_types(op.accept))}")
    if paged:
        paging = names.paging
        for sends in (send, send_async):
            sends.append("page_size=page_size" if _sizes(op, paging) else "page_size=None")
            sends.append(Call("paging=_rt.Paging", tuple(py_str(v) for v in (paging.items, paging.next_link, paging.page_size, paging.offset))))
    for sends in (send, send_async):
        sends.append("options=request_options")
    if paged:
        return MethodView(
            name, "pages", _docstring(op, positional, keywords, "Rows, page after page, fetched as they are read; by_page() gives the pages."),
            tuple(positional), tuple(keywords), "_rt.Pager[dict[str, _t.Any]]", "_rt.AsyncPager[dict[str, _t.Any]]",
            render(Call("return self._transport.pager", tuple(send)), 8),
            render(Call("return self._transport.pager", tuple(send_async)), 8),
            "",
        )  # fmt: skip
    if op.binary:
        return MethodView(
            name, "binary", _docstring(op, positional, keywords, "The answer's bytes, to read, iterate or write to a file."),
            tuple(positional), tuple(keywords), "_rt.BinaryResponse", "_rt.AsyncBinaryResponse",
            render(Call("return self._transport.download", tuple(send)), 8),
            render(Call("return await self._transport.download", tuple(send_async)), 8),
            "",
        )  # fmt: skip
    returns = names.annotation(success.type) if success and success.type else "None"
    target = "response = " if returns != "None" else ""
    result = statement(f"result: {returns} = _rt.parse", ["response", returns], 8) if returns != "None" else ""
    return MethodView(
        name, "json" if returns != "None" else "none",
        _docstring(op, positional, keywords, f"The {returns.removeprefix('models.')}." if returns != "None" else ""),
        tuple(positional), tuple(keywords), returns, returns,
        render(Call(f"{target}self._transport.request", tuple(send)), 8),
        render(Call(f"{target}await self._transport.request", tuple(send_async)), 8),
        result,
    )  # fmt: skip


def group_head(api: Api, group: str, naming: tuple[dict[str, str], dict[str, str], dict[str, str]]) -> GroupHead:
    attrs, classes, modules = naming
    return GroupHead(
        group=group,
        attr=attrs[group],
        module=modules[group],
        cls=classes[group],
        async_cls=classes["async:" + group],
        prop_doc=docstring_block(docstring(f"Operations of the {group} group ({api.group_size(group)})."), 8),
        type_import=import_line(f".groups.{modules[group]}", sorted([classes["async:" + group], classes[group]]), 4),
        imports=(
            import_line(f".groups.{modules[group]}", [classes[group]], 8),
            import_line(f".groups.{modules[group]}", [classes["async:" + group]], 8),
        ),
    )


LiteralState = tuple[tuple[tuple[str, ...], str], ...]  # Literals.names, as items


@dataclass(frozen=True)
class MethodMemo:
    """A group's methods as a run made them, so that a run after an edit makes again only those
    of the operations it remade (incremental.PieceApi hands out a memo without them). A method
    depends on its operation, its names, the PythonNames of the run and the Literal aliases
    made before it: an entry is taken only where those aliases are the ones it was made after."""

    uids: tuple[str, ...]  # the group's operations, in order
    methods: dict[str, str]  # group_methods
    shared: tuple[str, ...]  # the client's headers (PythonNames.client_headers), which no method takes
    made: dict[str, tuple[LiteralState, LiteralState, tuple[MethodView, ...]]]  # uid -> (aliases before, after, views)


MEMO_CLASSES = (MethodMemo, MethodView, ParamView)  # what a MethodMemo pickles (run_state.data_classes)


def group_view(
    api: Api,
    names: PythonNames,
    group: str,
    naming: tuple[dict[str, str], dict[str, str], dict[str, str]],
    memo: MethodMemo | None = None,
    operation: Callable[[str], Operation] | None = None,
) -> tuple[GroupView, MethodMemo]:
    """The group's view, and the memo of its methods. With a `memo` (and `operation` to load
    an operation it lacks), only the methods it has no good entry for are made."""
    head = group_head(api, group, naming)
    shared = tuple(p.name for p in names.client_headers)
    if memo is not None and memo.shared != shared:
        memo = None  # every method's arguments change with the client's headers
    if memo is None or operation is None:
        ops = {op.id: op for op in api.in_group(group)}
        uids, methods, memo = tuple(ops), group_methods(list(ops.values()), api, names.paging), None
    else:
        ops, uids, methods = {}, memo.uids, memo.methods
    literals = Literals()
    built: list[MethodView] = []
    made: dict[str, tuple[LiteralState, LiteralState, tuple[MethodView, ...]]] = {}
    for uid in uids:
        before = tuple(literals.names.items())
        entry = memo.made.get(uid) if memo is not None else None
        if entry is not None and entry[0] == before:
            views = entry[2]
            literals.names = dict(entry[1])
        else:
            op = ops[uid] if uid in ops else operation(uid)  # type: ignore[misc]
            views = tuple(method_views(op, methods[uid], methods.get("pages:" + uid), names, literals))
        made[uid] = (before, tuple(literals.names.items()), views)
        built.extend(views)
    uses_any, uses_dt, uses_models = _uses(built, literals.statements())
    return GroupView(
        group=group,
        attr=head.attr,
        module=head.module,
        cls=head.cls,
        async_cls=head.async_cls,
        doc=docstring_block(docstring(f"Operations of the {group} group."), 4),
        prop_doc=head.prop_doc,
        type_import=head.type_import,
        literals=tuple(literals.statements()),
        methods=tuple(built),
        uses_any=uses_any,
        uses_dt=uses_dt,
        uses_models=uses_models,
        pages=any(m.kind == "pages" for m in built),
    ), MethodMemo(uids, methods, shared, made)


def _uses(methods: Sequence[MethodView], literals: Sequence[str]) -> tuple[bool, bool, bool]:
    """Whether a module's methods and aliases name typing, datetime and the models."""
    used = prefixes_used(" ".join([*(t for m in methods for t in _annotations(m)), *literals]))
    return "_t" in used, "_dt" in used, "models" in used


def _annotations(m: MethodView) -> list[str]:
    return [m.returns, m.returns_async, *(p.annotation for p in (*m.positional, *m.keywords)), *(p.async_annotation for p in m.positional)]


MODULE_LINES = 8_000  # what one group module may hold; a larger group is made of parts


def _lines(m: MethodView) -> int:
    """About how many lines a method takes, sync and async together."""
    body = m.doc.count("\n") + m.send.count("\n") + m.result.count("\n") + len(m.positional) + len(m.keywords)
    return 2 * (body + 8)


def split_view(view: GroupView, limit: int | None = None) -> list[GroupView]:
    """The group's module, and when its methods would pass `limit` lines (MODULE_LINES), the
    modules of its parts: each part's classes hold a share of the methods (every alias, which is
    small), and the group's classes are made of them, so the group reads as one class."""
    limit = MODULE_LINES if limit is None else limit
    chunks: list[list[MethodView]] = [[]]
    size = 0
    for m in view.methods:
        if chunks[-1] and size + _lines(m) > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(m)
        size += _lines(m)
    if len(chunks) == 1:
        return [view]
    parts = []
    for n, chunk in enumerate(chunks, 1):
        uses_any, uses_dt, uses_models = _uses(chunk, view.literals)
        parts.append(
            replace(
                view, module=f"_{view.module}_{n}", cls=f"{view.cls}Part{n}", async_cls=f"{view.async_cls}Part{n}",
                methods=tuple(chunk), uses_any=uses_any, uses_dt=uses_dt, uses_models=uses_models,
                pages=any(m.kind == "pages" for m in chunk), part=True,
            )
        )  # fmt: skip
    bases = (tuple(f"{p.module}.{p.cls}" for p in parts), tuple(f"{p.module}.{p.async_cls}" for p in parts))
    head = replace(
        view, literals=(), methods=(), uses_any=False, uses_dt=False, uses_models=False, pages=False,
        parts=tuple(p.module for p in parts), bases=bases,
    )  # fmt: skip
    return [head, *parts]


def header_views(names: PythonNames, credentials: list[CredentialView]) -> list[HeaderView]:
    taken = _CLIENT_ARGUMENTS | {c.param for c in credentials} | RESERVED_MEMBERS
    params = unique((h.name, python_identifier(h.name, "snake", taken)) for h in names.client_headers)
    return [
        HeaderView(params[h.name], py_str(h.name), docstring(f"`{params[h.name]}` ({h.name}): {one_line(h.description)}"))
        for h in names.client_headers
    ]


def credential_views(conventions: Conventions) -> list[CredentialView]:
    return [CredentialView(c.param, py_str(c.header), py_str(c.prefix), c.description) for c in conventions.credentials]
