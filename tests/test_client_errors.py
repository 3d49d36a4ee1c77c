"""Error paths against a local server we control: error bodies, empty bodies, malformed JSON,
timeouts and refused connections, in the sync and the async client alike."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ITEMS = "/api/v1/Example/5/Items"
DELETE = "/api/v1/Example/5"


def both(package: ModuleType, base: str, call: Callable[[Any], Any], **options: Any) -> list[Any]:
    """The outcome (result or exception) of `call` with the sync and with the async client."""
    outcomes: list[Any] = []
    with package.Client(base, **options) as client:
        try:
            outcomes.append(call(client))
        except Exception as error:
            outcomes.append(error)

    async def run() -> Any:
        async with package.AsyncClient(base, **options) as client:
            try:
                return await call(client)
            except Exception as error:
                return error

    outcomes.append(asyncio.run(run()))
    return outcomes


def test_json_error_body_is_kept(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_json({"Error": "gone", "Code": 17}, status=404, headers={"X-Trace": "t1"})
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ApiError) and not isinstance(outcome, seed_package.TransportError)
        assert (outcome.status_code, outcome.body, outcome.headers["X-Trace"]) == (404, {"Error": "gone", "Code": 17}, "t1")
        assert "HTTP 404" in str(outcome)


def test_server_error_with_a_text_body(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_data("upstream down", status=503, content_type="text/plain")
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ApiError)
        assert (outcome.status_code, outcome.body, outcome.content) == (503, "upstream down", b"upstream down")


def test_empty_bodies_are_none(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(DELETE, method="DELETE").respond_with_data("", status=204)
    httpserver.expect_request(ITEMS).respond_with_data("", status=200)
    base = httpserver.url_for("")
    assert both(seed_package, base, lambda c: c.example.delete_example_entity(5)) == [None, None]
    assert both(seed_package, base, lambda c: c.example.get_items(5)) == [None, None]


def test_malformed_json_is_an_api_error(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_data("[{not json", status=200, content_type="application/json")
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ApiError) and outcome.status_code == 200
        assert "not valid JSON" in str(outcome) and outcome.content == b"[{not json"


def test_an_answer_of_the_wrong_shape_is_an_api_error(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request("/api/v1/Agents/Example/CountItems", method="POST").respond_with_json({"count": 3})
    call = lambda c: c.example_agent.count_items(seed_package.models.CountItemsRequest(only_active=True))  # noqa: E731
    for outcome in both(seed_package, httpserver.url_for(""), call):
        assert isinstance(outcome, seed_package.ApiError) and outcome.body == {"count": 3}


def test_timeouts_are_transport_errors(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("[]", content_type="application/json")

    httpserver.expect_request(ITEMS).respond_with_handler(slow)
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5), timeout=0.2):
        assert isinstance(outcome, seed_package.TransportError) and outcome.status_code is None
        assert "timed out" in str(outcome)


def test_refused_connections_are_transport_errors(seed_package: ModuleType) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for outcome in both(seed_package, f"http://127.0.0.1:{port}", lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.TransportError)


def test_requests_are_built_from_the_model(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    """Path parts URL-encoded, wire names for query and headers, only what is given, auth, XSRF."""
    httpserver.expect_request(re.compile(r"^/api/v1/Example/.+/Items$")).respond_with_json([])
    base = httpserver.url_for("")
    with seed_package.Client(base, ticket="7T", xsrf_token="x1", headers={"SO-AppToken": "app"}) as client:
        assert client.example.get_items("a/b c", top=2, only_active=True) == []
    request, _ = httpserver.log[-1]
    assert request.environ["REQUEST_URI"] == "/api/v1/Example/a%2Fb%20c/Items?%24top=2&onlyActive=true"
    assert request.headers["Authorization"] == "SOTicket 7T"
    assert (request.headers["X-XSRF-TOKEN"], request.headers["SO-AppToken"]) == ("x1", "app")
    assert "SO-Language" not in request.headers


def test_bodies_are_sent_by_alias_without_unset_fields(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    import datetime

    httpserver.expect_request("/api/v1/Agents/Example/CountItems", method="POST").respond_with_json(12)
    since = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    body = seed_package.models.CountItemsRequest(since=since)
    outcomes = both(seed_package, httpserver.url_for(""), lambda c: c.example_agent.count_items(body))
    assert outcomes == [12, 12]
    request, _ = httpserver.log[-1]
    assert request.get_json() == {"Since": "2024-05-01T12:00:00+02:00"}
