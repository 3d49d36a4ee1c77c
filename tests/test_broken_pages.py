"""Broken and hostile pages: each gives the diagnostic it must, and the run still generates valid,
importable, black-clean output that holds every good page."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from conftest import ROOT, import_generated
from openapi_spec_validator import validate
from syrupy.assertion import SnapshotAssertion

from docgen.config import Config
from docgen.dialects.superoffice import SUPEROFFICE
from docgen.emit.format import format_python
from docgen.output.write import write_tree
from docgen.pages import build_pages, parse_sources
from docgen.pipeline import Result, run
from docgen.sources import read_sources

BROKEN = ROOT / "tests" / "broken_pages"
SEED = ROOT / "input_docs" / "v1ChatAgent_SaveChatSessionEntity.md"

# file -> the codes its diagnostics must include (an empty set: the page must be read cleanly)
EXPECTED: dict[str, set[str]] = {
    "bad_status_code.md": {"DG023"},
    "binary.md": {"DG001"},
    "blank_type_without_sample.md": {"DG011"},
    "body_without_anything.md": {"DG011"},
    "bom_crlf.md": set(),
    "conflict_first.md": set(),
    "conflict_second.md": {"DG012"},
    "cr_only.md": set(),
    "duplicate_route.md": set(),
    "duplicate_uid_first.md": {"DG018"},
    "duplicate_uid_second.md": {"DG013", "DG014"},
    "empty.md": {"DG002"},
    "empty_http_block.md": {"DG005"},
    "front_matter_without_uid.md": {"DG002"},
    "hostile_descriptions.md": set(),
    "hostile_groups_and_uids.md": set(),
    "hostile_names.md": set(),
    "hostile_schema_names.md": set(),
    "invalid_sample_json.md": {"DG009"},
    "latin1.md": {"DG001"},
    "no_front_matter.md": {"DG002"},
    "no_http_block.md": {"DG004"},
    "not_a_reference_page.md": {"DG002"},
    "path_part_not_in_path.md": {"DG020"},
    "path_with_quotes.md": {"DG006"},
    "pydantic_member_names.md": set(),
    "path_without_slash.md": {"DG006"},
    "ragged_too_few_cells.md": {"DG007"},
    "ragged_too_many_cells.md": {"DG007"},
    "table_outside_sections.md": {"DG016"},
    "truncated_table.md": {"DG007"},
    "two_hundred_path_parameters.md": set(),
    "unbalanced_brace_path.md": {"DG006"},
    "unclosed_front_matter.md": {"DG003"},
    "undocumented_path_parameter.md": {"DG020"},
    "unknown_method.md": {"DG005"},
    "unknown_query_type.md": {"DG008"},
    "unknown_section.md": {"DG015"},
    "unknown_type_spelling.md": {"DG008"},
    "very_long_names.md": set(),
    "xml_sample.md": {"DG009"},
}
PAIRS = {"conflict_second.md": "conflict_first.md", "duplicate_uid_second.md": "duplicate_uid_first.md", "duplicate_uid_first.md": "duplicate_route.md"}


def test_the_diagnostics_of_the_collection(snapshot: SnapshotAssertion) -> None:
    """Every broken page's full diagnostic lines, as a reviewed snapshot: a change in what docgen
    says about a broken page shows up in review."""
    result = run(Config(inputs=(BROKEN,), package="snap"))
    lines = [d.render().replace(BROKEN.as_posix(), "broken_pages") for d in result.diagnostics]
    lines = [line.replace(str(BROKEN.relative_to(ROOT)), "broken_pages") for line in lines]
    assert lines == snapshot


def test_the_collection_is_complete() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.md")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_gives_its_diagnostic(name: str) -> None:
    paths = [BROKEN / name, SEED] + ([BROKEN / PAIRS[name]] if name in PAIRS else [])
    pages, diags = parse_sources(read_sources(paths), SUPEROFFICE)
    api, build_diags = build_pages(pages, SUPEROFFICE)
    mine = {d.code for d in diags + build_diags if d.path.endswith(name)}
    assert EXPECTED[name] <= mine
    if not EXPECTED[name]:
        assert mine <= {"DG010", "DG013"}, mine
    assert any(op.id == "v1ChatAgent_SaveChatSessionEntity" for op in api.operations)


@pytest.fixture(scope="module")
def broken_run() -> Result:
    return run(Config(inputs=(BROKEN, SEED), package="broken_api"))


@pytest.fixture(scope="module")
def broken_out(broken_run: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("broken_out")
    write_tree(out, broken_run.files)
    return out


@pytest.fixture(scope="module")
def broken_package(broken_out: Path) -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a field that shadows a BaseModel member warns at import
        return import_generated(broken_out, "broken_api")


def test_the_broken_output_passes_mypy_strict(broken_out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "broken_api"],
        capture_output=True,
        text=True,
        cwd=broken_out,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_names_of_pydantic_members_are_fields_that_work(broken_package: ModuleType) -> None:
    members = broken_package.models.Members
    fields = members.model_fields
    assert fields["model_dump_"].validation_alias == "ModelDump" and fields["copy_"].validation_alias == "Copy"
    assert fields["model_validate_"].validation_alias == "ModelValidate" and fields["model_dump_2"].validation_alias == "model_dump"
    entity = members.model_validate({"ModelDump": "a", "ModelCopy": "b", "Schema": "c"})
    assert entity.model_dump(by_alias=True, exclude_unset=True) == {"ModelDump": "a", "ModelCopy": "b", "Schema": "c"}


def test_names_longer_than_a_yaml_key_may_be(broken_run: Result, broken_package: ModuleType) -> None:
    spec = yaml.safe_load(broken_run.files["openapi.yaml"])
    long_path = "/api/v1/Agents/Broken/" + "LongPath" * 150
    assert long_path in spec["paths"] and len([p for p in spec["paths"] if p.startswith("/api/v1/Many/")]) == 1
    schema = spec["components"]["schemas"]["Schema" + "Name" * 300]
    assert "Very" + "Long" * 300 in schema["properties"]


def test_the_rest_of_the_run_is_valid(broken_run: Result, broken_package: ModuleType) -> None:
    validate(yaml.safe_load(broken_run.files["openapi.yaml"]))
    for name, text in broken_run.files.items():
        if name.endswith(".py"):
            ast.parse(text)
            assert format_python(text, name) == text  # black changes nothing
    assert broken_package.models.ChatSessionEntity.model_fields["when_requested"].validation_alias == "WhenRequested"
    good = {"v1BrokenAgent_BomCrlf", "v1BrokenAgent_CrOnly", "v1BrokenAgent_Hostile", "v1ChatAgent_SaveChatSessionEntity"}
    assert good <= {op.id for op in broken_run.api.operations}  # type: ignore[union-attr]


def test_hostile_text_is_inert(broken_run: Result, broken_package: ModuleType) -> None:
    hostile = broken_package.models.Hostile.model_fields
    assert hostile["text"].description == "\"\"\" ''' \\"
    assert hostile["braces"].description == "{{ config }} {% for x in y %}"
    assert hostile["ctl"].description == "bell\x07 esc\x1b"
    spec = yaml.safe_load(broken_run.files["openapi.yaml"])
    ops = [op for item in spec["paths"].values() for op in item.values()]
    assert 'v1"; import os; os.system("x"); "' in {op["operationId"] for op in ops}
    assert any("</script>" in op.get("description", "") for op in ops)


def test_hostile_names_become_distinct_identifiers_with_their_aliases(broken_package: ModuleType) -> None:
    fields = broken_package.models.Names.model_fields
    aliases = {name: f.validation_alias or name for name, f in fields.items()}
    assert len(set(aliases)) == len(aliases) == 20
    for name in aliases:
        assert name.isidentifier() and not name.startswith("_")
    assert aliases["class_"] == "class" and aliases["model_config_"] == "model_config" and aliases["n_1st"] == "1st"
    assert {aliases["customer_alias"], aliases["customer_alias_2"], aliases["customeralias"]} == {
        "CustomerAlias",
        "customer-alias",
        "CUSTOMERALIAS",
    }
    entity = broken_package.models.Names.model_validate({"class": "c", "na\u00efve": "n", "a b": "s"})
    assert entity.model_dump(by_alias=True, exclude_unset=True) == {"class": "c", "na\u00efve": "n", "a b": "s"}


def test_groups_that_collide_with_client_names(broken_package: ModuleType) -> None:
    client = broken_package.Client("https://h")
    group = client.client_  # the group `Client` (/api/v1/Client/...) may not shadow the client class
    assert type(group).__name__ == "ClientOperations" and type(group) is not broken_package.Client
    assert type(broken_package.AsyncClient("https://h").client_).__name__ == "AsyncClientOperations"
    assert callable(group.v1_import_os_os_system_x)  # the uid `v1"; import os; ...` as a method name


def test_very_deep_json_and_a_very_large_page(tmp_path: Path) -> None:
    base = (BROKEN / "blank_type_without_sample.md").read_text(encoding="utf-8")
    deep = base.replace("v1BrokenAgent_Blank", "v1BrokenAgent_Deep").replace("Broken/Blank", "Broken/Deep")
    deep += "## Sample response\n\n```http_\nHTTP/1.1 200 OK\n\n" + "[" * 50000 + "]" * 50000 + "\n```\n"
    rows = "\n".join(f"| Field{i} | int32 | number {i} |" for i in range(20000))
    large = base.replace("v1BrokenAgent_Blank", "v1BrokenAgent_Large").replace("Broken/Blank", "Broken/Large")
    large = large.replace("| Mystery |  | nobody says |", rows).replace("Mysterious", "Large")
    (tmp_path / "deep.md").write_text(deep, encoding="utf-8")
    (tmp_path / "large.md").write_text(large, encoding="utf-8")
    pages, diags = parse_sources(read_sources([tmp_path / "deep.md", tmp_path / "large.md"]), SUPEROFFICE)
    api, _ = build_pages(pages, SUPEROFFICE)
    assert "DG019" in {d.code for d in diags if d.path.endswith("deep.md")}
    assert len(api.schema("Large").properties) == 20000  # type: ignore[union-attr]


def test_a_missing_input_is_an_error_that_writes_nothing(tmp_path: Path) -> None:
    result = run(Config(inputs=(tmp_path / "nowhere", SEED), package="p"))
    assert any(d.code == "DG024" and "nowhere" in d.path for d in result.diagnostics)
    assert result.blocked and result.files == {}


@pytest.mark.parametrize("path", ["/api/v1/../../other-tenant/admin/{id}", "/api/v1/Agents/%2e%2E/admin/{id}", "/api/v1/./x/{id}", "/api/v1/%252e%252e/x/{id}"])
def test_a_route_that_leaves_the_base_path_is_an_error(path: str) -> None:
    from pages import build, page

    text = page(uid="v1AdminAgent_Escape", method="GET", path=path, body="| Path Part | Type | Description |\n|---|---|---|\n| id | int32 | The key. |\n\n")
    api, diags = build(text)
    assert not api.operations
    assert [d.code for d in diags if d.severity.value == "error"] == ["DG006"]
    assert "out of its base path" in next(d.message for d in diags if d.code == "DG006")
