"""The whole run as plain data: files -> pages -> Api -> {relative path: text}, with diagnostics."""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from docgen import __version__
from docgen.cache import Cache, CacheRefused, check_folder, digest, usable
from docgen.config import Config
from docgen.diagnostics import BLOCKING, Diagnostic, diag, sort_diagnostics
from docgen.dialects import Dialect
from docgen.emit.python_names import PythonNames
from docgen.emit.python_package import runtime_sources
from docgen.emit.render import TemplateProblem, template_sources
from docgen.emit.target import Context, Project, Settings
from docgen.emit.targets import emitter
from docgen.incremental import Parsed, read_blob, update, whole_state
from docgen.model.api import Api
from docgen.model.build import build_record
from docgen.output.manifest import hashes_of
from docgen.pages import PARALLEL_FROM, Progress, choose_dialect, draft_source, drafts_by_name
from docgen.report import for_generate
from docgen.run_state import BadState, Changes, State, dump_changes, read_state, write_state
from docgen.sources import Source, display, find_named, read_source, unchanged
from docgen.stamps import Stamp
from docgen.workers import beside, worker_count


@dataclass(frozen=True)
class Result:
    api: Api | None  # None when the whole run came from the cache
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    pages: int
    cached: bool = False  # made from the state the last run left, redoing only what changed
    hashes: dict[str, str] | None = None  # each file's sha256, when the run kept them

    @property
    def blocked(self) -> bool:
        """Errors after which nothing may be written (no pages, a broken template...)."""
        return any(d.code in BLOCKING for d in self.diagnostics)


def emit_settings(config: Config, dialect: Dialect) -> Settings:
    templates = str(config.templates) if config.templates else None
    distribution = config.distribution or config.package.replace("_", "-")
    description = config.description or f"Client for the {config.title}"
    project = Project(config.package, distribution, config.version, config.title, description)
    return Settings(project, templates, config.black, dialect.conventions)


def emit(api: Api, config: Config, dialect: Dialect, cache: Cache | None = None) -> tuple[dict[str, str], list[Diagnostic]]:
    """Api -> output files (relative paths): the OpenAPI document and the Python project. A
    template that cannot be rendered gives a diagnostic and no files."""
    try:
        names = PythonNames(api, dialect.conventions.paging)
        return emitter(Context(api, emit_settings(config, dialect), cache, names)).everything(api).files(), []
    except TemplateProblem as problem:
        return {}, [problem.diagnostic]


def setting_key(templates: list[tuple[str, bytes]], config: Config, dialect: Dialect) -> str:
    """Everything but the pages that the output and the diagnostics depend on: the options, the
    dialect, the templates, and docgen's own code (not only its version: a state an edited
    docgen left would be read by classes that have changed since)."""
    parts: list[bytes | str] = [__version__, config.package, config.title, config.version, str(config.black)]
    parts += [config.distribution, config.description, dialect.name, _code_digest()]
    for name, data in [*templates, *runtime_sources()]:
        parts += [name, data]
    return digest(*parts)


@functools.cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parent
    return digest(*(part for path in sorted(package.rglob("*.py")) for part in (path.relative_to(package).as_posix(), path.read_bytes())))


def page_key(source: Source) -> str:
    return digest(source.name, source.data if source.data is not None else "\0missing:" + source.error)


def _read_blob(dialect: str, source: Source) -> bytes:
    draft, diags = drafts_by_name(dialect, source)
    return read_blob(draft, diags)


