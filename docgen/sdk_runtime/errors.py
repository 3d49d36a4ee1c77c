"""What the client raises. Two branches under one root: the server answered with an error
status (`ApiError` and one class per status family), or there was no answer (`TransportError`).
`except ApiError` never swallows a network failure, and no message carries a credential.
"""

from __future__ import annotations

from typing import Any

import httpx

# Keys under which servers put their own error text, most specific first.
_MESSAGE_KEYS = (
    "ErrorMessage",
    "errorMessage",
    "Message",
    "message",
    "error_description",
    "detail",
    "title",
    "Error",
    "error",
)


class ClientError(Exception):
    """Anything this client raises."""


class ApiError(ClientError):
    """The server answered with an error status. `status_code`, `headers`, the parsed `body`
    (JSON, else text) and the raw `content` are kept; `str()` carries the server's message.
    """

    def __init__(self, response: httpx.Response, message: str = "") -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.body = _body(response)
        self.server_message = message or server_message(self.body)
        self.method = response.request.method
        self.path = response.request.url.path  # never the query: it may carry a ticket
        text = f"{self.method} {self.path}: HTTP {self.status_code}"
        super().__init__(f"{text}: {self.server_message}" if self.server_message else text)


class RedirectError(ApiError):
    """A 3xx answer while redirects are not followed: not a success."""


class NotModifiedError(ApiError):
    """304: nothing changed since the version the request named."""


class BadRequestError(ApiError):
    """400"""


class AuthenticationError(ApiError):
    """401"""


class PermissionDeniedError(ApiError):
    """403"""


class NotFoundError(ApiError):
    """404"""


class ConflictError(ApiError):
    """409 or 412: the resource changed under the request."""


class UnprocessableEntityError(ApiError):
    """422: the request was understood and refused (a value the server does not accept)."""


class RateLimitError(ApiError):
    """429"""


class ServerError(ApiError):
    """5xx"""


class TransportError(ClientError):
    """No answer: the connection failed or broke."""

    retryable = True


class CertificateError(TransportError):
    """The server's TLS certificate failed verification. Never retried: it would fail again,
    and a certificate that does not verify may be someone in the middle, not an outage."""

    retryable = False


class RequestTimeoutError(TransportError):
    """No whole answer within the request's timeout."""


class ResponseTooLargeError(ClientError):
    """The answer is larger than the client reads (`max_response_bytes`, counted after
    decompression): it was not read to its end."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class ResponseDecodeError(ClientError):
    """An answer that cannot be read as the declared type."""

    def __init__(self, message: str, response: httpx.Response, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.body = body


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_for(response: httpx.Response) -> ApiError:
    status = response.status_code
    if status == 304:
        return NotModifiedError(response)
    if 300 <= status < 400:
        return RedirectError(response)
    if status >= 500:
        return ServerError(response)
    return _BY_STATUS.get(status, ApiError)(response)


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def server_message(body: Any) -> str:
    """The server's own explanation in an error body, on one line."""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:500]
            if isinstance(value, dict):
                inner = server_message(value)
                if inner:
                    return inner
        return ""
    if isinstance(body, str):
        return " ".join(body.split())[:500]
    return ""
