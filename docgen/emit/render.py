"""The Jinja environment: built-in templates, optionally overridden by a user's folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def _builtin_dir() -> Path:
    if BUILTIN_TEMPLATES.is_dir():
        return BUILTIN_TEMPLATES
    return Path(__file__).resolve().parent.parent / "templates"  # installed as package data


@lru_cache(maxsize=8)
def environment(override: str | None = None) -> jinja2.Environment:
    """Templates never see raw doc text (the emitters escape it), so autoescape stays off;
    StrictUndefined turns a template's typo into an error instead of silent blank output."""
    dirs = ([override] if override else []) + [str(_builtin_dir())]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render(name: str, view: dict[str, object], override: str | None = None) -> str:
    text = environment(override).get_template(name).render(**view)
    return text.rstrip("\n") + "\n"


def template_sources(override: str | None = None) -> list[tuple[str, str]]:
    """(name, text) of every template in use: part of the cache key."""
    env = environment(override)
    result = []
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        result.append((name, source))
    return result
