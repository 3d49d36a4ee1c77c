"""The static part of every SDK docgen generates, copied into it as `<package>/_runtime/`:
transport, auth, errors, retries, paging and binary helpers, as ordinary tested Python.
"""

from .binary import (
    AsyncBinaryResponse,
    AsyncUpload,
    BinaryResponse,
    Upload,
    async_upload_content,
    upload_content,
)
from .client import (
    AsyncBaseClient,
    BaseClient,
    auth_header,
    basic_auth,
    checked_base_url,
    credential_headers,
)
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
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
    UnprocessableEntityError,
)
from .model import Base64Bytes, Model, OpenEnum, OpenModel
from .options import Paging, RequestOptions, Settings
from .transport import AsyncTransport, Transport, parse

__all__ = [
    "ApiError",
    "AsyncBaseClient",
    "AsyncBinaryResponse",
    "AsyncTransport",
    "AsyncUpload",
    "AuthenticationError",
    "BadRequestError",
    "Base64Bytes",
    "BaseClient",
    "BinaryResponse",
    "CertificateError",
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
    "UnprocessableEntityError",
    "Upload",
    "async_upload_content",
    "auth_header",
    "basic_auth",
    "checked_base_url",
    "credential_headers",
    "parse",
    "upload_content",
]
