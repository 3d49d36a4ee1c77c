"""The static part of every SDK docgen generates, copied into it as `<package>/_runtime/`:
transport, auth, errors, retries, paging and binary helpers, as ordinary tested Python.
"""

from .binary import (
    AsyncBinaryResponse,
    BinaryResponse,
    Upload,
    async_upload_content,
    upload_content,
)
from .client import AsyncBaseClient, BaseClient, auth_header, basic_auth
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    NotFoundError,
    NotModifiedError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    ResponseDecodeError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
)
from .model import Base64Bytes, Model, OpenEnum, OpenModel
from .options import Paging, RequestOptions, Settings
from .transport import AsyncTransport, Transport, parse

__all__ = [
    "ApiError",
    "AsyncBaseClient",
    "AsyncBinaryResponse",
    "AsyncTransport",
    "AuthenticationError",
    "BadRequestError",
    "Base64Bytes",
    "BaseClient",
    "BinaryResponse",
    "ClientError",
    "ConflictError",
    "Model",
    "NotFoundError",
    "NotModifiedError",
    "OpenEnum",
    "OpenModel",
    "Paging",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "RequestOptions",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ServerError",
    "Settings",
    "Transport",
    "TransportError",
    "Upload",
    "async_upload_content",
    "auth_header",
    "basic_auth",
    "parse",
    "upload_content",
]
