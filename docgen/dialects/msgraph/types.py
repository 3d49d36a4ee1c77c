"""The type grammar of Graph pages, and their links.

    cell    := [ "Collection(" ] type [ ")" ] [ "collection" ]  |  type "collection" | "collection of" type
    type    := link | word
    link    := "[" text "](" href ")" | "[" text "][" label "]" | "[" text "][]"
    word    := String Boolean Int16 Int32 Int64 Double Single Decimal DateTimeOffset Date TimeOfDay
               Duration Guid Binary Stream Byte SByte ... | a type name (qualified with the page's namespace)

A link is a type named by the page it points at: its alias (`#link:<page>` or, for an enum,
`#link:<page>#<anchor>`) is resolved by the build to what that page defines, else to the
fallback the link's own text gives.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from docgen.model.types import UNKNOWN, TypeRef, array, primitive, ref

PRIMITIVES: dict[str, TypeRef] = {
    "string": primitive("string"),
    "str": primitive("string"),
    "url": primitive("string"),
    "uri": primitive("string"),
    "boolean": primitive("boolean"),
    "bool": primitive("boolean"),
    "int16": primitive("integer", "int16"),
    "int32": primitive("integer", "int32"),
    "int": primitive("integer", "int32"),
    "integer": primitive("integer", "int32"),
    "int64": primitive("integer", "int64"),
    "long": primitive("integer", "int64"),
    "double": primitive("number", "double"),
    "single": primitive("number", "float"),
    "float": primitive("number", "float"),
    "decimal": primitive("number", "decimal"),
    "datetimeoffset": primitive("string", "date-time"),
    "datetime": primitive("string", "date-time"),
    "timestamp": primitive("string", "date-time"),
    "date": primitive("string", "date"),
    "timeofday": primitive("string", "time"),
    "duration": primitive("string", "duration"),
    "guid": primitive("string", "uuid"),
    "uuid": primitive("string", "uuid"),
    "binary": primitive("string", "byte"),
    "stream": primitive("string", "binary"),
    "byte": primitive("integer", "uint8"),
    "sbyte": primitive("integer", "int8"),
}
LINK = re.compile(r"\[([^\]]+)\](?:\(([^)\s]*)(?:\s+\"[^\"]*\")?\)|\[([^\]]*)\])?")
_WORD = re.compile(r"^[A-Za-z_][\w.]*$")
_COLLECTION_OF = re.compile(r"^\s*collection\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_SITE = re.compile(r"^(?:https?://docs\.microsoft\.com)?(?:/[a-z]{2}-[a-z]{2})?/graph/api/(?:resources/)?([\w.-]+?)(?:\?[^#]*)?(#.*)?$", re.IGNORECASE)
ALIAS = "#link:"


@dataclass(frozen=True)
class Link:
    """Where a link points (a page, lowercased, and an anchor) and the type its text names."""

    text: str
    page: str  # "" for the linking page itself
    anchor: str

    @property
    def enum_anchor(self) -> bool:
        return bool(re.search(r"-values?$", self.anchor))


def slug(heading: str) -> str:
    """The anchor a heading gets on the docs site: `signInAudience values` -> `signinaudience-values`."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s+", "-", text)


def page_alias(page: str, anchor: str = "") -> str:
    return ALIAS + page.lower() + (f"#{anchor.lower()}" if anchor else "")


def resolve_href(href: str, page_path: str) -> tuple[str, str] | None:
    """(page, anchor) a link on `page_path` points at, or None for a link off the reference (a
    conceptual page, another site). Site links (`/graph/api/resources/user?view=...`) are the
    page of that name in the reference's resources folder."""
    href = href.strip()
    if not href:
        return None
    folder = posixpath.dirname(page_path)
    site = _SITE.match(href)
    if site is not None:
        root = posixpath.dirname(folder)
        name = site.group(1).removesuffix(".md")
        return posixpath.join(root, "resources", name + ".md"), (site.group(2) or "#")[1:]
    if href.startswith("#"):
        return page_path, href[1:]
    if re.match(r"^[a-z]+:", href) or href.startswith("/"):
        return None
    target, _, anchor = href.partition("#")
    target = target.split("?")[0]
    if not target.endswith(".md"):
        return None
    return posixpath.normpath(posixpath.join(folder, target)), anchor


