"""A file's stamp (device, inode, size, mtime, ctime): how a run knows a file is the one an
earlier run read or wrote without reading it again, as git's index does.

A stamp stands for the bytes only when they are older than the run that took it: a file changed
during the run could change again within the same clock tick and keep its stamp. Anything else
that changes a file changes its stamp: a write its mtime and ctime, a replacement its inode, and
setting the mtime back (`touch -d`) its ctime, which no one can set.
"""

from __future__ import annotations

import os

Stamp = tuple[int, int, int, int, int]  # device, inode, size, mtime and ctime in ns
_TICK_NS = 20_000_000  # more than the coarse clock's step that file times lag by (10 ms at HZ=100)
_COARSE_TICK_NS = 2_000_000_000  # a file system that keeps whole seconds (ext3, HFS+) or two (FAT)


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def settled(found: os.stat_result | Stamp, since_ns: int) -> bool:
    """The file's bytes (its stat or stamp) were last changed before `since_ns` (time.time_ns()
    when the run began), more than a tick of its file system's clock before: its stamp may be
    kept. A time in whole seconds is taken to come from a file system that keeps no finer ones."""
    mtime = found.st_mtime_ns if isinstance(found, os.stat_result) else found[3]
    tick = _COARSE_TICK_NS if mtime % 1_000_000_000 == 0 else _TICK_NS
    return mtime + tick < since_ns


def valid(value: object) -> bool:
    """`value` is a Stamp's numbers (as a JSON or pickled record holds them)."""
    return isinstance(value, (tuple, list)) and len(value) == 5 and all(type(n) is int and 0 <= n < 1 << 64 for n in value)
