"""Half of the whole February 2023 reference, unedited (skipped without ../shared): every
documented operation kept, no schema built from two of the spec's, no error on the vendor's own
pages, and a lint report that fits on one screen."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS_2023, FIDELITY, ORACLE_2023, needs_2023
from openapi_spec_validator import validate

from docgen.config import Config
from docgen.diagnostics import Severity
from docgen.lint import lint
from docgen.model.page_tables import page_tables
from docgen.pipeline import Model, Result, read_model, run
from docgen.report import compact_report, for_lint

BAR = 99.5


@pytest.fixture(scope="module")
def result() -> Result:
    needs_2023()
    return run(Config(inputs=(CORPUS_2023,), package="ref_api", title="SuperOffice Web API"))


@pytest.fixture(scope="module")
def model() -> Model:
    needs_2023()
    return read_model([CORPUS_2023])


def _oracle_schemas() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ORACLE_2023.glob("*.json")):
        for name, schema in json.loads(path.read_text(encoding="utf-8")).get("definitions", {}).items():
            found[name] = set(schema.get("properties") or {})
    return found


def test_no_errors_on_the_vendors_pages(result: Result) -> None:
    assert [d.render() for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert not result.blocked and result.files


def test_fidelity_and_every_operation(result: Result, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(result.files["openapi.yaml"], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(FIDELITY), str(spec), str(CORPUS_2023), str(ORACLE_2023), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    *report, last = done.stdout.strip().splitlines()
    categories = json.loads("\n".join(report))["categories"]
    assert float(last.split(":")[1].strip().rstrip("%")) >= BAR, done.stdout
    ok, n = categories["operation"]
    assert ok == n > 1700, categories["operation"]


def test_no_schema_holds_properties_of_two_spec_schemas(result: Result) -> None:
    oracle = _oracle_schemas()
    spec = yaml.load(result.files["openapi.yaml"], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    validate(spec)
    mixed = []
    for name, schema in spec["components"]["schemas"].items():
        props = set(schema.get("properties") or {})
        if props and not any(props <= theirs for theirs in oracle.values()):
            mixed.append(name)
    assert mixed == []


def test_lint_names_every_page_whose_table_name_is_anothers(model: Model) -> None:
    """Against the spec: a page-named table whose properties are not within the spec schema of
    that name carries a placeholder name, and lint must say so on that page."""
    oracle = {name.rsplit(".", 1)[-1]: props for name, props in _oracle_schemas().items()}
    findings = for_lint(model.diagnostics + lint(model.pages, model.api))
    placeholder_pages = {d.path for d in findings if d.code == "DL011"}
    wrong = set()
    for page in model.pages:
        for found in page_tables(page):
            names = {row.cells[found.table.name_column()].strip() for row in found.table.rows}
            if found.name and found.name in oracle and not names <= oracle[found.name] | {""}:
                wrong.add(page.path)
    assert wrong and wrong <= placeholder_pages, sorted(wrong - placeholder_pages)


def test_every_date_time_spelled_string_is_named_and_none_is_wrong(model: Model) -> None:
    findings = [d for d in model.diagnostics if d.code == "DL012"]
    notes = {(d.path, d.line) for d in model.diagnostics if d.code == "DG029"}
    assert findings and {(d.path, d.line) for d in findings} == notes
    for d in findings:
        assert re.search(r"property '[^']+' is declared a string", d.message) or "body" in d.message


def test_the_compact_lint_report_fits_one_screen(model: Model) -> None:
    lines = compact_report(for_lint(model.diagnostics + lint(model.pages, model.api)), model.files)
    assert len(lines) <= 40 and lines[0].startswith(f"{model.files} pages")
    assert any(line.startswith("DL011 ") for line in lines) and any(line.startswith("DL012 ") for line in lines)
