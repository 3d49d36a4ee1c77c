"""Build a scaled corpus: N renamed copies of the reference pages, so that nothing collapses into
duplicates (uids, paths, groups and schema names all get a per-copy suffix)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docgen.pages import read_model


def schema_names(corpus: Path) -> list[str]:
    """The words to rename, longest first (so a name inside another is not hit): the schema
    names, and the property names that hold schemas, since a schema no page names is named
    after the property that holds it. (Sample objects no page names that have the same keys
    on every copy still become one schema, as they should: a handful per copy.)"""
    api = read_model([corpus]).api
    words = {s.name for s in api.schemas}
    for schema in api.schemas:
        for prop in schema.properties:
            t = prop.type.item or prop.type
            if t.kind == "ref" and prop.name.isidentifier():
                words.add(prop.name)
    return sorted(words, key=lambda n: (-len(n), n))


def scaled_page(text: str, copy: int, names: re.Pattern[str]) -> str:
    if copy == 0:
        return text
    text = re.sub(r"^(uid|id): *(\S+)", lambda m: f"{m.group(1)}: {m.group(2)}K{copy}", text, count=1, flags=re.M)
    text = re.sub(r"/api/v1/Agents/(\w+)", lambda m: f"/api/v1/Agents/{m.group(1)}K{copy}", text)
    text = re.sub(r"/api/v1/(?!Agents)(\w+)", lambda m: f"/api/v1/{m.group(1)}K{copy}", text)
    return names.sub(lambda m: f"{m.group(1)}K{copy}", text)


def build(corpus: Path, target: Path, copies: int) -> int:
    """Write `copies` renamed copies of `corpus` under `target`; returns the page count."""
    if target.exists():
        shutil.rmtree(target)
    names = re.compile(r"\b(" + "|".join(map(re.escape, schema_names(corpus))) + r")\b")
    pages = {page.relative_to(corpus): page.read_text(encoding="utf-8") for page in sorted(corpus.rglob("*.md"))}
    for copy in range(copies):
        for relative, text in pages.items():
            out = target / f"copy{copy:03d}" / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(scaled_page(text, copy, names), encoding="utf-8")
    return copies * len(pages)
