"""The generated package and docgen itself pass mypy --strict and ruff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from docgen.config import Config


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_generated_package_passes_mypy_strict(project_config: Config) -> None:
    run = _run("mypy", "--strict", "--cache-dir", os.devnull, project_config.package, cwd=project_config.out)
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_package_and_docgen_pass_ruff(project_config: Config) -> None:
    run = _run("ruff", "check", "--no-cache", "docgen", "tests", str(project_config.out), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_docgen_passes_mypy_strict() -> None:
    run = _run("mypy", "--cache-dir", os.devnull, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