def link_of(text: str, href: str | None, label: str | None, page_path: str, refdefs: dict[str, str]) -> Link | None:
    if href is None:
        href = refdefs.get((label or text).strip().lower(), "")
    found = resolve_href(href or "", page_path)
    if found is None:
        return None
    return Link(clean(text), found[0], found[1])


def clean(cell: str) -> str:
    """A cell's words without Markdown: links to their text, no emphasis, code or tags."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*`\\]", "", text).strip()
    return re.sub(r"^_(.*)_$", r"\1", text).strip()


def qualified(name: str, namespace: str) -> str:
    return name if "." in name else f"{namespace}.{name}"


def camel(word: str) -> str:
    """Graph's type names are camelCase (`physicalAddress`): a link's text in PascalCase
    (`PhysicalAddress`) names the same type."""
    return word[0].lower() + word[1:] if len(word) > 1 and word[0].isupper() and word[1].islower() else word


def fallback(link: Link, namespace: str) -> str:
    """The type a link names when the linked page is not among the inputs: its text (or, for an
    enum anchor, the anchor's name in the text's spelling), qualified with the page's namespace."""
    if link.enum_anchor:
        base = re.sub(r"-values?$", "", link.anchor)
        word = link.text if link.text.lower().replace("-", "") == base.replace("-", "") and _WORD.match(link.text) else base
        return qualified(camel(word), namespace)
    if _WORD.match(link.text):
        return qualified(camel(link.text), namespace)
    stem = posixpath.basename(link.page).removesuffix(".md")
    return qualified(stem or "object", namespace)


@dataclass(frozen=True)
class Spelled:
    type: TypeRef
    links: tuple[tuple[str, str], ...]  # (alias, fallback) of the link the type names
    understood: bool


def cell_type(cell: str, page_path: str, namespace: str, refdefs: dict[str, str]) -> Spelled:
    """The type a Type cell names. A word that is no type this grammar knows is a type name
    (the pages link most, not all, of them)."""
    text = cell.strip()
    if not text:
        return Spelled(UNKNOWN, (), True)
    collection = bool(re.search(r"\bcollection\b", text, re.IGNORECASE))
    inner = _COLLECTION_OF.match(text)
    if inner is not None:
        text = inner.group(1)
    text = re.sub(r"\bcollection\s*\(", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\bcollection(\s+of)?\b", "", text, flags=re.IGNORECASE).strip()
    found = LINK.search(text)
    links: tuple[tuple[str, str], ...] = ()
    if found is not None and (link := link_of(found.group(1), found.group(2), found.group(3), page_path, refdefs)) is not None:
        word = clean(found.group(1))
        primitive_word = PRIMITIVES.get(re.sub(r"^edm\.", "", word.lower()))
        if primitive_word is not None and not link.enum_anchor:
            t = primitive_word
        else:
            alias = page_alias(link.page, link.anchor if link.enum_anchor else "")
            t, links = ref(alias), ((alias, fallback(link, namespace)),)
    else:
        words = clean(text).split()
        word = re.sub(r"^Edm\.", "", words[0], flags=re.IGNORECASE).strip(".,;()") if words else ""
        if not word:
            return Spelled(UNKNOWN, (), True)
        known = PRIMITIVES.get(word.lower())
        if known is not None:
            t = known
        elif _WORD.match(word):
            t = ref(qualified(word, namespace))
        else:
            return Spelled(UNKNOWN, (), False)
    return Spelled(array(t) if collection else t, links, True)
