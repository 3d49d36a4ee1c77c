"""Runs after an edit, made from what the last run left: the same bytes and diagnostics as a run
from nothing, for every kind of edit, and a corrupt or hostile cache is a miss."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_2023, ROOT

from docgen.cli import main
from docgen.config import Config
from docgen.output.check import read_tree
from docgen.output.manifest import hashes_of
from docgen.pipeline import Result, run

INPUT = ROOT / "input_docs"
SEED = "v1ChatAgent_SaveChatSessionEntity.md"


def _same(a: Result, b: Result) -> None:
    assert a.files == b.files
    for result in (a, b):  # the hashes a run keeps are those of its files
        assert result.hashes is None or result.hashes == hashes_of(result.files)
    assert [d.render() for d in a.diagnostics] == [d.render() for d in b.diagnostics]


def _runs(docs: Path, cache: Path, **options: object) -> tuple[Result, Result]:
    """(a run with the cache, a run without it) on the same pages."""
    with_cache = run(Config(inputs=(docs,), package="p", cache_dir=cache, **options))  # type: ignore[arg-type]
    return with_cache, run(Config(inputs=(docs,), package="p", **options))  # type: ignore[arg-type]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    shutil.copytree(INPUT, tmp_path / "docs")
    return tmp_path / "docs"


def _replace(old: str, new: str, page: str = SEED) -> Callable[[Path], None]:
    def edit(docs: Path) -> None:
        path = docs / page
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _paragraph(docs: Path) -> None:
    """Prose above everything else: every line below moves down."""
    path = docs / SEED
    text = path.read_text(encoding="utf-8")
    head, fence, tail = text.partition("```\n\n")
    path.write_text(head + fence + "A new first paragraph.\n\nAnd a second one.\n\n" + tail, encoding="utf-8")


def _remove(docs: Path) -> None:
    (docs / "examples" / "v1ExampleAgent_CountItems.md").unlink()


def _add(docs: Path) -> None:
    text = (docs / "examples" / "v1ExampleEntity_DeleteExampleEntity.md").read_text(encoding="utf-8")
    text = text.replace("DeleteExampleEntity", "RemoveExampleEntity").replace("/api/v1/Example/", "/api/v1/Example/Remove/")
    (docs / "examples" / "v1ExampleEntity_RemoveExampleEntity.md").write_text(text, encoding="utf-8")


# (edit, whether the run after it keeps every naming decision and remakes only what it touched)
EDITS = {
    "prose moves every line": (_paragraph, True),
    "a description cell reworded": (_replace("The alias for the customer.", "The customer's alias."), True),
    "a description names a type": (_replace("The alias for the customer.", "The CustomerAlias of the ChatSessionEntity."), False),
    "a property added": (_replace("| CustomerAlias |", "| CustomerNickname | string | Added. |\n| CustomerAlias |"), False),
    "a type changed": (_replace("| CustomerAlias | string |", "| CustomerAlias | int32 |"), False),
    "a page removed": (_remove, False),
    "a page added": (_add, False),
    "prose in a group of parts": (_replace("Deletes one example.", "Deletes one example, for good.", "examples/v1ExampleEntity_DeleteExampleEntity.md"), True),
    "long prose in a group of parts": (
        _replace("Deletes one example.", "Deletes one example.\n\n" + "A line of prose.\n" * 60, "examples/v1ExampleEntity_DeleteExampleEntity.md"),
        True,
    ),
}


@pytest.mark.parametrize("parts", [False, True], ids=["modules", "parts"])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_gives_the_bytes_of_a_run_from_nothing(
    name: str, parts: bool, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parts:  # the Example group then is made of parts, which an edit remakes (or merges) too
        import docgen.emit.python_client as python_client

        monkeypatch.setattr(python_client, "MODULE_LINES", 150)
    edit, kept = EDITS[name]
    cache = tmp_path / "cache"
    first, fresh = _runs(docs, cache)
    _same(first, fresh)
    again, _ = _runs(docs, cache)
    assert again.cached  # nothing changed: nothing made again
    _same(again, fresh)
    edit(docs)
    after, fresh_after = _runs(docs, cache)
    _same(after, fresh_after)
    assert after.files != first.files or after.diagnostics != first.diagnostics
    assert after.cached is kept
    _same(_runs(docs, cache)[0], fresh_after)  # and the state that run left is right too
    assert not parts or any("/groups/_example_" in name for name in after.files)


def test_a_group_that_needs_fewer_parts_after_an_edit_loses_the_others(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docgen.emit.python_client as python_client

    monkeypatch.setattr(python_client, "MODULE_LINES", 150)
    page = docs / "examples" / "v1ExampleEntity_DeleteExampleEntity.md"
    long = page.read_text(encoding="utf-8")
    page.write_text(long.replace("Deletes one example.", "Deletes one example.\n\n" + "A line of prose.\n" * 60), encoding="utf-8")
    cache = tmp_path / "cache"
    before, _ = _runs(docs, cache)
    page.write_text(long, encoding="utf-8")  # the prose gone: one part fewer
    after, fresh = _runs(docs, cache)
    assert after.cached
    _same(after, fresh)
    parts = [sorted(n for n in r.files if "/groups/_example_" in n) for r in (before, after)]
    assert len(parts[1]) < len(parts[0])


def test_the_state_survives_settings_jobs_and_templates(docs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _runs(docs, cache)
    one_job, fresh = _runs(docs, cache, jobs=1)
    assert one_job.cached  # the jobs count changes nothing a page gives
    _same(one_job, fresh)
    renamed, fresh_renamed = _runs(docs, cache, version="2.0.0")
    assert not renamed.cached
    _same(renamed, fresh_renamed)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "openapi_schema.yaml.jinja").write_text((ROOT / "templates" / "openapi_schema.yaml.jinja").read_text() + "\n", encoding="utf-8")
    custom, fresh_custom = _runs(docs, cache, templates=templates)
    assert not custom.cached
    _same(custom, fresh_custom)


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return os.system, ("touch pwned",)


def _dotted() -> bytes:
    """A pickle that asks for a function through a class path: `docgen.run_state` + `pickle.loads`."""
    inner = pickle.dumps("x")
    return b"\x80\x04\x8c\x10docgen.run_state\x94\x8c\x0cpickle.loads\x94\x93\x94C" + bytes([len(inner)]) + inner + b"\x94\x85\x94R\x94."


@pytest.mark.parametrize("content", ["truncated", "garbage", "evil", "dotted", "another object", "empty"])
def test_a_corrupt_or_hostile_state_is_a_miss(content: str, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    _, fresh = _runs(docs, cache)
    (state,) = (cache / "states").glob("*.pickle")
    data = state.read_bytes()
    state.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "garbage": bytes(random.Random(1).randrange(256) for _ in range(5000)),
            "evil": pickle.dumps(_Evil()),
            "dotted": _dotted(),
            "another object": pickle.dumps({"setting": "x"}),
            "empty": b"",
        }[content]
    )
    again, _ = _runs(docs, cache)
    assert not again.cached
    _same(again, fresh)
    assert not (tmp_path / "pwned").exists()
    assert run(Config(inputs=(docs,), package="p", cache_dir=cache)).cached  # the miss wrote a good state


def test_check_keeps_the_cache_generate_made(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    common = [str(docs), "--out", str(out), "--cache-dir", str(cache), "-q", "--package", "p"]
    assert main(["generate", *common]) == 0
    kept = {p.name: p.read_bytes() for p in (cache / "states").iterdir()}
    written = read_tree(out)
    old = run(Config(inputs=(docs,), package="p")).files
    _replace("The alias for the customer.", "The customer's alias.")(docs)
    new = run(Config(inputs=(docs,), package="p")).files
    capsys.readouterr()
    assert main(["check", *common, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    changed = {name for name in new if new[name] != old.get(name)}
    assert changed == {"openapi.yaml", "p/models/_chat_session_entity.py"}
    assert {s["path"] for s in report["stale"]} == changed | {".docgen-manifest.json"}
    assert not report["up_to_date"] and report["missing"] == report["extra"] == []
    code = [s for s in report["stale"] if s["path"] != ".docgen-manifest.json"]
    assert all(s["diff"].startswith("---") and "+" in s["diff"] and "customer's alias" in s["diff"] for s in code)
    assert {p.name: p.read_bytes() for p in (cache / "states").iterdir()} != kept  # the check's work is kept

    def no_parsing(source: object, dialect: object) -> None:
        raise AssertionError("a stale check run again parses no page")

    with monkeypatch.context() as patched:
        patched.setattr("docgen.pipeline.draft_source", no_parsing)
        assert main(["check", *common]) == 1  # a stale check again: the same answer, from the cache
    assert "is out of date (3 stale, 0 missing, 0 extra)" in capsys.readouterr().out
    assert read_tree(out) == written  # the output is never written by check
    assert main(["generate", *common]) == 0
    capsys.readouterr()
    assert main(["check", *common, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True


@pytest.mark.slow
def test_random_edits_on_the_corpus_give_the_bytes_of_a_run_from_nothing(tmp_path: Path) -> None:
    """At the users' scale: rounds of edits to random pages (prose that moves lines, reworded
    cells, changed types, a page removed), each run with the cache against one without."""
    if not CORPUS_2023.is_dir() or not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    shutil.copytree(CORPUS_2023, docs / "2023")
    shutil.copytree(CORPUS, docs / "newer")
    pages = sorted(p for p in docs.rglob("v1*.md"))
    rng = random.Random(15)
    first, fresh = _runs(docs, cache)
    _same(first, fresh)
    kept = 0
    for round_, kind in enumerate(["prose", "cell", "type", "remove"]):
        for page in rng.sample(pages, 1 if round_ % 2 else 10):
            if page.exists():
                _edit_page(page, kind, rng)
        after, fresh = _runs(docs, cache)
        _same(after, fresh)
        kept += after.cached
    assert kept >= 1  # the prose round kept every decision


def _edit_page(page: Path, kind: str, rng: random.Random) -> None:
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    rows = [n for n, line in enumerate(lines) if line.startswith("| ") and line.count("|") == 4 and "---" not in line]
    if kind == "remove":
        page.unlink()
    elif kind == "prose" or not rows:
        head, fence, tail = text.partition("```\n\n")
        page.write_text(head + fence + f"Edited {rng.random()}.\n\n" + tail, encoding="utf-8")
    else:
        n = rng.choice(rows)
        cells = lines[n].split("|")
        if kind == "cell":
            cells[3] = " reworded here "
        else:
            cells[2] = " int32 "
        lines[n] = "|".join(cells)
        page.write_text("\n".join(lines), encoding="utf-8")


def test_pages_the_last_run_read_are_known_by_their_stamps(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose stamp is the one the last run kept is not read again; one touched is read
    (and known again after); one edited to the same size with its mtime set back is read too."""
    from docgen import pipeline

    time.sleep(0.05)  # pages older than the run: their stamps are kept
    config = Config(inputs=(docs,), package="p", cache_dir=tmp_path / "cache")
    first = run(config)
    read: list[str] = []
    real = pipeline.read_source

    def counting(path: Path, name: str, since_ns: int = 0) -> object:
        read.append(path.name)
        return real(path, name, since_ns)

    monkeypatch.setattr(pipeline, "read_source", counting)
    again = run(config)
    assert read == [] and again.cached
    _same(again, first)
    page = docs / SEED
    os.utime(page)  # the same bytes, a new stamp
    time.sleep(0.05)
    _same(run(config), first)
    assert read == [SEED]
    read.clear()
    _same(run(config), first)
    assert read == []  # the touched page's new stamp was kept
    before = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("The alias for the customer.", "The alias fur the customer.", 1), encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns == before.st_mtime_ns
    after = run(config)
    assert read == [SEED] and "alias fur" in after.files["openapi.yaml"]
    _same(after, run(Config(inputs=(docs,), package="p")))
