"""The Microsoft Graph v1.0 reference: resource pages (a type's properties and relationships, its
annotated JSON representation, its base type, enumerations) and API pages (one or more routes
each, OData query options, headers, request bodies and responses in prose, annotated examples)."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic
from docgen.dialects.msgraph import lint as _lint
from docgen.dialects.msgraph.drafts import NEXT_LINK, ROWS, GraphReader
from docgen.dialects.msgraph.page import GraphPage
from docgen.dialects.msgraph.reader import read_page, recognises
from docgen.model.api import Api
from docgen.model.conventions import Conventions, Credential, Paging, SecurityScheme
from docgen.model.drafts import PageDraft
from docgen.model.naming import pascal
from docgen.parse.markdown import Document

CONVENTIONS = Conventions(
    credentials=(Credential("token", "Authorization", "Bearer", "an OAuth 2.0 access token (Bearer scheme)"),),
    schemes=(SecurityScheme("Bearer", "http", scheme="bearer", description="An OAuth 2.0 access token from the Microsoft identity platform"),),
    paging=Paging(ROWS, NEXT_LINK, "$top"),
    basic=False,
    example_base_url="https://graph.microsoft.com/v1.0",
    example_credential=("token", "your-access-token"),
    example_header=("ConsistencyLevel", "eventual"),
    follow_redirects=True,  # a download answers 302 with the file's URL elsewhere
)


class MicrosoftGraph:
    name = "msgraph"
    title = "Microsoft Graph v1.0 reference"
    conventions = CONVENTIONS

    def recognises(self, document: Document) -> bool:
        return recognises(document)

    def read(self, document: Document) -> tuple[GraphPage | None, list[Diagnostic]]:
        return read_page(document)

    def drafts(self, page: object) -> tuple[PageDraft, list[Diagnostic]]:
        assert isinstance(page, GraphPage)
        return GraphReader(page).read()

    def qualifier(self, group: str) -> str:
        return pascal(group)

    def lint(self, pages: list[object], api: Api) -> list[Diagnostic]:
        return _lint.lint([p for p in pages if isinstance(p, GraphPage)], api)


MSGRAPH = MicrosoftGraph()
