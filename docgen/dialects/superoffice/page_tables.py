"""Which table of a page describes which schema: the one reading of a page's body and response
tables that the build and lint share, so both call a table by the same name."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.dialects.superoffice.page import PageDoc
from docgen.dialects.superoffice.types import parse_type
from docgen.parse.page import Table


@dataclass(frozen=True)
class PageTable:
    role: str  # body | response
    name: str  # the schema the page names for the table; "" when it names none
    listed: bool  # the table describes one item of a list
    table: Table
    line: int  # the line of the section's heading


def request_table(page: PageDoc) -> PageTable | None:
    section = page.request_body
    if section is None or section.table is None or not section.table.rows:
        return None
    declared, _ = parse_type(section.type_text) if section.type_text else (None, True)
    name = declared.name if declared is not None and declared.kind == "ref" else ""
    sample = page.sample("request")
    listed = sample is not None and sample.has_json and isinstance(sample.body, list)
    return PageTable("body", name, listed, section.table, section.line)


def response_table(page: PageDoc) -> PageTable | None:
    section = page.response
    if section is None or section.body_table is None or not section.body_table.rows:
        return None
    declared, _ = parse_type(section.body_type_text or section.type_text or "")
    name = declared.name if declared.kind == "ref" else ""
    line = section.body_line or section.line
    return PageTable("response", name, declared.kind == "array", section.body_table, line)


def page_tables(page: PageDoc) -> list[PageTable]:
    return [t for t in (request_table(page), response_table(page)) if t is not None]
