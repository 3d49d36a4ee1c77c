"""Building the intermediate model: merging across pages, naming, recovering types from samples."""

from __future__ import annotations

from pages import build, page, response, sample, table

from docgen.model.types import TypeRef, array, mapping, primitive, ref


def types(api, schema: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = api.schema(schema)
    assert found is not None, schema
    return {p.name: p.type.describe() for p in found.properties}


def test_request_and_response_tables_merge_into_the_most_specific_schema() -> None:
    body = (
        "## Request Body: thingEntity\n\nThe ThingEntity to save\n\n"
        + table("| Id | Integer | key |", "| When | String | when |")
        + response("ThingEntity", ["| Id | int32 | key |", "| When | date-time | when |", "| Extra | string | more |"])
    )
    api, diags = build(page(body=body))
    assert [d.code for d in diags] == []
    assert types(api, "ThingEntity") == {"Id": "integer:int32", "When": "string:date-time", "Extra": "string"}
    op = api.operations[0]
    assert op.request_body is not None and op.request_body.type == ref("ThingEntity")
    assert op.success is not None and op.success.type == ref("ThingEntity")
    assert (op.group, op.name) == ("TestAgent", "DoThing")


def test_conflicting_types_on_two_pages_are_reported_with_both_locations() -> None:
    first = page(uid="v1TestAgent_A", path="/api/v1/Agents/Test/A", body=response("Thing", ["| Id | int32 | key |"]))
    second = page(uid="v1TestAgent_B", path="/api/v1/Agents/Test/B", body=response("Thing", ["| Id | string | key |"]))
    api, diags = build(first, second)
    conflicts = [d for d in diags if d.code == "DG012"]
    assert len(conflicts) == 1
    assert conflicts[0].path == "page1.md" and "page0.md:" in conflicts[0].message
    assert types(api, "Thing") == {"Id": "integer:int32"}


def test_request_body_named_request_becomes_operation_request_schema() -> None:
    body = "## Request Body: request\n\nA, B\n\n" + table("| A | Integer | |", "| B | String | |")
    api, _ = build(page(body=body))
    assert api.operations[0].request_body.type == ref("DoThingRequest")  # type: ignore[union-attr]
    assert types(api, "DoThingRequest") == {"A": "integer", "B": "string"}


def test_an_untyped_body_that_says_it_is_a_stream_is_bytes() -> None:
    for heading, words in (("stream", "The document content."), ("content", "A stream to the content to be uploaded")):
        api, diags = build(page(method="PUT", path="/api/v1/Document/{id}/Content", body=f"## Request Body: {heading}\n\n{words}\n\n"))
        assert api.operations[0].request_body.type == primitive("string", "binary")  # type: ignore[union-attr]
        assert [d.code for d in diags if d.code in ("DG011", "DG022")] == ["DG022"]
    api, diags = build(page(body="## Request Body: content\n\nThe content to be saved\n\n"))
    assert api.operations[0].request_body.type.kind == "unknown"  # type: ignore[union-attr]


def test_unnamed_array_items_take_the_name_of_a_named_schema_with_the_same_properties() -> None:
    named = page(uid="v1TestAgent_One", path="/api/v1/Agents/Test/One", body=response("Message", ["| Id | int32 | |", "| Text | string | |"]))
    listed = page(
        uid="v1TestAgent_Many",
        path="/api/v1/Agents/Test/Many",
        body=response("array", ["| Id | int32 | |", "| Text | string | |"]).replace("## Response:", "## Response:array"),
    )
    api, _ = build(named, listed)
    many = next(op for op in api.operations if op.id == "v1TestAgent_Many")
    assert many.success is not None and many.success.type == array(ref("Message"))
    lonely, _ = build(listed)
    assert lonely.operations[0].success.type == array(ref("ManyItem"))  # type: ignore[union-attr]


def test_blank_types_are_recovered_from_the_sample_and_said_so() -> None:
    body = response("Thing", ["| Owner |  | who |", "| Tags | array | tags |", "| Rights | object | by field |", "| Gone |  | |"]) + sample(
        "response",
        '{"Owner": {"AssociateId": 1, "Name": "x"}, "Tags": ["a"], "Rights": {"fieldName": {"Right": "r"}}, "Gone": null}',
    )
    api, diags = build(page(body=body))
    assert types(api, "Thing") == {"Owner": "Owner", "Tags": "array<string>", "Rights": "map<Right>", "Gone": "unknown"}
    assert types(api, "Owner") == {"AssociateId": "integer:int32", "Name": "string"}
    assert sorted(d.code for d in diags) == ["DG010", "DG010", "DG010", "DG011"]
    unknown = next(d for d in diags if d.code == "DG011")
    assert "Thing.Gone" in unknown.message and unknown.line == 28


def test_keys_that_break_the_naming_convention_make_a_dictionary() -> None:
    body = response("Thing", ["| Columns |  | |"]) + sample("response", '{"Columns": {"fieldName": {"Value": 1}}}')
    api, _ = build(page(body=body))
    column = api.schema("Thing").properties[0].type  # type: ignore[union-attr]
    assert column.kind == "map" and column.item == ref("Column")


def test_an_array_in_the_request_sample_makes_a_list_body() -> None:
    body = "## Request Body: rules\n\nRules to save\n\n" + table("| Name | String | |") + sample("request", '[{"Name": "a"}]')
    api, _ = build(page(body=body))
    assert api.operations[0].request_body.type == array(ref("Rule"))  # type: ignore[union-attr]


def test_sample_objects_unify_with_the_schema_named_in_the_same_place() -> None:
    new = page(uid="v1TestAgent_Get", body=response("Session", ["| User | Associate | |"]))
    old = (
        "---\nid: v1TestAgent_Get\n---\n\n# Get\n\n```http\nPOST /api/v1/Agents/Test/DoThing\n```\n\n"
        + response("object", ["| User |  | |"])
        + sample("response", '{"User": {"AssociateId": 1}}')
    )
    api, diags = build(old, new)
    assert types(api, "Session") == {"User": "Associate"}
    assert types(api, "Associate") == {"AssociateId": "integer:int32"}
    assert [s.name for s in api.schemas] == ["Associate", "Session"]
    assert [d.code for d in diags if d.severity.value != "info"] == []
    assert len(api.operations) == 1 and len(api.operations[0].sources) == 2


def test_one_sample_object_in_the_place_of_two_named_schemas_ends_and_merges_neither() -> None:
    """Two copies of the same pair: the old pages' sample objects have the same keys, so they
    are one made-up schema that sits where `Associate` and where `Agent` sit. This used to
    swap the two names back and forth for ever."""

    def pair(suffix: str, schema: str) -> tuple[str, str]:
        uid, path = f"v1TestAgent_Get{suffix}", f"/api/v1/Agents/Test/Get{suffix}"
        new = page(uid=uid, path=path, body=response(f"Session{suffix}", [f"| User | {schema} | |"]))
        old = (
            f"---\nid: {uid}\n---\n\n# Get\n\n```http\nPOST {path}\n```\n\n"
            + response("object", ["| User |  | |"])
            + sample("response", '{"User": {"AssociateId": 1}}')
        )
        return old, new

    api, _ = build(*pair("", "Associate"), *pair("Two", "Agent"))
    assert types(api, "Session") == {"User": "Associate"}
    assert types(api, "SessionTwo") == {"User": "Agent"}
    assert {"Agent", "Associate"} <= {s.name for s in api.schemas}


def test_each_page_keeps_its_own_spelling_of_a_query_parameter() -> None:
    q = "## Query String Parameters\n\n"
    h = "| Parameter Name | Type | Description |"
    a = page(uid="v1TestAgent_Get", path="/api/v1/Agents/Test/Get", body=q + table("| thingId | int32 | |", header=h))
    b = page(uid="v1TestAgent_Del", path="/api/v1/Agents/Test/Del", body=q + table("| ThingId | int32 | |", header=h))
    c = page(uid="v1TestAgent_Top", path="/api/v1/Agents/Test/Top", body=q + table("| otherId | int32 | |", header=h))
    api, diags = build(a, b, c)
    names = {op.id: [p.name for p in op.parameters] for op in api.operations}
    assert names["v1TestAgent_Del"] == ["ThingId"] and names["v1TestAgent_Get"] == ["thingId"]
    assert [(d.code, d.path, d.severity.value) for d in diags] == [("DG021", "page1.md", "info")]


def test_undocumented_path_parameters_and_duplicate_routes() -> None:
    api, diags = build(page(path="/api/v1/Thing/{id}"), page(uid="v1Other_X", path="/api/v1/Thing/{id}"))
    assert [d.code for d in diags] == ["DG020", "DG020", "DG018"]
    assert len(api.operations) == 1
    assert api.operations[0].parameters[0].type == primitive("string")


def test_routes_that_differ_only_by_the_parameter_name_are_both_kept() -> None:
    parts = "| Path Part | Type | Description |\n|---|---|---|\n"
    by_id = page(uid="v1List_GetList", method="GET", path="/api/v1/List/{id}", body=parts + "| id | int32 | **Required** |\n\n")
    by_name = page(uid="v1List_GetListByName", method="GET", path="/api/v1/List/{name}", body=parts + "| name | string | **Required** |\n\n")
    api, diags = build(by_id, by_name)
    assert [d.code for d in diags] == []
    assert {(op.id, op.path, op.parameters[0].type.describe()) for op in api.operations} == {
        ("v1List_GetList", "/api/v1/List/{id}", "integer:int32"),
        ("v1List_GetListByName", "/api/v1/List/{name}", "string"),
    }


def test_placeholders_for_schemas_referenced_but_never_described() -> None:
    api, _ = build(page(body=response("Thing", ["| Right | TableRight | |"])))
    placeholder = api.schema("TableRight")
    assert placeholder is not None and not placeholder.described and placeholder.properties == ()


def test_enum_and_map_types_survive() -> None:
    assert mapping(ref("X")).describe() == "map<X>"
    assert TypeRef("enum", values=("A", "B")).describe() == "enum(A, B)"
