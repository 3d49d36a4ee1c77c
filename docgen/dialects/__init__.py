"""A dialect holds one vendor's conventions: how its pages mark a reference page, name their
sections, group and name operations, and which of their words mean what. Nothing below the
dialect knows whose pages it reads; a second vendor's pages get a second module beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from docgen.parse.page import PageDoc


@dataclass(frozen=True)
class Credential:
    """A credential the generated client takes as a keyword: sent as `header: prefix value`.
    Earlier credentials win when several would set the same header."""

    param: str
    header: str
    prefix: str
    description: str


class Dialect(Protocol):
    name: str

    def classify_heading(self, text: str) -> tuple[str, str] | None:
        """(section, argument) for a structural heading, None for prose."""

    def rank(self, page: PageDoc) -> int:
        """Which rendering leads when several describe one thing (lower leads)."""

    def group_of(self, path: str) -> str: ...

    def operation_name(self, uid: str) -> str: ...

    def transport_header(self, name: str) -> bool:
        """Headers the client sets itself (auth, content negotiation), never a parameter."""

    def anonymous_body(self, name: str) -> bool:
        """Does a request body of this parameter name stand for an unnamed request object?"""

    def list_of_ids(self, name: str) -> bool:
        """Does this body parameter's name say it is a list of integer ids?"""

    def qualifier(self, group: str) -> str:
        """The prefix that tells apart made-up names two groups would share."""

    def credentials(self) -> tuple[Credential, ...]:
        """The vendor's credentials beside Basic (`username`/`password`)."""
