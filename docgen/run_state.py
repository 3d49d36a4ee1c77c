"""What one run leaves for the next, so that an edit redoes only what it touches: each page's
drafts (by the digest of its bytes), every naming decision, each merged schema and operation
with the pages it came from, and each output file or fragment as text.

Pieces that only some runs need are kept pickled inside the state and unpickled on demand. The
largest of them (each page's drafts, each schema's, each group's methods, each operation: 40 of
72 MB at 3,576 pages) are written after the state in its file and read from it one at a time
when a run wants them (`Blob`).

A state is trusted only as far as it is signed: its head carries an HMAC made with the user's
own key (docgen.secret) over the sizes and the digest of the pickled state, and each blob's
SHA-256 is in the signed state, so a state copied from elsewhere, restored in CI or edited is a
miss. Even a signed state is read with an unpickler that makes nothing but the plain data
classes listed in `_DATA` and plain builtins: no class with a destructor, a file or any other
effect can come out of it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
from dataclasses import dataclass, field, fields, replace
from typing import Any, BinaryIO

from docgen import secret
from docgen.diagnostics import Diagnostic
from docgen.model.api import Operation, Schema, Source
from docgen.model.drafts import PageDraft
from docgen.model.identity import Note
from docgen.model.types import TypeRef
from docgen.stamps import Stamp

_ALLOWED_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "str", "int", "bytes", "bool", "float"})


def data_classes() -> dict[tuple[str, str], type]:
    """Every class a state holds, by (module, name): frozen model data, diagnostics, the Python
    names and method memos, the state's own records; none has a destructor, a `__setstate__` or
    anything else that runs as it is unpickled (a test holds them to it). Imported here, late."""
    from docgen import diagnostics
    from docgen.emit import python_client, python_names
    from docgen.model import api, conventions, drafts, identity, types

    classes: list[type] = [
        diagnostics.Diagnostic, diagnostics.Severity,
        api.Source, api.Property, api.Schema, api.Parameter, api.RequestBody, api.Response, api.Operation,
        types.TypeRef, drafts.PropertyDraft, drafts.SchemaDraft, drafts.BodyDraft, drafts.ResponseDraft,
        drafts.OperationDraft, drafts.PageDraft, identity.Note, conventions.Paging, python_names.PythonNames, python_names.EnumType,
        *python_client.MEMO_CLASSES, Stored, Page, State, Changes,
    ]  # fmt: skip
    return {(cls.__module__, cls.__qualname__): cls for cls in classes}


_DATA: dict[tuple[str, str], type] = {}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if not _DATA:
            _DATA.update(data_classes())
        found = _DATA.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a class a docgen state holds")
        return found


_MAGIC = b"docgen-state 3\n"
_SIZES = 16  # the sizes of the state's pickle and of the blobs after it
_HEAD = len(_MAGIC) + _SIZES + secret.MAC_SIZE  # then the pickle, then the blobs
_BLOBS = ("schema_drafts", "memos", "operations")  # State fields of blobs, besides each page's


class BadState(Exception):
    """A state's file that is not what its head says: a run goes on as if there were none."""


class StateFile:
    """A state's file, open: its head read at once, its blobs by position when they are wanted.
    A later run puts its state in the file's place; this descriptor keeps the one it opened."""

    def __init__(self, fd: int, size: int) -> None:
        self.fd, self.size = fd, size

    def read(self, offset: int, size: int) -> bytes:
        chunks, done = [], 0
        while done < size:
            try:
                chunk = os.pread(self.fd, size - done, offset + done)
            except OSError as error:
                raise BadState(error.strerror or str(error)) from None
            if not chunk:
                raise BadState("the file ends early")
            chunks.append(chunk)
            done += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


class Blob:
    """A pickled piece of a state, read from its file when it is wanted and checked against the
    digest the signed state gives it. Pickled again (in a state or its changes), it is its bytes."""

    __slots__ = ("_digest", "_file", "_offset", "_size")

    def __init__(self, file: StateFile, offset: int, size: int, digest: bytes) -> None:
        self._file, self._offset, self._size, self._digest = file, offset, size, digest

    def __len__(self) -> int:
        return self._size

    def data(self) -> bytes:
        data = self._file.read(self._offset, self._size)
        if not hmac.compare_digest(hashlib.sha256(data).digest(), self._digest):
            raise BadState("a blob that is not what was written")
        return data

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        return bytes, (self.data(),)


@dataclass(frozen=True)
class Stored:
    """Where a blob is among those after the state in its file, and the SHA-256 of its bytes."""

    offset: int
    size: int
    digest: bytes


