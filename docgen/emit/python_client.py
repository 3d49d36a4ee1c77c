"""Api -> the view client.py.jinja lays out: one class per group, one method per operation."""

from __future__ import annotations

from typing import Any

from docgen.emit.escape import docstring, py_str
from docgen.emit.layout import Call, Expr, call, docstring_block, render
from docgen.emit.python_names import PythonNames, attribute_names
from docgen.model.api import Api, Operation, Parameter
from docgen.model.naming import RESERVED_MEMBERS, python_identifier, snake, unique

# Names a generated method body uses (locals and module globals); arguments must not shadow them.
_METHOD_LOCALS = frozenset(
    {"self", "response", "result", "models", "httpx", "base64", "quote", "_dt", "_t", "_pd"}
    | {"_path", "_pairs", "_dump", "_result", "_adapter", "_text", "_error", "_auth_headers"}
)
# Module-level names of client.py that a group's class must not take.
_CLIENT_GLOBALS = frozenset({"ApiError", "TransportError", "Client", "AsyncClient", "Any"})


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
    return unique((k, python_identifier(k.split(":", 1)[1], "snake", _METHOD_LOCALS | RESERVED_MEMBERS)) for k in keys)


def group_names(api: Api) -> tuple[dict[str, str], dict[str, str]]:
    """(group -> client attribute, group or `async:group` -> class name)."""
    attrs = attribute_names(list(api.groups), RESERVED_MEMBERS | {"base_url", "headers"})
    classes = unique(
        [(g, python_identifier(g, "pascal", _CLIENT_GLOBALS)) for g in api.groups]
        + [("async:" + g, "Async" + python_identifier(g, "pascal", _CLIENT_GLOBALS)) for g in api.groups]
    )
    return attrs, classes


def method_names(api: Api) -> dict[str, tuple[str, str]]:
    """operation id -> (group attribute on the client, method name)."""
    attrs, _ = group_names(api)
    result: dict[str, tuple[str, str]] = {}
    for group in api.groups:
        ops = [op for op in api.operations if op.group == group]
        names = unique((op.id, python_identifier(snake(op.name), "snake", RESERVED_MEMBERS)) for op in ops)
        result.update({op.id: (attrs[group], names[op.id]) for op in ops})
    return result


def _pairs(keyword: str, params: list[Parameter], args: dict[str, str]) -> Call:
    """`keyword=_pairs((wire name, argument), ...)`: what the method sends as query or headers."""
    pairs = tuple(Call("", (py_str(p.name), args[f"{p.location}:{p.name}"])) for p in params)
    return Call(f"{keyword}=_pairs", pairs)


def _signature(op: Operation, args: dict[str, str], names: PythonNames) -> list[str]:
    """The parameter lines after `self,`: path parts, body, required query; then keywords."""
    lines = []
    for p in op.parameters:
        if p.location == "path":
            lines.append(f"{args[f'path:{p.name}']}: {names.annotation(p.type, 'models.')},")
    if op.request_body is not None:
        lines.append(f"{args[_body_key(op)]}: {names.annotation(op.request_body.type, 'models.')},")
    query = [p for p in op.parameters if p.location == "query"]
    for p in query:
        if p.required:
            lines.append(f"{args[f'query:{p.name}']}: {names.annotation(p.type, 'models.')},")
    optional = [p for p in op.parameters if p.location == "header" or (p.location == "query" and not p.required)]
    if optional:
        lines.append("*,")
    for p in optional:
        annotation = "str" if p.location == "header" else names.annotation(p.type, "models.")
        lines.append(f"{args[f'{p.location}:{p.name}']}: {annotation} | None = None,")
    return lines


def method_view(op: Operation, name: str, names: PythonNames) -> dict[str, Any]:
    body = op.request_body
    args = argument_names(op)
    success = op.success
    returns = names.annotation(success.type, "models.") if success and success.type else "None"
    path_params = [p for p in op.parameters if p.location == "path"]
    path: Expr = py_str(op.path)
    if path_params:
        parts = tuple(Call("", (py_str("{" + p.name + "}"), args[f"path:{p.name}"])) for p in path_params)
        path = Call("_path", (path, *parts))
    send: list[Expr] = [
        py_str(op.method),
        path,
        _pairs("params", [p for p in op.parameters if p.location == "query"], args),
        _pairs("headers", [p for p in op.parameters if p.location == "header"], args),
    ]
    if body is not None and body.type.kind == "primitive" and body.type.format == "binary":
        media = body.content_types[0] if body.content_types else "application/octet-stream"
        send += [f"content={args[_body_key(op)]}", f"media_type={py_str(media)}"]
    elif body is not None:
        send.append(Call("json=_dump", (args[_body_key(op)],)))
    target = "response = " if returns != "None" else ""
    doc = op.summary + ("\n\n" + op.description if op.description else "")
    return {
        "name": name,
        "doc": docstring_block(docstring(doc) or docstring(f"{op.method} {op.path}"), 8),
        "params": _signature(op, args, names),
        "returns": returns,
        "send": render(Call(f"{target}self._client._send", tuple(send)), 8),
        "send_async": render(Call(f"{target}await self._client._send", tuple(send)), 8),
        "result": call(f"result: {returns} = _result", ["response", returns], 8) if returns != "None" else "",
    }


def client_view(api: Api, names: PythonNames) -> dict[str, Any]:
    attrs, classes = group_names(api)
    methods = method_names(api)
    return {
        "groups": [
            {
                "attr": attrs[group],
                "cls": classes[group],
                "async_cls": classes["async:" + group],
                "doc": docstring_block(docstring(f"Operations of the {group} group."), 4),
                "methods": [
                    method_view(op, methods[op.id][1], names) for op in api.operations if op.group == group
                ],
            }
            for group in api.groups
        ]
    }
