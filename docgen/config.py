"""Settings: `[tool.docgen]` in the nearest pyproject.toml, overridden by command-line flags.
A value of the wrong type is an error that names the key, never a folder named `['gen']`."""

from __future__ import annotations

import difflib
import keyword
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from docgen.dialects import names as dialect_names


@dataclass(frozen=True)
class Config:
    """One settings object passed down, instead of flags threaded through every call."""

    inputs: tuple[Path, ...] = (Path("input_docs"),)
    out: Path = Path("generated")
    package: str = "api_client"
    title: str = "API"
    version: str = "1.0.0"
    distribution: str = ""  # the project's name on PyPI; "" for the package's, with dashes
    description: str = ""  # the project's one-line description; "" for "Client for the <title>"
    templates: Path | None = None
    cache_dir: Path | None = None  # None: no cache (the library default; the CLI turns it on)
    jobs: int = 0  # parsing processes; 0: one per core
    black: bool = False  # run black over the output too (the emitters already lay out as black does)
    read_only: bool = False  # `check`: no cache folder is made (one `generate` made is kept up)
    project: Path | None = None  # the folder of the pyproject.toml these settings came from
    dialect: str = ""  # whose reference the pages are (docgen.dialects); "": told by the pages
    select: tuple[str, ...] = ()  # report only the codes with these prefixes (all when empty)
    ignore: tuple[str, ...] = ()  # leave out the codes with these prefixes

    def with_overrides(self, **changes: object) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def package_problem(name: str) -> str:
    """Why `name` cannot be the generated package's name, or ""."""
    if not _IDENTIFIER.match(name):
        return f"{name!r} is not a Python identifier (letters, digits and _, not starting with a digit)"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{name!r} is a Python keyword"
    return ""


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    message: str


_KEYS = {
    "input": (str, list),
    "output": (str,),
    "package": (str,),
    "title": (str,),
    "version": (str,),
    "distribution": (str,),
    "description": (str,),
    "templates": (str,),
    "black": (bool,),
    "cache": (str,),
    "jobs": (int,),
    "dialect": (str,),
    "select": (list,),
    "ignore": (list,),
}
_KINDS = {str: "a string", list: "a list of strings", bool: "true or false", int: "a whole number"}


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.docgen] table: one without is another tool's
    project (a parent folder's, say), not docgen's."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_docgen_table(candidate):
            return candidate
    return None


def _has_docgen_table(path: Path) -> bool:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return "[tool.docgen]" in _text(path)  # a broken file that means to configure docgen is reported
    tool = table.get("tool")
    return isinstance(tool, dict) and "docgen" in tool


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def load_config(start: Path | None = None) -> tuple[Config, list[Problem]]:
    """(config, problems). An unreadable pyproject or an unknown key is a warning; a value of
    the wrong type is an error, and the run should not go on with a guess."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        return Config(), []
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("docgen", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        return Config(), [Problem("warning", f"{pyproject}: [tool.docgen] ignored: {error}")]
    if not isinstance(table, dict):
        return Config(), [Problem("error", f"{pyproject}: tool.docgen must be a table")]
    problems = _check_types(pyproject, table)
    if any(p.severity == "error" for p in problems):
        return Config(), problems
    base = pyproject.parent
    raw = table.get("input", "input_docs")
    config = Config(
        inputs=tuple(base / p for p in ([raw] if isinstance(raw, str) else raw)),
        out=base / table.get("output", "generated"),
        package=table.get("package", Config.package),
        title=table.get("title", Config.title),
        version=table.get("version", Config.version),
        distribution=table.get("distribution", ""),
        description=table.get("description", ""),
        templates=base / table["templates"] if "templates" in table else None,
        cache_dir=base / table["cache"] if "cache" in table else None,
        jobs=table.get("jobs", 0),
        black=table.get("black", False),
        project=base,
        dialect=table.get("dialect", ""),
        select=tuple(table.get("select", ())),
        ignore=tuple(table.get("ignore", ())),
    )
    reason = package_problem(config.package)
    if reason:
        problems.append(Problem("error", f"{pyproject}: [tool.docgen] package {reason}"))
    if config.dialect and config.dialect not in dialect_names():
        known = ", ".join(dialect_names())
        problems.append(
            Problem("error", f"{pyproject}: [tool.docgen] dialect {config.dialect!r} is not one docgen reads ({known})")
        )
    return config, problems


def _check_types(pyproject: Path, table: dict[str, object]) -> list[Problem]:
    problems = []
    for key, value in table.items():
        kinds = _KEYS.get(key)
        if kinds is None:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem("error", f"{pyproject}: [tool.docgen] {key!r} is not a setting docgen knows{hint}"))
            continue
        wrong = not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        if isinstance(value, list):
            wrong = wrong or not value or not all(isinstance(v, str) and v.strip() for v in value)
        elif isinstance(value, str) and key in ("input", "output", "package", "templates", "cache"):
            wrong = wrong or not value.strip()
        if wrong:
            expected = " or ".join(_KINDS[k] for k in kinds)
            problems.append(
                Problem("error", f"{pyproject}: [tool.docgen] {key} must be {expected} (not empty), not {value!r}")
            )
    return problems
