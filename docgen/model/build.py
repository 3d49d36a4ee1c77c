"""Page drafts -> Api: decide every schema's name once, then merge frozen drafts.

Pages are taken in a fixed order (the dialect's rank of each page, then path), so the result
never depends on the order files were found in. Nothing here knows whose pages it reads: the
one vendor convention the naming needs (how to qualify a made-up name with its group) comes in
as a function.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from docgen.diagnostics import Diagnostic, diag
from docgen.model.api import Api, Operation, Property, RequestBody, Response, Schema, Source
from docgen.model.drafts import OperationDraft, PageDraft, SchemaDraft
from docgen.model.identity import Names, Note, Resolver, note_sources, render_notes
from docgen.model.routes import dot_segment, route_shape
from docgen.model.types import TypeRef, compatible, merge_types

Qualifier = Callable[[str], str]  # a group -> the prefix that tells apart made-up names two groups would share


def _same(group: str) -> str:
    return group


@dataclass(frozen=True)
class Record:
    """A build, piece by piece: what the incremental run keeps and can redo one name or one
    uid at a time (a page whose structure did not change keeps every name decision)."""

    names: dict[str, str]  # draft key (and page-given name, and link alias) -> schema name
    retyped: dict[tuple[str, str], TypeRef]
    notes: tuple[Note, ...]
    note_sources: dict[tuple[str, str], Source]  # where each place a note names is
    used: frozenset[str]  # keys of sample drafts a retyped property now refers to
    schemas: dict[str, Schema]  # described schemas by name
    schema_diags: dict[str, list[Diagnostic]]
    schema_pages: dict[str, tuple[str, ...]]  # name -> pages with a draft of it
    schema_drafts: dict[str, list[SchemaDraft]]  # name -> its drafts, in merging order
    operations: dict[str, Operation]  # by uid, before routes are checked
    operation_diags: dict[str, list[Diagnostic]]
    operation_pages: dict[str, tuple[str, ...]]
    groups: dict[str, str]  # a group as a page spells it -> as the API spells it (group_spellings)


def group_spellings(drafts: Iterable[OperationDraft]) -> dict[str, str]:
    """Groups whose names differ only in case are one group (`OAuth2PermissionGrants`,
    `Oauth2PermissionGrants`), spelled as most operations spell it (the first such spelling in
    sorted order on a tie)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for draft in drafts:
        counts[draft.group.lower()][draft.group] += 1
    chosen = {key: sorted(found.items(), key=lambda item: (-item[1], item[0]))[0][0] for key, found in counts.items()}
    return {spelling: chosen[key] for key, found in counts.items() for spelling in found}


def build_from_drafts(
    read: Iterable[tuple[PageDraft, list[Diagnostic]]], qualifier: Qualifier = _same
) -> tuple[Api, list[Diagnostic]]:
    api, diags, _ = build_record(read, qualifier)
    return api, diags


_TEMPLATE = re.compile(r"\{(#link:[^{}]*)\}")


def link_names(pages: Iterable[PageDraft]) -> dict[str, str]:
    """alias -> the schema name a link stands for: what the linked page defines (the first page
    in rank order wins), else the fallback most linking pages give (the first of those); and a
    name made from a link's (`{#link:...}CollectionResponse`) -> the name it makes."""
    pages = list(pages)
    defined: dict[str, str] = {}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for page in pages:
        for alias, name in page.names:
            defined.setdefault(alias, name)
        for alias, name in page.fallbacks:
            votes[alias][name] += 1
    fallback = {alias: counts.most_common(1)[0][0] for alias, counts in votes.items()}
    links = {**fallback, **defined}
    for page in pages:
        for draft in page.schemas:
            if "{#link:" in draft.name:
                links[draft.name] = _TEMPLATE.sub(lambda m: links.get(m.group(1), m.group(1)), draft.name)
    return links


