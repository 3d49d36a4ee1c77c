"""The generated package and docgen itself pass mypy --strict and ruff."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import ROOT

from docgen.config import Config
from docgen.emit.format import format_python
from docgen.pipeline import Result, run


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_generated_package_passes_mypy_strict(project_config: Config) -> None:
    run = _run("mypy", "--strict", "--cache-dir", os.devnull, project_config.package, cwd=project_config.out)
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_package_and_docgen_pass_ruff(project_config: Config) -> None:
    run = _run("ruff", "check", "--no-cache", "docgen", "tests", "benchmarks", str(project_config.out), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


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
