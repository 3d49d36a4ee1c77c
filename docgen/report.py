"""How diagnostics reach a person or a program.

For a person (stderr): by default every error, a summary line and one line per code with its
count, what it means and where it first occurs, so that a run over the whole reference prints a
screenful; every diagnostic with `-v`; the errors and the summary with `-q`. For a program: one JSON document. Codes
can be selected and ignored by prefix, as ruff's `select` and `ignore` are.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from docgen.diagnostics import BLOCKING, CODES, RESTATES, Diagnostic, Severity, count

SKIPPED = "DG002"  # not a reference page: counted, listed only when asked (-v)
_EXAMPLES = 3
_COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[2m"}
_RESET = "\033[0m"


def for_generate(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """What generate reports: its own codes, not the lint findings the build also makes."""
    return [d for d in diags if not d.code.startswith("DL")]


def for_lint(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Everything, less the generate notes a lint finding restates at the same place."""
    diags = list(diags)
    restated = {(d.path, d.line, RESTATES[d.code]) for d in diags if d.code in RESTATES}
    return [d for d in diags if (d.path, d.line, d.code) not in restated]


def selected(diags: Iterable[Diagnostic], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Diagnostic]:
    """The diagnostics whose code starts with one of `select` (all, when empty) and none of
    `ignore`. A code that stops the run (nothing is written) is never left out."""
    return [
        d
        for d in diags
        if d.code in BLOCKING
        or ((not select or d.code.startswith(tuple(select))) and not d.code.startswith(tuple(ignore)))
    ]


def unknown_codes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes no code starts with (a typo in `--select` or `--ignore`)."""
    return [p for p in prefixes if not any(code.startswith(p) for code in CODES)]


def failed(diags: Iterable[Diagnostic], strict: bool) -> bool:
    diags = list(diags)
    return count(diags, Severity.ERROR) > 0 or (strict and count(diags, Severity.WARNING) > 0)


def counts(diags: Iterable[Diagnostic]) -> list[tuple[str, int]]:
    """(code, how many) by severity, then code."""
    found = Counter(d.code for d in diags)
    return sorted(found.items(), key=lambda item: (_rank(item[0]), item[0]))


def _rank(code: str) -> int:
    return [Severity.ERROR, Severity.WARNING, Severity.INFO].index(CODES[code][0])


def summary(diags: list[Diagnostic], files: int) -> str:
    skipped = sum(1 for d in diags if d.code == SKIPPED)
    shown = [d for d in diags if d.code != SKIPPED]
    errors, warnings, notes = (count(shown, s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    skip = f", {skipped} skipped as not reference pages" if skipped else ""
    return (
        f"{_many(files, 'page')}{skip}: {_many(errors, 'error')}, {_many(warnings, 'warning')}, {_many(notes, 'note')}"
    )


def _many(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def use_color(stream: TextIO) -> bool:
    """Colour on a terminal, never in a pipe, with NO_COLOR set or on a dumb terminal."""
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _paint(text: str, severity: Severity, color: bool) -> str:
    return f"{_COLORS[severity]}{text}{_RESET}" if color else text


def _line(d: Diagnostic, color: bool) -> str:
    if not color:
        return d.render()
    where = f"{d.path}:{d.line}" + (f":{d.col}" if d.col else "")
    return f"{where}: {_paint(d.severity.value, d.severity, True)}[{d.code}]: {d.message}"


def _code_line(code: str, n: int, first: Diagnostic | None, color: bool) -> str:
    """`  DG011 warning     12  what the code means; first at page.md:40: its message`."""
    severity = CODES[code][0]
    head = f"  {code} {_paint(f'{severity.value:<7}', severity, color)} {n:>6}  {CODES[code][1]}"
    if first is None or code == SKIPPED:
        return head
    said = f": {first.message}" if severity is not Severity.INFO or n == 1 else ""  # a note said once is said whole
    return f"{head}; first at {first.path}:{first.line}{said}"


@dataclass(frozen=True)
class Style:
    """How much a person is shown: `quiet` the errors, `verbose` everything, else a line per code."""

    quiet: bool = False
    verbose: bool = False
    color: bool = False
    strict: bool = False  # warnings fail the run, so each is listed as an error is


def text_report(diags: list[Diagnostic], files: int, style: Style = Style()) -> list[str]:
    lines: list[str] = []
    if style.verbose:
        lines += [_line(d, style.color) for d in diags]
    else:  # everything that fails the run, which has to be fixed; of the rest, a line per code below
        failing = {Severity.ERROR, Severity.WARNING} if style.strict else {Severity.ERROR}
        lines += [_line(d, style.color) for d in diags if d.severity in failing]
    lines.append(summary(diags, files))
    if style.quiet:
        return lines
    first: dict[str, Diagnostic] = {}
    for d in diags:
        first.setdefault(d.code, d)
    for code, n in counts(diags):
        lines.append(_code_line(code, n, None if style.verbose else first[code], style.color))
    return lines


def report_json(diags: list[Diagnostic], files: int, **more: object) -> dict[str, object]:
    """The report as one JSON object; `more` adds a command's own findings (what was written,
    what is stale)."""
    return {
        "pages": files,
        "skipped": sum(1 for d in diags if d.code == SKIPPED),
        "counts": {
            code: {"severity": CODES[code][0].value, "count": n, "meaning": CODES[code][1]} for code, n in counts(diags)
        },
        "diagnostics": [d.as_json() for d in diags],
        **more,
    }


def json_report(diags: list[Diagnostic], files: int, **more: object) -> str:
    return json.dumps(report_json(diags, files, **more), indent=1)


def compact_report(diags: list[Diagnostic], files: int) -> list[str]:
    """One line per code: how many, what it means, and the pages where it occurs most."""
    lines = [summary(diags, files)]
    for code, n in counts(diags):
        pages = Counter(d.path for d in diags if d.code == code)
        worst = sorted(pages.items(), key=lambda item: (-item[1], item[0]))[:_EXAMPLES]
        shown = ", ".join(f"{path} ({k})" if k > 1 else path for path, k in worst)
        lines.append(f"{code} {CODES[code][0].value:<7} {n:>6}  {CODES[code][1]}: {shown}")
    return lines


def say(text: str) -> None:
    """A line for a person: stderr."""
    print(text, file=sys.stderr)
