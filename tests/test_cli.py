"""The command line: generate, check, inspect, exit codes and diagnostics."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from docgen.cli import main
from docgen.diagnostics import CODES

SEED = ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md"


def test_generate_then_check(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["generate", str(SEED), "--out", str(out), "--package", "seed_api"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {".docgen-manifest.json", "README.md", "openapi.yaml", "pyproject.toml", "seed_api/py.typed"} <= set(written)
    assert {"seed_api/__init__.py", "seed_api/_client.py", "seed_api/groups/chat_agent.py", "seed_api/_runtime/transport.py"} <= set(written)
    assert "seed_api/models/_chat_session_entity.py" in written
    assert main(["check", str(SEED), "--out", str(out), "--package", "seed_api"]) == 0
    (out / "seed_api" / "groups" / "chat_agent.py").write_text("stale\n", encoding="utf-8")
    (out / "mine.txt").write_text("x", encoding="utf-8")  # not docgen's: neither extra nor stale
    capsys.readouterr()
    assert main(["check", str(SEED), "--out", str(out), "--package", "seed_api"]) == 1
    printed = capsys.readouterr().out
    assert "stale: " in printed and "-stale" in printed and "mine.txt" not in printed


def test_errors_give_exit_1_and_the_good_pages_are_still_generated(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, docs / "good.md")
    (docs / "bad.md").write_text("---\nuid: v1X_Bad\n---\n\n# Bad\n\n```http\nFETCH /x\n```\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(docs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "bad.md:8: error[DG005]: unknown HTTP method 'FETCH'" in err
    assert "2 pages: 1 error," in err
    assert "SaveChatSessionEntity" in (out / "openapi.yaml").read_text(encoding="utf-8")


def test_strict_and_json_diagnostics(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["generate", str(SEED), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["generate", str(SEED), "--out", str(out), "--strict", "--format", "json"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)  # the one document, whole, on stdout
    assert captured.err == "" and report["written"]["unchanged"] is True
    diags = report["diagnostics"]
    assert report["counts"]["DG011"] == {"severity": "warning", "count": 1, "meaning": CODES["DG011"][1]}
    found = [(d["code"], d["severity"], d["line"]) for d in diags]
    assert found == [("DG032", "info", 0), *(("DG029", "info", line) for line in range(59, 64)), ("DG011", "warning", 121), ("DG010", "info", 121)]


def test_the_command_exits_with_its_code_after_printing_and_saving_everything(tmp_path: Path) -> None:
    """`docgen` ends without freeing what the run made (cli.entry): what it prints, writes and
    caches is all there, and its exit code is main's."""
    out, cache = tmp_path / "out", tmp_path / "cache"

    def docgen(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "docgen", *args, str(SEED), "--out", str(out), "--cache-dir", str(cache)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    made = docgen("generate")
    assert made.returncode == 0 and made.stderr.rstrip().endswith(f"files to {out}")
    assert any(cache.rglob("*")) and (out / "openapi.yaml").is_file()
    (out / "openapi.yaml").write_text("edited\n", encoding="utf-8")
    checked = docgen("check", "--format", "json")
    report = json.loads(checked.stdout)
    assert checked.returncode == 1 and [s["path"] for s in report["stale"]] == ["openapi.yaml"]
    assert report["stale"][0]["diff"].endswith("\n") and report["stale"][0]["more_diff_lines"] > 0
    assert docgen("generate", "--format", "json").returncode == 0 and docgen("check").returncode == 0


def test_inspect_prints_the_model() -> None:
    run = subprocess.run([sys.executable, "-m", "docgen", "inspect", str(SEED)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0
    model = json.loads(run.stdout)
    schema = next(s for s in model["schemas"] if s["name"] == "ChatSessionEntity")
    assert len(schema["properties"]) == 33
    assert model["operations"][0]["id"] == "v1ChatAgent_SaveChatSessionEntity"


def test_diagnostics_are_sorted_by_place_and_each_given_once() -> None:
    from dataclasses import fields

    from docgen.diagnostics import Diagnostic, diag, sort_diagnostics

    a, b, c = diag("b.md", 3, "DG011", "x"), diag("a.md", 9, "DG010", "y"), diag("a.md", 9, "DG010", "z")
    moved = Diagnostic(a.path, a.line, a.severity_rank, a.code, a.message, col=2)
    assert sort_diagnostics([a, c, b, a, moved, c]) == [b, c, a, moved]
    # the key that sorts and dedups is every field: a field added to Diagnostic must join it
    assert {f.name for f in fields(Diagnostic)} == {"path", "line", "col", "severity_rank", "code", "message"}
