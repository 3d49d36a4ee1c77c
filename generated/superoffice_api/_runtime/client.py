"""What every generated client is: settings, a transport, closing, and auth that never leaks."""

from __future__ import annotations

import base64
import dataclasses
import enum
import os
from collections.abc import Iterable, Mapping
from typing import Any, Self

import httpx

from .options import MAX_RESPONSE_BYTES, Settings, checked_header
from .transport import AsyncTransport, Transport


def credential_headers(given: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """The headers of the credentials given, as (argument, header, value); two that would fill
    the same header are an error, not one silently dropped."""
    found: dict[str, str] = {}
    by: dict[str, str] = {}
    for argument, header, value in given:
        if header in found:
            raise ValueError(
                f"{by[header]} and {argument} both set the {header} header: give one of them"
            )
        found[header], by[header] = value, argument
    return found


def from_environment(prefix: str, given: Mapping[str, str | None]) -> dict[str, str | None]:
    """The credentials given, or when none is, those of the environment (`<PREFIX><NAME>`):
    an argument never mixes with a variable, so the two can never make a pair."""
    if any(value is not None for value in given.values()):
        return dict(given)
    return {name: os.environ.get(prefix + name.upper()) or None for name in given}


def base_url_from_environment(
    base_url: str | None, prefix: str, http_client: httpx.Client | httpx.AsyncClient | None = None
) -> str:
    """The address: the argument, else that of the httpx client the caller brings, else the
    environment's `<PREFIX>BASE_URL`."""
    if base_url is not None:
        return base_url
    if http_client is not None and http_client.base_url:
        return str(http_client.base_url)
    return os.environ.get(prefix + "BASE_URL", "")


def checked_base_url(base_url: str) -> str:
    """The API's address, refused at construction unless it is an absolute http(s) URL (a
    missing one would otherwise fail at the first call, with httpx's words for it)."""
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"base_url {base_url!r} is not a URL: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            "base_url must be the API's absolute address, such as https://host/path"
            + (f"; got {base_url!r}" if base_url else "; none was given (argument or environment)")
        )
    return str(url).rstrip("/")


def basic_auth(username: str, password: str) -> str:
    checked_header("username", username)
    checked_header("password", password)
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def auth_header(scheme: str, credential: str, name: str) -> str:
    """`<scheme> <credential>` (the credential alone without a scheme), refused when the
    credential would break the request."""
    checked_header(name, credential)
    return f"{scheme} {credential}" if scheme else credential


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # max_response_bytes as it is (None means no limit, so it cannot be the default)


def _changed(
    settings: Settings,
    base_url: str | None,
    headers: Mapping[str, str] | None,
    timeout: float | None,
    max_retries: int | None,
    follow_redirects: bool | None,
    max_response_bytes: int | _Keep | None,
) -> Settings:
    changes: dict[str, Any] = {}
    if base_url is not None:
        changes["base_url"] = checked_base_url(base_url)
    if headers is not None:
        own = {name: checked_header(name, value) for name, value in headers.items()}
        replaced = {name.lower() for name in own}
        kept = {k: v for k, v in settings.headers.items() if k.lower() not in replaced}
        changes["headers"] = {**kept, **own}
    for name, value in (
        ("timeout", timeout),
        ("max_retries", max_retries),
        ("follow_redirects", follow_redirects),
    ):
        if value is not None:
            changes[name] = value
    if not isinstance(max_response_bytes, _Keep):
        changes["max_response_bytes"] = max_response_bytes
    return dataclasses.replace(settings, **changes)


def _settings(
    base_url: str,
    headers: Mapping[str, str],
    timeout: float,
    max_retries: int,
    follow_redirects: bool,
    max_response_bytes: int | None,
) -> Settings:
    """A client's settings, its address and headers checked once, when it is made."""
    return Settings(
        checked_base_url(base_url),
        {name: checked_header(name, value) for name, value in headers.items()},
        timeout,
        max_retries,
        follow_redirects,
        max_response_bytes=max_response_bytes,
    )


class _Options:
    """What the sync and the async client share: `repr` and `with_options`."""

    _transport: Transport | AsyncTransport

    def __repr__(self) -> str:  # never the headers: they carry credentials
        return f"{type(self).__name__}({self._transport.settings.base_url!r})"

    def with_options(
        self,
        *,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        follow_redirects: bool | None = None,
        max_response_bytes: int | _Keep | None = KEEP,
    ) -> Self:
        """A copy of this client with other settings (`headers` added to its own), sharing its
        connections: closing the copy leaves them open, closing this client closes them."""
        settings = _changed(
            self._transport.settings,
            base_url,
            headers,
            timeout,
            max_retries,
            follow_redirects,
            max_response_bytes,
        )
        copy = object.__new__(type(self))
        copy._transport = self._transport.with_settings(settings)
        return copy


class BaseClient(_Options):
    """Synchronous client base: `with Client(...) as client:` closes what it opened."""

    _transport: Transport

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        follow_redirects: bool,
        http_client: httpx.Client | None,
        max_response_bytes: int | None = MAX_RESPONSE_BYTES,
    ) -> None:
        settings = _settings(
            base_url, headers, timeout, max_retries, follow_redirects, max_response_bytes
        )
        self._transport = Transport(settings, http_client)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBaseClient(_Options):
    """Asynchronous client base: `async with AsyncClient(...) as client:`."""

    _transport: AsyncTransport

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        follow_redirects: bool,
        http_client: httpx.AsyncClient | None,
        max_response_bytes: int | None = MAX_RESPONSE_BYTES,
    ) -> None:
        settings = _settings(
            base_url, headers, timeout, max_retries, follow_redirects, max_response_bytes
        )
        self._transport = AsyncTransport(settings, http_client)

    async def aclose(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
