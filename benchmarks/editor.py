"""What an editor pays on a generated package: pyright's first completion on `client.<group>.`
in a fresh language server, and jedi's (IPython, Jupyter) when it is installed.

    .venv/bin/python benchmarks/editor.py OUT_DIR PACKAGE GROUP_ATTR [--pyright PATH]

pyright comes from npm (`npm install pyright` in a scratch folder); run by hand, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO


def _send(stream: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message).encode("utf-8")
    stream.write(f"Content-Length: {len(data)}\r\n\r\n".encode("ascii") + data)
    stream.flush()


def _receive(stream: BinaryIO) -> dict[str, Any]:
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the language server stopped")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stream.read(length))
    return message


def _answer(stream: BinaryIO, wanted: int) -> dict[str, Any]:
    while True:
        message = _receive(stream)
        if message.get("id") == wanted and "method" not in message:
            return message


def pyright_completion(server: str, out: Path, package: str, attr: str) -> tuple[float, int]:
    """Seconds from opening a file to the completion list of `client.<attr>.`, and its size."""
    probe = out / "_probe_completion.py"
    text = f'from {package} import Client\n\nclient = Client("https://h")\nclient.{attr}.'
    probe.write_text(text, encoding="utf-8")
    process = subprocess.Popen([server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    try:
        root = out.resolve().as_uri()
        _send(process.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root, "capabilities": {}, "workspaceFolders": [{"uri": root, "name": "out"}]}})
        _answer(process.stdout, 1)
        _send(process.stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        started = time.perf_counter()
        uri = probe.resolve().as_uri()
        _send(process.stdin, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
        position = {"line": 3, "character": len(f"client.{attr}.")}
        _send(process.stdin, {"jsonrpc": "2.0", "id": 2, "method": "textDocument/completion", "params": {"textDocument": {"uri": uri}, "position": position}})
        answer = _answer(process.stdout, 2)
        elapsed = time.perf_counter() - started
        result = answer.get("result") or {}
        items = result.get("items", result) if isinstance(result, dict) else result
        return elapsed, len(items or [])
    finally:
        process.kill()
        probe.unlink(missing_ok=True)


def jedi_completion(out: Path, package: str, attr: str) -> tuple[float, int] | None:
    """The same through jedi, in a fresh process (jedi caches in memory only per process)."""
    code = (
        "import sys, time, jedi\n"
        f"sys.path.insert(0, {str(out)!r})\n"
        f'source = "from {package} import Client\\nclient = Client(\\"h\\")\\nclient.{attr}."\n'
        "start = time.perf_counter()\n"
        f"found = jedi.Script(source, path={str(out / 'probe.py')!r}).complete(3, len('client.{attr}.'))\n"
        "print(time.perf_counter() - start, len(found))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    seconds, count = done.stdout.split()
    return float(seconds), int(count)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("package")
    parser.add_argument("attr")
    parser.add_argument("--pyright", default="/tmp/pyr/node_modules/.bin/pyright-langserver")
    args = parser.parse_args()
    seconds, items = pyright_completion(args.pyright, args.out, args.package, args.attr)
    print(f"pyright first completion on client.{args.attr}.: {seconds:.2f} s, {items} items")
    found = jedi_completion(args.out, args.package, args.attr)
    if found is not None:
        print(f"jedi first completion: {found[0]:.2f} s, {found[1]} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
