"""Every operation, called with the sync and the async client against Prism serving our own
openapi.yaml: Prism validates each request, our client parses each answer into its declared type."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from prism import Mock, async_violations, call_arguments, prism, prism_available, violations

from docgen.dialects.superoffice import SUPEROFFICE
from docgen.emit.python_client import method_names
from docgen.emit.python_names import PythonNames
from docgen.model.api import Api
from docgen.model.conventions import Paging
from docgen.pipeline import Result

CORPUS_SAMPLE = 40


def _calls(
    api: Api, package: ModuleType, limit: int | None, paging: Paging
) -> list[tuple[str, str, str, list[Any], dict[str, Any]]]:
    names = method_names(api, paging)
    classes = PythonNames(api).classes
    served = [op for op in api.operations if _prism_routes(op.path)]
    chosen = served if limit is None else served[:: max(1, len(served) // limit)]
    calls = []
    for op in chosen:
        group, method = names[op.id]
        args, kwargs = call_arguments(op, package, api, classes)
        calls.append((op.id, group, method, args, kwargs))
        if "pages:" + op.id in names:  # the page iterator, without the paging parameters
            paged = {k: v for k, v in kwargs.items() if k not in ("top", "skip", "top_")}
            calls.append((op.id, group, names["pages:" + op.id][1], args, {**paged, "page_size": 2}))
    return calls


def _prism_routes(path: str) -> bool:
    """Can Prism's router match the path? Not one with a function's arguments or a path
    addressed inside a segment (`range(address='{a}')`, `root:/{item-path}:`): it then finds no
    parameter at all. The client builds those paths as it builds any other (unit tests)."""
    return ":" not in path and not re.search(r"\([^)]", path)


def _prism_own_answer(error: Any) -> bool:
    """Prism, asked to check its answers (--errors), sometimes makes one its own check rejects
    (a random string for `format: byte`): a fault of the mock, not of the request or the client."""
    body = getattr(error, "body", None)
    if isinstance(body, dict) and str(body.get("type", "")).endswith("#SCHEMA_TOO_COMPLEX"):
        return True  # a schema its data faker gives up on (a deep graph of types)
    if getattr(error, "status_code", 0) == 500 and isinstance(body, dict) and str(body.get("type", "")).endswith("#UNKNOWN"):
        return True  # or fails on inside (after the request passed its checks), depending on its draw
    locations = [v.get("location", []) for v in body.get("validation", [])] if isinstance(body, dict) else []
    return bool(locations) and all(loc[:1] == ["response"] for loc in locations)


def _only_response(header: str) -> bool:
    """Do Prism's violations (its header, "Too many violations! " before a long list) concern its
    own made-up answer only, never the request?"""
    text = header.removeprefix("Too many violations! ").strip()
    try:
        found = json.loads(text)
    except ValueError:
        return "request" not in text and '["response"' in text  # a list cut short: what it names
    return all(x.get("location", [""])[0] == "response" for x in found)


def _fit(method: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """No page size for an iterator whose API pages by next link alone."""
    if "page_size" in kwargs and "page_size" not in inspect.signature(method).parameters:
        return {k: v for k, v in kwargs.items() if k != "page_size"}
    return kwargs


def _consume(result: Any) -> None:
    """Read what a method returns to its end: a binary answer, a page iterator."""
    if hasattr(result, "read") and hasattr(result, "iter_bytes"):
        result.read()
    elif hasattr(result, "by_page"):
        list(result)


async def _aconsume(result: Any) -> None:
    if hasattr(result, "by_page"):
        [row async for row in result]
        return
    answer = await result
    if hasattr(answer, "aread"):
        await answer.aread()


def call_everything(
    base: Mock, api: Api, package: ModuleType, limit: int | None = None, paging: Paging = SUPEROFFICE.conventions.paging
) -> int:
    """Every operation (or `limit` of them, spread over all) once with each client; the sync
    client authenticates with a token, the async one with another credential where it has one."""
    calls = _calls(api, package, limit, paging)
    seen: list[str] = []
    failures: list[str] = []
    sync_http = httpx.Client(event_hooks=violations(seen))
    with package.Client(base, token="s3cr3t", http_client=sync_http, max_retries=0) as client:
        for uid, group, method, args, kwargs in calls:
            try:
                call = getattr(getattr(client, group), method)
                _consume(call(*args, **_fit(call, kwargs)))
            except package.ClientError as error:
                if not base.revive(f"sync {uid}", error) and not _prism_own_answer(error):
                    failures.append(f"sync {uid}: {error} {getattr(error, 'body', '')}")
    sync_http.close()

    async def run_async() -> None:
        async with httpx.AsyncClient(event_hooks=async_violations(seen)) as http:
            async with package.AsyncClient(base, token="t0k3n", http_client=http, max_retries=0) as client:
                for uid, group, method, args, kwargs in calls:
                    try:
                        call = getattr(getattr(client, group), method)
                        result = call(*args, **_fit(call, kwargs))
                        await _aconsume(result)
                    except package.ClientError as error:
                        if not base.revive(f"async {uid}", error) and not _prism_own_answer(error):
                            failures.append(f"async {uid}: {error} {getattr(error, 'body', '')}")

    asyncio.run(run_async())
    seen = [v for v in seen if not _only_response(v.split(": ", 1)[1])]
    assert failures == [] and seen == [], "\n".join(failures + seen)
    # a mock that keeps dying or hanging tests nothing (and a client whose requests made it hang
    # would show here): a crash or a stall now and then is Prism's, not the client's
    assert len(base.crashes) <= 3, f"Prism died or hung on {base.crashes}"
    return len(calls)


def test_every_seed_operation_against_prism(seed_result: Result, seed_package: ModuleType, tmp_path: Path) -> None:
    prism_available()
    spec = tmp_path / "openapi.yaml"
    spec.write_text(seed_result.files["openapi.yaml"], encoding="utf-8")
    with prism(spec) as base:
        assert seed_result.api is not None
        assert len(seed_result.api.operations) == 7
        assert call_everything(base, seed_result.api, seed_package) == 8  # and the one page iterator


@pytest.mark.slow
def test_a_sample_of_corpus_operations_against_prism(corpus_result: Result, tmp_path: Path) -> None:
    prism_available()
    from test_corpus import corpus_package_from  # shares the corpus package

    package = corpus_package_from(corpus_result, tmp_path)
    spec = tmp_path / "openapi.yaml"
    spec.write_text(corpus_result.files["openapi.yaml"], encoding="utf-8")
    with prism(spec) as base:
        assert corpus_result.api is not None
        assert call_everything(base, corpus_result.api, package, CORPUS_SAMPLE) >= 30


def test_prism_catches_a_wrong_request(seed_result: Result, seed_package: ModuleType, tmp_path: Path) -> None:
    """The harness can fail: a broken path, a wrong query type and a wrong body are all caught."""
    prism_available()
    spec = tmp_path / "openapi.yaml"
    spec.write_text(seed_result.files["openapi.yaml"], encoding="utf-8")
    with prism(spec) as base, seed_package.Client(base, username="u", password="p", max_retries=0) as client:
        send = client._transport.request
        with pytest.raises(seed_package.NotFoundError):
            send("GET", "/api/v1/Example/12/Itemz")
        with pytest.raises(seed_package.ApiError) as wrong_query:
            send("GET", "/api/v1/Example/12/Items", query=[("$top", "many")])
        assert wrong_query.value.status_code == 422
        with pytest.raises(seed_package.ApiError) as wrong_body:
            send("POST", "/api/v1/Agents/Chat/SaveChatSessionEntity", json={"ChatSessionId": "seven"})
        assert wrong_body.value.status_code == 422
        assert "ChatSessionId" in str(wrong_body.value.body)
    with prism(spec) as base, seed_package.Client(base) as anonymous, pytest.raises(seed_package.AuthenticationError):
        anonymous.example.delete_example_entity(3)
