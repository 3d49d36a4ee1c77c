"""Every output file of the targets, made whole or remade in part: each unit of a target (a
model, an enum or a group module of the Python package; a schema or a path entry of openapi.yaml)
is made on its own, so a large API's units are shared out between processes and a run after an
edit remakes only the units whose part of the model changed."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace
from typing import Any

from docgen.emit.render import compile_early
from docgen.emit.target import Made, Target, Unit, keyed_unit, unit_key
from docgen.model.api import Api, Operation
from docgen.workers import beside


@dataclass
class Outputs:
    texts: dict[str, str]  # output path -> text, but the files assembled from fragments
    units: dict[str, tuple[str, ...]]  # unit key (unit_key) -> the paths of its files
    fragments: dict[str, str] = field(default_factory=dict)  # unit key -> its fragment
    assembled: dict[str, str] = field(default_factory=dict)  # output path -> text, made of fragments
    # unit key -> what the unit made that a run after an edit takes up (pickled): bytes, or
    # the last run's (run_state.Blob), passed on
    memos: dict[str, Any] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        return {**self.texts, **self.assembled}


_PARALLEL_FROM = 400  # units; below this, starting processes costs more than it saves
_WORKER: list[Emitter] = []  # in a worker process: the emitter it was handed (`_adopt`)
_GLOBALS = ("", "globals", "")  # a worker's first task: the files that depend on the whole API

Task = tuple[str, str, str]  # (target, kind, name)


def _adopt(emitter: Emitter, templates: list[str], override: str | None) -> None:
    """A worker's setup: the emitter it renders from (inherited under `fork`, unpickled under
    `spawn` and `forkserver`) and the templates compiled once."""
    _WORKER[:] = [emitter]
    compile_early(templates, override)


def _task(task: Task) -> Made | dict[str, str]:
    emitter = _WORKER[0]
    if task == _GLOBALS:
        return emitter.global_files()
    return emitter.make(task)


class Emitter:
    """Every output file of the targets, made whole or remade in part."""

    def __init__(self, targets: list[Target], templates: str | None) -> None:
        """`templates`: the user's template folder, if any (compiled once in each worker)."""
        self.targets = {t.name: t for t in targets}
        self.templates = templates

    def make(self, task: Task) -> Made:
        return self.targets[task[0]].unit(task[1], task[2])

    def global_files(self) -> dict[str, str]:
        return {path: text for t in self.targets.values() for path, text in t.global_files().items()}

    def everything(self, api: Api, workers: int = 1) -> Outputs:
        """Every unit, in `workers` processes for a large API (forked: each has the Api as this
        process has it, and sends back only text)."""
        tasks = [(t.name, kind, name) for t in self.targets.values() for kind, name in t.units(api)]
        made: dict[Task, Made] = {}
        if workers > 1 and len(tasks) >= _PARALLEL_FROM:
            # every `workers`-th task here, the others in workers handed this emitter, which
            # send back only what they made; the first worker also makes the global files, as
            # this process takes the results in
            templates = [name for t in self.targets.values() for name in t.templates]
            compile_early(templates, self.templates)
            theirs = [_GLOBALS, *(u for n, u in enumerate(tasks) if n % workers)]
            gc.freeze()  # a forked worker's collector never scans (and so never copies) what exists now
            try:
                setup = (_adopt, (self, templates, self.templates))
                with beside(_task, theirs, workers - 1, -(-len(theirs) // (workers - 1)), setup) as results:
                    made.update((task, self.make(task)) for task in tasks[::workers])
                    found = iter(results)
                    texts = next(found)
                    assert isinstance(texts, dict)
                    for task, result in zip(theirs[1:], found, strict=True):
                        assert isinstance(result, Made)
                        made[task] = result
            finally:
                gc.unfreeze()
        else:
            texts = self.global_files()
            made.update((task, self.make(task)) for task in tasks)
        outputs = Outputs(texts, {})
        for task in tasks:
            _take(outputs, unit_key(*task), made[task])
        return self._assembled(outputs)

    def remake(self, base: Outputs, schemas: set[str], operations: set[Operation]) -> Outputs:
        """`base` with the units these schemas and operations touch made again (their files
        as they were removed first: a group may now have fewer parts)."""
        outputs = replace(
            base, texts=dict(base.texts), units=dict(base.units), fragments=dict(base.fragments), memos=dict(base.memos)
        )
        for target in self.targets.values():
            for kind, name in target.touched(schemas, operations):
                key = unit_key(target.name, kind, name)
                made = target.unit(kind, name)
                for path in set(outputs.units.pop(key, ())) - {path for path, _ in made.files}:
                    del outputs.texts[path]
                _take(outputs, key, made)
        return self._assembled(outputs)

    def _assembled(self, outputs: Outputs) -> Outputs:
        """Each target's files made of its fragments, the fragments sorted out in one pass."""
        by_target: dict[str, dict[Unit, str]] = {name: {} for name in self.targets}
        for key, text in outputs.fragments.items():
            target, unit = keyed_unit(key)
            by_target[target][unit] = text
        assembled: dict[str, str] = {}
        for target_name, fragments in by_target.items():
            assembled.update(self.targets[target_name].assemble(fragments))
        return replace(outputs, assembled=assembled)


def _take(outputs: Outputs, key: str, made: Made) -> None:
    for path, text in made.files:
        outputs.texts[path] = text
    if made.files:
        outputs.units[key] = tuple(path for path, _ in made.files)
    if made.fragment is not None:
        outputs.fragments[key] = made.fragment
    if made.memo:
        outputs.memos[key] = made.memo
