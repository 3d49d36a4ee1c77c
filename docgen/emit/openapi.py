"""Api -> the view the OpenAPI 3.1 template lays out. Every scalar leaves here YAML-escaped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from docgen.emit.escape import yaml_str
from docgen.emit.render import render, render_fragment
from docgen.model.api import Operation, Parameter, RequestBody, Schema, is_text_media
from docgen.model.conventions import SecurityScheme
from docgen.model.types import TypeRef

SCHEMA_PREFIX = "#/components/schemas/"


def schema_node(t: TypeRef, description: str = "") -> dict[str, Any]:
    """An OpenAPI schema object (keys plain, values escaped) for a type."""
    node: dict[str, Any]
    if t.kind == "primitive":
        node = {"type": yaml_str(t.name)}
        if t.format:
            node["format"] = yaml_str(t.format)
    elif t.kind == "ref":
        node = {"$ref": yaml_str(SCHEMA_PREFIX + t.name)}
    elif t.kind == "array":
        node = {"type": yaml_str("array"), "items": schema_node(t.item) if t.item else {}}
    elif t.kind == "map":
        node = {"type": yaml_str("object"), "additionalProperties": schema_node(t.item) if t.item else {}}
    elif t.kind == "enum":
        node = {"type": yaml_str("string"), "enum": [yaml_str(v) for v in t.values]}
    elif t.kind == "any":
        node = {"type": yaml_str("object")}
    else:
        node = {}
    if description and t.kind == "ref":
        # a description beside a $ref is valid 3.1, but mock servers' data fakers trip over it
        node = {"allOf": [node]}
    if description:
        node["description"] = yaml_str(description)
    return node


def parameter_view(p: Parameter) -> dict[str, Any]:
    return {
        "name": yaml_str(p.name),
        "in": yaml_str(p.location),
        "required": "true" if p.required else "false",
        "description": yaml_str(p.description) if p.description else "",
        "schema": schema_node(p.type),
    }


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def body_schema(body: RequestBody, media: str) -> dict[str, Any]:
    """A form carries a binary body as one file field named after the body parameter."""
    if media in FORMS and body.type.kind == "primitive" and body.type.format == "binary":
        return {
            "type": yaml_str("object"),
            "properties": {yaml_str(body.name or "file"): schema_node(body.type)},
            "required": [yaml_str(body.name or "file")],
        }
    return schema_node(body.type)


def operation_view(op: Operation) -> dict[str, Any]:
    body = op.request_body
    return {
        "method": op.method.lower(),
        "id": yaml_str(op.id),
        "tag": yaml_str(op.group),
        "summary": yaml_str(op.summary) if op.summary else "",
        "description": yaml_str(op.description) if op.description else "",
        "parameters": [parameter_view(p) for p in op.parameters],
        "body": None
        if body is None
        else {
            "description": yaml_str(body.description) if body.description else "",
            "name": yaml_str(body.name),
            "content": [(yaml_str(ct), body_schema(body, ct), example_node(body.example) if ct not in FORMS else None) for ct in body.content_types],
        },
        "responses": [
            {
                "status": yaml_str(r.status),
                "description": yaml_str(r.description or r.status),
                "content": _response_content(op, r.type, r.example) if r.type is not None else [],
            }
            for r in op.responses
        ],
    }


def _response_content(op: Operation, t: TypeRef, example: str) -> list[tuple[str, dict[str, Any], object]]:
    """JSON (with the pages' sample), or for a binary answer each media type the page lists, as bytes."""
    if op.binary:
        media = [m for m in op.accept if not is_text_media(m)]
        return [(yaml_str(m), {"type": yaml_str("string"), "format": yaml_str("binary")}, None) for m in media]
    return [(yaml_str("application/json"), schema_node(t), example_node(example))]


_EXAMPLE_DEPTH = 24


def example_node(text: str) -> object:
    """A sample's JSON as a YAML node (scalars escaped, laid out by the template); None for none,
    or for one nested deeper than a spec reader should have to follow."""
    if not text:
        return None
    try:
        return _node(json.loads(text), 0)
    except (ValueError, RecursionError):
        return None


def _node(value: object, depth: int) -> object:
    if depth > _EXAMPLE_DEPTH:
        raise ValueError("too deep")
    if isinstance(value, dict):
        return {yaml_str(str(k)): _node(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_node(v, depth + 1) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        text = json.dumps(value)
        mantissa, e, exponent = text.partition("e")
        return (mantissa if "." in mantissa else mantissa + ".0") + (f"e{exponent if exponent[:1] in '+-' else '+' + exponent}" if e else "")
    if isinstance(value, int):
        return str(value)
    return yaml_str(str(value))


def schema_view(schema: Schema) -> dict[str, Any]:
    """An object schema; an enumeration (`type: string` and its members); a schema that extends
    another, as `allOf` of the base and its own properties."""
    if schema.enum:
        node: dict[str, Any] = {"type": yaml_str("string"), "enum": [yaml_str(v) for v in schema.values]}
        if schema.description:
            node["description"] = yaml_str(schema.description)
        return {"name": yaml_str(schema.name), "node": node}
    own: dict[str, Any] = {"type": yaml_str("object")}
    if schema.properties:
        own["properties"] = {yaml_str(p.name): schema_node(p.type, p.description) for p in schema.properties}
    node = {"allOf": [{"$ref": yaml_str(SCHEMA_PREFIX + schema.base)}, own]} if schema.base else own
    if schema.description:
        node["description"] = yaml_str(schema.description)
    return {"name": yaml_str(schema.name), "node": node}


def schema_fragment(schema: Schema, templates: str | None) -> str:
    return render_fragment("openapi_schema.yaml.jinja", {"schema": schema_view(schema)}, templates)


def path_fragment(path: str, operations: list[Operation], templates: str | None) -> str:
    """The entry of one path: its operations by method."""
    item = {"path": yaml_str(path), "operations": [operation_view(op) for op in sorted(operations, key=lambda o: o.method)]}
    return render_fragment("openapi_path.yaml.jinja", {"item": item}, templates)


def by_path(operations: Iterable[Operation]) -> dict[str, list[Operation]]:
    found: dict[str, list[Operation]] = {}
    for op in sorted(operations, key=lambda o: (o.path, o.method)):
        found.setdefault(op.path, []).append(op)
    return found


def scheme_view(scheme: SecurityScheme) -> dict[str, str]:
    return {
        "name": yaml_str(scheme.name),
        "type": yaml_str(scheme.type),
        "scheme": yaml_str(scheme.scheme) if scheme.scheme else "",
        "header": yaml_str(scheme.header) if scheme.header else "",
        "description": yaml_str(scheme.description) if scheme.description else "",
    }


def document(
    title: str,
    version: str,
    groups: Iterable[str],
    schemas: list[str],
    paths: list[str],
    templates: str | None,
    schemes: Iterable[SecurityScheme] = (),
) -> str:
    """openapi.yaml around its pieces (each from schema_fragment or path_fragment)."""
    view: dict[str, object] = {
        "title": yaml_str(title),
        "version": yaml_str(version),
        "tags": [yaml_str(g) for g in groups],
        "schemes": [scheme_view(s) for s in schemes],
        "schemas": schemas,
        "paths": paths,
    }
    return render("openapi.yaml.jinja", view, templates)
