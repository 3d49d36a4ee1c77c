"""Shared fixtures. Tests that need ../shared (the corpus and the oracle) skip without it."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from docgen.config import Config, load_config
from docgen.output.write import write_tree
from docgen.pipeline import Result, run

# docgen signs its cache with the user's key (docgen.secret): the tests', and their subprocesses',
# is one of their own, never the key of the user who runs them
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="docgen-tests-config-")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "superoffice"
ORACLE = SHARED / "oracle" / "swagger"
FIDELITY = SHARED / "tools" / "fidelity.py"
CORPUS_2023 = SHARED / "corpus" / "superoffice-2023"
ORACLE_2023 = SHARED / "oracle" / "swagger-2023"


def needs_shared() -> None:
    if not (CORPUS.is_dir() and ORACLE.is_dir() and FIDELITY.is_file()):
        pytest.skip("../shared (corpus, oracle, fidelity tool) is not beside the project")


def needs_2023() -> None:
    if not (CORPUS_2023.is_dir() and ORACLE_2023.is_dir() and FIDELITY.is_file()):
        pytest.skip("../shared/corpus/superoffice-2023 and its oracle are not beside the project")


@pytest.fixture(scope="session")
def project_config() -> Config:
    config, problems = load_config(ROOT)
    assert problems == []
    return config


@pytest.fixture(scope="session")
def seed_result(project_config: Config) -> Result:
    return run(project_config)


def load_yaml(text: str) -> Any:
    """A YAML document read with libyaml where PyYAML has it: the pure reader takes 20 s over
    the whole reference's OpenAPI document."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def generate_by_the_cli(pages: Path, out: Path, package: str, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], list[str]]:
    """What `docgen generate` prints on stderr at `pages`, by default and with -v (the second
    run from the cache the first wrote); stdout must stay empty."""
    from docgen.cli import main

    args = ["generate", str(pages), "--out", str(out / "gen"), "--cache-dir", str(out / "cache"), "--package", package]
    printed = []
    for more in ([], ["-v"]):
        assert main([*args, *more]) == 0
        captured = capsys.readouterr()
        assert captured.out == ""
        printed.append(captured.err.splitlines())
    return printed[0], printed[1]


def import_generated(out: Path, package: str) -> ModuleType:
    """Import a generated package from `out`, fresh even if one of that name was imported."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


@pytest.fixture(scope="session")
def seed_package(seed_result: Result, project_config: Config, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("seed_out")
    write_tree(out, seed_result.files)
    return import_generated(out, project_config.package)


@pytest.fixture(scope="session")
def corpus_result() -> Iterator[Result]:
    needs_shared()
    yield run(Config(inputs=(CORPUS,), package="corpus_api", title="SuperOffice Web API"))
