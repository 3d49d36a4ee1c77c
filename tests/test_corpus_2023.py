"""Half of the whole February 2023 reference, unedited (skipped without ../shared): every
documented operation kept, no schema built from two of the spec's, no error on the vendor's own
pages, and a lint report that fits on one screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    CORPUS,
    CORPUS_2023,
    FIDELITY,
    ORACLE_2023,
    ROOT,
    generate_by_the_cli,
    import_generated,
    load_yaml,
    needs_2023,
)
from openapi_spec_validator import validate
from prism import prism, prism_available
from test_client_prism import call_everything

from docgen.config import Config
from docgen.diagnostics import Severity
from docgen.dialects.superoffice.lint import lint
from docgen.dialects.superoffice.page_tables import page_tables
from docgen.emit.format import format_python
from docgen.emit.python_client import argument_names
from docgen.output.write import write_tree
from docgen.pages import Model, read_model
from docgen.pipeline import Result, run
from docgen.report import compact_report, for_generate, for_lint

pytestmark = pytest.mark.slow  # not in the everyday core run (README)

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


def test_generate_prints_a_screenful_and_the_whole_record_with_v(
    result: Result, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default, verbose = generate_by_the_cli(CORPUS_2023, tmp_path, "ref_api", capsys)
    assert len(default) <= 40, default
    listed = [line for line in verbose if re.match(r"\S+:\d+(:\d+)?: (error|warning|info)\[D[GL]\d+\]: ", line)]
    assert len(listed) == len(for_generate(result.diagnostics)) > 5 * len(default)


def test_one_process_gives_the_bytes_of_several(result: Result) -> None:
    """At this size pages are read and units rendered in several processes (forked workers and
    this one, each a share): one process alone must give the same files and diagnostics."""
    alone = run(Config(inputs=(CORPUS_2023,), package="ref_api", title="SuperOffice Web API", jobs=1))
    assert alone.files == result.files
    assert [d.render() for d in alone.diagnostics] == [d.render() for d in result.diagnostics]


def test_fidelity_and_every_operation(result: Result, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"  # the same document, which the scorer reads in a second, not 20
    spec.write_text(json.dumps(load_yaml(result.files["openapi.yaml"])), encoding="utf-8")
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
    spec = load_yaml(result.files["openapi.yaml"])
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


# --- the SDK for the whole reference (both corpora) -------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    needs_2023()
    result = run(Config(inputs=(CORPUS_2023, CORPUS), package="reference_api", title="SuperOffice Web API"))
    out = tmp_path_factory.mktemp("reference")
    write_tree(out, result.files)
    return result, out


def test_the_reference_sdk_passes_mypy_strict_and_is_black_and_ruff_clean(reference: tuple[Result, Path]) -> None:
    result, out = reference
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "reference_api"],
        capture_output=True, text=True, cwd=out, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout[-3000:]
    linted = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), "."],
        capture_output=True, text=True, cwd=out, check=False,
    )  # fmt: skip
    assert linted.returncode == 0, linted.stdout[-3000:]
    # black takes 95 s of CPU over the 52 operation modules (7.9 MB) alone: every model and
    # runtime module, and one operation module in four (all share one template; the 98-page
    # corpus has every one of its own checked in test_static)
    python = sorted(name for name in result.files if name.endswith(".py"))
    groups = [name for name in python if "/groups/" in name]
    sample = [name for name in python if name not in groups] + groups[::4]
    changed = [name for name in sample if format_python(result.files[name], name) != result.files[name]]
    assert len(sample) > 900 and changed == []


def test_no_argument_is_named_after_a_sentence(reference: tuple[Result, Path]) -> None:
    result, _ = reference
    assert result.api is not None
    longest = max((len(arg.split("_")), arg) for op in result.api.operations for arg in argument_names(op).values())
    assert longest[0] <= 7, longest


def test_two_hundred_reference_operations_against_prism(reference: tuple[Result, Path], tmp_path: Path) -> None:
    prism_available()
    result, out = reference
    assert result.api is not None
    package = import_generated(out, "reference_api")
    with prism(out / "openapi.yaml") as base:
        assert call_everything(base, result.api, package, 220) >= 200
