"""Writing the output tree: all of it or none of it, into a folder docgen may replace, keeping
every file in it that docgen did not write."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen.files import NotReadable, TreeReader
from docgen.output.guard import Plan, Refused, plan, preflight
from docgen.output.manifest import MANIFEST, file_hash, hashes_of, manifest_of, plain_name
from docgen.output.seen import Seen, same_file
from docgen.output.swap import new_work, remove_work, retire, swap_in, sweep, tidy
from docgen.stamps import Stamp, stamp

try:
    import fcntl
except ImportError:  # not on Windows: one writer at a time is then the user's business
    fcntl = None  # type: ignore[assignment]

_LOCK_WAIT = 60.0


@dataclass(frozen=True)
class Written:
    out: Path
    files: int
    kept: tuple[str, ...]  # entries docgen did not write, carried into the new tree
    edited: dict[str, str]  # docgen's own files that had been edited by hand -> where the edited one is kept
    notes: tuple[str, ...]  # leftovers that could not be tidied
    unchanged: bool = False  # the folder already held exactly these files: nothing was written
    stamps: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # each file's stamp and hash, as left
    started_ns: int = 0  # when the write began (output.seen.record)


def safe_relative(name: str) -> None:
    """ValueError unless `name` is a plain relative path (manifest.plain_name) inside the output folder."""
    if not plain_name(name) or name == MANIFEST:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One docgen at a time writes beside `folder`'s entries (an flock on the folder itself)."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    break  # a file system without locks: go on unlocked
                if time.monotonic() > deadline:
                    raise Refused(f"another docgen has been writing in {folder} for {_LOCK_WAIT:.0f} s") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def write_tree(
    out: Path,
    files: dict[str, str],
    protected: Iterable[Path] = (),
    seen: Seen | None = None,
    hashes: dict[str, str] | None = None,
) -> Written:
    """Write `files` into a new tree beside `out` and swap it in. Until the swap `out` is as it
    was; an exception, Ctrl-C or a kill leaves it whole, and the next run tidies up. `seen`:
    what an earlier run left there (output.seen), so that unchanged files are not read; `hashes`:
    the files' hashes, when the run kept them."""
    started = time.time_ns()
    for name in files:
        safe_relative(name)
    real = preflight(out, protected)  # before anything is made beside `out`
    real.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(real.parent):
        notes = sweep(real)
        checked = plan(out, real, files, protected, seen)
        aside = _aside_names(checked.edited, files, real)
        if checked.exists or hashes is not None:
            hashes = hashes_of(files, hashes)
        # else a new tree: each file's hash is taken from the bytes written (encoded once)
        same = _unchanged(hashes, checked) if hashes is not None else {}
        manifest = _manifest_is(real, hashes) if hashes is not None and checked.exists and len(same) == len(files) else None
        if hashes is not None and manifest is not None and not aside:
            stamps = {name: (where, hashes[name]) for name, where in same.items()}
            stamps[MANIFEST] = (manifest, file_hash(manifest_of(hashes).encode("utf-8")))
            return Written(real, len(files), checked.carry, {}, tuple(notes), unchanged=True, stamps=stamps, started_ns=started)
        work = new_work(real)
        try:
            stamps = _write_files(work / "new", files, hashes, real, same)
            _carry(real, work / "new", checked.carry)
            _carry(real, work / "new", list(aside), aside)
            if checked.exists:
                _keep_modes(real, work / "new", files)
            old = swap_in(work, real, checked.exists)
        except BaseException:
            tidy(work, real)
            raise
        if checked.exists:
            try:
                if retire(old, real):
                    notes.append(f"{work}: files written into {out} while docgen ran are kept there")
                else:
                    remove_work(work)
            except OSError as error:
                notes.append(f"{work}: {error.strerror or error}; the next run tidies it")
        else:
            remove_work(work)
    return Written(real, len(files), checked.carry, aside, tuple(notes), stamps=stamps, started_ns=started)


def _unchanged(hashes: dict[str, str], checked: Plan) -> dict[str, Stamp]:
    """The files on disk that are already what this run writes: as docgen wrote them (their
    hash is the manifest's) and the manifest's hash is the new text's."""
    listed = checked.owned.files
    return {name: where for name, where in checked.intact.items() if name in hashes and listed.get(name) == hashes[name]}


