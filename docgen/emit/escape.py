"""Every string from a page reaches generated text through one of these, one per target.

Doc text is data: whatever it contains (quotes, backslashes, braces, control characters,
template syntax) must come out inert.
"""

from __future__ import annotations

import re


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_LITERALS = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_PREFIXES = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\.")


def prefixes_used(code: str) -> frozenset[str]:
    """The names a piece of generated Python reads an attribute of (`_t`, `models`...): what its
    module must import. The string literals (py_str's, which a documented value fills) are left
    out first, so that a value that reads like code, `"models.x"`, imports nothing."""
    return frozenset(_PREFIXES.findall(_LITERALS.sub('""', code)))


def py_str(text: str) -> str:
    """A Python string literal with the same value, quoted as black quotes it: double quotes
    unless single quotes need fewer escapes."""
    quote = "'" if text.count("'") < text.count('"') else '"'
    if text.isascii() and text.isprintable() and "\\" not in text and quote not in text:
        return quote + text + quote  # the common case, without a walk over every character
    out = [quote]
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable() or not ch.isascii():
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    out.append(quote)
    return "".join(out)


_DOC_SPECIAL = re.compile(r'[\\"]|[^\x20-\x7e]')


def _doc_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\\":
        return "\\\\"
    if ch == '"':
        return '\\"'
    return " " if ch == "\t" else _escape_char(ch)


def docstring(text: str) -> str:
    """The body of a triple-double-quoted docstring (without the quotes), black-stable:
    backslashes doubled, quote runs broken, no trailing quote, and the indentation black
    leaves: the first line stripped, the others dedented by what they share."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.isascii() and line.isprintable() and "\\" not in line and '"' not in line:
            lines.append(line.rstrip())  # the common line, without a walk over every character
        else:
            lines.append(_DOC_SPECIAL.sub(_doc_escape, line.rstrip()).rstrip())
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return ""
    rest = [line for line in lines[1:] if line.strip()]
    shared = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    lines = [lines[0].strip()] + [line[shared:].rstrip() for line in lines[1:]]
    body = "\n".join(lines)
    # black pads a docstring that ends in a quote character; an escape keeps it as it is
    return body[:-2] + "\\x22" if body.endswith('\\"') else body


def comment(text: str) -> str:
    """One line of a `#` comment."""
    return " ".join(docstring(text).split())


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
_YAML_SPECIAL = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]')


def _yaml_escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return _YAML_ESCAPES.get(ch) or (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar with the same value (valid YAML 1.1 and 1.2)."""
    return '"' + _YAML_SPECIAL.sub(_yaml_escape, text) + '"'


_IMPLICIT_KEY_LIMIT = 1000  # YAML caps an implicit key at 1024 characters


def yaml_key(key: str, indent: int) -> str:
    """A mapping key with its colon, as an escaped scalar (from yaml_str) at `indent`: explicit
    (`? key` then `:`) when it is too long to be an implicit key, so that any length is valid."""
    if len(key) <= _IMPLICIT_KEY_LIMIT:
        return key + ":"
    return f"? {key}\n{' ' * indent}:"


def toml_str(text: str) -> str:
    """A TOML basic string with the same value."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch) if not 0xD800 <= ord(ch) <= 0xDFFF else 0xFFFD:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell: one line, bars escaped."""
    return " ".join(text.split()).replace("|", "\\|")
