"""Named rules in order, as markdown-it-py's Ruler keeps them: a dialect registers the rules its
pages need (which heading opens which section, which block goes where), and the reader runs the
enabled ones in order until one takes the block. A later dialect or a user can put a rule
before or after another, or switch one off, without touching the reader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

F = TypeVar("F")


@dataclass
class _Rule(Generic[F]):
    name: str
    function: F
    enabled: bool = True


class Ruler(Generic[F]):
    def __init__(self) -> None:
        self._rules: list[_Rule[F]] = []

    def _at(self, name: str) -> int:
        for index, rule in enumerate(self._rules):
            if rule.name == name:
                return index
        raise KeyError(f"no rule named {name!r}")

    def push(self, name: str, function: F) -> None:
        if any(rule.name == name for rule in self._rules):
            raise KeyError(f"a rule named {name!r} is there already")
        self._rules.append(_Rule(name, function))

    def before(self, anchor: str, name: str, function: F) -> None:
        self._rules.insert(self._at(anchor), _Rule(name, function))

    def after(self, anchor: str, name: str, function: F) -> None:
        self._rules.insert(self._at(anchor) + 1, _Rule(name, function))

    def disable(self, names: Iterable[str]) -> None:
        for name in names:
            self._rules[self._at(name)].enabled = False

    def enable(self, names: Iterable[str]) -> None:
        for name in names:
            self._rules[self._at(name)].enabled = True

    def names(self) -> list[str]:
        return [rule.name for rule in self._rules if rule.enabled]

    def rules(self) -> list[F]:
        return [rule.function for rule in self._rules if rule.enabled]