def build_record(
    read: Iterable[tuple[PageDraft, list[Diagnostic]]], qualifier: Qualifier = _same
) -> tuple[Api, list[Diagnostic], Record]:
    diags: list[Diagnostic] = []
    pages: list[PageDraft] = []
    for page, page_diags in sorted(read, key=lambda r: r[0].rank):
        pages.append(page)
        diags.extend(page_diags)
    drafts = [op for page in pages for op in page.operations]
    diags.extend(query_spellings(query_names(d) for d in drafts))
    links = link_names(pages)
    resolver = Resolver(drafts, qualifier, [s for page in pages for s in page.schemas], links)
    resolver.name_tables()
    resolver.name_unnamed([d for d in resolver.drafts if not d.named])
    unify(resolver.drafts, resolver.names, drafts)
    used = resolver.correct_types(_known(resolver.drafts, resolver.names.final))
    if used:
        resolver.name_unnamed(used)
    placed = note_sources([*resolver.drafts, *used], resolver.notes)
    diags.extend(render_notes(resolver.notes, placed))
    names = resolver.names.final
    grouped = group_schemas([*resolver.drafts, *used], names)
    schemas: dict[str, Schema] = {}
    schema_diags: dict[str, list[Diagnostic]] = {}
    for name in sorted(grouped):
        schemas[name], schema_diags[name] = merge_schema(name, grouped[name], names, resolver.retyped)
    by_id = group_operations(drafts)
    groups = group_spellings(drafts)
    operations: dict[str, Operation] = {}
    operation_diags: dict[str, list[Diagnostic]] = {}
    for uid in sorted(by_id):
        operations[uid], operation_diags[uid] = merge_operation([op.renamed(names) for op in by_id[uid]], groups)
    record = Record(
        names=names,
        retyped=resolver.retyped,
        notes=tuple(resolver.notes),
        note_sources=placed,
        used=frozenset(d.key for d in used),
        schemas=schemas,
        schema_diags=schema_diags,
        schema_pages={name: _pages(group) for name, group in grouped.items()},
        schema_drafts=grouped,
        operations=operations,
        operation_diags=operation_diags,
        operation_pages={uid: tuple(sorted({d.source.path for d in ops})) for uid, ops in by_id.items()},
        groups=groups,
    )
    api, assembled = assemble(list(schemas.values()), list(operations.values()))
    for found in (*schema_diags.values(), *operation_diags.values()):
        diags.extend(found)
    return api, diags + assembled, record


def _pages(drafts: list[SchemaDraft]) -> tuple[str, ...]:
    return tuple(sorted({d.source.path for d in drafts}))


def group_schemas(drafts: Iterable[SchemaDraft], names: dict[str, str]) -> dict[str, list[SchemaDraft]]:
    """Drafts by the name they were given, each group in merging order: tables lead samples (a
    sample only fills in what no table says), then page rank."""
    grouped: dict[str, list[SchemaDraft]] = defaultdict(list)
    for draft in drafts:
        grouped[names[draft.key]].append(draft)
    return {name: sorted(group, key=lambda d: (d.from_sample, d.rank)) for name, group in grouped.items()}


def group_operations(drafts: Iterable[OperationDraft]) -> dict[str, list[OperationDraft]]:
    by_id: dict[str, list[OperationDraft]] = defaultdict(list)
    for draft in sorted(drafts, key=lambda d: d.rank):
        by_id[draft.id].append(draft)
    return by_id


def assemble(schemas: list[Schema], operations: list[Operation]) -> tuple[Api, list[Diagnostic]]:
    """The Api from merged schemas and operations: routes checked, placeholders added."""
    uids, diags = check_routes({op.id: (op.method, op.path, op.source) for op in operations})
    kept = sorted((op for op in operations if op.id in uids), key=lambda o: (o.group, o.id))
    return Api(tuple(kept), tuple(with_placeholders(schemas, kept))), diags


def _known(drafts: list[SchemaDraft], names: dict[str, str]) -> dict[str, frozenset[str]]:
    """Final schema name -> every property name the tables give it."""
    found: dict[str, set[str]] = defaultdict(set)
    for d in drafts:
        if not d.from_sample:
            found[names.get(d.key, d.key)].update(d.property_names)
    return {name: frozenset(props) for name, props in found.items()}


def query_spellings(queries: Iterable[Iterable[tuple[str, Source]]]) -> list[Diagnostic]:
    """Pages that spell one query parameter in two cases are noted; each page keeps its own
    spelling, which is the one its server route takes. `queries`: each page's query
    parameters (name, where), pages in rank order."""
    first: dict[str, tuple[str, Source]] = {}
    diags: list[Diagnostic] = []
    for page in queries:
        for name, where in page:
            other = first.setdefault(name.lower(), (name, where))
            if other[0] != name:
                message = f"query parameter {name!r} is spelled {other[0]!r} at {other[1]}"
                diags.append(diag(where.path, where.line, "DG021", message))
    return diags


def query_names(draft: OperationDraft) -> tuple[tuple[str, Source], ...]:
    return tuple((p.name, p.source) for p in draft.parameters if p.location == "query")


# --- names that sit in the same place ----------------------------------------------------


