"""What a vendor's API does the same way on every operation, as plain data the emitters lay out:
how a client authenticates, how lists page, what an example call looks like. A dialect supplies
them (dialects/<vendor>); the emitters read them and know no vendor."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credential:
    """A credential the generated client takes as a keyword: sent as `header: prefix value`.
    Earlier credentials win when several would set the same header."""

    param: str
    header: str
    prefix: str
    description: str


@dataclass(frozen=True)
class SecurityScheme:
    """An OpenAPI security scheme: `http` (with `scheme` basic or bearer) or `apiKey` (in a header)."""

    name: str
    type: str
    scheme: str = ""
    header: str = ""
    description: str = ""


@dataclass(frozen=True)
class Paging:
    """How a list answers and asks for its next page: the rows under `items`, the next page's URL
    under `next_link`; the page size and, for servers that page by offset, the offset are query
    parameters."""

    items: str
    next_link: str
    page_size: str
    offset: str = ""


@dataclass(frozen=True)
class Conventions:
    credentials: tuple[Credential, ...]
    schemes: tuple[SecurityScheme, ...]
    paging: Paging
    basic: bool  # the client also takes `username` and `password` (Basic)
    example_base_url: str  # what the README's examples connect to
    example_credential: tuple[str, str]  # (keyword, value) the README's examples pass
    example_header: tuple[str, str] = ("Accept-Language", "en")  # a header the README's examples add
    accept: str = "application/json"  # what a client asks for unless an operation says otherwise
    follow_redirects: bool = False  # what a client does with a redirect unless told (it never takes credentials to another host)


GENERIC = Conventions(
    credentials=(Credential("token", "Authorization", "Bearer", "an access token (Bearer scheme)"),),
    schemes=(SecurityScheme("Bearer", "http", scheme="bearer"),),
    paging=Paging("value", "nextLink", "$top"),
    basic=True,
    example_base_url="https://api.example.com",
    example_credential=("token", "your-token"),
)
