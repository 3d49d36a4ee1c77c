"""Prism (from npm, installed into node_modules/ by .ci/run) serving a mock of a generated spec,
and arguments made up from the model for calling every operation against it."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import ROOT, load_yaml

from docgen.dialects.superoffice import SUPEROFFICE
from docgen.emit.python_client import argument_names, method_names
from docgen.emit.python_names import shared_headers
from docgen.model.api import Api, Operation
from docgen.model.types import TypeRef

PRISM = ROOT / "node_modules" / ".bin" / "prism"


def prism_available() -> None:
    if not PRISM.exists():
        if os.environ.get("DOCGEN_REQUIRE_PRISM"):
            pytest.fail("Prism is required here (DOCGEN_REQUIRE_PRISM) but node_modules/.bin/prism is missing")
        pytest.skip("Prism is not installed: run `npm ci`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mock(str):
    """The mock's base URL, able to start the mock again: Prism's data faker can exhaust node's
    memory on a deep graph of types (Graph's) and take the server down mid-run, or spend minutes
    on one answer."""

    start: Any
    process: subprocess.Popen[bytes]
    crashes: list[str]

    def revive(self, why: str, error: Exception) -> bool:
        """After a call that got no answer (`error`), start the mock again if it has died, or if
        it is stuck making one answer (its single thread busy with a faker's endless object, so
        every later call would time out too); True when it did, noting `why`."""
        name = type(error).__name__
        if name == "RequestTimeoutError":
            self.process.kill()
            self.process.wait()
            why += " (stuck)"
        elif name == "TransportError":
            try:
                self.process.wait(timeout=10)  # a dying node takes a moment to go
            except subprocess.TimeoutExpired:
                return False
        else:
            return False
        self.crashes.append(why)
        self.process = self.start()
        return True


def _plain_refs(node: Any) -> Any:
    """`node` with each `allOf` of one `$ref` (how docgen puts a description beside a ref) made
    the bare ref: the same schema to a validator, but Prism's data faker limits the depth of bare
    refs only, and through the wrappers a deep graph of types (Graph's) overflows its stack or
    takes node down. (A description beside a bare ref, as 3.1 allows, makes Prism ignore the ref.)"""
    if isinstance(node, list):
        return [_plain_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    wrapped = node.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and set(wrapped[0]) == {"$ref"} and set(node) <= {"allOf", "description"}:
        return dict(wrapped[0])
    return {key: _plain_refs(value) for key, value in node.items()}


@contextmanager
def prism(spec: Path) -> Iterator[Mock]:
    """Prism validating every request against `spec`; violations become error responses."""
    port = _free_port()
    log = spec.with_suffix(".prism.log").open("a")
    served = spec.with_suffix(".mock.json")
    served.write_text(json.dumps(_plain_refs(load_yaml(spec.read_text(encoding="utf-8")))), encoding="utf-8")

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            # --dynamic: answers made from the schemas, not the pages' samples (which a page may get
            # wrong). Never --seed: every page would then be the same full page, and a page
            # iterator reading to the end of a list would never get there
            [str(PRISM), "mock", "--errors", "--dynamic", "-h", "127.0.0.1", "-p", str(port), str(served)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prism exited: {spec.with_suffix('.prism.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return process
            except OSError:
                if time.monotonic() > deadline:
                    process.kill()
                    raise
                time.sleep(0.2)

    mock = Mock(f"http://127.0.0.1:{port}")
    mock.start, mock.crashes = start, []
    try:
        mock.process = start()
        yield mock
    finally:
        if hasattr(mock, "process"):
            mock.process.terminate()
            try:
                mock.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                mock.process.kill()
        log.close()


def violations(collected: list[str]) -> dict[str, list[Any]]:
    """httpx event hooks that record every Prism violation header."""

    def sync_hook(response: httpx.Response) -> None:
        if "sl-violations" in response.headers:
            collected.append(f"{response.request.method} {response.request.url}: {response.headers['sl-violations']}")

    return {"response": [sync_hook]}


def async_violations(collected: list[str]) -> dict[str, list[Any]]:
    async def hook(response: httpx.Response) -> None:
        if "sl-violations" in response.headers:
            collected.append(f"{response.request.method} {response.request.url}: {response.headers['sl-violations']}")

    return {"response": [hook]}


def value_for(t: TypeRef | None, package: ModuleType, api: Api, class_names: dict[str, str]) -> Any:
    """A value of the declared type that a strict server accepts."""
    if t is None or t.kind in ("unknown", "any"):
        return {} if t is not None and t.kind == "any" else "x"
    if t.kind == "primitive":
        if t.name == "integer":
            return 1
        if t.name == "number":
            return 1.5
        if t.name == "boolean":
            return True
        return {
            "date-time": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC),
            "date": datetime.date(2024, 5, 1),
            "binary": b"\x89PNG",
            "byte": "eA==",
            "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        }.get(t.format, "text")
    if t.kind == "enum":
        return t.values[0]
    if t.kind == "ref":
        schema = api.schema(t.name)
        cls = getattr(package.models, class_names[t.name])
        return cls(schema.values[0]) if schema is not None and schema.enum else cls.model_validate({})
    if t.kind == "array":
        return []
    return {}


def call_arguments(op: Operation, package: ModuleType, api: Api, class_names: dict[str, str]) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for the generated method of `op`, every parameter given."""
    names = argument_names(op)
    client_headers = {h.name.lower() for h in shared_headers(api)}  # the client's, not the method's
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in op.parameters:
        value = value_for(param.type, package, api, class_names)
        if param.location == "header":
            if param.name.lower() not in client_headers:
                kwargs[names[f"header:{param.name}"]] = "en"
        elif param.location == "path" or param.required:
            args.append(value)
        else:
            kwargs[names[f"query:{param.name}"]] = value
    if op.request_body is not None:
        path_count = sum(1 for p in op.parameters if p.location == "path")
        args.insert(path_count, value_for(op.request_body.type, package, api, class_names))
    return args, kwargs


def group_methods(api: Api) -> dict[str, tuple[str, str]]:
    """operation id -> (group attribute, method name) as the SuperOffice client names them."""
    return method_names(api, SUPEROFFICE.conventions.paging)
