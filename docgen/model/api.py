"""The intermediate model: plain frozen dataclasses that every emitter reads and none bypasses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from docgen.model.types import TypeRef


def is_text_media(media: str) -> bool:
    """JSON, XML and text: answers a client reads as data, not as bytes."""
    kind = media.split(";")[0].strip().lower()
    return kind.endswith(("json", "xml")) or kind.startswith("text/")


@dataclass(frozen=True, order=True)
class Source:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Property:
    name: str  # the wire name
    type: TypeRef
    description: str
    source: Source


@dataclass(frozen=True)
class Schema:
    name: str
    properties: tuple[Property, ...]
    description: str
    sources: tuple[Source, ...]
    described: bool = True  # False: only referenced, never described; emitted permissive
    base: str = ""  # the schema this one extends, as the pages say (every property of it is this one's too)
    values: tuple[str, ...] = ()  # an enumeration: its members (and no properties)

    @property
    def enum(self) -> bool:
        return bool(self.values)

    def property(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)


@dataclass(frozen=True)
class Parameter:
    name: str  # the wire name
    location: str  # path | query | header
    type: TypeRef
    required: bool
    description: str
    source: Source


_EXAMPLE_LIMIT = 16 << 10  # characters of JSON: a page's sample beyond this is too much for a spec


def example_text(value: object) -> str:
    """A sample's JSON as the model keeps it: canonical text (a frozen model holds no dict), ""
    for none or for one too large to carry."""
    if value is None:
        return ""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return ""
    return text if len(text) <= _EXAMPLE_LIMIT else ""


@dataclass(frozen=True)
class RequestBody:
    name: str  # the page's parameter name
    type: TypeRef
    description: str
    content_types: tuple[str, ...]
    source: Source
    example: str = ""  # a sample the pages give (example_text)


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    type: TypeRef | None  # None: no content
    source: Source
    example: str = ""


@dataclass(frozen=True)
class Operation:
    id: str  # the page uid
    name: str  # the operation's own name, e.g. SaveChatSessionEntity
    method: str
    path: str
    group: str  # ChatAgent, Contact, ...
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    source: Source
    sources: tuple[Source, ...] = field(default=())
    accept: tuple[str, ...] = ()  # the media types the page says the answer comes in

    @property
    def binary(self) -> bool:
        """Does the operation answer with bytes that are not JSON (an image, a document)?"""
        t = self.success.type if self.success else None
        raw = t is not None and t.kind == "primitive" and t.format in ("byte", "binary")
        return raw and any(not is_text_media(m) for m in self.accept)

    @property
    def success(self) -> Response | None:
        """The response a client returns: the first 2xx."""
        return next((r for r in self.responses if r.status.startswith("2")), None)


@dataclass(frozen=True)
class Api:
    operations: tuple[Operation, ...]
    schemas: tuple[Schema, ...]

    def schema(self, name: str) -> Schema | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Schema]:
        return {s.name: s for s in self.schemas}

    @cached_property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted({op.group for op in self.operations}))

    def in_group(self, group: str) -> tuple[Operation, ...]:
        return self._by_group.get(group, ())

    def group_size(self, group: str) -> int:
        return len(self.in_group(group))

    def on_path(self, group: str, path: str) -> tuple[Operation, ...]:
        """The group's operations at `path` (a path is in one group)."""
        return tuple(op for op in self.in_group(group) if op.path == path)

    @cached_property
    def _by_group(self) -> dict[str, tuple[Operation, ...]]:
        found: dict[str, list[Operation]] = {}
        for op in self.operations:
            found.setdefault(op.group, []).append(op)
        return {group: tuple(ops) for group, ops in found.items()}
