"""PageDoc -> OperationDraft: read one SuperOffice page's tables and samples into model terms."""

from __future__ import annotations

import re
from dataclasses import replace

from docgen.diagnostics import Diagnostic, diag
from docgen.dialects.superoffice import naming
from docgen.dialects.superoffice.page import PageDoc
from docgen.dialects.superoffice.page_tables import PageTable, request_table, response_table
from docgen.dialects.superoffice.types import parse_type
from docgen.model.api import Parameter, Source, example_text
from docgen.model.drafts import TYPE_WORDS, BodyDraft, OperationDraft, PropertyDraft, ResponseDraft, SchemaDraft
from docgen.model.naming import pascal, singular
from docgen.model.routes import placeholders, query_examples
from docgen.model.types import ANY, UNKNOWN, TypeRef, array, mapping, primitive, ref, vague
from docgen.parse.page import Table
from docgen.parse.samples import NULL, Shape, shape_of, unite

_REQUIRED = re.compile(r"\*\*\s*required\s*\*\*", re.IGNORECASE)
_BACKTICKED = re.compile(r"`([^`]+)`")
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")
# a type name in prose: one word with an inner capital (WindowPosSize, ConfigurableScreenDelta)
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_INTEGER = re.compile(r"^-?\d+$")


def property_case(page: PageDoc) -> bool:
    """Do the page's property names start upper-case (PascalCase) rather than lower-case?"""
    tables = [page.request_body.table if page.request_body else None, page.response.body_table if page.response else None]
    names = [row.cells[0] for t in tables if t is not None for row in t.rows if row.cells and row.cells[0][:1].isalpha()]
    upper = sum(1 for n in names if n[:1].isupper())
    return upper * 2 >= len(names)


def numbered_keys(names: list[str]) -> bool:
    """`ConnectionData1`, `ConnectionData2`: one word and a running number, the keys of a map."""
    if len(names) < 2:
        return False
    stems = {m.group(1) if (m := _NUMBERED.match(n)) else None for n in names}
    return len(stems) == 1 and None not in stems


