"""Property-based fuzzing: pages built from the grammar, then mutated at random.

Whatever the page says, docgen never raises, its Python compiles, imports and is black-clean, its
OpenAPI validates, and the same input gives the same bytes. CI runs a modest number of examples;
DOCGEN_FUZZ_EXAMPLES=10000 runs the long campaign by hand.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
from pathlib import Path

import pytest
import yaml
from conftest import import_generated
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from docgen.api_diff import compare, render_report
from docgen.config import Config
from docgen.dialects.superoffice import SUPEROFFICE
from docgen.dialects.superoffice.lint import lint
from docgen.dialects.superoffice.reader import parse_page
from docgen.emit.format import format_python
from docgen.output.write import write_tree
from docgen.pages import build_pages
from docgen.pipeline import emit

EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "40"))
_COUNTER = itertools.count()

NASTY = ['"""', "'''", "\\", "{{ x }}", "{% if %}", "</script>", "\x00", "\x07", ": ", "&", "*", "#", "- ", "|", "`", "\u2028", "é", "名"]
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(NASTY)
name = st.sampled_from(["Id", "class", "from", "type", "match", "model_config", "json", "1st", "$select", "a.b", "a-b", "a b", "naïve", "CustomerAlias", "customer-alias", "CUSTOMERALIAS", "Owner", "Items", "self", "ModelDump", "ModelValidate", "ModelDumpJson", "ModelCopy", "ModelPostInit", "ModelRebuild", "model_fields", "Schema", "Copy", "L" * 1100]) | text
type_spelling = st.sampled_from(
    ["", "int32", "Integer", "int64", "string", "String", "bool", "Boolean", "date-time", "double", "byte", "object", "array", "Associate", "Associate[]", "Enum: A, B", "List<X>", "int 32"]
) | text
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(name, inner, max_size=4),
    max_leaves=12,
)

pytestmark = pytest.mark.slow  # not in the everyday core run (README)


def row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("\n", " ").replace("|", "\\|") for c in cells) + " |"


@st.composite
def pages(draw: st.DrawFn) -> str:
    uid = draw(st.sampled_from(["v1FuzzAgent_Do", "v1FuzzEntity_Get", "v1X_Y"]) | text)
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "FETCH", ""]))
    path = "/api/v1/" + "/".join(draw(st.lists(st.sampled_from(["Agents", "Fuzz", "{id}", "Items", "{bad", "a b", "x"]) | text, min_size=1, max_size=4)))
    props = draw(st.lists(st.tuples(name, type_spelling, text), max_size=6))
    lines = ["---", f"title: {draw(text)}", f"uid: {uid}", "generated: true", "---", "", f"# {draw(text)}", "", "```http", f"{method} {path}", "```", "", draw(text), ""]
    if draw(st.booleans()):
        lines += ["| Path Part | Type | Description |", "|---|---|---|", row(["id", draw(type_spelling), draw(text) + " **Required**"]), ""]
    if draw(st.booleans()):
        lines += ["## Query String Parameters", "", "| Parameter Name | Type | Description |", "|---|---|---|"]
        lines += [row([draw(name), draw(type_spelling), draw(text)]) for _ in range(draw(st.integers(0, 3)))] + [""]
    if draw(st.booleans()):
        lines += [f"## Request Body: {draw(st.sampled_from(['request', 'entity', 'rules', 'consentSourceIds']))}", "", draw(text), ""]
        lines += ["| Property Name | Type | Description |", "|---|---|---|"] + [row(list(p)) for p in props] + [""]
        if draw(st.booleans()):
            lines += ["## Sample request", "", "```http!", f"{method} {path}", "", json.dumps(draw(json_value)), "```", ""]
    codes = draw(st.lists(st.sampled_from(["200", "204", "404", "oops", "2XX"]), min_size=0, max_size=3))
    lines += [f"## Response:{draw(st.sampled_from(['', 'array', 'object', 'int32']))}", "", "| Response | Description |", "|---|---|"]
    lines += [row([c, draw(text)]) for c in codes] + ["", f"### Response body: {draw(type_spelling)}", ""]
    lines += ["| Property Name | Type | Description |", "|---|---|---|"] + [row(list(p)) for p in props] + [""]
    if draw(st.booleans()):
        body = json.dumps(draw(json_value)) if draw(st.booleans()) else draw(text)
        lines += ["## Sample response", "", "```http_", "HTTP/1.1 200 OK", "", body, "```", ""]
    for _ in range(draw(st.integers(0, 3))):  # mutations: drop, duplicate or garble a line
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "garble"]))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines[index] = draw(text)
        if not lines:
            lines = [""]
    return "\n".join(lines)


