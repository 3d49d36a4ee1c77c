"""Python laid out the way black leaves it, so that black is a guard in the tests rather than a
cost paid on every line of every run (black would dominate the run time).

Two habits make that hold whatever the text: a call goes on one line when it fits and otherwise
takes one argument a line with a trailing comma (black's "magic trailing comma" keeps that form);
docstrings are indented and closed the way black closes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.emit.escape import yaml_key

LINE_LENGTH = 100


def width(text: str) -> int:
    """Columns a line takes, counted as black counts them (wide characters take two)."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


@dataclass(frozen=True)
class Call:
    """`head(args)`, or a bracketed literal (`brackets="[]"`); args are code or nested calls."""

    head: str
    args: tuple[Expr, ...]
    brackets: str = "()"


Expr = str | Call


def flat(expr: Expr, known: dict[int, str] | None = None) -> str:
    """`expr` on one line. `known` keeps each call's line by id, so that laying out a tree
    that does not fit makes each line of its parts once."""
    if isinstance(expr, str):
        return expr
    if known is not None and id(expr) in known:
        return known[id(expr)]
    opening, closing = expr.brackets[0], expr.brackets[1]
    text = f"{expr.head}{opening}{', '.join(flat(a, known) for a in expr.args)}{closing}"
    if known is not None:
        known[id(expr)] = text
    return text


def render(expr: Expr, indent: int, tail: str = "", known: dict[int, str] | None = None) -> str:
    """`expr` at `indent`, on one line if it fits, else exploded one argument a line."""
    pad = " " * indent
    if known is None:
        known = {}
    one = pad + flat(expr, known) + tail
    if isinstance(expr, str) or not expr.args or width(one) <= LINE_LENGTH:
        return one
    opening, closing = expr.brackets[0], expr.brackets[1]
    inner = [render(arg, indent + 4, ",", known) for arg in expr.args]
    return "\n".join([f"{pad}{expr.head}{opening}", *inner, f"{pad}{closing}{tail}"])


def fits(text: str) -> bool:
    return all(width(line) <= LINE_LENGTH for line in text.split("\n"))


# Lines black cannot make shorter: a string, a name, `keyword=string`, `def name(`, `class Name(`,
# `Name as Name` in an import, `"key": "value"` in a dict, a dotted name (`module.Class`).
_STRING = r"""("([^"\\]|\\.)*"|'([^'\\]|\\.)*')"""
_ATOM = re.compile(
    rf"^(\w+=)?({_STRING}|\w+(\.\w+)*)\)?$|^(async def|def|class) \w+\($|^\w+ as \w+$|^{_STRING}: {_STRING}$"
)


def black_would_change(text: str) -> bool:
    """Does a line run over the limit where black would break it? Docstring lines and atoms
    (see _ATOM) may run over: black leaves them as they are."""
    lines = text.split("\n")
    if text.isascii() and max(map(len, lines)) <= LINE_LENGTH:
        return False  # every line fits: the usual case, seen without looking at each line
    in_docstring = False
    for line in lines:
        quotes = line.count('"""')
        if in_docstring or quotes:
            in_docstring = in_docstring != (quotes % 2 == 1)
            continue
        if width(line) > LINE_LENGTH and not _ATOM.match(line.strip().removesuffix(",")):
            return True
    return False


def call(head: str, args: Sequence[Expr], indent: int, tail: str = "", brackets: str = "()") -> str:
    return render(Call(head, tuple(args), brackets), indent, tail)


def docstring_block(body: str, indent: int) -> str:
    """A docstring statement from an escaped body (see escape.docstring) at `indent`."""
    pad = " " * indent
    lines = body.split("\n") if body else [""]
    text = pad + '"""' + lines[0]
    for line in lines[1:]:
        text += "\n" + (pad + line if line else "")
    last = text.rsplit("\n", 1)[-1]
    if len(lines) > 1 and width(last) + 3 > LINE_LENGTH:
        return text + "\n" + pad + '"""'
    return text + '"""'


def import_line(module: str, names: Sequence[str], indent: int = 0) -> str:
    """`from module import a, b` at `indent`, parenthesised one name a line when it does not fit."""
    pad = " " * indent
    one = f"{pad}from {module} import {', '.join(names)}"
    if width(one) <= LINE_LENGTH:
        return one
    return "\n".join([f"{pad}from {module} import (", *(f"{pad}    {name}," for name in names), f"{pad})"])


def yaml_node(value: object, indent: int) -> str:
    """A YAML node in block style after a key's colon (or a list's dash): keys and scalars
    arrive escaped; this only lays them out. `{}` and `[]` for empty containers."""
    if isinstance(value, dict):
        if not value:
            return " {}"
        pad = " " * indent
        parts = []
        for key, item in value.items():
            inner = yaml_node(item, indent + 2) if isinstance(item, (dict, list)) else f" {item}"
            parts.append(f"\n{pad}{yaml_key(str(key), indent)}{inner}")
        return "".join(parts)
    if isinstance(value, list):
        if not value:
            return " []"
        pad = " " * indent
        parts = []
        for item in value:
            inner = yaml_node(item, indent + 2).strip() if isinstance(item, (dict, list)) else str(item)
            parts.append(f"\n{pad}- {inner}")
        return "".join(parts)
    return f" {value}"