class PageReader:
    """Turns one page into an OperationDraft plus the schema drafts it describes."""

    def __init__(self, page: PageDoc) -> None:
        self.page = page
        self.rank = naming.rank(page)
        self.diags: list[Diagnostic] = []
        self.schemas: list[SchemaDraft] = []
        self.observed: list[SchemaDraft] = []  # drafts of samples under declared schemas
        self.name = naming.operation_name(page.uid)
        self.group = naming.group_of(page.http_path)
        self.upper_names = property_case(page)
        self.context = tuple(dict.fromkeys(TYPE_WORDS.findall(f"{page.summary} {page.description}")))

    def src(self, line: int) -> Source:
        return Source(self.page.path, line)

    def read(self) -> tuple[OperationDraft, list[Diagnostic]]:
        page = self.page
        parameters = self.path_parameters() + self.query_parameters() + self.header_parameters()
        body = self.body()
        responses = self.responses()
        draft = OperationDraft(
            id=page.uid,
            name=self.name,
            method=page.method,
            path=page.http_path,
            group=self.group,
            summary=page.summary,
            description=page.description,
            parameters=tuple(parameters),
            body=body,
            responses=tuple(responses),
            source=self.src(page.uid_line),
            rank=(self.rank, page.path, 0),
            schemas=tuple(self.schemas),
            observed=tuple(self.observed),
            accept=self.content_types("accept"),
        )
        return draft, self.diags

    # --- types ---------------------------------------------------------------------------

    def cell_type(self, text: str, line: int) -> TypeRef:
        parsed, understood = parse_type(text)
        if not understood:
            self.diags.append(diag(self.page.path, line, "DG008", f"unknown type {text.strip()!r}"))
        return parsed

    def from_shape(
        self, shape: Shape | None, hint: str, line: int, declared: TypeRef = UNKNOWN, observed: bool = False
    ) -> TypeRef:
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
            return array(self.from_shape(shape.item, singular(hint), line, item, observed))
        # an object whose keys are data, not property names, is a dictionary: the table said
        # `object`, or its keys break the naming convention of every property on the page
        if shape.fields and (declared.kind in ("any", "map") or self.keys_are_data(shape)):
            value = NULL
            for _, field_shape in shape.fields:
                value = unite(value, field_shape)
            return mapping(self.from_shape(value, singular(hint), line, observed=observed))
        if not shape.fields:
            return declared if declared.kind != "unknown" else ANY
        return ref(self.anonymous(hint, line, list(shape.fields), observed))

    def keys_are_data(self, shape: Shape) -> bool:
        names = [name for name, _ in shape.fields]
        if numbered_keys(names):
            return True
        return any(name[:1].isalpha() and name[:1].isupper() != self.upper_names for name in names)

    def anonymous(self, hint: str, line: int, fields: list[tuple[str, Shape]], observed: bool = False) -> str:
        into = self.observed if observed else self.schemas
        key = f"#{self.page.path}#{hint}#{len(self.schemas)}#{len(self.observed)}"  # not the line: it moves
        properties = tuple(
            PropertyDraft(name, self.from_shape(s, pascal(name) or "Item", line, observed=observed), "", self.src(line))
            for name, s in fields
        )
        into.append(self.schema_draft(key, "", hint, properties, "", line, "sample", from_sample=True))
        return key

    def schema_draft(
        self,
        key: str,
        name: str,
        hint: str,
        properties: tuple[PropertyDraft, ...],
        description: str,
        line: int,
        role: str,
        from_sample: bool = False,
    ) -> SchemaDraft:
        order = (self.rank, self.page.path, len(self.schemas) + len(self.observed) + 1)
        return SchemaDraft(
            key, name, hint, properties, description, self.src(line), order, self.page.uid, self.group, role,
            self.context, from_sample,
        )  # fmt: skip

    def refine(
        self, declared: TypeRef, shape: Shape | None, hint: str, line: int, what: str, report: bool = True
    ) -> TypeRef:
        """Fill a blank or vague type from the sample, and say so. Unknown properties are reported
        after merging instead (`report=False`): another page may well tell their type."""
        if declared.kind == "primitive" and declared.name == "string" and not declared.format:
            if shape is not None and shape.kind == "date-time":
                self.diags.append(diag(self.page.path, line, "DG029", f"{what}: every sample value is an ISO 8601 timestamp"))
                self.diags.append(diag(self.page.path, line, "DL012", f"{what} is declared a string; its sample is an ISO 8601 timestamp"))
                return primitive("string", "date-time")
            return declared
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

    def observe(self, declared: TypeRef, shape: Shape | None, hint: str, line: int) -> TypeRef | None:
        """What a sample object alone shows under a property whose table names a schema: kept
        aside, for the build to compare with what the pages say of that schema."""
        target = declared.item if declared.kind == "array" and declared.item else declared
        inner = shape.item if shape is not None and shape.kind == "array" and declared.kind == "array" else shape
        if target.kind != "ref" or inner is None or inner.kind != "object" or not inner.fields:
            return None
        seen = self.from_shape(inner, hint, line, observed=True)
        return array(seen) if declared.kind == "array" else seen

    # --- tables --------------------------------------------------------------------------

    def table_schema(
        self, found: PageTable, hint: str, shape: Shape | None, description: str = "", says: str = ""
    ) -> SchemaDraft:
        table = found.table
        name_col = table.name_column()
        type_col = table.column("type")
        desc_col = table.column("description")
        properties: list[PropertyDraft] = []
        for row in table.rows:
            name = row.cells[name_col].strip()
            if not name:
                continue
            spelled = row.cells[type_col] if type_col is not None else ""
            declared = self.cell_type(spelled, row.line) if type_col is not None else UNKNOWN
            field_shape = shape.field(name) if shape is not None and shape.kind == "object" else None
            prop_hint = pascal(name) or "Item"
            prop_type = self.refine(declared, field_shape, prop_hint, row.line, f"property {name!r}", report=False)
            observed = self.observe(prop_type, field_shape, prop_hint, row.line)
            text = row.cells[desc_col].strip() if desc_col is not None else ""
            properties.append(PropertyDraft(name, prop_type, text, self.src(row.line), observed, spelled.strip()))
        key = f"#{self.page.path}#{found.role}"  # one table a role on a page
        draft = self.schema_draft(key, found.name, hint, tuple(properties), description, table.line, found.role)
        if says:
            draft = replace(draft, says=tuple(dict.fromkeys(TYPE_WORDS.findall(says))))
        self.schemas.append(draft)
        return draft

    def path_parameters(self) -> list[Parameter]:
        page = self.page
        in_path = placeholders(page.http_path)
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
        params = self.table_parameters(self.page.query_params, "query")
        examples = query_examples(self.page.examples, self.page.http_path) if self.page.examples else {}
        return [self.array_items(p, examples.get(p.name, [])) for p in params]

    def array_items(self, param: Parameter, examples: list[str]) -> Parameter:
        """An array parameter whose item type the table leaves out, read from the page's example
        URLs: `?ids=762,602` holds integers, `?types=None,Message` strings."""
        if param.type.kind != "array" or not vague(param.type) or not examples:
            return param
        values = [v for example in examples for v in example.split(",") if v.strip()]
        if not values:
            return param
        item = primitive("integer", "int32") if all(_INTEGER.match(v.strip()) for v in values) else primitive("string")
        self.diags.append(
            diag(self.page.path, param.source.line, "DG030", f"query parameter {param.name!r}: items read from the example URL")
        )
        return Parameter(param.name, param.location, array(item), param.required, param.description, param.source)

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
            if any(ch.isspace() for ch in name):
                self.diags.append(diag(self.page.path, row.line, "DG031", f"{location} parameter {name[:40]!r}… is not a name; left out"))
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
            if not name or naming.transport_header(name) or " " in name:
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
        found = request_table(self.page)
        if found is not None:
            hint = self.name + "Request"
            if found.listed and not naming.anonymous_body(section.name):
                hint = singular(pascal(section.name))
            item_shape = shape.item if found.listed and shape is not None else shape
            draft = self.table_schema(found, hint, item_shape, section.description, says=section.description)
            # a JSON array in the sample request: the table describes one item of a list
            body_type = array(ref(draft.key)) if found.listed else ref(draft.key)
        else:
            declared = self.cell_type(section.type_text, line) if section.type_text else UNKNOWN
            if declared.kind == "unknown" and shape is None and naming.list_of_ids(section.name):
                self.diags.append(diag(self.page.path, line, "DG022", f"request body {section.name!r}: a list of integer ids"))
                declared = array(primitive("integer", "int32"))
            elif declared.kind == "unknown" and shape is None and naming.stream_body(section.name, section.description):
                self.diags.append(diag(self.page.path, line, "DG022", f"request body {section.name!r}: a stream, sent as bytes"))
                declared = primitive("string", "binary")
            body_type = self.refine(declared, shape, self.name + "Request", line, f"request body {section.name!r}")
            if body_type.kind == "unknown" and not section.type_text and shape is None:
                self.diags.append(diag(self.page.path, line, "DL013", f"request body {section.name!r} has no type, no table and no sample"))
        sample = self.page.sample("request")
        example = example_text(sample.body) if sample is not None and sample.has_json else ""
        return BodyDraft(section.name, body_type, section.description, content_types, self.src(line), example)

    def responses(self) -> list[ResponseDraft]:
        section = self.page.response
        if section is None:
            return [ResponseDraft("200", "OK", None, self.src(self.page.http_line))]
        codes = list(section.codes) or []
        texts = {c.description for c in codes}
        own_description = section.description if section.description and section.description not in texts else ""
        success_type = self.success_type(own_description)
        if not any(_STATUS.match(c.status) for c in codes):
            example = self.response_example() if success_type is not None else ""
            return [ResponseDraft("200", section.description or "OK", success_type, self.src(section.line), example)]
        result: list[ResponseDraft] = []
        typed = False
        for code in codes:
            status = code.status
            if not _STATUS.match(status):
                self.diags.append(diag(self.page.path, code.line, "DG023", f"{status!r} is not an HTTP status code"))
                continue
            carries = status.startswith("2") and status != "204" and not typed
            typed = typed or carries
            example = self.response_example() if carries and success_type is not None else ""
            result.append(ResponseDraft(status, code.description, success_type if carries else None, self.src(code.line), example))
        return result

    def response_example(self) -> str:
        sample = self.page.sample("response")
        return example_text(sample.body) if sample is not None and sample.has_json else ""

    def success_type(self, description: str) -> TypeRef | None:
        section = self.page.response
        assert section is not None
        spelled = section.body_type_text if section.body_type_text else section.type_text
        line = section.body_line or section.line
        shape = self.sample_shape("response")
        found = response_table(self.page)
        if found is not None:
            if found.name:
                return ref(self.table_schema(found, self.name + "Response", shape, description).key)
            item_shape = shape.item if shape is not None and shape.kind == "array" else shape
            if found.listed:
                return array(ref(self.table_schema(found, self.name + "Item", item_shape, description).key))
            return ref(self.table_schema(found, self.name + "Response", shape, description).key)
        if not spelled:
            if shape is None:
                return None
            return self.refine(UNKNOWN, shape, self.name + "Response", line, "response body")
        declared = self.cell_type(spelled, line)
        return self.refine(declared, shape, self.name + "Response", line, "response body")