def unify(drafts: list[SchemaDraft], names: Names, operations: list[OperationDraft]) -> None:
    """A schema no page names is the schema another page names in the same place: the same
    property of the same schema (`User: {...}` in an old sample is `User: Associate`), or the
    body or response of the same operation (an old page's `Response body: object`)."""
    by_id: dict[str, list[OperationDraft]] = defaultdict(list)
    for op in operations:
        by_id[op.id].append(op)
    final = names.final
    places = [(d.key, p.name, p.type) for d in sorted(drafts, key=lambda d: (d.from_sample, d.rank)) for p in d.properties]
    while True:
        seen: dict[tuple[str, str], TypeRef] = {}
        alias: dict[str, str] = {}
        for key, prop_name, prop_type in places:
            t = prop_type.renamed(final)
            first = seen.setdefault((final[key], prop_name), t)
            if first is not t and t.kind in _NAMING:
                alias.update(_aliases(first, t, names.made_up))
        for group in by_id.values():
            lead = group[0]
            for other in group[1:]:
                if lead.body and other.body:
                    alias.update(_aliases(lead.body.type.renamed(final), other.body.type.renamed(final), names.made_up))
                for mine, theirs in zip(lead.responses, other.responses, strict=False):
                    if mine.type and theirs.type:
                        alias.update(_aliases(mine.type.renamed(final), theirs.type.renamed(final), names.made_up))
        updated = {key: _follow(name, alias) for key, name in final.items()}
        for name in sorted(alias):  # a name only referenced, never described, is renamed too
            updated.setdefault(name, _follow(name, alias))
        if updated == final:
            return
        final.clear()
        final.update(updated)


_NAMING = frozenset({"ref", "array", "map"})  # the kinds of type that can name a schema


def _aliases(a: TypeRef, b: TypeRef, made_up: set[str]) -> dict[str, str]:
    """Two names in the same place stand for one schema when at least one of them was made up:
    it joins the name a page gives, or the smaller of two made-up names. Names pages give never
    merge. The sets are fixed and names only move down, so `unify` ends."""
    if a.kind in ("array", "map") and b.kind == a.kind and a.item and b.item:
        return _aliases(a.item, b.item, made_up)
    if a.kind != "ref" or b.kind != "ref" or a.name == b.name:
        return {}
    if a.name in made_up and b.name in made_up:
        return {max(a.name, b.name): min(a.name, b.name)}
    if a.name in made_up:
        return {a.name: b.name}
    if b.name in made_up:
        return {b.name: a.name}
    return {}


def _follow(name: str, alias: dict[str, str]) -> str:
    seen = {name}
    while name in alias and alias[name] not in seen:
        name = alias[name]
        seen.add(name)
    return name


def still_unknown(schema: Schema) -> list[Diagnostic]:
    """Properties whose type no page and no sample tells, reported once, where first described."""
    return [
        diag(p.source.path, p.source.line, "DG011", f"{schema.name}.{p.name}: no page gives a type and no sample a value")
        for p in schema.properties
        if p.type.kind == "unknown" or (p.type.kind in ("array", "map") and p.type.item is not None and p.type.item.kind == "unknown")
    ]


# --- merging schemas ---------------------------------------------------------------------


def merge_schema(
    name: str, group: list[SchemaDraft], names: dict[str, str], retyped: dict[tuple[str, str], TypeRef]
) -> tuple[Schema, list[Diagnostic]]:
    """Every description of one schema (in group_schemas order) merged into one."""
    diags: list[Diagnostic] = []
    properties: dict[str, Property] = {}
    from_sample: dict[str, bool] = {}
    for draft in group:
        for described in draft.properties:
            prop = described.final(names, retyped.get((draft.key, described.name)))
            old = properties.get(prop.name)
            if old is None:
                properties[prop.name] = prop
                from_sample[prop.name] = draft.from_sample
                continue
            properties[prop.name] = merge_property(name, old, prop, draft.from_sample or from_sample[prop.name], diags)
    description = next((d.description for d in group if d.description), "")
    sources = tuple(sorted({d.source for d in group}))
    base = next((names.get(d.base, d.base) for d in group if d.base), "")
    values = tuple(dict.fromkeys(v for d in group for v in d.values))
    schema = Schema(name, tuple(properties.values()), description, sources, base=base if base != name else "", values=values)
    return schema, diags + still_unknown(schema)


def merge_property(schema: str, old: Property, new: Property, quiet: bool, diags: list[Diagnostic]) -> Property:
    if (old.description or not new.description) and (new.type is old.type or new.type == old.type):
        return old  # the common case: another page saying the same
    description = old.description or new.description
    if compatible(old.type, new.type):
        return Property(old.name, merge_types(old.type, new.type), description, old.source)
    if not quiet:
        diags.append(
            diag(
                new.source.path,
                new.source.line,
                "DG012",
                f"{schema}.{old.name} is {new.type.describe()} here but "
                f"{old.type.describe()} at {old.source}; keeping {old.type.describe()}",
            )
        )
    return Property(old.name, old.type, description, old.source)


