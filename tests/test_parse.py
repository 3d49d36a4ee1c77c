"""The page parser on small inline pages: every section of the grammar, every dialect."""

from __future__ import annotations

import pytest
from conftest import ROOT
from pages import build, page, response, sample, table

from docgen.dialects.superoffice.reader import parse_page
from docgen.parse.markdown import decode


def codes(diags: list) -> list[str]:  # type: ignore[type-arg]
    return [d.code for d in diags]


def test_front_matter_heading_http_and_description() -> None:
    text = page(body="Does the thing.\n\nNsApiSlow threshold: 5000 ms.\n\n* a list item\n\n## Filter Operators: ##\n\nints: eq\n")
    parsed, diags = parse_page(text, "p.md")
    assert parsed is not None and diags == []
    assert (parsed.uid, parsed.title, parsed.generated) == ("v1TestAgent_DoThing", "POST Agents/Test/DoThing", True)
    assert (parsed.method, parsed.http_path, parsed.http_line) == ("POST", "/api/v1/Agents/Test/DoThing", 10)
    assert parsed.summary == "Does the thing."
    assert "NsApiSlow threshold: 5000 ms." in parsed.description
    assert "* a list item" in parsed.description and "ints: eq" in parsed.description


def test_older_dialect_id_and_plain_response_body_paragraph() -> None:
    text = (
        "---\ntitle: DoThing\nid: v1TestAgent_DoThing\n---\n\n# DoThing\n\n```http\nPOST /api/v1/Agents/Test/DoThing\n```\n\n"
        "## Response: object\n\nA carrier.\n\n| Response | Description |\n|---|---|\n| 200 | OK |\n\n"
        "Response body: object\n\n" + table("| Id | int32 | key |", "| Owner |  | who |")
    )
    parsed, diags = parse_page(text, "p.md")
    assert parsed is not None and diags == []
    assert parsed.uid == "v1TestAgent_DoThing" and not parsed.generated
    assert parsed.response is not None
    assert parsed.response.type_text == "object" and parsed.response.body_type_text == "object"
    assert [r.cells for r in parsed.response.body_table.rows] == [("Id", "int32", "key"), ("Owner", "", "who")]  # type: ignore[union-attr]
    assert parsed.response.description == "A carrier."


def test_headers_body_codes_samples() -> None:
    body = (
        "## Request Headers\n\n| Parameter Name | Description |\n|---|---|\n| SO-Language | lang |\n\n"
        "## Request Body: chatSessionEntity \n\nThe entity that is saved \n\n"
        + table("| ChatSessionId | Integer | key |")
        + response("ChatSessionEntity", ["| ChatSessionId | int32 | key |"], "| 200 | OK |\n| 404 | Not found |")
        + sample("request", '{"ChatSessionId": 1}')
        + sample("response", '{"ChatSessionId": 2}')
    )
    parsed, diags = parse_page(page(body=body), "p.md")
    assert parsed is not None and diags == []
    assert parsed.headers is not None and parsed.headers.rows[0].cells == ("SO-Language", "lang")
    assert parsed.request_body is not None
    assert (parsed.request_body.name, parsed.request_body.description) == ("chatSessionEntity", "The entity that is saved")
    assert parsed.response is not None and [c.status for c in parsed.response.codes] == ["200", "404"]
    assert parsed.response.body_type_text == "ChatSessionEntity"
    request, reply = parsed.samples
    assert (request.kind, request.body, reply.kind, reply.body) == ("request", {"ChatSessionId": 1}, "response", {"ChatSessionId": 2})
    assert reply.headers == (("Content-Type", "application/json"),)


def test_path_parts_and_query_strings() -> None:
    body = (
        "Gets one.\n\n| Path Part | Type | Description |\n|---|---|---|\n| id | int32 | the id **Required** |\n\n"
        "## Query String Parameters\n\n"
        + table("| $select | string | columns |", "| $mode | Enum: Slim, Full | mode |", header="| Parameter Name | Type | Description |")
        + "```http\nGET /api/v1/Thing/{id}?$select=a\n```\n"
    )
    parsed, diags = parse_page(page(method="GET", path="/api/v1/Thing/{id}", body=body), "p.md")
    assert parsed is not None and diags == []
    assert parsed.path_params is not None and parsed.path_params.rows[0].cells[0] == "id"
    assert parsed.query_params is not None and [r.cells[0] for r in parsed.query_params.rows] == ["$select", "$mode"]
    assert parsed.description == ""


def test_ragged_rows_are_reported_with_their_line() -> None:
    body = "## Request Body: request\n\nx\n\n" + table("| A | int32 |", "| B | string | b | extra |")
    parsed, diags = parse_page(page(body=body), "p.md")
    assert parsed is not None
    assert codes(diags) == ["DG007", "DG007"]
    assert [d.line for d in diags] == [19, 20]
    assert parsed.request_body is not None and parsed.request_body.table is not None
    assert all(len(r.cells) == 3 for r in parsed.request_body.table.rows)


