"""Graph routes as its pages write them, made OpenAPI paths, grouped and named.

    GET https://graph.microsoft.com/v1.0/users/{id | userPrincipalName}/events?$top=5
    -> GET /users/{id}/events, group `users`, query $top; a method `list_events`

A placeholder's name is its first alternative (`{id | userPrincipalName}` -> `{id}`), made an
identifier; a name that comes back later in the path takes the segment before it
(`/applications/{id}/owners/{id}` -> `{id}`, `{owner-id}`). Function calls keep their
arguments (`getSchedule`, `delta()`, `reminderView(startDateTime={startDateTime},...)`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from docgen.model.naming import pascal, singular

_HOST = re.compile(r"^https?://[^/\s]+", re.IGNORECASE)
_VERSION = re.compile(r"^/(?:v1\.0|beta)(?=/|$)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ANGLED = re.compile(r"<([A-Za-z][\w-]*)>")
_CAST = re.compile(r"^(?:microsoft\.graph\.|graph\.)([\w.]+)$", re.IGNORECASE)
_CALL = re.compile(r"^([^()]*)\((.*)\)$", re.DOTALL)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # the OpenAPI path
    placeholders: tuple[tuple[str, str], ...]  # (parameter name, what the page wrote inside the braces)
    query: tuple[tuple[str, str], ...]  # (name, value) the route's own query string requires


def _split_query(target: str) -> tuple[str, str]:
    """The path and the query string: the first `?` outside parentheses and braces."""
    depth = 0
    for index, ch in enumerate(target):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "?" and depth <= 0:
            return target[:index], target[index + 1 :]
    return target, ""


def _identifier(text: str) -> str:
    first = text.split("|")[0].strip().strip("'\"")
    name = re.sub(r"[^A-Za-z0-9_]+", "-", first).strip("-")
    return name or "id"


def _segments(path: str) -> list[str]:
    """The path's segments, split at `/` outside parentheses and braces."""
    found, depth, current = [], 0, ""
    for ch in path:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth = max(0, depth - 1)
        if ch == "/" and depth == 0:
            found.append(current)
            current = ""
        else:
            current += ch
    found.append(current)
    return found


def read_route(method: str, target: str) -> Route | None:
    """The route of a request line's method and target; None when there is no path."""
    target = _HOST.sub("", target.strip().strip("`").strip())
    target = _ANGLED.sub(r"{\1}", target)  # `range(address='<address>')`: a placeholder too
    target = target.split(" ")[0] if " " in target and "{" not in target else target
    path, query = _split_query(target)
    path = _VERSION.sub("", path.strip())
    if not path.startswith("/"):
        path = "/" + path
    path = path.rstrip("/") or "/"
    if path == "/":
        return None
    names: dict[str, int] = {}
    placeholders: list[tuple[str, str]] = []
    segments = _segments(path)

    def rename(match: re.Match[str], previous: str) -> str:
        name = _identifier(match.group(1))
        if name in names:
            base = f"{singular(re.sub(r'[^A-Za-z0-9]+', '', previous)) or 'item'}-{name}"
            name, n = base, 2
            while name in names:
                name, n = f"{base}{n}", n + 1
        names[name] = 1
        placeholders.append((name, match.group(1).strip()))
        return "{" + name + "}"

    made = []
    for index, segment in enumerate(segments):
        previous = next((s for s in reversed(segments[:index]) if s and not s.startswith("{")), "")
        made.append(_PLACEHOLDER.sub(functools.partial(_rename_with, rename, previous), segment))
    pairs = []
    for pair in query.split("&") if query else []:
        name, _, value = pair.partition("=")
        if name.strip():
            pairs.append((name.strip(), value.strip()))
    return Route(method.upper(), "/".join(made), tuple(placeholders), tuple(pairs))


def _rename_with(rename: Callable[[re.Match[str], str], str], previous: str, match: re.Match[str]) -> str:
    return rename(match, previous)


def route_key(path: str) -> str:
    """What tells one route from another: Graph's paths are case-insensitive and a placeholder's
    name is the page's choice (`/me/contactFolders/{id}` is `/me/contactfolders/{contactFolderId}`)."""
    return _PLACEHOLDER.sub("{}", path).lower()


def group_of(path: str) -> str:
    """The top-level resource a path starts from (`users`, `me`, `groups`, `drives`...)."""
    first = _segments(path)[1] if path.startswith("/") else _segments(path)[0]
    name = _CALL.sub(r"\1", first)
    return pascal(name) or "Default"


def _word(segment: str) -> str:
    """What a segment says in a method's name: nothing for a key, the function's name for a call,
    `as_x` for a cast to x; `$ref`, `$value` and `$count` say ref, content and count."""
    if not segment or _PLACEHOLDER.fullmatch(segment.strip("'")) or segment.startswith("{"):
        return ""
    segment = segment.split(":")[0]  # `root:` of `root:/{item-path}:`: the item the path addresses
    if segment in ("$ref", "$value", "$count"):
        return {"$ref": "Ref", "$value": "Content", "$count": "Count"}[segment]
    call = _CALL.match(segment)
    if call is not None:
        segment = call.group(1)
    cast = _CAST.match(segment)
    if cast is not None:
        return "As" + pascal(cast.group(1).rsplit(".", 1)[-1])
    return pascal(segment)


def operation_name(route: Route, collection: bool, action: bool) -> str:
    """The verb of the method, then the path's words after the top-level resource: `list_events`
    (GET of a collection), `get_manager`, `create_events`, `update`, `delete_owners_ref`; an
    action or function is its own name (`add_key`, `delta`)."""
    words = [w for w in (_word(s) for s in _segments(route.path)[2:]) if w]
    method = route.method
    if action and words:
        return "".join(words)
    if not words and method == "GET" and collection:
        return "ListAll"  # `list` would be the builtin the class's annotations name
    verb = {
        "GET": "List" if collection else "Get",
        "POST": "Create",
        "PATCH": "Update",
        "PUT": "Set",
        "DELETE": "Delete",
    }.get(method, pascal(method.lower()))
    return verb + "".join(words)
