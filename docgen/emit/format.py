"""black, as a guard: generated Python must be valid and formatted, or the run fails cleanly.

black is imported only when it is used (`--black`, or a statement the layout cannot fit):
importing it costs more than a no-change run does.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import Any

from docgen.cache import Cache, digest
from docgen.emit.layout import LINE_LENGTH  # black formats to the width the layout writes


class FormatError(Exception):
    """Generated code that black cannot parse: a bug in docgen, never the user's input."""


@lru_cache(maxsize=1)
def _black() -> tuple[ModuleType, Any, str]:
    from importlib.metadata import version

    import black
    from black.mode import Mode, TargetVersion

    return black, Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH), version("black")


def format_python(source: str, name: str, cache: Cache | None = None) -> str:
    black, mode, black_version = _black()
    key = digest(black_version, repr(mode), source) if cache is not None else ""
    if cache is not None:
        cached = cache.get_text("format", key)
        if cached is not None:
            return cached
    try:
        formatted: str = black.format_str(source, mode=mode)
    except black.parsing.InvalidInput as error:
        raise FormatError(f"{name}: generated code does not parse: {error}") from error
    if cache is not None:
        cache.put_text("format", key, formatted)
    return formatted


def format_statement(text: str, indent: int) -> str:
    """One statement at `indent` (a multiple of 4) as black lays it out. For the rare statement
    the layout cannot fit in a line, such as an identifier longer than a line, where black's
    own rules (parenthesised annotations...) take over."""
    levels = indent // 4
    header = "".join("    " * level + "class _:\n" for level in range(levels))
    formatted = format_python(header + text + "\n", "statement")
    return "\n".join(formatted.split("\n")[levels:]).rstrip("\n")
