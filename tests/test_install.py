"""docgen as users install it: the wheel, in a fresh venv, run from outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from docgen.output.check import read_tree


def _listed_packages() -> list[str]:
    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(table["tool"]["setuptools"]["packages"])


def test_every_subpackage_is_in_the_package_list() -> None:
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "docgen").rglob("__init__.py")}
    assert found | {"docgen.templates"} == set(_listed_packages())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    # a copy of the project: building in place would leave build/ and *.egg-info in the checkout
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, build / name)
    shutil.copytree(ROOT / "docgen", build / "docgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", build / "templates")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(build)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("docgen-*.whl")
    return found


def test_the_wheel_holds_every_module_and_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "docgen").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names
    for path in (ROOT / "templates").glob("*.jinja"):
        assert f"docgen/templates/{path.name}" in names


def _fresh_venv(where: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed; its dependencies come from this interpreter's
    site-packages through a .pth line (the registry is not this test's to exercise), which
    adds a path and runs no editable finder of docgen's."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "docgen_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def test_the_installed_wheel_generates_what_the_checkout_does(wheel: Path, tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "venv", wheel)
    docgen = python.parent / "docgen"
    project = tmp_path / "project"
    shutil.copytree(ROOT / "input_docs", project / "input_docs")
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["docgen"]
    lines = ["[tool.docgen]", *(f"{key} = {value!r}".replace("'", '"') for key, value in settings.items())]
    (project / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import docgen, sys; print(docgen.__file__)"], cwd=project, env=env, check=True, capture_output=True, text=True
    ).stdout
    assert str(tmp_path / "venv") in where  # the wheel's docgen, not the checkout's
    version = subprocess.run([str(docgen), "--version"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith("docgen "), version.stderr
    made = subprocess.run([str(docgen), "generate", "--no-cache", "-q"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    assert read_tree(project / "generated") == read_tree(ROOT / "generated")
    check = subprocess.run([str(docgen), "check", "--no-cache"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
