"""The generated package and docgen itself pass mypy --strict and ruff."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import ROOT
from pages import page

from docgen.config import Config
from docgen.emit.escape import prefixes_used
from docgen.emit.format import format_python
from docgen.output.write import write_tree
from docgen.pipeline import Result, run


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_generated_package_passes_mypy_strict(project_config: Config) -> None:
    run = _run("mypy", "--strict", "--cache-dir", os.devnull, project_config.package, cwd=project_config.out)
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_package_and_docgen_pass_ruff(project_config: Config) -> None:
    run = _run("ruff", "check", "--no-cache", "docgen", "tests", "benchmarks", str(project_config.out), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_values_that_read_like_code_import_nothing(tmp_path: Path) -> None:
    """A module imports what its code uses, never what a documented value spells: an enum whose
    values are `models.x` and `_dt.now` would otherwise import both, unused (ruff F401)."""
    source = tmp_path / "in"
    source.mkdir()
    query = "## Query String Parameters\n\n| Parameter Name | Type | Description |\n|---|---|---|\n"
    query += "| $mode | Enum: models.x, _dt.now, _t.Any | How much. |\n\n## Response: int\n\nOK\n"
    (source / "v1Test_GetItems.md").write_text(page("v1Test_GetItems", "GET", "/api/v1/Test/Items", query), encoding="utf-8")
    result = run(Config(inputs=(source,), out=tmp_path / "out", package="values_api"))
    write_tree(tmp_path / "out", result.files)
    group = result.files["values_api/groups/test.py"]
    assert '"models.x"' in group and "import datetime" not in group and "import models" not in group
    found = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(tmp_path / "out"), cwd=ROOT)
    assert found.returncode == 0, found.stdout + found.stderr


def test_prefixes_used_skips_string_literals() -> None:
    assert prefixes_used('_t.Literal["models.x", \'_dt.\\\'y\'] | models.Contact') == {"_t", "models"}


def test_docgen_passes_mypy_strict() -> None:
    run = _run("mypy", "--cache-dir", os.devnull, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_black_changes_nothing_in_the_output(seed_result: Result) -> None:
    for name, text in seed_result.files.items():
        if name.endswith(".py"):
            assert format_python(text, name) == text, name


def test_black_changes_nothing_in_the_corpus_output(corpus_result: Result) -> None:
    for name, text in corpus_result.files.items():
        if name.endswith(".py"):
            assert format_python(text, name) == text, name


def test_the_black_option_gives_the_same_bytes(seed_result: Result, project_config: Config) -> None:
    assert run(replace(project_config, black=True)).files == seed_result.files
