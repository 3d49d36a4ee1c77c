"""The generated output is a project a team can ship: it builds into a wheel, installs in a fresh
virtual environment and works there, and its README's examples type-check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from docgen.config import Config
from docgen.output.write import write_tree
from docgen.pipeline import Result


def _run(*args: str, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False)


def test_the_project_describes_itself(seed_result: Result, project_config: Config) -> None:
    project = tomllib.loads(seed_result.files["pyproject.toml"])["project"]
    assert (project["name"], project["version"]) == ("superoffice-api", project_config.version)
    assert project["description"] == f"Client for the {project_config.title}"
    assert any(d.startswith("httpx>=") and "<" in d for d in project["dependencies"])
    assert any(d.startswith("pydantic>=2") and "<3" in d for d in project["dependencies"])
    init = seed_result.files["superoffice_api/__init__.py"]
    assert f'__version__ = "{project_config.version}"' in init
    readme = seed_result.files["README.md"]
    for section in ("## Install", "## Authenticate", "## Errors", "## Retries", "## Paging", "## Binary data", "## Groups"):
        assert section in readme, section
    assert "| `client.chat_agent` | `ChatAgentOperations` | 1 |" in readme


def test_the_readme_examples_type_check(seed_result: Result, project_config: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, seed_result.files)
    blocks = re.findall(r"```python\n(.*?)```", seed_result.files["README.md"], re.DOTALL)
    assert len(blocks) >= 5  # auth, an agent, a REST entity, options, paging, binary
    for index, block in enumerate(blocks):
        (tmp_path / f"example_{index}.py").write_text(block, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(out)}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, *(f"example_{i}.py" for i in range(len(blocks)))],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + "\n".join(blocks)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DOCGEN_SKIP_WHEEL") == "1", reason="DOCGEN_SKIP_WHEEL=1")
def test_it_builds_a_wheel_that_installs_and_works_in_a_fresh_venv(seed_result: Result, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, seed_result.files)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(out), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("superoffice_api-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    installed = _run(str(python), "-m", "pip", "install", "-q", str(wheel), cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    probe = (
        "import superoffice_api as s, importlib.resources as r\n"
        "assert r.files('superoffice_api').joinpath('py.typed').is_file()\n"
        "e = s.models.ChatSessionEntity(chat_session_id=3)\n"
        "print(s.__version__, e.to_wire(), type(s.Client('https://h').chat_agent).__name__)\n"
    )
    done = _run(str(python), "-c", probe, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "1.0.0" and "ChatAgent" in done.stdout and "'ChatSessionId': 3" in done.stdout


def test_get_then_save_type_checks_through_a_subclass(tmp_path: Path) -> None:
    """`GET` answers ThingWithLinks, `PUT` takes Thing: the first extends the second, so the
    answer of one goes into the other under mypy --strict; an enum field accepts new values."""
    from pages import page, response, table

    from docgen.pipeline import run

    rows = ["| ThingId | int32 | |", "| Kind | Enum: Plain, Fancy | |", "| Blob | byte | |"]
    get = page(uid="v1Thing_Get", method="GET", path="/api/v1/Thing/{id}", title="GET Thing",
               body="| Path Part | Type | Description |\n|---|---|---|\n| id | int32 | **Required** |\n\n"
               + response("ThingWithLinks", [*rows, "| _Links | object | |"]))  # fmt: skip
    put = page(uid="v1Thing_Put", method="PUT", path="/api/v1/Thing", title="PUT Thing",
               body="## Request Body: entity ThingEntity\n\nThe Thing\n\n" + table(*rows).replace("ThingEntity", "Thing")
               + response("Thing", rows))  # fmt: skip
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "get.md").write_text(get, encoding="utf-8")
    (docs / "put.md").write_text(put.replace("Request Body: entity ThingEntity", "Request Body: entity Thing"), encoding="utf-8")
    result = run(Config(inputs=(docs,), package="things"))
    out = tmp_path / "out"
    write_tree(out, result.files)
    assert "class ThingWithLinks(_thing.Thing):" in result.files["things/models/_thing_with_links.py"]
    (tmp_path / "use.py").write_text(
        "from things import Client, models\n\n"
        "with Client('https://h') as client:\n"
        "    thing = client.thing.get(1)\n"
        "    client.thing.put(thing)\n"
        "    assert thing.kind is None or thing.kind == models.Kind.PLAIN or isinstance(thing.kind, models.Kind)\n"
        "    blob: bytes | None = thing.blob\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "use.py"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(out)}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    sys.path.insert(0, str(out))
    try:
        import things

        parsed = things.models.ThingWithLinks.model_validate({"ThingId": 1, "Kind": "Brand new", "Blob": "AAE="})
    finally:
        sys.path.remove(str(out))
    assert parsed.kind == "Brand new" and isinstance(parsed.kind, things.models.Kind) and parsed.blob == b"\x00\x01"
    assert parsed.to_wire()["Blob"] == "AAE="
