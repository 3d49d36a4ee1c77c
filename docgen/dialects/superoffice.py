"""The SuperOffice Web API reference: its section headings, its grouping of operations into
agents (`/api/v1/Agents/<Agent>/...`) and REST entities (`/api/v1/<Entity>/...`), its uids
(`v1ChatAgent_SaveChatSessionEntity`) and its renderings (`generated: true` is the newer one)."""

from __future__ import annotations

import re

from docgen.dialects import Credential
from docgen.model.naming import pascal
from docgen.parse.page import PageDoc

_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("headers", re.compile(r"request\s+headers?\s*:?$", re.IGNORECASE)),
    ("query", re.compile(r"query\s+string(\s+parameters?)?\s*:?$", re.IGNORECASE)),
    ("path", re.compile(r"path\s+(parts?|parameters?)\s*:?$", re.IGNORECASE)),
    ("body", re.compile(r"request\s+body\s*:?\s*(?P<arg>.*)$", re.IGNORECASE)),
    ("response_body", re.compile(r"response\s+body\s*:?\s*(?P<arg>.*)$", re.IGNORECASE)),
    ("response", re.compile(r"response\s*:?\s*(?P<arg>.*)$", re.IGNORECASE)),
    ("sample_request", re.compile(r"sample\s+request\s*:?$", re.IGNORECASE)),
    ("sample_response", re.compile(r"sample\s+response\s*:?$", re.IGNORECASE)),
)
_TRANSPORT_HEADERS = frozenset({"authorization", "x-xsrf-token", "content-type", "accept"})
_VERSION = re.compile(r"v\d+", re.IGNORECASE)
_IDS = re.compile(r"^ids$|(?<=[a-z])Ids$")


class SuperOffice:
    name = "superoffice"

    def classify_heading(self, text: str) -> tuple[str, str] | None:
        cleaned = text.strip().strip("#").strip()
        for section, pattern in _SECTIONS:
            match = pattern.match(cleaned)
            if match:
                return section, (match.groupdict().get("arg") or "").strip()
        return None

    def rank(self, page: PageDoc) -> int:
        """Newer renderings (`generated: true`) lead when several describe the same thing."""
        return 0 if page.generated else 1

    def group_of(self, path: str) -> str:
        """Agents under /api/v1/Agents/<Agent>/, REST entities under /api/v1/<Entity>."""
        parts = [p for p in path.split("?")[0].split("/") if p]
        while parts and (parts[0].lower() == "api" or _VERSION.fullmatch(parts[0])):
            parts = parts[1:]
        if len(parts) >= 2 and parts[0].lower() == "agents":
            return pascal(parts[1]) + "Agent"
        if parts and not parts[0].startswith("{"):
            return pascal(parts[0]) or "Default"
        return "Default"

    def operation_name(self, uid: str) -> str:
        """v1ChatAgent_SaveChatSessionEntity -> SaveChatSessionEntity."""
        _, sep, rest = uid.partition("_")
        return pascal(rest if sep and rest else uid) or "Operation"

    def transport_header(self, name: str) -> bool:
        return name.lower() in _TRANSPORT_HEADERS

    def anonymous_body(self, name: str) -> bool:
        """Agent pages call their request object `request`: a body of no named schema."""
        return name.lower() == "request" or not name

    def list_of_ids(self, name: str) -> bool:
        return bool(_IDS.search(name))

    def qualifier(self, group: str) -> str:
        return group.removesuffix("Agent") or group

    def credentials(self) -> tuple[Credential, ...]:
        return (
            Credential("ticket", "Authorization", "SOTicket", "a SuperOffice ticket (SoTicket scheme)"),
            Credential("token", "Authorization", "Bearer", "an OAuth/OpenID access token (Bearer scheme)"),
            Credential("xsrf_token", "X-XSRF-TOKEN", "", "the XSRF value from the cookie, when not using Authorization"),
        )


SUPEROFFICE = SuperOffice()
