"""Doc text reaches generated code only through the escaping helpers, and comes out inert."""

from __future__ import annotations

import ast

import pytest
import yaml

from docgen.emit.escape import docstring, py_str, yaml_str

HOSTILE = [
    'plain',
    '"""',
    "'''",
    "ends with a backslash \\",
    "{{ x }} {% if %} {# c #}",
    "</script><script>alert(1)</script>",
    "nul \x00 and bell \x07 and escape \x1b",
    "key: value & *alias #comment\n- item",
    "line\u2028separator\u2029and bom\ufeff",
    "tab\tand\r\nwindows",
    "emoji 😀 and accents éü",
    "lone surrogate \ud800",
    '"quoted"',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_python_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_yaml_scalar_round_trips(text: str) -> None:
    assert yaml.safe_load("key: " + yaml_str(text)) == {"key": text}


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_compiles_and_keeps_the_words(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n'
    tree = ast.parse(source)
    value = ast.get_docstring(tree.body[0], clean=False)  # type: ignore[arg-type]
    assert value is not None
    for word in ("plain", "backslash", "script", "item", "emoji"):
        if word in text:
            assert word in value
