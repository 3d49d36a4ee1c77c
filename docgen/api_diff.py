"""What changed between two versions of the reference, for someone whose code calls the client.

Both sides go through the same model the generator emits from, so a change shows up here exactly
when it would change the generated client: a removed operation or property, a retyped one, or a
new required argument breaks callers (major); an addition is a feature (minor); a changed text is
a fix (patch).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TypeVar

from docgen.model.api import Api, Operation, Parameter, Schema
from docgen.model.naming import snake
from docgen.model.types import TypeRef

N = TypeVar("N")
LEVELS = ("breaking", "feature", "fix")
_BUMP = {"breaking": "major", "feature": "minor", "fix": "patch"}


@dataclass(frozen=True)
class Change:
    level: str  # breaking | feature | fix
    kind: str  # added | removed | changed
    what: str  # operation | parameter | request body | response | schema | property | description
    subject: str  # where: an operation id, `Schema.Property`, ...
    detail: str


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]

    @property
    def bump(self) -> str:
        """The semantic-version bump the changes call for ("none" when nothing changed)."""
        return next((_BUMP[level] for level in LEVELS if any(c.level == level for c in self.changes)), "none")

    def count(self, level: str) -> int:
        return sum(1 for c in self.changes if c.level == level)


def compare(old: Api, new: Api) -> Report:
    changes: list[Change] = []
    old_ops = {op.id: op for op in old.operations}
    new_ops = {op.id: op for op in new.operations}
    for op_id in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[op_id]
        changes.append(Change("breaking", "removed", "operation", op_id, f"{op.method} {op.path}"))
    for op_id in sorted(new_ops.keys() - old_ops.keys()):
        op = new_ops[op_id]
        changes.append(Change("feature", "added", "operation", op_id, f"{op.method} {op.path}"))
    renamed = correspondence(old, new)
    for op_id in sorted(old_ops.keys() & new_ops.keys()):
        changes += _operation_changes(old_ops[op_id], new_ops[op_id], renamed)
    old_schemas = {s.name: s for s in old.schemas}
    new_schemas = {s.name: s for s in new.schemas}
    for before, after in sorted(renamed.items()):
        changes.append(Change("breaking", "changed", "schema", after, f"renamed from {before}"))
        changes += _schema_changes(old_schemas[before], new_schemas[after], renamed)
    for name in sorted(old_schemas.keys() - new_schemas.keys() - renamed.keys()):
        changes.append(Change("breaking", "removed", "schema", name, f"{len(old_schemas[name].properties)} properties"))
    for name in sorted(new_schemas.keys() - old_schemas.keys() - set(renamed.values())):
        changes.append(Change("feature", "added", "schema", name, f"{len(new_schemas[name].properties)} properties"))
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        changes += _schema_changes(old_schemas[name], new_schemas[name], renamed)
    order = {level: i for i, level in enumerate(LEVELS)}
    # two old schemas renamed into one report what they share once
    return Report(tuple(sorted(set(changes), key=lambda c: (order[c.level], c.what, c.subject, c.kind, c.detail))))


def correspondence(old: Api, new: Api) -> dict[str, str]:
    """Old schema name -> new name, for a schema that only its name changed: one that sits in
    the same place (the same operation's body or response, the same property of a matched
    schema), whose old name is gone and whose new name is new. Older pages name what they
    leave anonymous after the operation (`SaveChatSessionEntityRequest`); newer ones name it."""
    old_names = {s.name for s in old.schemas}
    new_names = {s.name for s in new.schemas}
    pairs: list[tuple[TypeRef, TypeRef]] = []
    new_ops = {op.id: op for op in new.operations}
    for op in old.operations:
        other = new_ops.get(op.id)
        if other is None:
            continue
        if op.request_body and other.request_body:
            pairs.append((op.request_body.type, other.request_body.type))
        if op.success and op.success.type and other.success and other.success.type:
            pairs.append((op.success.type, other.success.type))
    pairs += [(TypeRef("ref", n), TypeRef("ref", n)) for n in sorted(old_names & new_names)]
    todo = deque(pairs)
    mapping: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    while todo:
        a, b = todo.popleft()
        while a.item is not None and b.item is not None and a.kind == b.kind:
            a, b = a.item, b.item
        if a.kind != "ref" or b.kind != "ref" or (a.name, b.name) in seen:
            continue
        if a.name != b.name:
            if a.name in mapping or a.name in new_names or b.name in old_names:
                continue
            mapping[a.name] = b.name
        seen.add((a.name, b.name))
        before, after = old.schema(a.name), new.schema(b.name)
        if before is not None and after is not None:
            todo += [(p.type, q.type) for p in before.properties if (q := after.property(p.name)) is not None]
    return mapping


def _retyped(old: TypeRef, new: TypeRef) -> str:
    """"breaking", "feature" (a type nothing told is now known) or "" (the same)."""
    if old.describe() == new.describe():
        return ""
    return "feature" if old.kind in ("unknown", "any") else "breaking"


def _operation_changes(old: Operation, new: Operation, renamed: dict[str, str]) -> list[Change]:
    changes: list[Change] = []
    where = old.id
    if (old.method, old.path) != (new.method, new.path):
        changes.append(
            Change("breaking", "changed", "operation", where, f"moved from {old.method} {old.path} to {new.method} {new.path}")
        )
    changes += _parameter_changes(where, old.parameters, new.parameters)
    changes += _body_changes(where, old, new, renamed)
    old_ok, new_ok = old.success, new.success
    old_type = old_ok.type.renamed(renamed) if old_ok and old_ok.type else None
    new_type = new_ok.type if new_ok and new_ok.type else None
    if old_type is not None and new_type is not None:
        level = _retyped(old_type, new_type)
    else:  # something returned where nothing was is a feature; the reverse breaks callers
        level = "" if old_type is new_type else "feature" if old_type is None else "breaking"
    if level:
        changes.append(Change(level, "changed", "response", where, f"returns {_show(new_type)} (was {_show(old_type)})"))
    old_codes = {r.status for r in old.responses}
    new_codes = {r.status for r in new.responses}
    for status in sorted(new_codes - old_codes):
        changes.append(Change("fix", "added", "response", where, f"documents status {status}"))
    for status in sorted(old_codes - new_codes):
        changes.append(Change("fix", "removed", "response", where, f"no longer documents status {status}"))
    if (old.summary, old.description) != (new.summary, new.description):
        changes.append(Change("fix", "changed", "description", where, "summary or description text"))
    return changes


def _by_python_name(items: Iterable[N], key: Callable[[N], tuple[str, str]]) -> dict[tuple[str, str], N]:
    """Items by the name client code uses (`chatSessionEntityId` and `ChatSessionEntityId` are
    both `chat_session_entity_id`), so that a new spelling on the wire does not read as one
    thing removed and another added. Where two wire names share a Python name, by wire name."""
    items = list(items)
    by_snake = {(key(i)[0], snake(key(i)[1]) or key(i)[1]): i for i in items}
    return by_snake if len(by_snake) == len(items) else {key(i): i for i in items}


def _show(t: TypeRef | None) -> str:
    return "nothing" if t is None else t.describe()


def _parameter_changes(where: str, old: tuple[Parameter, ...], new: tuple[Parameter, ...]) -> list[Change]:
    changes: list[Change] = []
    old_by = _by_python_name(old, lambda p: (p.location, p.name))
    new_by = _by_python_name(new, lambda p: (p.location, p.name))
    for key in sorted(old_by.keys() - new_by.keys()):
        p = old_by[key]
        changes.append(Change("breaking", "removed", "parameter", where, f"{p.location} parameter {p.name!r}"))
    for key in sorted(new_by.keys() - old_by.keys()):
        p = new_by[key]
        level = "breaking" if p.required else "feature"
        required = "required" if p.required else "optional"
        changes.append(Change(level, "added", "parameter", where, f"{required} {p.location} parameter {p.name!r}"))
    for key in sorted(old_by.keys() & new_by.keys()):
        before, after = old_by[key], new_by[key]
        what = f"{after.location} parameter {after.name!r}"
        if before.name != after.name:
            detail = f"{what} was spelled {before.name!r}: the same argument, another wire name"
            changes.append(Change("fix", "changed", "parameter", where, detail))
        level = _retyped(before.type, after.type)
        if level:
            detail = f"{what} is {after.type.describe()} (was {before.type.describe()})"
            changes.append(Change(level, "changed", "parameter", where, detail))
        if before.required != after.required:
            level = "breaking" if after.required else "feature"
            now = "required" if after.required else "optional"
            changes.append(Change(level, "changed", "parameter", where, f"{what} is now {now}"))
    return changes


def _body_changes(where: str, old: Operation, new: Operation, renamed: dict[str, str]) -> list[Change]:
    before, after = old.request_body, new.request_body
    if before is None or after is None:
        body, kind = (after, "added") if before is None else (before, "removed")
        return [] if body is None else [Change("breaking", kind, "request body", where, f"{body.name!r}: {body.type.describe()}")]
    old_type = before.type.renamed(renamed)
    level = _retyped(old_type, after.type)
    if not level:
        return []
    return [Change(level, "changed", "request body", where, f"is {after.type.describe()} (was {old_type.describe()})")]


def _schema_changes(old: Schema, new: Schema, renamed: dict[str, str]) -> list[Change]:
    """`old` as `new` now names it; property types compared under the new names."""
    name = new.name
    if not new.described or not new.properties:
        if old.described and old.properties:
            detail = f"no page describes it any more ({len(old.properties)} properties were known)"
            return [Change("breaking", "changed", "schema", name, detail)]
        return []
    if not old.described or not old.properties:
        return [Change("feature", "changed", "schema", name, f"now described ({len(new.properties)} properties)")]
    changes: list[Change] = []
    old_props = _by_python_name(old.properties, lambda p: ("", p.name))
    new_props = _by_python_name(new.properties, lambda p: ("", p.name))
    for key in sorted(old_props.keys() - new_props.keys()):
        gone = old_props[key]
        changes.append(Change("breaking", "removed", "property", f"{name}.{gone.name}", gone.type.describe()))
    for key in sorted(new_props.keys() - old_props.keys()):
        added = new_props[key]
        changes.append(Change("feature", "added", "property", f"{name}.{added.name}", added.type.describe()))
    for key in sorted(old_props.keys() & new_props.keys()):
        before, after = old_props[key], new_props[key]
        prop = after.name
        if before.name != after.name:
            detail = f"was spelled {before.name!r}: the same attribute, another wire name"
            changes.append(Change("fix", "changed", "property", f"{name}.{prop}", detail))
        old_type = before.type.renamed(renamed)
        level = _retyped(old_type, after.type)
        if level:
            detail = f"is {after.type.describe()} (was {old_type.describe()})"
            changes.append(Change(level, "changed", "property", f"{name}.{prop}", detail))
        elif before.description != after.description:
            changes.append(Change("fix", "changed", "description", f"{name}.{prop}", "description text"))
    return changes


# --- rendering -----------------------------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def render_report(report: Report, style: str, max_bytes: int = 60_000) -> str:
    """The report as text, JSON, or Markdown for a pull-request comment: a summary table, the
    breaking changes first, then as many of the others as fit in `max_bytes` (GitHub refuses a
    comment over 65,536 characters), saying how many were left out."""
    if style == "json":
        return json.dumps(
            {
                "bump": report.bump,
                "counts": {level: report.count(level) for level in LEVELS},
                "changes": [asdict(c) for c in report.changes],
            },
            indent=1,
        )
    headline = (
        f"{_plural(len(report.changes), 'change', 'changes')}: {report.count('breaking')} breaking, "
        f"{_plural(report.count('feature'), 'feature', 'features')}, {_plural(report.count('fix'), 'fix', 'fixes')}; "
        f"suggested version bump: {report.bump}"
    )
    if style == "markdown":
        return _markdown(report, headline, max_bytes)
    width = max((len(f"{c.kind} {c.what}") for c in report.changes), default=0)
    body = [f"{c.level:<8}  {f'{c.kind} {c.what}':<{width}}  {c.subject}: {c.detail}" for c in report.changes]
    return "\n".join([*body, headline])


def _markdown(report: Report, headline: str, max_bytes: int) -> str:
    head = [f"### API changes: suggested **{report.bump}** version bump", "", headline, ""]
    head += ["| Impact | Changes |", "|---|---:|", *(f"| {level} | {report.count(level)} |" for level in LEVELS), ""]
    if not report.changes:
        return "\n".join(head)
    ordered = sorted(report.changes, key=lambda c: LEVELS.index(c.level) if c.level in LEVELS else len(LEVELS))
    rows = ["| Impact | Change | Where | Detail |", "|---|---|---|---|"]
    budget = max_bytes - len("\n".join(head).encode("utf-8")) - 200  # room for the closing line
    used = sum(len(r.encode("utf-8")) + 1 for r in rows)
    shown = 0
    for c in ordered:
        row = f"| {c.level} | {c.kind} {c.what} | `{_cell(c.subject)}` | {_cell(c.detail)} |"
        size = len(row.encode("utf-8")) + 1
        if used + size > budget:
            break
        rows.append(row)
        used += size
        shown += 1
    lines = head + rows
    if shown < len(ordered):
        lines += [
            "",
            f"... and {_plural(len(ordered) - shown, 'more change', 'more changes')} not shown (the comment's size limit); `docgen diff --format json` lists them all.",
        ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Markdown table cell text: pipes and line breaks would end the cell or the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("\n", " ")
