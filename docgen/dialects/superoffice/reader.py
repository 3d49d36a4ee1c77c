"""One SuperOffice reference page (a Document) -> PageDoc.

Headings switch sections (HEADINGS: which heading opens which section); every other top-level
block goes to the first of BLOCKS that takes it, tables to the first of TABLES. Blocks no rule
takes are kept as description, never dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.superoffice.page import BodySection, PageDoc, ResponseCode, ResponseSection
from docgen.model.routes import HTTP_METHODS, PATH
from docgen.parse.markdown import Block, Document, read_document
from docgen.parse.page import Sample, Table
from docgen.parse.ruler import Ruler
from docgen.parse.samples import read_sample
from docgen.parse.tables import read_table

HeadingRule = Callable[[str], "str | None"]  # the heading's text -> the section's argument, None: not this one


@dataclass
class _Draft:
    """Mutable accumulator while walking one page; frozen into a PageDoc at the end."""

    intro: list[Block] = field(default_factory=list)
    path_params: Table | None = None
    query_params: Table | None = None
    headers: Table | None = None
    body_head: tuple[str, int] | None = None
    body_text: list[str] = field(default_factory=list)
    body_table: Table | None = None
    response_head: tuple[str, int] | None = None
    response_text: list[str] = field(default_factory=list)
    codes: list[ResponseCode] = field(default_factory=list)
    response_body: tuple[str, int] | None = None
    response_table: Table | None = None
    samples: list[Sample] = field(default_factory=list)
    http: tuple[str, int] | None = None
    examples: list[str] = field(default_factory=list)  # other http fences: example requests
    operation_sections: bool = False  # any section only a reference page has


@dataclass
class State:
    """What a block rule sees: the page so far, the section the block sits in, where to report."""

    draft: _Draft
    document: Document
    diags: list[Diagnostic]
    section: str = "intro"


# --- which heading opens which section ---------------------------------------------------------


def _heading(pattern: str) -> HeadingRule:
    compiled = re.compile(pattern, re.IGNORECASE)

    def rule(text: str) -> str | None:
        match = compiled.match(text)
        return (match.groupdict().get("arg") or "").strip() if match else None

    return rule


HEADINGS: Ruler[HeadingRule] = Ruler()
HEADINGS.push("headers", _heading(r"request\s+headers?\s*:?$"))
HEADINGS.push("query", _heading(r"query\s+string(\s+parameters?)?\s*:?$"))
HEADINGS.push("path", _heading(r"path\s+(parts?|parameters?)\s*:?$"))
HEADINGS.push("body", _heading(r"request\s+body\s*:?\s*(?P<arg>.*)$"))
HEADINGS.push("response_body", _heading(r"response\s+body\s*:?\s*(?P<arg>.*)$"))
HEADINGS.push("response", _heading(r"response\s*:?\s*(?P<arg>.*)$"))
HEADINGS.push("sample_request", _heading(r"sample\s+request\s*:?$"))
HEADINGS.push("sample_response", _heading(r"sample\s+response\s*:?$"))


def classify_heading(text: str) -> tuple[str, str] | None:
    """(section, argument) for a structural heading, None for prose."""
    cleaned = text.strip().strip("#").strip()
    for name, rule in zip(HEADINGS.names(), HEADINGS.rules(), strict=True):
        argument = rule(cleaned)
        if argument is not None:
            return name, argument
    return None


def _open_section(draft: _Draft, section: str, argument: str, line: int) -> None:
    if section == "body":
        draft.body_head = (argument, line)
    elif section == "response":
        draft.response_head = (argument, line)
    elif section == "response_body":
        if draft.response_head is None:
            draft.response_head = ("", line)
        draft.response_body = (argument, line)


# --- where each table goes ----------------------------------------------------------------------

TableRule = Callable[[State, Table], bool]
_PATH_HEADERS = frozenset({"path part", "path parameter", "path parameters"})


def _first_cell(table: Table) -> str:
    return table.header[0].strip().lower() if table.header else ""


def _path_table(state: State, table: Table) -> bool:
    if _first_cell(table) in _PATH_HEADERS or state.section == "path":
        state.draft.path_params = table
        return True
    return False


def _query_table(state: State, table: Table) -> bool:
    if state.section == "query":
        state.draft.query_params = table
        return True
    return False


def _headers_table(state: State, table: Table) -> bool:
    if state.section == "headers":
        state.draft.headers = table
        return True
    return False


def _body_table(state: State, table: Table) -> bool:
    if state.section == "body":
        state.draft.body_table = table
        return True
    return False


def _codes_table(state: State, table: Table) -> bool:
    if state.section in ("response", "response_body") and _first_cell(table) == "response":
        for row in table.rows:
            description = row.cells[1].strip() if len(row.cells) > 1 else ""
            state.draft.codes.append(ResponseCode(row.cells[0].strip(), description, row.line))
        return True
    return False


def _response_table(state: State, table: Table) -> bool:
    if state.section in ("response", "response_body"):
        state.draft.response_table = table
        if state.draft.response_body is None:
            state.draft.response_body = ("", table.line)
        return True
    return False


TABLES: Ruler[TableRule] = Ruler()
TABLES.push("path", _path_table)
TABLES.push("query", _query_table)
TABLES.push("headers", _headers_table)
TABLES.push("body", _body_table)
TABLES.push("response_codes", _codes_table)
TABLES.push("response_body", _response_table)


# --- where every other block goes --------------------------------------------------------------

BlockRule = Callable[[State, Block], bool]


def _table(state: State, block: Block) -> bool:
    if block.kind != "table":
        return False
    table, table_diags = read_table(state.document.lines, block.start, block.end, state.document.path)
    state.diags.extend(table_diags)
    if not any(rule(state, table) for rule in TABLES.rules()):
        state.diags.append(diag(state.document.path, table.line, "DG016", "a table outside any known section was ignored"))
    return True


def _sample(state: State, block: Block) -> bool:
    if block.kind != "fence" or state.section not in ("sample_request", "sample_response") or not block.info.lower().startswith("http"):
        return False
    kind = "request" if state.section == "sample_request" else "response"
    sample, sample_diags = read_sample(kind, block.text, block.start + 1, state.document.path)
    state.diags.extend(sample_diags)
    state.draft.samples.append(sample)
    return True


def _http_block(state: State, block: Block) -> bool:
    if block.kind != "fence" or state.draft.http is not None or state.section != "intro" or block.info.lower() != "http":
        return False
    state.draft.http = (block.text, block.start + 1)
    return True


def _example_requests(state: State, block: Block) -> bool:
    if block.kind != "fence" or block.info.lower() != "http":
        return False
    state.draft.examples.append(block.text)
    return True


def _response_body_paragraph(state: State, block: Block) -> bool:
    """`Response body: Thing` written as a paragraph, not a heading."""
    if block.kind != "paragraph" or not block.text.lower().startswith("response body"):
        return False
    found = classify_heading(block.text)
    if found is None or found[0] != "response_body" or state.section not in ("response", "response_body"):
        return False
    _open_section(state.draft, "response_body", found[1], block.start + 1)
    state.section = "response_body"
    return True


def _section_prose(state: State, block: Block) -> bool:
    if block.kind != "paragraph":
        return False
    if state.section == "body":
        state.draft.body_text.append(block.text)
    elif state.section in ("response", "response_body"):
        state.draft.response_text.append(block.text)
    elif state.section == "intro":
        state.draft.intro.append(block)
    return True  # prose in another section is the section's own words, not the page's


def _intro(state: State, block: Block) -> bool:
    if state.section == "intro":
        state.draft.intro.append(block)
    return True


BLOCKS: Ruler[BlockRule] = Ruler()
BLOCKS.push("table", _table)
BLOCKS.push("sample", _sample)
BLOCKS.push("http_block", _http_block)
BLOCKS.push("example_requests", _example_requests)
BLOCKS.push("response_body_paragraph", _response_body_paragraph)
BLOCKS.push("section_prose", _section_prose)
BLOCKS.push("intro", _intro)


# --- the page ----------------------------------------------------------------------------------


def recognises(document: Document) -> bool:
    """A SuperOffice page: front matter with a uid (or id), and an `http` fence."""
    front = document.front
    if front is None or not ({"uid", "id"} & set(front.values)):
        return False
    return any(b.kind == "fence" and b.info.lower().startswith("http") for b in document.blocks)


def read_page(document: Document) -> tuple[PageDoc | None, list[Diagnostic]]:
    """Parse one page; returns None (with an error) when it cannot describe an operation, and
    None with only a note (DG002) when it is not a reference page at all (an index, an
    overview): no operation section, and no uid or no method before the `http` block's path."""
    path = document.path
    diags: list[Diagnostic] = []
    front = document.front
    if front is None:
        diags.append(diag(path, 1, "DG003", "no front matter (--- block with uid:)"))
        values: dict[str, tuple[str, int]] = {}
    else:
        if not front.closed:
            diags.append(diag(path, 1, "DG003", "front matter is never closed with ---"))
        values = front.values
    uid, uid_line = values.get("uid") or values.get("id") or ("", 1)

    state = State(_Draft(), document, diags)
    draft = state.draft
    heading = ""
    rules = BLOCKS.rules()
    for block in document.blocks:
        if block.kind == "heading":
            if block.info == "h1" and not heading:
                heading = block.text
                continue
            found = classify_heading(block.text)
            if found is not None:
                state.section = found[0]
                draft.operation_sections = draft.operation_sections or state.section != "intro"
                _open_section(draft, state.section, found[1], block.start + 1)
                continue
            if state.section != "intro":
                diags.append(diag(path, block.start + 1, "DG015", f"unknown section {block.text!r} kept as description"))
                state.section = "intro"
            draft.intro.append(block)
            continue
        for rule in rules:
            if rule(state, block):
                break

    operation = draft.operation_sections or draft.path_params is not None
    if not operation and (not uid or _bare_path(draft)):
        why = "no uid or id in front matter" if not uid else "an `http` block with a path but no method"
        return None, [diag(path, uid_line, "DG002", f"{why}, and no operation sections: not a reference page")]
    if not uid:
        return None, [*diags, diag(path, uid_line, "DG003", "operation sections but no uid or id in front matter; skipped")]
    return _finish(draft, values, uid, uid_line, heading, document, diags)


