"""PageDocs -> Api: name anonymous schemas, merge every description of a schema or operation.

Pages are taken in a fixed order (newer dialect first, then path), so the result never depends
on the order files were found in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docgen.diagnostics import Diagnostic, diag
from docgen.model.api import Api, Operation, Parameter, Property, RequestBody, Response, Schema, Source
from docgen.model.drafts import OperationDraft, SchemaDraft
from docgen.model.from_page import PageReader
from docgen.model.naming import pascal
from docgen.model.types import TypeRef, compatible, merge_types
from docgen.parse.page import PageDoc


def page_rank(page: PageDoc) -> int:
    """Newer dialect pages (`generated: true`) lead when several describe the same thing."""
    return 0 if page.generated else 1


def read_draft(page: PageDoc) -> tuple[OperationDraft, list[Diagnostic]]:
    """What one page says, on its own: the part of the build that can run beside the parser."""
    return PageReader(page, page_rank(page)).read()


def build_api(pages: Iterable[PageDoc]) -> tuple[Api, list[Diagnostic]]:
    return build_from_drafts(read_draft(page) for page in pages)


def build_from_drafts(read: Iterable[tuple[OperationDraft, list[Diagnostic]]]) -> tuple[Api, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    drafts: list[OperationDraft] = []
    for draft, page_diags in sorted(read, key=lambda r: r[0].rank):
        drafts.append(draft)
        diags.extend(page_diags)
    diags.extend(unify_query_spellings(drafts))
    schema_drafts = sorted((s for d in drafts for s in d.schemas), key=lambda s: s.rank)
    names = unify(schema_drafts, resolve_names(schema_drafts), drafts)
    schemas = merge_schemas(schema_drafts, names, diags)
    diags.extend(still_unknown(schemas))
    operations = merge_operations(drafts, names, diags)
    return Api(tuple(operations), tuple(with_placeholders(schemas, operations))), diags


def unify_query_spellings(drafts: list[OperationDraft]) -> list[Diagnostic]:
    """One spelling per query parameter across the reference. Where pages spell the same name
    in different cases, the spelling that follows the case convention of all query parameters
    wins, and the page that differs is told."""
    spellings: dict[str, dict[str, Parameter]] = {}
    lower = upper = 0
    for op in drafts:
        for p in op.parameters:
            if p.location == "query" and p.name[:1].isalpha():
                spellings.setdefault(p.name.lower(), {}).setdefault(p.name, p)
                lower += p.name[:1].islower()
                upper += p.name[:1].isupper()
    chosen: dict[str, Parameter] = {}
    for key, variants in spellings.items():
        if len(variants) > 1:
            ranked = sorted(variants, key=lambda n: (n[:1].islower() != (lower >= upper), n))
            chosen[key] = variants[ranked[0]]
    diags: list[Diagnostic] = []
    for op in drafts:
        for index, p in enumerate(op.parameters):
            best = chosen.get(p.name.lower()) if p.location == "query" else None
            if best is None or best.name == p.name:
                continue
            diags.append(
                diag(
                    p.source.path,
                    p.source.line,
                    "DG021",
                    f"query parameter {p.name!r} is spelled {best.name!r} at {best.source}; using {best.name!r}",
                )
            )
            op.parameters[index] = Parameter(best.name, p.location, p.type, p.required, p.description, p.source)
    return diags


# --- naming anonymous schemas ------------------------------------------------------------


def resolve_names(drafts: list[SchemaDraft]) -> dict[str, str]:
    """key -> schema name. An anonymous draft takes the name of a named schema with the same
    properties, else a name its page suggests whose schema covers its properties, else the
    name of an earlier anonymous draft with the same properties, else its own hint."""
    named: dict[str, set[str]] = {}
    for draft in drafts:
        if draft.named:
            named.setdefault(draft.key, set()).update(draft.property_names)
    result = {d.key: d.key for d in drafts if d.named}
    named_by_props: dict[frozenset[str], str] = {}
    for name in sorted(named, reverse=True):  # the smallest name wins
        named_by_props[frozenset(named[name])] = name
    by_props: dict[frozenset[str], str] = {}
    taken = set(named)
    for draft in drafts:
        if draft.named:
            continue
        props = draft.property_names
        exact = named_by_props.get(props) if props else None
        suggested = [c for c in draft.candidates if c in named and props and props <= named[c]]
        if exact:
            name = exact
        elif suggested:
            name = suggested[0]
        elif props and props in by_props:
            name = by_props[props]
        else:
            name = fresh(pascal(draft.hint) or "Model", taken)
            taken.add(name)
            if props:
                by_props[props] = name
        result[draft.key] = name
    return result


def fresh(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


def _renamed(t: TypeRef | None, names: dict[str, str]) -> TypeRef | None:
    return None if t is None else t.renamed(names)


def unify(drafts: list[SchemaDraft], names: dict[str, str], operations: list[OperationDraft]) -> dict[str, str]:
    """A schema no page names is the schema another page names in the same place: the same
    property of the same schema (`User: {...}` in an old sample is `User: Associate`), or the
    body or response of the same operation (an old page's `Response body: object`)."""
    by_id: dict[str, list[OperationDraft]] = {}
    for op in operations:
        by_id.setdefault(op.id, []).append(op)
    hinted = {names[d.key] for d in drafts} - {names[d.key] for d in drafts if d.named}
    while True:
        seen: dict[tuple[str, str], TypeRef] = {}
        alias: dict[str, str] = {}
        for draft in sorted(drafts, key=lambda d: (d.from_sample, d.rank)):
            owner = names[draft.key]
            for prop in draft.properties:
                t = prop.type.renamed(names)
                first = seen.setdefault((owner, prop.name), t)
                alias.update(_aliases(first, t, hinted))
        for group in by_id.values():
            lead = group[0]
            for other in group[1:]:
                if lead.body and other.body:
                    alias.update(_aliases(lead.body.type.renamed(names), other.body.type.renamed(names), hinted))
                for mine, theirs in zip(lead.responses, other.responses, strict=False):
                    if mine.type and theirs.type:
                        alias.update(_aliases(mine.type.renamed(names), theirs.type.renamed(names), hinted))
        updated = {key: _follow(name, alias) for key, name in names.items()}
        for name in sorted(alias):  # a name only referenced, never described, is renamed too
            updated.setdefault(name, _follow(name, alias))
        if updated == names:
            return names
        names = updated


def _aliases(a: TypeRef, b: TypeRef, hinted: set[str]) -> dict[str, str]:
    """Two names in the same place stand for one schema when at least one of them was made up
    from a hint: it joins the name a page gives, or the smaller of two made-up names. Names
    pages give never merge. The sets are fixed and names only move down, so `unify` ends."""
    if a.kind in ("array", "map") and b.kind == a.kind and a.item and b.item:
        return _aliases(a.item, b.item, hinted)
    if a.kind != "ref" or b.kind != "ref" or a.name == b.name:
        return {}
    if a.name in hinted and b.name in hinted:
        return {max(a.name, b.name): min(a.name, b.name)}
    if a.name in hinted:
        return {a.name: b.name}
    if b.name in hinted:
        return {b.name: a.name}
    return {}


def _follow(name: str, alias: dict[str, str]) -> str:
    seen = {name}
    while name in alias and alias[name] not in seen:
        name = alias[name]
        seen.add(name)
    return name


def still_unknown(schemas: list[Schema]) -> list[Diagnostic]:
    """Properties whose type no page and no sample tells, reported once, where first described."""
    return [
        diag(p.source.path, p.source.line, "DG011", f"{s.name}.{p.name}: no page gives a type and no sample a value")
        for s in schemas
        for p in s.properties
        if p.type.kind == "unknown" or (p.type.kind in ("array", "map") and p.type.item is not None and p.type.item.kind == "unknown")
    ]


# --- merging schemas ---------------------------------------------------------------------


def merge_schemas(drafts: list[SchemaDraft], names: dict[str, str], diags: list[Diagnostic]) -> list[Schema]:
    grouped: dict[str, list[SchemaDraft]] = {}
    for draft in drafts:
        grouped.setdefault(names[draft.key], []).append(draft)
    schemas: list[Schema] = []
    for name in sorted(grouped):
        group = grouped[name]
        # tables lead samples: a sample only fills in what no table says
        group.sort(key=lambda d: (d.from_sample, d.rank))
        properties: dict[str, Property] = {}
        from_sample: dict[str, bool] = {}
        for draft in group:
            for described in draft.properties:
                prop = Property(described.name, described.type.renamed(names), described.description, described.source)
                old = properties.get(prop.name)
                if old is None:
                    properties[prop.name] = prop
                    from_sample[prop.name] = draft.from_sample
                    continue
                properties[prop.name] = merge_property(name, old, prop, draft.from_sample or from_sample[prop.name], diags)
        description = next((d.description for d in group if d.description), "")
        sources = tuple(sorted({d.source for d in group}))
        schemas.append(Schema(name, tuple(properties.values()), description, sources))
    return schemas


def merge_property(schema: str, old: Property, new: Property, quiet: bool, diags: list[Diagnostic]) -> Property:
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


def merge_operations(drafts: list[OperationDraft], names: dict[str, str], diags: list[Diagnostic]) -> list[Operation]:
    by_id: dict[str, list[OperationDraft]] = {}
    for draft in drafts:
        by_id.setdefault(draft.id, []).append(draft)
    operations: list[Operation] = []
    routes: dict[tuple[str, str], Operation] = {}
    for uid in sorted(by_id):
        op = merge_operation(by_id[uid], names, diags)
        route = (op.method, re.sub(r"\{[^}]*\}", "{}", op.path))
        if route in routes:
            diags.append(
                diag(
                    op.source.path,
                    op.source.line,
                    "DG018",
                    f"{op.method} {op.path} is also operation {routes[route].id} at {routes[route].source}; "
                    f"{op.id} is left out",
                )
            )
            continue
        routes[route] = op
        operations.append(op)
    return sorted(operations, key=lambda o: (o.group, o.id))


def merge_operation(drafts: list[OperationDraft], names: dict[str, str], diags: list[Diagnostic]) -> Operation:
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
                f"uid {lead.id} is also described at {lead.source}; merged, that page leads",
            )
        )
        if (other.method, other.path) != (lead.method, lead.path):
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
            parameters.setdefault((param.location, param.name), param)
        if body is None:
            body = other.body
        elif other.body is not None and compatible(body.type.renamed(names), other.body.type.renamed(names)):
            body.type = merge_types(body.type.renamed(names), other.body.type.renamed(names))
        for response in other.responses:
            mine = responses.setdefault(response.status, response)
            if mine is not response and mine.type is not None and response.type is not None:
                a, b = mine.type.renamed(names), response.type.renamed(names)
                if compatible(a, b):
                    mine.type = merge_types(a, b)
    request_body = None
    if body is not None:
        request_body = RequestBody(body.name, body.type.renamed(names), body.description, body.content_types, body.source)
    return Operation(
        id=lead.id,
        name=lead.name,
        method=lead.method,
        path=lead.path,
        group=lead.group,
        summary=lead.summary,
        description=lead.description,
        parameters=tuple(
            Parameter(p.name, p.location, p.type.renamed(names), p.required, p.description, p.source)
            for p in parameters.values()
        ),
        request_body=request_body,
        responses=tuple(
            Response(r.status, r.description, _renamed(r.type, names), r.source)
            for r in sorted(responses.values(), key=lambda r: r.status)
        ),
        source=lead.source,
        sources=tuple(d.source for d in drafts),
    )
