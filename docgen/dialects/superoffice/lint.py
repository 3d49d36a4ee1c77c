"""Checks of SuperOffice pages against themselves: what a reader of the reference would trip over.

Generation copes with these (it merges, recovers and reports what it must); lint names them so
that a doc repository can fix them at the source. Each check reads parsed pages and, where it
needs what all pages say together, the merged model; none of them changes either.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.superoffice.naming import rank
from docgen.dialects.superoffice.page import PageDoc
from docgen.dialects.superoffice.page_tables import page_tables
from docgen.dialects.superoffice.types import parse_type
from docgen.model.api import Api
from docgen.model.routes import HTTP_METHODS, route_shape
from docgen.model.types import TypeRef
from docgen.parse.page import Sample, Table

_MOSTLY = 0.8  # a description is expected where at least this share of its peers have one
_MAX_DEPTH = 8
_JSON_KEY = re.compile(r'("(?:[^"\\]|\\.)*")\s*:')
_SAMPLE_PATH = re.compile(r"^(?P<method>[A-Za-z]+)\s+(?:https?://[^/\s]+)?(?P<path>/[^\s?#]*)")


def lint(pages: list[PageDoc], api: Api) -> list[Diagnostic]:
    pages = sorted(pages, key=lambda p: (rank(p), p.path))
    diags: list[Diagnostic] = []
    for page in pages:
        diags += samples_against_tables(page, api)
        diags += sample_request_against_route(page)
        diags += heading_against_route(page)
    diags += same_schema_across_pages(pages)
    diags += duplicate_uids(pages)
    diags += empty_descriptions(pages)
    return diags


# --- samples against tables ----------------------------------------------------------------


@dataclass(frozen=True)
class _Described:
    """One table row: the property a sample's key should match."""

    name: str
    type: TypeRef
    line: int


def _table_rows(table: Table | None) -> list[_Described]:
    if table is None:
        return []
    name_col = table.name_column()
    type_col = table.column("type")
    rows = []
    for row in table.rows:
        name = row.cells[name_col].strip()
        if name:
            spelled = row.cells[type_col] if type_col is not None else ""
            rows.append(_Described(name, parse_type(spelled)[0], row.line))
    return rows


def samples_against_tables(page: PageDoc, api: Api) -> Iterator[Diagnostic]:
    for found in page_tables(page):
        kind, table = ("request" if found.role == "body" else "response"), found.table
        sample = page.sample(kind)
        rows = _table_rows(table)
        if sample is None or not sample.has_json or not rows:
            continue
        body = sample.body
        if isinstance(body, list):  # a list of what the table describes
            body = next((item for item in body if isinstance(item, dict)), None)
        if isinstance(body, dict):
            lines = _key_lines(sample)
            yield from _object_against_rows(page.path, lines, body, rows, api, f"sample {kind}", 0)


def _object_against_rows(
    path: str, lines: _KeyLines, value: dict[str, object], rows: list[_Described], api: Api, what: str, depth: int
) -> Iterator[Diagnostic]:
    by_name = {row.name: row for row in rows}
    folded = {row.name.lower(): row for row in rows}
    for key, item in value.items():
        line = lines.of(key)
        row = by_name.get(key)
        if row is None:
            near = folded.get(key.lower())
            hint = f" (the table spells it {near.name!r}, line {near.line})" if near else ""
            yield diag(path, line, "DL001", f"{what}: key {key!r} is not in the property table{hint}")
            continue
        problem = contradiction(row.type, item)
        if problem:
            yield diag(path, line, "DL003", f"{what}: {key!r} is {problem}, but the table says {row.type.describe()}")
        elif isinstance(item, dict) and row.type.kind == "ref" and depth < _MAX_DEPTH:
            schema = api.schema(row.type.name)
            if schema is not None and schema.described and schema.properties:
                nested = [_Described(p.name, p.type, p.source.line) for p in schema.properties]
                yield from _object_against_rows(path, lines, item, nested, api, f"{what}: {key}", depth + 1)
    if depth == 0:
        folded_keys = {k.lower() for k in value}
        for row in rows:
            if row.name not in value and row.name.lower() not in folded_keys:
                yield diag(path, row.line, "DL002", f"{what} has no {row.name!r}, which the table lists")


