"""The raw answer beside the parsed one: `with_raw_response(client.group.method)(...)` calls the
method as it is and gives its HTTP response too (status, headers, the bytes), typed from the
method itself, sync or async; `with_streaming_response` gives the answer before its body is
read, and the value only when asked for."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Generic, ParamSpec, TypeVar, overload

import httpx

P = ParamSpec("P")
T = TypeVar("T")


class RawResponse(Generic[T]):
    """A call's answer: `http_response` (the httpx.Response, read), `status_code`, `headers`,
    `content`, and `parse()`, the value the method returns."""

    def __init__(self, http_response: httpx.Response, parsed: T) -> None:
        self.http_response = http_response
        self.status_code = http_response.status_code
        self.headers = http_response.headers
        self._parsed = parsed

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def parse(self) -> T:
        return self._parsed


def _options(kwargs: dict[str, Any], seen: list[httpx.Response]) -> dict[str, Any]:
    """The call's request_options with a hook that keeps the last answer (a retried call's
    last attempt), after the caller's own hook."""
    given = dict(kwargs.get("request_options") or {})
    theirs = given.get("on_response")

    def keep(response: httpx.Response) -> None:
        if theirs is not None:
            theirs(response)
        seen.append(response)

    given["on_response"] = keep
    return {**kwargs, "request_options": given}


def _answer(seen: list[httpx.Response], method: Callable[..., Any], parsed: T) -> RawResponse[T]:
    if not seen:  # a list's pager: it asks for nothing until it is read
        raise TypeError(f"{method.__name__} made no request: a pager is read, not answered")
    return RawResponse(seen[-1], parsed)


@overload
def with_raw_response(  # type: ignore[overload-overlap]
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[RawResponse[T]]]: ...
@overload
def with_raw_response(method: Callable[P, T]) -> Callable[P, RawResponse[T]]: ...
def with_raw_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """`method` (a bound method of a client's group) made to return a RawResponse."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def call_async(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
            seen: list[httpx.Response] = []
            parsed = await method(*args, **_options(kwargs, seen))
            return _answer(seen, method, parsed)

        return call_async

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
        seen: list[httpx.Response] = []
        parsed = method(*args, **_options(kwargs, seen))
        return _answer(seen, method, parsed)

    return call


class Streaming:
    """A streamed call in progress. While it is set, the transport sends the call's request
    with its body left unread and keeps the answer here, and `parse` raises Deferred instead
    of reading it: the method's own code stays the same, streamed or not."""

    def __init__(self) -> None:
        self.response: httpx.Response | None = None


STREAMING: ContextVar[Streaming | None] = ContextVar("streaming", default=None)


class Deferred(BaseException):
    """How `parse` hands a streamed call's value back unmade: `finish()`, once the body has
    been read, makes it. A BaseException, so that no `except Exception` on the way catches it."""

    def __init__(self, finish: Callable[[], Any]) -> None:
        super().__init__()
        self.finish = finish


class _Streamed(Generic[T]):
    def __init__(self, http_response: httpx.Response, finish: Callable[[], T]) -> None:
        self.http_response = http_response
        self.status_code = http_response.status_code
        self.headers = http_response.headers
        self._finish = finish


class StreamedResponse(_Streamed[T]):
    """A call's answer with its body unread: `status_code`, `headers`, `http_response`, then
    either `iter_bytes()` (the body as it comes) or `read()` and `parse()` (the whole body and
    the value the method returns). Closed when its `with` block ends."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def read(self) -> bytes:
        return self.http_response.read()

    def parse(self) -> T:
        self.http_response.read()
        return self._finish()

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedResponse(_Streamed[T]):
    """The async client's StreamedResponse: `aiter_bytes()`, `await read()`, `await parse()`."""

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def parse(self) -> T:
        await self.http_response.aread()
        return self._finish()

    async def close(self) -> None:
        await self.http_response.aclose()


def _left(method: Callable[..., Any], state: Streaming) -> httpx.Response:
    if state.response is None:
        raise TypeError(f"{method.__name__} made no request: a pager is read, not streamed")
    return state.response


class _StreamCall(AbstractContextManager[StreamedResponse[T]]):
    def __init__(self, method: Callable[..., T], args: Any, kwargs: Any) -> None:
        self.method, self.args, self.kwargs = method, args, kwargs
        self.streamed: StreamedResponse[T] | None = None

    def __enter__(self) -> StreamedResponse[T]:
        state = Streaming()
        token = STREAMING.set(state)
        try:  # a method that parses its answer raises Deferred; one that does not returns
            value = self.method(*self.args, **self.kwargs)
            finish: Callable[[], T] = lambda: value  # noqa: E731
        except Deferred as deferred:
            finish = deferred.finish
        finally:
            STREAMING.reset(token)
        self.streamed = StreamedResponse(_left(self.method, state), finish)
        return self.streamed

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.streamed is not None:
            self.streamed.close()


class _AsyncStreamCall(AbstractAsyncContextManager[AsyncStreamedResponse[T]]):
    def __init__(self, method: Callable[..., Awaitable[T]], args: Any, kwargs: Any) -> None:
        self.method, self.args, self.kwargs = method, args, kwargs
        self.streamed: AsyncStreamedResponse[T] | None = None

    async def __aenter__(self) -> AsyncStreamedResponse[T]:
        state = Streaming()
        token = STREAMING.set(state)  # the awaited method runs in this task's context
        try:
            value = await self.method(*self.args, **self.kwargs)
            finish: Callable[[], T] = lambda: value  # noqa: E731
        except Deferred as deferred:
            finish = deferred.finish
        finally:
            STREAMING.reset(token)
        self.streamed = AsyncStreamedResponse(_left(self.method, state), finish)
        return self.streamed

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.streamed is not None:
            await self.streamed.close()


@overload
def with_streaming_response(  # type: ignore[overload-overlap]
    method: Callable[P, Awaitable[T]],
) -> Callable[P, AbstractAsyncContextManager[AsyncStreamedResponse[T]]]: ...
@overload
def with_streaming_response(
    method: Callable[P, T],
) -> Callable[P, AbstractContextManager[StreamedResponse[T]]]: ...
def with_streaming_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """`method` made to return a context manager of its answer, entered once the status and
    headers have come (an error status still raises, its body read) and closed at its end."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        def call_async(*args: P.args, **kwargs: P.kwargs) -> _AsyncStreamCall[Any]:
            return _AsyncStreamCall(method, args, kwargs)

        return call_async

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> _StreamCall[Any]:
        return _StreamCall(method, args, kwargs)

    return call
