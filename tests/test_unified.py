"""The diff `docgen check` shows: as few changed lines as `diff` finds, never an unchanged line
shown as removed and added again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.output.check import bounded_diff
from docgen.output.unified import matching_blocks, unified_diff

lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "\n"]), max_size=14)


def _longest_common(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    return table[0][0]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(lines, lines)
def test_the_runs_shared_are_a_longest_common_subsequence(a: list[str], b: list[str]) -> None:
    blocks = matching_blocks(a, b)
    i = j = 0
    for x, y, size in blocks:
        assert x >= i and y >= j and size > 0 and a[x : x + size] == b[y : y + size]
        i, j = x + size, y + size
    assert sum(size for _, _, size in blocks) == _longest_common(a, b)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(lines, lines)
def test_the_diff_turns_one_text_into_the_other(a: list[str], b: list[str]) -> None:
    diff = list(unified_diff(a, b, "a", "b", n=1))
    assert not diff if a == b else diff[:2] == ["--- a\n", "+++ b\n"]
    kept = [line[1:] for line in diff[2:] if not line.startswith("@@") and line[0] in " +"]
    removed = [line[1:] for line in diff[2:] if not line.startswith("@@") and line[0] in " -"]
    assert set(kept) <= set(b) and set(removed) <= set(a)
    assert len([x for x in diff if x[0] == "-" and not x.startswith("---")]) == len(a) - _longest_common(a, b)


def _gnu_diff(tmp: Path, old: str, new: str, *options: str) -> str:
    if shutil.which("diff") is None:
        pytest.skip("no diff on PATH")
    (tmp / "old").write_text(old, encoding="utf-8")
    (tmp / "new").write_text(new, encoding="utf-8")
    run = subprocess.run(
        ["diff", *options, "--label", "f (on disk)", "--label", "f (generated)", "old", "new"],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=False,
    )
    return run.stdout


def test_a_one_line_edit_among_recurring_lines_is_the_diff_diff_shows(tmp_path: Path) -> None:
    """A group module repeats its parameter lines in every method; an edit of one method's
    `select` is one changed line, as `diff -u` shows it (difflib took the recurring lines for
    junk and showed them removed and added again)."""
    method = "    def m{n}(\n        self,\n        select: str | None = None,\n        accept_language: str | None = None,\n        so_language: str | None = None,\n    ) -> None: ...\n\n"
    old = "".join(method.format(n=n) for n in range(80))
    new = old.replace("def m40(\n        self,\n        select: str", "def m40(\n        self,\n        select: int", 1)
    new = new.replace(
        "def m70(\n        self,\n        select: str", "def m70(\n        self,\n        select: list[str]", 1
    )
    shown, more = bounded_diff(old, new, "f", 10_000)
    assert more == 0
    changed = [line for line in shown if line[0] in "+-" and not line.startswith(("---", "+++"))]
    assert changed == [
        "-        select: str | None = None,\n",
        "+        select: int | None = None,\n",
        "-        select: str | None = None,\n",
        "+        select: list[str] | None = None,\n",
    ]
    assert "".join(shown) == _gnu_diff(tmp_path, old, new, "-U2")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(["x\n", "y\n", "accept\n", "so\n", "select\n"]), max_size=40),
    st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["new\n", ""])), min_size=1, max_size=4),
)
def test_as_few_changed_lines_as_a_minimal_diff(
    tmp_path_factory: pytest.TempPathFactory, old_lines: list[str], edits: list[tuple[int, str]]
) -> None:
    new_lines = list(old_lines)
    for place, put in edits:
        at = place % (len(new_lines) + 1)
        new_lines[at:at] = [put] if put else []
        if not put and at < len(new_lines):
            del new_lines[at]
    old, new = "".join(old_lines), "".join(new_lines)
    ours = "".join(bounded_diff(old, new, "f", 10_000)[0])
    theirs = _gnu_diff(tmp_path_factory.mktemp("d"), old, new, "-U2", "--minimal")

    def changes(diff: str) -> tuple[int, int]:
        rows = [row for row in diff.splitlines() if not row.startswith(("---", "+++"))]
        return sum(row.startswith("-") for row in rows), sum(row.startswith("+") for row in rows)

    assert changes(ours) == changes(theirs)
