"""Checks of Graph pages against themselves: what a reader of the reference would trip over and
its authors can fix. Generation copes (a link to a missing page takes its text's name, a
property two pages type differently keeps the first page's type: DG012); lint names it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.msgraph.drafts import GraphReader
from docgen.dialects.msgraph.page import GraphPage
from docgen.dialects.msgraph.reader import REQUEST_LINE
from docgen.model.api import Api
from docgen.model.drafts import PageDraft

_CALL_WITH_PARENS = re.compile(r"/[A-Za-z][\w.]*\([^/]*\)$")


def lint(pages: list[GraphPage], api: Api) -> list[Diagnostic]:
    drafts = {page.path: GraphReader(page).read()[0] for page in sorted(pages, key=lambda p: p.path)}
    diags: list[Diagnostic] = []
    diags += answers_no_page_describes(api)
    diags += enumerations_never_defined(drafts)
    diags += functions_documented_as_post(pages)
    return diags


def answers_no_page_describes(api: Api) -> Iterator[Diagnostic]:
    """A route whose answer (or the rows of its list) is a type no page describes."""
    for op in api.operations:
        success = op.success
        if success is None or success.type is None:
            continue
        names = success.type.refs()
        schema = api.schema(names[0]) if names else None
        if schema is not None and not schema.enum and {"value", "@odata.nextLink"} <= {p.name for p in schema.properties}:
            rows = schema.property("value")
            names = rows.type.refs() if rows is not None else []
        for name in names:
            found = api.schema(name)
            if found is not None and not found.described:
                where = success.source
                yield diag(where.path, where.line, "DL015", f"{op.method} {op.path} answers with {name}, which no page describes")


def enumerations_never_defined(drafts: dict[str, PageDraft]) -> Iterator[Diagnostic]:
    """A link to an enumeration's anchor (`[x](page.md#x-values)`) that no page defines."""
    defined = {alias for draft in drafts.values() for alias, _ in draft.names}
    for path, draft in drafts.items():
        for alias, name in draft.fallbacks:
            page, _, anchor = alias.removeprefix("#link:").partition("#")
            if anchor and alias not in defined:
                line = next((s.source.line for s in draft.schemas for p in s.properties if alias in p.type.refs()), 1)
                yield diag(path, line, "DL016", f"{name} is linked as an enumeration ({page.rsplit('/', 1)[-1]}#{anchor}), which no page defines")


def functions_documented_as_post(pages: list[GraphPage]) -> Iterator[Diagnostic]:
    """A route that calls a function (arguments in parentheses) documented as POST: functions
    are GET, actions are POST."""
    for page in pages:
        for section in page.of("routes"):
            lines = [(line, fence.line + 1 + n) for fence in section.fences for n, line in enumerate(fence.text.split("\n"))]
            for text, line in lines:
                match = REQUEST_LINE.match(text)
                if match and match.group(1) == "POST" and _CALL_WITH_PARENS.search(match.group(2).split("?")[0]):
                    yield diag(page.path, line, "DL017", f"{match.group(2)[:80]} calls a function, which is GET, not POST")
