"""What `--out` may be. docgen replaces a folder only when it is absent, empty or its own output
(its manifest says so), and never one that holds the project, the input pages, the home folder
or `/`, nor one with a mount point inside."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.files import NotReadable, TreeReader, is_link, is_mount, walk
from docgen.output.manifest import MANIFEST, Ownership, file_hash, ownership, read_manifest
from docgen.output.seen import Seen
from docgen.stamps import Stamp, stamp

# Files that say a folder is a project or a repository, not an output folder.
_PROJECT_MARKERS = ("pyproject.toml", ".git", "setup.py", "setup.cfg", "package.json")


class Refused(Exception):
    """--out names a folder docgen must not replace; the message says why and what to do."""


@dataclass(frozen=True)
class Plan:
    """A checked output folder: where it is and what in it is docgen's."""

    out: Path  # absolute, with the parent's links resolved (out itself is never a link)
    exists: bool
    owned: Ownership
    carry: tuple[str, ...]  # entries that are not docgen's: kept in the new tree
    edited: tuple[str, ...]  # docgen's files changed by hand since docgen wrote them: kept aside
    intact: dict[str, Stamp] = field(default_factory=dict)  # docgen's files as it wrote them: their stamps


def _contains(folder: Path, other: Path) -> bool:
    return folder == other or folder in other.parents


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def resolve_out(out: Path) -> Path:
    """`out` made absolute with its parent's links resolved; out itself may not be a link."""
    if not str(out).strip():
        raise Refused("the output folder is an empty string")
    absolute = Path(os.path.abspath(out))
    if is_link(absolute):
        raise Refused(
            f"{out} is a symbolic link (to {os.readlink(absolute)}); docgen never writes or deletes "
            "through a link: give the folder itself"
        )
    return _resolve(absolute.parent) / absolute.name if absolute.name else absolute


