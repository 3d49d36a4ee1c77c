"""The whole run as plain data: files -> pages -> Api -> {relative path: text}, with diagnostics."""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from docgen import __version__
from docgen.cache import Cache, digest
from docgen.config import Config
from docgen.diagnostics import BLOCKING, Diagnostic, diag, sort_diagnostics
from docgen.dialects.superoffice import SUPEROFFICE
from docgen.emit.format import format_python
from docgen.emit.layout import black_would_change
from docgen.emit.openapi import openapi_text
from docgen.emit.python_package import Project, package_files, runtime_sources
from docgen.emit.render import TemplateProblem, template_sources
from docgen.model.api import Api
from docgen.model.build import build_api, build_from_drafts, read_draft
from docgen.model.drafts import OperationDraft
from docgen.parse.markdown import decode, parse_page
from docgen.parse.page import PageDoc
from docgen.report import for_generate
from docgen.workers import pool_map, worker_count

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (pages parsed so far, pages in all)
_PARALLEL_FROM = 64  # below this many pages, starting processes costs more than it saves


@dataclass(frozen=True)
class Result:
    api: Api | None  # None when the whole run came from the cache
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    pages: int
    cached: bool = False

    @property
    def blocked(self) -> bool:
        """Errors after which nothing may be written (no pages, a broken template...)."""
        return any(d.code in BLOCKING for d in self.diagnostics)


@dataclass(frozen=True)
class Source:
    name: str  # the path as diagnostics show it
    data: bytes | None
    error: str = ""