def read_pages(
    sources: list[Source], keys: dict[str, str], dialect: Dialect, jobs: int, progress: Progress | None, keep: bool = True
) -> list[Parsed]:
    """The pages parsed and read into drafts. For many pages, worker processes read a share
    each and this process reads one too: the workers send their drafts pickled (`read_blob`),
    this process pickles its own only when the state will keep them (`keep`)."""
    workers = worker_count(jobs)
    parsed: list[Parsed] = []

    def here(source: Source) -> None:
        draft, diags = draft_source(source, dialect)
        blob = read_blob(draft, diags) if keep else b""
        parsed.append(Parsed(source.name, keys[source.name], blob, draft, diags))
        if progress is not None:
            progress(len(parsed), len(sources))

    if workers < 2 or len(sources) < PARALLEL_FROM:
        for source in sources:
            here(source)
        return parsed
    own = len(sources) // workers
    theirs = sources[own:]
    chunk = max(8, len(theirs) // ((workers - 1) * 8))
    done: list[Parsed] = []

    def take(blob: bytes) -> None:
        source = theirs[len(done)]
        done.append(Parsed.load(source.name, keys[source.name], blob, keep))
        if progress is not None:
            progress(len(parsed) + len(done), len(sources))

    # each worker gets its pages as arguments: nothing depends on what a forked child inherits
    with beside(functools.partial(_read_blob, dialect.name), theirs, workers - 1, chunk) as results:
        for source in sources[:own]:
            here(source)
            for blob in results.ready():  # unpickled between pages, not all at the end
                take(blob)
        for blob in results:
            take(blob)
    return parsed + done


def run(config: Config, progress: Progress | None = None) -> Result:
    return _run(config, progress)


def _run(config: Config, progress: Progress | None, fresh: bool = False) -> Result:
    """`fresh`: the state the cache holds is not read (it was found damaged), only replaced."""
    started = time.time_ns()
    named, diags = find_named(config.inputs)
    paths = [path for path, _ in named]
    dialect, dialect_diags = choose_dialect(paths, config.dialect, _where(config.inputs))
    diags += dialect_diags
    templates, template_diags = template_sources(str(config.templates) if config.templates else None)
    diags += [d for d in template_diags if d.code != "DG026"]  # a misspelled override: said, not fatal
    if any(d.code == "DG026" for d in template_diags) or any(d.code in BLOCKING for d in diags):
        return Result(None, {}, sort_diagnostics(diags + template_diags), len(paths))
    cache = open_cache(config)
    settings = emit_settings(config, dialect)
    setting = setting_key(templates, config, dialect) if cache is not None else ""
    data = cache.get_state(setting) if cache is not None and not fresh else None
    loaded = read_state(data, setting, cache.get_changes(setting)) if cache is not None and data is not None else None
    state = loaded[0] if loaded is not None else None
    # pages whose stamp is the one the last run kept are not read: their key is the state's
    state_keys = {name: page.key for name, page in state.pages.items()} if state is not None else {}
    known = unchanged(named, state.page_stamps) if state is not None else {}
    sources = {name: read_source(path, name, started) for path, name in named if name not in known or name not in state_keys}
    # a page's key names its drafts in the state: without a cache there is none to name them in
    keys = {name: "" if cache is None else page_key(sources[name]) if name in sources else state_keys[name] for _, name in named}
    stamps = {name: known.get(name) or sources[name].stamp for _, name in named}
    page_stamps = {name: found for name, found in stamps.items() if found is not None}
    kept = {n: p for n, p in state.pages.items() if keys.get(n) == p.key} if state is not None else {}
    read = read_pages([s for s in sources.values() if s.name not in kept], keys, dialect, config.jobs, progress, keep=cache is not None)
    try:
        if state is not None:
            done = update(state, list(keys.items()), {p.name: p for p in read}, settings, cache)
            if done is not None:
                found, files, new_state = done
                new_state = replace(new_state, page_stamps=page_stamps)
                if cache is not None and cache.writable and loaded is not None and (read or page_stamps != state.page_stamps):
                    _save_changes(cache, setting, loaded[1].after(state, new_state), data.size if data else 0, new_state)
                found = sort_diagnostics(diags + for_generate(found))
                return Result(None, files, found, len(paths), True, new_state.hashes)
        by_name = {p.name: p for p in read}
        parsed = [by_name.get(name) or Parsed.load(name, kept[name].key, kept[name].blob) for name in keys]
        return _whole(config, dialect, settings, setting, paths, diags, parsed, cache, page_stamps)
    except TemplateProblem as problem:
        return Result(None, {}, sort_diagnostics([*diags, problem.diagnostic]), len(paths))
    except BadState:  # a piece of the state read as it was wanted was not what was written
        return _run(config, progress, fresh=True)


def _whole(
    config: Config,
    dialect: Dialect,
    settings: Settings,
    setting: str,
    paths: list[Path],
    diags: list[Diagnostic],
    parsed: list[Parsed],
    cache: Cache | None,
    stamps: dict[str, Stamp],
) -> Result:
    """A run from every page's drafts (read now or kept by the state)."""
    api, build_diags, record = build_record(((p.draft, []) for p in parsed if p.draft is not None), dialect.qualifier)
    all_diags = for_generate(diags + [d for p in parsed for d in p.diags] + build_diags)
    if not api.operations and not any(d.code in BLOCKING for d in all_diags):
        what = f"{len(paths)} files" if paths else "no *.md files"
        all_diags.append(diag(_where(config.inputs), 0, "DG025", f"no reference page could be read ({what} found)"))
    if any(d.code in BLOCKING for d in all_diags):
        return Result(api, {}, sort_diagnostics(all_diags), len(paths))
    names = PythonNames(api, dialect.conventions.paging)
    keep = cache is not None and cache.writable
    outputs = emitter(Context(api, settings, cache, names, keep_memos=keep)).everything(api, worker_count(config.jobs))
    files = outputs.files()
    hashes = hashes_of(files) if keep else None
    if cache is not None and hashes is not None:
        _save(cache, setting, whole_state(setting, len(paths), parsed, record, api, names, outputs, hashes, stamps))
    return Result(api, files, sort_diagnostics(all_diags), len(paths), hashes=hashes)


def _save(cache: Cache | None, setting: str, state: State) -> None:
    if cache is not None and cache.writable:
        cache.put_state(setting, functools.partial(write_state, state))


def _save_changes(cache: Cache, setting: str, changes: Changes, whole: int, state: State) -> None:
    """The changes since the last whole state, or a whole state again once they have grown to
    a quarter of its size (reading them costs that much on every run)."""
    data = dump_changes(changes, setting)
    if data is None:
        return
    if len(data) * 4 > whole:
        cache.put_state(setting, functools.partial(write_state, replace(state, stamp=os.urandom(16).hex())))
    else:
        cache.put_changes(setting, data)


def open_cache(config: Config) -> Cache | None:
    """`check` keeps a cache only where one is kept already (made by `generate`): a stale check
    run again is then as quick as one with nothing changed, and a check in a fresh clone
    leaves no folder behind."""
    if config.cache_dir is None or not usable():
        return None
    try:
        check_folder(config.cache_dir)
    except CacheRefused:
        return None  # the command line refuses such a folder before it reads a page
    return Cache(config.cache_dir, writable=not config.read_only or config.cache_dir.is_dir())


def _where(inputs: tuple[Path, ...]) -> str:
    return display(inputs[0]) if len(inputs) == 1 else "."
