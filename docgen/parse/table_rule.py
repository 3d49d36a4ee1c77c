"""A GFM table block rule that only finds where a table starts and ends.

docgen reads a table's cells from the page's raw lines (parse/tables.py), so the inline tokens
markdown-it's own rule makes for every cell were built and thrown away: half the parse time of
the whole reference. This rule accepts exactly the tables markdown-it's does, ends them on the
same line, and emits one `table_open`/`table_close` pair with the span.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock

_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_DELIMITER_CHARS = frozenset("|-: \t")
_MAX_AUTOCOMPLETED_CELLS = 0x10000  # the limit markdown-it puts on cells it would have to invent


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _cells(text: str) -> int:
    """How many cells markdown-it counts in a trimmed row: split at each `|` not after a `\\`,
    without the empty cells outside the outer pipes."""
    if "\\" in text:
        pipes = sum(1 for i, ch in enumerate(text) if ch == "|" and (i == 0 or text[i - 1] != "\\"))
    else:
        pipes = text.count("|")
    count = pipes + 1
    if text.startswith("|"):
        count -= 1
    if count > 0 and text.endswith("|") and (len(text) < 2 or text[-2] != "\\"):
        count -= 1
    return count


def delimiter_columns(text: str) -> int:
    """Columns of a delimiter row (`|---|:---:|`), or 0 when it is not one."""
    if len(text) < 2 or text[0] not in "|-:" or text[1] not in "|-: \t":
        return 0
    if text[0] == "-" and text[1] in " \t":
        return 0  # a list item, not a table
    if not set(text) <= _DELIMITER_CHARS:
        return 0
    parts = text.split("|")
    columns = 0
    for index, part in enumerate(parts):
        cell = mdTrim(part)
        if not cell:
            if index in (0, len(parts) - 1):
                continue
            return 0
        if not _DELIMITER_CELL.match(cell):
            return 0
        columns += 1
    return columns


def table_span(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if start + 2 > end:
        return False
    second = start + 1
    if state.sCount[second] < state.blkIndent or state.is_code_block(second):
        return False
    if state.bMarks[second] + state.tShift[second] >= state.eMarks[second]:
        return False
    columns = delimiter_columns(_line(state, second))
    header = mdTrim(_line(state, start))
    if not columns or "|" not in header or state.is_code_block(start) or _cells(header) != columns:
        return False
    if silent:
        return True
    terminators = state.md.block.ruler.getRules("blockquote")
    parent = state.parentType
    state.parentType = "table"
    line = start + 2
    invented = 0
    # each row invents at most `columns` cells: a table too short to reach the limit needs no count
    counted = (end - line) * columns > _MAX_AUTOCOMPLETED_CELLS
    src, begins, shifts = state.src, state.bMarks, state.tShift
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        at = begins[line] + shifts[line]
        if src[at : at + 1] == "|":
            # a row that starts with `|` is not blank and can start no block that ends a table
            # (quote, fence, rule, list, HTML, heading): they all start with their own mark
            if state.is_code_block(line):
                break
            if counted:
                invented += columns - _cells(mdTrim(_line(state, line)))
                if invented > _MAX_AUTOCOMPLETED_CELLS:
                    break
            line += 1
            continue
        if at >= state.eMarks[line]:
            break  # a blank line ends the table (no rule that ends one starts on a blank line)
        if any(rule(state, line, end, True) for rule in terminators):
            break
        text = mdTrim(_line(state, line))
        if not text or state.is_code_block(line):
            break
        invented += columns - _cells(text)
        if invented > _MAX_AUTOCOMPLETED_CELLS:
            break
        line += 1
    opening = state.push("table_open", "table", 1)
    opening.map = [start, line]
    state.push("table_close", "table", -1)
    state.parentType = parent
    state.line = line
    return True


def use_span_tables(md: MarkdownIt) -> None:
    md.block.ruler.at("table", table_span, {"alt": ["paragraph", "reference"]})
