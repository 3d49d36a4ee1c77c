"""What one Microsoft Graph reference page says, in the page's own words: a resource page's type
(its annotation, property and relationship tables), enumerations, and an API page's routes,
query options, headers, request body and response, with the annotated examples."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.parse.page import Table


@dataclass(frozen=True)
class Annotation:
    """The JSON of an `<!-- { "blockType": ... } -->` comment, as far as it could be read."""

    block_type: str
    fields: tuple[tuple[str, object], ...]
    line: int

    def get(self, key: str) -> object:
        return next((value for name, value in self.fields if name == key), None)

    def text(self, *keys: str) -> str:
        for key in keys:
            value = self.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""


@dataclass(frozen=True)
class Fence:
    info: str
    text: str
    line: int
    annotation: Annotation | None  # the annotation comment right before it, if any


@dataclass(frozen=True)
class Prose:
    text: str
    line: int


@dataclass(frozen=True)
class Section:
    """A heading's own blocks (up to the next heading of any level), and what kind of section the
    dialect's rules took it for."""

    kind: str  # properties, relationships, json, methods, values, members, routes, path, query,
    # functions, headers, body, response, examples, other, intro
    heading: str
    level: int
    line: int
    argument: str = ""  # an enumeration's name (`X values`)
    prose: tuple[Prose, ...] = ()
    tables: tuple[Table, ...] = ()
    fences: tuple[Fence, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    raw_lines: tuple[tuple[str, int], ...] = ()  # lines outside fences that look like requests


@dataclass(frozen=True)
class GraphPage:
    path: str
    namespace: str
    title: str  # the page's first heading
    doc_type: str  # front matter doc_type: apiPageType, resourcePageType, enumPageType, ...
    line: int  # the title's line
    sections: tuple[Section, ...] = field(default=())
    refdefs: tuple[tuple[str, str], ...] = ()  # `[label]: target` definitions, label lowercased

    def of(self, *kinds: str) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    def text(self, kind: str) -> str:
        """The prose of every section of a kind (a heading and the deeper ones under it), joined."""
        return " ".join(p.text for s in self.sections if s.kind == kind for p in s.prose)

    def first(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def annotations(self, block_type: str) -> list[Annotation]:
        return [a for s in self.sections for a in s.annotations if a.block_type == block_type]
