"""`docgen lint`: each check on a small page that has exactly the flaw, and a clean page."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, needs_shared
from pages import build, page, response, sample, table

from docgen.cli import main
from docgen.dialects.superoffice.lint import lint
from docgen.dialects.superoffice.reader import parse_page


def lint_codes(*texts: str) -> list[tuple[str, int, str]]:
    pages = [p for i, t in enumerate(texts) if (p := parse_page(t, f"page{i}.md")[0]) is not None]
    api, _ = build(*texts)
    return sorted((d.code, d.line, d.message) for d in lint(pages, api))


ROWS = ["| Id | Integer | the id |", "| Name | String | the name |", "| When | date-time | the time |"]


def test_a_consistent_page_has_nothing_to_say() -> None:
    body = response("Thing", ROWS) + sample("response", '{"Id": 1, "Name": "a", "When": "2020-01-02T03:04:05"}')
    assert lint_codes(page(body=body)) == []


def test_sample_keys_and_table_rows_are_matched_both_ways() -> None:
    body = response("Thing", ROWS) + sample("response", '{\n"Id": 1,\n"name": "a",\n"Extra": 2\n}')
    found = lint_codes(page(body=body))
    assert [c for c, *_ in found] == ["DL001", "DL001", "DL002"]
    extra = next(m for c, _, m in found if "Extra" in m)
    assert "not in the property table" in extra
    assert any("the table spells it 'Name'" in m for _, _, m in found)
    line_of_extra = next(line for c, line, m in found if "Extra" in m)
    assert page(body=body).split("\n")[line_of_extra - 1] == '"Extra": 2'


def test_values_that_contradict_the_declared_type() -> None:
    rows = [*ROWS, "| Tags | int32[] | |"]
    text = '{"Id": "seven", "Name": {"a": 1}, "When": "yesterday", "Tags": [1, "two"]}'
    messages = [m for c, _, m in lint_codes(page(body=response("Thing", rows) + sample("response", text)))]
    assert len(messages) == 4
    assert "'Tags' is a list whose item 1 is a string where a number is declared" in " ".join(messages)
    assert any("a string where a number is declared" in m for m in messages)
    assert any("an object where a primitive is declared" in m for m in messages)
    assert any("not an ISO 8601 date" in m for m in messages)


def test_the_sample_request_must_go_where_the_http_block_says() -> None:
    body = (
        "## Query String Parameters\n\n"
        + table("| flat | bool | |", header="| Parameter Name | Type | Description |")
        + "## Sample request\n\n```http!\nGET /api/v1/Agents/Test/Other?Flat=true\n```\n\n"
    )
    found = lint_codes(page(method="POST", body=body))
    messages = [m for c, _, m in found if c == "DL005"]
    assert len(messages) == 3
    assert any("is GET; the page says POST" in m for m in messages)
    assert any("goes to /api/v1/Agents/Test/Other" in m for m in messages)
    assert any("'Flat'" in m and "spells it 'flat'" in m for m in messages)


def test_the_same_schema_on_two_pages_and_duplicate_uids() -> None:
    def at(uid: str, route: str, rows: list[str]) -> str:
        return page(uid=uid, path=f"/api/v1/Agents/Test/{route}", title=f"POST Agents/Test/{route}", body=response("Thing", rows))

    one, two = at("v1TestAgent_One", "One", ROWS), at("v1TestAgent_Two", "Two", ROWS[:2])
    moved, again = at("v1TestAgent_One", "Moved", ROWS), at("v1TestAgent_Two", "Two", ROWS[:2])
    codes = [(c, m) for c, _, m in lint_codes(one, two, moved, again)]
    assert ("DL004", "Thing here lacks When against page0.md:23") in codes
    assert {c for c, _ in codes} == {"DL004", "DL006", "DL008"}
    assert any(c == "DL006" and "/Moved here but POST /api/v1/Agents/Test/One" in m for c, m in codes)
    assert any(c == "DL008" and "also the uid of page1.md" in m for c, m in codes)


def test_headings_that_name_another_route() -> None:
    moved = page(title="POST Test/Elsewhere").replace("# POST Test/Elsewhere", "# POST Agents/Test/Elsewhere")
    renamed = page(path="/api/v1/Thing/{thingId}", title="POST Thing/{id}")
    assert [c for c, *_ in lint_codes(moved)] == ["DL009"]
    assert [c for c, *_ in lint_codes(renamed)] == ["DL010"]


def test_empty_descriptions_only_where_peers_have_them() -> None:
    rows = [f"| P{i} | String | text |" for i in range(9)] + ["| Bare | String | |"]
    assert [(c, m) for c, _, m in lint_codes(page(body=response("Thing", rows)))] == [
        ("DL007", "property 'Bare' has no description")
    ]
    sparse = [f"| P{i} | String | |" for i in range(9)] + ["| Told | String | text |"]
    assert lint_codes(page(body=response("Thing", sparse))) == []


def test_the_command_exits_on_errors_and_on_warnings_when_strict(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.md").write_text(page(body=response("Thing", ROWS)), encoding="utf-8")
    assert main(["lint", str(clean)]) == 0
    (clean / "b.md").write_text(page(body=response("Thing", ROWS[:2]), uid="v1TestAgent_Other", path="/api/v1/Agents/Test/Other"), encoding="utf-8")
    assert main(["lint", str(clean)]) == 0
    assert main(["lint", "--strict", str(clean)]) == 1
    assert "warning[DL004]" in capsys.readouterr().err
    (clean / "c.md").write_text(page(path="/api/v1/Agents/Test/Third"), encoding="utf-8")
    assert main(["lint", str(clean)]) == 1  # DL006: one uid, two routes


def test_lint_on_the_corpus_finds_no_errors_and_the_known_inconsistencies(capsys) -> None:  # type: ignore[no-untyped-def]
    needs_shared()
    assert main(["lint", "--format", "json", str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert '"code": "DL010"' in out  # `{id}/MergeTo/{id}` headings and friends
    assert '"code": "DG021"' in out  # Delete pages spell their query parameter differently


def test_broken_pages_get_diagnostics_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    broken = Path(__file__).parent / "broken_pages"
    assert main(["lint", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "error[DG004]" in err and "Traceback" not in err
    assert main(["diff", str(broken), str(broken), "--format", "json"]) == 1  # errors: nothing compared
