"""Content-hash caches: a whole run (pages, templates, version, options -> output and diagnostics)
and black's formatting (source -> formatted). A cache can only skip work, never change output:
every key covers everything the cached value depends on."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from docgen.diagnostics import Diagnostic, diag

_KEEP_RUNS = 8


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """A folder of JSON entries; unreadable or corrupt entries are misses, never errors."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _read(self, kind: str, key: str) -> object | None:
        try:
            value: object = json.loads((self.folder / kind / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value

    def _write(self, kind: str, key: str, value: object) -> None:
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
        try:
            entries = sorted((self.folder / kind).glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in entries[keep:]:
                stale.unlink(missing_ok=True)
        except OSError:
            return

    def get_run(self, key: str) -> tuple[dict[str, str], list[Diagnostic], int] | None:
        entry = self._read("runs", key)
        if not isinstance(entry, dict):
            return None
        try:
            files = {str(k): str(v) for k, v in entry["files"].items()}
            diags = [diag(d["path"], d["line"], d["code"], d["message"], d["col"]) for d in entry["diagnostics"]]
            return files, diags, int(entry["pages"])
        except (KeyError, TypeError, ValueError):
            return None

    def put_run(self, key: str, files: dict[str, str], diags: list[Diagnostic], pages: int) -> None:
        self._write("runs", key, {"files": files, "diagnostics": [d.as_json() for d in diags], "pages": pages})
        self._prune("runs", _KEEP_RUNS)

    def get_text(self, kind: str, key: str) -> str | None:
        value = self._read(kind, key)
        return value if isinstance(value, str) else None

    def put_text(self, kind: str, key: str, value: str) -> None:
        self._write(kind, key, value)
