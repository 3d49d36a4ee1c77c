"""docgen in CI: determinism, atomic output, nothing outside --out, the cache, custom templates."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, ROOT

from docgen.cli import main
from docgen.config import Config
from docgen.emit.format import FormatError
from docgen.output.check import read_tree
from docgen.output.write import write_tree
from docgen.pipeline import run
from docgen.sources import find_pages

INPUT = ROOT / "input_docs"


def inputs() -> Path:
    return CORPUS if CORPUS.is_dir() else INPUT


def generate(out: Path, *args: str, seed: str = "0", cwd: Path = ROOT) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "docgen", "generate", "--out", str(out), "--no-cache", "-q", *args],
        check=True,
        env=env,
        cwd=cwd,
        capture_output=True,
    )


def test_output_is_byte_identical_whatever_the_order_hash_seed_and_jobs(tmp_path: Path) -> None:
    pages, _ = find_pages([inputs()])
    shuffled = [str(p) for p in pages]
    random.Random(7).shuffle(shuffled)
    generate(tmp_path / "a", *(str(p) for p in pages), "--jobs", "1", seed="1")
    generate(tmp_path / "b", *shuffled, "--jobs", "2", seed="2")
    generate(tmp_path / "c", *reversed(shuffled), "--jobs", "3", seed="random")
    first = read_tree(tmp_path / "a")
    assert first and read_tree(tmp_path / "b") == first and read_tree(tmp_path / "c") == first


def _old_tree(out: Path) -> dict[str, str]:
    write_tree(out, {"openapi.yaml": "old\n", "pkg/models.py": "old = 1\n"})
    return read_tree(out)


def test_a_formatting_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    before = _old_tree(out)

    def broken(source: str, name: str, cache: object = None) -> str:
        raise FormatError(f"{name}: boom")

    monkeypatch.setattr("docgen.emit.python_target.format_python", broken)
    assert main(["generate", str(INPUT), "--out", str(out), "--no-cache", "--black"]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert read_tree(out) == before


def test_nothing_is_written_outside_out_whatever_the_pages_say(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = (INPUT / "v1ChatAgent_SaveChatSessionEntity.md").read_text(encoding="utf-8")
    (docs / "evil.md").write_text(seed.replace("uid: v1ChatAgent_SaveChatSessionEntity", "uid: ../../../evil/x"), encoding="utf-8")
    box = tmp_path / "box"
    out = box / "out"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["generate", str(docs), "--out", str(out), "--no-cache", "--package", "../escape"]) == 2
    assert "is not a Python identifier" in capsys.readouterr().err
    assert main(["generate", str(docs), "--out", str(out), "--no-cache"]) == 0
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert [p for p in after if p not in before and not str(p).startswith("box/out")] == [Path("box")]
    assert "operationId: \"../../../evil/x\"" in (out / "openapi.yaml").read_text(encoding="utf-8")


def test_the_cache_skips_work_and_never_changes_output(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(INPUT, docs)
    cached = Config(inputs=(docs,), package="p", cache_dir=tmp_path / "cache")
    cold, warm = run(cached), run(cached)
    uncached = run(Config(inputs=(docs,), package="p"))
    assert (cold.cached, warm.cached) == (False, True)
    assert cold.files == warm.files == uncached.files
    assert [d.render() for d in warm.diagnostics] == [d.render() for d in uncached.diagnostics]
    page = docs / "v1ChatAgent_SaveChatSessionEntity.md"
    page.write_text(page.read_text(encoding="utf-8").replace("The alias for the customer.", "The alias."), encoding="utf-8")
    changed = run(cached)
    assert changed.cached and changed.files != cold.files  # made from the state, the page read again
    assert changed.files == run(Config(inputs=(docs,), package="p")).files
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "__init__.py.jinja").write_text('"""Custom."""\n', encoding="utf-8")
    custom = run(Config(inputs=(docs,), package="p", cache_dir=tmp_path / "cache", templates=templates))
    assert not custom.cached and custom.files["p/__init__.py"] == '"""Custom."""\n'


def test_a_corrupt_cache_is_a_miss(tmp_path: Path) -> None:
    config = Config(inputs=(INPUT,), package="p", cache_dir=tmp_path / "cache")
    first = run(config)
    for entry in (tmp_path / "cache").rglob("*.*"):
        entry.write_text("{not json", encoding="utf-8")
    again = run(config)
    assert not again.cached and again.files == first.files


def test_generate_check_flag_and_check_command_agree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", str(INPUT), "--out", str(out), "-q"]) == 0
    assert main(["generate", "--check", str(INPUT), "--out", str(out), "-q"]) == 0
    (out / "openapi.yaml").unlink()
    assert main(["check", str(INPUT), "--out", str(out), "-q"]) == 1
    assert main(["generate", "--check", str(INPUT), "--out", str(out), "-q"]) == 1
    assert not (out / "openapi.yaml").exists()


def test_no_progress_bar_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.progress import wanted

    monkeypatch.setenv("CI", "true")
    assert not wanted(True)


def test_pre_commit_hook_runs_docgen_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "docgen-check")
    assert hook["entry"] == "docgen check" and hook["pass_filenames"] is False


def _many_pages(folder: Path, count: int) -> None:
    """Enough pages for parallel parsing and rendering: each an entity of its own with a response."""
    folder.mkdir()
    for n in range(count):
        name = f"Thing{n}"
        (folder / f"v1{name}_Get{name}.md").write_text(
            f"---\ntitle: GET {name}/{{id}}\nuid: v1{name}_Get{name}\ngenerated: true\n---\n\n# GET {name}/{{id}}\n\n"
            f"```http\nGET /api/v1/{name}/{{id}}\n```\n\nGets a {name}Entity.\n\n"
            "| Path Part | Type | Description |\n|---|---|---|\n| id | int32 | The key. **Required** |\n\n"
            f"## Response: {name}Entity\n\nOK\n\n| Response | Description |\n|---|---|\n| 200 | OK |\n\n"
            f"### Response body: {name}Entity\n\n| Property Name | Type | Description |\n|---|---|---|\n"
            f"| {name}Id | int32 | Its key. |\n| Name | string | What it is called. |\n| Owner | Associate | Who owns it. |\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_any_start_method_gives_the_same_bytes(method: str, tmp_path: Path) -> None:
    """Workers get what they need as arguments: spawn (macOS, Windows) and forkserver (Linux's
    default from Python 3.14) parse and render as fork does, in parallel."""
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    docs = tmp_path / "docs"
    _many_pages(docs, 160)  # over the parse's 64 pages and the render's 400 units
    args = ["generate", str(docs), "--package", "p", "--no-cache", "-q", "--jobs", "2"]
    script = "import multiprocessing, sys; multiprocessing.set_start_method(sys.argv[1]); from docgen.cli import main; sys.exit(main(sys.argv[2:]))"
    for name, start in (("fork", "fork"), (method, method)):
        done = subprocess.run(
            [sys.executable, "-c", script, start, *args, "--out", str(tmp_path / name)], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert done.returncode == 0, done.stderr
    one = subprocess.run(
        [sys.executable, "-m", "docgen", *args[:-1], "1", "--out", str(tmp_path / "one")], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert one.returncode == 0, one.stderr
    assert read_tree(tmp_path / "fork") == read_tree(tmp_path / method) == read_tree(tmp_path / "one")
    assert len(read_tree(tmp_path / "one")) > 300
