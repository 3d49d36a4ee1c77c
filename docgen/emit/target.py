"""What a target is to the emitter: a kind of output made from the model (the Python SDK, the
OpenAPI document). The emitter (emit.outputs) shares a target's units out between processes,
keeps what each made, and remakes only the units an edit touches; it knows nothing else of
what a target makes. Targets are listed in emit.targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from docgen.cache import Cache
from docgen.model.api import Api, Operation, Schema
from docgen.model.conventions import Conventions

if TYPE_CHECKING:
    from docgen.emit.python_names import PythonNames
    from docgen.emit.python_package import MemoSource


@dataclass(frozen=True)
class Project:
    package: str
    distribution: str
    version: str
    title: str
    description: str


@dataclass(frozen=True)
class Settings:
    """What every target is told: the project's names, the user's template folder, and the
    dialect's conventions."""

    project: Project
    templates: str | None
    black: bool
    conventions: Conventions


@dataclass(frozen=True)
class Made:
    """What one unit made: files of its own ((path, text); a large unit may make several), or a
    fragment its target assembles into a file with the others (`Target.assemble`); and what a run
    after an edit takes up again instead of making it anew (pickled, b"" when nothing)."""

    files: tuple[tuple[str, str], ...] = ()
    fragment: str | None = None
    memo: bytes = b""


class ApiView(Protocol):
    """What targets read of an Api: a whole one, or one a run after an edit keeps in pieces."""

    @property
    def groups(self) -> tuple[str, ...]: ...

    def schema(self, name: str) -> Schema | None: ...

    def in_group(self, group: str) -> tuple[Operation, ...]: ...

    def group_size(self, group: str) -> int: ...

    def on_path(self, group: str, path: str) -> tuple[Operation, ...]: ...


@dataclass(frozen=True)
class Context:
    """What a target is made from. `names` and `memos` are what a run after an edit takes up from
    the last one rather than work out again from the whole API: the Python names, and the
    methods the last run made (incremental.PieceApi); `keep_memos`: keep this run's for the next."""

    api: Api | ApiView
    settings: Settings
    cache: Cache | None
    names: PythonNames
    memos: MemoSource | None = None
    keep_memos: bool = False


Unit = tuple[str, str]  # (kind, name): a kind the target names, a name it can look up


def described(api: Api | ApiView, name: str) -> Schema:
    """A schema a unit is made of: one the Api has (its units name only those)."""
    found = api.schema(name)
    assert found is not None, name
    return found


def unit_key(target: str, kind: str, name: str) -> str:
    """`python:group:Name`: the name last, as it may hold any character."""
    return f"{target}:{kind}:{name}"


def keyed_unit(key: str) -> tuple[str, Unit]:
    """The target and unit a `unit_key` names."""
    target, kind, name = key.split(":", 2)
    return target, (kind, name)


class Target(Protocol):
    """One kind of output. A target is handed to worker processes (pickled under `spawn`), so it
    holds plain data; what its units make depends on its unit and the Api alone."""

    name: str  # in unit keys; no colon
    templates: tuple[str, ...]  # the templates its units render, compiled before workers start

    def units(self, api: Api) -> list[Unit]:
        """Every unit of a whole run, in the order their fragments are assembled."""
        ...

    def unit(self, kind: str, name: str) -> Made: ...

    def global_files(self) -> dict[str, str]:
        """The files that depend on the whole API (made in a whole run only)."""
        ...

    def touched(self, schemas: Iterable[str], operations: Iterable[Operation]) -> list[Unit]:
        """The units to make again after these schemas and operations changed."""
        ...

    def assemble(self, fragments: dict[Unit, str]) -> dict[str, str]:
        """The files made of the units' fragments (all of them, in the order of `units`)."""
        ...

