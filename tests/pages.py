"""Small inline pages for unit tests, built from the reference's grammar."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic
from docgen.dialects.superoffice import SUPEROFFICE
from docgen.dialects.superoffice.reader import parse_page
from docgen.model.api import Api
from docgen.pages import build_pages

FRONT = "---\ntitle: {title}\nuid: {uid}\ngenerated: true\n---\n\n# {title}\n\n```http\n{method} {path}\n```\n\n"


def page(
    uid: str = "v1TestAgent_DoThing",
    method: str = "POST",
    path: str = "/api/v1/Agents/Test/DoThing",
    body: str = "",
    title: str = "POST Agents/Test/DoThing",
) -> str:
    return FRONT.format(uid=uid, method=method, path=path, title=title) + body


def table(*rows: str, header: str = "| Property Name | Type | Description |") -> str:
    return "\n".join([header, "|---|---|---|", *rows]) + "\n\n"


def response(type_name: str, rows: list[str], codes: str = "| 200 | OK |") -> str:
    return (
        "## Response:\n\nOK\n\n| Response | Description |\n|---|---|\n"
        + codes
        + f"\n\n### Response body: {type_name}\n\n"
        + table(*rows)
    )


def sample(kind: str, body: str) -> str:
    head = "## Sample request\n\n```http!\nPOST /x\n" if kind == "request" else "## Sample response\n\n```http_\nHTTP/1.1 200 OK\n"
    return head + "Content-Type: application/json\n\n" + body + "\n```\n\n"


def build(*texts: str) -> tuple[Api, list[Diagnostic]]:
    pages, diags = [], []
    for index, text in enumerate(texts):
        parsed, page_diags = parse_page(text, f"page{index}.md")
        diags.extend(page_diags)
        if parsed is not None:
            pages.append(parsed)
    api, build_diags = build_pages(pages, SUPEROFFICE)
    return api, diags + build_diags
