"""Pipe tables read from the page's raw lines, so ragged rows are seen rather than silently padded."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic, diag
from docgen.parse.page import Row, Table
from docgen.parse.table_rule import delimiter_columns


def split_row(line: str) -> list[str]:
    """Cells of one `| a | b |` line; `\\|` stays inside a cell, code spans are not special."""
    text = line.strip()
    text = text.removeprefix("|")
    if "\\|" not in text:  # the common row: no escaped bar, so str.split says it all
        return [cell.strip() for cell in (text[:-1] if text.endswith("|") else text).split("|")]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current).strip())
    return cells


def read_table(lines: list[str], start: int, end: int, path: str) -> tuple[Table, list[Diagnostic]]:
    """Table from source lines [start, end) (0-based; line numbers reported 1-based). In a table
    whose rows start with `|`, a line that does not is the previous row's text going on (a
    description with a line break in it), not a row of its own."""
    header = tuple(split_row(lines[start]))
    piped = lines[start].lstrip().startswith("|")
    rows: list[Row] = []
    diags: list[Diagnostic] = []
    columns = delimiter_columns(lines[start + 1].strip()) if start + 1 < end else 0
    if columns != len(header):
        diags.append(
            diag(
                path,
                start + 2,
                "DG007",
                f"the separator row has {columns} cells where the header has {len(header)}; the rows are read by the header",
            )
        )
    for index in range(start + 2, end):
        raw = lines[index]
        if not raw.strip():
            continue
        if piped and rows and not raw.lstrip().startswith("|"):
            previous = rows[-1]
            more = raw.strip().removesuffix("|").strip()
            rows[-1] = Row((*previous.cells[:-1], f"{previous.cells[-1]} {more}".strip()), previous.line)
            continue
        cells = split_row(raw)
        if len(cells) != len(header):
            diags.append(
                diag(
                    path,
                    index + 1,
                    "DG007",
                    f"row has {len(cells)} cells where the header has {len(header)}",
                )
            )
            cells = (cells + [""] * len(header))[: max(len(header), 1)]
        rows.append(Row(tuple(cells), index + 1))
    return Table(header, tuple(rows), start + 1), diags
