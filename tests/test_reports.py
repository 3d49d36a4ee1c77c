"""What a CI step and a person at a terminal get: one rule for exit codes, one stream per
format, a screenful by default, codes selected and ignored, paths as the user typed them, and
a user's template that cannot ship broken code."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from pages import page, response

from docgen.cli import EXIT_CODES, main
from docgen.report import Style, text_report, use_color

SEED = ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md"
FETCH = "---\nuid: v1X_Bad\n---\n\n# Bad\n\n```http\nFETCH /api/x\n```\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.md")
    (folder / "bad.md").write_text(FETCH, encoding="utf-8")
    return folder


def test_check_is_as_strict_as_generate(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gen"
    assert main(["generate", str(docs), "--out", str(out), "-q"]) == 1
    assert main(["check", "-q", "--strict", str(docs), "--out", str(out)]) == 1
    assert main(["check", "-q", str(docs), "--out", str(out)]) == 1  # an error fails without --strict too
    (docs / "bad.md").unlink()
    assert main(["generate", str(docs), "--out", str(out), "-q"]) == 0
    assert main(["check", str(docs), "--out", str(out)]) == 0
    assert main(["check", "--strict", str(docs), "--out", str(out)]) == 1  # the seed has a warning
    captured = capsys.readouterr()
    assert "the pages fail" in captured.out and "error[DG005]" in captured.err


@pytest.mark.parametrize("command", ["generate", "check", "lint", "diff", "inspect"])
def test_json_is_one_document_on_stdout_and_nothing_else(
    command: str, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / "gen")]
    args = {
        "generate": ["generate", str(docs), *out, "--format", "json"],
        "check": ["check", str(docs), *out, "--format", "json"],
        "lint": ["lint", str(docs), "--format", "json"],
        "diff": ["diff", str(SEED), str(SEED), "--format", "json"],
        "inspect": ["inspect", str(SEED)],
    }[command]
    main(args)
    captured = capsys.readouterr()
    json.loads(captured.out)  # json.load of stdout: one document, nothing after it
    if command != "inspect":  # inspect prints the model; its diagnostics are for a person
        assert captured.err == ""


def test_a_whole_reference_prints_a_screenful_and_everything_with_v(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(60):  # each page: notes and a warning (a row without a type)
        rows = ["| Name | string | the name |", "| Odd |  | no type |"]
        (docs / f"p{n}.md").write_text(
            page(uid=f"v1TestAgent_Do{n}", path=f"/api/v1/Agents/Test/Do{n}", body=response(f"Thing{n}", rows)),
            encoding="utf-8",
        )
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen")]) == 0
    default = capsys.readouterr().err.splitlines()
    assert len(default) <= 10 and any(line.startswith("  DG011 warning") and " 60  " in line for line in default)
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen"), "-v"]) == 0
    verbose = capsys.readouterr().err
    assert verbose.count("warning[DG011]") == 60
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen"), "-q"]) == 0
    assert capsys.readouterr().err.splitlines() == ["60 pages: 0 errors, 60 warnings, 1 note"]
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen"), "--strict", "--ignore", "DG011,DG032"]) == 0
    assert "DG011" not in capsys.readouterr().err
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen"), "--select", "DG03"]) == 0
    shown = capsys.readouterr().err.splitlines()
    assert shown[0] == "60 pages: 0 errors, 0 warnings, 1 note" and shown[1].startswith("  DG032 info ")
    assert main(["generate", str(docs), "--out", str(tmp_path / "gen"), "--select", "DG9"]) == 2
    assert "DG9" in capsys.readouterr().err


def test_select_and_ignore_in_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "a.md").write_text(page(body=response("Thing", ["| Odd |  | no type |"])), encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.docgen]\ninput = "docs"\noutput = "gen"\nignore = ["DG011"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(project)
    assert main(["generate", "--strict"]) == 0
    assert main(["generate", "--strict", "--ignore", "DG032"]) == 1  # the command line's list wins
    (project / "pyproject.toml").write_text('[tool.docgen]\ninput = "docs"\nignor = ["DG011"]\n', encoding="utf-8")
    assert main(["generate"]) == 2
    assert "did you mean 'ignore'" in capsys.readouterr().err


def test_colour_only_on_a_terminal_that_wants_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(Terminal()) and not use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Terminal())
    from docgen.diagnostics import diag

    found = [diag("a.md", 3, "DG005", "unknown HTTP method 'FETCH'")]
    assert "\033[" in "\n".join(text_report(found, 1, Style(color=True)))
    assert "\033[" not in "\n".join(text_report(found, 1, Style()))


def test_an_empty_folder_is_an_error_for_lint_as_for_generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["lint", str(tmp_path / "empty")]) == 1
    assert main(["generate", str(tmp_path / "empty"), "--out", str(tmp_path / "gen")]) == 1
    assert capsys.readouterr().err.count("error[DG025]") == 2


def test_a_mistyped_path_or_option_is_a_usage_error_in_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing")
    assert main(["generate", missing, "--out", str(tmp_path / "gen")]) == 2
    assert main(["lint", missing]) == 2
    assert main(["diff", str(SEED), missing]) == 2
    assert main(["generate", str(SEED), "--ouput", str(tmp_path / "gen")]) == 2
    assert "did you mean --out?" in capsys.readouterr().err
    for code in ("0", "1", "2"):
        assert f"\n  {code} " in EXIT_CODES
    assert main(["check", "--help"]) == 0
    assert "exit codes (every command)" in capsys.readouterr().out


def test_a_refused_out_is_refused_before_a_page_is_read(
    docs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("pages read before --out was checked")

    monkeypatch.setattr("docgen.cli.run", never)
    assert main(["generate", str(docs), "--out", str(docs)]) == 2
    assert main(["generate", str(docs), "--out", str(docs / "inside")]) == 2
    assert "nothing written" in capsys.readouterr().err


def test_paths_are_shown_normalised_and_relative(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sdk").mkdir()
    monkeypatch.chdir(tmp_path / "sdk")
    assert main(["lint", "../sdk/../docs"]) == 1
    assert (
        "../docs/bad.md:8: error[DG005]" not in capsys.readouterr().err
    )  # normalised, and absolute outside the folder
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "sdk/../docs"]) == 1
    assert "\ndocs/bad.md:8: error[DG005]" in "\n" + capsys.readouterr().err


def _templates(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_template_that_makes_broken_python_writes_nothing_and_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in = (ROOT / "templates" / "group.py.jinja").read_text(encoding="utf-8")
    folder = _templates(tmp_path, "group.py.jinja", built_in.replace("\n", "\ndef (:\n", 1))
    out = tmp_path / "gen"
    for black in ([], ["--black"]):
        assert main(["generate", str(SEED), "--out", str(out), "--templates", str(folder), *black]) == 1
        err = capsys.readouterr().err
        assert f"{(folder / 'group.py.jinja').as_posix()}:2: error[DG026]: it makes" in err and "is not Python" in err
        assert "internal error" not in err and not out.exists()


def test_an_override_that_matches_no_template_is_a_warning_that_says_which_it_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _templates(tmp_path, "modle.py.jinja", "x\n")
    assert main(["generate", str(SEED), "--out", str(tmp_path / "gen"), "--templates", str(folder), "-v"]) == 0
    err = capsys.readouterr().err
    assert "warning[DG035]: modle.py.jinja overrides none of docgen's templates" in err and "model.py.jinja" in err
    assert main(["generate", str(SEED), "--out", str(tmp_path / "gen"), "--templates", str(folder), "--strict"]) == 1


def test_a_table_whose_separator_is_short_keeps_its_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = response("Webhook", []).replace("|---|---|---|\n", "|---|\n") + "| Name | string | the name |\n\n"
    (tmp_path / "a.md").write_text(page(body=body), encoding="utf-8")
    assert main(["lint", str(tmp_path / "a.md"), "-v"]) == 0
    err = capsys.readouterr().err
    assert "warning[DG007]: the separator row has 1 cells where the header has 3" in err and "DG011" not in err
