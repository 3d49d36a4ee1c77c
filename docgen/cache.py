"""Content-hash caches: what a run leaves for the next (run_state.State, keyed by everything but
the pages, each page in it by its own digest) and black's formatting (source -> formatted). A
cache can only skip work, never change output: every key covers everything its value depends on."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from docgen.files import NotReadable, open_regular, read_regular
from docgen.output.seen import Seen
from docgen.run_state import BadState, StateFile

_KEEP_STATES = 2  # the settings in use and the ones before: a switch back and forth stays quick
_KEEP_OUTPUTS = 16  # output folders whose files are remembered
_LIMIT = 512 << 20  # no entry is larger; a bigger file is not one of ours
_STALE_TEMP = 3600.0  # a temporary file this old belongs to a run that died


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """A folder of entries: JSON, and run states (read by run_state.read_state, which makes
    nothing but docgen's model classes). Anyone may have written it: an entry that is a link, a
    FIFO, huge, deeply nested or of the wrong shape is a miss, never an error or a hang.
    A read-only cache (`docgen check`) is read and never written."""

    def __init__(self, folder: Path, writable: bool = True) -> None:
        self.folder = folder
        self.writable = writable

    def _read(self, kind: str, key: str) -> object | None:
        try:
            value: object = json.loads(read_regular(self.folder, f"{kind}/{key}.json", _LIMIT))
        except (FileNotFoundError, NotReadable, ValueError, RecursionError):
            return None
        return value

    def _write(self, kind: str, key: str, value: object) -> None:
        self._put(kind, f"{key}.json", json.dumps(value).encode("utf-8"))

    def _put(self, kind: str, name: str, data: bytes | Callable[[BinaryIO], None]) -> None:
        """`data`, or what a function writes into the open file, made the entry at once."""
        if not self.writable:
            return
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    if isinstance(data, bytes):
                        out.write(data)
                    else:
                        data(out)
                os.replace(temp, folder / name)
            except BaseException:
                os.unlink(temp)
                raise
        except (OSError, BadState):
            return  # a read-only or full disk (or a state whose blobs went bad) costs speed, not correctness

    def _prune(self, kind: str, pattern: str, keep: int) -> None:
        """Keep the newest entries, and drop temporary files that a killed run left."""
        folder = self.folder / kind
        try:
            entries = sorted(folder.glob(pattern), key=lambda p: p.lstat().st_mtime, reverse=True)
            for stale in entries[keep:]:
                stale.unlink(missing_ok=True)
                stale.with_suffix(".changes").unlink(missing_ok=True)
            now = time.time()
            for temp in folder.glob("*.tmp"):
                if now - temp.lstat().st_mtime > _STALE_TEMP:
                    temp.unlink(missing_ok=True)
        except OSError:
            return

    def get_state(self, key: str) -> StateFile | None:
        """The state's file, open: run_state.read_state reads its head, and its blobs when wanted."""
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
        with contextlib.suppress(OSError):
            (self.folder / "states" / f"{key}.changes").unlink(missing_ok=True)
        self._prune("states", "*.pickle", _KEEP_STATES)

    def put_changes(self, key: str, data: bytes) -> None:
        self._put("states", f"{key}.changes", data)

    def get_seen(self, out: Path) -> Seen | None:
        """What generate last left in the output folder `out` (output.seen)."""
        return Seen.from_json(self._read("outputs", _folder_key(out)))

    def put_seen(self, out: Path, seen: Seen) -> None:
        self._write("outputs", _folder_key(out), seen.as_json())
        self._prune("outputs", "*.json", _KEEP_OUTPUTS)

    def get_text(self, kind: str, key: str) -> str | None:
        value = self._read(kind, key)
        return value if isinstance(value, str) else None

    def put_text(self, kind: str, key: str, value: str) -> None:
        self._write(kind, key, value)


def _folder_key(out: Path) -> str:
    return digest(os.fsencode(out.resolve()))