def _bare_path(draft: _Draft) -> bool:
    """No `http` block, or one that gives a path and no method: how index pages name their route."""
    if draft.http is None:
        return True
    first = next((ln.strip() for ln in draft.http[0].split("\n") if ln.strip()), "")
    return first.startswith("/")


def _finish(
    draft: _Draft,
    values: dict[str, tuple[str, int]],
    uid: str,
    uid_line: int,
    heading: str,
    document: Document,
    diags: list[Diagnostic],
) -> tuple[PageDoc | None, list[Diagnostic]]:
    path = document.path
    if draft.http is None:
        diags.append(diag(path, uid_line, "DG004", "no ```http block with the method and path"))
        return None, diags
    http_text, http_line = draft.http
    request_line = next((ln.strip() for ln in http_text.split("\n") if ln.strip()), "")
    method, _, http_path = request_line.partition(" ")
    http_path = http_path.strip().split(" ")[0] if http_path.strip() else ""
    if method.upper() not in HTTP_METHODS:
        diags.append(diag(path, http_line + 1, "DG005", f"unknown HTTP method {method!r}"))
        return None, diags
    if not PATH.match(http_path):
        diags.append(diag(path, http_line + 1, "DG006", f"malformed path {http_path!r}"))
        return None, diags

    paragraphs = [b for b in draft.intro if b.kind == "paragraph"]
    summary_block = paragraphs[0] if paragraphs else None
    summary = summary_block.text if summary_block else ""
    description = "\n\n".join(document.raw(b) for b in draft.intro if b is not summary_block)
    title, _ = values.get("title", ("", 0))
    generated = values.get("generated", ("", 0))[0].lower() == "true"
    body = None
    if draft.body_head is not None:
        argument, line = draft.body_head
        name, _, type_text = argument.partition(" ")
        body = BodySection(name.strip(), type_text.strip(), "\n".join(draft.body_text), draft.body_table, line)
    response = None
    if draft.response_head is not None:
        body_type, body_line = draft.response_body or (None, 0)
        response = ResponseSection(
            draft.response_head[0],
            "\n".join(draft.response_text),
            tuple(draft.codes),
            body_type,
            draft.response_table,
            draft.response_head[1],
            body_line,
        )
    page = PageDoc(
        path=path,
        uid=uid,
        uid_line=uid_line,
        title=title,
        generated=generated,
        heading=heading,
        method=method.upper(),
        http_path=http_path,
        http_line=http_line + 1,
        summary=summary,
        description=description,
        path_params=draft.path_params,
        query_params=draft.query_params,
        headers=draft.headers,
        request_body=body,
        response=response,
        samples=tuple(draft.samples),
        examples="\n".join(draft.examples),
    )
    return page, diags


def parse_page(text: str, path: str) -> tuple[PageDoc | None, list[Diagnostic]]:
    """A page's text read as a SuperOffice page."""
    return read_page(read_document(text, path))
