"""Which drafts are one schema and what it is called, on small inline pages: placeholder names
split from the tables they were pasted above, what the rest of the reference corrects, tables
the pages habitually cut short, and made-up names that never cross operations."""

from __future__ import annotations

from pages import build, page, response, sample, table

from docgen.dialects.superoffice.reader import parse_page
from docgen.model.api import Api
from docgen.model.types import array, mapping, primitive, ref
from docgen.report import compact_report


def props(api: Api, name: str) -> set[str]:
    found = api.schema(name)
    assert found is not None, (name, [s.name for s in api.schemas])
    return {p.name for p in found.properties}


def success(api: Api, uid: str) -> object:
    op = next(o for o in api.operations if o.id == uid)
    assert op.success is not None
    return op.success.type


def agent_page(op: str, type_name: str, rows: list[str], summary: str = "Does it.") -> str:
    text = response(type_name, rows).replace("## Response:\n\nOK", f"## Response:\n\n{summary}")
    return page(uid=f"v1TestAgent_{op}", path=f"/api/v1/Agents/Test/{op}", body=f"{summary}\n\n" + text)


def test_a_name_given_to_unrelated_tables_stays_with_the_one_its_page_is_named_for() -> None:
    own = agent_page("GetThing", "Thing", ["| ThingId | int32 | |", "| Label | string | |"])
    pasted = agent_page("GetWindowPosSize", "Thing", ["| Left | int32 | |", "| Top | int32 | |"], "Gets a WindowPosSize object.")
    other = agent_page("GetLicense", "Thing", ["| Owner | string | |", "| Expires | date-time | |"])
    api, diags = build(own, pasted, other)
    assert props(api, "Thing") == {"ThingId", "Label"}
    assert success(api, "v1TestAgent_GetWindowPosSize") == ref("WindowPosSize")  # the page's own prose
    assert props(api, "WindowPosSize") == {"Left", "Top"}
    license_type = success(api, "v1TestAgent_GetLicense")
    assert license_type == ref("GetLicenseResponse") and props(api, "GetLicenseResponse") == {"Owner", "Expires"}
    assert sorted(d.path for d in diags if d.code == "DG027") == ["page1.md", "page2.md"]
    assert sorted(d.path for d in diags if d.code == "DL011") == ["page1.md", "page2.md"]


def test_a_name_no_page_ties_to_any_of_its_tables_is_kept_by_none() -> None:
    first = agent_page("GetA", "Holder", ["| Left | int32 | |", "| Top | int32 | |"])
    second = agent_page("GetB", "Holder", ["| Owner | string | |"])
    user = agent_page("GetC", "Carrier", ["| Holder | Holder | |", "| Id | int32 | |"])
    api, _ = build(first, second, user)
    holder = api.schema("Holder")
    assert holder is not None and not holder.described  # a placeholder: none of the tables is it
    assert props(api, "GetAResponse") == {"Left", "Top"} and props(api, "GetBResponse") == {"Owner"}


def test_the_reference_corrects_a_row_typed_with_a_placeholder_name() -> None:
    pasted = [agent_page(f"Get{n}", "Recurrence", [f"| Field{n} | int32 | |"]) for n in ("A", "B")]
    carriers = [agent_page(f"Save{n}", f"Carrier{n}", ["| Id | int32 | |", "| Rights | Rights | |"]) for n in ("C", "D", "E")]
    odd = agent_page("SaveF", "CarrierF", ["| Id | int32 | |", "| Rights | Recurrence | |"])
    api, diags = build(*pasted, *carriers, odd)
    rights = api.schema("CarrierF").property("Rights")  # type: ignore[union-attr]
    assert rights is not None and rights.type == ref("Rights")
    assert any(d.code == "DG028" and "3 rows" in d.message for d in diags)


def test_a_declared_schema_whose_sample_is_a_map_is_a_map() -> None:
    person = agent_page("GetPerson", "PersonEntity", ["| PersonId | int32 | |", "| Firstname | string | |"])
    body = "## Request Body: request\n\nName, ConnectionData\n\n" + table("| Name | String | |", "| ConnectionData | PersonEntity | |")
    body += sample("request", '{"Name": "x", "ConnectionData": {"ConnectionData1": "a", "ConnectionData2": "b"}}')
    connect = page(uid="v1TestAgent_Connect", path="/api/v1/Agents/Test/Connect", body=body)
    api, diags = build(person, connect)
    request = api.schema("ConnectRequest")
    assert request is not None and request.property("ConnectionData").type == mapping(primitive("string"))  # type: ignore[union-attr]
    assert {"DG028", "DL014"} <= {d.code for d in diags}