def _manifest_is(folder: Path, hashes: dict[str, str]) -> Stamp | None:
    """The stamp of the folder's manifest when it is the one these files have (it lists them
    and only them); else None."""
    try:
        with TreeReader(folder) as reader:
            data, info = reader.read_info(MANIFEST, 64 << 20)
    except (FileNotFoundError, NotReadable):
        return None
    return stamp(info) if data == manifest_of(hashes).encode("utf-8") else None


def _write_files(
    root: Path, files: dict[str, str], hashes: dict[str, str] | None, old: Path, unchanged: dict[str, Stamp]
) -> dict[str, tuple[Stamp, str]]:
    """Each file written, or linked from the old tree when it is already what is written: an
    edit that changes one page rewrites the files it changes, not the 1,300 others. Returns
    each file's stamp as it is in the new tree, with its hash (`hashes`', or that of the bytes
    written)."""
    stamps: dict[str, tuple[Stamp, str]] = {}
    found: dict[str, str] = {}
    folders: set[str] = set()  # made already: a file costs no mkdir of its own
    base, was = os.fspath(root), os.fspath(old)
    for name in sorted(files):
        target = os.path.join(base, name)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        where = unchanged.get(name)
        data = None
        if where is None or not _link_same(os.path.join(was, name), target, where):
            data = files[name].encode("utf-8")
            where = _write(target, data)
        if hashes is not None:
            found[name] = hashes[name]
        else:
            found[name] = file_hash(data if data is not None else files[name].encode("utf-8"))
        stamps[name] = (where, found[name])
    manifest = manifest_of(found).encode("utf-8")
    stamps[MANIFEST] = (_write(os.path.join(base, MANIFEST), manifest), file_hash(manifest))
    return stamps


def _link_same(source: str, target: str, where: Stamp) -> bool:
    """Link `source` at `target` when it is still the file `where` stamps and a regular file;
    False (and nothing left at `target`) otherwise. `target`'s folder is there."""
    try:
        os.link(source, target, follow_symlinks=False)
        info = os.lstat(target)
    except OSError:
        return False
    if stat.S_ISREG(info.st_mode) and same_file(stamp(info), where):
        return True
    os.unlink(target)
    return False


def _write(target: str, data: bytes) -> Stamp:
    """A new file at `target` (its folder is there) holding `data`; its stamp as written."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return stamp(os.fstat(fd))
    finally:
        os.close(fd)


def _aside_names(edited: Iterable[str], files: dict[str, str], out: Path) -> dict[str, str]:
    """Where each file docgen wrote and someone edited since is kept: beside it, as
    `NAME.edited` (or `NAME.edited-2`...), a name docgen never writes and no file there has. The
    edit is never lost, whether the file is written again or its page is gone."""
    found: dict[str, str] = {}
    for name in sorted(edited):
        candidate, n = f"{name}.edited", 2
        while candidate in files or os.path.lexists(out / candidate) or candidate in found.values():
            candidate, n = f"{name}.edited-{n}", n + 1
        found[name] = candidate
    return found


def _carry(out: Path, new: Path, entries: Iterable[str], renamed: dict[str, str] | None = None) -> None:
    """Entries docgen did not write go into the new tree as hard links (copies where links
    cannot be made), so that they are in `out` at every instant; `renamed`: under another name."""
    for name in entries:
        target = new / (renamed[name] if renamed else name)
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_tree(out / name, target)


def _link_tree(source: Path, target: Path) -> None:
    info = source.lstat()
    if stat.S_ISDIR(info.st_mode):
        os.mkdir(target, stat.S_IMODE(info.st_mode) | stat.S_IWUSR | stat.S_IXUSR)
        with os.scandir(source) as entries:
            for name in sorted(e.name for e in entries):
                _link_tree(source / name, target / name)
        shutil.copystat(source, target, follow_symlinks=False)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if stat.S_ISLNK(info.st_mode):
            os.symlink(os.readlink(source), target)
        elif stat.S_ISREG(info.st_mode):
            shutil.copy2(source, target)
        else:
            raise


def _keep_modes(out: Path, new: Path, files: dict[str, str]) -> None:
    """Folders that were there keep the permissions their owner gave them."""
    folders = {""}
    for name in files:
        parts = name.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for folder in sorted(folders):
        try:
            info = (out / folder).lstat() if folder else out.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            os.chmod(new / folder if folder else new, stat.S_IMODE(info.st_mode))
