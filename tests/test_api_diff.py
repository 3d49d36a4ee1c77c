"""`docgen diff`: changes classified as a client user feels them, and the version bump."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, needs_shared
from pages import build, page, response, table

from docgen.api_diff import compare, render_report
from docgen.cli import main

ROWS = ["| Id | Integer | the id |", "| Name | String | the name |"]
QUERY = "## Query String Parameters\n\n"


def report(old: list[str], new: list[str]):  # type: ignore[no-untyped-def]
    return compare(build(*old)[0], build(*new)[0])


def test_nothing_changed_means_no_bump() -> None:
    result = report([page(body=response("Thing", ROWS))], [page(body=response("Thing", ROWS))])
    assert result.changes == () and result.bump == "none"


def test_removed_and_retyped_properties_break_added_ones_do_not() -> None:
    old = [page(body=response("Thing", ROWS))]
    added = report(old, [page(body=response("Thing", [*ROWS, "| Extra | Boolean | new |"]))])
    assert [(c.level, c.kind, c.subject) for c in added.changes] == [("feature", "added", "Thing.Extra")]
    assert added.bump == "minor"
    removed = report(old, [page(body=response("Thing", ROWS[:1]))])
    assert [(c.level, c.kind, c.subject) for c in removed.changes] == [("breaking", "removed", "Thing.Name")]
    retyped = report(old, [page(body=response("Thing", ["| Id | String | the id |", ROWS[1]]))])
    assert retyped.bump == "major" and "is string (was integer)" in retyped.changes[0].detail
    described = report(old, [page(body=response("Thing", [ROWS[0], "| Name | String | a new text |"]))])
    assert described.bump == "patch"


def test_operations_and_parameters() -> None:
    base = page(uid="v1TestAgent_A", body=response("Thing", ROWS))
    other = page(uid="v1TestAgent_B", path="/api/v1/Agents/Test/B", body=response("Thing", ROWS))
    assert report([base], [base, other]).bump == "minor"
    assert report([base, other], [base]).changes[0].detail == "POST /api/v1/Agents/Test/B"
    optional = page(uid="v1TestAgent_A", body=QUERY + table("| flat | bool | |") + response("Thing", ROWS))
    required = optional.replace("| flat | bool | |", "| flat | bool | **Required** |")
    assert report([base], [optional]).bump == "minor"
    assert report([base], [required]).bump == "major"
    assert report([optional], [base]).bump == "major"


def test_a_schema_that_only_changed_its_name_is_matched_by_place() -> None:
    old = page(body=response("OldName", ROWS))
    new = page(body=response("NewName", [*ROWS, "| More | String | |"]))
    changes = [(c.level, c.what, c.subject, c.detail) for c in report([old], [new]).changes]
    assert changes == [
        ("breaking", "schema", "NewName", "renamed from OldName"),
        ("feature", "property", "NewName.More", "string"),
    ]


def test_formats_and_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "a.md").write_text(page(body=response("Thing", ROWS)), encoding="utf-8")
    (tmp_path / "new" / "a.md").write_text(page(body=response("Thing", ROWS[:1])), encoding="utf-8")
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["bump"] == "major" and data["counts"] == {"breaking": 1, "feature": 0, "fix": 0}
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--fail-on-breaking"]) == 1
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "old"), "--fail-on-breaking"]) == 0
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "missing")]) == 2
    markdown = render_report(
        report([page(body=response("Thing", ROWS))], [page(body=response("T|x", ROWS))]), "markdown"
    )
    changes = markdown.split("| Impact | Change |", 1)[1].splitlines()[2:]
    assert "suggested **" in markdown and changes and all(line.count("|") - line.count("\\|") == 5 for line in changes)


def test_older_renderings_of_the_seed_against_the_current_page(tmp_path: Path) -> None:
    """A real pair: each older rendering of SaveChatSessionEntity against the current one."""
    needs_shared()
    current = next(CORPUS.rglob("v1ChatAgent_SaveChatSessionEntity.md"))
    (tmp_path / "new").mkdir()
    shutil.copy(current, tmp_path / "new")
    for older in sorted((CORPUS / "_older_versions").glob("v1ChatAgent_SaveChatSessionEntity.*.md")):
        old_api = build(older.read_text(encoding="utf-8"))[0]
        new_api = build(current.read_text(encoding="utf-8"))[0]
        result = compare(old_api, new_api)
        subjects = {(c.what, c.subject, c.detail) for c in result.changes}
        # the older pages name the entity after the operation; the current one names it
        assert ("schema", "ChatSessionEntity", "renamed from SaveChatSessionEntityRequest") in subjects
        assert any(c.subject == "ChatSessionEntity.Rating" and c.kind == "added" for c in result.changes)
        assert not any(c.what == "operation" for c in result.changes)
        assert result.bump == "major"
        assert compare(new_api, new_api).bump == "none"


def test_a_new_wire_spelling_of_the_same_python_name_is_a_fix() -> None:
    """`ChatSessionEntityId` -> `chatSessionEntityId` (the corpus has both): the client's
    argument `chat_session_entity_id` stays, only what goes on the wire changes."""
    old = page(body=QUERY + table("| ThingId | int32 | |") + response("Thing", ROWS))
    new = page(body=QUERY + table("| thingId | int32 | |") + response("Thing", ["| id | Integer | the id |", ROWS[1]]))
    result = report([old], [new])
    assert result.bump == "patch"
    assert sorted(c.detail for c in result.changes) == [
        "query parameter 'thingId' was spelled 'ThingId': the same argument, another wire name",
        "was spelled 'Id': the same attribute, another wire name",
    ]
