"""Swapping a new output tree in place of the old one, so that at every instant the folder holds
one whole tree, and tidying what a killed run left behind.

A run works in `.NAME.docgen-XXXXXXXX/` beside the output folder NAME: `new/` is the tree it
writes, `journal.json` records the inode of `new/` at its creation. On Linux the two trees trade
places in one `renameat2(RENAME_EXCHANGE)`; after it, `new/` holds the old tree (another inode),
which is how a later run tells a tree never swapped in (delete) from an old one (retire).
Elsewhere two renames do it, and a run killed between them is undone by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import filecmp
import json
import os
import shutil
import stat
import sys
from pathlib import Path

from docgen.files import NotReadable, read_regular
from docgen.output.manifest import ownership

WORK = ".{name}.docgen-"
BLANKS = "blank"  # in a run's folder: empty files made ahead of the write (output.blanks)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Trade the names of a and b in one step; False where the system or file system cannot."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def new_work(out: Path) -> Path:
    """The run's working folder beside `out`, with `new/` and the journal in it."""
    work = out.parent / (WORK.format(name=out.name) + os.urandom(4).hex())
    os.mkdir(work)
    os.mkdir(work / "new")
    journal = {"out": out.name, "new": os.lstat(work / "new").st_ino}
    (work / "journal.tmp").write_text(json.dumps(journal), encoding="utf-8")
    os.replace(work / "journal.tmp", work / "journal.json")
    return work


def swap_in(work: Path, out: Path, exists: bool) -> Path:
    """Put `work/new` at `out`; returns where the old tree is now (inside `work`)."""
    new = work / "new"
    if not exists:
        os.rename(new, out)
        return new
    if exchange(new, out):
        return new
    old = work / "old"
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def _same(a: Path, b: Path) -> bool:
    """Is b the entry a was carried to (a hard link, or a copy where links could not be made)?"""
    try:
        ia, ib = a.lstat(), b.lstat()
    except OSError:
        return False
    if (ia.st_dev, ia.st_ino) == (ib.st_dev, ib.st_ino):
        return True
    if stat.S_ISLNK(ia.st_mode) and stat.S_ISLNK(ib.st_mode):
        return os.readlink(a) == os.readlink(b)
    if stat.S_ISREG(ia.st_mode) and stat.S_ISREG(ib.st_mode) and ia.st_size == ib.st_size:
        return filecmp.cmp(a, b, shallow=False)
    return False


def retire(old: Path, out: Path) -> list[str]:
    """Take apart an old tree after the swap: docgen's files and entries carried into `out` go;
    anything else (written while the run worked) moves into `out`, or stays when `out` has that
    name taken. Returns what stayed."""
    owned = ownership(old)
    kept: list[str] = []

    was, now = os.fspath(old), os.fspath(out)

    def visit(relative: str) -> None:
        with os.scandir(os.path.join(was, relative) if relative else was) as entries:
            found = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
        for name, is_folder in found:
            inner = f"{relative}/{name}" if relative else name
            path, there = os.path.join(was, inner), os.path.join(now, inner)
            if is_folder:
                visit(inner)
                if not any(k.startswith(inner + "/") for k in kept):
                    os.rmdir(path)
            elif owned.owns(inner) or _same(Path(path), Path(there)):
                os.unlink(path)
            elif not os.path.lexists(there) and _make_folders(out, inner):
                os.rename(path, there)
            else:
                kept.append(inner)

    visit("")
    if not kept:
        os.rmdir(old)
    return kept


def _make_folders(out: Path, name: str) -> bool:
    """Make the folders `name` sits in under `out`, none of them a link; False if one is not a folder."""
    folder = out
    for part in Path(name).parts[:-1]:
        folder = folder / part
        try:
            info = folder.lstat()
        except FileNotFoundError:
            os.mkdir(folder)
            continue
        if not stat.S_ISDIR(info.st_mode):
            return False
    return True


def is_blank(name: str) -> bool:
    """A name output.blanks gives a blank: its number."""
    return name.isdigit() and name.isascii()


def listed_blanks(work: Path) -> list[Path]:
    """The blanks in `work`, in the order they were made."""
    folder = work / BLANKS
    try:
        with os.scandir(folder) as entries:
            return [folder / name for name in sorted((e.name for e in entries if is_blank(e.name)), key=int)]
    except OSError:
        return []


def remove_blanks(work: Path) -> None:
    """The blanks in `work` that are still empty files, then their folder if nothing else is in it."""
    for blank in listed_blanks(work):
        try:
            info = blank.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_size == 0:
                blank.unlink()
        except OSError:
            pass
    try:
        os.rmdir(work / BLANKS)
    except OSError:
        pass


def remove_work(work: Path) -> bool:
    for name in ("journal.json", "journal.tmp"):
        (work / name).unlink(missing_ok=True)
    try:
        os.rmdir(work)
    except OSError:
        return False
    return True


def _journal(work: Path) -> dict[str, object] | None:
    try:
        data = json.loads(read_regular(work, "journal.json", 1 << 16))
    except (FileNotFoundError, NotReadable, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def sweep(out: Path, own: Path | None = None) -> list[str]:
    """Finish or undo what killed runs left beside `out`. Runs under the folder lock, so no
    live run owns these but this one (`own`: its blanks' folder, made before the lock) and
    runs that are still making blanks, which lose them and write without. Returns what had to
    be left, as messages."""
    prefix = WORK.format(name=out.name)
    notes: list[str] = []
    try:
        found = sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix) and p != own)
    except OSError:
        return notes
    for work in found:
        if not stat.S_ISDIR(work.lstat().st_mode):
            continue
        try:
            notes += tidy(work, out)
        except OSError as error:
            notes.append(f"{work}: {error.strerror or error}; left as it is")
    return notes


def tidy(work: Path, out: Path) -> list[str]:
    journal = _journal(work)
    new, old = work / "new", work / "old"
    kept: list[str] = []
    if old.is_dir() and not old.is_symlink():
        if not os.path.lexists(out):
            os.rename(old, out)  # killed between the two renames: the old tree comes back
        else:
            kept += retire(old, out)
    if new.is_dir() and not new.is_symlink():
        if journal is not None and new.lstat().st_ino == journal.get("new"):
            shutil.rmtree(new)  # never swapped in: all of it docgen's, or links to what `out` holds
        elif journal is not None:
            kept += retire(new, out)
        elif not any(new.iterdir()):
            new.rmdir()
    if kept:
        return [f"{work}: kept {', '.join(kept[:3])}: `{out.name}` already has files of those names"]
    remove_blanks(work)
    if not remove_work(work):
        return [f"{work}: not empty; left as it is"]
    return []

