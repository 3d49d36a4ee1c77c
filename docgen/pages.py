"""Pages -> their dialect's page facts and drafts, in worker processes for large inputs; and which
dialect reads a run's pages. Workers are handed the dialect's name and their pages: nothing
depends on what a forked child inherits."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects import Detected, Dialect, detect, named
from docgen.model.api import Api
from docgen.model.build import build_from_drafts
from docgen.model.drafts import PageDraft
from docgen.parse.markdown import Document, decode, read_document
from docgen.sources import Source, find_pages, read_sources
from docgen.workers import pool_map, worker_count

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (pages parsed so far, pages in all)
PARALLEL_FROM = 64  # below this many pages, starting processes costs more than it saves
_SAMPLE = 32  # pages whose beginning tells the dialect
_HEAD = 4096  # bytes of each: the front matter and the first sections


def dialect_named(name: str) -> Dialect:
    found = named(name)
    assert found is not None, name
    return found


def document_of(source: Source) -> tuple[Document | None, list[Diagnostic]]:
    if source.data is None:
        return None, [diag(source.name, 0, "DG001", f"cannot read: {source.error}")]
    text, diags = decode(source.data, source.name)
    if text is None:
        return None, diags
    return read_document(text, source.name), diags


def parse_source(source: Source, dialect: Dialect) -> tuple[object | None, list[Diagnostic]]:
    """The page's facts, in its dialect's terms; None for a page that describes nothing."""
    document, diags = document_of(source)
    if document is None:
        return None, diags
    page, page_diags = dialect.read(document)
    return page, diags + page_diags


def draft_source(source: Source, dialect: Dialect) -> tuple[PageDraft | None, list[Diagnostic]]:
    """What the page contributes to the model: parsed and read into drafts in one step, where it
    was parsed (a worker sends back drafts, which are smaller than the pages)."""
    page, diags = parse_source(source, dialect)
    if page is None:
        return None, diags
    drafts, draft_diags = dialect.drafts(page)
    return drafts, diags + draft_diags


def drafts_by_name(name: str, source: Source) -> tuple[PageDraft | None, list[Diagnostic]]:
    """draft_source for a worker, handed the dialect's name (a module-level function pickles by name)."""
    return draft_source(source, dialect_named(name))


def _parse_by_name(name: str, source: Source) -> tuple[object | None, list[Diagnostic]]:
    return parse_source(source, dialect_named(name))


def map_pages(
    function: Callable[[Source], tuple[T | None, list[Diagnostic]]],
    sources: list[Source],
    jobs: int,
    progress: Progress | None = None,
) -> tuple[list[T], list[Diagnostic]]:
    """`function` over every page, in parallel processes for large inputs; results keep input order."""
    workers = worker_count(jobs)
    results: list[T] = []
    diags: list[Diagnostic] = []

    def take(result: tuple[T | None, list[Diagnostic]]) -> None:
        made, page_diags = result
        diags.extend(page_diags)
        if made is not None:
            results.append(made)
        if progress is not None:
            progress(len(results), len(sources))

    if workers > 1 and len(sources) >= PARALLEL_FROM:
        chunk = max(8, len(sources) // (workers * 8))
        for result in pool_map(function, sources, workers, chunk):
            take(result)
    else:
        for source in sources:
            take(function(source))
    return results, diags


def parse_sources(sources: list[Source], dialect: Dialect, jobs: int = 1) -> tuple[list[object], list[Diagnostic]]:
    return map_pages(functools.partial(_parse_by_name, dialect.name), sources, jobs)


def draft_sources(sources: list[Source], dialect: Dialect, jobs: int = 1) -> tuple[list[PageDraft], list[Diagnostic]]:
    return map_pages(functools.partial(drafts_by_name, dialect.name), sources, jobs)


def detect_dialect(paths: list[Path]) -> Detected:
    """The dialect of a run's pages, from the beginning of a sample of them spread over the
    whole (sorted) list: the same pages give the same answer."""
    step = max(1, len(paths) // _SAMPLE)
    sampled = paths[::step][:_SAMPLE]
    documents = []
    for path in sampled:
        try:
            with open(path, "rb") as handle:
                head = handle.read(_HEAD)
        except OSError:
            continue
        text, _ = decode(head[: head.rfind(b"\n") + 1] if len(head) == _HEAD else head, str(path))
        if text is not None:
            documents.append(read_document(text, str(path)))
    return detect(documents)


def choose_dialect(paths: list[Path], configured: str, where: str) -> tuple[Dialect, list[Diagnostic]]:
    """The configured dialect, else the one the pages' own marks name (a note says which, and
    an error when the inputs hold pages of two references)."""
    if configured:
        return dialect_named(configured), []
    found = detect_dialect(paths)
    if found.mixed:
        shown = ", ".join(f"{name}: {count}" for name, count in sorted(found.votes.items()))
        message = f"the inputs hold pages of more than one reference ({shown} of {found.sampled} sampled); run docgen once for each"
        return found.dialect, [diag(where, 0, "DG033", message)]
    if not found.votes:
        return found.dialect, []
    count = found.votes.get(found.dialect.name, 0)
    message = f"read as the {found.dialect.title} ({found.dialect.name}): {count} of {found.sampled} sampled pages say so; set `dialect` in [tool.docgen] to choose"
    return found.dialect, [diag(where, 0, "DG032", message)]


@dataclass(frozen=True)
class Model:
    """The pages and the model they make, for the commands that need both (lint, diff, inspect)."""

    dialect: Dialect
    pages: list[object]
    api: Api
    diagnostics: list[Diagnostic]
    files: int  # pages found, including those that could not be read


def read_model(inputs: Iterable[Path], jobs: int = 0, dialect: str = "") -> Model:
    inputs = list(inputs)
    paths, diags = find_pages(inputs)
    chosen, chosen_diags = choose_dialect(paths, dialect, _where(inputs))
    sources = read_sources(paths)
    pages, parse_diags = parse_sources(sources, chosen, jobs)
    drafts = [chosen.drafts(page) for page in pages]
    api, build_diags = build_from_drafts(drafts, chosen.qualifier)
    return Model(chosen, pages, api, diags + chosen_diags + parse_diags + build_diags, len(paths))


def build_pages(pages: Iterable[object], dialect: Dialect) -> tuple[Api, list[Diagnostic]]:
    """The Api of pages already parsed (tests, and commands that keep the pages)."""
    return build_from_drafts((dialect.drafts(page) for page in pages), dialect.qualifier)


def _where(inputs: list[Path]) -> str:
    from docgen.sources import display

    return display(inputs[0]) if len(inputs) == 1 else "."
