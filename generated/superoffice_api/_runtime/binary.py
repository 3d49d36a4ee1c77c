"""Binary bodies: downloads that are never JSON-decoded and can be streamed to a file without
being held in memory, and uploads from bytes, an open file or a path."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import IO, Any, Self

import httpx

Upload = bytes | bytearray | memoryview | IO[bytes] | os.PathLike[str]
"""What an upload takes: the bytes, a file opened in binary mode, or a path (a `pathlib.Path`;
a `str` is refused, never guessed to be a path or the content)."""
AsyncUpload = Upload | AsyncIterable[bytes]
"""What the async client's uploads take: an async byte stream too (sent once: not retried)."""

_CHUNK = 1 << 16


def upload_content(upload: Upload) -> Callable[[], Any]:
    """A factory of the request content, called once per attempt, so that a retry sends the
    whole body again (a path is reopened, a seekable file rewound)."""
    if isinstance(upload, (bytes, bytearray, memoryview)):
        data = bytes(upload)
        return lambda: data
    if isinstance(upload, str):
        raise TypeError(
            "an upload takes bytes, a file opened in binary mode or a pathlib.Path, not a str:"
            " for a file, pass Path(...); for text, its .encode()"
        )
    if isinstance(upload, os.PathLike):
        path = Path(upload)

        def from_path() -> Iterator[bytes]:
            with path.open("rb") as handle:
                yield from iter(lambda: handle.read(_CHUNK), b"")

        return from_path
    handle = upload
    start = handle.tell() if handle.seekable() else None

    def from_file() -> Iterator[bytes]:
        if start is not None:
            handle.seek(start)
        yield from iter(lambda: handle.read(_CHUNK), b"")

    return from_file


def async_upload_content(upload: AsyncUpload) -> Callable[[], Any]:
    """The same for the async client, which takes bytes or an async iterator; file reads run in
    a thread so the event loop is not blocked. An async stream can be read once: a second
    attempt at the call is an error that says so, not an empty body."""
    if isinstance(upload, (bytes, bytearray, memoryview)):
        data = bytes(upload)
        return lambda: data
    if isinstance(upload, AsyncIterable):
        sent: list[bool] = []

        def once() -> AsyncIterable[bytes]:
            if sent:
                raise ValueError("an async byte stream was sent once and cannot be sent again")
            sent.append(True)
            return upload

        return once
    make = upload_content(upload)

    async def chunks() -> AsyncIterator[bytes]:
        import asyncio  # here, not at the top: a sync client's import does not pay for it

        source = iter(make())
        while True:
            chunk = await asyncio.to_thread(next, source, b"")
            if not chunk:
                return
            yield chunk

    return chunks


class _Bounded:
    """Counts what a download yields against the limit a call asked for (None: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self.limit, self.size = limit, 0

    def take(self, chunk: bytes) -> bytes:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            from .errors import ResponseTooLargeError

            raise ResponseTooLargeError(
                f"the download is larger than {self.limit} bytes (max_response_bytes)",
                self.limit,
            )
        return chunk


class BinaryResponse:
    """A binary answer, open until read or closed: `read()`, `iter_bytes()`, `write_to(path
    or file)`, or use it as a context manager and stream. Unbounded unless the call set
    `max_response_bytes`."""

    def __init__(self, response: httpx.Response, limit: int | None = None) -> None:
        self.response = response
        self.limit = limit
        self.status_code = response.status_code
        self.headers = response.headers
        self.media_type = response.headers.get("content-type", "").split(";")[0].strip()

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("content-length")
        return int(value) if value and value.isdigit() else None

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def iter_bytes(self, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        bound = _Bounded(self.limit)
        try:
            for chunk in self.response.iter_bytes(chunk_size):
                yield bound.take(chunk)
        finally:
            self.response.close()

    def write_to(self, target: os.PathLike[str] | str | IO[bytes]) -> int:
        """Stream the body into a file; returns the number of bytes written."""
        written = 0
        if isinstance(target, (str, os.PathLike)):
            with open(target, "wb") as handle:
                return self.write_to(handle)
        for chunk in self.iter_bytes():
            target.write(chunk)
            written += len(chunk)
        return written

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse:
    """The async client's binary answer: `aread()`, `aiter_bytes()`, `awrite_to(...)`."""

    def __init__(self, response: httpx.Response, limit: int | None = None) -> None:
        self.response = response
        self.limit = limit
        self.status_code = response.status_code
        self.headers = response.headers
        self.media_type = response.headers.get("content-type", "").split(";")[0].strip()

    async def aread(self) -> bytes:
        return b"".join([chunk async for chunk in self.aiter_bytes()])

    async def aiter_bytes(self, chunk_size: int = _CHUNK) -> AsyncIterator[bytes]:
        bound = _Bounded(self.limit)
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield bound.take(chunk)
        finally:
            await self.response.aclose()

    async def awrite_to(self, target: os.PathLike[str] | str | IO[bytes]) -> int:
        if isinstance(target, (str, os.PathLike)):
            with open(target, "wb") as handle:
                return await self.awrite_to(handle)
        import asyncio

        written = 0
        async for chunk in self.aiter_bytes():
            await asyncio.to_thread(target.write, chunk)
            written += len(chunk)
        return written

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
