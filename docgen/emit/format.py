"""black, as a guard: generated Python must be valid and formatted, or the run fails cleanly."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=100)


class FormatError(Exception):
    """Generated code that black cannot parse: a bug in docgen, never the user's input."""


def format_python(source: str, name: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as error:
        raise FormatError(f"{name}: generated code does not parse: {error}") from error
