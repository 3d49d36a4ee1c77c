"""Names: PascalCase <-> snake_case, safe Python identifiers, deterministic de-duplication."""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")

# Names an attribute of a pydantic model, or a client method, must not take: every public
# member of pydantic's BaseModel (written out, so that the output never depends on the installed
# pydantic), every `model_` name (pydantic's namespace, where new members appear), and the names
# the generated runtime uses.
RESERVED_MEMBERS = frozenset(
    {n for n in dir(object) if not n.startswith("__")}
    | {"copy", "dict", "json", "parse_obj", "parse_raw", "parse_file", "schema", "schema_json"}
    | {"construct", "validate", "from_orm", "update_forward_refs", "fields", "self", "cls"}
    | {"close", "aclose", "http", "client"}
)
RESERVED_PREFIXES = ("model_",)
SOFT_KEYWORDS = frozenset({"_"})  # `match`, `case` and `type` are names like any other
# The builtins generated annotations name (`list[str]`, `dict[str, int]`, `bytes`): an attribute or
# method of that name in a class would be what a later annotation in the class means. Every
# other builtin (`id`, `filter`, `format`, `type`) is a plain name for an attribute or argument.
ANNOTATION_BUILTINS = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def ascii_words(text: str) -> tuple[str, ...]:
    """Words of a name, split at case changes and punctuation; non-ASCII folded or dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _NON_WORD.split(folded):
        words.extend(w for w in _WORD_BOUNDARY.split(chunk) if w)
    return tuple(words)


@functools.lru_cache(maxsize=65536)  # the same few thousand names come back on every page
def snake(text: str) -> str:
    return "_".join(w.lower() for w in ascii_words(text))


@functools.lru_cache(maxsize=65536)
def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in ascii_words(text))


def singular(name: str) -> str:
    """FieldProperties -> FieldProperty; names an item of a collection named `name`."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith(("sses", "xes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


def python_identifier(
    name: str,
    style: str = "snake",
    avoid: frozenset[str] = frozenset(),
    prefixes: tuple[str, ...] = (),
    shadow: frozenset[str] = ANNOTATION_BUILTINS,
) -> str:
    """A valid identifier for `name` (snake for attributes, pascal for classes), suffixed with
    `_` when it is a keyword, in `avoid`, starts with one of `prefixes`, or is a builtin the
    class's annotations name (`shadow`)."""
    base = snake(name) if style == "snake" else pascal(name)
    if not base:
        base = "field" if style == "snake" else "Model"
    if base[0].isdigit():
        base = ("n_" if style == "snake" else "N") + base
    if keyword.iskeyword(base) or base in SOFT_KEYWORDS or base in avoid or (prefixes and base.startswith(prefixes)):
        base += "_"
    if style == "snake" and base in shadow and base not in avoid:
        base += "_"
    return base


def unique(names: Iterable[tuple[str, str]], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Map each original name to its candidate, suffixing _2, _3... on collisions (with each
    other or with `reserved`), in order."""
    taken: set[str] = set(reserved)
    result: dict[str, str] = {}
    for original, candidate in names:
        chosen, n = candidate, 2
        while chosen in taken:
            chosen, n = f"{candidate}_{n}" if not candidate.endswith("_") else f"{candidate}{n}", n + 1
        taken.add(chosen)
        result[original] = chosen
    return result
