"""A dialect holds one vendor's conventions, and nothing else does: how its pages are recognised,
which sections and tables it reads (rule chains, as markdown-it-py's Ruler keeps them), what
drafts a page yields (schemas only, one operation, one per route), how its operations group and
are named, and what its API does the same way everywhere (model.conventions). Below the dialect
the parser core, the model's naming and merging, the emitters and the output know no vendor.

A new vendor is a module of its own here plus a line in `DIALECTS`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from docgen.diagnostics import Diagnostic
from docgen.model.api import Api
from docgen.model.conventions import Conventions
from docgen.model.drafts import PageDraft
from docgen.parse.markdown import Document


class Dialect(Protocol):
    name: str
    title: str  # what the vendor's reference is called, for messages
    conventions: Conventions

    def recognises(self, document: Document) -> bool:
        """Is this one of the vendor's pages (a reference page, an index, an overview)?"""

    def read(self, document: Document) -> tuple[object | None, list[Diagnostic]]:
        """The page's facts in the dialect's own terms; None for a page that describes nothing."""

    def drafts(self, page: object) -> tuple[PageDraft, list[Diagnostic]]:
        """What the page contributes to the model, on its own (it runs beside the parser)."""

    def qualifier(self, group: str) -> str:
        """The prefix that tells apart made-up names two groups would share."""

    def lint(self, pages: list[object], api: Api) -> list[Diagnostic]:
        """What only a reader of the pages would notice: the pages against themselves."""


def registry() -> dict[str, Dialect]:
    from docgen.dialects.msgraph import MSGRAPH
    from docgen.dialects.superoffice import SUPEROFFICE

    return {SUPEROFFICE.name: SUPEROFFICE, MSGRAPH.name: MSGRAPH}


def named(name: str) -> Dialect | None:
    return registry().get(name)


def names() -> list[str]:
    return sorted(registry())


@dataclass(frozen=True)
class Detected:
    """Which dialect reads a run's pages, and from what."""

    dialect: Dialect
    votes: dict[str, int]  # dialect -> pages of the sample it recognised
    sampled: int

    @property
    def mixed(self) -> bool:
        """Pages of two vendors in one run: each would be misread by the other's rules."""
        ranked = sorted(self.votes.values(), reverse=True)
        return len(ranked) > 1 and ranked[1] * 10 >= self.sampled and ranked[1] > 0


def detect(documents: list[Document]) -> Detected:
    """The dialect that recognises most of the sampled pages (ties go to the first registered)."""
    dialects = registry()
    votes: Counter[str] = Counter()
    for document in documents:
        for name, dialect in dialects.items():
            if dialect.recognises(document):
                votes[name] += 1
                break
    order = list(dialects)
    best = max(order, key=lambda n: (votes[n], -order.index(n))) if votes else order[0]
    return Detected(dialects[best], dict(votes), len(documents))
