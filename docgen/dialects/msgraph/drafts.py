"""GraphPage -> PageDraft: a resource page's type, its enumerations, and one operation per route
of an API page, in model terms.

What the model gets from each part of a page:
- a resource page: the schema its annotation names (`microsoft.graph.user`), based on the type
  the annotation, the prose (`Inherits from [entity](entity.md)`) or the rows (`Inherited from
  [directoryObject]`) name; its Properties and Relationships rows; what a link to it stands for;
- `X values` sections and enum pages: enumerations, named in the page's namespace;
- an API page: every route of its HTTP request section; the OData options its query section
  names; its headers; a body from the four ways pages say it (none, a JSON representation of a
  linked type, a table of the type's properties, a table of an action's parameters); the status
  and type its response prose or annotated example says. A list answers as OData does: the rows
  under `value`, the next page's URL under `@odata.nextLink`.
"""

from __future__ import annotations

import re
from collections import Counter

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.msgraph.page import Annotation, GraphPage, Section
from docgen.dialects.msgraph.reader import REQUEST_LINE
from docgen.dialects.msgraph.routes import Route, group_of, operation_name, read_route, route_key
from docgen.dialects.msgraph.types import (
    LINK,
    PRIMITIVES,
    Spelled,
    cell_type,
    clean,
    fallback,
    link_of,
    page_alias,
    qualified,
    slug,
)
from docgen.model.api import Parameter, Source, example_text
from docgen.model.drafts import BodyDraft, OperationDraft, PageDraft, PropertyDraft, ResponseDraft, SchemaDraft
from docgen.model.naming import pascal
from docgen.model.types import ANY, TypeRef, array, primitive, ref
from docgen.parse.page import Table
from docgen.parse.samples import read_sample

_TITLE_TYPE = re.compile(r"^(\w+)\s+(?:resource|complex|entity)\s+type$", re.IGNORECASE)
_ENUM_TITLE = re.compile(r"^(\w+)\s+enum(?:\s+type)?$", re.IGNORECASE)
_INHERITS = re.compile(
    r"\b(?:inherits|inherited|derives|derived|extends)\s+from\s+(?:(?:the|a|an|base|class|abstract|type|resource|entity)\s+){0,3}"
    r"(\[[^\]]+\](?:\([^)]*\)|\[[^\]]*\])?|\*\*\w+\*\*|`\w+`)",
    re.IGNORECASE,
)
_STATUS = re.compile(r"`?\b([1-5]\d\d)\s+([A-Z][A-Za-z-]*(?:\s+[A-Z][A-Za-z-]*)*)`?")
_NO_BODY = re.compile(r"do\s+not\s+(?:supply|specify|provide|include)\s+a\s+request\s+body|request\s+body\s+(?:is\s+)?not\s+(?:required|needed)|no\s+request\s+body", re.IGNORECASE)
_COLLECTION_BEFORE = re.compile(r"collection\s+of\s+(?:\w+\s+)?$", re.IGNORECASE)
_COLLECTION_AFTER = re.compile(r"^\s*(?:objects?\s+|resources?\s+|entities\s+)?collection", re.IGNORECASE)
_ODATA = re.compile(r"(\$[a-zA-Z]+)")
_PROPERTY_NAME = re.compile(r"^[@\w.]+$")
_TRANSPORT = frozenset({"authorization", "content-type", "accept", "content-length", "host"})
_ROW_HEADS = frozenset({"property", "relationship", "name", "property name"})
_PARAMETER_HEADS = frozenset({"parameter", "property", "name", "parameter name"})
_MEMBER_HEADS = frozenset({"member", "members", "name", "value", "enum value"})
_ODATA_TYPES = {"$top": primitive("integer", "int32"), "$skip": primitive("integer", "int32"), "$count": primitive("boolean")}
NEXT_LINK = "@odata.nextLink"
ROWS = "value"


def _is_type_table(table: Table, heads: frozenset[str]) -> bool:
    header = [clean(h).lower() for h in table.header]
    return len(header) >= 2 and header[0] in heads and (header[1].startswith("type") or header[1] == "value")


