"""PageDoc -> OperationDraft: read one page's tables and samples into model terms."""

from __future__ import annotations

import re

from docgen.diagnostics import Diagnostic, diag
from docgen.model.api import Parameter, Property, Source
from docgen.model.drafts import BodyDraft, OperationDraft, ResponseDraft, SchemaDraft
from docgen.model.naming import pascal, singular
from docgen.model.types import ANY, UNKNOWN, TypeRef, array, mapping, primitive, ref, vague
from docgen.parse.page import PageDoc, Table
from docgen.parse.samples import NULL, Shape, shape_of, unite
from docgen.parse.types import parse_type

_REQUIRED = re.compile(r"\*\*\s*required\s*\*\*", re.IGNORECASE)
_PATH_PARAM = re.compile(r"\{([^{}]*)\}")
_BACKTICKED = re.compile(r"`([^`]+)`")
_TRANSPORT_HEADERS = frozenset({"authorization", "x-xsrf-token", "content-type", "accept"})
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")
_IDS = re.compile(r"(?<=[a-z])Ids$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def group_of(path: str) -> str:
    """Agents under /api/v1/Agents/<Agent>/, REST entities under /api/v1/<Entity>."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    while parts and (parts[0].lower() == "api" or re.fullmatch(r"v\d+", parts[0], re.IGNORECASE)):
        parts = parts[1:]
    if len(parts) >= 2 and parts[0].lower() == "agents":
        return pascal(parts[1]) + "Agent"
    if parts and not parts[0].startswith("{"):
        return pascal(parts[0]) or "Default"
    return "Default"


def property_case(page: PageDoc) -> bool:
    """Do the page's property names start upper-case (PascalCase) rather than lower-case?"""
    tables = [page.request_body.table if page.request_body else None, page.response.body_table if page.response else None]
    names = [row.cells[0] for t in tables if t is not None for row in t.rows if row.cells and row.cells[0][:1].isalpha()]
    upper = sum(1 for n in names if n[:1].isupper())
    return upper * 2 >= len(names)


def operation_name(uid: str) -> str:
    """v1ChatAgent_SaveChatSessionEntity -> SaveChatSessionEntity."""
    _, sep, rest = uid.partition("_")
    return pascal(rest if sep and rest else uid) or "Operation"


class PageReader:
    """Turns one page into an OperationDraft plus the schema drafts it describes."""

    def __init__(self, page: PageDoc, rank: int) -> None:
        self.page = page
        self.rank = rank
        self.diags: list[Diagnostic] = []
        self.schemas: list[SchemaDraft] = []
        self.name = operation_name(page.uid)
        self.upper_names = property_case(page)

    def src(self, line: int) -> Source:
        return Source(self.page.path, line)

    def read(self) -> tuple[OperationDraft, list[Diagnostic]]:
        page = self.page
        parameters = self.path_parameters() + self.query_parameters() + self.header_parameters()
        draft = OperationDraft(
            id=page.uid,
            name=self.name,
            method=page.method,
            path=page.http_path,
            group=group_of(page.http_path),
            summary=page.summary,
            description=page.description,
            parameters=parameters,
            body=self.body(),
            responses=self.responses(),
            source=self.src(page.uid_line),
            rank=(self.rank, page.path, 0),
            schemas=self.schemas,
        )
        return draft, self.diags

    # --- types ---------------------------------------------------------------------------

    def cell_type(self, text: str, line: int) -> TypeRef:
        parsed, understood = parse_type(text)
        if not understood:
            self.diags.append(diag(self.page.path, line, "DG008", f"unknown type {text.strip()!r}"))
        return parsed

    def from_shape(self, shape: Shape | None, hint: str, line: int, declared: TypeRef = UNKNOWN) -> TypeRef:
        """A type for what samples show; objects become anonymous schema drafts."""
        if shape is None or shape.kind == "null":
            return declared
        if shape.kind == "mixed":  # values of several kinds: any JSON value, not an object
            return declared if declared.kind != "unknown" else UNKNOWN
        if shape.kind in ("integer", "number", "boolean", "string"):
            fmt = {"integer": "int32", "number": "double"}.get(shape.kind, "")
            return primitive(shape.kind, fmt)
        if shape.kind == "date-time":
            return primitive("string", "date-time")
        if shape.kind == "array":
            item = declared.item if declared.kind == "array" and declared.item else UNKNOWN
            return array(self.from_shape(shape.item, singular(hint), line, item))
        # an object whose keys are data, not property names, is a dictionary: the table said
        # `object`, or its keys break the naming convention of every property on the page
        if shape.fields and (declared.kind in ("any", "map") or self.keys_are_data(shape)):
            value = NULL
            for _, field_shape in shape.fields:
                value = unite(value, field_shape)
            return mapping(self.from_shape(value, singular(hint), line))
        if not shape.fields:
            return declared if declared.kind != "unknown" else ANY
        key = self.anonymous(hint, line, [(n, s) for n, s in shape.fields])
        return ref(key)

    def keys_are_data(self, shape: Shape) -> bool:
        return any(name[:1].isalpha() and name[:1].isupper() != self.upper_names for name, _ in shape.fields)

    def anonymous(self, hint: str, line: int, fields: list[tuple[str, Shape]]) -> str:
        key = f"#{self.page.path}#{line}#{hint}#{len(self.schemas)}"
        properties = [
            Property(name, self.from_shape(s, pascal(name) or "Item", line), "", self.src(line))
            for name, s in fields
        ]
        self.schemas.append(
            SchemaDraft(key, False, hint, properties, "", self.src(line), self.order(), from_sample=True)
        )
        return key

    def order(self) -> tuple[int, str, int]:
        return (self.rank, self.page.path, len(self.schemas) + 1)

    def refine(
        self, declared: TypeRef, shape: Shape | None, hint: str, line: int, what: str, report: bool = True
    ) -> TypeRef:
        """Fill a blank or vague type from the sample, and say so. Unknown properties are reported
        after merging instead (`report=False`): another page may well tell their type."""
        if not vague(declared):
            return declared
        recovered = self.from_shape(shape, hint, line, declared)
        if recovered != declared and recovered.kind not in ("unknown", "any"):
            self.diags.append(diag(self.page.path, line, "DG010", f"{what}: type recovered from the sample"))
            return recovered
        if report and (declared.kind == "unknown" or (declared.kind == "array" and vague(declared))):
            self.diags.append(
                diag(self.page.path, line, "DG011", f"{what}: the page gives no type and no sample value")
            )
        return declared

    # --- tables --------------------------------------------------------------------------

    def table_schema(
        self, table: Table, key: str, named: bool, hint: str, shape: Shape | None, description: str = ""
    ) -> SchemaDraft:
        name_col = table.name_column()
        type_col = table.column("type")
        desc_col = table.column("description")
        properties: list[Property] = []
        for row in table.rows:
            name = row.cells[name_col].strip()
            if not name:
                continue
            declared = self.cell_type(row.cells[type_col], row.line) if type_col is not None else UNKNOWN
            field_shape = shape.field(name) if shape is not None and shape.kind == "object" else None
            prop_type = self.refine(
                declared, field_shape, pascal(name) or "Item", row.line, f"property {name!r}", report=False
            )
            text = row.cells[desc_col].strip() if desc_col is not None else ""
            properties.append(Property(name, prop_type, text, self.src(row.line)))
        draft = SchemaDraft(key, named, hint, properties, description, self.src(table.line), self.order())
        self.schemas.append(draft)
        return draft

    def path_parameters(self) -> list[Parameter]:
        page = self.page
        in_path = [m.strip() for m in _PATH_PARAM.findall(page.http_path)]
        documented = {p.name: p for p in self.table_parameters(page.path_params, "path")}
        result: list[Parameter] = []
        for name in in_path:
            if name in documented:
                result.append(documented[name])
                continue
            self.diags.append(
                diag(page.path, page.http_line, "DG020", f"path parameter {{{name}}} is not documented")
            )
            result.append(Parameter(name, "path", primitive("string"), True, "", self.src(page.http_line)))
        for name, param in documented.items():
            if name not in in_path:
                self.diags.append(diag(page.path, param.source.line, "DG020", f"{name!r} is not in the path"))
        return result

    def query_parameters(self) -> list[Parameter]:
        return self.table_parameters(self.page.query_params, "query")

    def table_parameters(self, table: Table | None, location: str) -> list[Parameter]:
        if table is None:
            return []
        type_col = table.column("type")
        desc_col = table.column("description")
        result: list[Parameter] = []
        seen: set[str] = set()
        for row in table.rows:
            name = row.cells[0].strip()
            if not name or name in seen:
                continue
            seen.add(name)
            declared = self.cell_type(row.cells[type_col], row.line) if type_col is not None else UNKNOWN
            text = row.cells[desc_col].strip() if desc_col is not None else ""
            required = location == "path" or bool(_REQUIRED.search(text))
            text = _REQUIRED.sub("", text).strip()
            if declared.kind == "unknown":
                declared = primitive("string")
            result.append(Parameter(name, location, declared, required, text, self.src(row.line)))
        return result

    def header_parameters(self) -> list[Parameter]:
        table = self.page.headers
        if table is None:
            return []
        result: list[Parameter] = []
        for row in table.rows:
            name = row.cells[0].strip()
            if not name or name.lower() in _TRANSPORT_HEADERS or " " in name:
                continue
            text = row.cells[1].strip() if len(row.cells) > 1 else ""
            result.append(Parameter(name, "header", primitive("string"), False, text, self.src(row.line)))
        return result

    def content_types(self, header: str) -> tuple[str, ...]:
        table = self.page.headers
        if table is not None:
            for row in table.rows:
                if row.cells[0].strip().lower() == header and len(row.cells) > 1:
                    found = tuple(_BACKTICKED.findall(row.cells[1]))
                    if found:
                        return found
        return ()

    # --- body and responses --------------------------------------------------------------

    def sample_shape(self, kind: str) -> Shape | None:
        sample = self.page.sample(kind)
        return shape_of(sample.body) if sample is not None and sample.has_json else None

    def body(self) -> BodyDraft | None:
        section = self.page.request_body
        if section is None:
            return None
        shape = self.sample_shape("request")
        content_types = self.content_types("content-type") or ("application/json",)
        line = section.line
        if section.table is not None and section.table.rows:
            if section.name.lower() == "request" or not section.name:
                key, named = self.name + "Request", True
            else:
                key, named = f"#{self.page.path}#{line}#body", False
            listed = shape is not None and shape.kind == "array"
            hint = singular(pascal(section.name)) if listed else self.name + "Request"
            item_shape = shape.item if listed and shape is not None else shape
            draft = self.table_schema(section.table, key, named, hint, item_shape, section.description)
            draft.candidates = (
                pascal(section.name),
                *(w for w in _WORD.findall(section.description) if w[:1].isupper()),
                *self.response_schema_names(),
            )
            # a JSON array in the sample request: the table describes one item of a list
            body_type = array(ref(draft.key)) if listed else ref(draft.key)
        else:
            declared = self.cell_type(section.type_text, line) if section.type_text else UNKNOWN
            if declared.kind == "unknown" and shape is None and _IDS.search(section.name):
                self.diags.append(diag(self.page.path, line, "DG022", f"request body {section.name!r}: a list of integer ids"))
                declared = array(primitive("integer", "int32"))
            body_type = self.refine(declared, shape, self.name + "Request", line, f"request body {section.name!r}")
        return BodyDraft(section.name, body_type, section.description, content_types, self.src(line))

    def response_schema_names(self) -> tuple[str, ...]:
        """The schema the page's response names: a saved entity is often the one returned."""
        section = self.page.response
        if section is None:
            return ()
        declared, _ = parse_type(section.body_type_text or section.type_text or "")
        return (declared.name,) if declared.kind == "ref" else ()

    def responses(self) -> list[ResponseDraft]:
        section = self.page.response
        if section is None:
            return [ResponseDraft("200", "OK", None, self.src(self.page.http_line))]
        codes = list(section.codes) or []
        success_type = self.success_type()
        texts = {c.description for c in codes}
        if section.body_table is not None and section.description and section.description not in texts:
            for draft in self.schemas:
                if draft.source.line == section.body_table.line:
                    draft.description = section.description
        result: list[ResponseDraft] = []
        if not any(_STATUS.match(c.status) for c in codes):
            return [ResponseDraft("200", section.description or "OK", success_type, self.src(section.line))]
        typed = False
        for code in codes:
            status = code.status
            if not _STATUS.match(status):
                self.diags.append(diag(self.page.path, code.line, "DG023", f"{status!r} is not an HTTP status code"))
                continue
            carries = status.startswith("2") and status != "204" and not typed
            typed = typed or carries
            result.append(ResponseDraft(status, code.description, success_type if carries else None, self.src(code.line)))
        return result

    def success_type(self) -> TypeRef | None:
        section = self.page.response
        assert section is not None
        spelled = section.body_type_text if section.body_type_text else section.type_text
        line = section.body_line or section.line
        shape = self.sample_shape("response")
        table = section.body_table
        if table is not None and table.rows:
            declared, _ = parse_type(spelled or "")
            if declared.kind == "ref":
                return ref(self.table_schema(table, declared.name, True, declared.name, shape).key)
            item_shape = shape.item if shape is not None and shape.kind == "array" else shape
            if declared.kind == "array":
                draft = self.table_schema(table, f"#{self.page.path}#{line}#items", False, self.name + "Item", item_shape)
                return array(ref(draft.key))
            draft = self.table_schema(table, f"#{self.page.path}#{line}#response", False, self.name + "Response", shape)
            return ref(draft.key)
        if not spelled:
            if shape is None:
                return None
            return self.refine(UNKNOWN, shape, self.name + "Response", line, "response body")
        declared = self.cell_type(spelled, line)
        return self.refine(declared, shape, self.name + "Response", line, "response body")
