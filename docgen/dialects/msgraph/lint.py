"""Checks of Graph pages against themselves (filled in below)."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic
from docgen.dialects.msgraph.page import GraphPage
from docgen.model.api import Api


def lint(pages: list[GraphPage], api: Api) -> list[Diagnostic]:
    return []
