"""Settings of a client and of one call, and the rules both the sync and the async transport
follow: how values are written into paths and queries, when to retry and how long to wait,
which headers may follow a redirect."""

from __future__ import annotations

import base64
import datetime as _dt
import email.utils
import enum
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import quote

import httpx

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx; 409: a lock held a moment
# Headers that may follow a redirect to another host; every other one (credentials, app
# tokens, XSRF tokens, cookies, the caller's own) stays behind.
_CROSS_ORIGIN_SAFE = frozenset({"accept", "accept-language", "user-agent", "content-type"})
MAX_REDIRECTS = 10
_MAX_RETRY_AFTER = 60.0
MAX_RESPONSE_BYTES = 64 << 20  # what a client reads of one answer it decodes, by default


class RequestOptions(TypedDict, total=False):
    """Per call: `timeout` (seconds for the whole call, retries included), extra `headers` and
    `query`, `max_retries` (0: never retry this call), `retry_non_idempotent` (retry a POST
    on a broken connection, 408, 409 or 5xx too), `max_response_bytes`
    (the most of an answer that is read: decoded answers are bounded by the client's setting,
    binary downloads only when a call asks), and `on_response`, called with the raw
    httpx.Response of every answer."""

    timeout: float
    max_response_bytes: int | None
    headers: Mapping[str, str]
    query: Mapping[str, object]
    max_retries: int
    retry_non_idempotent: bool
    on_response: Callable[[httpx.Response], object]


@dataclass(frozen=True)
class Paging:
    """How the API's lists page: the rows under `items`, the next page's URL under `next_link`;
    `page_size` and, for a server that pages by offset, `offset` are query parameters."""

    items: str = "value"
    next_link: str = "@odata.nextLink"
    page_size: str = "$top"
    offset: str = ""


@dataclass(frozen=True)
class Settings:
    base_url: str
    headers: Mapping[str, str]
    timeout: float = 30.0
    max_retries: int = 2
    follow_redirects: bool = False
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    max_backoff: float = 8.0
    max_response_bytes: int | None = MAX_RESPONSE_BYTES


def checked_header(name: str, value: str) -> str:
    """A header value as given, or ValueError: a line break or control character would split
    the request. The message never repeats the value (it may be a credential)."""
    if any(ch in value for ch in "\r\n\0") or not value.isprintable():
        raise ValueError(
            f"the value for the {name} header has a line break or control character; remove it"
        )
    return value


def aware(value: _dt.datetime) -> _dt.datetime:
    """A date-time as it leaves: with its offset, a naive one taken as UTC (RFC 3339, which
    the documents' date-time format is, has no time without an offset)."""
    return value.replace(tzinfo=_dt.UTC) if value.tzinfo is None else value


def text(value: object) -> str:
    """How a value is written in a path or query."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return text(value.value)
    if isinstance(value, _dt.datetime):
        written = aware(value).isoformat()
        return written[:-6] + "Z" if written.endswith("+00:00") else written
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def path_segment(value: object) -> str:
    """A value made one path segment: `/` and `%` escaped, and dots too, so that `..` can
    never climb out of the route."""
    return quote(text(value), safe="").replace(".", "%2E")


def fill_path(template: str, parts: Iterable[tuple[str, object]]) -> str:
    for name, value in parts:
        template = template.replace("{" + name + "}", path_segment(value))
    return template


def query_pairs(
    pairs: Iterable[tuple[str, object]], extra: Mapping[str, object] | None = None
) -> list[tuple[str, str]]:
    """(name, value) pairs, arrays as repeated keys, None left out."""
    found: list[tuple[str, str]] = []
    for name, value in [*pairs, *(extra or {}).items()]:
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            found.extend((name, text(v)) for v in value if v is not None)
        else:
            found.append((name, text(value)))
    return found


def should_retry(
    method: str, attempt: int, limit: int, options: RequestOptions, response: httpx.Response | None
) -> bool:
    """Whether to try again, while attempts are left (`max_retries`, per client or per call).
    The server decides when it says (`x-should-retry: true` or `false`); a 429, or any
    retryable status with `Retry-After`, is the server asking for a retry on any method (a
    request refused for its rate was not carried out); otherwise a broken connection
    (`response` None), 408, 409 or 5xx is retried for a method that is safe to repeat, or when
    the caller allows it (`retry_non_idempotent`)."""
    if attempt >= limit:
        return False
    if response is not None:
        said = str(response.headers.get("x-should-retry", "")).strip().lower()
        if said in ("true", "false"):
            return said == "true"
        status = response.status_code
        if status not in RETRY_STATUSES and status < 500:
            return False
        if status == 429 or "retry-after" in response.headers:
            return True
    return method.upper() in IDEMPOTENT or options.get("retry_non_idempotent", False)


def retry_delay(attempt: int, settings: Settings, response: httpx.Response | None) -> float:
    """`Retry-After` when the server sets one (seconds or an HTTP date), else exponential
    backoff with jitter."""
    if response is not None:
        after = _retry_after(response.headers.get("retry-after", ""))
        if after is not None:
            return min(after, _MAX_RETRY_AFTER)
    delay = min(settings.max_backoff, settings.backoff * (2**attempt))
    return float(delay * random.uniform(0.5, 1.0))


def _retry_after(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return max(0.0, (when - _dt.datetime.now(_dt.UTC)).total_seconds())


def redirect_target(response: httpx.Response) -> httpx.URL | None:
    location = response.headers.get("location")
    if response.status_code not in (301, 302, 303, 307, 308) or not location:
        return None
    return response.request.url.join(location)


def redirected_method(status: int, method: str) -> str:
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


def headers_for(target: httpx.URL, origin: httpx.URL, headers: Mapping[str, str]) -> dict[str, str]:
    """Headers for a redirect: all of them on the same origin, only harmless ones elsewhere."""
    same = (target.scheme, target.host, target.port) == (
        origin.scheme,
        origin.host,
        origin.port,
    )
    return (
        dict(headers)
        if same
        else {k: v for k, v in headers.items() if k.lower() in _CROSS_ORIGIN_SAFE}
    )


class Deadline:
    """The whole-request timeout: what is left of it, checked between reads."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


def wire_json(payload: Any) -> Any:
    """JSON for a body: models by wire names with only what was set, bytes as base64."""
    dump = getattr(payload, "to_wire", None)
    if callable(dump):
        return dump()
    if isinstance(payload, (list, tuple)):
        return [wire_json(item) for item in payload]
    if isinstance(payload, dict):
        return {key: wire_json(value) for key, value in payload.items()}
    if isinstance(payload, (bytes, bytearray)):
        return base64.b64encode(payload).decode("ascii")
    if isinstance(payload, (enum.Enum, _dt.datetime, _dt.date)):
        return text(payload)
    return payload
