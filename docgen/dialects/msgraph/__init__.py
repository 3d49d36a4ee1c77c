"""The Microsoft Graph v1.0 reference (in progress)."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic
from docgen.model.api import Api
from docgen.model.conventions import GENERIC
from docgen.model.drafts import PageDraft
from docgen.parse.markdown import Document


class MicrosoftGraph:
    name = "msgraph"
    title = "Microsoft Graph v1.0 reference"
    conventions = GENERIC

    def recognises(self, document: Document) -> bool:
        return False

    def read(self, document: Document) -> tuple[object | None, list[Diagnostic]]:
        return None, []

    def drafts(self, page: object) -> tuple[PageDraft, list[Diagnostic]]:
        raise NotImplementedError

    def qualifier(self, group: str) -> str:
        return group

    def lint(self, pages: list[object], api: Api) -> list[Diagnostic]:
        return []


MSGRAPH = MicrosoftGraph()
