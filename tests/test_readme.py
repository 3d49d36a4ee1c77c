"""The README documents every diagnostic code exactly as the code defines it."""

from __future__ import annotations

from conftest import ROOT

from docgen.diagnostics import CODES


def test_every_code_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, (severity, text) in CODES.items():
        assert f"| {code} | {severity.value} | {text} |" in readme, code
