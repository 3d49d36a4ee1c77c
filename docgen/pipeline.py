"""The whole run as plain data: files -> pages -> Api -> {relative path: text}, with diagnostics."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.config import Config
from docgen.diagnostics import Diagnostic, diag, sort_diagnostics
from docgen.emit.escape import docstring
from docgen.emit.format import format_python
from docgen.emit.openapi import openapi_view
from docgen.emit.python_client import client_view
from docgen.emit.python_models import models_view
from docgen.emit.python_names import PythonNames
from docgen.emit.render import render
from docgen.model.api import Api
from docgen.model.build import build_api
from docgen.parse.markdown import decode, parse_page
from docgen.parse.page import PageDoc


@dataclass(frozen=True)
class Result:
    api: Api
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    pages: int


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
            diags.append(diag(str(item), 0, "DG001", "no such file or folder"))
    return sorted(found, key=display), diags


def display(path: Path) -> str:
    """The path as diagnostics show it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if not os.path.relpath(path).startswith("..") else path.as_posix()
    except ValueError:
        return path.as_posix()


def read_page(path: Path) -> tuple[PageDoc | None, list[Diagnostic]]:
    name = display(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [diag(name, 0, "DG001", f"cannot read: {error.strerror}")]
    text, diags = decode(data, name)
    if text is None:
        return None, diags
    page, page_diags = parse_page(text, name)
    return page, diags + page_diags


def parse_all(paths: list[Path]) -> tuple[list[PageDoc], list[Diagnostic]]:
    pages: list[PageDoc] = []
    diags: list[Diagnostic] = []
    for path in paths:
        page, page_diags = read_page(path)
        diags.extend(page_diags)
        if page is not None:
            pages.append(page)
    return pages, diags


def emit(api: Api, config: Config) -> dict[str, str]:
    """Api -> output files (relative paths), Python formatted by black."""
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
    files = {name: format_python(text, name) for name, text in python.items()}
    files[f"{package}/py.typed"] = ""
    files["openapi.yaml"] = render("openapi.yaml.jinja", openapi_view(api, config.title, config.version), templates)
    return files


def run(config: Config) -> Result:
    paths, diags = find_pages(config.inputs)
    pages, parse_diags = parse_all(paths)
    api, build_diags = build_api(pages)
    files = emit(api, config)
    return Result(api, files, sort_diagnostics(diags + parse_diags + build_diags), len(paths))
