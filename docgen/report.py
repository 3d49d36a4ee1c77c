"""How diagnostics reach a person or a program: one line each, a closing count by code with what
the code means, the same as JSON, and for lint a compact report that fits one screen whatever
the size of the reference."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from docgen.diagnostics import CODES, RESTATES, Diagnostic, Severity, count

SKIPPED = "DG002"  # not a reference page: counted, listed only when asked (-v)
_EXAMPLES = 3


def for_generate(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """What generate reports: its own codes, not the lint findings the build also makes."""
    return [d for d in diags if not d.code.startswith("DL")]


def for_lint(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Everything, less the generate notes a lint finding restates at the same place."""
    diags = list(diags)
    restated = {(d.path, d.line, RESTATES[d.code]) for d in diags if d.code in RESTATES}
    return [d for d in diags if (d.path, d.line, d.code) not in restated]


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
    return f"{files} pages{skip}: {errors} errors, {warnings} warnings, {notes} notes"


def text_report(diags: list[Diagnostic], files: int, quiet: bool = False, verbose: bool = False) -> list[str]:
    lines = []
    for d in diags:
        if d.code == SKIPPED and not verbose:
            continue
        if quiet and d.severity is not Severity.ERROR:
            continue
        lines.append(d.render())
    lines.append(summary(diags, files))
    if not quiet:
        lines += [f"  {code} {CODES[code][0].value:<7} {n:>6}  {CODES[code][1]}" for code, n in counts(diags)]
    return lines


def json_report(diags: list[Diagnostic], files: int) -> str:
    return json.dumps(
        {
            "pages": files,
            "skipped": sum(1 for d in diags if d.code == SKIPPED),
            "counts": {
                code: {"severity": CODES[code][0].value, "count": n, "meaning": CODES[code][1]} for code, n in counts(diags)
            },
            "diagnostics": [d.as_json() for d in diags],
        },
        indent=1,
    )


def compact_report(diags: list[Diagnostic], files: int) -> list[str]:
    """One line per code: how many, what it means, and the pages where it occurs most."""
    lines = [summary(diags, files)]
    for code, n in counts(diags):
        pages = Counter(d.path for d in diags if d.code == code)
        worst = sorted(pages.items(), key=lambda item: (-item[1], item[0]))[:_EXAMPLES]
        shown = ", ".join(f"{path} ({k})" if k > 1 else path for path, k in worst)
        lines.append(f"{code} {CODES[code][0].value:<7} {n:>6}  {CODES[code][1]}: {shown}")
    return lines
