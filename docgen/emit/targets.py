"""The targets docgen makes. A target is a module with its Target class and its templates; a
new one is that module and a line here."""

from __future__ import annotations

from collections.abc import Callable

from docgen.emit.openapi_target import OpenApiTarget
from docgen.emit.outputs import Emitter
from docgen.emit.python_target import PythonTarget
from docgen.emit.target import Context, Target

TARGETS: tuple[Callable[[Context], Target], ...] = (
    PythonTarget,
    OpenApiTarget,
)


def targets(context: Context) -> list[Target]:
    return [make(context) for make in TARGETS]


def emitter(context: Context) -> Emitter:
    return Emitter(targets(context), context.settings.templates)