class _Digesting:
    """A file that hashes what is written into it, on its way."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.hash = handle, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.handle.write(data)


def _purpose(setting: str) -> str:
    return f"state:{setting}"


def write_state(state: State, handle: BinaryIO) -> None:
    """The state pickled into `handle` as it is made (never the whole of it, tens of MB, in
    memory beside the state), its blobs after it, then the sizes and the signature in the
    file's head. A state that cannot be signed (no key) is not written: BadState."""
    blobs: list[bytes] = []
    at = 0

    def stored(blob: bytes | Blob) -> Any:
        nonlocal at
        data = blob.data() if isinstance(blob, Blob) else blob
        blobs.append(data)
        at += len(data)
        return Stored(at - len(data), len(data), hashlib.sha256(data).digest())

    def all_stored(found: dict[str, bytes | Blob]) -> dict[str, bytes | Blob]:
        return {key: stored(blob) for key, blob in found.items()}

    pages = {name: replace(page, blob=stored(page.blob)) for name, page in state.pages.items()}
    core = replace(
        state, pages=pages, schema_drafts=all_stored(state.schema_drafts), memos=all_stored(state.memos),
        operations=all_stored(state.operations),
    )  # fmt: skip
    handle.write(_MAGIC + bytes(_SIZES + secret.MAC_SIZE))
    digesting = _Digesting(handle)
    pickle.Pickler(digesting, protocol=5).dump(core)
    core_end = handle.tell()
    for blob in blobs:
        handle.write(blob)
    end = handle.tell()
    sizes = (core_end - _HEAD).to_bytes(8, "little") + (end - core_end).to_bytes(8, "little")
    mac = secret.sign(_purpose(state.setting), sizes, digesting.hash.digest())
    if mac is None:
        raise BadState("no key to sign the state with")
    handle.seek(len(_MAGIC))
    handle.write(sizes + mac)


def read_state(file: StateFile, setting: str, changes: bytes | None = None) -> tuple[State, Changes] | None:
    """The state in `file` when it is one docgen wrote for these settings, with the changes
    later runs made to it (`changes`, when they were made to this very state); else None."""
    try:
        head = file.read(0, _HEAD)
        sizes, mac = head[len(_MAGIC) : len(_MAGIC) + _SIZES], head[len(_MAGIC) + _SIZES :]
        core_size, blobs_size = int.from_bytes(sizes[:8], "little"), int.from_bytes(sizes[8:], "little")
        if head[: len(_MAGIC)] != _MAGIC or _HEAD + core_size + blobs_size != file.size:
            return None
        core = file.read(_HEAD, core_size)
        if not secret.verify(_purpose(setting), mac, sizes, hashlib.sha256(core).digest()):
            return None  # not signed with this user's key for these settings: never unpickled
        state = loads(core)
    except Exception:  # a truncated, foreign or older file: whatever unpickling raises, a miss
        return None
    if not isinstance(state, State) or state.setting != setting or set(vars(state)) != _FIELDS:
        return None

    def blob(found: object) -> Blob:
        if not isinstance(found, Stored) or not 0 <= found.offset <= found.offset + found.size <= blobs_size:
            raise BadState("a blob outside the file")
        return Blob(file, _HEAD + core_size + found.offset, found.size, found.digest)

    try:
        for page in state.pages.values():
            page.blob = blob(page.blob)
        for name in _BLOBS:
            found = getattr(state, name)
            for key, value in found.items():
                found[key] = blob(value)
    except (BadState, AttributeError, TypeError):
        return None
    found_changes = _changes(changes, state.stamp, setting) if changes is not None else None
    if found_changes is None:
        return state, Changes(state.stamp, {})
    for name, entries in found_changes.entries.items():
        getattr(state, name).update(entries)
    return state, found_changes


def dump_changes(changes: Changes, setting: str) -> bytes | None:
    """The changes pickled, behind the signature that ties them to these settings; None without a key."""
    data = dumps(changes)
    mac = secret.sign(f"changes:{setting}", data)
    return None if mac is None else mac + data


def _changes(signed: bytes, stamp: str, setting: str) -> Changes | None:
    mac, data = signed[: secret.MAC_SIZE], signed[secret.MAC_SIZE :]
    if not secret.verify(f"changes:{setting}", mac, data):
        return None
    try:
        found = loads(data)
    except Exception:
        return None
    if not isinstance(found, Changes) or found.stamp != stamp or not isinstance(found.entries, dict):
        return None
    if not all(name in _DICTS and isinstance(entries, dict) for name, entries in found.entries.items()):
        return None
    return found


