"""A run after an edit, done from what the last run left (run_state.State).

When every changed page has the structure it had (its prose or its lines changed, not its
tables' names, rows or types: model.signature), every naming decision stands, so only the
schemas and operations those pages describe are merged again, and only their model, group and
openapi.yaml units are rendered again. Anything else (a page added, removed or restructured, a
setting changed) is a whole run. Both give the same bytes: the tests hold them to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from docgen.cache import Cache
from docgen.diagnostics import Diagnostic
from docgen.emit.outputs import Outputs
from docgen.emit.python_client import MethodMemo
from docgen.emit.python_names import PythonNames
from docgen.emit.python_target import memo_key
from docgen.emit.target import Context, Settings
from docgen.emit.targets import emitter
from docgen.model.api import Api, Operation, Schema, Source
from docgen.model.build import (
    Record,
    check_routes,
    group_operations,
    group_schemas,
    merge_operation,
    merge_schema,
    query_names,
    query_spellings,
)
from docgen.model.drafts import OperationDraft, PageDraft, SchemaDraft
from docgen.model.identity import note_sources, render_notes
from docgen.model.signature import structure
from docgen.output.manifest import hashes_of
from docgen.run_state import Blob, Page, State, dumps, loads
from docgen.stamps import Stamp

MAX_CHANGED = 200  # beyond this many edited pages a whole run is as quick


@dataclass(frozen=True)
class Parsed:
    """One page as this run has it: read now, or kept by the state under the same digest."""

    name: str
    key: str  # digest of the page's name and bytes
    blob: bytes | Blob  # (drafts, diagnostics), pickled where the page was read (or the state's)
    draft: PageDraft | None
    diags: list[Diagnostic]

    @classmethod
    def load(cls, name: str, key: str, blob: bytes | Blob, keep: bool = True) -> Parsed:
        """The page from its blob, which is kept for the state only when there is one (`keep`)."""
        draft, diags = loads(blob)
        return cls(name, key, blob if keep else b"", draft, diags)

    def page(self) -> Page:
        rank = self.draft.rank if self.draft else None
        queries = tuple(q for op in self.draft.operations for q in query_names(op)) if self.draft else ()
        return Page(self.key, self.blob, self.diags, rank, queries)


def read_blob(draft: PageDraft | None, diags: list[Diagnostic]) -> bytes:
    """What a worker sends back for a page: its drafts pickled once (the parent unpickles them
    anyway, and keeps the bytes for the state)."""
    return dumps((draft, diags))


class PieceApi:
    """The Api an emitter reads, from a state's pieces and the ones this run remade."""

    def __init__(
        self,
        state: State,
        schemas: dict[str, Schema],
        operations: dict[str, Operation],
        kept: list[str],
        routes: dict[str, tuple[str, str, str, Source]],
    ) -> None:
        """`kept`: the operations the routes keep; `routes`: every operation's, as of this run."""
        self.state, self.remade_schemas, self.remade_operations, self.routes = state, schemas, operations, routes
        self.by_group: dict[str, list[str]] = {}
        for uid in sorted(kept):
            self.by_group.setdefault(routes[uid][2], []).append(uid)
        self.groups = tuple(sorted(self.by_group))
        self._schemas: dict[str, Schema | None] = {}
        self._groups: dict[str, tuple[Operation, ...]] = {}
        self._operations: dict[str, Operation] = {}

    def schema(self, name: str) -> Schema | None:
        if name in self.remade_schemas:
            return self.remade_schemas[name]
        if name not in self._schemas:
            self._schemas[name] = self.state.schema(name)
        return self._schemas[name]

    def in_group(self, group: str) -> tuple[Operation, ...]:
        """Unpickled once a run: a group's file, head and paths all read it."""
        if group not in self._groups:
            self._groups[group] = tuple(self.operation(uid) for uid in self.by_group.get(group, ()))
        return self._groups[group]

    def group_size(self, group: str) -> int:
        return len(self.by_group.get(group, ()))

    def on_path(self, group: str, path: str) -> tuple[Operation, ...]:
        return tuple(self.operation(uid) for uid in self.by_group.get(group, ()) if self.routes[uid][1] == path)

    def operation(self, uid: str) -> Operation:
        found = self.remade_operations.get(uid) or self._operations.get(uid)
        if found is None:
            found = self._operations[uid] = self.state.operation(uid)
        return found

    def memo(self, group: str) -> MethodMemo | None:
        """The methods the last run made for the group, but those of the operations this run
        remade; None when the group's operations are not the ones they were."""
        blob = self.state.memos.get(memo_key(group))
        memo = loads(blob) if blob else None
        if not isinstance(memo, MethodMemo) or memo.uids != tuple(self.by_group.get(group, ())):
            return None
        return replace(memo, made={uid: e for uid, e in memo.made.items() if uid not in self.remade_operations})


