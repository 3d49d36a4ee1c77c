"""The Jinja environment: built-in templates, optionally overridden by a user's folder. A user's
template can be broken in any way; that is a diagnostic naming the template and its line."""

from __future__ import annotations

import difflib
import traceback
from functools import lru_cache
from pathlib import Path

import jinja2

from docgen.diagnostics import Diagnostic, diag
from docgen.emit.escape import yaml_key
from docgen.emit.format import format_statement
from docgen.emit.layout import call, fits, yaml_node

_SOURCE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"  # a checkout run in place


class TemplateProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.render())
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[Diagnostic]]:
        """Made again from its diagnostic: a worker that meets a broken template sends it back."""
        return (TemplateProblem, (self.diagnostic,))


def builtin_dir() -> Path:
    """The templates installed with the package (a wheel holds the project's `templates/` as
    `docgen/templates/`), else the checkout's own folder (a run in place or an editable install)."""
    installed = Path(__file__).resolve().parent.parent / "templates"
    return installed if installed.is_dir() else _SOURCE_TEMPLATES


def _dirs(override: str | None) -> list[Path]:
    return ([Path(override)] if override else []) + [builtin_dir()]


@lru_cache(maxsize=8)
def environment(override: str | None = None) -> jinja2.Environment:
    """Templates never see raw doc text (the emitters escape it), so autoescape stays off;
    StrictUndefined turns a template's typo into an error instead of silent blank output. A
    run reads each template once: no file time is looked at again on each of its 6,000 renders."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in _dirs(override)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
        auto_reload=False,
    )
    env.filters["yaml_key"] = yaml_key
    env.filters["statement"] = statement
    env.filters["yaml_node"] = yaml_node
    return env


def statement(head: str, args: list[str], indent: int) -> str:
    """`head(args)` at `indent` as black lays it out: one line when it fits, else one argument
    a line; an assignment whose target leaves no room has its value wrapped in parentheses, as
    black wraps it; black itself for a head longer than that."""
    text = call(head, args, indent)
    if fits(text.split("\n", 1)[0]):
        return text
    target, equals, value = head.rpartition(" = ")
    pad = " " * indent
    if equals and fits(f"{pad}{target} = (") and fits(f"{pad}    {value}("):
        return "\n".join([f"{pad}{target} = (", call(value, args, indent + 4), f"{pad})"])
    name, colon, annotation = target.partition(": ")
    if equals and colon and fits(f"{pad}{name}: (") and fits(f"{pad}    {annotation}") and fits(f"{pad}) = {value}("):
        rest = call(f") = {value}", args, indent)
        return "\n".join([f"{pad}{name}: (", f"{pad}    {annotation}", rest])
    return format_statement(text, indent)


def _where(name: str, override: str | None) -> str:
    for folder in _dirs(override):
        if (folder / name).is_file():
            return (folder / name).as_posix()
    return name


def overridden(name: str, override: str | None) -> str:
    """The path of the user's template that takes the place of a built-in one, or ""."""
    if not override:
        return ""
    path = Path(override) / name
    return path.as_posix() if path.is_file() else ""


def made_by(template: str, path: str, text: str) -> None:
    """TemplateProblem when what a user's template made is not what its file must be: Python
    that parses, TOML, a YAML document."""
    problem, bad_line = _not_valid(path, text)
    if problem:
        raise TemplateProblem(
            diag(template, _line_of(template, bad_line), "DG026", f"it makes {path}, which {problem}")
        )


def _line_of(template: str, made: str) -> int:
    """The template's line that reads as the made line did (no expression in it), else 0."""
    if not made:
        return 0
    try:
        lines = Path(template).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return 0
    found = [number for number, line in enumerate(lines, 1) if line.strip() == made]
    return found[0] if len(found) == 1 else 0


