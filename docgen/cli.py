"""Command line: generate, check, lint, diff, inspect.

One rule for exit codes in every command (EXIT_CODES, in `--help` and the README). With
`--format json` the one JSON document goes to stdout and nothing else does; everything for a
person goes to stderr (and `check`'s stale files and diffs, in text, to stdout).
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from docgen import __version__
from docgen.cache import Cache, CacheRefused, check_folder
from docgen.config import Config, load_config, package_problem
from docgen.diagnostics import Diagnostic, Severity, sort_diagnostics
from docgen.dialects import names as dialect_names
from docgen.output.check import Comparison, check_json, compare_tree
from docgen.output.guard import Refused, preflight
from docgen.output.seen import Seen, checked, record
from docgen.output.write import Written, write_tree
from docgen.pages import read_model
from docgen.pipeline import Result, open_cache, run
from docgen.progress import progress_bar
from docgen.report import (
    Style,
    compact_report,
    failed,
    for_lint,
    json_report,
    say,
    selected,
    text_report,
    unknown_codes,
    use_color,
)
from docgen.workers import Terminated, exit_on_sigterm

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_CODES = """exit codes (every command):
  0    done; for check, the output is up to date
  1    the pages have errors (warnings too, with --strict), the output is stale (check), or
       nothing could be written; lint: findings of that severity; diff --fail-on-breaking: a
       breaking change
  2    a usage error or a refused path: an unknown option or setting, an input that does not
       exist, an output or cache folder docgen may not use
  130  interrupted (Ctrl-C); 128+N: ended by signal N"""


class _Parser(argparse.ArgumentParser):
    """argparse, with a suggestion for a misspelled option (`--ouput`: did you mean `--output`?)."""

    def error(self, message: str) -> NoReturn:
        if "unrecognized arguments:" in message:
            known = [o for action in self._actions for o in action.option_strings]
            for sub in self._subparsers._group_actions if self._subparsers else ():
                for parser in getattr(sub, "choices", {}).values():
                    known += [o for action in parser._actions for o in action.option_strings]
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=")[0], known, n=1)
                if close:
                    message += f" (did you mean {close[0]}?)"
        super().error(message)


def _common(parser: argparse.ArgumentParser, json_only: bool = True) -> None:
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too")
    formats = ("text", "json") if json_only else ("text", "json", "markdown")
    parser.add_argument(
        "--format", choices=formats, default="text", help="text for a person (stderr), json for a program (stdout)"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="the errors and the summary only")
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="every diagnostic, the skipped pages too (default: a line per code)",
    )
    parser.add_argument("--select", help="report only codes with these prefixes, comma-separated (DG01,DL)")
    parser.add_argument("--ignore", help="leave out codes with these prefixes, comma-separated (DG013,DG032)")
    parser.add_argument(
        "--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="docgen",
        description="API reference pages -> models, client, OpenAPI.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"docgen {__version__}")
    parser.add_argument(
        "--no-fast-exit",
        action="store_true",
        help="exit the ordinary way (the docgen command skips the interpreter's teardown)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (
        ("generate", "write the generated package and openapi.yaml"),
        ("check", "exit 1 when what is on disk differs from what would be generated"),
    ):
        sub = commands.add_parser(
            name, help=text, epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        sub.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: [tool.docgen] input)")
        sub.add_argument("--out", help="output folder (default: [tool.docgen] output)")
        sub.add_argument("--package", help="name of the generated Python package")
        sub.add_argument("--templates", type=Path, help="folder whose templates override the built-in ones")
        _common(sub)
        sub.add_argument("--no-cache", action="store_true", help="ignore and do not update the cache")
        sub.add_argument(
            "--cache-dir", type=Path, help="where the cache lives (default: .docgen-cache beside pyproject.toml)"
        )
        sub.add_argument("--jobs", "-j", type=int, help="parsing processes (default: one per core)")
        sub.add_argument("--black", action="store_true", default=None, help="also run black over the output")
        if name == "generate":
            sub.add_argument("--check", action="store_true", help="the same as `docgen check`: compare, never write")
    lint = commands.add_parser(
        "lint", help="check the pages against themselves (samples, tables, uids, routes)", epilog=EXIT_CODES
    )
    lint.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: [tool.docgen] input)")
    _common(lint)
    lint.add_argument("--compact", action="store_true", help="one line per code: count, meaning, the pages with most")
    lint.add_argument("--jobs", "-j", type=int, help="parsing processes (default: one per core)")
    diff = commands.add_parser(
        "diff", help="what changed for a client between two versions of the reference", epilog=EXIT_CODES
    )
    diff.add_argument("old", type=Path, help="the earlier pages (a folder or a page)")
    diff.add_argument("new", type=Path, help="the later pages")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a change breaks client code")
    diff.add_argument(
        "--max-bytes",
        type=int,
        default=60_000,
        help="markdown: the most bytes the report takes (a pull-request comment)",
    )
    diff.add_argument(
        "--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)"
    )
    inspect = commands.add_parser(
        "inspect", help="print the intermediate model built from pages as JSON", epilog=EXIT_CODES
    )
    inspect.add_argument("paths", nargs="+", type=Path)
    inspect.add_argument(
        "--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)"
    )
    return parser


class UsageError(Exception):
    """A setting docgen cannot run with; printed as one line, exit 2."""


def _settings() -> Config:
    config, problems = load_config()
    for problem in problems:
        say(f"docgen: {problem.severity}: {problem.message}")
    if any(p.severity == "error" for p in problems):
        raise UsageError("fix the settings above")
    return config


def _codes(args: argparse.Namespace, config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The code prefixes to select and to ignore: the command line's, else [tool.docgen]'s."""
    select = tuple(c.strip() for c in args.select.split(",") if c.strip()) if args.select else config.select
    ignore = tuple(c.strip() for c in args.ignore.split(",") if c.strip()) if args.ignore else config.ignore
    for prefix in unknown_codes([*select, *ignore]):
        raise UsageError(f"no diagnostic code starts with {prefix!r} (codes are DG001..., DL001...)")
    return select, ignore