def whole_state(
    setting: str,
    files: int,
    pages: list[Parsed],
    record: Record,
    api: Api,
    names: PythonNames,
    outputs: Outputs,
    hashes: dict[str, str],
    stamps: dict[str, Stamp],
) -> State:
    """The state a whole run leaves."""
    by_page = {p.name: p.page() for p in pages}
    described = {s.name for s in record.schemas.values()}
    return State(
        setting=setting,
        files=files,
        pages=by_page,
        names=record.names,
        retyped=record.retyped,
        notes=record.notes,
        used=record.used,
        note_sources=record.note_sources,
        schema_pages=record.schema_pages,
        schema_drafts={name: dumps(group) for name, group in record.schema_drafts.items()},
        operation_pages=record.operation_pages,
        schemas={name: dumps(schema) for name, schema in record.schemas.items()},
        schema_diags=record.schema_diags,
        placeholders={s.name: dumps(s) for s in api.schemas if s.name not in described},
        operations={uid: dumps(op) for uid, op in record.operations.items()},
        operation_diags=record.operation_diags,
        routes={uid: (op.method, op.path, op.group, op.source) for uid, op in record.operations.items()},
        python_names=_names_blob(names),
        groups=record.groups,
        files_by_unit=outputs.units,
        texts=outputs.texts,
        fragments=outputs.fragments,
        hashes=hashes,
        page_stamps=stamps,
        memos=outputs.memos,
    )


def _names_blob(names: PythonNames) -> bytes:
    api, names.api = names.api, None  # type: ignore[assignment]
    try:
        return dumps(names)
    finally:
        names.api = api


