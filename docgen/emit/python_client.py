"""Api -> the view client.py.jinja lays out: one class per group, one method per operation."""

from __future__ import annotations

from typing import Any

from docgen.emit.escape import docstring, py_str
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


def _param_view(p: Parameter, args: dict[str, str], names: PythonNames) -> dict[str, Any]:
    return {
        "arg": args[f"{p.location}:{p.name}"],
        "wire": py_str(p.name),
        "placeholder": py_str("{" + p.name + "}"),
        "annotation": names.annotation(p.type, "models."),
    }


def method_view(op: Operation, name: str, names: PythonNames) -> dict[str, Any]:
    body = op.request_body
    args = argument_names(op)
    query = [p for p in op.parameters if p.location == "query"]
    success = op.success
    returns = names.annotation(success.type, "models.") if success and success.type else "None"
    doc = op.summary + ("\n\n" + op.description if op.description else "")
    return {
        "name": name,
        "doc": docstring(doc) or docstring(f"{op.method} {op.path}"),
        "http_method": py_str(op.method),
        "path": py_str(op.path),
        "path_params": [_param_view(p, args, names) for p in op.parameters if p.location == "path"],
        "body": None
        if body is None
        else {
            "arg": args[_body_key(op)],
            "annotation": names.annotation(body.type, "models."),
            "media": py_str(body.content_types[0] if body.content_types else "application/json"),
            "raw": body.type.kind == "primitive" and body.type.format == "binary",
        },
        "required_query": [_param_view(p, args, names) for p in query if p.required],
        "optional_query": [_param_view(p, args, names) for p in query if not p.required],
        "headers": [_param_view(p, args, names) for p in op.parameters if p.location == "header"],
        "returns": returns,
        "has_result": returns != "None",
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
                "doc": docstring(f"Operations of the {group} group."),
                "methods": [
                    method_view(op, methods[op.id][1], names) for op in api.operations if op.group == group
                ],
            }
            for group in api.groups
        ]
    }
