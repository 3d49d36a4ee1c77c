"""Content-hash caches: a whole run (pages, templates, version, options -> output and diagnostics)
and black's formatting (source -> formatted). A cache can only skip work, never change output:
every key covers everything the cached value depends on."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from docgen.diagnostics import CODES, Diagnostic, diag
from docgen.files import NotReadable, read_regular

_KEEP_RUNS = 8
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
    """A folder of JSON entries. Anyone may have written it: an entry that is a link, a FIFO,
    huge, deeply nested or of the wrong shape is a miss, never an error or a hang.
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
        if not self.writable:
            return
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(value, out)
            os.replace(temp, folder / f"{key}.json")
        except OSError:
            return  # a read-only or full disk costs speed, not correctness

    def _prune(self, kind: str, keep: int) -> None:
        """Keep the newest entries, and drop temporary files that a killed run left."""
        folder = self.folder / kind
        try:
            entries = sorted(folder.glob("*.json"), key=lambda p: p.lstat().st_mtime, reverse=True)
            for stale in entries[keep:]:
                stale.unlink(missing_ok=True)
            now = time.time()
            for temp in folder.glob("*.tmp"):
                if now - temp.lstat().st_mtime > _STALE_TEMP:
                    temp.unlink(missing_ok=True)
        except OSError:
            return

    def get_run(self, key: str) -> tuple[dict[str, str], list[Diagnostic], int] | None:
        entry = self._read("runs", key)
        if not isinstance(entry, dict):
            return None
        try:
            files = entry["files"]
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
                return None
            diags = [_diagnostic(d) for d in entry["diagnostics"]]
            pages = entry["pages"]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if not isinstance(pages, int) or isinstance(pages, bool) or not 0 <= pages < 1 << 40:
            return None
        return dict(files), diags, pages

    def put_run(self, key: str, files: dict[str, str], diags: list[Diagnostic], pages: int) -> None:
        self._write("runs", key, {"files": files, "diagnostics": [d.as_json() for d in diags], "pages": pages})
        self._prune("runs", _KEEP_RUNS)

    def get_text(self, kind: str, key: str) -> str | None:
        value = self._read(kind, key)
        return value if isinstance(value, str) else None

    def put_text(self, kind: str, key: str, value: str) -> None:
        self._write(kind, key, value)


def _diagnostic(data: object) -> Diagnostic:
    """A cached diagnostic, or ValueError when the entry is not one docgen wrote."""
    if not isinstance(data, dict):
        raise ValueError("not a diagnostic")
    path, line, code, message, col = (data.get(k) for k in ("path", "line", "code", "message", "col"))
    if not (isinstance(path, str) and isinstance(message, str) and code in CODES):
        raise ValueError("not a diagnostic")
    for number in (line, col):
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 1 << 40:
            raise ValueError("not a diagnostic")
    return diag(path, line, str(code), message, col)  # type: ignore[arg-type]