class GraphReader:
    """Turns one Graph page into its drafts and the diagnostics of reading them."""

    def __init__(self, page: GraphPage) -> None:
        self.page = page
        self.ns = page.namespace
        self.refdefs = dict(page.refdefs)
        self.diags: list[Diagnostic] = []
        self.links: dict[str, str] = {}  # alias -> fallback, of every link the page's types name
        self.schemas: list[SchemaDraft] = []
        self.rank = (0, page.path, 0)

    def src(self, line: int) -> Source:
        return Source(self.page.path, line)

    def read(self) -> tuple[PageDraft, list[Diagnostic]]:
        names: list[tuple[str, str]] = []
        resource = self.resource()
        if resource is not None:
            self.schemas.append(resource)
            names.append((page_alias(self.page.path), resource.name))
        for enum, anchor in self.enums():
            self.schemas.append(enum)
            names.append((page_alias(self.page.path, anchor) if anchor else page_alias(self.page.path), enum.name))
        operations = tuple(self.operations())
        page = PageDraft(
            self.page.path, self.rank, operations, tuple(self.schemas), tuple(dict.fromkeys(names)), tuple(sorted(self.links.items()))
        )
        return page, self.diags

    # --- types ---------------------------------------------------------------------------

    def cell(self, text: str, line: int) -> TypeRef:
        spelled: Spelled = cell_type(text, self.page.path, self.ns, self.refdefs)
        if not spelled.understood:
            self.diags.append(diag(self.page.path, line, "DG008", f"unknown type {clean(text)[:60]!r}"))
        for alias, name in spelled.links:
            self.links.setdefault(alias, name)
        return spelled.type

    def linked(self, text: str) -> TypeRef | None:
        """The type the first link of some prose names, when it links a page of the reference."""
        for match in LINK.finditer(text):
            link = link_of(match.group(1), match.group(2), match.group(3), self.page.path, self.refdefs)
            if link is None or _api_page(link.page):
                continue
            alias = page_alias(link.page, link.anchor if link.enum_anchor else "")
            self.links.setdefault(alias, fallback(link, self.ns))
            return ref(alias)
        return None

    def schema_draft(
        self, key: str, name: str, hint: str, properties: tuple[PropertyDraft, ...], description: str, line: int, role: str, **more: object
    ) -> SchemaDraft:
        order = (0, self.page.path, len(self.schemas) + 1)
        return SchemaDraft(key, name, hint, properties, description, self.src(line), order, "", "", role, **more)  # type: ignore[arg-type]

    def rows(self, tables: list[Table], heads: frozenset[str]) -> list[PropertyDraft]:
        found: dict[str, PropertyDraft] = {}
        for table in tables:
            if not _is_type_table(table, heads):
                continue
            desc_col = table.column("description")
            for row in table.rows:
                name = clean(row.cells[0])
                if not name or not _PROPERTY_NAME.match(name) or name in found:
                    continue
                t = self.cell(row.cells[1] if len(row.cells) > 1 else "", row.line)
                text = row.cells[desc_col].strip() if desc_col is not None and desc_col < len(row.cells) else ""
                found[name] = PropertyDraft(name, t, text, self.src(row.line), declared=clean(row.cells[1]) if len(row.cells) > 1 else "")
        return list(found.values())

    # --- resource pages ------------------------------------------------------------------

    def _resource_annotation(self) -> Annotation | None:
        return next(iter(self.page.annotations("resource")), None)

    def type_name(self) -> str:
        annotation = self._resource_annotation()
        named = annotation.text("@odata.type", "@type") if annotation is not None else ""
        if named:
            return qualified(named, self.ns)
        title = _TITLE_TYPE.match(self.page.title)
        return qualified(title.group(1), self.ns) if title else ""

    def resource(self) -> SchemaDraft | None:
        name = self.type_name()
        if not name:
            return None
        sections = self.page.of("properties", "relationships")
        properties = self.rows([t for s in sections for t in s.tables], _ROW_HEADS)
        intro = self.page.first("intro")
        description = intro.prose[0].text if intro is not None and intro.prose else ""
        line = sections[0].line if sections else self.page.line
        return self.schema_draft(f"#{self.page.path}#resource", name, pascal(name.rsplit(".", 1)[-1]), tuple(properties), description, line, "resource", base=self.base(properties))

    def base(self, properties: list[PropertyDraft]) -> str:
        """The type this one extends: the annotation's baseType, the prose's `Inherits from
        [X](x.md)`, else the type most rows say they are inherited from."""
        annotation = self._resource_annotation()
        stated = annotation.text("baseType") if annotation is not None else ""
        if stated:
            return qualified(stated, self.ns)
        prose = " ".join(p.text for s in self.page.of("intro", "properties", "relationships") for p in s.prose)
        said = _INHERITS.search(prose)
        if said is not None:
            found = self.linked(said.group(1)) if said.group(1).startswith("[") else ref(qualified(said.group(1).strip("*`"), self.ns))
            if found is not None:
                return found.name
        votes: Counter[str] = Counter()
        for p in properties:
            inherited = _INHERITS.search(p.description)
            if inherited is not None and inherited.group(1).startswith("["):
                found = self.linked(inherited.group(1))
                if found is not None:
                    votes[found.name] += 1
        return votes.most_common(1)[0][0] if votes else ""

    def enums(self) -> list[tuple[SchemaDraft, str]]:
        """(enumeration, its anchor on the page; "" for an enum page's own)."""
        found: list[tuple[SchemaDraft, str]] = []
        enum_page = _ENUM_TITLE.match(self.page.title)
        for section in self.page.sections:
            if section.kind == "values":
                name, anchor = section.argument, slug(section.heading)
            elif section.kind == "members" and enum_page is not None:
                name, anchor = enum_page.group(1), ""
            else:
                continue
            members = self.members(section)
            if members:
                qualified_name = qualified(name, self.ns)
                key = f"#{self.page.path}#enum#{qualified_name}"
                draft = self.schema_draft(key, qualified_name, pascal(name), (), "", section.line, "enum", values=tuple(members))
                found.append((draft, anchor))
        return found

    @staticmethod
    def members(section: Section) -> list[str]:
        for table in section.tables:
            header = [clean(h).lower() for h in table.header]
            if header and header[0] in _MEMBER_HEADS:
                members = [clean(r.cells[0]) for r in table.rows if r.cells and clean(r.cells[0])]
                return list(dict.fromkeys(m for m in members if re.match(r"^[\w.-]+$", m)))
        return []

    # --- API pages -----------------------------------------------------------------------

    def routes(self) -> list[tuple[Route, int]]:
        found: list[tuple[Route, int]] = []
        for section in self.page.of("routes"):
            lines = [(line, fence.line + 1 + n) for fence in section.fences for n, line in enumerate(fence.text.split("\n"))]
            for text, line in [*lines, *section.raw_lines]:
                match = REQUEST_LINE.match(text)
                if match is None:
                    continue
                route = read_route(match.group(1), match.group(2))
                if route is None:
                    self.diags.append(diag(self.page.path, line, "DG006", f"malformed path {match.group(2)[:80]!r}"))
                    continue
                found.append((route, line))
        return found

    def operations(self) -> list[OperationDraft]:
        routes = self.routes()
        if not routes:
            return []
        status, answer, said = self.response()
        summary, description = self.prose()
        creates = status == "201"
        seen: set[tuple[str, str]] = set()
        drafts: list[OperationDraft] = []
        for route, line in routes:
            if (route.method, route.path) in seen:
                continue
            seen.add((route.method, route.path))
            action = (route.method == "POST" and not creates) or _is_call(route.path)
            collection = answer is not None and answer.kind == "array"
            name = operation_name(route, collection, action)
            responses = self.responses(route, status, answer, said, line)
            drafts.append(
                OperationDraft(
                    id=f"{route.method} {route_key(route.path)}",
                    name=name,
                    method=route.method,
                    path=route.path,
                    group=group_of(route.path),
                    summary=summary,
                    description=description,
                    parameters=tuple(self.parameters(route, line)),
                    body=self.body(route, action, answer, line),
                    responses=tuple(responses),
                    source=self.src(line),
                    rank=(0, self.page.path, len(drafts)),
                )
            )
        return drafts

    def prose(self) -> tuple[str, str]:
        intro = self.page.first("intro")
        texts = [p.text for p in intro.prose] if intro is not None else []
        return (texts[0] if texts else self.page.title), "\n\n".join(texts[1:])

    def parameters(self, route: Route, line: int) -> list[Parameter]:
        found: list[Parameter] = [Parameter(name, "path", primitive("string"), True, "", self.src(line)) for name, _ in route.placeholders]
        names = {("path", p.name) for p in found}

        def add(p: Parameter) -> None:
            if (p.location, p.name) not in names:
                names.add((p.location, p.name))
                found.append(p)

        for name, _ in route.query:  # `?startDateTime={start}` is required; `?$expand=...` shows an option
            option = name.startswith("$")
            t = _ODATA_TYPES.get(name.lower(), primitive("string")) if option else primitive("string")
            add(Parameter(name.lower() if option else name, "query", t, not option, "", self.src(line)))
        for section in self.page.of("query"):
            for table in section.tables:
                if _is_type_table(table, _PARAMETER_HEADS):
                    for row in table.rows:
                        name = clean(row.cells[0])
                        if not name or not _PROPERTY_NAME.match(name.lstrip("$")):
                            continue
                        text = row.cells[2].strip() if len(row.cells) > 2 else ""
                        required = "required" in text.lower() and "optional" not in text.lower()
                        add(Parameter(name, "query", self.scalar(self.cell(row.cells[1], row.line)), required, text, self.src(row.line)))
            if route.method == "GET":
                prose = " ".join(p.text for p in section.prose)
                for option in dict.fromkeys(o.lower() for o in _ODATA.findall(prose)):
                    add(Parameter(option, "query", _ODATA_TYPES.get(option, primitive("string")), False, "", self.src(section.line)))
        for section in self.page.of("headers"):
            for table in section.tables:
                desc_col = table.column("description")
                for row in table.rows:
                    header = clean(row.cells[0]).split(":")[0].strip()
                    if not header or header.lower() in _TRANSPORT or not re.match(r"^[A-Za-z][\w-]*$", header):
                        continue
                    text = row.cells[desc_col].strip() if desc_col is not None and desc_col < len(row.cells) else ""
                    add(Parameter(header, "header", primitive("string"), False, text, self.src(row.line)))
        return found

    @staticmethod
    def scalar(t: TypeRef) -> TypeRef:
        """A query parameter is a value in the URL: a type the page links (an object) goes as a string."""
        return t if t.kind == "primitive" or (t.kind == "array" and t.item is not None and t.item.kind == "primitive") else primitive("string")

    def response(self) -> tuple[str, TypeRef | None, str]:
        """(status, answer type, what the page says of it) for the page's routes: the status its
        prose gives, the type its first annotated response example names, else the first
        resource its prose links ("a collection of [event](...) objects")."""
        text = self.page.text("response")
        status_match = _STATUS.search(text)
        status = status_match.group(1) if status_match else self.example_status() or "200"
        if status == "204":
            return status, None, text
        annotation = next(iter(self.page.annotations("response")), None)
        named = annotation.text("@odata.type", "@type") if annotation is not None else ""
        if named and annotation is not None:
            many = annotation.get("isCollection") is True
            inner = re.match(r"^collection\((.*)\)$", named, re.IGNORECASE)
            if inner is not None:
                named, many = inner.group(1), True
            word = PRIMITIVES.get(re.sub(r"^edm\.", "", named, flags=re.IGNORECASE).lower())
            t = word if word is not None else ref(qualified(named, self.ns))
            return status, array(t) if many else t, text
        for match in LINK.finditer(text):
            link = link_of(match.group(1), match.group(2), match.group(3), self.page.path, self.refdefs)
            if link is None or _api_page(link.page):
                continue
            alias = page_alias(link.page, link.anchor if link.enum_anchor else "")
            self.links.setdefault(alias, fallback(link, self.ns))
            many = bool(_COLLECTION_BEFORE.search(text[max(0, match.start() - 25) : match.start()]))
            many = many or bool(_COLLECTION_AFTER.match(text[match.end() : match.end() + 25]))
            return status, array(ref(alias)) if many else ref(alias), text
        return status, None, text

    def example_status(self) -> str:
        for section in self.page.of("examples"):
            for fence in section.fences:
                first = fence.text.strip().split("\n", 1)[0]
                found = re.match(r"^HTTP/[\d.]+\s+(\d{3})", first)
                if found:
                    return found.group(1)
        return ""

    def example(self, kind: str) -> str:
        """The JSON of the page's first annotated request or response example (the request's
        body after its headers), as the model keeps samples."""
        for section in self.page.of("examples"):
            for fence in section.fences:
                if fence.annotation is None or fence.annotation.block_type != kind:
                    continue
                sample, _ = read_sample(kind, fence.text, fence.line, self.page.path)
                return example_text(sample.body) if sample.has_json and isinstance(sample.body, (dict, list)) else ""
        return ""

    def responses(self, route: Route, status: str, answer: TypeRef | None, said: str, line: int) -> list[ResponseDraft]:
        description = _STATUS.search(said)
        text = f"{description.group(1)} {description.group(2)}" if description else "OK"
        if route.path.endswith(("/$value", "/content")) and route.method == "GET":
            binary = primitive("string", "binary")
            if status.startswith("3"):  # `302 Found`: the bytes are at the Location, a client that follows gets them
                return [ResponseDraft("200", "OK", binary, self.src(line)), ResponseDraft(status, text, None, self.src(line))]
            return [ResponseDraft(status, text, binary, self.src(line))]
        if answer is None or status == "204" or route.method == "DELETE":
            return [ResponseDraft(status, text, None, self.src(line))]
        return [ResponseDraft(status, text, self.wrapped(answer, line), self.src(line), self.example("response"))]

    def wrapped(self, answer: TypeRef, line: int) -> TypeRef:
        """A list answers as OData does: `{"value": [...], "@odata.nextLink": ...}`, one schema
        per item type (`microsoft.graph.userCollectionResponse`), as Microsoft names them."""
        if answer.kind != "array" or answer.item is None:
            return answer
        item = answer.item
        if item.kind == "ref":
            base = "{" + item.name + "}" if item.name.startswith("#link:") else item.name
        else:
            base = f"{self.ns}.{item.format or item.name}"
        name = f"{base}CollectionResponse"
        key = f"#{self.page.path}#collection#{name}"
        if not any(s.key == key for s in self.schemas):
            properties = (
                PropertyDraft(ROWS, answer, "The rows of this page.", self.src(line)),
                PropertyDraft(NEXT_LINK, primitive("string"), "The URL of the next page; absent on the last.", self.src(line)),
            )
            self.schemas.append(self.schema_draft(key, name, pascal(name.rsplit(".", 1)[-1]), properties, "", line, "collection"))
        return ref(name)

    def body(self, route: Route, action: bool, answer: TypeRef | None, line: int) -> BodyDraft | None:
        section = self.page.first("body")
        prose = self.page.text("body")
        tables = [t for s in self.page.of("body") for t in s.tables if _is_type_table(t, _PARAMETER_HEADS)]
        at = section.line if section is not None else line
        if route.method in ("GET", "DELETE") and not tables:
            return None
        if _NO_BODY.search(prose) and not tables:
            return None
        media = self.content_types()
        if route.path.endswith(("/content", "/$value")) and route.method in ("PUT", "POST", "PATCH") and not any("json" in m for m in media):
            return BodyDraft("body", primitive("string", "binary"), prose, media or ("application/octet-stream",), self.src(at))
        if section is None and route.method not in ("POST", "PATCH", "PUT"):
            return None
        described = self.linked(prose) if prose else None
        parameters = any(clean(t.header[0]).lower() in ("parameter", "parameter name") for t in tables)
        if tables and (action or parameters or described is None):
            resource = None if action or parameters else self.subject(answer)
            if resource is not None:
                return BodyDraft("body", resource, prose, ("application/json",), self.src(at), self.example("request"))
            schema = ref(self.parameters_schema(tables, route, at))
            return BodyDraft("body", schema, prose, ("application/json",), self.src(at), self.example("request"))
        if described is not None:
            return BodyDraft("body", described, prose, ("application/json",), self.src(at), self.example("request"))
        if section is None:
            return None
        return BodyDraft("body", ANY, prose, ("application/json",), self.src(at), self.example("request"))

    def subject(self, answer: TypeRef | None) -> TypeRef | None:
        """The resource an update or a create is about: what it answers with, else the first
        resource the page's opening prose links."""
        if answer is not None and answer.kind == "ref":
            return answer
        intro = self.page.first("intro")
        for p in intro.prose if intro is not None else ():
            found = self.linked(p.text)
            if found is not None:
                return found
        return None

    def parameters_schema(self, tables: list[Table], route: Route, line: int) -> str:
        """The page's table of an action's parameters, one schema for every route of the page."""
        key = f"#{self.page.path}#parameters"
        if not any(s.key == key for s in self.schemas):
            words = operation_name(route, False, True)
            properties = tuple(self.rows(tables, _PARAMETER_HEADS))
            self.schemas.append(self.schema_draft(key, "", f"{words}RequestBody", properties, "", line, "parameters"))
        return key

    def content_types(self) -> tuple[str, ...]:
        for section in self.page.of("headers"):
            for table in section.tables:
                for row in table.rows:
                    if clean(row.cells[0]).lower() == "content-type" and len(row.cells) > 1:
                        found = re.findall(r"\b([a-z]+/[\w.+-]+)", " ".join(row.cells[1:]))
                        if found:
                            return tuple(dict.fromkeys(found))
        return ()


def _api_page(page: str) -> bool:
    """A link to another API page (a method), not to a type."""
    return page.rsplit("/", 2)[-2:-1] == ["api"]


def _is_call(path: str) -> bool:
    """Does the path end in a function call (`delta()`, `getByIds(...)`)?"""
    last = path.rsplit("/", 1)[-1]
    return last.endswith(")") and "(" in last