def test_a_separator_row_of_the_wrong_width_is_reported_and_the_rows_read() -> None:
    """`|---|` under three columns makes no table for markdown; the rows must not vanish."""
    rows = "| Name | string | the name |\n| Size | int32 | how big |\n"
    body = "## Request Body: request\n\nx\n\n| Property Name | Type | Description |\n|---|\n" + rows + "\n"
    parsed, diags = parse_page(page(body=body), "p.md")
    assert parsed is not None and parsed.request_body is not None and parsed.request_body.table is not None
    assert [(d.code, d.line) for d in diags] == [("DG007", 18)]
    assert "separator row has 1 cells where the header has 3" in diags[0].message
    assert [r.cells for r in parsed.request_body.table.rows] == [
        ("Name", "string", "the name"),
        ("Size", "int32", "how big"),
    ]
    api, _ = build(page(body=body))
    assert [p.name for p in api.schemas[0].properties] == ["Name", "Size"]


def test_invalid_sample_json_is_reported_not_raised() -> None:
    parsed, diags = parse_page(page(body=sample("response", '{"a": 1,,}')), "p.md")
    assert parsed is not None and codes(diags) == ["DG009"]
    assert diags[0].render() == "p.md:19:9: warning[DG009]: sample response is not valid JSON: Expecting property name enclosed in double quotes"


def test_very_deep_sample_json_does_not_raise() -> None:
    parsed, diags = parse_page(page(body=sample("response", "[" * 100000 + "]" * 100000)), "p.md")
    assert parsed is not None and codes(diags) == ["DG019"]


def test_missing_http_block_and_unknown_method_and_no_uid() -> None:
    no_http = "---\nuid: v1X_Y\n---\n\n# Y\n\nText.\n\n## Response:\n\nOK\n"
    assert codes(parse_page(no_http, "p.md")[1]) == ["DG004"]
    assert codes(parse_page(page(method="FETCH"), "p.md")[1]) == ["DG005"]
    assert codes(parse_page(page(path="api v1"), "p.md")[1]) == ["DG006"]
    not_reference = "# Just a README\n\nNothing here.\n"
    parsed, diags = parse_page(not_reference, "README.md")
    assert parsed is None and codes(diags) == ["DG002"]


def test_index_and_overview_pages_are_skipped_with_a_note() -> None:
    index = "---\ntitle: Archive_Agent\n---\n\n```http\n/api/v1/Archive/Agent\n```\n\n* [POST Agents/Archive/X](x.md)\n"
    intro = "---\ntitle: WebAPI\nuid: webapi_reference_intro\n---\n\n# WebAPI\n\nAbout the API.\n"
    with_uid_and_bare_path = "---\nuid: v1Archive\n---\n\n```http\n/api/v1/Archive/Agent\n```\n"
    for text in (index, intro, with_uid_and_bare_path):
        parsed, diags = parse_page(text, "index.md")
        assert parsed is None and codes(diags) == ["DG002"] and diags[0].severity.value == "info"
    no_uid_but_tables = "# X\n\n```http\nGET /x\n```\n\n## Response:\n\n| Response | Description |\n|---|---|\n| 200 | OK |\n"
    parsed, diags = parse_page(no_uid_but_tables, "x.md")
    assert parsed is None and "DG003" in codes(diags) and "DG002" not in codes(diags)


def test_bom_crlf_and_undecodable_bytes() -> None:
    text = "\ufeff" + page(body="Hello.\n").replace("\n", "\r\n")
    parsed, diags = parse_page(text, "p.md")
    assert parsed is not None and diags == [] and parsed.summary == "Hello."
    assert decode(b"\xff\xfe\x00bad", "p.md")[0] is None
    assert codes(decode(b"\xc3\x28", "p.md")[1]) == ["DG001"]


def test_line_ends_and_nuls_are_as_markdown_its_own_normalize_rule_makes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """block_tokens does what markdown-it's `normalize` rule did (it is off: a regex over every
    line end of every page): the same page comes out as with the rule on."""
    from docgen.parse import markdown

    text = (ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md").read_text(encoding="utf-8")
    text = text.replace("\n", "\r\n", 40).replace("existing ChatSessionEntity", "existing\x00ChatSessionEntity").replace("\n\n", "\r\r", 3)
    assert "\x00" in text and "\r" in text
    ours = parse_page(text, "p.md")
    with_rule = markdown._markdown()
    with_rule.core.ruler.enable(["normalize"])
    monkeypatch.setattr(markdown, "_MD", with_rule)
    assert parse_page(text, "p.md") == ours and ours[0] is not None
