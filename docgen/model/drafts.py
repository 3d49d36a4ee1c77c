"""What one page contributes to the model, before schemas are named and merged across pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.model.api import Parameter, Property, Source
from docgen.model.types import TypeRef


@dataclass
class SchemaDraft:
    """One description of a schema on one page: a property table or a sample object.

    `key` is the schema's name when the page names it; anonymous drafts get a key of their own
    and are given a name later, preferring a named schema with the same properties.
    """

    key: str
    named: bool
    hint: str  # the name an anonymous draft takes when nothing better is found
    properties: list[Property]
    description: str
    source: Source
    rank: tuple[int, str, int]  # page rank, page path, order on page: merging order
    candidates: tuple[str, ...] = ()  # names the page suggests (parameter name, description)
    from_sample: bool = False

    @property
    def property_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.properties)


@dataclass
class BodyDraft:
    name: str
    type: TypeRef
    description: str
    content_types: tuple[str, ...]
    source: Source


@dataclass
class ResponseDraft:
    status: str
    description: str
    type: TypeRef | None
    source: Source


@dataclass
class OperationDraft:
    id: str
    name: str
    method: str
    path: str
    group: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: BodyDraft | None
    responses: list[ResponseDraft]
    source: Source
    rank: tuple[int, str, int]
    schemas: list[SchemaDraft] = field(default_factory=list)