def _config(args: argparse.Namespace, read_only: bool = False) -> Config:
    config = _settings()
    if args.package is not None and package_problem(args.package):
        raise UsageError(f"--package {package_problem(args.package)}")
    if args.out is not None and not args.out.strip():
        raise UsageError("--out is empty: give the output folder")
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")
    if config.templates is not None and not config.templates.is_dir():
        raise UsageError(f"[tool.docgen] templates {config.templates}: no such folder")
    if args.jobs is not None and args.jobs < 0:
        raise UsageError(f"--jobs {args.jobs}: give 0 (one per core) or more")
    # the cache lives with the project whatever the working folder (beside the pyproject.toml in use)
    default_cache = (config.project or Path.cwd()) / ".docgen-cache"
    cache_dir = None if args.no_cache else (args.cache_dir or config.cache_dir or default_cache)
    config = config.with_overrides(
        inputs=tuple(args.paths) or None,
        out=Path(args.out) if args.out is not None else None,
        package=args.package,
        templates=args.templates,
        jobs=args.jobs,
        black=args.black,
        dialect=args.dialect,
    )
    config = replace(config, cache_dir=cache_dir, read_only=read_only)
    if cache_dir is not None:
        _check_cache_dir(config)
    return config


def _check_cache_dir(config: Config) -> None:
    """The cache folder is docgen's own and apart from everything else a run reads or writes."""
    assert config.cache_dir is not None
    cache = _absolute(config.cache_dir)
    for what, path in (
        ("--out", config.out),
        *(("the pages", p) for p in config.inputs),
        ("--templates", config.templates),
    ):
        if path is None:
            continue
        other = _absolute(path)
        if cache == other or cache in other.parents or other in cache.parents:
            relation = "is" if cache == other else "is inside" if other in cache.parents else "holds"
            raise UsageError(
                f"the cache folder {config.cache_dir} {relation} {what} ({path}): give it a folder of its own"
            )
    try:
        check_folder(config.cache_dir)
    except CacheRefused as refusal:
        raise UsageError(f"cache: {refusal}") from None


