"""Front matter: the flat `key: value` block between `---` lines at the top of a page.

The pages only ever use flat scalar keys, so a line reader is enough and, unlike a YAML
parser, never fails on titles such as `GET Contact/{id}`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, tuple[str, int]]  # key -> (value, 1-based line)
    end: int  # 0-based index of the first line after the block (0 when there is none)
    closed: bool


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def read_front_matter(lines: list[str]) -> FrontMatter | None:
    if not lines or lines[0].strip() != "---":
        return None
    values: dict[str, tuple[str, int]] = {}
    for index in range(1, len(lines)):
        line = lines[index]
        if line.strip() in ("---", "..."):
            return FrontMatter(values, index + 1, True)
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-", "#")):
            values.setdefault(key.strip().lower(), (_unquote(value.strip()), index + 1))
    return FrontMatter(values, 0, False)
