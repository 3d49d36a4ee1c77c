"""What any reference page is made of, in the page's own words: tables and sample messages.
Each dialect builds its own page facts from these (dialects/<vendor>/page.py)."""

from __future__ import annotations

from dataclasses import dataclass


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
    """A sample request or response message in a fence, with its JSON body if any."""

    kind: str  # "request" | "response"
    line: int
    first_line: str  # "POST /api/..." or "HTTP/1.1 200 OK"
    headers: tuple[tuple[str, str], ...]
    body_text: str
    body_line: int
    body: object = None
    has_json: bool = False