def contradiction(declared: TypeRef, value: object) -> str:
    """What is wrong with `value` for `declared`, or "" when nothing is (null is always fine:
    the reference marks nothing as required or non-nullable)."""
    if value is None or declared.kind in ("unknown", "any"):
        return ""
    if declared.kind == "array":
        if not isinstance(value, list):
            return f"{_kind(value)} where a list is declared"
        item = declared.item or TypeRef("unknown")
        return next((f"a list whose item {i} is {p}" for i, v in enumerate(value) if (p := contradiction(item, v))), "")
    if isinstance(value, list):
        return "a list where a single value is declared"
    if declared.kind in ("ref", "map"):
        return "" if isinstance(value, dict) else f"{_kind(value)} where an object is declared"
    if isinstance(value, dict):
        return "an object where a primitive is declared"
    if declared.kind == "enum":
        return "" if isinstance(value, (str, int)) and not isinstance(value, bool) else f"{_kind(value)} for an enum"
    return _primitive_contradiction(declared, value)


def _primitive_contradiction(declared: TypeRef, value: object) -> str:
    name, fmt = declared.name, declared.format
    if name == "boolean":
        return "" if isinstance(value, bool) else f"{_kind(value)} where a boolean is declared"
    if name in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{_kind(value)} where a number is declared"
        return "" if name == "number" or isinstance(value, int) or value.is_integer() else "a fraction where an integer is declared"
    if not isinstance(value, str):
        return f"{_kind(value)} where a string is declared"
    if fmt in ("date-time", "date") and not _is_iso_date(value):
        return f"{value!r}, not an ISO 8601 date"
    return ""