def find_pages(inputs: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Every *.md under the inputs, in a fixed order whatever the file system's. Links inside
    a folder are not followed: docgen reads what the inputs hold, nothing they point at."""
    found: set[Path] = set()
    diags: list[Diagnostic] = []
    for item in inputs:
        try:
            info = item.stat()
        except OSError as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else f"cannot read: {error.strerror}"
            diags.append(diag(display(item), 0, "DG024", reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            found.update(_pages_under(item, diags))
        elif stat.S_ISREG(info.st_mode):
            found.add(item)
        else:
            diags.append(diag(display(item), 0, "DG024", "not a file or folder"))
    return sorted(found, key=display), diags


def _pages_under(folder: Path, diags: list[Diagnostic]) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        diags.append(diag(display(where), 0, "DG024", f"cannot read the folder: {error.strerror}"))

    for root, _, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root) / name
            if name.endswith(".md") and not path.is_symlink() and path.is_file():
                yield path


def display(path: Path) -> str:
    """The path as diagnostics show it: relative to the working folder when inside it, and
    printable whatever bytes the file name holds."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        relative = ".."
    shown = path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_sources(paths: list[Path]) -> list[Source]:
    sources = []
    for path in paths:
        try:
            sources.append(Source(display(path), path.read_bytes()))
        except OSError as error:
            sources.append(Source(display(path), None, error.strerror or str(error)))
    return sources


def parse_source(source: Source) -> tuple[PageDoc | None, list[Diagnostic]]:
    if source.data is None:
        return None, [diag(source.name, 0, "DG001", f"cannot read: {source.error}")]
    text, diags = decode(source.data, source.name)
    if text is None:
        return None, diags
    page, page_diags = parse_page(text, source.name)
    return page, diags + page_diags


def read_page(path: Path) -> tuple[PageDoc | None, list[Diagnostic]]:
    return parse_source(read_sources([path])[0])


def parse_sources(
    sources: list[Source], jobs: int = 1, progress: Progress | None = None
) -> tuple[list[PageDoc], list[Diagnostic]]:
    """Every page parsed, in parallel processes for large inputs; results keep input order."""
    return _map_pages(parse_source, sources, jobs, progress)


def draft_source(source: Source) -> tuple[tuple[OperationDraft, list[Diagnostic]] | None, list[Diagnostic]]:
    page, diags = parse_source(source)
    return (None if page is None else read_draft(page)), diags


def draft_sources(
    sources: list[Source], jobs: int = 1, progress: Progress | None = None
) -> tuple[list[tuple[OperationDraft, list[Diagnostic]]], list[Diagnostic]]:
    """Every page parsed and read into drafts where it was parsed: the workers send back the
    drafts, which are smaller than the pages, and the reading runs in parallel too."""
    return _map_pages(draft_source, sources, jobs, progress)


def _map_pages(
    function: Callable[[Source], tuple[T | None, list[Diagnostic]]],
    sources: list[Source],
    jobs: int,
    progress: Progress | None,
) -> tuple[list[T], list[Diagnostic]]:
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

    if workers > 1 and len(sources) >= _PARALLEL_FROM:
        chunk = max(8, len(sources) // (workers * 8))
        for result in pool_map(function, sources, workers, chunk):
            take(result)
    else:
        for source in sources:
            take(function(source))
    return results, diags


def parse_all(paths: list[Path], jobs: int = 1) -> tuple[list[PageDoc], list[Diagnostic]]:
    return parse_sources(read_sources(paths), jobs)


@dataclass(frozen=True)
class Model:
    """The pages and the model they make, for the commands that need both (lint, diff, inspect)."""

    pages: list[PageDoc]
    api: Api
    diagnostics: list[Diagnostic]
    files: int  # pages found, including those that could not be read


def read_model(inputs: Iterable[Path], jobs: int = 0) -> Model:
    paths, diags = find_pages(inputs)
    with few_collections():
        pages, parse_diags = parse_sources(read_sources(paths), jobs)
        api, build_diags = build_api(pages)
    return Model(pages, api, diags + parse_diags + build_diags, len(paths))


def emit(api: Api, config: Config, cache: Cache | None = None) -> tuple[dict[str, str], list[Diagnostic]]:
    """Api -> output files (relative paths): the OpenAPI document and the Python project. The
    Python is laid out as black lays it out (the tests hold it to that); `config.black` runs
    black over it as well. A template that cannot be rendered gives a diagnostic and no files."""
    templates = str(config.templates) if config.templates else None
    project = Project(config.package, config.distribution or config.package.replace("_", "-"), config.version, config.title, config.description or f"Client for the {config.title}")
    try:
        files = package_files(api, project, SUPEROFFICE, templates)
        openapi = openapi_text(api, config.title, config.version, templates)
    except TemplateProblem as problem:
        return {}, [problem.diagnostic]
    # the layout fits every line black would leave alone; a line it cannot fit (a name longer than
    # a line) hands that file to black, so the output is black-stable whatever the pages say
    for name, text in files.items():
        if name.endswith(".py") and (config.black or black_would_change(text)):
            files[name] = format_python(text, name, cache)
    files["openapi.yaml"] = openapi
    return files, []


def run_key(sources: list[Source], templates: list[tuple[str, bytes]], config: Config) -> str:
    """Everything the output and the diagnostics depend on."""
    parts: list[bytes | str] = [__version__, config.package, config.title, config.version, str(config.black)]
    parts += [config.distribution, config.description]
    for name, data in [*templates, *runtime_sources()]:
        parts += [name, data]
    for source in sources:
        parts += [source.name, source.data if source.data is not None else "\0missing:" + source.error]
    return digest(*parts)


@contextmanager
def few_collections() -> Iterator[None]:
    """A run allocates hundreds of thousands of small objects that all live to its end, and
    nothing it makes is cyclic garbage: at the default thresholds the cyclic collector spent
    more time than the parsing (2 s of 5 s at 3,300 pages). Workers forked inside inherit it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def run(config: Config, progress: Progress | None = None) -> Result:
    with few_collections():
        return _run(config, progress)


def _run(config: Config, progress: Progress | None) -> Result:
    paths, diags = find_pages(config.inputs)
    sources = read_sources(paths)
    templates, template_diags = template_sources(str(config.templates) if config.templates else None)
    if template_diags:
        return Result(None, {}, sort_diagnostics(diags + template_diags), len(paths))
    cache = Cache(config.cache_dir, writable=not config.read_only) if config.cache_dir is not None else None
    key = run_key(sources, templates, config) if cache is not None else ""
    if cache is not None:
        hit = cache.get_run(key)
        if hit is not None:
            cached_files, cached_diags, pages = hit
            return Result(None, cached_files, sort_diagnostics(diags + cached_diags), pages, cached=True)
    drafts, parse_diags = draft_sources(sources, config.jobs, progress)
    api, build_diags = build_from_drafts(drafts)
    all_diags = for_generate(diags + parse_diags + build_diags)
    if not api.operations and not any(d.code in BLOCKING for d in all_diags):
        what = f"{len(paths)} files" if paths else "no *.md files"
        all_diags.append(diag(_where(config.inputs), 0, "DG025", f"no reference page could be read ({what} found)"))
    files: dict[str, str] = {}
    if not any(d.code in BLOCKING for d in all_diags):
        files, emit_diags = emit(api, config, cache)
        all_diags += emit_diags
    all_diags = sort_diagnostics(all_diags)
    if cache is not None and files:
        cache.put_run(key, files, all_diags, len(paths))
    return Result(api, files, all_diags, len(paths))


def _where(inputs: tuple[Path, ...]) -> str:
    return display(inputs[0]) if len(inputs) == 1 else "."