def _absolute(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _protected(config: Config) -> list[Path]:
    """Folders an output folder may not be or hold: the pages, the templates, the project."""
    return [
        *config.inputs,
        *([config.templates] if config.templates else []),
        *([config.project] if config.project else []),
    ]


def _style(args: argparse.Namespace) -> Style:
    return Style(quiet=args.quiet, verbose=args.verbose, color=use_color(sys.stderr), strict=args.strict)


def _tell(diags: list[Diagnostic], pages: int, args: argparse.Namespace) -> None:
    """The diagnostics for a person (JSON goes out once, at the end of the command)."""
    if args.format == "text":
        lines = (
            compact_report(diags, pages) if getattr(args, "compact", False) else text_report(diags, pages, _style(args))
        )
        say("\n".join(lines))


def _usage_failure(diags: list[Diagnostic]) -> bool:
    """An input that does not exist (DG024) is a usage error, as a mistyped option is."""
    return any(d.code == "DG024" for d in diags)


def _generate(args: argparse.Namespace, check: bool) -> int:
    check = check or getattr(args, "check", False)
    config = _config(args, read_only=check)
    select, ignore = _codes(args, config)
    if not check:
        try:
            preflight(config.out, _protected(config), config.inputs)  # refused before a page is read
        except Refused as refusal:
            raise UsageError(f"{refusal}; nothing written") from None
    with progress_bar(enabled=not args.quiet and args.format == "text") as progress:
        result = run(config, progress)
    diags = selected(result.diagnostics, select, ignore)
    _tell(diags, result.pages, args)
    bad = failed(diags, args.strict)
    if result.blocked:
        if args.format == "json":
            print(json_report(diags, result.pages, written=None))
        else:
            say(f"docgen: nothing written; {config.out} is unchanged")
        return EXIT_USAGE if _usage_failure(result.diagnostics) else EXIT_FAILED
    cache = open_cache(config)
    seen = cache.get_seen(config.out) if cache is not None else None
    if check:
        stale = _check(result, config.out, diags, args, seen, cache, bad)
        return EXIT_FAILED if stale or bad else EXIT_OK
    try:
        written = write_tree(config.out, result.files, _protected(config), seen, result.hashes)
    except Refused as refusal:
        raise UsageError(f"{refusal}; nothing written") from None
    except (OSError, ValueError) as error:
        message = f"cannot write {config.out}: {error}; the previous output is unchanged"
        if args.format == "json":
            print(json_report(diags, result.pages, written=None, error=message))
        else:
            say(f"docgen: error: {message}")
        return EXIT_FAILED
    if cache is not None and cache.writable:
        cache.put_seen(written.out, record(written.out, written.stamps, written.started_ns))
    warnings = _write_warnings(written, result, config)
    if args.format == "json":
        print(json_report(diags, result.pages, written=_written_json(written, warnings)))
    else:
        for warning in warnings:
            say(f"docgen: warning: {warning}")
        kept = f" (kept {len(written.kept)} entries docgen did not write)" if written.kept else ""
        if args.quiet:
            pass
        elif written.unchanged:
            say(f"docgen: {config.out} is up to date ({written.files} files); nothing written{kept}")
        else:
            say(f"docgen: wrote {written.files} files to {config.out}{kept}")
    return EXIT_FAILED if bad else EXIT_OK


def _write_warnings(written: Written, result: Result, config: Config) -> list[str]:
    found = []
    for name, aside in written.edited.items():
        again = "generated again" if name in result.files else "no longer generated"
        found.append(
            f"{config.out / name} had been edited by hand; it is {again}, and the edited file is kept as {config.out / aside}"
        )
    return found + list(written.notes)


def _written_json(written: Written, warnings: list[str]) -> dict[str, Any]:
    return {
        "out": str(written.out),
        "files": written.files,
        "unchanged": written.unchanged,
        "kept": list(written.kept),
        "edited": dict(written.edited),
        "warnings": warnings,
    }


def _check(
    result: Result,
    out: Path,
    diags: list[Diagnostic],
    args: argparse.Namespace,
    seen: Seen | None,
    cache: Cache | None,
    bad: bool,
) -> bool:
    """Whether `out` is stale. `cache`: where the stamps of the files found as they should be
    are recorded (when it is kept), so that the next check, after a generate that wrote them
    all, reads none of them."""
    started = time.time_ns()
    found = compare_tree(out, result.files, seen=seen, hashes=result.hashes)
    if cache is not None and cache.writable and found.same and not found.problem:
        cache.put_seen(out, checked(found.same, started))
    if args.format == "json":
        print(json_report(diags, result.pages, **check_json(found, out)))
        return not found.up_to_date
    _check_text(found, out, bad)
    return not found.up_to_date


def _check_text(found: Comparison, out: Path, bad: bool) -> None:
    if found.problem:
        print(f"docgen check: {found.problem}")
        return
    for stale in found.stale:
        print(f"stale: {out / stale.name}" + (f" ({stale.reason})" if stale.reason else ""))
        sys.stdout.writelines(stale.diff)
        if stale.more:
            print(f"... {stale.more} more diff lines")
        if stale.undiffed:
            print(f"... the changed part goes on for {stale.undiffed} more lines, not diffed")
    for name in found.missing:
        print(f"missing: {out / name}")
    for name in found.extra:
        print(f"extra: {out / name}")
    if not found.up_to_date:
        counts = f"{len(found.stale)} stale, {len(found.missing)} missing, {len(found.extra)} extra"
        print(f"docgen check: {out} is out of date ({counts}); run `docgen generate` to update it")
        return
    print(f"docgen check: {out} is up to date" + ("; the pages fail (see above)" if bad else ""))


def _inspect(args: argparse.Namespace) -> int:
    model = read_model(args.paths, dialect=args.dialect or "")
    from docgen.inspect import api_json  # the commands each import what only they use

    for d in model.diagnostics:
        say(d.render())
    if _usage_failure(model.diagnostics):
        return EXIT_USAGE
    print(api_json(model.api))
    return EXIT_FAILED if failed(model.diagnostics, False) else EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    config = _settings()
    select, ignore = _codes(args, config)
    dialect = args.dialect or config.dialect
    model = read_model(tuple(args.paths) or config.inputs, args.jobs if args.jobs is not None else config.jobs, dialect)
    found = for_lint(sort_diagnostics(model.diagnostics + model.dialect.lint(model.pages, model.api)))
    if not model.api.operations and not model.api.schemas and not _usage_failure(found):
        found.append(_nothing_read(model.files, tuple(args.paths) or config.inputs))
    found = selected(found, select, ignore)
    _tell(found, model.files, args)
    if args.format == "json":
        print(json_report(found, model.files))
    if _usage_failure(found):
        return EXIT_USAGE
    return EXIT_FAILED if failed(found, args.strict) else EXIT_OK


def _nothing_read(files: int, inputs: Sequence[Path]) -> Diagnostic:
    """DG025, as generate says it: an input with no reference page is a mistake, not a clean bill."""
    from docgen.diagnostics import diag
    from docgen.sources import display

    what = f"{files} files" if files else "no *.md files"
    return diag(
        display(inputs[0]) if len(inputs) == 1 else ".", 0, "DG025", f"no reference page could be read ({what} found)"
    )


def _diff(args: argparse.Namespace) -> int:
    sides = []
    for folder in (args.old, args.new):
        model = read_model([folder], dialect=args.dialect or "")
        errors = [d for d in model.diagnostics if d.severity is Severity.ERROR]
        for d in errors:
            say(d.render())
        if _usage_failure(model.diagnostics):
            say(f"docgen diff: {folder}: no such file or folder; nothing compared")
            return EXIT_USAGE
        if errors or not model.api.operations:
            say(
                f"docgen diff: {folder}: {'no reference page' if not model.api.operations else 'errors above'}; nothing compared"
            )
            return EXIT_FAILED
        sides.append(model.api)
    from docgen.api_diff import compare, render_report

    report = compare(sides[0], sides[1])
    print(render_report(report, args.format, args.max_bytes))
    return EXIT_FAILED if args.fail_on_breaking and report.bump == "major" else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:  # --help, --version (0) and usage errors (2), as argparse decides
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    exit_on_sigterm()
    try:
        if args.command == "inspect":
            return _inspect(args)
        if args.command == "lint":
            return _lint(args)
        if args.command == "diff":
            return _diff(args)
        return _generate(args, check=args.command == "check")
    except UsageError as error:
        say(f"docgen: error: {error}")
        return EXIT_USAGE
    except (KeyboardInterrupt, Terminated) as stop:
        say("docgen: interrupted; the previous output is unchanged")
        return stop.code if isinstance(stop, Terminated) and isinstance(stop.code, int) else 130
    except BrokenPipeError:  # `docgen diff ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def entry() -> NoReturn:
    """The `docgen` command: the process settings a run wants, which a program embedding docgen
    (calling `main`) keeps its own of. A run allocates a million small objects that nearly all
    live to its end and makes almost no cyclic garbage, so the cyclic collector is off (each
    collection walked every object made since the last). At the end the process exits without
    tearing the interpreter down (every file docgen wrote is closed by then; the standard
    streams are flushed here); `--no-fast-exit` exits the ordinary way."""
    argv = sys.argv[1:]
    fast = "--no-fast-exit" not in argv
    gc.disable()
    code = main([a for a in argv if a != "--no-fast-exit"])  # wherever it stands on the line
    if not fast:
        gc.enable()
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)
