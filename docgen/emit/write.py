"""Writing the output tree atomically: all of it or, on any failure, none of it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


def safe_relative(name: str) -> PurePosixPath:
    """A relative path that stays inside the output folder, or ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path


def write_tree(out: Path, files: dict[str, str]) -> None:
    """Write `files` into a fresh folder beside `out`, then swap it in. Until the swap the
    old output is untouched; an exception or Ctrl-C leaves it exactly as it was."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name in sorted(files):
            target = staging / safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(files[name])
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def read_tree(out: Path) -> dict[str, str]:
    """What is on disk under `out`, as the same mapping write_tree takes."""
    files: dict[str, str] = {}
    if not out.is_dir():
        return files
    for path in sorted(out.rglob("*")):
        parts = path.relative_to(out).parts
        if path.is_file() and "__pycache__" not in parts and not any(p.startswith(".") for p in parts):
            files[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return files
