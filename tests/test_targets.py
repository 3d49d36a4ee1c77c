"""A target is a class and a line in emit.targets: one written here (files of its own a group,
fragments a schema assembled into one file) is made by `docgen generate` beside the Python
package and openapi.yaml, in worker processes too, and remade in part after an edit with the
bytes of a run from nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from docgen.config import Config
from docgen.emit import targets
from docgen.emit.target import Context, Made, Unit
from docgen.model.api import Api, Operation
from docgen.pipeline import run


class Listing:
    """A text file a group (its operations) and one of every schema (its properties)."""

    name: str = "listing"
    templates: tuple[str, ...] = ()

    def __init__(self, context: Context) -> None:
        self.api = context.api

    def units(self, api: Api) -> list[Unit]:
        return [*(("group", g) for g in api.groups), *(("schema", s.name) for s in api.schemas)]

    def unit(self, kind: str, name: str) -> Made:
        if kind == "group":
            lines = [f"{op.method} {op.path} {op.summary}" for op in self.api.in_group(name)]
            return Made(((f"listing/{name}.txt", "\n".join(lines) + "\n"),))
        schema = self.api.schema(name)
        assert schema is not None
        return Made(fragment=f"{name}: " + "; ".join(f"{p.name} {p.description}" for p in schema.properties))

    def global_files(self) -> dict[str, str]:
        return {"listing/groups.txt": "\n".join(self.api.groups) + "\n"}

    def touched(self, schemas: Iterable[str], operations: Iterable[Operation]) -> list[Unit]:
        return [
            *(("schema", n) for n in sorted(set(schemas)) if self.api.schema(n) is not None),
            *(("group", g) for g in sorted({op.group for op in operations})),
        ]

    def assemble(self, fragments: dict[Unit, str]) -> dict[str, str]:
        return {"listing/schemas.txt": "\n".join(sorted(fragments.values())) + "\n"}


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(targets, "TARGETS", (*targets.TARGETS, Listing))
    shutil.copytree(ROOT / "input_docs", tmp_path / "docs")
    return tmp_path / "docs"


@pytest.mark.parametrize("workers", [False, True])
def test_a_registered_target_is_made_beside_the_others(docs: Path, workers: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import docgen.emit.outputs as outputs
    import docgen.workers

    shared: list[int] = []
    if workers:
        monkeypatch.setattr(outputs, "_PARALLEL_FROM", 1)
        beside = docgen.workers.beside

        def counted(*args: Any, **kwargs: Any) -> Any:
            shared.append(len(args[1]))
            return beside(*args, **kwargs)

        monkeypatch.setattr(outputs, "beside", counted)
    result = run(Config(inputs=(docs,), package="p", jobs=2))
    assert bool(shared) is workers  # the units were shared out between processes
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"]
    listing = {name: text for name, text in result.files.items() if name.startswith("listing/")}
    assert "POST /api/v1/Agents/Chat/SaveChatSessionEntity" in listing["listing/ChatAgent.txt"]
    assert "ChatAgent" in listing["listing/groups.txt"].split("\n")
    assert "ChatSessionEntity: " in listing["listing/schemas.txt"]
    assert "openapi.yaml" in result.files and "p/_client.py" in result.files  # the others are made still


def test_a_registered_target_is_remade_in_part_after_an_edit(docs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(Config(inputs=(docs,), package="p", cache_dir=cache))
    page = docs / "v1ChatAgent_SaveChatSessionEntity.md"
    page.write_text(page.read_text(encoding="utf-8").replace("The alias for the customer.", "The customer's alias."), encoding="utf-8")
    after = run(Config(inputs=(docs,), package="p", cache_dir=cache))
    fresh = run(Config(inputs=(docs,), package="p"))
    assert after.cached  # made from the last run's state, this target's units too
    assert after.files == fresh.files
    assert "CustomerAlias The customer's alias." in after.files["listing/schemas.txt"]