# Found by the long campaign (a field-less-looking response table with a blank type): kept.
REGRESSION = (
    "---\ntitle: \nuid: v1FuzzAgent_Do\ngenerated: true\n---\n\n# \n\n```http\nGET /api/v1/Agents\n```\n\n\n\n"
    "## Response:\n\n| Response | Description |\n|---|---|\n\n### Response body: \n\n"
    "| Property Name | Type | Description |\n|---|---|---|\n| Id |  |  |\n"
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 100)
@example([REGRESSION])
@example([REGRESSION.replace("| Id |  |  |", "| : | Enum: A, B |  |")])  # an enum property whose name has no letters
@given(st.lists(pages(), min_size=1, max_size=3))
def test_any_page_gives_valid_output(tmp_path_factory, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    parsed = []
    for index, page_text in enumerate(texts):
        page, _ = parse_page(page_text, f"fuzz{index}.md")
        if page is not None:
            parsed.append(page)
    api, _ = build_pages(parsed, SUPEROFFICE)
    lint(parsed, api)  # lint and diff read the same pages: they must not fail either
    assert compare(api, api).bump == "none"
    for style in ("text", "json", "markdown"):
        render_report(compare(build_pages(parsed[:1], SUPEROFFICE)[0], api), style)
    package = f"fuzz_{next(_COUNTER)}"
    config = Config(package=package, title="Fuzz")
    files, emit_diags = emit(api, config, SUPEROFFICE)
    assert emit_diags == [] and emit(build_pages(parsed, SUPEROFFICE)[0], config, SUPEROFFICE)[0] == files  # deterministic
    validate(yaml.safe_load(files["openapi.yaml"]))
    for file_name, source in files.items():
        if file_name.endswith(".py"):
            ast.parse(source)
            assert format_python(source, file_name) == source
    out: Path = tmp_path_factory.mktemp("fuzz")
    write_tree(out, files)
    module = import_generated(out, package)
    assert module.Client("https://h") is not None


_TABLE_LINES = st.sampled_from(
    ["| a | b |", "|---|---|", "|:--|--:|", "| --- |", "- | -", "a | b", "| \\| x |", "|", "\\|", "| a |", "", "    | code |", "> q", "text", "|-|-|-|"]
)


@settings(max_examples=EXAMPLES * 25, deadline=None, derandomize=EXAMPLES <= 100)
@given(st.lists(_TABLE_LINES | text, min_size=1, max_size=8))
def test_the_span_table_rule_finds_the_tables_markdown_it_finds(lines: list[str]) -> None:
    """docgen's table rule only finds spans; markdown-it's own rule must agree on every span."""
    from markdown_it import MarkdownIt

    from docgen.parse.markdown import block_tokens, blocks_of

    reference = MarkdownIt("commonmark", {"html": True}).enable("table")
    reference.core.ruler.disable(["inline", "text_join"])
    source = "\n".join(lines)
    spans = [(b.kind, b.start, b.end) for b in blocks_of(block_tokens(source))]
    assert spans == [(b.kind, b.start, b.end) for b in blocks_of(reference.parse(source))]


def _diff_of_texts(old: str, new: str, name: str) -> tuple[str, ...]:
    """The unified diff of the two whole texts, as check's lines are (each ends a line)."""
    from docgen.output.unified import unified_diff

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    found = unified_diff(a, b, f"{name} (on disk)", f"{name} (generated)", n=2)
    return tuple(line if line.endswith("\n") else line + "\n" for line in found)


lines_text = st.lists(st.sampled_from(["a\n", "b\n", "\n", "x y\n", "a", "dd\n", "é\n"]), max_size=400).map("".join)


@settings(max_examples=EXAMPLES * 25, deadline=None, derandomize=EXAMPLES <= 100)
@given(lines_text, st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["", "a", "\n", "b\n"])), max_size=5))
def test_the_checks_diff_is_the_diff_of_the_lines(old: str, edits: list[tuple[int, str]]) -> None:
    """`docgen check` finds the changed lines on the text (a block at a time) and diffs only
    around them, never splitting a large file's lines: its diff, hunks and all, is the diff of
    the two whole texts."""
    from docgen.output.check import bounded_diff

    new = old
    for place, put in edits:
        at = place % (len(new) + 1)
        new = new[:at] + put + new[at + (1 if put == "" else 0) :]
    assert bounded_diff(old, new, "f", 10_000) == (_diff_of_texts(old, new, "f"), 0)


odd_lines = st.lists(st.sampled_from(["a\n", "\n", "é\n", "è\n", "x\x85y\n", "\u2028\n", "\r\n", "€"]), max_size=200).map("".join)


@settings(max_examples=EXAMPLES * 10, deadline=None, derandomize=EXAMPLES <= 100)
@given(odd_lines, st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from([b"", b"a", b"\n", b"\xff", b"\xc3"])), max_size=4))
def test_the_checks_diff_of_the_bytes_is_its_diff_of_the_text(new: str, edits: list[tuple[int, bytes]]) -> None:
    """compare_tree diffs the bytes on disk (perhaps not UTF-8) against what it would write,
    decoding only the lines around the change: the diff is the one of the decoded texts."""
    from docgen.output.check import windowed_diff

    wanted = new.encode("utf-8")
    found = wanted
    for place, put in edits:
        at = place % (len(found) + 1)
        found = found[:at] + put + found[at + (1 if put == b"" else 0) :]
    text = found.decode("utf-8", "replace")
    assert windowed_diff(found, wanted, "f", 10_000, 50) == windowed_diff(text, new, "f", 10_000, 50)


def test_the_span_table_rule_ends_a_table_where_markdown_it_stops_inventing_cells() -> None:
    """markdown-it ends a table once it would invent more than 65,536 missing cells; docgen's
    rule counts them only where a table is long enough to get there, and must stop on its line."""
    from markdown_it import MarkdownIt

    from docgen.parse.markdown import block_tokens, blocks_of

    reference = MarkdownIt("commonmark", {"html": True}).enable("table")
    reference.core.ruler.disable(["inline", "text_join"])
    for row in ("|", "| a", "a |", "a"):  # no cell or one: two or three invented a row
        source = "\n".join(["| a | b | c |", "|---|---|---|", *[row] * 40_000, "", "| x |", "|---|", "| y |"])
        spans = [(b.kind, b.start, b.end) for b in blocks_of(block_tokens(source))]
        assert spans == [(b.kind, b.start, b.end) for b in blocks_of(reference.parse(source))]
        assert spans[0][0] == "table" and spans[0][2] < 40_002  # the limit ended it, not the blank line
