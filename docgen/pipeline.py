"""The whole run as plain data: files -> pages -> Api -> {relative path: text}, with diagnostics."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from docgen import __version__
from docgen.cache import Cache, digest
from docgen.config import Config
from docgen.diagnostics import Diagnostic, diag, sort_diagnostics
from docgen.emit.escape import docstring
from docgen.emit.format import format_python
from docgen.emit.openapi import openapi_view
from docgen.emit.python_client import client_view
from docgen.emit.python_models import models_view
from docgen.emit.python_names import PythonNames
from docgen.emit.render import render, template_sources
from docgen.model.api import Api
from docgen.model.build import build_api
from docgen.parse.markdown import decode, parse_page
from docgen.parse.page import PageDoc

Progress = Callable[[int, int], None]  # (pages parsed so far, pages in all)
_PARALLEL_FROM = 64  # below this many pages, starting processes costs more than it saves


@dataclass(frozen=True)
class Result:
    api: Api | None  # None when the whole run came from the cache
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    pages: int
    cached: bool = False


@dataclass(frozen=True)
class Source:
    name: str  # the path as diagnostics show it
    data: bytes | None
    error: str = ""


def find_pages(inputs: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Every *.md under the inputs, in a fixed order whatever the file system's."""
    found: set[Path] = set()
    diags: list[Diagnostic] = []
    for item in inputs:
        if item.is_dir():
            found.update(p for p in item.rglob("*.md") if p.is_file())
        elif item.is_file():
            found.add(item)
        else:
            diags.append(diag(item.as_posix(), 0, "DG001", "no such file or folder"))
    return sorted(found, key=display), diags


def display(path: Path) -> str:
    """The path as diagnostics show it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


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
    """Parse every page, in parallel processes for large inputs; results keep input order."""
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    pages: list[PageDoc] = []
    diags: list[Diagnostic] = []

    def take(result: tuple[PageDoc | None, list[Diagnostic]]) -> None:
        page, page_diags = result
        diags.extend(page_diags)
        if page is not None:
            pages.append(page)
        if progress is not None:
            progress(len(pages), len(sources))

    if workers > 1 and len(sources) >= _PARALLEL_FROM:
        chunk = max(8, len(sources) // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(parse_source, sources, chunksize=chunk):
                take(result)
    else:
        for source in sources:
            take(parse_source(source))
    return pages, diags


def parse_all(paths: list[Path], jobs: int = 1) -> tuple[list[PageDoc], list[Diagnostic]]:
    return parse_sources(read_sources(paths), jobs)


def emit(api: Api, config: Config, cache: Cache | None = None) -> dict[str, str]:
    """Api -> output files (relative paths). The Python is laid out as black lays it out (the
    tests hold it to that); `config.black` runs black over it as well."""
    names = PythonNames(api)
    templates = str(config.templates) if config.templates else None
    package = config.package
    python = {
        f"{package}/__init__.py": render(
            "__init__.py.jinja", {"doc": docstring(f"Client for the {config.title}.")}, templates
        ),
        f"{package}/models.py": render("models.py.jinja", models_view(api, names), templates),
        f"{package}/client.py": render("client.py.jinja", client_view(api, names), templates),
    }
    files = {name: format_python(text, name, cache) if config.black else text for name, text in python.items()}
    files[f"{package}/py.typed"] = ""
    files["openapi.yaml"] = render("openapi.yaml.jinja", openapi_view(api, config.title, config.version), templates)
    return files


def run_key(sources: list[Source], config: Config) -> str:
    """Everything the output and the diagnostics depend on."""
    parts: list[bytes | str] = [__version__, config.package, config.title, config.version, str(config.black)]
    for name, text in template_sources(str(config.templates) if config.templates else None):
        parts += [name, text]
    for source in sources:
        parts += [source.name, source.data if source.data is not None else "\0missing:" + source.error]
    return digest(*parts)


def run(config: Config, progress: Progress | None = None) -> Result:
    paths, diags = find_pages(config.inputs)
    sources = read_sources(paths)
    cache = Cache(config.cache_dir) if config.cache_dir is not None else None
    key = run_key(sources, config) if cache is not None else ""
    if cache is not None:
        hit = cache.get_run(key)
        if hit is not None:
            files, cached_diags, pages = hit
            return Result(None, files, sort_diagnostics(diags + cached_diags), pages, cached=True)
    pages_parsed, parse_diags = parse_sources(sources, config.jobs, progress)
    api, build_diags = build_api(pages_parsed)
    files = emit(api, config, cache)
    all_diags = sort_diagnostics(diags + parse_diags + build_diags)
    if cache is not None:
        cache.put_run(key, files, all_diags, len(paths))
    return Result(api, files, all_diags, len(paths))
