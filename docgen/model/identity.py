"""Which drafts describe one schema, and what it is called. Decided once, for every draft.

A name a page gives is evidence, not proof: one rendering of the reference wrote a placeholder
name (`TableRight`, `RecurrenceInfo`) above tables of unrelated schemas. So the tables a name is
given to are grouped by what they hold (their property names, weighted by how rare each name is
in the reference: `TableRight` and `FieldProperties` sit on almost every carrier and say little),
and a name whose tables fall into groups with nothing in common is kept only by the group its
own pages tie to it; the others are named from their pages.

An unnamed table (a body, a list item) is the named schema with exactly its properties, or
with those less a set of properties the pages' request tables are seen to leave out of several
schemas. A sample object is the schema with its keys; otherwise the first sample object with
the same keys. Made-up names that two groups would share are qualified with the group.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from docgen.diagnostics import Diagnostic, diag
from docgen.model.api import Source
from docgen.model.drafts import TYPE_WORDS, OperationDraft, PropertyDraft, SchemaDraft
from docgen.model.naming import ascii_words, pascal
from docgen.model.types import TypeRef

SIMILAR = 0.5  # weighted share of the smaller table's properties two tables of one schema hold
_SYSTEMATIC = 3  # a set of properties left out of this many schemas' tables is the pages' habit


@dataclass(frozen=True)
class Cluster:
    name: str  # the name the pages give
    drafts: tuple[SchemaDraft, ...]

    @property
    def properties(self) -> frozenset[str]:
        return frozenset(p for d in self.drafts for p in d.property_names)

    @property
    def first(self) -> SchemaDraft:
        return min(self.drafts, key=lambda d: d.rank)


@dataclass(frozen=True)
class Note:
    """A diagnostic the resolver makes, placed by draft key (and property) rather than by line,
    so that it can be placed again when only a page's lines have moved."""

    code: str
    at: tuple[str, str]  # (draft key, property name or "")
    message: str  # "{other}" stands for the location of `other`
    other: tuple[str, str] = ("", "")


def note_sources(drafts: Iterable[SchemaDraft], notes: Iterable[Note]) -> dict[tuple[str, str], Source]:
    """Where each place a note names is on its page now."""
    wanted = {place for note in notes for place in (note.at, note.other) if place[0]}
    found: dict[tuple[str, str], Source] = {}
    for d in drafts:
        if (d.key, "") in wanted:
            found[(d.key, "")] = d.source
        for p in d.properties:
            if (d.key, p.name) in wanted:
                found[(d.key, p.name)] = p.source
    return found


def render_notes(notes: Iterable[Note], sources: dict[tuple[str, str], Source]) -> list[Diagnostic]:
    found = []
    for note in notes:
        at = sources[note.at]
        message = note.message.replace("{other}", str(sources[note.other])) if note.other[0] else note.message
        found.append(diag(at.path, at.line, note.code, message))
    return found


@dataclass
class Names:
    """key (and page-given name) -> final name, with the set of names made up by docgen."""

    final: dict[str, str] = field(default_factory=dict)
    made_up: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)


def weights(drafts: Iterable[SchemaDraft]) -> dict[str, float]:
    """Smoothed inverse frequency of each property name over the distinct tables."""
    distinct = {(d.name, d.property_names) for d in drafts}
    frequency = Counter(p for _, names in distinct for p in names)
    total = max(len(distinct), 1)
    return {p: math.log(1 + total / n) for p, n in frequency.items()}


def similarity(a: frozenset[str], b: frozenset[str], w: dict[str, float]) -> float:
    """Weighted overlap: what the two share, as a share of the smaller one."""
    smaller = min(sum(w.get(p, 1.0) for p in a), sum(w.get(p, 1.0) for p in b))
    if smaller <= 0:
        return 1.0
    return sum(w.get(p, 1.0) for p in a & b) / smaller


