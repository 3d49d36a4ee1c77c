"""Api -> the view client.py.jinja lays out: one class per group, one method per operation."""

from __future__ import annotations

from typing import Any

from docgen.emit.escape import docstring, py_str
from docgen.emit.python_names import PythonNames, attribute_names
from docgen.model.api import Api, Operation
from docgen.model.naming import RESERVED_MEMBERS, python_identifier, snake, unique

# Names a generated method body uses (locals and module globals); arguments must not shadow them.
_METHOD_LOCALS = frozenset(
    {"self", "response", "result", "models", "httpx", "base64", "quote", "_dt", "_t", "_pd"}
    | {"_path", "_pairs", "_dump", "_result", "_adapter", "_text", "_error", "_auth_headers"}
)
# Module-level names of client.py that a group's class must not take.
_CLIENT_GLOBALS = frozenset({"ApiError", "TransportError", "Client", "AsyncClient", "Any"})


def method_view(op: Operation, name: str, names: PythonNames) -> dict[str, Any]:
    body = op.request_body
    path_params = [p for p in op.parameters if p.location == "path"]
    query = [p for p in op.parameters if p.location == "query"]
    headers = [p for p in op.parameters if p.location == "header"]
    wires = [f"{p.location}:{p.name}" for p in path_params + query + headers]
    if body is not None:
        wires.insert(len(path_params), "body:" + (body.name or "body"))
    args = unique(
        (w, python_identifier(w.split(":", 1)[1], "snake", _METHOD_LOCALS | RESERVED_MEMBERS)) for w in wires
    )
    success = op.success
    returns = names.annotation(success.type, "models.") if success and success.type else "None"
    doc = op.summary + ("\n\n" + op.description if op.description else "")
    return {
        "name": name,
        "doc": docstring(doc) or docstring(f"{op.method} {op.path}"),
        "http_method": py_str(op.method),
        "path": py_str(op.path),
        "path_params": [
            {"arg": args[f"path:{p.name}"], "placeholder": py_str("{" + p.name + "}"), "annotation": names.annotation(p.type, "models.")}
            for p in path_params
        ],
        "body": None
        if body is None
        else {
            "arg": args["body:" + (body.name or "body")],
            "annotation": names.annotation(body.type, "models."),
            "media": py_str(body.content_types[0] if body.content_types else "application/json"),
            "raw": body.type.kind == "primitive" and body.type.format == "binary",
        },
        "required_query": [_param_view(p, args, names) for p in query if p.required],
        "optional_query": [_param_view(p, args, names) for p in query if not p.required],
        "headers": [_param_view(p, args, names) for p in headers],
        "returns": returns,
        "has_result": returns != "None",
        "id": py_str(op.id),
    }


def _param_view(p: Any, args: dict[str, str], names: PythonNames) -> dict[str, Any]:
    return {
        "arg": args[f"{p.location}:{p.name}"],
        "wire": py_str(p.name),
        "annotation": names.annotation(p.type, "models."),
    }


def client_view(api: Api, names: PythonNames) -> dict[str, Any]:
    group_attrs = attribute_names(list(api.groups), RESERVED_MEMBERS | {"base_url", "headers"})
    classes = unique(
        [(g, python_identifier(g, "pascal", _CLIENT_GLOBALS)) for g in api.groups]
        + [("async:" + g, "Async" + python_identifier(g, "pascal", _CLIENT_GLOBALS)) for g in api.groups]
    )
    groups = []
    for group in api.groups:
        ops = [op for op in api.operations if op.group == group]
        method_names = unique((op.id, python_identifier(snake(op.name), "snake", RESERVED_MEMBERS)) for op in ops)
        groups.append(
            {
                "attr": group_attrs[group],
                "cls": classes[group],
                "async_cls": classes["async:" + group],
                "doc": docstring(f"Operations of the {group} group."),
                "methods": [method_view(op, method_names[op.id], names) for op in ops],
            }
        )
    return {"groups": groups}