def update(
    state: State, pages: list[tuple[str, str]], read: dict[str, Parsed], settings: Settings, cache: Cache | None
) -> tuple[list[Diagnostic], dict[str, str], State] | None:
    """(diagnostics, files, new state) from `state` and the pages read again (`read`: the pages
    whose key changed); None when a whole run is needed. `pages`: (name, key) of every page."""
    if {name for name, _ in pages} != set(state.pages) or len(read) > MAX_CHANGED:
        return None
    for name, parsed in read.items():
        if structure(parsed.draft) != structure(state.pages[name].draft()):
            return None
    changed = set(read)
    new_pages = {name: (read[name].page() if name in read else page) for name, page in state.pages.items()}
    drafts_of = _Drafts(new_pages, read)
    # schemas and operations described on a changed page, merged again from all their pages
    affected_schemas = {name for name, where in state.schema_pages.items() if changed & set(where)}
    affected_uids = {uid for uid, where in state.operation_pages.items() if changed & set(where)}
    schemas: dict[str, Schema] = {}
    overlays: dict[str, dict[str, bytes]] = {}
    schema_diags = dict(state.schema_diags)
    edited = [d for p in read.values() if p.draft is not None for d in _merged(p.draft, state.used)]
    for name in sorted(affected_schemas):
        # the drafts a whole run grouped, but those of pages edited since: theirs as last read
        overlay = overlays[name] = dict(state.schema_overlays.get(name, {}))
        for page in sorted(changed & set(state.schema_pages[name])):
            overlay[page] = dumps([d for d in edited if d.source.path == page and state.names.get(d.key) == name])
        kept = [d for d in loads(state.schema_drafts[name]) if d.source.path not in overlay]
        group = group_schemas([*kept, *(d for blob in overlay.values() for d in loads(blob))], state.names)[name]
        schemas[name], schema_diags[name] = merge_schema(name, group, state.names, state.retyped)
    operations: dict[str, Operation] = {}
    operation_diags = dict(state.operation_diags)
    for uid in sorted(affected_uids):
        ops = [d for d in drafts_of.operation_drafts(state.operation_pages[uid]) if d.id == uid]
        operations[uid], operation_diags[uid] = merge_operation(
            [op.renamed(state.names) for op in group_operations(ops)[uid]], state.groups
        )
    routes = dict(state.routes)
    routes.update({uid: (op.method, op.path, op.group, op.source) for uid, op in operations.items()})
    kept, route_diags = _routes(routes)
    note_places = dict(state.note_sources)
    moved = [s for p in read.values() if p.draft is not None for s in (*p.draft.schema_drafts(), *p.draft.observed())]
    keys = {d.key for d in moved}
    note_places.update(note_sources(moved, [n for n in state.notes if n.at[0] in keys or n.other[0] in keys]))
    diags = [d for page in new_pages.values() for d in page.diags]
    diags += _query_spellings(new_pages)
    diags += render_notes(state.notes, note_places)
    for found in (*schema_diags.values(), *operation_diags.values()):
        diags.extend(found)
    diags += route_diags
    api = PieceApi(state, schemas, operations, kept, routes)
    names: PythonNames = loads(state.python_names)
    names.api = api  # type: ignore[assignment]
    base = Outputs(state.texts, state.files_by_unit, state.fragments, memos=state.memos)
    context = Context(api, settings, cache, names, api, keep_memos=True)
    outputs = emitter(context).remake(base, set(schemas), set(operations.values()))
    files = outputs.files()
    new_state = replace(
        state,
        pages=new_pages,
        note_sources=note_places,
        schema_overlays={**state.schema_overlays, **overlays},
        schemas={**state.schemas, **{n: dumps(s) for n, s in schemas.items()}},
        schema_diags=schema_diags,
        operations={**state.operations, **{u: dumps(op) for u, op in operations.items()}},
        operation_diags=operation_diags,
        routes=routes,
        files_by_unit=outputs.units,
        texts=outputs.texts,
        fragments=outputs.fragments,
        hashes=_hashes(files, state.texts, state.hashes),
        memos=outputs.memos,
    )
    return diags, files, new_state


class _Drafts:
    """Operation drafts of pages, read again or unpickled from the state, each page once."""

    def __init__(self, pages: dict[str, Page], read: dict[str, Parsed]) -> None:
        self.pages, self.read = pages, read
        self.loaded: dict[str, PageDraft | None] = {name: p.draft for name, p in read.items()}

    def draft(self, name: str) -> PageDraft | None:
        if name not in self.loaded:
            self.loaded[name] = self.pages[name].draft()
        return self.loaded[name]

    def operation_drafts(self, names: Iterable[str]) -> list[OperationDraft]:
        return [op for d in (self.draft(n) for n in names) if d is not None for op in d.operations]


def _hashes(files: dict[str, str], before: dict[str, str], hashes: dict[str, str]) -> dict[str, str]:
    """Each file's hash: the state's for a text this run kept (the very object), else computed."""
    found = {name: hashes[name] for name, text in files.items() if before.get(name) is text and name in hashes}
    return {**found, **hashes_of({name: text for name, text in files.items() if name not in found})}


def _merged(draft: PageDraft, used: frozenset[str]) -> list[SchemaDraft]:
    """The drafts of a page a build merges: every table, and the samples it took up (`used`)."""
    return [*draft.schema_drafts(), *(o for o in draft.observed() if o.key in used)]


def _routes(routes: dict[str, tuple[str, str, str, Source]]) -> tuple[list[str], list[Diagnostic]]:
    kept, diags = check_routes({uid: (method, path, where) for uid, (method, path, _, where) in routes.items()})
    return sorted(kept), diags


def _query_spellings(pages: dict[str, Page]) -> list[Diagnostic]:
    ranked = sorted((p for p in pages.values() if p.rank is not None), key=lambda p: p.rank or ())
    return query_spellings(p.queries for p in ranked)
