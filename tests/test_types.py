"""The type-string grammar across dialects."""

from __future__ import annotations

import pytest

from docgen.dialects.superoffice.types import parse_type
from docgen.model.types import ANY, UNKNOWN, TypeRef, array, compatible, merge_types, primitive, ref


@pytest.mark.parametrize(
    ("spelled", "expected"),
    [
        ("Integer", primitive("integer")),
        ("int32", primitive("integer", "int32")),
        ("int64", primitive("integer", "int64")),
        ("String", primitive("string")),
        ("string", primitive("string")),
        ("Boolean", primitive("boolean")),
        ("bool", primitive("boolean")),
        ("date-time", primitive("string", "date-time")),
        ("double", primitive("number", "double")),
        ("decimal", primitive("number", "double")),
        ("number", primitive("number")),
        ("byte", primitive("string", "byte")),
        ("binary", primitive("string", "binary")),
        ("object", ANY),
        ("Object", ANY),
        ("array", array(UNKNOWN)),
        ("Array", array(UNKNOWN)),
        ("Associate", ref("Associate")),
        ("Associate[]", array(ref("Associate"))),
        ("int32[]", array(primitive("integer", "int32"))),
        ("SuperOffice.CRM.Services.Person", ref("Person")),
        ("Enum: Slim, Wide, Full", TypeRef("enum", values=("Slim", "Wide", "Full"))),
        ("", UNKNOWN),
        ("  `int32`  ", primitive("integer", "int32")),
    ],
)
def test_spellings(spelled: str, expected: TypeRef) -> None:
    assert parse_type(spelled) == (expected, True)


@pytest.mark.parametrize("gibberish", ["int 32", "List<Foo>", "a|b", "?"])
def test_gibberish_is_unknown_and_not_understood(gibberish: str) -> None:
    assert parse_type(gibberish) == (UNKNOWN, False)


def test_merging_keeps_the_most_specific() -> None:
    assert merge_types(primitive("string"), primitive("string", "date-time")) == primitive("string", "date-time")
    assert merge_types(primitive("integer"), primitive("integer", "int32")) == primitive("integer", "int32")
    assert merge_types(UNKNOWN, ref("Associate")) == ref("Associate")
    assert merge_types(array(UNKNOWN), array(ref("X"))) == array(ref("X"))
    assert merge_types(primitive("integer", "int32"), primitive("integer", "int64")) == primitive("integer", "int64")


def test_real_conflicts_are_incompatible() -> None:
    assert not compatible(primitive("string"), primitive("integer"))
    assert not compatible(ref("A"), ref("B"))
    assert not compatible(array(ref("A")), ref("A"))
    assert compatible(primitive("string"), TypeRef("enum", values=("A",)))
