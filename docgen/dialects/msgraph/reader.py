"""One Microsoft Graph reference page (a Document) -> GraphPage.

Every heading opens a section; HEADINGS (a rule chain) says what kind of section a heading opens.
A deeper heading no rule takes (`### Get the photo` under HTTP request) is more of the section
above it, and inside an Examples section every deeper heading (`### Request`, `#### Response`)
stays part of the examples. A section keeps its own prose, tables and fences; an annotation comment
(`<!-- { "blockType": ... } -->`) goes to the section it sits in and to the fence after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.msgraph.page import Annotation, Fence, GraphPage, Prose, Section
from docgen.model.routes import HTTP_METHODS
from docgen.parse.markdown import Block, Document
from docgen.parse.page import Table
from docgen.parse.ruler import Ruler
from docgen.parse.tables import read_table

HeadingRule = Callable[[str], "str | None"]  # a heading's text -> its argument ("" for none), None: not this kind

_TAB = re.compile(r"^\[[^\]]*\]\(#tab/")
_NAMESPACE = re.compile(r"^Namespace:\s*([\w.]+)", re.MULTILINE)
_REFDEF = re.compile(r"^\s*\[([^\]]+)\]:\s*(\S+)", re.MULTILINE)
_ANNOTATION = re.compile(r"^\s*<!--\s*(\{.*\})\s*-->\s*$", re.DOTALL)
_FIELD = re.compile(r'"([@\w.]+)"\s*:\s*("(?:[^"\\]|\\.)*"|true|false|-?\d+)')
REQUEST_LINE = re.compile(r"^\s*(" + "|".join(HTTP_METHODS) + r")\s+(\S.*?)\s*$")


def _heading(pattern: str, argument: bool = False) -> HeadingRule:
    compiled = re.compile(pattern, re.IGNORECASE)

    def rule(text: str) -> str | None:
        match = compiled.match(text)
        if match is None:
            return None
        return match.group(1) if argument else ""

    return rule


HEADINGS: Ruler[HeadingRule] = Ruler()
HEADINGS.push("properties", _heading(r"^(?:\w+\s+)?properties\b"))
HEADINGS.push("relationships", _heading(r"^(?:\w+\s+)?relationships\b"))
HEADINGS.push("json", _heading(r"^json\s+representation\b"))
HEADINGS.push("methods", _heading(r"^methods\b"))
HEADINGS.push("values", _heading(r"^`?(\w+)`?\s+values?\s*$", argument=True))
HEADINGS.push("members", _heading(r"^members\s*$"))
HEADINGS.push("routes", _heading(r"^http\s+requests?\b"))
HEADINGS.push("path", _heading(r"^path\s+parameters?\b"))
HEADINGS.push("functions", _heading(r"^function\s+parameters?\b"))
HEADINGS.push("query", _heading(r"^(?:optional\s+)?(?:odata\s+)?query\s+parameters?\b"))
HEADINGS.push("headers", _heading(r"^(?:optional\s+)?request\s+headers?\b"))
HEADINGS.push("body", _heading(r"^request\s+body\b"))
HEADINGS.push("response", _heading(r"^responses?\s*$"))
HEADINGS.push("examples", _heading(r"^examples?\b"))


def classify(text: str) -> tuple[str, str]:
    """(kind, argument) of a section heading; ("other", "") for any heading no rule takes."""
    cleaned = text.strip().strip("#").strip()
    for name, rule in zip(HEADINGS.names(), HEADINGS.rules(), strict=True):
        argument = rule(cleaned)
        if argument is not None:
            return name, argument
    return "other", ""


def annotation_of(text: str, line: int) -> Annotation | None:
    """The fields of an annotation comment: the JSON when it parses, else each `"key": value`
    the comment holds (the pages' annotations are hand-written, trailing commas and all)."""
    match = _ANNOTATION.match(text)
    if match is None or "blockType" not in match.group(1):
        return None
    fields: list[tuple[str, object]] = []
    try:
        found = json.loads(match.group(1))
        if isinstance(found, dict):
            fields = [(str(k), v) for k, v in found.items()]
    except ValueError:
        for key, value in _FIELD.findall(match.group(1)):
            fields.append((key, json.loads(value) if value.startswith('"') or value[0].isdigit() or value[0] == "-" else value == "true"))
    block_type = next((v for k, v in fields if k == "blockType"), "")
    return Annotation(block_type if isinstance(block_type, str) else "", tuple(fields), line)


@dataclass
class _Open:
    """A section as it is read."""

    kind: str
    heading: str
    level: int
    line: int
    argument: str = ""
    prose: list[Prose] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    raw_lines: list[tuple[str, int]] = field(default_factory=list)

    def frozen(self) -> Section:
        return Section(
            self.kind, self.heading, self.level, self.line, self.argument, tuple(self.prose), tuple(self.tables),
            tuple(self.fences), tuple(self.annotations), tuple(self.raw_lines),
        )  # fmt: skip


def recognises(document: Document) -> bool:
    """A Graph page: `doc_type: ...PageType` in its front matter, or a `Namespace: microsoft...` line."""
    front = document.front
    if front is not None and front.values.get("doc_type", ("", 0))[0].endswith("PageType"):
        return True
    return any(b.kind == "paragraph" and b.text.startswith("Namespace: microsoft.") for b in document.blocks[:12])


def read_page(document: Document) -> tuple[GraphPage | None, list[Diagnostic]]:
    path = document.path
    diags: list[Diagnostic] = []
    front = document.front
    values = front.values if front is not None else {}
    if front is None:
        diags.append(diag(path, 1, "DG003", "no front matter (--- block with title: and doc_type:)"))
    elif not front.closed:
        diags.append(diag(path, 1, "DG003", "front matter is never closed with ---"))
    title, title_line, namespace = "", 1, ""
    sections: list[_Open] = []
    current = _Open("intro", "", 0, 1)
    pending: Annotation | None = None
    parent: tuple[str, int] | None = None  # the kind and level of the heading deeper ones belong to
    for block in document.blocks:
        if block.kind == "heading":
            level = int(block.info[1:]) if block.info[1:].isdigit() else 1
            if _TAB.match(block.text):
                continue  # `# [HTTP](#tab/http)`: a tab of the examples, not a heading
            if not title and level == 1:
                title, title_line = block.text.strip(), block.start + 1
                continue
            sections.append(current)
            kind, argument = classify(block.text)
            if parent is not None and level > parent[1] and (kind == "other" or parent[0] == "examples"):
                kind, argument = parent[0], ""  # `### Get the photo` under HTTP request: the same section
            else:
                parent = (kind, level)
            current = _Open(kind, block.text, level, block.start + 1, argument)
            continue
        if block.kind == "html":
            found = annotation_of(block.text, block.start + 1)
            if found is not None:
                current.annotations.append(found)
                pending = found
            continue
        if block.kind == "fence":
            current.fences.append(Fence(block.info.lower(), block.text, block.start + 1, pending))
            pending = None
            continue
        if block.kind == "table":
            table, table_diags = read_table(document.lines, block.start, block.end, path)
            diags.extend(table_diags)
            current.tables.append(table)
            continue
        if block.kind == "other" and current.kind == "routes":
            _request_lines(document, block, current)  # an indented code block
            continue
        if block.kind == "paragraph":
            if not namespace and (found_ns := _NAMESPACE.match(block.text)):
                namespace = found_ns.group(1)
                continue
            current.prose.append(Prose(block.text, block.start + 1))
            if current.kind == "routes":
                _request_lines(document, block, current)
    sections.append(current)
    refdefs = tuple((label.strip().lower(), target) for label, target in _REFDEF.findall("\n".join(document.lines)))
    doc_type = values.get("doc_type", ("", 0))[0]
    page = GraphPage(path, namespace or "microsoft.graph", title, doc_type, title_line, tuple(s.frozen() for s in sections), refdefs)
    if not page.of("routes", "properties", "relationships", "values", "members", "json"):
        if doc_type == "apiPageType" or page.of("body", "response"):
            return None, [*diags, diag(path, title_line, "DG034", "an API page with no HTTP request section: it names no route")]
        return None, [diag(path, title_line, "DG002", "no HTTP request, properties or enumeration: not a reference page")]
    return page, diags


def _request_lines(document: Document, block: Block, section: _Open) -> None:
    """Requests written outside a fence (a fence the page forgot to open): `GET /path` lines."""
    for index in range(block.start, block.end):
        line = document.lines[index]
        match = REQUEST_LINE.match(line)
        if match and match.group(2).startswith("/"):
            section.raw_lines.append((line.strip(), index + 1))
