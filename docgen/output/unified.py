"""A unified diff with the fewest changed lines, as `diff -u` shows them.

difflib's matcher is not minimal, and on a file of more than 200 lines it treats a line that
recurs (`accept_language: str | None = None,` in every method of a group) as junk: a one-line
edit then shows the lines around it removed and added again. Myers' algorithm finds a shortest
edit script; past `_MOST_EDITS` edits (a rewrite, not an edit) difflib without junk takes over,
since the exact alignment of a rewrite matters less than its cost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

_MOST_EDITS = 400

Block = tuple[int, int, int]  # (start in a, start in b, length) of lines both share


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """The runs of lines a and b share, in order, for a shortest edit script between them. The
    common head and tail are one run each, so a diff of any window holding the changes finds
    the same script (what `docgen check` shows of a large file is the diff of the whole)."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = _middle_blocks(a[head : len(a) - tail], b[head : len(b) - tail])
    blocks = [(0, 0, head)] if head else []
    blocks += [(i + head, j + head, size) for i, j, size in middle]
    if tail:
        blocks.append((len(a) - tail, len(b) - tail, tail))
    return blocks


def _middle_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    n, m = len(a), len(b)
    v = {1: 0}
    trace: list[dict[int, int]] = []
    for d in range(min(n + m, _MOST_EDITS) + 1):
        trace.append(dict(v))
        for k in range(-d, d + 1, 2):
            x = v[k + 1] if k == -d or (k != d and v[k - 1] < v[k + 1]) else v[k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            v[k] = x
            if x >= n and y >= m:
                return _blocks(trace, n, m, d)
    return _difflib_blocks(a, b)


def _blocks(trace: list[dict[int, int]], n: int, m: int, d: int) -> list[Block]:
    """The diagonal runs of the path found, walking it back from the end."""
    blocks: list[Block] = []
    x, y = n, m
    for step in range(d, -1, -1):
        v = trace[step]
        k = x - y
        prev_k = k + 1 if k == -step or (k != step and v[k - 1] < v[k + 1]) else k - 1
        prev_x = v[prev_k]
        prev_y = prev_x - prev_k
        run = min(x - prev_x, y - prev_y) if step else x  # the diagonal after the step's edit
        if run > 0:
            blocks.append((x - run, y - run, run))
        x, y = prev_x, prev_y
    blocks.reverse()
    return blocks


def _difflib_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    import difflib

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i, j, size) for i, j, size in matcher.get_matching_blocks() if size]


def unified_diff(a: Sequence[str], b: Sequence[str], old_name: str, new_name: str, n: int = 3) -> Iterator[str]:
    """Lines of a unified diff of a and b (lines with their ends), `n` lines of context, in the
    format difflib.unified_diff writes."""
    blocks = [*matching_blocks(a, b), (len(a), len(b), 0)]
    changes: list[tuple[int, int, int, int]] = []  # (a start, a end, b start, b end) of each change
    i = j = 0
    for bi, bj, size in blocks:
        if i < bi or j < bj:
            changes.append((i, bi, j, bj))
        i, j = bi + size, bj + size
    if not changes:
        return
    yield f"--- {old_name}\n"
    yield f"+++ {new_name}\n"
    for group in _groups(changes, n):
        a_start, b_start = max(0, group[0][0] - n), max(0, group[0][2] - n)
        a_end, b_end = min(len(a), group[-1][1] + n), min(len(b), group[-1][3] + n)
        yield f"@@ -{_range(a_start, a_end)} +{_range(b_start, b_end)} @@\n"
        at = a_start
        for a0, a1, b0, b1 in group:
            yield from (" " + line for line in a[at:a0])
            yield from ("-" + line for line in a[a0:a1])
            yield from ("+" + line for line in b[b0:b1])
            at = a1
        yield from (" " + line for line in a[at:a_end])


def _groups(changes: list[tuple[int, int, int, int]], n: int) -> Iterator[list[tuple[int, int, int, int]]]:
    """Changes closer than twice the context share a hunk."""
    group = [changes[0]]
    for change in changes[1:]:
        if change[0] - group[-1][1] > 2 * n:
            yield group
            group = []
        group.append(change)
    yield group


def _range(start: int, end: int) -> str:
    """difflib's (and diff's) `start,length`, where an empty range names the line before it."""
    length = end - start
    first = start + 1
    if length == 1:
        return f"{first}"
    if not length:
        first -= 1
    return f"{first},{length}"
