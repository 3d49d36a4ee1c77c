"""The generated client against a local HTTP server we control (pytest-httpserver), sync and
async alike: typed errors with the server's message, retries and Retry-After, the whole-request
timeout, binary downloads and uploads, repeated query keys, OData paging, per-call options,
redirects that take no credential elsewhere, and credentials that never leak."""

from __future__ import annotations

import asyncio
import datetime
import inspect
import io
import itertools
import json
import logging
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import ROOT, import_generated
from pages import page
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from docgen.config import Config
from docgen.output.write import write_tree
from docgen.pipeline import run as generate

ITEMS = "/api/v1/Example/5/Items"
DELETE = "/api/v1/Example/5"
PICTURE = "/api/v1/Example/5/Picture"
ALL = "/api/v1/Example"
COUNT = "/api/v1/Agents/Example/CountItems"


def one(package: ModuleType, base: str, call: Callable[[Any], Any], use_async: bool, **options: Any) -> Any:
    """The outcome (result or exception) of `call` with the sync or the async client."""
    options = {"max_retries": 0, **options}
    if not use_async:
        with package.Client(base, **options) as client:
            try:
                return call(client)
            except Exception as error:
                return error

    async def run() -> Any:
        async with package.AsyncClient(base, **options) as client:
            try:
                return await call(client)
            except Exception as error:
                return error

    return asyncio.run(run())


def both(package: ModuleType, base: str, call: Callable[[Any], Any], **options: Any) -> list[Any]:
    """The outcome (result or exception) of `call` with the sync and with the async client."""
    return [one(package, base, call, use_async, **options) for use_async in (False, True)]


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name"),
    [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"), (404, "NotFoundError"),
     (409, "ConflictError"), (412, "ConflictError"), (429, "RateLimitError"), (500, "ServerError"), (503, "ServerError"),
     (418, "ApiError"), (304, "NotModifiedError")],
)  # fmt: skip
def test_each_status_family_has_its_class_and_the_servers_message(
    httpserver: HTTPServer, seed_package: ModuleType, status: int, name: str
) -> None:
    body = {"ErrorMessage": f"the server says {status}", "ErrorType": "X"} if status != 304 else None
    if body is None:
        httpserver.expect_request(ITEMS).respond_with_data("", status=304)
    else:
        httpserver.expect_request(ITEMS).respond_with_json(body, status=status, headers={"X-Trace": "t1"})
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert type(outcome).__name__ == name and isinstance(outcome, seed_package.ApiError)
        assert not isinstance(outcome, seed_package.TransportError) and isinstance(outcome, seed_package.ClientError)
        assert outcome.status_code == status
        if body is not None:
            assert outcome.body == body and outcome.headers["X-Trace"] == "t1"
            assert str(outcome) == f"GET {ITEMS}: HTTP {status}: the server says {status}"


def test_a_text_error_body_and_a_redirect_that_is_not_followed(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_data("upstream down", status=502, content_type="text/plain")
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ServerError) and (outcome.body, outcome.content) == ("upstream down", b"upstream down")
        assert "upstream down" in str(outcome)
    httpserver.clear()
    httpserver.expect_request(DELETE, method="DELETE").respond_with_data("", status=302, headers={"Location": "/elsewhere"})
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.delete_example_entity(5)):
        assert isinstance(outcome, seed_package.RedirectError) and outcome.status_code == 302


