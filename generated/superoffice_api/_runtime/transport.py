"""Sending a request: the whole-request timeout, retries, redirects, errors, parsing, binary
downloads and OData paging, once for the sync client and once for the async one. The rules
they follow live in options.py; this module only does the I/O."""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any

import httpx
import pydantic

from .binary import AsyncBinaryResponse, BinaryResponse
from .errors import (
    CertificateError,
    RequestTimeoutError,
    ResponseDecodeError,
    ResponseTooLargeError,
    TransportError,
    error_for,
)
from .options import (
    MAX_REDIRECTS,
    Deadline,
    Paging,
    RequestOptions,
    Settings,
    checked_header,
    fill_path,
    headers_for,
    query_pairs,
    redirect_target,
    redirected_method,
    retry_delay,
    should_retry,
    wire_json,
)
from .paging import AsyncPager, Page, Pager
from .raw import STREAMING, Deferred

_UNSET: Any = object()
ODATA = Paging()  # rows under `value`, the next page under `@odata.nextLink`, the size in `$top`
_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}
Pairs = Iterable[tuple[str, object]]
# Named after the generated package (`<package>._runtime.transport`): its DEBUG lines say each
# request's method, URL without its query, status and time, and never a header.
LOG = logging.getLogger(__name__.split(".")[0])


def adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    found = _ADAPTERS.get(tp)
    if found is None:
        found = _ADAPTERS[tp] = pydantic.TypeAdapter(tp)
    return found


def parse(response: httpx.Response, tp: Any) -> Any:
    """The answer as the declared type; an empty, non-JSON or mismatching body is an error,
    never a silent None."""
    streaming = STREAMING.get()
    if streaming is not None and streaming.response is response:  # made when the caller asks
        raise Deferred(lambda: parse(response, tp))
    if not response.content:
        raise ResponseDecodeError(f"HTTP {response.status_code}: the server sent no body", response)
    try:  # the bytes validated as they are: no Python objects made and then validated again
        if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
            # the model's own validator: built once, it serves the model's constructor too,
            # where an adapter's would be built beside it
            return tp.model_validate_json(response.content)
        return adapter(tp).validate_json(response.content)
    except pydantic.ValidationError as exc:
        try:
            data = response.json()
        except ValueError:
            data = None
            message = "the body is not JSON"
        else:
            message = f"the body is not the declared type: {exc}"
        status = response.status_code
        raise ResponseDecodeError(f"HTTP {status}: {message}", response, data) from exc


class _Prepared:
    """What every attempt of one call sends."""

    def __init__(
        self,
        settings: Settings,
        method: str,
        path: str,
        path_params: Pairs,
        query: Pairs,
        headers: Pairs,
        accept: str | None,
        media_type: str | None,
        options: RequestOptions,
    ) -> None:
        self.method = method
        self.path = path
        self.url = (
            path
            if path.startswith(("http://", "https://"))
            else settings.base_url + fill_path(path, path_params)
        )
        params = query_pairs(query, options.get("query"))
        if path.startswith(("http://", "https://")) and params:  # a next link: kept whole
            link = httpx.URL(path)
            ours = {name for name, _ in link.params.multi_items()}
            extra = [(name, value) for name, value in params if name not in ours]
            self.url, params = str(link.copy_with(params=[*link.params.multi_items(), *extra])), []
        self.params: list[tuple[str, str]] | None = params or None
        # the client's headers were checked when it was made; a call's are checked here
        sent = {
            **settings.headers,
            **{k: checked_header(k, str(v)) for k, v in headers if v is not None},
        }
        if accept:
            sent["Accept"] = accept
        if media_type:
            sent["Content-Type"] = media_type
        own = options.get("headers")
        if own:  # the caller's headers win, whatever their case (a Content-Type the file has)
            given = {name.lower() for name in own}
            sent = {name: value for name, value in sent.items() if name.lower() not in given}
            sent.update({name: checked_header(name, value) for name, value in own.items()})
        self.headers = sent
        self.limit = options.get("max_retries", settings.max_retries)
        self.timeout = options.get("timeout", settings.timeout)
        self.max_bytes = options.get("max_response_bytes", settings.max_response_bytes)
        self.max_download = options.get("max_response_bytes")  # binary: only when the call asks
        self.hook = options.get("on_response")
        self.options = options

    def where(self) -> str:
        return f"{self.method} {self.path}"

    def too_large(self, limit: int) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{self.where()}: the answer is larger than {limit} bytes (max_response_bytes)",
            limit,
        )

    def check_length(self, response: httpx.Response, limit: int | None) -> None:
        """An answer that announces more than the limit is not read at all."""
        length = response.headers.get("content-length", "")
        if limit is not None and length.isdigit() and int(length) > limit:
            raise self.too_large(limit)

    def wait(self, deadline: Deadline, delay: float) -> float | None:
        """How long to wait before the next attempt; None when the wait would end past the
        call's deadline (the call then fails now rather than later)."""
        return delay if delay < deadline.left() else None


