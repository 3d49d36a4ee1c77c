"""Content-hash caches: what a run leaves for the next (run_state.State, keyed by everything but
the pages, each page in it by its own digest), what `generate` and `check` saw in an output
folder (output.seen) and black's formatting (source -> formatted). A cache can only skip work,
never change output: every key covers everything its value depends on.

Trust: every entry is signed with the user's own key (docgen.secret), kept outside the project,
so a cache that was copied, committed, restored in CI or written by another user is a miss,
never a verdict. The folder is docgen's only when it is marked so (`CACHEDIR.TAG`) or empty;
docgen writes and removes only entries of its own names in it, and never through a link.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from docgen import secret
from docgen.files import NotReadable, open_regular, read_regular
from docgen.output.seen import Seen
from docgen.run_state import BadState, StateFile

_KEEP_STATES = 2  # the settings in use and the ones before: a switch back and forth stays quick
_KEEP_OUTPUTS = 16  # output folders whose files are remembered
_LIMIT = 512 << 20  # no entry is larger; a bigger file is not one of ours
_STALE_TEMP = 3600.0  # a temporary file this old belongs to a run that died
KINDS = ("states", "outputs", "format")
TAG = "CACHEDIR.TAG"
_TAG_TEXT = b"Signature: 8a477f597d28d172789f06886806bc55\n# docgen's cache: made by docgen, safe to delete.\n"
_IGNORE = ".gitignore"
_ENTRY = re.compile(r"^[0-9a-f]{64}\.(json|pickle|changes)$")
_TEMP = re.compile(r"^\.[0-9a-f]{32}\.tmp$")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_DIR_FD = os.open in os.supports_dir_fd and os.unlink in os.supports_dir_fd and bool(_NOFOLLOW)


class CacheRefused(Exception):
    """The cache folder is not docgen's to write in; the message says why."""


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def check_folder(folder: Path) -> None:
    """CacheRefused unless `folder` may be docgen's cache: absent, empty, marked as docgen's
    (`CACHEDIR.TAG`), or holding only docgen's own kinds of entry (a cache of an earlier docgen);
    never a link, a file, or a folder of another user's."""
    try:
        info = folder.lstat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise CacheRefused(f"{folder} cannot be read: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise CacheRefused(f"{folder} is a symbolic link; docgen never writes through one: give the folder itself")
    if not stat.S_ISDIR(info.st_mode):
        raise CacheRefused(f"{folder} is a file, not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CacheRefused(f"{folder} belongs to another user")
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise CacheRefused(f"{folder} cannot be read: {error.strerror}") from None
    if TAG in names and _is_tag(folder / TAG):
        return
    foreign = [n for n in names if n not in (*KINDS, _IGNORE)]
    if foreign:
        shown = ", ".join(foreign[:3])
        raise CacheRefused(f"{folder} holds files that are not docgen's cache ({shown}): give another cache folder")


def _is_tag(path: Path) -> bool:
    try:
        return read_regular(path.parent, path.name, 4096) == _TAG_TEXT
    except (FileNotFoundError, NotReadable):
        return False


@contextlib.contextmanager
def _opened(folder: Path) -> Iterator[int | None]:
    """The folder opened without following a link (None where the system cannot open folders);
    NotReadable when it is a link or not a folder."""
    if not _DIR_FD:
        if os.path.islink(folder) or not folder.is_dir():
            raise NotReadable("a symbolic link or not a folder")
        yield None
        return
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    except OSError as error:
        raise NotReadable(error.strerror or str(error)) from None
    try:
        yield fd
    finally:
        os.close(fd)


def _path(folder: Path, fd: int | None, name: str) -> str | Path:
    return name if fd is not None else folder / name


class Cache:
    """A folder of signed entries: JSON, and run states (read by run_state.read_state, which
    makes nothing but docgen's plain data classes). An entry that is a link, a FIFO, huge, deeply
    nested, unsigned or of the wrong shape is a miss, never an error or a hang. A read-only cache
    (`docgen check`) is read and never written."""

    def __init__(self, folder: Path, writable: bool = True) -> None:
        self.folder = folder
        self.writable = writable

    def _read(self, kind: str, key: str) -> object | None:
        name = f"{key}.json"
        try:
            signed = read_regular(self.folder, f"{kind}/{name}", _LIMIT)
        except (FileNotFoundError, NotReadable):
            return None
        mac, data = signed[: secret.MAC_SIZE], signed[secret.MAC_SIZE :]
        if not secret.verify(f"{kind}/{name}", mac, data):
            return None
        try:
            value: object = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return value

    def _write(self, kind: str, key: str, value: object) -> None:
        name = f"{key}.json"
        data = json.dumps(value).encode("utf-8")
        mac = secret.sign(f"{kind}/{name}", data)
        if mac is not None:
            self._put(kind, name, mac + data)

    def _kind_folder(self, kind: str) -> Path | None:
        """The kind's folder inside the cache, made if need be (the cache marked as docgen's as
        it is made); None where it cannot be, or is not a folder of its own."""
        folder = self.folder / kind
        try:
            if not os.path.lexists(self.folder):
                self.folder.mkdir(parents=True, exist_ok=True)
            check_folder(self.folder)
            self._mark()
            if not os.path.lexists(folder):
                folder.mkdir()
            return folder if stat.S_ISDIR(folder.lstat().st_mode) else None
        except (OSError, CacheRefused):
            return None

    def _mark(self) -> None:
        """CACHEDIR.TAG (backup tools and docgen know the folder by it) and a .gitignore of `*`."""
        for name, data in ((TAG, _TAG_TEXT), (_IGNORE, b"*\n")):
            path = self.folder / name
            if not os.path.lexists(path):
                with contextlib.suppress(FileExistsError):
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o644)
                    try:
                        os.write(fd, data)
                    finally:
                        os.close(fd)

    def _put(self, kind: str, name: str, data: bytes | Callable[[BinaryIO], None]) -> None:
        """`data`, or what a function writes into the open file, made the entry at once."""
        if not self.writable:
            return
        folder = self._kind_folder(kind)
        if folder is None:
            return
        temp = f".{os.urandom(16).hex()}.tmp"
        try:
            with _opened(folder) as fd:
                handle = os.open(
                    _path(folder, fd, temp), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600, dir_fd=fd
                )
                try:
                    with os.fdopen(handle, "wb") as out:
                        if isinstance(data, bytes):
                            out.write(data)
                        else:
                            data(out)
                    os.replace(_path(folder, fd, temp), _path(folder, fd, name), src_dir_fd=fd, dst_dir_fd=fd)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(_path(folder, fd, temp), dir_fd=fd)
                    raise
        except (OSError, NotReadable, BadState):
            return  # a read-only or full disk (or a state that cannot be signed) costs speed, not correctness

    def _remove(self, kind: str, names: list[str]) -> None:
        """Entries of docgen's own names, each unlinked in the kind's folder (never through a link)."""
        try:
            with _opened(self.folder / kind) as fd:
                for name in names:
                    if _ENTRY.match(name) or _TEMP.match(name):
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(_path(self.folder / kind, fd, name), dir_fd=fd)
        except (OSError, NotReadable):
            return

    def _entries(self, kind: str) -> list[tuple[str, os.stat_result]]:
        """(name, lstat) of the regular files of docgen's own names in the kind's folder."""
        folder = self.folder / kind
        found = []
        try:
            with _opened(folder) as fd:
                for name in os.listdir(fd if fd is not None else folder):
                    if not (_ENTRY.match(name) or _TEMP.match(name)):
                        continue
                    try:
                        info = os.stat(_path(folder, fd, name), dir_fd=fd, follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    if stat.S_ISREG(info.st_mode):
                        found.append((name, info))
        except (OSError, NotReadable):
            return []
        return found

    def _prune(self, kind: str, suffix: str, keep: int) -> None:
        """Keep the newest entries, and drop temporary files that a killed run left."""
        if not self.writable:
            return
        entries = self._entries(kind)
        newest = sorted((e for e in entries if e[0].endswith(suffix)), key=lambda e: e[1].st_mtime, reverse=True)
        stale = [name for name, _ in newest[keep:]]
        stale += [name.removesuffix(suffix) + ".changes" for name in stale if suffix == ".pickle"]
        now = time.time()
        stale += [name for name, info in entries if _TEMP.match(name) and now - info.st_mtime > _STALE_TEMP]
        self._remove(kind, stale)

    def get_state(self, key: str) -> StateFile | None:
        """The state's file, open: run_state.read_state checks its signature, reads its head,
        and its blobs when wanted."""
        try:
            fd, info = open_regular(self.folder, f"states/{key}.pickle", _LIMIT)
        except (FileNotFoundError, NotReadable):
            return None
        return StateFile(fd, info.st_size)

    def get_changes(self, key: str) -> bytes | None:
        try:
            return read_regular(self.folder, f"states/{key}.changes", _LIMIT)
        except (FileNotFoundError, NotReadable):
            return None

    def put_state(self, key: str, data: bytes | Callable[[BinaryIO], None]) -> None:
        """A whole state: the changes written against the one before no longer apply."""
        self._put("states", f"{key}.pickle", data)
        self._remove("states", [f"{key}.changes"])
        self._prune("states", ".pickle", _KEEP_STATES)

    def put_changes(self, key: str, data: bytes) -> None:
        self._put("states", f"{key}.changes", data)

    def get_seen(self, out: Path) -> Seen | None:
        """What generate last left in the output folder `out` (output.seen)."""
        return Seen.from_json(self._read("outputs", _folder_key(out)))

    def put_seen(self, out: Path, seen: Seen) -> None:
        self._write("outputs", _folder_key(out), seen.as_json())
        self._prune("outputs", ".json", _KEEP_OUTPUTS)

    def get_text(self, kind: str, key: str) -> str | None:
        value = self._read(kind, key)
        return value if isinstance(value, str) else None

    def put_text(self, kind: str, key: str, value: str) -> None:
        self._write(kind, key, value)


def _folder_key(out: Path) -> str:
    return digest(os.fsencode(out.resolve()))


def usable() -> bool:
    """Can this user sign entries (docgen.secret)? Without a key there is no cache."""
    return secret.key() is not None

