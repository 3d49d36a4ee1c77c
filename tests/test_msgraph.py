"""The Microsoft Graph dialect on small pages written from the reference's grammar: resource
pages (annotation, base, properties, relationships, enumerations), API pages (routes, OData
options, headers, the four body forms, responses in prose and in annotated examples), links
between pages, and the SDK and OpenAPI document made from them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from conftest import import_generated
from openapi_spec_validator import validate
from pytest_httpserver import HTTPServer

from docgen.cli import main
from docgen.config import Config
from docgen.dialects.msgraph import MSGRAPH
from docgen.dialects.msgraph.routes import operation_name, read_route
from docgen.dialects.msgraph.types import cell_type
from docgen.model.types import array, primitive, ref
from docgen.output.write import write_tree
from docgen.pages import build_pages, parse_source
from docgen.pipeline import run
from docgen.sources import read_sources


def resource(name: str, rows: str, base: str = "", extra: str = "", relationships: str = "", annotation: bool = True) -> str:
    based = f', "baseType": "microsoft.graph.{base}"' if base else ""
    note = f'<!-- {{\n  "blockType": "resource",\n  "@odata.type": "microsoft.graph.{name}"{based}\n}}-->\n' if annotation else ""
    related = f"\n## Relationships\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n{relationships}\n" if relationships else ""
    return (
        f'---\ntitle: "{name} resource type"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\n'
        f"Namespace: microsoft.graph\n\nRepresents a {name}.{extra}\n\n"
        f"## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n{rows}\n{related}\n"
        f"## JSON representation\n\n{note}\n```json\n{{}}\n```\n"
    )


def api_page(title: str, routes: str, body: str, response: str, more: str = "", examples: str = "", intro: str = "") -> str:
    return (
        f'---\ntitle: "{title}"\ndoc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n{intro or title}.\n\n'
        f"## HTTP request\n\n<!-- {{ \"blockType\": \"ignored\" }} -->\n\n```http\n{routes}\n```\n\n{more}"
        f"## Request headers\n\n| Name | Description |\n|:--|:--|\n| Authorization | Bearer {{token}}. Required. |\n"
        f"| Prefer | outlook.timezone. Optional. |\n\n"
        f"## Request body\n\n{body}\n\n## Response\n\n{response}\n\n## Examples\n\n### Request\n\n{examples}"
    )


PAGES = {
    "resources/entity.md": resource("entity", "| id | String | The identifier. Read-only. |", annotation=True),
    "resources/widget.md": resource(
        "widget",
        "| id | String | The identifier. Inherited from [entity](entity.md). |\n"
        "| displayName | String | The name. |\n"
        "| tags | String collection | Free tags. |\n"
        "| size | Int64 | Bytes. |\n"
        "| createdDateTime | DateTimeOffset | When. |\n"
        "| color | [widgetColor](#widgetcolor-values) | Its color. |\n"
        "| parts | [part](part.md) collection | What it is made of. |\n"
        "| location | [place](place.md) | Where it is; place.md is not among the pages. |\n"
        "| type | String | A name that is a keyword elsewhere. |",
        base="entity",
        relationships="| owner | [gadget](gadget.md) | Who owns it. Nullable. |",
        extra="\n\n### widgetColor values\n\n| Member | Value | Description |\n|:--|:--|:--|\n| red | 0 | Red. |\n| green | 1 | Green. |\n| unknownFutureValue | 2 | Later. |",
    ),
    "resources/part.md": resource("part", "| label | String | Its label. |\n| weight | Double | Its weight. |"),
    "resources/gadget.md": resource("gadget", "| id | String | Inherited from [entity](entity.md). |\n| model | String | The model. |"),
    "resources/shade.md": '---\ntitle: "shade enum type"\ndoc_type: enumPageType\n---\n\n# shade enum type\n\nNamespace: microsoft.graph\n\n## Members\n|Member|Value|Description|\n|:---|:---|:---|\n|light|0|Light.|\n|dark|1|Dark.|\n',
    "api/widget-list.md": api_page(
        "List widgets",
        "GET /widgets\nGET /users/{id | userPrincipalName}/widgets",
        "Do not supply a request body for this method.",
        "If successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.",
        more="## Optional query parameters\n\nThis method supports the `$select`, `$filter` and `$top` [OData query parameters](/graph/query-parameters).\n\n",
    ),
    "api/widget-get.md": api_page(
        "Get widget",
        "GET /widgets/{id}",
        "Do not supply a request body for this method.",
        "If successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.",
    ),
    "api/widget-post.md": api_page(
        "Create widget",
        "POST /widgets",
        "In the request body, supply a JSON representation of a [widget](../resources/widget.md) object.",
        "If successful, this method returns a `201 Created` response code and a [widget](../resources/widget.md) object in the response body.",
    ),
    "api/widget-update.md": api_page(
        "Update widget",
        "PATCH /widgets/{id}",
        "In the request body, supply the values for relevant fields that should be updated.\n\n| Property | Type | Description |\n|:--|:--|:--|\n| displayName | String | The name. |",
        "If successful, this method returns a `204 No Content` response code.",
        intro="Update the properties of a [widget](../resources/widget.md) object",
    ),
    "api/widget-delete.md": api_page(
        "Delete widget", "DELETE /widgets/{id}", "Do not supply a request body for this method.", "If successful, this method returns `204 No Content` response code."
    ),
    "api/widget-paint.md": api_page(
        "widget: paint",
        "POST /widgets/{id}/paint\nPOST /users/{id}/widgets/{id}/paint",
        "In the request body, provide a JSON object with the following parameters.\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n| color | String | The new color. |\n| coats | Int32 | How many. |",
        "If successful, this method returns a `200 OK` response code and a [part](../resources/part.md) object in the response body.",
    ),
    "api/widget-delta.md": api_page(
        "widget: delta",
        "GET /widgets/delta()",
        "Do not supply a request body for this method.",
        "If successful, this method returns a `200 OK` response code.",
        examples='<!-- {\n  "blockType": "response",\n  "@odata.type": "microsoft.graph.widget",\n  "isCollection": true\n} -->\n```http\nHTTP/1.1 200 OK\n```\n',
    ),
}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    return tmp_path / "docs"


def _api(docs: Path):  # type: ignore[no-untyped-def]
    sources = read_sources(sorted(docs.rglob("*.md")))
    pages = [p for p in (parse_source(s, MSGRAPH)[0] for s in sources) if p is not None]
    return build_pages(pages, MSGRAPH)


# --- the grammar -------------------------------------------------------------------------------


def test_type_cells() -> None:
    def t(cell: str):  # type: ignore[no-untyped-def]
        return cell_type(cell, "ref/resources/x.md", "microsoft.graph", {}).type

    assert t("String") == primitive("string")
    assert t("String collection") == array(primitive("string"))
    assert t("Collection(Int32)") == array(primitive("integer", "int32"))
    assert t("DateTimeOffset") == primitive("string", "date-time")
    assert t("Guid") == primitive("string", "uuid")
    assert t("[attendee](attendee.md) collection") == array(ref("#link:ref/resources/attendee.md"))
    assert t("[level](#level-values)") == ref("#link:ref/resources/x.md#level-values")
    assert t("riskLevel") == ref("microsoft.graph.riskLevel")
    assert cell_type("[Place](../resources/place.md)", "ref/api/x.md", "microsoft.graph", {}).links == (
        ("#link:ref/resources/place.md", "microsoft.graph.place"),
    )


def test_routes_are_made_openapi_paths() -> None:
    route = read_route("GET", "https://graph.microsoft.com/v1.0/users/{id | userPrincipalName}/events?$top=5")
    assert route is not None and route.path == "/users/{id}/events" and route.query == (("$top", "5"),)
    again = read_route("DELETE", "/applications/{id}/owners/{id}/$ref")
    assert again is not None and again.path == "/applications/{id}/owners/{owner-id}/$ref"
    drive = read_route("GET", "/me/drive/root:/{item-path}:/content")
    assert drive is not None and drive.path == "/me/drive/root:/{item-path}:/content"
    assert operation_name(read_route("GET", "/users/{id}/events"), True, False) == "ListEvents"  # type: ignore[arg-type]
    assert operation_name(read_route("POST", "/applications/{id}/addKey"), False, True) == "AddKey"  # type: ignore[arg-type]


# --- the model ---------------------------------------------------------------------------------


def test_resource_pages_make_schemas_with_bases_and_enums(docs: Path) -> None:
    api, diags = _api(docs)
    widget = api.schema("microsoft.graph.widget")
    assert widget is not None and widget.base == "microsoft.graph.entity"
    types = {p.name: p.type for p in widget.properties}
    assert types["parts"] == array(ref("microsoft.graph.part"))  # the linked page's annotated name
    assert types["color"] == ref("microsoft.graph.widgetColor")
    assert types["owner"] == ref("microsoft.graph.gadget")  # relationships are properties too
    assert types["location"] == ref("microsoft.graph.place")  # not among the pages: the link's text
    color = api.schema("microsoft.graph.widgetColor")
    assert color is not None and color.values == ("red", "green", "unknownFutureValue")
    shade = api.schema("microsoft.graph.shade")
    assert shade is not None and shade.values == ("light", "dark")
    gadget = api.schema("microsoft.graph.gadget")
    assert gadget is not None and gadget.base == "microsoft.graph.entity"  # from the rows: "Inherited from"
    assert not [d for d in diags if d.severity.value == "error"]


def test_api_pages_make_one_operation_per_route(docs: Path) -> None:
    api, _ = _api(docs)
    ops = {(op.method, op.path): op for op in api.operations}
    listing = ops[("GET", "/users/{id}/widgets")]
    assert listing.group == "Users" and {p.name for p in listing.parameters} >= {"id", "$select", "$filter", "$top", "Prefer"}
    page = listing.success
    assert page is not None and page.type == ref("microsoft.graph.widgetCollectionResponse")
    wrapper = api.schema("microsoft.graph.widgetCollectionResponse")
    assert wrapper is not None and [p.name for p in wrapper.properties] == ["value", "@odata.nextLink"]
    assert ops[("GET", "/widgets/{id}")].success.type == ref("microsoft.graph.widget")  # type: ignore[union-attr]
    create = ops[("POST", "/widgets")]
    assert create.success is not None and create.success.status == "201" and create.request_body is not None
    assert create.request_body.type == ref("microsoft.graph.widget")
    update = ops[("PATCH", "/widgets/{id}")]
    assert update.request_body is not None and update.request_body.type == ref("microsoft.graph.widget")
    assert [r.status for r in update.responses] == ["204"] and update.responses[0].type is None
    assert ops[("DELETE", "/widgets/{id}")].request_body is None
    paint = ops[("POST", "/widgets/{id}/paint")]
    body = api.schema(paint.request_body.type.name)  # type: ignore[union-attr]
    assert body is not None and [p.name for p in body.properties] == ["color", "coats"]
    assert ops[("POST", "/users/{id}/widgets/{widget-id}/paint")].request_body.type == paint.request_body.type  # type: ignore[union-attr]
    delta = ops[("GET", "/widgets/delta()")]
    assert delta.success is not None and delta.success.type == ref("microsoft.graph.widgetCollectionResponse")
    assert delta.name == "Delta" and listing.name == "ListWidgets" and update.name == "Update"
    assert ops[("GET", "/widgets")].name == "ListAll"


def test_the_dialect_is_told_by_the_pages(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(docs), "--out", str(tmp_path / "out"), "--no-cache", "--package", "graph"]) == 0
    assert "read as the Microsoft Graph v1.0 reference (msgraph)" in capsys.readouterr().err
    seed = Path(__file__).resolve().parent.parent / "input_docs"
    shutil.copytree(seed, docs / "superoffice")
    for n in range(6):
        shutil.copy(seed / "v1ChatAgent_SaveChatSessionEntity.md", docs / "superoffice" / f"copy{n}.md")
    assert main(["generate", str(docs), "--out", str(tmp_path / "mixed"), "--no-cache", "-q"]) == 1
    assert "DG033" in capsys.readouterr().err and not (tmp_path / "mixed").exists()


# --- what is generated -------------------------------------------------------------------------


@pytest.fixture
def graph_package(docs: Path, tmp_path: Path) -> tuple[ModuleType, dict[str, str], Path]:
    result = run(Config(inputs=(docs,), package="graph_sdk", title="Widgets"))
    out = tmp_path / "out"
    write_tree(out, result.files)
    return import_generated(out, "graph_sdk"), result.files, out


def test_the_openapi_document_validates_and_names_types_as_microsoft_does(graph_package: tuple[ModuleType, dict[str, str], Path]) -> None:
    _, files, _ = graph_package
    document = yaml.safe_load(files["openapi.yaml"])
    validate(document)
    schemas = document["components"]["schemas"]
    assert schemas["microsoft.graph.widget"]["allOf"][0] == {"$ref": "#/components/schemas/microsoft.graph.entity"}
    assert schemas["microsoft.graph.widgetColor"]["enum"] == ["red", "green", "unknownFutureValue"]
    assert list(document["components"]["securitySchemes"]) == ["Bearer"]
    assert "SoTicket" not in files["openapi.yaml"] and "ticket" not in files["graph_sdk/_client.py"]


def test_the_sdk_has_subclasses_enums_and_bearer_auth(graph_package: tuple[ModuleType, dict[str, str], Path]) -> None:
    package, files, out = graph_package
    models = package.models
    assert issubclass(models.Widget, models.Entity) and issubclass(models.Gadget, models.Entity)
    widget = models.Widget.model_validate({"id": "1", "color": "green", "parts": [{"label": "a"}], "extra": 1})
    assert widget.color is models.WidgetColor.GREEN and widget.parts[0].label == "a"
    assert models.WidgetColor("violet") == "violet"  # a value the server adds later
    assert "username" not in files["graph_sdk/_client.py"]
    assert "your-access-token" in files["README.md"] and "Cust12345" not in files["README.md"]
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "graph_sdk"], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def test_lists_page_by_the_next_link_with_a_bearer_token(graph_package: tuple[ModuleType, dict[str, str], Path], httpserver: HTTPServer) -> None:
    package, _, _ = graph_package
    next_page = httpserver.url_for("/widgets") + "?$skiptoken=2"
    httpserver.expect_request("/widgets", query_string={"$top": "2"}).respond_with_json(
        {"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": next_page}
    )
    httpserver.expect_request("/widgets", query_string={"$skiptoken": "2"}).respond_with_json({"value": [{"id": "3"}]})
    with package.Client(httpserver.url_for(""), token="t0k3n") as client:
        page = client.widgets.list_all(top=2)
        assert [w.id for w in page.value] == ["1", "2"] and page.odata_next_link == next_page
        rows = list(client.widgets.iter_list_all(page_size=2))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert all(request.headers["Authorization"] == "Bearer t0k3n" for request, _ in httpserver.log)
    assert [dict(request.args) for request, _ in httpserver.log] == [{"$top": "2"}, {"$top": "2"}, {"$skiptoken": "2"}]
    assert json.loads(httpserver.log[0][1].get_data())["value"][0]["id"] == "1"
