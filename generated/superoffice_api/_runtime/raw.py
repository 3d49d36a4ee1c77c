"""The raw answer beside the parsed one: `with_raw_response(client.group.method)(...)` calls the
method as it is and gives its HTTP response too (status, headers, the bytes), typed from the
method itself, sync or async."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
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
