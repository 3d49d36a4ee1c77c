"""A progress bar for long runs on a terminal; nothing at all in CI, in pipes or for small runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from docgen.pages import Progress

_MIN_PAGES = 200


def wanted(enabled: bool) -> bool:
    return enabled and sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    if not wanted(enabled):
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        task: list[object] = []

        def advance(done: int, total: int) -> None:
            if total < _MIN_PAGES:
                return
            if not task:
                task.append(bar.add_task("parsing pages", total=total))
            bar.update(task[0], completed=done)  # type: ignore[arg-type]

        yield advance