@dataclass
class Changes:
    """What runs after a whole run changed in its state, entry by entry: written instead of
    the whole state (tens of MB) when an edit changes a few pages. `stamp`: the state's."""

    stamp: str
    entries: dict[str, dict[Any, Any]]  # State field -> {key: new value}

    def after(self, old: State, new: State) -> Changes:
        """These changes and those from `old` to `new` (a run from `old`): entries whose value
        is not the very object `old` holds."""
        entries = {name: dict(found) for name, found in self.entries.items()}
        for name in _DICTS:
            before, now = getattr(old, name), getattr(new, name)
            changed = {key: value for key, value in now.items() if before.get(key) is not value}
            if changed:
                entries.setdefault(name, {}).update(changed)
        return Changes(self.stamp, entries)


_FIELDS: frozenset[str] = frozenset()  # set below, once State is defined


def dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=5)


def loads(data: bytes | Blob) -> Any:
    """What `data` holds; BadState when a blob read from a state's file does not unpickle."""
    if isinstance(data, Blob):
        try:
            return _Unpickler(io.BytesIO(data.data())).load()
        except BadState:
            raise
        except Exception as error:
            raise BadState(f"a blob that does not unpickle ({type(error).__name__})") from None
    return _Unpickler(io.BytesIO(data)).load()


@dataclass
class Page:
    key: str  # digest of the page's name and bytes
    blob: bytes | Blob  # (PageDraft | None, page diagnostics), pickled
    diags: list[Diagnostic]
    rank: tuple[int, str, int] | None  # the draft's rank, for ordering what pages contribute
    queries: tuple[tuple[str, Source], ...] = ()  # query parameters (name, where)

    def draft(self) -> PageDraft | None:
        draft, _ = loads(self.blob)
        return draft  # type: ignore[no-any-return]


@dataclass
class State:
    setting: str  # everything but the pages: docgen's version, options, templates
    files: int  # pages found
    pages: dict[str, Page]
    names: dict[str, str]
    retyped: dict[tuple[str, str], TypeRef]
    notes: tuple[Note, ...]
    used: frozenset[str]  # keys of sample drafts merged into a schema (model.build.Record)
    note_sources: dict[tuple[str, str], Source]
    schema_pages: dict[str, tuple[str, ...]]
    operation_pages: dict[str, tuple[str, ...]]
    schema_drafts: dict[str, bytes | Blob]  # name -> the drafts a whole run merged into it, pickled
    schemas: dict[str, bytes]  # described schemas, pickled
    schema_diags: dict[str, list[Diagnostic]]
    placeholders: dict[str, bytes]
    operations: dict[str, bytes | Blob]  # by uid, pickled
    operation_diags: dict[str, list[Diagnostic]]
    routes: dict[str, tuple[str, str, str, Source]]  # uid -> (method, path, group, where)
    groups: dict[str, str]  # a group as a page spells it -> as the API does (model.build.group_spellings)
    python_names: bytes  # the PythonNames tables, pickled without their Api
    files_by_unit: dict[str, tuple[str, ...]]  # unit key -> its output paths
    texts: dict[str, str]  # output path -> text, but the files assembled from fragments (openapi.yaml)
    fragments: dict[str, str]  # unit key -> its fragment (an openapi.yaml entry)
    hashes: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of its bytes, openapi.yaml too
    page_stamps: dict[str, Stamp] = field(default_factory=dict)  # page -> its stamp when read (docgen.stamps)
    memos: dict[str, bytes | Blob] = field(default_factory=dict)  # unit key -> what it made to take up (a group's MethodMemo), pickled
    # name -> {page edited since the whole run: its drafts of the schema, pickled}: read over
    # schema_drafts, so that an edit pickles one page's drafts, not the hundreds a schema has
    schema_overlays: dict[str, dict[str, bytes]] = field(default_factory=dict)
    stamp: str = field(default_factory=lambda: os.urandom(16).hex())  # names this state for its Changes

    def schema(self, name: str) -> Schema | None:
        blob = self.schemas.get(name) or self.placeholders.get(name)
        return None if blob is None else loads(blob)

    def operation(self, uid: str) -> Operation:
        return loads(self.operations[uid])  # type: ignore[no-any-return]


_FIELDS = frozenset(f.name for f in fields(State))
_DICTS = frozenset(f.name for f in fields(State) if f.type.startswith("dict["))