def test_tables_that_leave_out_what_the_pages_habitually_leave_out_are_the_schema() -> None:
    pages = []
    for name in ("Alpha", "Beta", "Gamma"):
        full = [f"| {name}Id | int32 | |", f"| {name}Name | string | |", "| Rights | Rights | |", "| Props | object | |"]
        pages.append(agent_page(f"Get{name}", name, full))
        body = f"## Request Body: {name.lower()}s\n\nWhat to save\n\n" + table(f"| {name}Id | Integer | |", f"| {name}Name | String | |")
        body += sample("request", f'[{{"{name}Id": 1, "{name}Name": "x"}}]')
        pages.append(page(uid=f"v1TestAgent_Save{name}s", path=f"/api/v1/Agents/Test/Save{name}s", body=body))
    api, _ = build(*pages)
    for name in ("Alpha", "Beta", "Gamma"):
        op = next(o for o in api.operations if o.id == f"v1TestAgent_Save{name}s")
        assert op.request_body is not None and op.request_body.type == array(ref(name))
    lonely, _ = build(*pages[:2])  # one schema cut short is not yet a habit: nothing says it is Alpha
    op = next(o for o in lonely.operations if o.id == "v1TestAgent_SaveAlphas")
    assert op.request_body is not None and op.request_body.type == array(ref("TestAlpha"))
    said, _ = build(pages[0], pages[1].replace("What to save", "The AlphaThing to save").replace("| Alpha |", "| AlphaThing |"),
                    pages[0].replace("Response body: Alpha", "Response body: AlphaThing").replace("GetAlpha", "GetAlphaThing"))
    op = next(o for o in said.operations if o.id == "v1TestAgent_SaveAlphas")
    assert op.request_body is not None and op.request_body.type == array(ref("AlphaThing"))  # its prose names it


def test_made_up_names_never_cross_operations_and_are_qualified_between_groups() -> None:
    def delete(agent: str, field: str) -> str:
        body = "## Request Body: request\n\nId\n\n" + table(f"| {field} | Integer | |")
        return page(uid=f"v1{agent}Agent_Delete", path=f"/api/v1/Agents/{agent}/Delete", body=body)

    same = [page(uid=f"v1TestAgent_{op}", path=f"/api/v1/Agents/Test/{op}", body="## Request Body: request\n\nId\n\n" + table("| Id | Integer | |")) for op in ("Open", "Close")]
    api, _ = build(delete("Appointment", "AppointmentId"), delete("EMail", "MessageId"), *same)
    bodies = {op.id: op.request_body.type for op in api.operations if op.request_body}
    assert bodies["v1AppointmentAgent_Delete"] == ref("AppointmentDeleteRequest")
    assert bodies["v1EMailAgent_Delete"] == ref("EMailDeleteRequest")
    assert bodies["v1TestAgent_Open"] == ref("OpenRequest") and bodies["v1TestAgent_Close"] == ref("CloseRequest")


def test_a_string_whose_samples_are_timestamps_is_a_date_time() -> None:
    body = "## Request Body: request\n\nWhen\n\n" + table("| When | String | |", "| Note | String | |")
    body += sample("request", '{"When": "2023-02-01T10:20:30", "Note": "2023 was a year"}')
    api, diags = build(page(body=body))
    when = api.schema("DoThingRequest").property("When")  # type: ignore[union-attr]
    note = api.schema("DoThingRequest").property("Note")  # type: ignore[union-attr]
    assert when is not None and when.type == primitive("string", "date-time")
    assert note is not None and note.type == primitive("string")
    assert [d.code for d in diags] == ["DG029", "DL012"]


def test_array_query_items_from_the_example_url() -> None:
    query = "## Query String Parameters\n\n" + table("| ids | array | |", "| types | array | |", "| tags | array | |", header="| Parameter Name | Type | Description |")
    query += "```http\nGET /api/v1/Thing?ids=762,602\nGET /api/v1/Thing?types=None,Message\n```\n\n"
    api, diags = build(page(method="GET", path="/api/v1/Thing", body=query))
    types = {p.name: p.type for p in api.operations[0].parameters}
    assert types["ids"] == array(primitive("integer", "int32")) and types["types"] == array(primitive("string"))
    assert types["tags"].item is not None and types["tags"].item.kind == "unknown"  # no example: still unknown
    assert [d.code for d in diags] == ["DG030", "DG030"]


def test_a_row_that_goes_on_on_the_next_line_is_one_row() -> None:
    rows = table("| Person | Person | The person.", '<para>Use MDO List name "person" to get list items.</para> |', "| Id | int32 | key |")
    parsed, diags = parse_page(page(body="## Response:\n\nOK\n\n### Response body: Thing\n\n" + rows), "p.md")
    assert parsed is not None and parsed.response is not None and parsed.response.body_table is not None
    cells = [row.cells for row in parsed.response.body_table.rows]
    assert [c[0] for c in cells] == ["Person", "Id"] and cells[0][2].endswith("to get list items.</para>")
    assert diags == []


def test_a_body_with_nothing_to_go_on_is_a_lint_finding() -> None:
    _, diags = build(page(body="## Request Body: content\n\nThe content to upload\n\n"))
    assert {"DG011", "DL013"} <= {d.code for d in diags}
    lines = compact_report(diags, 1)
    assert len(lines) == 1 + len({d.code for d in diags}) and lines[1].startswith("DG011 warning")
