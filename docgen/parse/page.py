"""PageDoc: what one reference page says, still as the page's own words (no Python, no OpenAPI)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int

    def column(self, *names: str) -> int | None:
        """Index of the first header cell matching one of names (case-insensitive)."""
        wanted = {n.lower() for n in names}
        for i, cell in enumerate(self.header):
            if cell.strip().lower() in wanted:
                return i
        return None

    def name_column(self) -> int:
        """The column that names each row (a property or parameter); the first if none says so."""
        found = self.column("property name", "name", "parameter name")
        return 0 if found is None else found


@dataclass(frozen=True)
class Sample:
    """A sample request (`http!`) or response (`http_`) fence, with its JSON body if any."""

    kind: str  # "request" | "response"
    line: int
    first_line: str  # "POST /api/..." or "HTTP/1.1 200 OK"
    headers: tuple[tuple[str, str], ...]
    body_text: str
    body_line: int
    body: object = None
    has_json: bool = False


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
