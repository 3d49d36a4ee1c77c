"""The SuperOffice Web API reference: one page per endpoint, with YAML front matter (a uid), an
`http` block, tables for path parts, query, headers, bodies and responses, and samples, in the
several renderings the reference has used."""

from __future__ import annotations

from docgen.diagnostics import Diagnostic
from docgen.dialects.superoffice import lint as _lint
from docgen.dialects.superoffice import naming
from docgen.dialects.superoffice.drafts import PageReader
from docgen.dialects.superoffice.page import PageDoc
from docgen.dialects.superoffice.reader import read_page, recognises
from docgen.model.api import Api
from docgen.model.conventions import Conventions, Credential, Paging, SecurityScheme
from docgen.model.drafts import PageDraft
from docgen.parse.markdown import Document

CONVENTIONS = Conventions(
    credentials=(
        Credential("ticket", "Authorization", "SOTicket", "a SuperOffice ticket (SoTicket scheme)"),
        Credential("token", "Authorization", "Bearer", "an OAuth/OpenID access token (Bearer scheme)"),
        Credential("xsrf_token", "X-XSRF-TOKEN", "", "the XSRF value from the cookie, when not using Authorization"),
    ),
    schemes=(
        SecurityScheme("Basic", "http", scheme="basic"),
        SecurityScheme("Bearer", "http", scheme="bearer"),
        SecurityScheme("SoTicket", "apiKey", header="Authorization", description="Authorization: SOTicket <ticket>"),
    ),
    paging=Paging("value", "odata.nextLink", "$top", "$skip"),
    basic=True,
    example_base_url="https://online.example.com/Cust12345",
    example_credential=("ticket", "your-ticket"),
    example_header=("SO-Language", "en"),
)


class SuperOffice:
    name = "superoffice"
    title = "SuperOffice Web API"
    conventions = CONVENTIONS

    def recognises(self, document: Document) -> bool:
        return recognises(document)

    def read(self, document: Document) -> tuple[PageDoc | None, list[Diagnostic]]:
        return read_page(document)

    def drafts(self, page: object) -> tuple[PageDraft, list[Diagnostic]]:
        assert isinstance(page, PageDoc)
        operation, diags = PageReader(page).read()
        return PageDraft(page.path, operation.rank, (operation,)), diags

    def qualifier(self, group: str) -> str:
        return naming.qualifier(group)

    def lint(self, pages: list[object], api: Api) -> list[Diagnostic]:
        return _lint.lint([p for p in pages if isinstance(p, PageDoc)], api)


SUPEROFFICE = SuperOffice()
