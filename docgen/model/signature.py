"""What of a page its naming decisions read: its drafts with their prose reduced to the type
names it mentions and without line numbers. Two versions of a page with the same structure
leave every name the build decided as it was, so an incremental run may keep them."""

from __future__ import annotations

import dataclasses
import hashlib

from docgen.model.api import Source
from docgen.model.drafts import TYPE_WORDS, PageDraft

_PROSE = frozenset({"description", "summary"})


def _plain(value: object) -> object:
    if isinstance(value, Source):
        return value.path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        prose = " ".join(getattr(value, f.name) for f in fields if f.name in _PROSE)
        kept = tuple(_plain(getattr(value, f.name)) for f in fields if f.name not in _PROSE)
        # the type words of all its prose together: a summary that becomes part of the
        # description (a paragraph added above it) names nothing new
        return type(value).__name__, kept, tuple(sorted(set(TYPE_WORDS.findall(prose))))
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    return value


def structure(draft: PageDraft | None) -> str:
    return hashlib.sha256(repr(_plain(draft)).encode("utf-8", "surrogatepass")).hexdigest()
