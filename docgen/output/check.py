"""`docgen check`: what is on disk against what would be written, reading only the regular files
at the paths docgen writes (never through a link) and writing nothing."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import AnyStr

from docgen.files import NotReadable, TreeReader, is_link, read_regular, walk
from docgen.output.manifest import (
    MANIFEST,
    TOOL_CACHES,
    file_hash,
    hashes_of,
    manifest_of,
    manifest_text,
    read_manifest,
)
from docgen.output.seen import Seen
from docgen.output.unified import unified_diff
from docgen.stamps import Stamp, stamp

_LIMIT = 256 << 20
_WINDOW = 2000  # lines from the first change that `check` diffs; far more than it shows
_DIFF_LINES = 40  # per file: enough to see what changed, never the whole file


@dataclass(frozen=True)
class Stale:
    name: str
    reason: str  # "" when the content differs; else why the file could not be compared
    diff: tuple[str, ...] = ()
    more: int = 0  # diff lines left out
    undiffed: int = 0  # lines of the changed region past what was diffed (a large change)


@dataclass(frozen=True)
class Comparison:
    stale: list[Stale] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problem: str = ""  # the folder itself could not be compared
    same: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # files as they should be: stamp, hash

    @property
    def up_to_date(self) -> bool:
        return not (self.stale or self.missing or self.extra or self.problem)


def expected_tree(files: dict[str, str]) -> dict[str, str]:
    """Everything docgen writes for these files, the manifest included."""
    return {**files, MANIFEST: manifest_text(files)}


def compare_tree(
    out: Path,
    files: dict[str, str],
    diff_lines: int = _DIFF_LINES,
    seen: Seen | None = None,
    hashes: dict[str, str] | None = None,
) -> Comparison:
    """`seen`: what generate left in `out` (output.seen); a file with the stamp it recorded and
    the hash of what would be written is equal without being read. `hashes`: the files'
    hashes, when the run kept them."""
    if is_link(out):
        return Comparison(problem=f"{out} is a symbolic link; docgen reads only its own files")
    if not out.exists():
        return Comparison(missing=sorted(expected_tree(files)))
    if not out.is_dir():
        return Comparison(problem=f"{out} is not a folder")
    hashes = dict(hashes_of(files, hashes))
    manifest = manifest_of(hashes).encode("utf-8")
    hashes[MANIFEST] = file_hash(manifest)
    present = dict(walk(out))
    result = Comparison()
    with TreeReader(out) as reader:
        for name in sorted(hashes):
            info = present.get(name)
            if seen is not None and info is not None and seen.known(name, info) == hashes[name]:
                result.same[name] = (stamp(info), hashes[name])
                continue
            try:
                data, read_info = reader.read_info(name, _LIMIT)
            except FileNotFoundError:
                result.missing.append(name)
                continue
            except NotReadable as error:
                result.stale.append(Stale(name, str(error)))
                continue
            wanted = manifest if name == MANIFEST else files[name].encode("utf-8")
            if data != wanted:
                lines, more, undiffed = windowed_diff(data, wanted, name, diff_lines)
                result.stale.append(Stale(name, "", lines, more, undiffed))
            else:
                result.same[name] = (stamp(read_info), hashes[name])  # stat taken before the read
    listed = read_manifest(out) or {}
    files_present = {name for name, info in present.items() if not stat.S_ISDIR(info.st_mode)}
    result.extra.extend(sorted(n for n in listed if n in files_present and n not in files))
    return result


def check_json(found: Comparison, out: Path) -> dict[str, object]:
    """What `docgen check --format json` adds to the report: what a CI step or an editor lists,
    paths relative to `out`."""
    return {
        "out": str(out),
        "up_to_date": found.up_to_date,
        "problem": found.problem,
        "stale": [
            {
                "path": s.name,
                "reason": s.reason,
                "diff": "".join(s.diff),
                "more_diff_lines": s.more,
                "lines_not_diffed": s.undiffed,
            }
            for s in found.stale
        ],
        "missing": found.missing,
        "extra": found.extra,
    }


def bounded_diff(old: str, new: str, name: str, limit: int) -> tuple[tuple[str, ...], int]:
    """A unified diff of the first changes, computed only over the lines between the common
    head and tail (difflib over two 177,000-line files costs seconds; this costs what changed).
    The common head and tail are found on the text first, so the lines of a large file are
    never split either."""
    lines, more, _ = windowed_diff(old, new, name, limit, window=None)
    return lines, more


def windowed_diff(
    old: AnyStr, new: AnyStr, name: str, limit: int, window: int | None = _WINDOW
) -> tuple[tuple[str, ...], int, int]:
    """bounded_diff over at most `window` lines from the first change: edits at both ends of a
    large file (the head and tail trimmed leave the whole file between) would cost difflib
    seconds for a diff of which `limit` lines are shown. Returns (lines, diff lines left out,
    lines of the changed region past the window). Given bytes (UTF-8; what is on disk may not
    be), only the lines around the change are decoded: a line end is the same byte in both."""
    newline: AnyStr = b"\n" if isinstance(old, bytes) else "\n"
    first = _common_prefix(old, new)
    same_tail = _common_suffix(old, new, first)
    start = _line_start(old, first, _MARGIN, newline)
    a = _text(old[start : _line_end(old, len(old) - same_tail, _MARGIN, newline)]).splitlines(keepends=True)
    b = _text(new[start : _line_end(new, len(new) - same_tail, _MARGIN, newline)]).splitlines(keepends=True)
    offset = old.count(newline, 0, start)
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    context = 2
    begin = max(0, head - context)
    a_mid, b_mid = a[begin : len(a) - max(0, tail - context)], b[begin : len(b) - max(0, tail - context)]
    undiffed = 0
    if window is not None and max(len(a_mid), len(b_mid)) > window:
        undiffed = max(len(a_mid), len(b_mid)) - window
        a_mid, b_mid = a_mid[:window], b_mid[:window]
    lines: list[str] = []
    for line in unified_diff(a_mid, b_mid, f"{name} (on disk)", f"{name} (generated)", n=context):
        shown = _shift(line, offset + begin) if line.startswith("@@") else line
        lines.append(shown if shown.endswith("\n") else shown + "\n")
    return tuple(lines[:limit]), max(0, len(lines) - limit), undiffed


_MARGIN = 3  # lines kept around the changed text: more than the diff's context
_BLOCK = 1 << 14


def _text(part: str | bytes) -> str:
    return part.decode("utf-8", "replace") if isinstance(part, bytes) else part


def _common_prefix(a: AnyStr, b: AnyStr) -> int:
    """How many leading characters a and b share, compared a block at a time."""
    n = min(len(a), len(b))
    i = 0
    while i < n:
        size = min(_BLOCK, n - i)
        while size > 1 and a[i : i + size] != b[i : i + size]:
            size //= 2
        if a[i : i + size] != b[i : i + size]:
            return i
        i += size
    return n


def _common_suffix(a: AnyStr, b: AnyStr, prefix: int) -> int:
    """How many trailing characters a and b share, not counting any of the first `prefix`."""
    n = min(len(a), len(b)) - prefix
    k = 0
    while k < n:
        size = min(_BLOCK, n - k)
        while size > 1 and a[len(a) - k - size : len(a) - k] != b[len(b) - k - size : len(b) - k]:
            size //= 2
        if a[len(a) - k - size : len(a) - k] != b[len(b) - k - size : len(b) - k]:
            return k
        k += size
    return n


def _line_start(text: AnyStr, pos: int, lines: int, newline: AnyStr) -> int:
    """The start of the line holding `pos`, moved back `lines` lines more."""
    start = text.rfind(newline, 0, pos) + 1
    for _ in range(lines):
        if start == 0:
            break
        start = text.rfind(newline, 0, start - 1) + 1
    return start


def _line_end(text: AnyStr, pos: int, lines: int, newline: AnyStr) -> int:
    """The end of the line holding `pos` (after its newline), moved on `lines` lines more."""
    end = pos
    for _ in range(lines + 1):
        found = text.find(newline, end)
        if found < 0:
            return len(text)
        end = found + 1
    return end


def _shift(hunk: str, offset: int) -> str:
    """Hunk line numbers count from the start of the file, not of the compared middle."""
    head, _, rest = hunk.partition(" @@")
    parts = head.split(" ")
    shifted = [parts[0]]
    for part in parts[1:]:
        sign, numbers = part[0], part[1:]
        first, comma, count = numbers.partition(",")
        shifted.append(f"{sign}{int(first) + offset}{comma}{count}")
    return " ".join(shifted) + " @@" + rest


def read_tree(out: Path) -> dict[str, str]:
    """The regular files under `out` (not the manifest, nor tool caches), as text: for tests and
    tools that look at an output folder as a whole."""
    files: dict[str, str] = {}
    for name, info in walk(out):
        parts = name.split("/")
        if not stat.S_ISREG(info.st_mode) or name == MANIFEST or any(p in TOOL_CACHES for p in parts):
            continue
        files[name] = read_regular(out, name, _LIMIT).decode("utf-8", "replace")
    return files
