"""What every generated client is: settings, a transport, closing, and auth that never leaks."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Self

import httpx

from .options import MAX_RESPONSE_BYTES, Settings, checked_header
from .transport import AsyncTransport, Transport


def basic_auth(username: str, password: str) -> str:
    checked_header("username", username)
    checked_header("password", password)
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def auth_header(scheme: str, credential: str, name: str) -> str:
    """`<scheme> <credential>` (the credential alone without a scheme), refused when the
    credential would break the request."""
    checked_header(name, credential)
    return f"{scheme} {credential}" if scheme else credential


class BaseClient:
    """Synchronous client base: `with Client(...) as client:` closes what it opened."""

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
        settings = Settings(
            base_url.rstrip("/"),
            dict(headers),
            timeout,
            max_retries,
            follow_redirects,
            max_response_bytes=max_response_bytes,
        )
        self._transport = Transport(settings, http_client)

    def __repr__(self) -> str:  # never the headers: they carry credentials
        return f"{type(self).__name__}({self._transport.settings.base_url!r})"

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBaseClient:
    """Asynchronous client base: `async with AsyncClient(...) as client:`."""

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
        settings = Settings(
            base_url.rstrip("/"),
            dict(headers),
            timeout,
            max_retries,
            follow_redirects,
            max_response_bytes=max_response_bytes,
        )
        self._transport = AsyncTransport(settings, http_client)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._transport.settings.base_url!r})"

    async def aclose(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