def preflight(out: Path, protected: Iterable[Path] = (), read: Iterable[Path] = ()) -> Path:
    """`out` resolved (resolve_out), when it is a place an output folder may be at all: not a
    link, not `/`, the home or the working folder, nor one that holds what docgen reads or sits
    inside the pages (`read`), nor a folder of someone else's files. Checked before any page is
    read and before anything is made beside `out`; raises Refused."""
    real = resolve_out(out)
    _not_a_home(real, out, protected, read)
    try:
        info = real.lstat()
    except FileNotFoundError:
        return real
    except OSError as error:
        raise Refused(f"{out} cannot be read: {error.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(f"{out} is a file, not a folder")
    if read_manifest(real) is None:
        _not_foreign(out, ownership(real))
    return real


def _not_foreign(out: Path, owned: Ownership) -> None:
    if owned.foreign and not owned.marked:
        shown = ", ".join(owned.foreign)
        raise Refused(
            f"{out} holds files docgen did not write ({shown}) and no docgen manifest; docgen replaces only "
            "an empty folder or its own earlier output: give another folder, or move those files away"
        )


def plan(out: Path, real: Path, files: Iterable[str], protected: Iterable[Path] = (), seen: Seen | None = None) -> Plan:
    """Check the output folder `real` (as `resolve_out` gives it; `out` as the user wrote it)
    for a run that writes `files`; raises Refused with the reason."""
    _not_a_home(real, out, protected)
    try:
        info = real.lstat()
    except FileNotFoundError:
        return Plan(real, False, Ownership({}, False, ()), (), ())
    except OSError as error:
        raise Refused(f"{out} cannot be read: {error.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(f"{out} is a file, not a folder")
    owned = ownership(real)
    _not_foreign(out, owned)
    for marker in _PROJECT_MARKERS:
        if os.path.lexists(real / marker) and not owned.owns(marker):
            raise Refused(f"{out} holds {marker}: it is a project, not an output folder")
    wanted = set(files) | {MANIFEST}
    _no_conflicts(real, out, wanted, owned)
    carry, edited, intact = _carried(real, wanted, owned, info.st_dev, seen)
    return Plan(real, True, owned, carry, edited, intact)


def _not_a_home(real: Path, out: Path, protected: Iterable[Path], read: Iterable[Path] = ()) -> None:
    if real.parent == real:
        raise Refused(f"{out} is the root folder")
    home = _resolve(Path.home())
    if _contains(real, home):
        raise Refused(f"{out} is or holds the home folder {home}")
    cwd = _resolve(Path.cwd())
    if _contains(real, cwd):
        raise Refused(f"{out} is or holds the working folder {cwd}; give a folder of its own, such as generated")
    for path in protected:
        held = _resolve(path)
        if _contains(real, held):
            raise Refused(f"{out} is or holds {path}, which docgen reads; give a folder of its own")
    for path in read:
        folder = _resolve(path)
        if folder in real.parents and folder.is_dir():
            raise Refused(
                f"{out} is inside {path}, whose pages docgen reads (the next run would read what it wrote); give a folder of its own"
            )


def _prefixes(name: str) -> list[str]:
    """The folders `name` is in, then itself ("a", "a/b", "a/b/c"): names are plain (manifest.plain_name)."""
    found = []
    at = name.find("/")
    while at >= 0:
        found.append(name[:at])
        at = name.find("/", at + 1)
    return [*found, name]


def _no_conflicts(real: Path, out: Path, wanted: set[str], owned: Ownership) -> None:
    """A file docgen writes may not take the place of something docgen did not write."""
    folders = {p for name in wanted for p in _prefixes(name)[:-1]}
    base = os.fspath(real)
    for name in sorted(wanted):
        for prefix in _prefixes(name):
            try:
                info = os.lstat(os.path.join(base, prefix))
            except FileNotFoundError:
                break
            except OSError:
                continue
            if prefix in folders and stat.S_ISDIR(info.st_mode):
                continue
            if not owned.owns(prefix):
                raise Refused(f"{out}/{prefix} was not written by docgen and docgen would replace it: move it away")
            break


def _carried(
    real: Path, wanted: set[str], owned: Ownership, device: int, seen: Seen | None
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Stamp]]:
    """(entries to keep, docgen files edited by hand, docgen files as it wrote them). A folder
    holding none of docgen's files is kept whole; one that does is looked into. A file whose
    stamp is the one `seen` recorded with the manifest's hash is not read again."""
    holding = {p for name in owned.files for p in _prefixes(name)[:-1]} | {
        p for name in wanted for p in _prefixes(name)[:-1]
    }
    carry: list[str] = []
    edited: list[str] = []
    intact: dict[str, Stamp] = {}
    with TreeReader(real) as reader:
        for name, info in walk(real):
            if any(name.startswith(kept + "/") for kept in carry):
                continue
            if stat.S_ISDIR(info.st_mode) and (info.st_dev != device or is_mount(real / name)):
                raise Refused(f"{real}/{name} is a mount point; docgen never enters one to replace what is in it")
            if owned.owns(name):
                if stat.S_ISREG(info.st_mode) and owned.files.get(name):
                    known = seen is not None and seen.known(name, info) == owned.files[name]
                    found = stamp(info) if known else _as_written(reader, name, owned.files[name])
                    if found is None:
                        edited.append(name)
                    else:
                        intact[name] = found
                continue
            if stat.S_ISDIR(info.st_mode):
                if info.st_dev != device or is_mount(real / name):
                    raise Refused(f"{real}/{name} is a mount point; docgen never enters one to replace what is in it")
                if name in holding:
                    continue
            elif name in wanted:
                continue
            carry.append(name)
    return tuple(carry), tuple(edited), intact


def _as_written(reader: TreeReader, name: str, digest: str | None) -> Stamp | None:
    """The stamp of the file docgen wrote at `name` when it is as docgen wrote it (its hash is
    the manifest's); None when it was edited or cannot be read."""
    try:
        data, info = reader.read_info(name, 256 << 20)
    except (FileNotFoundError, NotReadable):
        return None
    return stamp(info) if file_hash(data) == digest else None
