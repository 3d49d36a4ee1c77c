"""What one page contributes to the model, before schemas are named and merged across pages.

Drafts are frozen: the build decides names once, then makes renamed copies (`renamed`), so no
stage sees another stage's half-made state. A type in a draft names either a schema a page
gives (`Associate`) or a draft's own key (`#page.md#40#body`, unique to that description).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, TypeVar

from docgen.model.api import Parameter, Property, Source
from docgen.model.types import TypeRef

_T = TypeVar("_T", bound=Any)

# The only thing the build reads in prose: words spelled like type names (`ContactEntity`).
# model.signature keeps exactly these of a page's prose, so naming never sees anything it drops.
TYPE_WORDS = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+\b")


def _retyped(item: _T, t: TypeRef | None) -> _T:
    """`item` with type `t`; itself when that is its type (most are: primitives never change)."""
    return item if item.type is t else replace(item, type=t)


def _renamed(t: TypeRef | None, names: dict[str, str]) -> TypeRef | None:
    return None if t is None else t.renamed(names)


@dataclass(frozen=True)
class PropertyDraft:
    name: str  # the wire name
    type: TypeRef
    description: str
    source: Source
    observed: TypeRef | None = None  # what the sample alone shows, where the table names a schema
    declared: str = ""  # the type's spelling in the table

    def final(self, names: dict[str, str], retyped: TypeRef | None = None) -> Property:
        t = retyped if retyped is not None else self.type
        return Property(self.name, t.renamed(names), self.description, self.source)


@dataclass(frozen=True, eq=False)
class SchemaDraft:
    """One description of a schema on one page: a property table or a sample object."""

    key: str  # unique to this description
    name: str  # the schema name the page gives; "" when it gives none
    hint: str  # the name an unnamed draft takes when nothing better is found
    properties: tuple[PropertyDraft, ...]
    description: str
    source: Source
    rank: tuple[int, str, int]  # page rank, page path, order on page: merging order
    operation: str  # the uid of the page's operation
    group: str
    role: str  # body | response | items | sample
    context: tuple[str, ...] = ()  # type names the page's prose mentions
    from_sample: bool = False
    says: tuple[str, ...] = ()  # schemas the section's own prose names ("The ThingEntity to save")
    base: str = ""  # the schema (a name, or a link's alias) the page says this one extends
    values: tuple[str, ...] = ()  # an enumeration's members

    @property
    def named(self) -> bool:
        return bool(self.name)

    @property
    def standalone(self) -> bool:
        """A made-up schema of its own (an action's parameters, a list's page): never taken for
        another by its properties."""
        return self.role in ("parameters", "collection")

    @property
    def declares(self) -> bool:
        """The page declares the schema and its name (a resource page, an enumeration): every
        draft of that name is the one schema, whatever properties each page lists."""
        return self.role in ("resource", "enum", "collection")

    @cached_property
    def property_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.properties)


@dataclass(frozen=True)
class BodyDraft:
    name: str
    type: TypeRef
    description: str
    content_types: tuple[str, ...]
    source: Source
    example: str = ""  # a sample the page gives, as canonical JSON (model.api.example_text)


@dataclass(frozen=True)
class ResponseDraft:
    status: str
    description: str
    type: TypeRef | None
    source: Source
    example: str = ""


@dataclass(frozen=True)
class OperationDraft:
    id: str
    name: str
    method: str
    path: str
    group: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: BodyDraft | None
    responses: tuple[ResponseDraft, ...]
    source: Source
    rank: tuple[int, str, int]
    schemas: tuple[SchemaDraft, ...] = ()
    observed: tuple[SchemaDraft, ...] = ()
    accept: tuple[str, ...] = ()  # sample objects under declared schemas, used only if they contradict them

    def renamed(self, names: dict[str, str]) -> OperationDraft:
        """The same operation with every schema name and key replaced by its final name."""
        body = None if self.body is None else _retyped(self.body, self.body.type.renamed(names))
        return replace(
            self,
            parameters=tuple(_retyped(p, p.type.renamed(names)) for p in self.parameters),
            body=body,
            responses=tuple(_retyped(r, _renamed(r.type, names)) for r in self.responses),
        )


@dataclass(frozen=True)
class PageDraft:
    """Everything one page contributes: any number of operations (each with the schema drafts of
    its own tables), the schemas it describes on its own (a resource page, an enum), and what a
    link to the page stands for. A link is a type that names an alias (`#link:<page>`): the
    build resolves it to the schema the linked page defines (`names`), else to a fallback name
    the linking page gives (`fallbacks`)."""

    path: str
    rank: tuple[int, str, int]
    operations: tuple[OperationDraft, ...] = ()
    schemas: tuple[SchemaDraft, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (alias, schema name) this page defines
    fallbacks: tuple[tuple[str, str], ...] = ()  # (alias, schema name) when no page defines it

    # A schema's name may be made from a link's: `{#link:...}CollectionResponse` is named after
    # the schema the link resolves to (model.build.link_names).

    def schema_drafts(self) -> list[SchemaDraft]:
        """Every table and sample the page describes: its operations' and its own."""
        return [*(s for op in self.operations for s in op.schemas), *self.schemas]

    def observed(self) -> list[SchemaDraft]:
        return [s for op in self.operations for s in op.observed]
