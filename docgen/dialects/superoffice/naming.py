"""How the SuperOffice reference groups and names its operations, which rendering leads, and which
of its words mean what: agents under `/api/v1/Agents/<Agent>/...`, REST entities under
`/api/v1/<Entity>/...`, uids such as `v1ChatAgent_SaveChatSessionEntity`, and `generated: true`
on the newer rendering."""

from __future__ import annotations

import re

from docgen.dialects.superoffice.page import PageDoc
from docgen.model.naming import pascal

_TRANSPORT_HEADERS = frozenset({"authorization", "x-xsrf-token", "content-type", "accept"})
_VERSION = re.compile(r"v\d+", re.IGNORECASE)
_IDS = re.compile(r"^ids$|(?<=[a-z])Ids$")
_STREAM = re.compile(r"\bstream\b", re.IGNORECASE)


def rank(page: PageDoc) -> int:
    """Newer renderings (`generated: true`) lead when several describe the same thing (lower leads)."""
    return 0 if page.generated else 1


def group_of(path: str) -> str:
    """Agents under /api/v1/Agents/<Agent>/, REST entities under /api/v1/<Entity>."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    while parts and (parts[0].lower() == "api" or _VERSION.fullmatch(parts[0])):
        parts = parts[1:]
    if len(parts) >= 2 and parts[0].lower() == "agents":
        return pascal(parts[1]) + "Agent"
    if parts and not parts[0].startswith("{"):
        return pascal(parts[0]) or "Default"
    return "Default"


def operation_name(uid: str) -> str:
    """v1ChatAgent_SaveChatSessionEntity -> SaveChatSessionEntity."""
    _, sep, rest = uid.partition("_")
    return pascal(rest if sep and rest else uid) or "Operation"


def transport_header(name: str) -> bool:
    """Headers the client sets itself (auth, content negotiation), never a parameter."""
    return name.lower() in _TRANSPORT_HEADERS


def anonymous_body(name: str) -> bool:
    """Agent pages call their request object `request`: a body of no named schema."""
    return name.lower() == "request" or not name


def list_of_ids(name: str) -> bool:
    """Does this body parameter's name say it is a list of integer ids?"""
    return bool(_IDS.search(name))


def stream_body(name: str, description: str) -> bool:
    """Does an untyped body say it is a stream (`Request Body: stream`, "A stream to the
    content to be uploaded")? The reference's own type word for bytes sent as they are."""
    return bool(_STREAM.search(name) or _STREAM.search(description))


def qualifier(group: str) -> str:
    return group.removesuffix("Agent") or group
