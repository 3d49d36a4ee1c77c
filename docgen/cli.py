"""Command line: generate, check, lint, diff, inspect."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from docgen import __version__
from docgen.cache import Cache, CacheRefused, check_folder
from docgen.config import Config, load_config, package_problem
from docgen.diagnostics import Diagnostic, Severity, count, sort_diagnostics
from docgen.dialects import names as dialect_names
from docgen.emit.format import FormatError
from docgen.output.check import check_report, compare_tree
from docgen.output.guard import Refused, preflight
from docgen.output.seen import Seen, checked, record
from docgen.output.write import write_tree
from docgen.pages import read_model
from docgen.pipeline import Result, open_cache, run
from docgen.progress import progress_bar
from docgen.report import compact_report, for_lint, json_report, text_report
from docgen.workers import Terminated, exit_on_sigterm


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docgen", description="API reference pages -> models, client, OpenAPI.")
    parser.add_argument("--version", action="version", version=f"docgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("generate", "write the generated package and openapi.yaml"),
        ("check", "exit 1 when what is on disk differs from what would be generated"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: [tool.docgen] input)")
        sub.add_argument("--out", help="output folder (default: [tool.docgen] output)")
        sub.add_argument("--package", help="name of the generated Python package")
        sub.add_argument("--templates", type=Path, help="folder whose templates override the built-in ones")
        sub.add_argument("--strict", action="store_true", help="warnings fail the run too")
        sub.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format")
        sub.add_argument("--quiet", "-q", action="store_true", help="print errors and the summary only")
        sub.add_argument("--verbose", "-v", action="store_true", help="also list the pages skipped as not reference pages")
        sub.add_argument("--no-cache", action="store_true", help="ignore and do not update the cache")
        sub.add_argument("--cache-dir", type=Path, help="where the cache lives (default: .docgen-cache)")
        sub.add_argument("--jobs", "-j", type=int, help="parsing processes (default: one per core)")
        sub.add_argument("--black", action="store_true", default=None, help="also run black over the output")
        sub.add_argument("--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)")
        if name == "generate":
            sub.add_argument("--check", action="store_true", help="the same as `docgen check`: compare, never write")
    lint = commands.add_parser("lint", help="check the pages against themselves (samples, tables, uids, routes)")
    lint.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: [tool.docgen] input)")
    lint.add_argument("--strict", action="store_true", help="warnings fail the run too")
    lint.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format")
    lint.add_argument("--quiet", "-q", action="store_true", help="print errors and the summary only")
    lint.add_argument("--verbose", "-v", action="store_true", help="also list the pages skipped as not reference pages")
    lint.add_argument("--compact", action="store_true", help="one line per code: count, meaning, the pages with most")
    lint.add_argument("--jobs", "-j", type=int, help="parsing processes (default: one per core)")
    lint.add_argument("--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)")
    diff = commands.add_parser("diff", help="what changed for a client between two versions of the reference")
    diff.add_argument("old", type=Path, help="the earlier pages (a folder or a page)")
    diff.add_argument("new", type=Path, help="the later pages")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a change breaks client code")
    diff.add_argument("--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)")
    inspect = commands.add_parser("inspect", help="print the intermediate model built from pages as JSON")
    inspect.add_argument("paths", nargs="+", type=Path)
    inspect.add_argument("--dialect", choices=dialect_names(), help="whose reference the pages are (default: told by the pages)")
    return parser


class UsageError(Exception):
    """A setting docgen cannot run with; printed as one line, exit 2."""


def _settings() -> Config:
    config, problems = load_config()
    for problem in problems:
        print(f"docgen: {problem.severity}: {problem.message}", file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        raise UsageError("fix the settings above")
    return config


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
    for what, path in (("--out", config.out), *(("the pages", p) for p in config.inputs), ("--templates", config.templates)):
        if path is None:
            continue
        other = _absolute(path)
        if cache == other or cache in other.parents or other in cache.parents:
            relation = "is" if cache == other else "is inside" if other in cache.parents else "holds"
            raise UsageError(f"the cache folder {config.cache_dir} {relation} {what} ({path}): give it a folder of its own")
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
    return [*config.inputs, *([config.templates] if config.templates else []), *([config.project] if config.project else [])]


def _report(diags: list[Diagnostic], pages: int, args: argparse.Namespace) -> None:
    if args.format == "json":
        print(json_report(diags, pages), file=sys.stderr)
        return
    if getattr(args, "compact", False):
        lines = compact_report(diags, pages)
    else:
        lines = text_report(diags, pages, quiet=args.quiet, verbose=args.verbose)
    print("\n".join(lines), file=sys.stderr)


def _failed(diags: list[Diagnostic], strict: bool) -> bool:
    return count(diags, Severity.ERROR) > 0 or (strict and count(diags, Severity.WARNING) > 0)


def _generate(args: argparse.Namespace, check: bool) -> int:
    check = check or getattr(args, "check", False)
    config = _config(args, read_only=check)
    if not check:
        try:
            preflight(config.out, _protected(config))  # refused before a page is read
        except Refused as refusal:
            print(f"docgen: error: {refusal}; nothing written", file=sys.stderr)
            return 2
    try:
        with progress_bar(enabled=not args.quiet and args.format == "text") as progress:
            result = run(config, progress)
    except FormatError as error:
        print(f"docgen: internal error, nothing written: {error}", file=sys.stderr)
        return 3
    _report(result.diagnostics, result.pages, args)
    if result.blocked:
        print(f"docgen: nothing written; {config.out} is unchanged", file=sys.stderr)
        return 1
    cache = open_cache(config)
    seen = cache.get_seen(config.out) if cache is not None else None
    if check:
        return _check(result, config.out, args.format == "json", seen, cache)
    try:
        written = write_tree(config.out, result.files, _protected(config), seen, result.hashes)
    except Refused as refusal:
        print(f"docgen: error: {refusal}; nothing written", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"docgen: error: cannot write {config.out}: {error}; the previous output is unchanged", file=sys.stderr)
        return 1
    if cache is not None and cache.writable:
        cache.put_seen(written.out, record(written.out, written.stamps, written.started_ns))
    for name, aside in written.edited.items():
        again = "generated again" if name in result.files else "no longer generated"
        print(f"docgen: warning: {config.out / name} had been edited by hand; it is {again}, and the edited file is kept as {config.out / aside}", file=sys.stderr)
    for note in written.notes:
        print(f"docgen: warning: {note}", file=sys.stderr)
    kept = f" (kept {len(written.kept)} entries docgen did not write)" if written.kept else ""
    if written.unchanged:
        print(f"docgen: {config.out} is up to date ({written.files} files); nothing written{kept}", file=sys.stderr)
    else:
        print(f"docgen: wrote {written.files} files to {config.out}{kept}", file=sys.stderr)
    return 1 if _failed(result.diagnostics, args.strict) else 0


def _check(result: Result, out: Path, as_json: bool = False, seen: Seen | None = None, cache: Cache | None = None) -> int:
    """`cache`: where the stamps of the files found as they should be are recorded (when it is
    kept), so that the next check, after a generate that wrote them all, reads none of them."""
    started = time.time_ns()
    found = compare_tree(out, result.files, seen=seen, hashes=result.hashes)
    if cache is not None and cache.writable and found.same and not found.problem:
        cache.put_seen(out, checked(found.same, started))
    if as_json:
        print(check_report(found, out))
        return 0 if found.up_to_date else 1
    if found.problem:
        print(f"docgen check: {found.problem}")
        return 1
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
        return 1
    print(f"docgen check: {out} is up to date")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    model = read_model(args.paths, dialect=args.dialect)
    from docgen.inspect import api_json  # the commands each import what only they use

    print(api_json(model.api))
    for d in model.diagnostics:
        print(d.render(), file=sys.stderr)
    return 1 if count(model.diagnostics, Severity.ERROR) else 0


def _lint(args: argparse.Namespace) -> int:
    config = _settings()
    dialect = args.dialect or config.dialect
    model = read_model(tuple(args.paths) or config.inputs, args.jobs if args.jobs is not None else config.jobs, dialect)
    found = for_lint(sort_diagnostics(model.diagnostics + model.dialect.lint(model.pages, model.api)))
    _report(found, model.files, args)
    return 1 if _failed(found, args.strict) else 0


def _diff(args: argparse.Namespace) -> int:
    sides = []
    for folder in (args.old, args.new):
        model = read_model([folder], dialect=args.dialect)
        errors = [d for d in model.diagnostics if d.severity is Severity.ERROR]
        for d in errors:
            print(d.render(), file=sys.stderr)
        if errors or not model.files:
            print(f"docgen diff: {folder}: {'no pages' if not model.files else 'errors above'}; nothing compared", file=sys.stderr)
            return 2
        sides.append(model.api)
    from docgen.api_diff import compare, render_report

    report = compare(sides[0], sides[1])
    print(render_report(report, args.format))
    return 1 if args.fail_on_breaking and report.bump == "major" else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
        print(f"docgen: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Terminated) as stop:
        print("docgen: interrupted; the previous output is unchanged", file=sys.stderr)
        return stop.code if isinstance(stop, Terminated) and isinstance(stop.code, int) else 130
    except BrokenPipeError:  # `docgen diff ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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
    code = main([a for a in argv if a != "--no-fast-exit"])
    if not fast:
        gc.enable()
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)
