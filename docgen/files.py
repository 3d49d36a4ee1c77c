"""Reading files docgen did not make without trusting them: no symbolic link is followed, only
regular files are read, and never more than a set number of bytes.

`check` reads the output folder of a pull request and the cache reads a folder anyone may have
written; either may hold a link to `/proc/self/environ`, a FIFO or a link to `/dev/zero`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Self

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_DIR_FD = os.open in os.supports_dir_fd and bool(_NOFOLLOW)


class NotReadable(Exception):
    """Why a file was not read: a link, not a regular file, too large, or an OS error."""


def _open_dir(name: str | Path, dir_fd: int | None) -> int:
    try:
        return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise NotReadable("a symbolic link or not a folder") from None
        raise NotReadable(error.strerror or str(error)) from None


def _parts(relative: str) -> tuple[str, ...]:
    parts = PurePosixPath(relative).parts
    if not parts or ".." in parts or PurePosixPath(relative).is_absolute():
        raise NotReadable("not a relative path inside the folder")
    return parts


def _open_file(name: str, folder: int, relative: str) -> int:
    """The file `name` in the open folder, opened without following a link."""
    try:
        return os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotReadable("a symbolic link") from None
        if error.errno == errno.ENOENT:
            raise FileNotFoundError(relative) from None
        raise NotReadable(error.strerror or str(error)) from None


def read_regular(root: Path, relative: str, limit: int) -> bytes:
    """The bytes of `root/relative`, walking every component without following links."""
    return _read_fd(_open_regular(root, relative), limit)


def open_regular(root: Path, relative: str, limit: int) -> tuple[int, os.stat_result]:
    """`root/relative` opened (no link followed on the way) when it is a regular file of at most
    `limit` bytes, with its stat: for a file read a piece at a time (the run state)."""
    fd = _open_regular(root, relative)
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise NotReadable(error.strerror or str(error)) from None
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        raise NotReadable("not a regular file" if not stat.S_ISREG(info.st_mode) else f"larger than {limit} bytes")
    return fd, info


def _open_regular(root: Path, relative: str) -> int:
    parts = _parts(relative)
    if not _DIR_FD:
        return _open_portable(root, parts)
    fd = _open_dir(root, None)
    try:
        for part in parts[:-1]:
            inner = _open_dir(part, fd)
            os.close(fd)
            fd = inner
        return _open_file(parts[-1], fd, relative)
    finally:
        os.close(fd)


def _read_fd(fd: int, limit: int) -> bytes:
    return _read_fd_info(fd, limit)[0]


def _read_fd_info(fd: int, limit: int) -> tuple[bytes, os.stat_result]:
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("not a regular file")
        if info.st_size > limit:
            raise NotReadable(f"larger than {limit} bytes")
        chunks = []
        total = 0
        size = info.st_size + 1  # the whole file in one read, and one byte to see that it ended
        while True:
            chunk = os.read(fd, size)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise NotReadable(f"larger than {limit} bytes")
            chunks.append(chunk)
            size = 1 << 20
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), info
    except OSError as error:
        raise NotReadable(error.strerror or str(error)) from None
    finally:
        os.close(fd)


class TreeReader:
    """read_regular for many files under one root: each folder is opened once (never through
    a link) and kept open while the reader is, so a file costs an open, a stat and a read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[tuple[str, ...], int] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in self._folders.values():
            os.close(fd)
        self._folders.clear()

    def _folder(self, parts: tuple[str, ...]) -> int:
        fd = self._folders.get(parts)
        if fd is None:
            fd = _open_dir(self.root, None) if not parts else _open_dir(parts[-1], self._folder(parts[:-1]))
            self._folders[parts] = fd
        return fd

    def read(self, relative: str, limit: int) -> bytes:
        return self.read_info(relative, limit)[0]

    def read_info(self, relative: str, limit: int) -> tuple[bytes, os.stat_result]:
        """The bytes of the file and its stat, taken from the file that was read."""
        parts = _parts(relative)
        if not _DIR_FD:
            info = (self.root / relative).lstat()  # before the read: a stamp never newer than the bytes
            return _read_portable(self.root, parts, limit), info
        return _read_fd_info(_open_file(parts[-1], self._folder(parts[:-1]), relative), limit)


def _read_portable(root: Path, parts: tuple[str, ...], limit: int) -> bytes:
    return _read_fd(_open_portable(root, parts), limit)


def _open_portable(root: Path, parts: tuple[str, ...]) -> int:
    """Where open() takes no dir_fd: check each component with lstat, then open."""
    path = root
    for part in ("", *parts):
        path = path / part if part else path
        try:
            info = path.lstat()
        except FileNotFoundError:
            raise
        except OSError as error:
            raise NotReadable(error.strerror or str(error)) from None
        if stat.S_ISLNK(info.st_mode):
            raise NotReadable("a symbolic link")
    try:
        return os.open(path, os.O_RDONLY | _BINARY | _NONBLOCK)
    except OSError as error:
        raise NotReadable(error.strerror or str(error)) from None


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:
        return False


def walk(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative posix path, lstat) of everything under `root`, folders before their contents,
    in sorted order; links are reported, never entered."""
    stack = [""]
    while stack:
        relative = stack.pop()
        folder = root / relative if relative else root
        try:
            with os.scandir(folder) as entries:
                found = sorted((e.name, e.stat(follow_symlinks=False)) for e in entries)
        except OSError:
            continue
        inner = []
        for name, info in found:
            path = f"{relative}/{name}" if relative else name
            yield path, info
            if stat.S_ISDIR(info.st_mode):
                inner.append(path)
        stack.extend(reversed(inner))


def _mount_points() -> frozenset[str]:
    """Linux's list of mount points (bind mounts too, which share their device with the folder
    they sit in); empty elsewhere."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as listing:
            lines = listing.read().splitlines()
    except OSError:
        return frozenset()
    found = set()
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4:
            found.add(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4]))
    return frozenset(found)


def is_mount(path: str | Path) -> bool:
    """Is `path` a mount point, a bind mount of a folder on the same device included?"""
    if os.path.ismount(path):
        return True
    points = _mount_points()
    return bool(points) and os.path.realpath(path) in points