def with_placeholders(schemas: list[Schema], operations: list[Operation]) -> list[Schema]:
    """Schemas referenced but described nowhere become permissive placeholders."""
    known = {s.name for s in schemas}
    wanted: dict[str, Source] = {}
    for schema in schemas:
        if schema.base:
            wanted.setdefault(schema.base, schema.sources[0])
        for prop in schema.properties:
            for name in prop.type.refs():
                wanted.setdefault(name, prop.source)
    for op in operations:
        types = [p.type for p in op.parameters] + [r.type for r in op.responses if r.type]
        if op.request_body:
            types.append(op.request_body.type)
        for t in types:
            for name in t.refs():
                wanted.setdefault(name, op.source)
    extra = [Schema(n, (), "", (wanted[n],), described=False) for n in sorted(set(wanted) - known)]
    return sorted(schemas + extra, key=lambda s: s.name)


# --- merging operations ------------------------------------------------------------------


Route = tuple[str, str, Source]  # method, path, where the operation's page says it


def check_routes(routes: dict[str, Route]) -> tuple[set[str], list[Diagnostic]]:
    """(the uids kept, diagnostics). Two operations may share a route's shape when their
    parameters are named differently (`/List/{id}` and `/List/{name}`: the server tells them
    apart by the parameter's type); the same method, path and names twice is an error, and the
    later uid is left out."""
    kept: set[str] = set()
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], tuple[str, Source]] = {}
    for uid in sorted(routes):
        method, path, where = routes[uid]
        dots = dot_segment(path)
        if dots:
            message = f"{method} {path}: the segment {dots!r} would take the client out of its base path; {uid} is left out"
            diags.append(diag(where.path, where.line, "DG006", message))
            continue
        other = seen.get((method, path))
        if other is not None:
            message = f"{method} {path} is also operation {other[0]} at {other[1]}; {uid} is left out"
            diags.append(diag(where.path, where.line, "DG018", message))
            continue
        seen[(method, path)] = (uid, where)
        kept.add(uid)
    return kept, diags


def merge_operation(drafts: list[OperationDraft], groups: dict[str, str] | None = None) -> tuple[Operation, list[Diagnostic]]:
    """Every page of one uid merged: the first page (in rank order) leads. `groups`: each
    group's spelling in the API (group_spellings)."""
    diags: list[Diagnostic] = []
    lead = drafts[0]
    parameters = {(p.location, p.name): p for p in lead.parameters}
    body = lead.body
    responses = {r.status: r for r in lead.responses}
    for other in drafts[1:]:
        diags.append(
            diag(
                other.source.path,
                other.source.line,
                "DG013",
                f"operation {lead.id} is also described at {lead.source}; merged, that page leads",
            )
        )
        if (other.method, route_shape(other.path).lower()) != (lead.method, route_shape(lead.path).lower()):
            diags.append(
                diag(
                    other.source.path,
                    other.source.line,
                    "DG014",
                    f"{other.method} {other.path} here but {lead.method} {lead.path} at {lead.source}",
                )
            )
            continue
        for param in other.parameters:
            if param.location != "path" or other.path == lead.path:  # the lead's path names its placeholders
                parameters.setdefault((param.location, param.name), param)
        if body is None:
            body = other.body
        elif other.body is not None and compatible(body.type, other.body.type):
            body = replace(body, type=merge_types(body.type, other.body.type))
        for response in other.responses:
            mine = responses.setdefault(response.status, response)
            if mine is not response and mine.type is not None and response.type is not None and compatible(mine.type, response.type):
                responses[response.status] = replace(mine, type=merge_types(mine.type, response.type))
    request_body = None
    if body is not None:
        example = body.example or next((d.body.example for d in drafts if d.body is not None and d.body.example), "")
        request_body = RequestBody(body.name, body.type, body.description, body.content_types, body.source, example)
    operation = Operation(
        id=lead.id,
        name=lead.name,
        method=lead.method,
        path=lead.path,
        group=(groups or {}).get(lead.group, lead.group),
        summary=lead.summary,
        description=lead.description,
        parameters=tuple(parameters.values()),
        request_body=request_body,
        responses=tuple(
            Response(r.status, r.description, r.type, r.source, r.example) for r in sorted(responses.values(), key=lambda r: r.status)
        ),
        source=lead.source,
        sources=tuple(d.source for d in drafts),
        accept=lead.accept or next((d.accept for d in drafts if d.accept), ()),
    )
    return operation, diags
