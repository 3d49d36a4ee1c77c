"""Build a scaled corpus: N renamed copies of the reference pages, so that nothing collapses into
duplicates (uids, paths, groups and schema names all get a per-copy suffix)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docgen.model.build import build_api
from docgen.pipeline import find_pages, parse_all


def schema_names(corpus: Path) -> list[str]:
    """The words to rename, longest first (so a name inside another is not hit): the schema
    names, and the property names that hold schemas, since a schema no page names is named
    after the property that holds it. (Sample objects no page names that have the same keys
    on every copy still become one schema, as they should: a handful per copy.)"""
    pages, _ = parse_all(find_pages([corpus])[0])
    api, _ = build_api(pages)
    words = {s.name for s in api.schemas}
    for schema in api.schemas:
        for prop in schema.properties:
            t = prop.type.item or prop.type
            if t.kind == "ref" and prop.name.isidentifier():
                words.add(prop.name)
    return sorted(words, key=lambda n: (-len(n), n))


def renamer(names: list[str], copy: int) -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = {n: f"{n}K{copy}" for n in names}
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b"), mapping


def scaled_page(text: str, copy: int, pattern: re.Pattern[str], mapping: dict[str, str]) -> str:
    if copy == 0:
        return text
    text = re.sub(r"^(uid|id): *(\S+)", lambda m: f"{m.group(1)}: {m.group(2)}K{copy}", text, count=1, flags=re.M)
    text = re.sub(r"/api/v1/Agents/(\w+)", lambda m: f"/api/v1/Agents/{m.group(1)}K{copy}", text)
    text = re.sub(r"/api/v1/(?!Agents)(\w+)", lambda m: f"/api/v1/{m.group(1)}K{copy}", text)
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def build(corpus: Path, target: Path, copies: int) -> int:
    """Write `copies` renamed copies of `corpus` under `target`; returns the page count."""
    if target.exists():
        shutil.rmtree(target)
    names = schema_names(corpus)
    pages = [p for p in corpus.rglob("*.md")]
    count = 0
    for copy in range(copies):
        pattern, mapping = renamer(names, copy)
        for page in pages:
            out = target / f"copy{copy:03d}" / page.relative_to(corpus)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(scaled_page(page.read_text(encoding="utf-8"), copy, pattern, mapping), encoding="utf-8")
            count += 1
    return count
