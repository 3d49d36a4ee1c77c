"""The output for input_docs/: the committed generated/ is its golden record, and it works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import yaml
from conftest import FIDELITY, ORACLE, ROOT, needs_shared
from openapi_spec_validator import validate

from docgen.config import Config
from docgen.dialects.superoffice.reader import parse_page
from docgen.output.check import compare_tree, read_tree
from docgen.pipeline import Result

SEED = ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md"


def test_committed_generated_folder_is_the_golden_record(seed_result: Result, project_config: Config) -> None:
    """generated/ is the one golden record of what input_docs/ makes: byte for byte, manifest too."""
    found = compare_tree(project_config.out, seed_result.files)
    assert found.up_to_date, f"run `docgen generate` and commit generated/: {found}"
    assert read_tree(project_config.out) == seed_result.files


def test_no_errors_on_input_docs(seed_result: Result) -> None:
    assert [d.render() for d in seed_result.diagnostics if d.severity.value == "error"] == []


def test_openapi_is_valid(seed_result: Result) -> None:
    document = yaml.safe_load(seed_result.files["openapi.yaml"])
    validate(document)
    op = document["paths"]["/api/v1/Agents/Chat/SaveChatSessionEntity"]["post"]
    assert op["operationId"] == "v1ChatAgent_SaveChatSessionEntity"
    assert op["tags"] == ["ChatAgent"]
    assert op["description"] == "NsApiSlow threshold: 5000 ms."


def test_chat_session_entity_has_33_typed_properties(seed_package: ModuleType) -> None:
    import datetime
    import typing

    model = seed_package.models.ChatSessionEntity
    model.model_rebuild()  # its sibling types resolve when first used; this test may come first
    fields = model.model_fields
    assert len(fields) == 33
    assert fields["when_requested"].validation_alias == fields["when_requested"].serialization_alias == "WhenRequested"
    assert fields["when_requested"].annotation == seed_package._runtime.DateTime | None
    assert typing.get_args(seed_package._runtime.DateTime)[0] is datetime.datetime
    assert fields["chat_session_id"].annotation == int | None
    assert fields["customer_consented"].annotation == bool | None
    assert fields["user"].annotation == seed_package.models.Associate | None
    assert "could be empty" in (fields["person"].description or "")


@pytest.mark.parametrize("kind", ["request", "response"])
def test_seed_samples_round_trip(seed_package: ModuleType, kind: str) -> None:
    parsed, _ = parse_page(SEED.read_text(encoding="utf-8"), str(SEED))
    assert parsed is not None
    sample = parsed.sample(kind)
    assert sample is not None and isinstance(sample.body, dict)
    entity = seed_package.models.ChatSessionEntity.model_validate(sample.body)
    dumped = entity.model_dump(by_alias=True, mode="json", exclude_unset=True)
    assert list(dumped) == list(sample.body)
    again = seed_package.models.ChatSessionEntity.model_validate(dumped)
    assert again == entity


def test_sync_client_sends_by_alias_and_parses_the_answer(seed_package: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ChatSessionId": 5, "WhenStarted": "2024-01-02T03:04:05+01:00"})

    models = seed_package.models
    with seed_package.Client("https://h/root", ticket="T", http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        result = client.chat_agent.save_chat_session_entity(models.ChatSessionEntity(chat_session_id=5), so_language="de")
    assert isinstance(result, models.ChatSessionEntity) and result.chat_session_id == 5
    request = seen[0]
    assert (request.method, str(request.url)) == ("POST", "https://h/root/api/v1/Agents/Chat/SaveChatSessionEntity")
    assert request.headers["Authorization"] == "SOTicket T"
    assert request.headers["SO-Language"] == "de"
    assert request.content == b'{"ChatSessionId":5}'


def test_async_client_with_path_and_query(seed_package: ModuleType) -> None:
    import asyncio

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"ItemId": 1, "class": "x", "Extra": {"A": 1}}])

    async def call() -> object:
        transport = httpx.MockTransport(answer)
        async with seed_package.AsyncClient("https://h", username="u", password="p", http_client=httpx.AsyncClient(transport=transport)) as client:
            return await client.example.get_items(12, top=3, mode="Full", only_active=False)

    items = asyncio.run(call())
    assert isinstance(items, list) and items[0].item_id == 1 and items[0].class_ == "x"
    assert items[0].model_extra == {}
    request = seen[0]
    assert request.url.path == "/api/v1/Example/12/Items"
    assert dict(request.url.params) == {"$top": "3", "$mode": "Full", "onlyActive": "false"}
    assert request.headers["Authorization"].startswith("Basic ")


def test_errors_are_typed(seed_package: ModuleType) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(404, json={"Error": "nope"}))
    client = seed_package.Client("https://h", http_client=httpx.Client(transport=transport))
    with pytest.raises(seed_package.ApiError) as caught:
        client.example.delete_example_entity(3)
    assert caught.value.status_code == 404 and caught.value.body == {"Error": "nope"}


def test_fidelity_of_input_docs_is_100_percent(seed_result: Result, tmp_path: Path) -> None:
    needs_shared()
    spec = tmp_path / "openapi.yaml"
    spec.write_text(seed_result.files["openapi.yaml"], encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(FIDELITY), str(spec), str(ROOT / "input_docs"), str(ORACLE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "fidelity: 100.0%"