def _not_valid(path: str, text: str) -> tuple[str, str]:
    """What is wrong with a made file, and the line that shows it ("" when none does)."""
    if path.endswith(".py"):
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as error:
            shown = (error.text or "").strip()
            return f"is not Python: {error.msg} at its line {error.lineno}: {shown[:80]!r}", shown
        except ValueError as error:
            return f"is not Python: {error}", ""
        return "", ""
    if path.endswith(".toml"):
        import tomllib

        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            return f"is not TOML: {error}", ""
        return "", ""
    if path.endswith((".yaml", ".yml")):
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            return f"is not YAML: {str(error).splitlines()[0]}", ""
        if (
            not isinstance(document, dict)
            or "openapi" not in document
            or not isinstance(document.get("paths", {}), dict)
        ):
            return "is not an OpenAPI document (no `openapi`, or `paths` that is not a mapping)", ""
    return "", ""


def compile_early(names: list[str], override: str | None = None) -> None:
    """Compile these templates now, before worker processes are forked, so that each worker
    does not compile them again. A template that fails here fails again where it is rendered,
    which reports it."""
    for name in names:
        try:
            environment(override).get_template(name)
        except Exception:  # render_text reports it, with its line
            continue


def render(name: str, view: dict[str, object], override: str | None = None) -> str:
    """The template `name` laid out with `view`, ending in one newline; TemplateProblem when it
    cannot be."""
    text = render_text(name, view, override)
    if text.endswith("\n") and not text.endswith("\n\n"):
        return text  # as it is: openapi.yaml is 7 MB, and each copy of it costs its pages
    return text.rstrip("\n") + "\n"


def render_fragment(name: str, view: dict[str, object], override: str | None = None) -> str:
    """A template that lays out one piece of a bigger file, from a line break on."""
    return "\n" + render_text(name, view, override).strip("\n")


def render_text(name: str, view: dict[str, object], override: str | None = None) -> str:
    try:
        text = environment(override).get_template(name).render(**view)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or _where(error.name or name, override)
        raise TemplateProblem(diag(where, error.lineno, "DG026", f"template syntax: {error.message}")) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateProblem(diag(_where(name, override), 0, "DG026", f"template {error.name!r} not found")) from None
    except Exception as error:  # a user's template may fail in any way; none of it may escape
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".jinja")]
        where, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else (_where(name, override), 0)
        message = f"{type(error).__name__}: {error}"
        raise TemplateProblem(diag(Path(where).as_posix(), line, "DG026", message)) from None
    return text


def template_sources(override: str | None = None) -> tuple[list[tuple[str, bytes]], list[Diagnostic]]:
    """(name, bytes) of every template in use, the cache key's part; and a diagnostic for
    each one that is not UTF-8 text. Only `*.jinja` files are templates: an editor's swap
    file beside them is not."""
    found: dict[str, Path] = {}
    for folder in reversed(_dirs(override)):
        for path in sorted(folder.rglob("*.jinja")):
            if path.is_file():
                found[path.relative_to(folder).as_posix()] = path
    sources: list[tuple[str, bytes]] = []
    diags: list[Diagnostic] = []
    if override:
        builtin = sorted(p.relative_to(builtin_dir()).as_posix() for p in builtin_dir().rglob("*.jinja"))
        for path in sorted(Path(override).rglob("*.jinja")):
            name = path.relative_to(override).as_posix()
            if name not in builtin:
                close = difflib.get_close_matches(name, builtin, n=3)
                meant = (
                    f"; did you mean {', '.join(close)}?" if close else f"; docgen's templates are {', '.join(builtin)}"
                )
                diags.append(diag(path.as_posix(), 0, "DG035", f"{name} overrides none of docgen's templates{meant}"))
    for name in sorted(found):
        try:
            data = found[name].read_bytes()
            data.decode("utf-8")
        except OSError as error:
            diags.append(diag(found[name].as_posix(), 0, "DG026", f"cannot read the template: {error.strerror}"))
            continue
        except UnicodeDecodeError as error:
            diags.append(diag(found[name].as_posix(), 1, "DG026", f"the template is not UTF-8 text ({error.reason})"))
            continue
        sources.append((name, data))
    return sources, diags
