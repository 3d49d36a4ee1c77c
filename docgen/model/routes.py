"""The route grammar every stage shares: HTTP methods, the path of an `http` block, its
`{name}` placeholders, and the shape two routes are compared by."""

from __future__ import annotations

import re

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# A path: /segments of URL characters, with {name} placeholders that do not nest.
PATH = re.compile(r"^(/([A-Za-z0-9._~!$&'()*+,;=:@%-]|\{[A-Za-z_][A-Za-z0-9_.-]*\})*)+$")
PLACEHOLDER = re.compile(r"\{([^{}/]*)\}")


def placeholders(path: str) -> list[str]:
    """The parameter names of a path template, in order."""
    return [name.strip() for name in PLACEHOLDER.findall(path.split("?")[0])]


def dot_segment(path: str) -> str:
    """The first segment of a path that is `.` or `..`, raw or percent-encoded (once or twice);
    "" when there is none. A client that sends such a path leaves the base path it was given."""
    for segment in path.split("?")[0].split("/"):
        decoded = segment
        for _ in range(3):
            decoded = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), decoded)
        if decoded in (".", "..") or ("/" in decoded and any(part in (".", "..") for part in decoded.split("/"))):
            return segment
    return ""


_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def route_shape(path: str) -> str:
    """The route without its parameter names: `/List/{id}` and `/List/{name}` have one shape."""
    return PLACEHOLDER.sub("{}", path.split("?")[0])


def query_examples(text: str, path: str) -> dict[str, list[str]]:
    """Example values per query parameter from lines like `GET /x/{id}?a=1,2` of an http block."""
    found: dict[str, list[str]] = {}
    for line in text.split("\n"):
        _, _, target = line.strip().partition(" ")
        route, _, query = target.partition("?")
        if not query or route_shape(route) != route_shape(path):
            continue
        for pair in query.split("&"):
            name, sep, value = pair.partition("=")
            if sep and name.strip():
                found.setdefault(name.strip(), []).append(value.strip())
    return found
