"""One reference page -> PageDoc, from markdown-it block tokens.

Each top-level block is dispatched on the section it sits in; headings switch sections. Blocks
the grammar does not know are kept as description, never dropped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects import Dialect
from docgen.dialects.superoffice import SUPEROFFICE
from docgen.parse.frontmatter import read_front_matter
from docgen.parse.page import BodySection, PageDoc, ResponseCode, ResponseSection, Sample, Table
from docgen.parse.routes import HTTP_METHODS, PATH
from docgen.parse.samples import read_sample
from docgen.parse.table_rule import use_span_tables
from docgen.parse.tables import read_table


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Only block structure matters: inline parsing, and the cells of tables (read from the raw
    # lines), cost most of the time and yield nothing we use.
    md.core.ruler.disable(["inline", "text_join"])
    # block_tokens hands it text with line ends and NULs as `normalize` would make them
    md.core.ruler.disable(["normalize"])
    use_span_tables(md)
    return md


_MD = _markdown()


def block_tokens(text: str) -> list[Token]:
    """markdown-it's block tokens of `text`, its line ends and NULs made as markdown-it's own
    `normalize` rule makes them (the rule is off: its regex visits every line end)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return _MD.parse(text)


@dataclass(frozen=True)
class Block:
    kind: str  # heading, fence, table, paragraph, other
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    text: str = ""  # heading/paragraph text, fence content
    info: str = ""  # fence info, heading tag


def blocks_of(tokens: list[Token]) -> list[Block]:
    """Top-level blocks with their source line span."""
    result: list[Block] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.type.endswith("_close"):
            continue
        start, end = token.map
        if token.type == "heading_open":
            result.append(Block("heading", start, end, tokens[index + 1].content.strip(), token.tag))
        elif token.type == "paragraph_open":
            result.append(Block("paragraph", start, end, tokens[index + 1].content.strip()))
        elif token.type == "fence":
            result.append(Block("fence", start, end, token.content, token.info.strip()))
        elif token.type == "table_open":
            result.append(Block("table", start, end))
        else:
            result.append(Block("other", start, end))
    return result


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


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [diag(path, 1, "DG001", f"not UTF-8 text ({error.reason} at byte {error.start})")]
    if "\x00" in text:
        return None, [diag(path, 1, "DG001", "binary content (NUL bytes)")]
    return text, []


