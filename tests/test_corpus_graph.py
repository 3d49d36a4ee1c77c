"""Half of the Microsoft Graph v1.0 reference of July 2021, unedited (skipped without ../shared):
no error on the vendor's pages, an OpenAPI document that validates and scores against
Microsoft's CSDL, an SDK that imports and passes mypy --strict, and a sample of its operations
called against Prism, sync and async."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SHARED, generate_by_the_cli, import_generated, load_yaml
from openapi_spec_validator import validate
from prism import prism, prism_available
from test_client_prism import call_everything

from docgen.config import Config
from docgen.diagnostics import Severity
from docgen.dialects.msgraph import MSGRAPH
from docgen.output.write import write_tree
from docgen.pipeline import Result, run
from docgen.report import for_generate

pytestmark = pytest.mark.slow  # not in the everyday core run (README)

GRAPH = SHARED / "corpus" / "msgraph-2021"
CSDL = SHARED / "oracle" / "msgraph-csdl-2021" / "csdl-v1.0-2021-07-13.xml"
SCORER = SHARED / "tools" / "fidelity_graph.py"
BAR = 96.0  # the bar is 95% (the pages allow 97.0%); this one catches a slip first
SAMPLE = 200


@pytest.fixture(scope="module")
def result() -> Result:
    if not (GRAPH.is_dir() and CSDL.is_file() and SCORER.is_file()):
        pytest.skip("../shared/corpus/msgraph-2021 and its CSDL are not beside the project")
    return run(Config(inputs=(GRAPH,), package="graph_api", title="Microsoft Graph"))


@pytest.fixture(scope="module")
def package(result: Result, tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    out = tmp_path_factory.mktemp("graph")
    write_tree(out, result.files)
    return import_generated(out, "graph_api"), out


def test_no_errors_on_the_vendors_pages(result: Result) -> None:
    assert [d.render() for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert any(d.code == "DG032" and "msgraph" in d.message for d in result.diagnostics)


def test_generate_prints_a_screenful_and_the_whole_record_with_v(
    result: Result, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default, verbose = generate_by_the_cli(GRAPH, tmp_path, "graph_api", capsys)
    assert len(default) <= 40, default
    listed = [line for line in verbose if re.match(r"\S+:\d+(:\d+)?: (error|warning|info)\[D[GL]\d+\]: ", line)]
    assert len(listed) == len(for_generate(result.diagnostics)) > 5 * len(default)


def test_the_openapi_document_validates_and_scores_against_the_csdl(result: Result, tmp_path: Path) -> None:
    document = load_yaml(result.files["openapi.yaml"])
    validate(document)
    spec = tmp_path / "openapi.json"  # the same document, which the scorer reads in a second
    spec.write_text(json.dumps(document), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCORER), str(spec), str(GRAPH), str(CSDL)], capture_output=True, text=True, check=True)
    figure = float(done.stdout.strip().splitlines()[-1].split()[1].rstrip("%"))
    assert figure >= BAR, done.stdout


def test_the_sdk_imports_and_passes_mypy_strict(package: tuple[ModuleType, Path]) -> None:
    sdk, out = package
    for name in sdk.models.__all__:
        getattr(sdk.models, name)
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "graph_api"], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Cust12345" not in (out / "README.md").read_text(encoding="utf-8")
    longest = max((text.count("\n"), name) for name, text in result_files(out).items())
    assert longest[0] <= 10_000, longest  # `me` (2,000 methods) is made of parts
    me = sdk.Client("https://h").me
    parts = type(me).__mro__[1:-1]
    defined = {name for part in parts for name in vars(part) if not name.startswith("_")}
    assert len(parts) >= 2 and len(defined) > 500 and defined == {m for m in dir(me) if not m.startswith("_")}


def result_files(out: Path) -> dict[str, str]:
    return {str(path.relative_to(out)): path.read_text(encoding="utf-8") for path in out.rglob("*.py")}


def test_a_sample_of_operations_against_prism(result: Result, package: tuple[ModuleType, Path], tmp_path: Path) -> None:
    prism_available()
    sdk, _ = package
    spec = tmp_path / "openapi.yaml"
    spec.write_text(result.files["openapi.yaml"], encoding="utf-8")
    assert result.api is not None
    with prism(spec) as base:
        assert call_everything(base, result.api, sdk, SAMPLE, MSGRAPH.conventions.paging) >= SAMPLE


def test_one_page_loop(tmp_path: Path) -> None:
    """The cache on Graph pages: an edited page gives the bytes of a run from nothing."""
    if not GRAPH.is_dir():
        pytest.skip("no ../shared")
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(GRAPH, docs)
    cache = tmp_path / "cache"
    first = run(Config(inputs=(docs,), package="g", cache_dir=cache))
    page = docs / "resources" / "application.md"
    text = page.read_text(encoding="utf-8")
    assert "\nRepresents an application. Any" in text
    page.write_text(text.replace("\nRepresents an application. Any", "\nRepresents one application. Any", 1), encoding="utf-8")
    again = run(Config(inputs=(docs,), package="g", cache_dir=cache))
    fresh = run(Config(inputs=(docs,), package="g"))
    assert again.cached and again.files == fresh.files and first.files != fresh.files
    assert [d.render() for d in again.diagnostics] == [d.render() for d in fresh.diagnostics]