def test_empty_malformed_and_mistyped_answers(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(DELETE, method="DELETE").respond_with_data("", status=204)
    httpserver.expect_request(ITEMS).respond_with_data("", status=200)
    base = httpserver.url_for("")
    assert both(seed_package, base, lambda c: c.example.delete_example_entity(5)) == [None, None]
    for outcome in both(seed_package, base, lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ResponseDecodeError) and "no body" in str(outcome)
    httpserver.clear()
    httpserver.expect_request(ITEMS).respond_with_data("[{not json", status=200, content_type="application/json")
    for outcome in both(seed_package, base, lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ResponseDecodeError) and outcome.content == b"[{not json"
    httpserver.clear()
    httpserver.expect_request(COUNT, method="POST").respond_with_json({"count": 3})
    call = lambda c: c.example_agent.count_items(seed_package.models.CountItemsRequest(only_active=True))  # noqa: E731
    for outcome in both(seed_package, base, call):
        assert isinstance(outcome, seed_package.ResponseDecodeError) and outcome.body == {"count": 3}


def test_no_answer_is_a_transport_error_not_an_api_error(seed_package: ModuleType) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for outcome in both(seed_package, f"http://127.0.0.1:{port}", lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.TransportError) and not isinstance(outcome, seed_package.ApiError)


# --- retries and the timeout ------------------------------------------------------------------


def _flaky(failures: int, status: int = 503, headers: dict[str, str] | None = None, answer: str = "[]") -> Callable[[Request], Response]:
    seen: list[float] = []

    def handler(request: Request) -> Response:
        seen.append(time.monotonic())
        if len(seen) <= failures:
            return Response('{"Message": "busy"}', status=status, headers=headers or {}, content_type="application/json")
        return Response(answer, content_type="application/json")

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


def test_a_get_is_retried_until_the_server_answers(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    for use_async in (False, True):
        httpserver.clear()
        handler = _flaky(2)
        httpserver.expect_request(ITEMS).respond_with_handler(handler)
        base = httpserver.url_for("")
        if use_async:

            async def run(base: str = base) -> Any:
                async with seed_package.AsyncClient(base, max_retries=2) as client:
                    return await client.example.get_items(5)

            assert asyncio.run(run()) == []
        else:
            with seed_package.Client(base, max_retries=2) as client:
                assert client.example.get_items(5) == []
        assert len(handler.seen) == 3  # type: ignore[attr-defined]


def test_a_post_is_not_retried_unless_asked(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    handler = _flaky(1, answer="12")
    httpserver.expect_request(COUNT, method="POST").respond_with_handler(handler)
    body = seed_package.models.CountItemsRequest(only_active=True)
    with seed_package.Client(httpserver.url_for(""), max_retries=3) as client:
        with pytest.raises(seed_package.ServerError):
            client.example_agent.count_items(body)
        assert len(handler.seen) == 1  # type: ignore[attr-defined]
        assert client.example_agent.count_items(body, request_options={"retry_non_idempotent": True}) == 12
    assert len(handler.seen) == 2  # type: ignore[attr-defined]


def test_retry_after_is_honoured(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    handler = _flaky(1, status=429, headers={"Retry-After": "1"})
    httpserver.expect_request(ITEMS).respond_with_handler(handler)
    with seed_package.Client(httpserver.url_for(""), max_retries=1) as client:
        assert client.example.get_items(5) == []
    first, second = handler.seen  # type: ignore[attr-defined]
    assert 0.9 <= second - first < 5


def test_the_timeout_bounds_the_whole_request(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    """Each chunk comes well within the timeout, the whole answer does not."""

    def drip(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"["
            for _ in range(8):
                time.sleep(0.15)
                yield b" "
            yield b"]"

        return Response(chunks(), content_type="application/json", direct_passthrough=True)

    httpserver.expect_request(ITEMS).respond_with_handler(drip)
    started = time.monotonic()
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5), timeout=0.5):
        assert isinstance(outcome, seed_package.RequestTimeoutError) and isinstance(outcome, seed_package.TransportError)
    assert time.monotonic() - started < 3
    with seed_package.Client(httpserver.url_for(""), max_retries=0) as client:
        assert client.example.get_items(5, request_options={"timeout": 5.0}) == []


# --- what goes on the wire --------------------------------------------------------------------


def test_requests_are_built_from_the_model(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    """Path parts encoded (a `..` cannot climb out), wire names, only what is given, repeated
    keys for arrays, auth, XSRF, per-call headers and query."""
    httpserver.expect_request(ALL).respond_with_json({"value": []})
    httpserver.expect_request("/api/v1/Example/../Items").respond_with_json([])  # as the server decodes it
    base = httpserver.url_for("")
    with seed_package.Client(base, ticket="7T", xsrf_token="x1", headers={"SO-AppToken": "app"}) as client:
        client.example.get_all(kinds=["Plain", "Fancy"], ids=[762, 602], request_options={"headers": {"X-Extra": "1"}, "query": {"trace": True}})
        assert client.example.get_items("..", top=2) == []
    (listed, _), (items, _) = httpserver.log[-2:]
    assert listed.args.getlist("kinds") == ["Plain", "Fancy"] and listed.args.getlist("ids") == ["762", "602"]
    assert listed.args["trace"] == "true" and listed.headers["X-Extra"] == "1"
    assert listed.headers["Authorization"] == "SOTicket 7T"
    assert (listed.headers["X-XSRF-TOKEN"], listed.headers["SO-AppToken"]) == ("x1", "app")
    assert listed.headers["User-Agent"].startswith("superoffice-api/1.0.0")
    assert items.environ["REQUEST_URI"] == "/api/v1/Example/%2E%2E/Items?%24top=2"


def test_bodies_are_sent_by_wire_name_without_unset_fields(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    import datetime

    httpserver.expect_request(COUNT, method="POST").respond_with_json(12)
    since = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    body = seed_package.models.CountItemsRequest(since=since)
    assert both(seed_package, httpserver.url_for(""), lambda c: c.example_agent.count_items(body)) == [12, 12]
    request, _ = httpserver.log[-1]
    assert request.get_json() == {"Since": "2024-05-01T12:00:00+02:00"}


def test_on_response_sees_the_raw_answer(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_json([], headers={"X-Rate": "9"})
    seen: list[Any] = []
    with seed_package.Client(httpserver.url_for("")) as client:
        client.example.get_items(5, request_options={"on_response": seen.append})
    assert seen[0].headers["X-Rate"] == "9" and seen[0].status_code == 200


# --- binary -----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 512


def test_binary_answers_stream_to_a_file(httpserver: HTTPServer, seed_package: ModuleType, tmp_path: Path) -> None:
    httpserver.expect_request(PICTURE).respond_with_data(PNG, content_type="image/png")
    with seed_package.Client(httpserver.url_for("")) as client:
        with client.example.get_picture(5, w=10) as picture:
            assert picture.media_type == "image/png"
            assert picture.write_to(tmp_path / "p.png") == len(PNG)
        assert client.example.get_picture(5).read() == PNG
    assert (tmp_path / "p.png").read_bytes() == PNG
    request, _ = httpserver.log[0]
    assert request.headers["Accept"] == "image/png, image/jpeg" and request.args["w"] == "10"

    async def run() -> bytes:
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            picture = await client.example.get_picture(5)
            chunks = [chunk async for chunk in picture.aiter_bytes()]
            again = await client.example.get_picture(5)
            assert await again.awrite_to(tmp_path / "a.png") == len(PNG)
            return b"".join(chunks)

    assert asyncio.run(run()) == PNG and (tmp_path / "a.png").read_bytes() == PNG


def test_uploads_take_bytes_a_file_or_a_path(httpserver: HTTPServer, seed_package: ModuleType, tmp_path: Path) -> None:
    httpserver.expect_request(PICTURE, method="PUT").respond_with_json(17)
    source = tmp_path / "up.png"
    source.write_bytes(PNG)
    with seed_package.Client(httpserver.url_for("")) as client:
        assert client.example.save_picture(5, PNG) == 17
        with source.open("rb") as handle:
            assert client.example.save_picture(5, handle) == 17
        assert client.example.save_picture(5, source) == 17

    async def run() -> int:
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            return int(await client.example.save_picture(5, source)) + int(await client.example.save_picture(5, io.BytesIO(PNG)))

    assert asyncio.run(run()) == 34
    for request, _ in httpserver.log:
        assert request.headers["Content-Type"] == "image/png" and request.get_data() == PNG


def test_an_upload_keeps_the_callers_content_type_takes_an_async_stream_and_refuses_a_str(
    httpserver: HTTPServer, seed_package: ModuleType, tmp_path: Path
) -> None:
    httpserver.expect_request(PICTURE, method="PUT").respond_with_json(17)
    jpeg = {"headers": {"content-type": "image/jpeg"}}
    with seed_package.Client(httpserver.url_for("")) as client:
        assert client.example.save_picture(5, b"\xff\xd8jpeg", request_options=jpeg) == 17
        with pytest.raises(TypeError, match=r"pathlib\.Path, not a str"):
            client.example.save_picture(5, str(tmp_path / "up.png"))

    async def chunks() -> Any:
        for part in (b"\x89PNG", b"\r\n", b"rest"):
            yield part

    async def run() -> int:
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            return int(await client.example.save_picture(5, chunks()))

    assert asyncio.run(run()) == 17
    (first, _), (second, _) = httpserver.log
    assert first.headers["Content-Type"] == "image/jpeg" and first.get_data() == b"\xff\xd8jpeg"
    assert second.headers["Content-Type"] == "image/png" and second.get_data() == b"\x89PNG\r\nrest"


# --- paging -----------------------------------------------------------------------------------


def test_odata_lists_follow_the_pages_lazily(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    base = httpserver.url_for("")

    def page(request: Request) -> Response:
        number = int(request.args.get("page", "1"))
        rows = [{"PrimaryKey": number * 10 + i, "created": f"2024-05-0{number}T12:00:00"} for i in range(2)]
        link = {"odata.nextLink": f"{base}/api/v1/Example?page={number + 1}"} if number < 3 else {}
        return Response(__import__("json").dumps({"value": rows, **link}), content_type="application/json")

    httpserver.expect_request(ALL).respond_with_handler(page)
    with seed_package.Client(base) as client:
        rows = iter(client.example.iter_get_all())
        first = next(rows)
        assert len(httpserver.log) == 1  # lazy: one page fetched for one row
        keys = [first["PrimaryKey"], *(row["PrimaryKey"] for row in rows)]
        whole = client.example.get_all().value
    assert keys == [10, 11, 20, 21, 30, 31] and first["created"] == "2024-05-01T12:00:00"
    assert whole is not None and whole[0] == first  # one rule for rows, whichever call read them: no guess

    async def run() -> list[int]:
        async with seed_package.AsyncClient(base) as client:
            return [row["PrimaryKey"] async for row in client.example.iter_get_all()]

    assert asyncio.run(run()) == [10, 11, 20, 21, 30, 31]


def test_without_a_next_link_pages_go_by_skip(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    def page(request: Request) -> Response:
        skip, top = int(request.args.get("$skip", "0")), int(request.args["$top"])
        rows = [{"Id": n} for n in range(skip, min(skip + top, 5))]
        return Response(__import__("json").dumps({"value": rows}), content_type="application/json")

    httpserver.expect_request(ALL).respond_with_handler(page)
    with seed_package.Client(httpserver.url_for("")) as client:
        assert [row["Id"] for row in client.example.iter_get_all(page_size=2)] == [0, 1, 2, 3, 4]
    assert [r.args.get("$skip") for r, _ in httpserver.log] == [None, "2", "4"]


def test_a_next_link_to_another_host_is_not_followed(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ALL).respond_with_json({"value": [{"Id": 1}], "odata.nextLink": "https://evil.example/steal"})
    with seed_package.Client(httpserver.url_for(""), ticket="secret") as client:
        assert [row["Id"] for row in client.example.iter_get_all()] == [1]


# --- redirects and credentials ----------------------------------------------------------------


def test_a_redirect_to_another_host_takes_no_credential(seed_package: ModuleType) -> None:
    first, second = HTTPServer(host="127.0.0.1"), HTTPServer(host="127.0.0.1")
    first.start()
    second.start()
    try:
        second.expect_request(ITEMS).respond_with_json([])
        first.expect_request("/api/v1/Example/5/Items").respond_with_data("", status=307, headers={"Location": second.url_for(ITEMS)})
        first.expect_request("/api/v1/Example/6/Items").respond_with_data("", status=307, headers={"Location": "/api/v1/Example/7/Items"})
        first.expect_request("/api/v1/Example/7/Items").respond_with_json([])
        options = {"ticket": "T1", "xsrf_token": "X", "headers": {"SO-AppToken": "app", "SO-Language": "en"}, "follow_redirects": True}
        with seed_package.Client(first.url_for(""), **options) as client:
            assert client.example.get_items(5) == [] and client.example.get_items(6) == []
        elsewhere, _ = second.log[-1]
        for header in ("Authorization", "X-XSRF-TOKEN", "SO-AppToken", "SO-Language"):
            assert header not in elsewhere.headers, header
        same_host, _ = first.log[-1]
        assert same_host.headers["Authorization"] == "SOTicket T1" and same_host.headers["SO-AppToken"] == "app"
    finally:
        first.stop()
        second.stop()


def test_credentials_never_show_and_a_broken_one_is_refused(seed_package: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    for given in ({"token": "s3cr3t\n"}, {"ticket": "s3cr3t\r\nX-Evil: 1"}, {"password": "s3cr3t\x00", "username": "u"},
                  {"headers": {"SO-AppToken": "s3cr3t\r\nX-Evil: 1"}}):  # fmt: skip
        with pytest.raises(ValueError) as refused:
            seed_package.Client("https://h", **given)
        assert "s3cr3t" not in str(refused.value)
    for given in ({"ticket": "s3cr3t"}, {"username": "u", "password": "pw"}):
        client = seed_package.Client("https://h", **given)
        assert "s3cr3t" not in repr(client) and "pw" not in repr(client)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with seed_package.Client(f"http://127.0.0.1:{port}", ticket="s3cr3t", max_retries=0) as dead:
        with pytest.raises(seed_package.TransportError) as failed:
            dead.example.get_items(5, request_options={"query": {"ticket": "s3cr3t"}})
    assert "s3cr3t" not in str(failed.value) and "s3cr3t" not in caplog.text


# --- what the client reads: bounded, and never waiting past the call's timeout ----------------


def test_an_endless_answer_stops_at_the_size_limit(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    def endless(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"["
            while True:
                yield b"1," * 32768

        return Response(chunks(), content_type="application/json", direct_passthrough=True)

    httpserver.expect_request(ITEMS).respond_with_handler(endless)
    started = time.monotonic()
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5), max_response_bytes=1 << 20):
        assert isinstance(outcome, seed_package.ResponseTooLargeError) and outcome.limit == 1 << 20
    assert time.monotonic() - started < 10
    with seed_package.Client("http://127.0.0.1:1") as client:
        assert client._transport.settings.max_response_bytes == 64 << 20  # the default bound


def test_a_compressed_answer_is_bounded_after_decompression(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    import gzip

    bomb = gzip.compress(b"[" + b" " * (80 << 20) + b"]", compresslevel=9)  # 80 KB that inflate to 80 MB
    assert len(bomb) < 1 << 20
    httpserver.expect_request(ITEMS).respond_with_data(bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.ResponseTooLargeError)


def test_an_answer_read_under_the_limits_is_the_servers_response_whole(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    """The bytes read under the call's limits become the response's content: a compressed answer
    parses, and the raw response is httpx's own, with its elapsed time and HTTP version
    (the test server speaks HTTP/1.0)."""
    import gzip

    body = gzip.compress(json.dumps([{"ItemId": 7}]).encode())
    headers = {"Content-Encoding": "gzip", "X-Request-Id": "r-2"}
    httpserver.expect_request(ITEMS).respond_with_data(body, content_type="application/json", headers=headers)
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert [item.item_id for item in outcome] == [7]
    with seed_package.Client(httpserver.url_for("")) as client:
        raw = seed_package.with_raw_response(client.example.get_items)(5).http_response
    assert raw.json() == [{"ItemId": 7}] and raw.text.startswith("[") and b"".join(raw.iter_bytes()) == raw.content
    assert raw.elapsed.total_seconds() >= 0 and raw.http_version == "HTTP/1.0" and raw.headers["X-Request-Id"] == "r-2"


def test_an_announced_length_over_the_limit_is_not_read(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_data(b"[" + b" " * 4096 + b"]", content_type="application/json")
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5), max_response_bytes=1000):
        assert isinstance(outcome, seed_package.ResponseTooLargeError)
    with seed_package.Client(httpserver.url_for(""), max_response_bytes=None) as client:
        assert client.example.get_items(5) == []


def test_a_download_is_bounded_only_when_a_call_asks(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(PICTURE).respond_with_data(PNG, content_type="image/png")
    with seed_package.Client(httpserver.url_for(""), max_response_bytes=1000) as client:
        assert client.example.get_picture(5).read() == PNG  # larger than the client's bound: a download
        with pytest.raises(seed_package.ResponseTooLargeError):
            client.example.get_picture(5, request_options={"max_response_bytes": 1000}).read()


def test_a_retry_never_waits_past_the_calls_timeout(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    handler = _flaky(10, status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request(ITEMS).respond_with_handler(handler)
    started = time.monotonic()
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5), timeout=2, max_retries=1):
        assert isinstance(outcome, seed_package.RateLimitError)
    assert time.monotonic() - started < 2


# --- what a client refuses when it is made ------------------------------------------------------


def test_two_credentials_for_one_header_or_no_base_url_are_refused_at_construction(seed_package: ModuleType) -> None:
    for client in (seed_package.Client, seed_package.AsyncClient):
        with pytest.raises(ValueError, match="ticket and token both set the Authorization header") as two:
            client("https://h", ticket="s3cr3t", token="t0k3n")
        assert "s3cr3t" not in str(two.value) and "t0k3n" not in str(two.value)
        assert client("https://h", ticket="T", xsrf_token="X")  # two headers: both are sent
        for base in ("", "/api", "h.example.com/x", "ftp://h.example.com"):
            with pytest.raises(ValueError, match="base_url must be the API's absolute address"):
                client(base)


# --- retries as the server asks, never on a bad certificate --------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "tries"),
    [(429, {}, 2), (503, {"Retry-After": "0"}, 2), (503, {}, 1), (409, {"x-should-retry": "true"}, 2), (400, {"x-should-retry": "true"}, 2)],
)  # fmt: skip
def test_a_post_is_retried_when_the_server_asks(
    httpserver: HTTPServer, seed_package: ModuleType, status: int, headers: dict[str, str], tries: int
) -> None:
    body = seed_package.models.CountItemsRequest(only_active=True)
    for use_async in (False, True):
        httpserver.clear()
        handler = _flaky(1, status=status, headers=headers, answer="12")
        httpserver.expect_request(COUNT, method="POST").respond_with_handler(handler)
        outcome = one(seed_package, httpserver.url_for(""), lambda c: c.example_agent.count_items(body), use_async, max_retries=1)
        assert len(handler.seen) == tries  # type: ignore[attr-defined]
        assert outcome == 12 if tries == 2 else isinstance(outcome, seed_package.ServerError)


def test_the_server_can_forbid_a_retry_and_a_call_can_switch_retries_off(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    cases = [({"x-should-retry": "false"}, {}, 1), ({}, {"max_retries": 0}, 1), ({}, {}, 2)]
    for (headers, options, tries), use_async in itertools.product(cases, (False, True)):
        httpserver.clear()
        handler = _flaky(1, status=503, headers=headers)
        httpserver.expect_request(ITEMS).respond_with_handler(handler)
        one(seed_package, httpserver.url_for(""), lambda c, o=options: c.example.get_items(5, request_options=o), use_async, max_retries=1)
        assert len(handler.seen) == tries, (headers, options, use_async)  # type: ignore[attr-defined]


def test_a_422_has_its_own_class(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_json({"Message": "bad date"}, status=422)
    for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert isinstance(outcome, seed_package.UnprocessableEntityError) and "bad date" in str(outcome)


def test_a_certificate_that_does_not_verify_is_never_retried(seed_package: ModuleType, tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    handshakes: list[int] = []

    def serve() -> None:  # a TLS server that counts the connections made to it
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            handshakes.append(1)
            try:
                context.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                conn.close()  # the client refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    base = f"https://127.0.0.1:{listener.getsockname()[1]}"
    try:
        for use_async in (False, True):
            outcome = one(seed_package, base, lambda c: c.example.get_items(5), use_async, max_retries=3)
            assert isinstance(outcome, seed_package.CertificateError), outcome
    finally:
        listener.close()
        thread.join(5)
    assert len(handshakes) == 2  # one connection a client: never retried


# --- values and the debug log -------------------------------------------------------------------


def test_a_naive_date_time_leaves_as_utc(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    entity = seed_package.models.ChatSessionEntity(when_requested=datetime.datetime(1815, 12, 10))
    assert entity.to_wire() == {"WhenRequested": "1815-12-10T00:00:00Z"}
    other = datetime.timezone(datetime.timedelta(hours=2))
    assert seed_package.models.ChatSessionEntity(when_requested=datetime.datetime(2024, 1, 1, tzinfo=other)).to_wire() == {
        "WhenRequested": "2024-01-01T00:00:00+02:00"
    }


def test_the_debug_log_says_method_url_status_and_time_and_no_secret(
    httpserver: HTTPServer, seed_package: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request(ITEMS).respond_with_json([])
    with caplog.at_level(logging.DEBUG, logger="superoffice_api"):
        for outcome in both(seed_package, httpserver.url_for(""), lambda c: c.example.get_items(5, request_options={"query": {"ticket": "s3cr3t"}}), ticket="t1ck3t"):
            assert outcome == []
    lines = [r.getMessage() for r in caplog.records if r.name == "superoffice_api"]
    assert len(lines) == 2 and all(re.fullmatch(r"GET http://(localhost|127\.0\.0\.1):\d+/api/v1/Example/5/Items -> 200 in \d+\.\d{3} s", line) for line in lines), lines
    assert "s3cr3t" not in str(lines) and "t1ck3t" not in str(lines)  # the server's own log has the query


# --- paging that keeps the server's link and reads past a capped page ----------------------------


def test_extra_query_is_merged_into_the_next_link_never_replacing_it(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    base = httpserver.url_for("")

    def page(request: Request) -> Response:
        number = int(request.args.get("page", "0"))
        link = {"odata.nextLink": f"{base}/api/v1/Example?page={number + 1}&$skiptoken=t{number + 1}"} if number < 2 else {}
        return Response(json.dumps({"value": [{"Id": number * 10 + i} for i in range(10)], **link}), content_type="application/json")

    httpserver.expect_request(ALL).respond_with_handler(page)
    options = {"query": {"x": "1"}}
    with seed_package.Client(base) as client:
        ids = [row["Id"] for row in client.example.iter_get_all(request_options=options)]

    async def run() -> list[int]:
        async with seed_package.AsyncClient(base) as client:
            return [row["Id"] async for row in client.example.iter_get_all(request_options=options)]

    assert ids == asyncio.run(run()) == list(range(30))
    sent = [(r.args.get("page"), r.args.get("$skiptoken"), r.args.get("x")) for r, _ in httpserver.log]
    assert sent == [(None, None, "1"), ("1", "t1", "1"), ("2", "t2", "1")] * 2


def test_a_server_that_caps_the_page_size_is_read_to_the_end(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    def page(request: Request) -> Response:
        skip, top = int(request.args.get("$skip", "0")), min(int(request.args["$top"]), 200)
        return Response(json.dumps({"value": [{"Id": n} for n in range(skip, min(skip + top, 1000))]}), content_type="application/json")

    httpserver.expect_request(ALL).respond_with_handler(page)
    base = httpserver.url_for("")
    with seed_package.Client(base) as client:
        ids = [row["Id"] for row in client.example.iter_get_all(page_size=500)]

    async def run() -> list[int]:
        async with seed_package.AsyncClient(base) as client:
            return [row["Id"] async for row in client.example.iter_get_all(page_size=500)]

    assert ids == asyncio.run(run()) == list(range(1000))
    assert len(httpserver.log) == 2 * 6  # five capped pages and the empty one that ends the list


# --- configuration from the environment, and copies with other options ---------------------------


def test_the_environment_gives_the_address_and_credentials_an_argument_overrides(
    httpserver: HTTPServer, seed_package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request(ITEMS).respond_with_json([])
    monkeypatch.setenv("SUPEROFFICE_API_BASE_URL", httpserver.url_for(""))
    monkeypatch.setenv("SUPEROFFICE_API_TICKET", "from-env")
    with seed_package.Client(max_retries=0) as client:
        assert client.example.get_items(5) == []
    with seed_package.Client(token="given", max_retries=0) as client:  # no mixing: not a ticket and a token
        assert client.example.get_items(5) == []

    async def run() -> Any:
        async with seed_package.AsyncClient(max_retries=0) as client:
            return await client.example.get_items(5)

    assert asyncio.run(run()) == []
    sent = [r.headers["Authorization"] for r, _ in httpserver.log]
    assert sent == ["SOTicket from-env", "Bearer given", "SOTicket from-env"]
    monkeypatch.delenv("SUPEROFFICE_API_BASE_URL")
    with pytest.raises(ValueError, match="none was given"):
        seed_package.Client()


def test_with_options_is_a_copy_that_shares_the_connections(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    handler = _flaky(1)
    httpserver.expect_request(ITEMS).respond_with_handler(handler)
    pool = httpx.Client()
    client = seed_package.Client(httpserver.url_for(""), ticket="T", max_retries=0, http_client=pool)
    patient = client.with_options(max_retries=1, headers={"SO-Language": "nb"})
    assert type(patient) is type(client) and patient._transport.http is pool
    assert patient.example.get_items(5) == []  # retried once
    with pytest.raises(seed_package.ServerError):
        handler.seen.clear()  # type: ignore[attr-defined]
        client.example.get_items(5)  # the original: no retry
    patient.close()
    assert not pool.is_closed  # the copy never closes what it shares
    (first, _), (second, _), (third, _) = httpserver.log
    assert first.headers["SO-Language"] == second.headers["SO-Language"] == "nb" and "SO-Language" not in third.headers
    assert all(r.headers["Authorization"] == "SOTicket T" for r in (first, second, third))
    with pytest.raises(ValueError, match="absolute address"):
        client.with_options(base_url="/relative")

    async def run() -> Any:
        async with seed_package.AsyncClient(httpserver.url_for(""), max_retries=0) as original:
            return type(original.with_options(timeout=3.0)).__name__, original.with_options(timeout=3.0)._transport.settings.timeout

    assert asyncio.run(run()) == ("AsyncClient", 3.0)
    pool.close()


def test_a_list_is_a_pager_of_rows_and_of_pages_sync_and_async(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    base = httpserver.url_for("")

    def page(request: Request) -> Response:
        number = int(request.args.get("page", "1"))
        link = {"odata.nextLink": f"{base}/api/v1/Example?page={number + 1}"} if number < 3 else {}
        return Response(json.dumps({"value": [{"Id": number}], **link}), content_type="application/json")

    httpserver.expect_request(ALL).respond_with_handler(page)
    with seed_package.Client(base) as client:
        pager = client.example.iter_get_all()
        assert len(httpserver.log) == 0  # nothing fetched before it is read
        pages = list(pager.by_page())
        assert [(p.items, p.has_next) for p in pages] == [([{"Id": 1}], True), ([{"Id": 2}], True), ([{"Id": 3}], False)]
        assert pages[0].next_link == f"{base}/api/v1/Example?page=2" and pages[-1].next_link is None
        assert [row["Id"] for row in pager] == [1, 2, 3]  # read again: from the first page

    async def run() -> tuple[list[int], list[bool]]:
        async with seed_package.AsyncClient(base) as client:
            pager = client.example.iter_get_all()  # no await: a pager, read with async for
            rows = [row["Id"] async for row in pager]
            return rows, [p.has_next async for p in pager.by_page()]

    assert asyncio.run(run()) == ([1, 2, 3], [True, True, False])


def test_headers_most_operations_take_are_client_settings(httpserver: HTTPServer, tmp_path: Path) -> None:
    seed = (ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md").read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in (1, 2, 3):  # three of four operations document SO-Language and the others
        text = seed.replace("v1ChatAgent_SaveChatSessionEntity", f"v1ChatAgent_Save{n}").replace("SaveChatSessionEntity", f"Save{n}")
        (docs / f"save{n}.md").write_text(text, encoding="utf-8")
    (docs / "plain.md").write_text(page(uid="v1ChatAgent_Plain", path="/api/v1/Agents/Chat/Plain"), encoding="utf-8")
    result = generate(Config(inputs=(docs,), package="shared_sdk", title="Shared"))
    write_tree(tmp_path / "out", result.files)
    sdk = import_generated(tmp_path / "out", "shared_sdk")
    assert "so_language" not in inspect.signature(sdk.Client("https://h").chat_agent.save1).parameters
    assert "so_language" in inspect.signature(sdk.Client).parameters
    httpserver.expect_request("/api/v1/Agents/Chat/Save1", method="POST").respond_with_json({})
    httpserver.expect_request("/api/v1/Agents/Chat/Plain", method="POST").respond_with_data("")
    with sdk.Client(httpserver.url_for(""), so_language="de", max_retries=0) as client:
        client.chat_agent.save1(sdk.models.ChatSessionEntity())
        client.chat_agent.plain()
        client.chat_agent.save1(sdk.models.ChatSessionEntity(), request_options={"headers": {"so-language": "nb"}})
    sent = [r.headers.get_all("SO-Language") for r, _ in httpserver.log]
    assert sent == [["de"], ["de"], ["nb"]]


def test_an_answer_is_validated_by_its_models_own_validator(seed_package: ModuleType) -> None:
    """Validating an answer builds the model's own validator (in a fresh process, where no test
    built it before), which its constructor then uses: an adapter's, built beside it, would make
    the first constructor call build the model a second time."""
    probe = (
        "import httpx, superoffice_api as sdk\n"
        "answer = lambda request: httpx.Response(200, json={'value': []})\n"
        "client = sdk.Client('https://h', http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
        "assert not sdk.models.ODataSlimResponse.__pydantic_complete__\n"
        "client.example.get_all()\n"
        "print(sdk.models.ODataSlimResponse.__pydantic_complete__)\n"
    )
    where = str(Path(seed_package.__file__).parent.parent)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": where}, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "True"), done.stderr[-2000:]


def test_with_raw_response_gives_the_answer_beside_the_value(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_json([], headers={"X-Request-Id": "r-1"})
    hooked: list[int] = []
    with seed_package.Client(httpserver.url_for("")) as client:
        raw = seed_package.with_raw_response(client.example.get_items)(5, request_options={"on_response": lambda r: hooked.append(r.status_code)})
        assert (raw.status_code, raw.headers["X-Request-Id"], raw.content, raw.parse()) == (200, "r-1", b"[]", [])
        assert hooked == [200]  # the caller's own hook still runs
        with pytest.raises(TypeError, match="made no request"):
            seed_package.with_raw_response(client.example.iter_get_all)()

    async def run() -> Any:
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            raw = await seed_package.with_raw_response(client.example.get_items)(5)
            return raw.status_code, raw.parse()

    assert asyncio.run(run()) == (200, [])


def test_with_raw_response_is_typed_from_the_method(seed_package: ModuleType, tmp_path: Path) -> None:
    out = Path(seed_package.__file__).parent.parent
    (tmp_path / "use.py").write_text(
        "import asyncio\n\n"
        "from superoffice_api import AsyncClient, Client, RawResponse, with_raw_response, with_streaming_response\n\n"
        "with Client('https://h') as client:\n"
        "    raw: RawResponse[int] = with_raw_response(client.example.save_picture)(5, b'png')\n"
        "    print(raw.parse() + 1, raw.headers.get('etag'))\n"
        "    with with_streaming_response(client.example.save_picture)(5, b'png') as response:\n"
        "        number: int = response.parse()\n"
        "        print(number, [len(chunk) for chunk in response.iter_bytes()])\n\n\n"
        "async def main() -> None:\n"
        "    async with AsyncClient('https://h') as client:\n"
        "        raw = await with_raw_response(client.example.save_picture)(5, b'png')\n"
        "        value: int = raw.parse()\n"
        "        print(value)\n"
        "        async with with_streaming_response(client.example.save_picture)(5, b'png') as streamed:\n"
        "            later: int = await streamed.parse()\n"
        "            print(later)\n\n\n"
        "asyncio.run(main())\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "use.py"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(out)}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


def test_with_streaming_response_enters_before_the_body_and_parses_when_asked(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    """The body's second half is sent only once the caller is inside the block: a call that read
    the body before handing over the answer would get `"late"` there and fail to parse."""
    inside = threading.Event()

    def slow_body(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b'[{"ItemId": 1'
            yield b"}]" if inside.wait(5) else b'"late"'

        return Response(chunks(), content_type="application/json", headers={"X-Request-Id": "r-1"})

    httpserver.expect_request(ITEMS).respond_with_handler(slow_body)
    with seed_package.Client(httpserver.url_for("")) as client:
        with seed_package.with_streaming_response(client.example.get_items)(5) as response:
            assert (response.status_code, response.headers["X-Request-Id"]) == (200, "r-1")
            assert not response.http_response.is_stream_consumed
            inside.set()
            rows = response.parse()
        assert response.http_response.is_closed
        assert [row.item_id for row in rows] == [1]
        inside.clear()
        with seed_package.with_streaming_response(client.example.get_items)(5) as response:
            inside.set()
            assert b"".join(response.iter_bytes()) == b'[{"ItemId": 1}]'

    async def run() -> list[int]:
        inside.clear()
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            async with seed_package.with_streaming_response(client.example.get_items)(5) as response:
                assert not response.http_response.is_stream_consumed
                inside.set()
                return [row.item_id for row in await response.parse()]

    assert asyncio.run(run()) == [1]


def test_with_streaming_response_raises_an_error_status_and_gives_downloads_and_empty_answers(
    httpserver: HTTPServer, seed_package: ModuleType
) -> None:
    httpserver.expect_request(ITEMS).respond_with_json({"Message": "no such example"}, status=404)
    httpserver.expect_request(PICTURE, method="GET").respond_with_data(b"\x89PNG", content_type="image/png")
    httpserver.expect_request(DELETE, method="DELETE").respond_with_data(b"", status=204)
    with seed_package.Client(httpserver.url_for("")) as client:
        with pytest.raises(seed_package.NotFoundError, match="no such example"):
            with seed_package.with_streaming_response(client.example.get_items)(5):
                pytest.fail("an error status enters no block")
        with seed_package.with_streaming_response(client.example.get_picture)(5) as response:
            assert response.parse().read() == b"\x89PNG"
        with seed_package.with_streaming_response(client.example.delete_example_entity)(5) as response:
            assert (response.status_code, response.parse()) == (204, None)
        with pytest.raises(TypeError, match="made no request"):
            with seed_package.with_streaming_response(client.example.iter_get_all)():
                pass
        assert client.example.get_picture(5).read() == b"\x89PNG"  # outside a block: as before

    async def run() -> Any:
        async with seed_package.AsyncClient(httpserver.url_for("")) as client:
            async with seed_package.with_streaming_response(client.example.get_picture)(5) as response:
                return await (await response.parse()).aread()

    assert asyncio.run(run()) == b"\x89PNG"


def test_a_free_form_value_takes_a_string_too(httpserver: HTTPServer, tmp_path: Path) -> None:
    """A JSON Patch body: `value` is an Object that the page says may be a string."""
    body = (
        "## Request Body: changes\n\nA list of JSON Patch operations.\n\n"
        "| Property Name | Type | Description |\n|---|---|---|\n| op | String | add, replace, remove |\n"
        "| path | String | The property to change |\n| value | Object | The new value: a string or an object |\n\n"
        "## Sample request\n\n```http!\nPATCH /x\nContent-Type: application/json\n\n"
        '[{"op": "replace", "path": "/Name", "value": {}}]\n```\n\n'
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "patch.md").write_text(page(uid="v1Thing_Patch", method="PATCH", path="/api/v1/Thing/{id}", body=body), encoding="utf-8")
    result = generate(Config(inputs=(docs,), package="patch_sdk", title="Patch"))
    write_tree(tmp_path / "out", result.files)
    sdk = import_generated(tmp_path / "out", "patch_sdk")
    (name,) = [n for n in dir(sdk.models) if n.startswith("Change")]
    change = getattr(sdk.models, name)(op="replace", path="/Department", value="foo")
    assert change.to_wire() == {"op": "replace", "path": "/Department", "value": "foo"}


def test_a_group_too_large_for_one_module_is_made_of_parts(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docgen.emit.python_client as python_client

    monkeypatch.setattr(python_client, "MODULE_LINES", 150)  # the seed's Example group then takes parts
    result = generate(Config(inputs=(ROOT / "input_docs",), package="parts_sdk", title="Parts", jobs=1))
    parts = sorted(name for name in result.files if name.startswith("parts_sdk/groups/_example_"))
    assert len(parts) >= 2 and all(result.files[name].count("\n") < 400 for name in parts)
    assert "class ExampleOperations(\n" in result.files["parts_sdk/groups/example.py"]
    write_tree(tmp_path / "out", result.files)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "-p", "parts_sdk"],
        capture_output=True, text=True, cwd=tmp_path / "out", check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    sdk = import_generated(tmp_path / "out", "parts_sdk")
    httpserver.expect_request(ITEMS).respond_with_json([])
    httpserver.expect_request(DELETE, method="DELETE").respond_with_data("", status=204)
    for outcome in both(sdk, httpserver.url_for(""), lambda c: c.example.get_items(5)):
        assert outcome == []
    with sdk.Client(httpserver.url_for("")) as client:
        assert client.example.delete_example_entity(5) is None  # from another part
        assert isinstance(client.example, sdk.groups.example.ExampleOperations)


def test_the_base_url_of_a_callers_httpx_client_is_the_address(httpserver: HTTPServer, seed_package: ModuleType) -> None:
    httpserver.expect_request(ITEMS).respond_with_json([])
    with seed_package.Client(http_client=httpx.Client(base_url=httpserver.url_for("")), max_retries=0) as client:
        assert client.example.get_items(5) == []
    with pytest.raises(ValueError, match="absolute address"):
        seed_package.Client(http_client=httpx.Client())