def parse_page(text: str, path: str, dialect: Dialect = SUPEROFFICE) -> tuple[PageDoc | None, list[Diagnostic]]:
    """Parse one page; returns None (with an error) when it cannot describe an operation, and
    None with only a note (DG002) when it is not a reference page at all (an index, an
    overview): no operation section, and no uid or no method before the `http` block's path."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    diags: list[Diagnostic] = []
    front = read_front_matter(lines)
    if front is None:
        diags.append(diag(path, 1, "DG003", "no front matter (--- block with uid:)"))
        values: dict[str, tuple[str, int]] = {}
        body_start = 0
    else:
        if not front.closed:
            diags.append(diag(path, 1, "DG003", "front matter is never closed with ---"))
        values, body_start = front.values, front.end
    uid, uid_line = values.get("uid") or values.get("id") or ("", 1)

    masked = "\n" * body_start + "\n".join(lines[body_start:])
    blocks = blocks_of(block_tokens(masked))
    draft = _Draft()
    heading = ""
    section = "intro"
    for block in blocks:
        if block.kind == "heading":
            if block.info == "h1" and not heading:
                heading = block.text
                continue
            found = dialect.classify_heading(block.text)
            if found is not None:
                section = found[0]
                draft.operation_sections = draft.operation_sections or section not in ("intro",)
                _open_section(draft, section, found[1], block.start + 1)
                continue
            if section != "intro":
                diags.append(
                    diag(path, block.start + 1, "DG015", f"unknown section {block.text!r} kept as description")
                )
                section = "intro"
            draft.intro.append(block)
            continue
        section = _take_block(draft, section, block, lines, path, diags, dialect)

    operation = draft.operation_sections or draft.path_params is not None
    if not operation and (not uid or _bare_path(draft)):
        why = "no uid or id in front matter" if not uid else "an `http` block with a path but no method"
        return None, [diag(path, uid_line, "DG002", f"{why}, and no operation sections: not a reference page")]
    if not uid:
        return None, [*diags, diag(path, uid_line, "DG003", "operation sections but no uid or id in front matter; skipped")]
    return _finish(draft, values, uid, uid_line, heading, lines, path, diags)


def _bare_path(draft: _Draft) -> bool:
    """No `http` block, or one that gives a path and no method: how index pages name their route."""
    if draft.http is None:
        return True
    first = next((ln.strip() for ln in draft.http[0].split("\n") if ln.strip()), "")
    return first.startswith("/")


def _open_section(draft: _Draft, section: str, argument: str, line: int) -> None:
    if section == "body":
        draft.body_head = (argument, line)
    elif section == "response":
        draft.response_head = (argument, line)
    elif section == "response_body":
        if draft.response_head is None:
            draft.response_head = ("", line)
        draft.response_body = (argument, line)


def _take_block(
    draft: _Draft, section: str, block: Block, lines: list[str], path: str, diags: list[Diagnostic], dialect: Dialect
) -> str:
    """Put one non-heading block where it belongs; returns the section that follows it."""
    if block.kind == "table":
        table, table_diags = read_table(lines, block.start, block.end, path)
        diags.extend(table_diags)
        _take_table(draft, section, table, path, diags)
        return section
    if block.kind == "fence":
        info = block.info.lower()
        if section in ("sample_request", "sample_response") and info.startswith("http"):
            kind = "request" if section == "sample_request" else "response"
            sample, sample_diags = read_sample(kind, block.text, block.start + 1, path)
            diags.extend(sample_diags)
            draft.samples.append(sample)
            return section
        if draft.http is None and section == "intro" and info == "http":
            draft.http = (block.text, block.start + 1)
            return section
        if info == "http":
            draft.examples.append(block.text)
            return section
        if section == "intro":
            draft.intro.append(block)
        return section
    if block.kind == "paragraph":
        found = dialect.classify_heading(block.text) if block.text.lower().startswith("response body") else None
        if found is not None and found[0] == "response_body" and section in ("response", "response_body"):
            _open_section(draft, "response_body", found[1], block.start + 1)
            return "response_body"
        if section == "body":
            draft.body_text.append(block.text)
        elif section in ("response", "response_body"):
            draft.response_text.append(block.text)
        elif section == "intro":
            draft.intro.append(block)
        return section
    if section == "intro":
        draft.intro.append(block)
    return section


def _take_table(draft: _Draft, section: str, table: Table, path: str, diags: list[Diagnostic]) -> None:
    first = table.header[0].strip().lower() if table.header else ""
    if first in ("path part", "path parameter", "path parameters"):
        draft.path_params = table
    elif section == "query":
        draft.query_params = table
    elif section == "headers":
        draft.headers = table
    elif section == "path":
        draft.path_params = table
    elif section == "body":
        draft.body_table = table
    elif section in ("response", "response_body") and first == "response":
        for row in table.rows:
            status = row.cells[0].strip()
            description = row.cells[1].strip() if len(row.cells) > 1 else ""
            draft.codes.append(ResponseCode(status, description, row.line))
    elif section in ("response", "response_body"):
        draft.response_table = table
        if draft.response_body is None:
            draft.response_body = ("", table.line)
    else:
        diags.append(diag(path, table.line, "DG016", "a table outside any known section was ignored"))


def _raw(lines: list[str], block: Block) -> str:
    return "\n".join(lines[block.start : block.end]).strip()


def _finish(
    draft: _Draft,
    values: dict[str, tuple[str, int]],
    uid: str,
    uid_line: int,
    heading: str,
    lines: list[str],
    path: str,
    diags: list[Diagnostic],
) -> tuple[PageDoc | None, list[Diagnostic]]:
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
    description = "\n\n".join(_raw(lines, b) for b in draft.intro if b is not summary_block)
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
