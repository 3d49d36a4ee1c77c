"""What generated models are made of: a base class whose constructor takes the snake_case names
type checkers see (and rejects names it does not know), while validating server data by wire
name and keeping fields the pages do not list; enums that accept values added later; bytes that
travel as base64."""

from __future__ import annotations

import base64
import datetime as _dt
import enum
from typing import Annotated, Any

import pydantic

from .options import aware


class Model(pydantic.BaseModel):
    """Fields are snake_case; each has its wire name as validation and serialization alias.
    Validators are built on first use, so importing many models costs little."""

    model_config = pydantic.ConfigDict(
        populate_by_name=True, extra="allow", protected_namespaces=(), defer_build=True
    )

    def __init__(self, **data: Any) -> None:
        known = _known_names(type(self))
        unknown = sorted(name for name in data if name not in known)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected field {unknown[0]!r}")
        super().__init__(**data)

    # Marked as pydantic marks its own __init__ (and RootModel's), so that validating an
    # answer (model_validate, nested models) does not go through this check: only a
    # constructor call refuses a name it does not know.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def to_wire(self) -> dict[str, Any]:
        """The JSON object the server expects: wire names, only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class OpenModel(Model):
    """A schema the pages name but never describe: it takes whatever fields it is given."""

    def __init__(self, **data: Any) -> None:
        pydantic.BaseModel.__init__(self, **data)

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


_KNOWN: dict[type[Model], frozenset[str]] = {}


def _known_names(cls: type[Model]) -> frozenset[str]:
    """Field names and wire names: what a constructor may be given."""
    names = _KNOWN.get(cls)
    if names is None:
        found = set(cls.model_fields)
        found.update(
            f.validation_alias
            for f in cls.model_fields.values()
            if isinstance(f.validation_alias, str)
        )
        names = _KNOWN[cls] = frozenset(found)
    return names


class OpenEnum(enum.StrEnum):
    """An enum of the values the pages list that still takes a value the server adds later:
    it becomes a member of its own, equal to its string."""

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


def _decode(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return base64.b64decode(value, validate=True)
    raise ValueError("expected base64 text or bytes")


Base64Bytes = Annotated[
    bytes,
    pydantic.PlainValidator(_decode),
    pydantic.PlainSerializer(
        lambda value: base64.b64encode(value).decode("ascii"), return_type=str, when_used="json"
    ),
]
"""bytes in Python, base64 text on the wire."""


def _with_offset(value: _dt.datetime, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
    return handler(aware(value))


DateTime = Annotated[_dt.datetime, pydantic.WrapSerializer(_with_offset, when_used="json")]
"""A date-time field: a naive one leaves as UTC, since the documents' date-time is RFC 3339,
which has no time without an offset (a server checking the format refuses one). Only the
date-time fields carry this, so the other fields' validators and serializers stay pydantic's
own."""
