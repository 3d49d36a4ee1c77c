"""The pages a run reads: found under the inputs in a fixed order, named as diagnostics show
them, and read with the stamp they had (docgen.stamps), so that the next run can tell a page it
has already read without reading it again."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docgen.diagnostics import Diagnostic, diag
from docgen.stamps import Stamp, settled, stamp

_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class Source:
    name: str  # the path as diagnostics show it
    data: bytes | None
    error: str = ""
    stamp: Stamp | None = None  # the file's stamp taken before its bytes were read, when settled


def find_pages(inputs: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Every *.md under the inputs, in a fixed order whatever the file system's. Links inside
    a folder are not followed: docgen reads what the inputs hold, nothing they point at."""
    named, diags = find_named(inputs)
    return [path for path, _ in named], diags


def find_named(inputs: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """find_pages with each page's name as diagnostics show it, sorted by that name."""
    found: dict[str, Path] = {}  # by the path's text: a Path's own hash costs more than finding it
    diags: list[Diagnostic] = []
    for item in inputs:
        try:
            info = item.stat()
        except OSError as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else f"cannot read: {error.strerror}"
            diags.append(diag(display(item), 0, "DG024", reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            found.update((str(path), path) for path in _pages_under(item, diags))
        elif stat.S_ISREG(info.st_mode):
            found[str(item)] = item
        else:
            diags.append(diag(display(item), 0, "DG024", "not a file or folder"))
    cwd = os.getcwd()
    return sorted(((path, display(path, cwd)) for path in found.values()), key=lambda pair: pair[1]), diags


def _pages_under(folder: Path, diags: list[Diagnostic]) -> Iterator[Path]:
    """The *.md files under `folder` that are files, not links (the directory entries say which,
    so a file costs no call of its own)."""
    todo = [folder]
    while todo:
        current = todo.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(current / entry.name)
                    elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                        yield current / entry.name
        except OSError as error:
            diags.append(diag(display(current), 0, "DG024", f"cannot read the folder: {error.strerror}"))


def display(path: Path, cwd: str | None = None) -> str:
    """The path as diagnostics show it: normalised (`sdk/../ref/a.md` is `ref/a.md`), relative
    to the working folder (`cwd`, when the caller has it) when inside it, and printable whatever
    bytes the file name holds."""
    text = path.as_posix()
    if ".." in path.parts or "." in text.split("/"):
        text = Path(os.path.normpath(path)).as_posix()
    if path.is_absolute() or text.startswith(".."):
        cwd = os.getcwd() if cwd is None else cwd
        full = Path(os.path.normpath(os.path.join(cwd, text))).as_posix()
        root = Path(cwd).as_posix().rstrip("/")
        if full == root or (not root and full == "/"):
            text = "."
        elif full.startswith(root + "/"):
            text = full[len(root) + 1 :]
        else:
            text = full
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_sources(paths: list[Path]) -> list[Source]:
    cwd = os.getcwd()
    return [read_source(path, display(path, cwd)) for path in paths]


def read_source(path: Path, name: str, since_ns: int = 0) -> Source:
    """The page's bytes, with its stamp when its bytes are older than `since_ns` (when the run
    began; 0 keeps no stamp). The stamp is taken from the open file before it is read: a
    change while it is read changes the file's stamp, never the one kept."""
    try:
        fd = os.open(path, os.O_RDONLY | _BINARY)
    except OSError as error:
        return Source(name, None, error.strerror or str(error))
    try:
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            data = handle.read()
    except OSError as error:
        return Source(name, None, error.strerror or str(error))
    return Source(name, data, stamp=stamp(info) if stat.S_ISREG(info.st_mode) and settled(info, since_ns) else None)


def unchanged(named: list[tuple[Path, str]], stamps: dict[str, Stamp]) -> dict[str, Stamp]:
    """The pages whose stamp is the one `stamps` (the last run's) holds: their bytes are the
    ones that run read. A page that cannot be looked at is not one of them."""
    found: dict[str, Stamp] = {}
    for path, name in named:
        kept = stamps.get(name)
        if kept is None:
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        if stamp(info) == kept:
            found[name] = kept
    return found