def _is_iso_date(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an object" if isinstance(value, dict) else "a list"


@dataclass(frozen=True)
class _KeyLines:
    """Where a sample first spells each key: the JSON is parsed without positions."""

    first: dict[str, int]
    fallback: int

    def of(self, key: str) -> int:
        return self.first.get(key, self.fallback)


def _key_lines(sample: Sample) -> _KeyLines:
    first: dict[str, int] = {}
    for offset, line in enumerate(sample.body_text.split("\n")):
        for match in _JSON_KEY.finditer(line):
            first.setdefault(json.loads(match.group(1)), sample.body_line + offset)
    return _KeyLines(first, sample.body_line)


# --- the sample request against the http block ---------------------------------------------


def heading_against_route(page: PageDoc) -> Iterator[Diagnostic]:
    """Newer pages title themselves `POST ChatSession/{id}/...`: the route a reader sees first."""
    match = _SAMPLE_PATH.match(re.sub(r"^([A-Za-z]+)\s+(?!/)", r"\1 /", page.heading.strip()))
    if match is None or not page.method or match.group("method").upper() not in HTTP_METHODS:
        return
    same_method = match.group("method").upper() == page.method.upper()
    said = match.group("path").rstrip("/")
    route = re.sub(r"^/api/v\d+", "", page.http_path.split("?")[0]).rstrip("/")
    if said == route and same_method:
        return
    same_shape = route_shape(said) == route_shape(route)
    code = "DL010" if same_shape and same_method else "DL009"
    text = f"the heading says {match.group('method')} {said}; the `http` block says {page.method} {page.http_path}"
    yield diag(page.path, page.http_line, code, text)


def sample_request_against_route(page: PageDoc) -> Iterator[Diagnostic]:
    sample = page.sample("request")
    if sample is None or not page.method:
        return
    match = _SAMPLE_PATH.match(sample.first_line)
    if match is None:
        return
    query = sample.first_line.split(None, 2)[1].partition("?")[2] if "?" in sample.first_line else ""
    documented = {row.name: row for row in _table_rows(page.query_params)}
    folded = {name.lower(): name for name in documented}
    for name in (part.partition("=")[0] for part in query.split("&") if part):
        if name not in documented:
            spelled = folded.get(name.lower())
            hint = f"; the table spells it {spelled!r}" if spelled else ""
            yield diag(page.path, sample.line + 1, "DL005", f"the sample request sends {name!r}, which the query table does not list{hint}")
    method, path = match.group("method").upper(), match.group("path")
    if method != page.method.upper():
        yield diag(page.path, sample.line + 1, "DL005", f"the sample request is {method}; the page says {page.method}")
    if not _route_matches(page.http_path, path):
        yield diag(
            page.path, sample.line + 1, "DL005", f"the sample request goes to {path}; the page says {page.http_path}"
        )


def _route_matches(template: str, path: str) -> bool:
    """`{name}` in the template stands for one segment; the rest must be equal."""
    wanted = template.split("?")[0].rstrip("/").split("/")
    given = path.rstrip("/").split("/")
    return len(wanted) == len(given) and all(w == g or (w.startswith("{") and w.endswith("}")) for w, g in zip(wanted, given, strict=True))


# --- what pages say together ---------------------------------------------------------------


def same_schema_across_pages(pages: list[PageDoc]) -> Iterator[Diagnostic]:
    """A schema a page names and describes, described with other properties on another page of
    the same dialect (older renderings are expected to lag behind the newer ones)."""
    first: dict[tuple[int, str], tuple[PageDoc, int, list[str]]] = {}
    for page in pages:
        for found in page_tables(page):
            if not found.name:
                continue
            table, name = found.table, found.name
            names = [row.name for row in _table_rows(table)]
            key = (rank(page), name)
            if key not in first:
                first[key] = (page, table.line, names)
                continue
            lead, lead_line, lead_names = first[key]
            missing = [n for n in lead_names if n not in names]
            extra = [n for n in names if n not in lead_names]
            if missing or extra:
                parts = ([f"lacks {', '.join(missing)}"] if missing else []) + ([f"adds {', '.join(extra)}"] if extra else [])
                yield diag(
                    page.path,
                    table.line,
                    "DL004",
                    f"{name} here {' and '.join(parts)} against {lead.path}:{lead_line}",
                )


def duplicate_uids(pages: list[PageDoc]) -> Iterator[Diagnostic]:
    seen: dict[str, PageDoc] = {}
    for page in pages:
        if not page.uid:
            continue
        other = seen.setdefault(page.uid, page)
        if other is page:
            continue
        where = f"{other.path}:{other.uid_line}"
        if (page.method.upper(), page.http_path) != (other.method.upper(), other.http_path):
            yield diag(
                page.path,
                page.uid_line,
                "DL006",
                f"uid {page.uid!r} is {page.method} {page.http_path} here but {other.method} {other.http_path} at {where}",
            )
        elif rank(page) == rank(other):
            yield diag(page.path, page.uid_line, "DL008", f"uid {page.uid!r} is also the uid of {where}")


def empty_descriptions(pages: list[PageDoc]) -> Iterator[Diagnostic]:
    """Only where the reference usually writes one: a blank that most peers fill is an omission."""
    blank = [p for p in pages if not (p.description.strip() or p.summary.strip())]
    if pages and len(pages) - len(blank) >= _MOSTLY * len(pages):
        for page in blank:
            yield diag(page.path, page.http_line, "DL007", "the operation has no description")
    rows = [
        (page, row.line, row.cells[table.name_column()].strip(), row.cells[desc_col].strip())
        for page in pages
        for table in (found.table for found in page_tables(page))
        if (desc_col := table.column("description")) is not None
        for row in table.rows
    ]
    if rows and sum(1 for *_, text in rows if text) >= _MOSTLY * len(rows):
        for page, line, name, text in rows:
            if name and not text:
                yield diag(page.path, line, "DL007", f"property {name!r} has no description")