def _read(response: httpx.Response, content: bytes) -> httpx.Response:
    """The response itself, read: the bytes read under the call's limits become its content, as
    httpx's own `read()` sets them, so that it keeps its elapsed time, extensions and history
    (a copy would lose them, and cost about a twentieth of a small call)."""
    response._content = content  # pyright: ignore[reportPrivateUsage]
    return response


class Transport:
    """The sync client's transport."""

    def __init__(self, settings: Settings, http_client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.owns_http = http_client is None
        self.http = http_client if http_client is not None else httpx.Client()

    def close(self) -> None:
        if self.owns_http:
            self.http.close()

    def with_settings(self, settings: Settings) -> Transport:
        """A transport with other settings on the same connections (which it does not own)."""
        return Transport(settings, self.http)

    def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Pairs = (),
        query: Pairs = (),
        headers: Pairs = (),
        json: Any = _UNSET,
        content: Callable[[], Any] | None = None,
        media_type: str | None = None,
        accept: str | None = None,
        options: RequestOptions | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        call = _Prepared(
            self.settings,
            method,
            path,
            path_params,
            query,
            headers,
            accept,
            media_type,
            options or {},
        )
        streaming = STREAMING.get()
        stream = stream or streaming is not None
        body = _UNSET if json is _UNSET else wire_json(json)
        deadline = Deadline(call.timeout)  # the whole call, retries and their waits included
        attempt = 0
        while True:
            try:
                response = self._attempt(call, body, content, stream, deadline)
            except TransportError as exc:
                again = should_retry(method, attempt, call.limit, call.options, None)
                if not (exc.retryable and again):
                    raise
                wait = call.wait(deadline, retry_delay(attempt, self.settings, None))
                if wait is None:
                    raise
                time.sleep(wait)
                attempt += 1
                continue
            if response.is_success:
                if streaming is not None:
                    streaming.response = response
                return response
            if stream:
                response = _read(response, _read_all(call, response, call.max_bytes, deadline))
            if should_retry(method, attempt, call.limit, call.options, response):
                wait = call.wait(deadline, retry_delay(attempt, self.settings, response))
                if wait is not None:
                    time.sleep(wait)
                    attempt += 1
                    continue
            raise error_for(response)

    def _attempt(
        self,
        call: _Prepared,
        body: Any,
        content: Callable[[], Any] | None,
        stream: bool,
        deadline: Deadline,
    ) -> httpx.Response:
        method, url, headers = call.method, call.url, call.headers
        params: list[tuple[str, str]] | None = call.params
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(
                call, method, url, params, headers, body, content, deadline, stream
            )
            if call.hook is not None:
                call.hook(response)
            target = redirect_target(response) if self.settings.follow_redirects else None
            if target is None:
                return response
            response.close()
            new_method = redirected_method(response.status_code, method)
            if new_method != method:
                body, content = _UNSET, None
            method, params = new_method, None
            headers = headers_for(target, httpx.URL(url), headers)
            url = str(target)
        return response

    def _send(
        self,
        call: _Prepared,
        method: str,
        url: str,
        params: Any,
        headers: dict[str, str],
        body: Any,
        content: Callable[[], Any] | None,
        deadline: Deadline,
        stream: bool,
    ) -> httpx.Response:
        left = deadline.left()
        if left <= 0:
            raise RequestTimeoutError(f"{call.where()}: no answer within {deadline.seconds:g} s")
        try:
            request = self.http.build_request(
                method,
                url,
                params=params,
                headers=headers,
                json=None if body is _UNSET else body,
                content=content() if content is not None else None,
                timeout=httpx.Timeout(left),
            )
            started = time.monotonic()
            response = self.http.send(request, stream=True, follow_redirects=False)
            _log(request, response, started)
            if stream and response.is_success:
                try:
                    call.check_length(response, call.max_download)
                except BaseException:
                    response.close()
                    raise
                return response
            content_bytes = _read_all(call, response, call.max_bytes, deadline)
        except httpx.TimeoutException as exc:
            raise RequestTimeoutError(
                f"{call.where()}: no answer within {deadline.seconds:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise _no_answer(call, exc) from exc
        return _read(response, content_bytes)

    def download(self, method: str, path: str, **kwargs: Any) -> BinaryResponse:
        limit = (kwargs.get("options") or {}).get("max_response_bytes")
        return BinaryResponse(self.request(method, path, stream=True, **kwargs), limit)

    def pager(self, method: str, path: str, **kwargs: Any) -> Pager[Any]:
        """Rows of a list, page after page, fetched as they are needed: the server's next link
        when it gives one, else (where the server pages by offset) the offset by the page size."""
        return Pager(lambda: self._pages(method, path, **kwargs))

    def _pages(
        self,
        method: str,
        path: str,
        *,
        page_size: int | None,
        paging: Paging = ODATA,
        query: Pairs = (),
        **kwargs: Any,
    ) -> Iterator[Page[Any]]:
        cursor = _Cursor(path, list(query), page_size, paging, self.settings.base_url)
        while not cursor.done:
            response = self.request(method, cursor.target, query=cursor.query(), **kwargs)
            yield cursor.turn(parse(response, dict[str, Any]))


class AsyncTransport:
    """The async client's transport: the same rules, awaited."""

    def __init__(self, settings: Settings, http_client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.owns_http = http_client is None
        self.http = http_client if http_client is not None else httpx.AsyncClient()

    async def close(self) -> None:
        if self.owns_http:
            await self.http.aclose()

    def with_settings(self, settings: Settings) -> AsyncTransport:
        return AsyncTransport(settings, self.http)

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Pairs = (),
        query: Pairs = (),
        headers: Pairs = (),
        json: Any = _UNSET,
        content: Callable[[], Any] | None = None,
        media_type: str | None = None,
        accept: str | None = None,
        options: RequestOptions | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        call = _Prepared(
            self.settings,
            method,
            path,
            path_params,
            query,
            headers,
            accept,
            media_type,
            options or {},
        )
        import asyncio  # here, not at the top: a sync client's import does not pay for it

        streaming = STREAMING.get()
        stream = stream or streaming is not None
        body = _UNSET if json is _UNSET else wire_json(json)
        deadline = Deadline(call.timeout)  # the whole call, retries and their waits included
        attempt = 0
        while True:
            try:
                response = await self._attempt(call, body, content, stream, deadline)
            except TransportError as exc:
                again = should_retry(method, attempt, call.limit, call.options, None)
                if not (exc.retryable and again):
                    raise
                wait = call.wait(deadline, retry_delay(attempt, self.settings, None))
                if wait is None:
                    raise
                await asyncio.sleep(wait)
                attempt += 1
                continue
            if response.is_success:
                if streaming is not None:
                    streaming.response = response
                return response
            if stream:
                read = await _aread_all(call, response, call.max_bytes, deadline)
                response = _read(response, read)
            if should_retry(method, attempt, call.limit, call.options, response):
                wait = call.wait(deadline, retry_delay(attempt, self.settings, response))
                if wait is not None:
                    await asyncio.sleep(wait)
                    attempt += 1
                    continue
            raise error_for(response)

    async def _attempt(
        self,
        call: _Prepared,
        body: Any,
        content: Callable[[], Any] | None,
        stream: bool,
        deadline: Deadline,
    ) -> httpx.Response:
        method, url, headers = call.method, call.url, call.headers
        params: list[tuple[str, str]] | None = call.params
        for _ in range(MAX_REDIRECTS + 1):
            response = await self._send(
                call, method, url, params, headers, body, content, stream, deadline
            )
            if call.hook is not None:
                call.hook(response)
            target = redirect_target(response) if self.settings.follow_redirects else None
            if target is None:
                return response
            await response.aclose()
            new_method = redirected_method(response.status_code, method)
            if new_method != method:
                body, content = _UNSET, None
            method, params = new_method, None
            headers = headers_for(target, httpx.URL(url), headers)
            url = str(target)
        return response

    async def _send(
        self,
        call: _Prepared,
        method: str,
        url: str,
        params: Any,
        headers: dict[str, str],
        body: Any,
        content: Callable[[], Any] | None,
        stream: bool,
        deadline: Deadline,
    ) -> httpx.Response:
        import asyncio

        left = deadline.left()
        if left <= 0:
            raise RequestTimeoutError(f"{call.where()}: no answer within {deadline.seconds:g} s")
        try:
            async with asyncio.timeout(left):
                request = self.http.build_request(
                    method,
                    url,
                    params=params,
                    headers=headers,
                    json=None if body is _UNSET else body,
                    content=content() if content is not None else None,
                    timeout=httpx.Timeout(left),
                )
                started = time.monotonic()
                response = await self.http.send(request, stream=True, follow_redirects=False)
                _log(request, response, started)
                if stream and response.is_success:
                    try:
                        call.check_length(response, call.max_download)
                    except BaseException:
                        await response.aclose()
                        raise
                    return response
                content_bytes = await _aread_all(call, response, call.max_bytes, deadline)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise RequestTimeoutError(
                f"{call.where()}: no answer within {call.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise _no_answer(call, exc) from exc
        return _read(response, content_bytes)

    async def download(self, method: str, path: str, **kwargs: Any) -> AsyncBinaryResponse:
        limit = (kwargs.get("options") or {}).get("max_response_bytes")
        return AsyncBinaryResponse(await self.request(method, path, stream=True, **kwargs), limit)

    def pager(self, method: str, path: str, **kwargs: Any) -> AsyncPager[Any]:
        return AsyncPager(lambda: self._pages(method, path, **kwargs))

    async def _pages(
        self,
        method: str,
        path: str,
        *,
        page_size: int | None,
        paging: Paging = ODATA,
        query: Pairs = (),
        **kwargs: Any,
    ) -> AsyncIterator[Page[Any]]:
        cursor = _Cursor(path, list(query), page_size, paging, self.settings.base_url)
        while not cursor.done:
            response = await self.request(method, cursor.target, query=cursor.query(), **kwargs)
            yield cursor.turn(parse(response, dict[str, Any]))


def _read_all(
    call: _Prepared, response: httpx.Response, limit: int | None, deadline: Deadline
) -> bytes:
    """The answer's bytes, decompressed, read while they come and never more than `limit` of
    them (an endless or inflating body fails when it passes the limit), nor past the deadline.
    """
    try:
        call.check_length(response, limit)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if limit is not None and size > limit:
                raise call.too_large(limit)
            chunks.append(chunk)
            if deadline.left() <= 0:
                raise RequestTimeoutError(
                    f"{call.where()}: no whole answer within {deadline.seconds:g} s"
                )
        return b"".join(chunks)
    finally:
        response.close()


async def _aread_all(
    call: _Prepared, response: httpx.Response, limit: int | None, deadline: Deadline
) -> bytes:
    try:
        call.check_length(response, limit)
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if limit is not None and size > limit:
                raise call.too_large(limit)
            chunks.append(chunk)
            if deadline.left() <= 0:
                raise RequestTimeoutError(
                    f"{call.where()}: no whole answer within {deadline.seconds:g} s"
                )
        return b"".join(chunks)
    finally:
        await response.aclose()


def _paged(
    query: list[tuple[str, object]], page_size: int | None, skip: int, paging: Paging
) -> list[tuple[str, object]]:
    """The first request's query: the page size, and the offset where the server pages by one."""
    if not page_size:
        return query
    offset = [(paging.offset, skip or None)] if paging.offset else []
    return [*query, (paging.page_size, page_size), *offset]


class _Cursor:
    """Where a list's reading stands, for the sync and the async transport alike: the next
    request is the server's next link when it gave one, else (where the server pages by offset)
    the first request's path at the next offset."""

    def __init__(
        self,
        path: str,
        query: list[tuple[str, object]],
        page_size: int | None,
        paging: Paging,
        base_url: str,
    ) -> None:
        self.path, self.query_pairs, self.page_size, self.paging = path, query, page_size, paging
        self.base_url = base_url
        self.target, self.skip, self.longest, self.done = path, 0, 0, False

    def query(self) -> list[tuple[str, object]]:
        """The query of the next request: a next link carries its own."""
        if self.target != self.path:
            return []
        return _paged(self.query_pairs, self.page_size, self.skip, self.paging)

    def turn(self, answer: Mapping[str, Any]) -> Page[Any]:
        """The page of this answer; the cursor moves to the next one, or is done."""
        rows = answer.get(self.paging.items) or []
        link = _next_link(answer, self.base_url, self.paging.next_link)
        self.longest = max(self.longest, len(rows))
        found = link if link is not None and link != self.target else None
        by_offset = self.target == self.path and _more_by_offset(
            self.paging, self.page_size, len(rows), self.longest
        )
        if found is not None:
            self.target = found
        elif by_offset:
            self.skip += len(rows)
        else:
            self.done = True
        return Page(list(rows), found, not self.done)


def _more_by_offset(paging: Paging, page_size: int | None, rows: int, longest: int) -> bool:
    """Whether a list paged by offset goes on: while its pages are full, or as long as the
    longest so far (a server that caps the page below the size asked for); an empty or
    shorter page is the last. A list shorter than the page size so costs one request more."""
    if not (paging.offset and page_size and rows):
        return False
    return rows >= page_size or rows == longest


def _log(request: httpx.Request, response: httpx.Response, started: float) -> None:
    if LOG.isEnabledFor(logging.DEBUG):
        url = request.url.copy_with(query=None, fragment=None)  # a query may carry a ticket
        took = time.monotonic() - started
        LOG.debug("%s %s -> %d in %.3f s", request.method, url, response.status_code, took)


def _no_answer(call: _Prepared, exc: httpx.HTTPError) -> TransportError:
    """A failure without an answer; a certificate that fails verification is never retried."""
    message = f"{call.where()}: {type(exc).__name__}: {_safe(exc)}"
    cause: BaseException | None = exc
    while cause is not None:
        said = str(cause)
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in said:
            return CertificateError(message)
        cause = cause.__cause__ or cause.__context__
    return TransportError(message)


def _next_link(page: Mapping[str, Any], base_url: str, key: str) -> str | None:
    """The next page's URL, only on the client's own host: a link elsewhere would take the
    credentials with it."""
    link = page.get(key)
    if not isinstance(link, str) or not link.strip().startswith(("http://", "https://", "/")):
        return None
    base = httpx.URL(base_url + "/")
    try:
        target = base.join(link.strip())
    except (httpx.InvalidURL, ValueError):
        return None
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        return None
    return str(target)


def _safe(exc: Exception) -> str:
    """An httpx error's message without any URL in it (a query may carry a ticket)."""
    return re.sub(r"\w+://\S+", "<url>", str(exc))[:300]
