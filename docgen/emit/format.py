"""black, as a guard: generated Python must be valid and formatted, or the run fails cleanly."""

from __future__ import annotations

from importlib.metadata import version

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from docgen.cache import Cache, digest

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=100)
BLACK_VERSION = version("black")


class FormatError(Exception):
    """Generated code that black cannot parse: a bug in docgen, never the user's input."""


def format_python(source: str, name: str, cache: Cache | None = None) -> str:
    key = digest(BLACK_VERSION, repr(MODE), source) if cache is not None else ""
    if cache is not None:
        cached = cache.get_text("format", key)
        if cached is not None:
            return cached
    try:
        formatted = black.format_str(source, mode=MODE)
    except InvalidInput as error:
        raise FormatError(f"{name}: generated code does not parse: {error}") from error
    if cache is not None:
        cache.put_text("format", key, formatted)
    return formatted