def clusters_of(drafts: list[SchemaDraft], w: dict[str, float]) -> list[Cluster]:
    """Tables of one name, grouped: two tables are one schema when they are similar, directly or
    through a third. A table without properties joins the biggest group."""
    with_props = [d for d in drafts if d.properties]
    parent = list(range(len(with_props)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    distinct: dict[frozenset[str], int] = {}
    for i, d in enumerate(with_props):
        distinct.setdefault(d.property_names, i)
        parent[i] = root(distinct[d.property_names])
    leaders = sorted(set(distinct.values()))
    for x, i in enumerate(leaders):
        for j in leaders[x + 1 :]:
            if root(i) != root(j) and similarity(with_props[i].property_names, with_props[j].property_names, w) >= SIMILAR:
                parent[root(j)] = root(i)
    groups: dict[int, list[SchemaDraft]] = defaultdict(list)
    for i, d in enumerate(with_props):
        groups[root(i)].append(d)
    clusters = sorted((Cluster(drafts[0].name, tuple(g)) for g in groups.values()), key=lambda c: c.first.rank)
    empty = tuple(d for d in drafts if not d.properties)
    if not clusters:
        return [Cluster(drafts[0].name, empty)]
    if empty:
        biggest = max(range(len(clusters)), key=lambda i: (len(clusters[i].drafts), -i))
        clusters[biggest] = Cluster(clusters[biggest].name, clusters[biggest].drafts + empty)
    return clusters


def _contains_words(text: str, name: str) -> bool:
    words, wanted = ascii_words(text), ascii_words(name)
    n = len(wanted)
    return n > 0 and any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


class Resolver:
    """Decides every draft's schema name. `qualifier`: a group -> the prefix that tells apart
    made-up names two groups would share; `schemas`: drafts pages give outside any operation;
    `links`: alias -> the schema name a link stands for (model.build.link_names)."""

    def __init__(
        self,
        operations: list[OperationDraft],
        qualifier: Callable[[str], str],
        schemas: Iterable[SchemaDraft] = (),
        links: dict[str, str] | None = None,
    ) -> None:
        self.operations = operations
        self.qualifier = qualifier
        self.links = links or {}
        self.drafts = sorted([*(s for op in operations for s in op.schemas), *schemas], key=lambda s: s.rank)
        self.observed = {s.key: s for op in operations for s in op.observed}
        self.op_names = {op.id: op.name for op in operations}
        self.names = Names()
        self.notes: list[Note] = []
        self.ambiguous: set[str] = set()
        self.retyped: dict[tuple[str, str], TypeRef] = {}
        tables = [d for d in self.drafts if d.named]
        self.weights = weights(tables)
        self.names.taken = {d.name for d in tables} | {n for d in self.drafts for n in _declared(d.properties)} | set(self.links.values())
        by_name: dict[str, list[SchemaDraft]] = defaultdict(list)
        for d in tables:
            by_name[d.name].append(d)
        self.clusters = {name: clusters_of(ds, self.weights) for name, ds in by_name.items()}

    # --- named tables --------------------------------------------------------------------

    def name_tables(self) -> None:
        for name in sorted(self.clusters):
            groups = self.clusters[name]
            if len(groups) == 1 or any(d.declares for g in groups for d in g.drafts):
                self._assign([d for g in groups for d in g.drafts], self.links.get(name, name))
                continue
            self.ambiguous.add(name)
            keeper = self._owner(name, groups)
            for index, group in enumerate(groups):
                if index == keeper:
                    self._assign(group.drafts, name)
                    continue
                new = self._name_from_pages(group, name)
                self._assign(group.drafts, new)
                other = groups[keeper] if keeper is not None else groups[0 if index else 1]
                first, theirs = group.first, other.first
                self.notes.append(
                    Note(
                        "DG027",
                        (first.key, ""),
                        f"this table is called {name}, but shares no properties with the {name} at {{other}}; "
                        f"named {new} after its page",
                        (theirs.key, ""),
                    )
                )
                for d in group.drafts:
                    self.notes.append(
                        Note(
                            "DL011",
                            (d.key, ""),
                            f"the page calls this table {name}, a name {len(groups) - 1} other groups of tables "
                            f"also carry (e.g. {{other}}): a placeholder name; it is {new} here",
                            (theirs.key, ""),
                        )
                    )
            if keeper is None:
                self.names.final.setdefault(name, name)
        for alias, name in sorted(self.links.items()):
            self.names.final[alias] = self.names.final.get(name, name)

    def _owner(self, name: str, groups: list[Cluster]) -> int | None:
        """The group its own pages tie to the name: an operation named for it, prose that names
        it, or a sample under a property declared with it that has the group's properties."""
        votes = [0] * len(groups)
        for index, group in enumerate(groups):
            for d in group.drafts:
                if _contains_words(self.op_names.get(d.operation, ""), name) or name in d.context:
                    votes[index] += 1
        for seen in self._samples_under.get(name, ()):
            for index, group in enumerate(groups):
                if similarity(seen, group.properties, self.weights) >= SIMILAR:
                    votes[index] += 1
        best = max(votes)
        if best == 0 or votes.count(best) > 1:
            return None
        return votes.index(best)

    @cached_property
    def _samples_under(self) -> dict[str, list[frozenset[str]]]:
        """Declared name -> the key sets of sample objects under properties declared with it."""
        found: dict[str, list[frozenset[str]]] = defaultdict(list)
        for d in self.drafts:
            for p in d.properties:
                refs = p.type.refs()
                seen = self._observed_names(p) if len(refs) == 1 else frozenset()
                if seen:
                    found[refs[0]].append(seen)
        return found

    def _name_from_pages(self, group: Cluster, placeholder: str) -> str:
        """A type name the group's pages use in their prose, else one made from its operation."""
        said = Counter(word for d in group.drafts for word in d.context if word != placeholder)
        for word, _ in sorted(said.items(), key=lambda item: (-item[1], item[0])):
            if word in self.clusters and len(self.clusters[word]) == 1:
                if similarity(self.clusters[word][0].properties, group.properties, self.weights) >= SIMILAR:
                    return word  # the schema the prose names: the same properties
                continue
            if word not in self.names.taken:
                self.names.taken.add(word)
                self.names.made_up.add(word)
                return word
        return self._fresh(pascal(group.first.hint) or "Model")

    def _assign(self, drafts: Iterable[SchemaDraft], name: str) -> None:
        for d in drafts:
            self.names.final[d.key] = name

    # --- unnamed drafts ------------------------------------------------------------------

    def name_unnamed(self, drafts: list[SchemaDraft]) -> None:
        by_props = self._named_by_props()
        habits = self._omissions(drafts, by_props)
        rest: list[SchemaDraft] = []
        for d in drafts:
            props = d.property_names
            match = by_props.get(props) if props and not d.standalone else None
            if match is None and props and not d.standalone:
                match = self._with_habit(props, by_props, habits) or self._said(d) or self._hinted(d)
            if match is not None:
                self.names.final[d.key] = match
            else:
                rest.append(d)
        groups = self._groups(rest, habits)
        wanted = Counter(_base(members) for members, said in groups if not said)
        for members, said in groups:
            base = _base(members)
            name = said or self._fresh(base, qualify=wanted[base] > 1 or base in self.names.taken, group=members[0].group)
            for m in members:
                self.names.final[m.key] = name

    def _groups(self, drafts: list[SchemaDraft], habits: set[frozenset[str]]) -> list[tuple[list[SchemaDraft], str]]:
        """Unnamed drafts that are one schema, each group with the name its prose gives ("" for
        none). Sample objects with the same keys are one. Tables are one when they are the same
        table under the same made-up name (a body parameter `contactPersonIds` on two pages);
        the same table under two made-up names only where their prose names them alike (never
        another operation's `<Op>Request`); and a request table is its own operation's response
        table when it lacks only what the pages habitually leave out."""
        by_key: dict[tuple[str, object], list[SchemaDraft]] = {}
        for d in drafts:
            props = d.property_names
            kind = "alone" if not props else "sample" if d.from_sample else "table"
            same: object = d.key if kind == "alone" else props if kind == "sample" else (d.hint, _spelled(d))
            by_key.setdefault((kind, same), []).append(d)
        tables = [g for (kind, _), g in by_key.items() if kind == "table"]
        parent = list(range(len(tables)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        def join(i: int, j: int) -> None:
            if root(i) != root(j):
                parent[max(root(i), root(j))] = min(root(i), root(j))

        by_op: dict[str, list[int]] = defaultdict(list)
        by_table: dict[frozenset[tuple[str, str]], list[int]] = defaultdict(list)
        for i, g in enumerate(tables):
            by_table[_spelled(g[0])].append(i)
            for op in {d.operation for d in g}:
                by_op[op].append(i)
        for op in sorted(by_op):
            for i in by_op[op]:
                for j in by_op[op]:
                    pi, pj = tables[i][0].property_names, tables[j][0].property_names
                    if pi < pj and pj - pi in habits and not tables[i][0].standalone and not tables[j][0].standalone:
                        join(i, j)
        for same in by_table.values():
            if len(same) > 1 and self._common_word([d for i in same for d in tables[i]]):
                for i in same[1:]:
                    join(same[0], i)
        merged: dict[int, list[SchemaDraft]] = defaultdict(list)
        for i, g in enumerate(tables):
            merged[root(i)].extend(g)
        by_props: dict[frozenset[str], list[list[SchemaDraft]]] = defaultdict(list)
        for members in merged.values():
            by_props[members[0].property_names].append(members)
        result: list[tuple[list[SchemaDraft], str]] = []
        for (kind, _), g in by_key.items():
            if kind == "sample" and len(by_props.get(g[0].property_names, ())) == 1:
                by_props[g[0].property_names][0].extend(g)  # a sample of an unnamed table
            elif kind != "table":
                result.append((g, ""))
        for members in merged.values():
            members.sort(key=lambda d: d.rank)
            result.append((members, self._prose_name(members)))
        return sorted(result, key=lambda item: min(d.rank for d in item[0]))

    def _common_word(self, members: list[SchemaDraft]) -> str:
        """A type name the prose of every member mentions, not a property of theirs nor a name
        taken; the longest if several."""
        mentioned = [set(TYPE_WORDS.findall(" ".join([d.description, *(p.description for p in d.properties)]))) for d in members]
        common = set.intersection(*mentioned) - self.names.taken - members[0].property_names
        return sorted(common, key=lambda w: (-len(w), w))[0] if common else ""

    def _prose_name(self, members: list[SchemaDraft]) -> str:
        """The name for a group of tables under several made-up names (`The child items of
        the SelectableMDOListItem`); "" for a group of one name, or prose that agrees on none."""
        if len({d.hint for d in members if not d.from_sample}) < 2:
            return ""
        word = self._common_word(members)
        if word:
            self.names.taken.add(word)
            self.names.made_up.add(word)
        return word

    def _named_by_props(self) -> dict[frozenset[str], str]:
        found: dict[frozenset[str], str] = {}
        for name in sorted(self.clusters, reverse=True):  # the smallest name wins
            for group in self.clusters[name]:
                final = self.names.final[group.drafts[0].key]
                found[group.properties] = final
        return found

    def _omissions(self, drafts: list[SchemaDraft], by_props: dict[frozenset[str], str]) -> set[frozenset[str]]:
        """Sets of properties that unnamed tables leave out of several named schemas."""
        index: dict[str, list[frozenset[str]]] = defaultdict(list)
        for props in by_props:
            for p in props:
                index[p].append(props)
        seen: dict[frozenset[str], set[str]] = defaultdict(set)
        for d in drafts:
            props = d.property_names
            if d.from_sample or not props or d.standalone:
                continue
            rarest = min(props, key=lambda p: len(index.get(p, ())))
            for candidate in index.get(rarest, ()):
                if props < candidate:
                    seen[candidate - props].add(by_props[candidate])
        return {missing for missing, schemas in seen.items() if len(schemas) >= _SYSTEMATIC}

    @staticmethod
    def _with_habit(props: frozenset[str], by_props: dict[frozenset[str], str], habits: set[frozenset[str]]) -> str | None:
        found = sorted(by_props[props | missing] for missing in habits if props | missing in by_props and not missing & props)
        return found[0] if found else None

    def _said(self, d: SchemaDraft) -> str | None:
        """The schema the section's prose names ("The ThingEntity to save"), if it has every
        property the table lists."""
        for word in d.says:
            for group in self.clusters.get(word, ()):
                if self.names.final.get(group.drafts[0].key) == word and d.property_names <= group.properties:
                    return word
        return None

    def _hinted(self, d: SchemaDraft) -> str | None:
        """A sample object under a property named for a schema (`SyncUserAccounts: [{...}]`)
        whose keys agree with that schema's properties is that schema, though it has a key more
        or less than the table (samples and tables of one release do not always agree)."""
        groups = self.clusters.get(pascal(d.hint), [])
        if not d.from_sample or len(groups) != 1 or self.names.final.get(groups[0].drafts[0].key) != groups[0].name:
            return None
        return groups[0].name if similarity(d.property_names, groups[0].properties, self.weights) >= SIMILAR else None

    def _fresh(self, base: str, qualify: bool = False, group: str = "") -> str:
        """A name no page gives and no other draft has taken; qualified with the group when
        several schemas would take the same one (or a page's name has it)."""
        start = self.qualifier(group) + base if qualify and group else base
        name, n = start, 2
        while name in self.names.taken:
            name, n = f"{start}{n}", n + 1
        self.names.taken.add(name)
        self.names.made_up.add(name)
        return name

    # --- types the rest of the reference corrects ----------------------------------------

    def _observed_names(self, p: PropertyDraft) -> frozenset[str]:
        if p.observed is None:
            return frozenset()
        keys = p.observed.refs()
        if keys and keys[0] in self.observed:
            return self.observed[keys[0]].property_names
        return frozenset()

    def correct_types(self, known: dict[str, frozenset[str]]) -> list[SchemaDraft]:
        """Retype properties the reference contradicts; returns the sample drafts now used."""
        consensus = self._consensus()
        used: list[SchemaDraft] = []
        for d in self.drafts:
            for p in d.properties:
                declared = p.type.refs()
                if len(declared) != 1 or declared[0].startswith("#"):
                    continue
                final = self.names.final.get(declared[0], declared[0])
                seen = self._observed_names(p)
                if p.observed is not None and known.get(final) and self._contradicts(p, known[final], seen):
                    self.retyped[(d.key, p.name)] = p.observed
                    used += self._reachable(p.observed)
                    what = "its sample's keys" if seen else "its sample, a map"
                    at = (d.key, p.name)
                    self.notes.append(
                        Note("DG028", at, f"{p.name} is declared {declared[0]}, whose properties {what} contradict; the sample's shape is used")
                    )
                    self.notes.append(Note("DL014", at, f"{p.name} is declared {declared[0]}, but its sample shares no property with {declared[0]}"))
                    continue
                if declared[0] in self.ambiguous and p.name in consensus:
                    better, count, against = consensus[p.name]
                    if better != declared[0] and count > against.get(declared[0], 0):
                        self.retyped[(d.key, p.name)] = p.type.renamed({declared[0]: better})
                        self.notes.append(
                            Note(
                                "DG028",
                                (d.key, p.name),
                                f"{p.name} is declared {declared[0]}, a name the pages give to unrelated tables; "
                                f"{count} rows of the reference declare {p.name} as {better}",
                            )
                        )
        return used

    @staticmethod
    def _contradicts(p: PropertyDraft, known: frozenset[str], seen: frozenset[str]) -> bool:
        if seen:
            return not (seen & known)
        return p.observed is not None and p.observed.kind == "map"

    def _consensus(self) -> dict[str, tuple[str, int, Counter[str]]]:
        """Per property name: the schema most rows of the reference declare it with."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for d in self.drafts:
            for p in d.properties:
                refs = p.type.refs()
                if len(refs) == 1 and not refs[0].startswith("#"):
                    counts[p.name][refs[0]] += 1
        result = {}
        for prop, counter in counts.items():
            best, count = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0]
            result[prop] = (best, count, counter)
        return result

    def _reachable(self, t: TypeRef) -> list[SchemaDraft]:
        found: list[SchemaDraft] = []
        todo = [k for k in t.refs() if k in self.observed]
        while todo:
            d = self.observed[todo.pop()]
            found.append(d)
            todo += [k for p in d.properties for k in p.type.refs() if k in self.observed]
        return found


def _spelled(d: SchemaDraft) -> frozenset[tuple[str, str]]:
    """A table as its page writes it: two tables are the same table when rows and types agree."""
    return frozenset((p.name, p.declared.lower()) for p in d.properties)


def _base(members: list[SchemaDraft]) -> str:
    """The made-up name a group starts from: the hint of its fullest description."""
    fullest = max(enumerate(members), key=lambda item: (len(item[1].properties), -item[0]))[1]
    return pascal(fullest.hint) or "Model"


def _declared(properties: Iterable[PropertyDraft]) -> set[str]:
    return {name for p in properties for name in p.type.refs() if not name.startswith("#")}
