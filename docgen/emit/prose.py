"""The reference's description text as plain prose for docstrings: HTML entities decoded, the
.NET doc markup (`<para>`, `<br/>`, `<see cref="..."/>`) turned into line breaks and words."""

from __future__ import annotations

import html
import re

_BREAK = re.compile(r"<\s*(br|para|/para|p|/p)\s*/?\s*>", re.IGNORECASE)
_SEE = re.compile(r"<\s*see\s+cref\s*=\s*\"!?:?([^\"]*)\"\s*>(.*?)<\s*/\s*see\s*>", re.IGNORECASE | re.DOTALL)
_SEE_EMPTY = re.compile(r"<\s*see\s+cref\s*=\s*\"!?:?([^\"]*)\"\s*/\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")


def plain(text: str) -> str:
    """Prose without markup; paragraphs separated by blank lines."""
    text = html.unescape(html.unescape(text))  # the pages escape some entities twice (&amp;lt;)
    text = _SEE.sub(lambda m: m.group(2).strip() or m.group(1).rsplit(".", 1)[-1], text)
    text = _SEE_EMPTY.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
        elif paragraphs and paragraphs[-1]:
            paragraphs.append("")
    return "\n".join(paragraphs).strip()


def one_line(text: str) -> str:
    return " ".join(plain(text).split())
