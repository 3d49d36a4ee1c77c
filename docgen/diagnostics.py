"""Diagnostics travel beside the data through every stage; nothing raises on bad input."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Stable codes: documented in the README (a test keeps the two in step), never renumbered.
CODES: dict[str, tuple[Severity, str]] = {
    "DG001": (Severity.ERROR, "the file cannot be read as UTF-8 text"),
    "DG002": (Severity.INFO, "the page is not a reference page (an index or overview); skipped, listed with -v"),
    "DG003": (Severity.WARNING, "front matter is missing or malformed"),
    "DG004": (Severity.ERROR, "no `http` block with a method and a path"),
    "DG005": (Severity.ERROR, "unknown HTTP method"),
    "DG006": (Severity.ERROR, "malformed path in the `http` block"),
    "DG007": (Severity.WARNING, "a table row, or its separator row, has too few or too many cells"),
    "DG008": (Severity.WARNING, "unknown type spelling; the type is kept unknown"),
    "DG009": (Severity.WARNING, "sample JSON cannot be parsed"),
    "DG010": (Severity.INFO, "a blank or vague type was recovered from the sample JSON"),
    "DG011": (Severity.WARNING, "a type is unknown: neither the table nor a sample tells it"),
    "DG012": (Severity.WARNING, "two pages describe the same schema property with conflicting types"),
    "DG013": (Severity.INFO, "several pages describe the same operation (a uid, a route); their descriptions were merged"),
    "DG014": (Severity.WARNING, "two pages describe the same operation differently"),
    "DG015": (Severity.WARNING, "a section the parser does not recognise was kept as description"),
    "DG016": (Severity.WARNING, "a table has no header this section expects"),
    "DG018": (Severity.ERROR, "two operations share one method and path"),
    "DG019": (Severity.WARNING, "sample JSON is nested too deeply to read"),
    "DG020": (Severity.WARNING, "a path parameter is not in the path, or the other way round"),
    "DG021": (Severity.INFO, "pages spell the same query parameter differently; each page's spelling is kept"),
    "DG022": (Severity.INFO, "a type the page leaves out was inferred from the name or the words (`...Ids`: integer ids; a stream: bytes)"),
    "DG023": (Severity.WARNING, "a response code is not an HTTP status; the row is left out"),
    "DG024": (Severity.ERROR, "an input path does not exist or cannot be read; nothing is written"),
    "DG025": (Severity.ERROR, "no operation could be read from the inputs; nothing is written"),
    "DG026": (Severity.ERROR, "a template cannot be read or rendered; nothing is written"),
    "DG027": (Severity.WARNING, "pages give one schema name to unrelated tables; they are kept apart"),
    "DG028": (Severity.INFO, "a declared type was replaced: its sample or the rest of the reference contradicts it"),
    "DG029": (Severity.INFO, "a string whose every sample value is an ISO 8601 timestamp is a date-time"),
    "DG030": (Severity.INFO, "an array query parameter's item type was read from the page's example URL"),
    "DG031": (Severity.WARNING, "a parameter row's name holds spaces (a sentence, a broken row); the row is left out"),
    "DG032": (Severity.INFO, "the pages were read as one vendor's reference, which they name themselves (set `dialect` to choose)"),
    "DG033": (Severity.ERROR, "the inputs hold pages of more than one reference; nothing is written"),
    "DG034": (Severity.WARNING, "an API page lists no request (no HTTP request section); nothing is made of it"),
    "DG035": (
        Severity.WARNING,
        "a file in the templates folder overrides none of docgen's templates (a misspelled name?)",
    ),
    # `docgen lint` only
    "DL001": (Severity.WARNING, "a sample has a key the property table does not list"),
    "DL002": (Severity.WARNING, "a sample leaves out a property the table lists"),
    "DL003": (Severity.WARNING, "a sample value contradicts the declared type"),
    "DL004": (Severity.WARNING, "two pages of one dialect describe the same schema with different properties"),
    "DL005": (Severity.WARNING, "the sample request's method, path or query differs from what the page documents"),
    "DL006": (Severity.ERROR, "two pages share a uid but describe different routes"),
    "DL007": (Severity.INFO, "a description is empty where the reference usually has one"),
    "DL008": (Severity.WARNING, "two pages of one dialect share a uid"),
    "DL009": (Severity.WARNING, "the page's heading names another route than its `http` block"),
    "DL010": (Severity.INFO, "the page's heading names the path parameters differently from its `http` block"),
    "DL011": (Severity.WARNING, "the page gives a table a placeholder name: other pages give it to unrelated tables"),
    "DL012": (Severity.WARNING, "a date-time is declared as a string: its sample is an ISO 8601 timestamp"),
    "DL013": (Severity.WARNING, "a request body has no type, no table and no sample"),
    "DL014": (Severity.WARNING, "a declared schema is contradicted by its sample: they share no property"),
    "DL015": (Severity.WARNING, "a route answers with a type no page describes"),
    "DL016": (Severity.WARNING, "a page links an enumeration that no page defines"),
    "DL017": (Severity.WARNING, "a function (a route with arguments in parentheses) is documented as POST"),
}
# A lint finding that says, for the page's author, what a generate note says at the same place.
RESTATES = {"DL011": "DG027", "DL012": "DG029", "DL013": "DG011", "DL014": "DG028"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity_rank: int
    code: str
    message: str
    col: int = 0

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def render(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.col}" if self.col else "")
        return f"{where}: {self.severity.value}[{self.code}]: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def diag(path: str, line: int, code: str, message: str, col: int = 0) -> Diagnostic:
    """Build a diagnostic; the severity comes from the code so that codes stay meaningful."""
    return Diagnostic(path, line, _RANK[CODES[code][0]], code, message, col)


# Errors after which no output is written: the run would replace a good client with a poorer one.
BLOCKING = frozenset({"DG024", "DG025", "DG026", "DG033"})


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once, by place, severity, code and message. Keyed by a tuple of every
    field, not by the dataclass's own hash and a key function (three times as slow, at the
    10,000 diagnostics of every run)."""
    keyed = {(d.path, d.line, d.col, d.severity_rank, d.code, d.message): d for d in diags}
    return [keyed[key] for key in sorted(keyed)]


def count(diags: Iterable[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in diags if d.severity is severity)
