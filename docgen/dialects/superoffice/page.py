"""PageDoc: what one SuperOffice reference page says, still in the page's own words (no Python,
no OpenAPI): its front matter, its `http` block, and its sections' tables and samples."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.parse.page import Sample, Table


@dataclass(frozen=True)
class BodySection:
    """`## Request Body: name [type]` and what follows it."""

    name: str
    type_text: str
    description: str
    table: Table | None
    line: int


@dataclass(frozen=True)
class ResponseCode:
    status: str
    description: str
    line: int


@dataclass(frozen=True)
class ResponseSection:
    """`## Response: [type]`, its codes table and its `Response body: type` property table."""

    type_text: str
    description: str
    codes: tuple[ResponseCode, ...]
    body_type_text: str | None
    body_table: Table | None
    line: int
    body_line: int


@dataclass(frozen=True)
class PageDoc:
    path: str
    uid: str
    uid_line: int
    title: str
    generated: bool
    heading: str
    method: str
    http_path: str
    http_line: int
    summary: str
    description: str
    path_params: Table | None = None
    query_params: Table | None = None
    headers: Table | None = None
    request_body: BodySection | None = None
    response: ResponseSection | None = None
    samples: tuple[Sample, ...] = field(default=())
    examples: str = ""  # the page's other http fences: example requests with query strings

    def sample(self, kind: str) -> Sample | None:
        return next((s for s in self.samples if s.kind == kind), None)
