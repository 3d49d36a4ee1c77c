"""Swapping a new output tree in place of the old one, so that at every instant the folder holds
one whole tree, and tidying what a killed run left behind.

A run works in `.NAME.docgen-XXXXXXXX/` beside the output folder NAME (a folder only its user
can enter): `new/` is the tree it writes, `journal.json` records the inode of `new/` at its
creation, signed with the user's key (docgen.secret). On Linux the two trees trade places in one
`renameat2(RENAME_EXCHANGE)`; after it, `new/` holds the old tree (another inode), which is how a
later run tells a tree never swapped in (delete) from an old one (retire). Elsewhere two renames
do it, and a run killed between them is undone by the next one.

A later run acts only on a folder whose journal verifies: one this user's docgen made for this
very output folder. Anything else beside the output (planted in a shared /tmp, committed,
copied) is left alone. Nothing is followed through a link, and no mount point is entered.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import filecmp
import json
import os
import stat
import sys
from pathlib import Path

from docgen import secret
from docgen.files import NotReadable, is_mount, read_regular
from docgen.output.manifest import MANIFEST, ownership

WORK = ".{name}.docgen-"
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


def _purpose(out: Path) -> str:
    return "journal:" + os.fsdecode(os.fsencode(out))


def new_work(out: Path) -> Path:
    """The run's working folder beside `out`, with `new/` and the signed journal in it."""
    work = out.parent / (WORK.format(name=out.name) + os.urandom(4).hex())
    os.mkdir(work, 0o700)
    os.mkdir(work / "new")
    data = json.dumps({"out": out.name, "new": os.lstat(work / "new").st_ino}).encode("utf-8")
    mac = secret.sign(_purpose(out), data)
    (work / "journal.tmp").write_bytes((mac or b"") + data)
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
    name taken. A mount point is never entered: it stays. Returns what stayed."""
    owned = ownership(old)
    kept: list[str] = []

    was, now = os.fspath(old), os.fspath(out)
    device = os.lstat(was).st_dev

    def visit(relative: str) -> None:
        with os.scandir(os.path.join(was, relative) if relative else was) as entries:
            found = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
        for name, is_folder in found:
            inner = f"{relative}/{name}" if relative else name
            path, there = os.path.join(was, inner), os.path.join(now, inner)
            if is_folder and (os.lstat(path).st_dev != device or is_mount(path)):
                kept.append(inner)
            elif is_folder:
                visit(inner)
                if not any(k.startswith(inner + "/") for k in kept):
                    os.rmdir(path)
            elif inner == MANIFEST:
                continue  # removed last: a run killed while it retires still knows what is docgen's
            elif owned.owns(inner) or _same(Path(path), Path(there)):
                os.unlink(path)
            elif not os.path.lexists(there) and _make_folders(out, inner):
                os.rename(path, there)
            else:
                kept.append(inner)

    visit("")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(was, MANIFEST))
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


def remove_tree(root: Path) -> list[str]:
    """Everything under `root` removed, links as links (never what they point at), no mount point
    entered (those are returned, kept); then `root` itself if it is empty."""
    device = root.lstat().st_dev
    kept: list[str] = []

    def visit(folder: str, relative: str) -> bool:
        with os.scandir(folder) as entries:
            found = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
        empty = True
        for name, is_folder in found:
            path, inner = os.path.join(folder, name), f"{relative}/{name}" if relative else name
            if is_folder and (os.lstat(path).st_dev != device or is_mount(path)):
                kept.append(inner)
                empty = False
            elif is_folder:
                if visit(path, inner):
                    os.rmdir(path)
                else:
                    empty = False
            else:
                os.unlink(path)
        return empty

    if visit(os.fspath(root), ""):
        os.rmdir(root)
    return kept


def remove_work(work: Path) -> bool:
    for name in ("journal.json", "journal.tmp"):
        (work / name).unlink(missing_ok=True)
    try:
        os.rmdir(work)
    except OSError:
        return False
    return True


def _journal(work: Path, out: Path) -> dict[str, object] | None:
    """The work folder's journal when this user's docgen wrote it for `out`; else None."""
    try:
        signed = read_regular(work, "journal.json", 1 << 16)
        mac, data = signed[: secret.MAC_SIZE], signed[secret.MAC_SIZE :]
        if not secret.verify(_purpose(out), mac, data):
            return None
        found = json.loads(data)
    except (FileNotFoundError, NotReadable, ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) and found.get("out") == out.name else None


def _ours(work: Path) -> bool:
    """A real folder (not a link), of this user's, that no one else may write in."""
    try:
        info = work.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o022)


def sweep(out: Path) -> list[str]:
    """Finish or undo what killed runs of this user's left beside `out`; anything else there is
    left alone. Runs under the folder lock, after `out` was accepted, so no live run owns these.
    Returns what had to be left, as messages."""
    prefix = WORK.format(name=out.name)
    notes: list[str] = []
    try:
        found = sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return notes
    for work in found:
        if not _ours(work):
            continue
        if _journal(work, out) is None:
            _remove_unstarted(work)
            continue
        try:
            notes += tidy(work, out)
        except OSError as error:
            notes.append(f"{work}: {error.strerror or error}; left as it is")
    return notes


def _remove_unstarted(work: Path) -> None:
    """A folder of this user's that a run killed before its journal was written left: nothing
    but an empty `new/` and the journal being written. Anything else in it is left alone."""
    try:
        names = set(os.listdir(work))
        if not names <= {"new", "journal.tmp"}:
            return
        if "new" in names and (not _folder(work / "new") or os.listdir(work / "new")):
            return
        if "journal.tmp" in names:
            info = (work / "journal.tmp").lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
                return
            os.unlink(work / "journal.tmp")
        if "new" in names:
            os.rmdir(work / "new")
        os.rmdir(work)
    except OSError:
        return


def _folder(path: Path) -> bool:
    """A folder itself: not a link to one."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def tidy(work: Path, out: Path) -> list[str]:
    """Finish or undo the run that left `work` (one of this user's: `sweep` checked, or this run's own)."""
    journal = _journal(work, out)
    new, old = work / "new", work / "old"
    kept: list[str] = []
    if _folder(old):
        if not os.path.lexists(out):
            os.rename(old, out)  # killed between the two renames: the old tree comes back
        else:
            kept += retire(old, out)
    if _folder(new):
        if journal is not None and new.lstat().st_ino == journal.get("new"):
            kept += remove_tree(new)  # never swapped in: all of it docgen's, or links to what `out` holds
        elif journal is not None:
            kept += retire(new, out)
        elif not any(new.iterdir()):
            new.rmdir()
    if kept:
        return [f"{work}: kept {', '.join(kept[:3])}: `{out.name}` already has files of those names"]
    if not remove_work(work):
        return [f"{work}: not empty; left as it is"]
    return []

