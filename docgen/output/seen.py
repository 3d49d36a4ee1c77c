"""What docgen last left in an output folder: each file's stamp (device, inode, size, mtime,
ctime) and hash, so that a later run knows a file is unchanged without reading it, as git's
index does.

Only files whose content is older than the run that records them are recorded: one written (or
edited by someone else) during the run could change again within the same clock tick and keep its
stamp, so it is read by the next run, as if never seen. Anything else that changes a file changes
its stamp: a write its mtime and ctime, a replacement its inode, and setting the mtime back
(`touch -d`) its ctime, which no one can set.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from docgen.files import walk

Stamp = tuple[int, int, int, int, int]  # device, inode, size, mtime and ctime in ns
_TICK_NS = 20_000_000  # more than the coarse clock's step that file times lag by (4 ms at HZ=250)


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def same_file(a: Stamp, b: Stamp) -> bool:
    """The same file with the same content: all but the ctime, which a link to it changes."""
    return a[:4] == b[:4]


@dataclass(frozen=True)
class Seen:
    files: dict[str, tuple[Stamp, str]]  # name -> (stamp, sha256 of the bytes)

    def known(self, name: str, info: os.stat_result) -> str | None:
        """The hash of `name` when the file `info` describes is the one recorded; else None."""
        found = self.files.get(name)
        return found[1] if found is not None and stat.S_ISREG(info.st_mode) and found[0] == stamp(info) else None

    def as_json(self) -> dict[str, object]:
        return {"files": {name: [*found[0], found[1]] for name, found in sorted(self.files.items())}}

    @classmethod
    def from_json(cls, data: object) -> Seen | None:
        """The record in `data`, or None when it is not one docgen wrote."""
        listed = data.get("files") if isinstance(data, dict) else None
        if not isinstance(listed, dict):
            return None
        files: dict[str, tuple[Stamp, str]] = {}
        for name, entry in listed.items():
            if not (isinstance(name, str) and isinstance(entry, list) and len(entry) == 6):
                return None
            *numbers, digest = entry
            if not (isinstance(digest, str) and all(type(n) is int and 0 <= n < 1 << 64 for n in numbers)):
                return None
            files[name] = ((numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]), digest)
        return cls(files)


def record(out: Path, written: dict[str, tuple[Stamp, str]], since_ns: int) -> Seen:
    """The record of `out` after a write that began at `since_ns`: each file docgen wrote or
    linked (`written`: its stamp then, and hash) that is still that file and whose content (its
    mtime) is older than the write, stamped as it is now. (Its ctime may be recent: linking it
    here changed it.)"""
    files: dict[str, tuple[Stamp, str]] = {}
    for name, info in walk(out):
        found = written.get(name)
        if found is None or not stat.S_ISREG(info.st_mode) or not same_file(stamp(info), found[0]):
            continue
        if info.st_mtime_ns + _TICK_NS < since_ns:
            files[name] = (stamp(info), found[1])
    return Seen(files)
