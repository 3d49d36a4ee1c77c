"""Settings: `[tool.docgen]` in the nearest pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Config:
    """One settings object passed down, instead of flags threaded through every call."""

    inputs: tuple[Path, ...] = (Path("input_docs"),)
    out: Path = Path("generated")
    package: str = "api_client"
    title: str = "API"
    version: str = "1.0.0"
    templates: Path | None = None
    cache_dir: Path | None = None  # None: no cache (the library default; the CLI turns it on)
    jobs: int = 0  # parsing processes; 0: one per core
    black: bool = False  # run black over the output too (the emitters already lay out as black does)

    def with_overrides(self, **changes: object) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> tuple[Config, list[str]]:
    """(config, problems). A broken pyproject is reported, never fatal: defaults apply."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        return Config(), []
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("docgen", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        return Config(), [f"{pyproject}: [tool.docgen] ignored: {error}"]
    base = pyproject.parent
    config, problems = Config(), []
    if isinstance(table.get("input"), (str, list)):
        raw = table["input"] if isinstance(table["input"], list) else [table["input"]]
        config = replace(config, inputs=tuple(base / str(p) for p in raw))
    else:
        config = replace(config, inputs=(base / "input_docs",))
    config = replace(config, out=base / str(table.get("output", "generated")))
    package = str(table.get("package", config.package))
    if PACKAGE_NAME.match(package):
        config = replace(config, package=package)
    else:
        problems.append(f"{pyproject}: package {package!r} is not a Python identifier; using {config.package!r}")
    for key in ("title", "version"):
        if isinstance(table.get(key), str):
            config = replace(config, **{key: table[key]})
    if isinstance(table.get("templates"), str):
        config = replace(config, templates=base / table["templates"])
    if isinstance(table.get("black"), bool):
        config = replace(config, black=table["black"])
    if isinstance(table.get("cache"), str):
        config = replace(config, cache_dir=base / table["cache"])
    return config, problems
