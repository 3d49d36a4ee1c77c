"""What docgen last left in an output folder: each file's stamp (docgen.stamps) and hash, so
that a later run knows a file is unchanged without reading it. Only files whose bytes are older
than the run that records them are recorded."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from docgen.files import walk
from docgen.stamps import Stamp, settled, stamp, valid


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
            if not (isinstance(digest, str) and valid(numbers)):
                return None
            files[name] = ((numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]), digest)
        return cls(files)


def checked(same: dict[str, tuple[Stamp, str]], since_ns: int) -> Seen:
    """The record of files a check that began at `since_ns` found as they should be (`same`:
    their stamps, taken as it looked, and hashes): those whose bytes are older than the check."""
    return Seen({name: entry for name, entry in same.items() if settled(entry[0], since_ns)})


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
        if settled(info, since_ns):
            files[name] = (stamp(info), found[1])
    return Seen(files)
