"""One page's Markdown -> a Document: its front matter and its top-level blocks with their
source lines, from markdown-it block tokens. What the blocks mean is the dialect's business
(dialects/<vendor>/reader.py); nothing here knows whose pages it reads."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen.diagnostics import Diagnostic, diag
from docgen.parse.frontmatter import FrontMatter, read_front_matter
from docgen.parse.table_rule import delimiter_columns, use_span_tables


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
    kind: str  # heading, fence, table, paragraph, html, other
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    text: str = ""  # heading/paragraph text, fence content, the html itself
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
            text = tokens[index + 1].content.strip()
            result.append(
                Block(
                    "table" if looks_like_table(text) else "paragraph",
                    start,
                    end,
                    "" if looks_like_table(text) else text,
                )
            )
        elif token.type == "fence":
            result.append(Block("fence", start, end, token.content, token.info.strip()))
        elif token.type == "table_open":
            result.append(Block("table", start, end))
        elif token.type == "html_block":
            result.append(Block("html", start, end, token.content))
        else:
            result.append(Block("other", start, end))
    return result


def looks_like_table(text: str) -> bool:
    """A paragraph that is a table but for its separator row's width (`|---|` under three
    columns): markdown-it reads it as text, and its rows would vanish without a word. As a
    table, read_table says what is wrong at the separator's line and reads the rows."""
    first, _, rest = text.partition("\n")
    second = rest.partition("\n")[0].strip()
    return "|" in first and "|" in second and delimiter_columns(second) > 0


@dataclass(frozen=True)
class Document:
    """A page as blocks: what every dialect's reader starts from."""

    path: str
    lines: list[str]
    front: FrontMatter | None
    blocks: list[Block]

    def raw(self, block: Block) -> str:
        return "\n".join(self.lines[block.start : block.end]).strip()


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [diag(path, 1, "DG001", f"not UTF-8 text ({error.reason} at byte {error.start})")]
    if "\x00" in text:
        return None, [diag(path, 1, "DG001", "binary content (NUL bytes)")]
    return text, []


def read_document(text: str, path: str) -> Document:
    """The page's front matter and blocks; the front matter's lines are blank to markdown-it,
    so every block keeps its own line number."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front = read_front_matter(lines)
    body_start = front.end if front is not None else 0
    masked = "\n" * body_start + "\n".join(lines[body_start:])
    return Document(path, lines, front, blocks_of(block_tokens(masked)))
