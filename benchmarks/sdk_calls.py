"""What one call of the generated SDK costs beside raw httpx, against a local server in a process
of its own (so that only the client's CPU is counted), each side in fresh processes, median of
`--runs`:

- per call: 2,000 `client.contact.get_contact_entity(5)` against 2,000 `httpx.Client.get` with
  `.json()`;
- a large answer: `client.contact.get_udef_layout()` answering 1,000 entities, against
  `httpx.Client.get` plus `TypeAdapter(list[UserDefinedFieldInfo]).validate_json`, 50 calls.

`benchmarks/sdk.py` runs it on the SDK it generated; alone, `benchmarks/sdk_calls.py [--runs 5]`
generates the SDK of ../shared/corpus/superoffice-2023 first. Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "superoffice-2023"

SERVER = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
small = json.dumps({"ContactId": 5, "Name": "Example AS", "Department": "Sales", "OrgNr": "123",
                    "Number1": "1", "Updated": "2024-01-01T00:00:00", "Registered": "2023-01-01T00:00:00"}).encode()
large = open(sys.argv[2], "rb").read()
class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # the head and the body in one write: no wait for a delayed ACK
    def do_GET(self):
        body = large if "UdefLayout" in self.path else small
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Answer).serve_forever()
"""

PROBE = r"""
import sys, time
import httpx, pydantic
import importlib
sdk = importlib.import_module(sys.argv[4])
models = sdk.models
mode, base, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
http = httpx.Client()
client = sdk.Client(base, ticket="t", http_client=http)
adapter = pydantic.TypeAdapter(list[models.UserDefinedFieldInfo])
def once():
    if mode == "raw-small":
        http.get(base + "/api/v1/Contact/5", headers={"Authorization": "SOTicket t"}).json()
    elif mode == "sdk-small":
        client.contact.get_contact_entity(5)
    elif mode == "raw-large":
        adapter.validate_json(http.get(base + "/api/v1/Contact/UdefLayout", headers={"Authorization": "SOTicket t"}).content)
    else:
        client.contact.get_udef_layout()
for _ in range(5):
    once()  # connection, validators and adapters made: the steady cost is measured
start = time.process_time()
for _ in range(calls):
    once()
print(time.process_time() - start)
"""


def _value(annotation: object, n: int) -> object:
    """A value for a scalar field (`int | None` and the like); None for anything else."""
    kinds = [a for a in typing.get_args(annotation) or (annotation,) if a is not type(None)]
    if len(kinds) != 1:
        return None
    kind = kinds[0]
    if typing.get_origin(kind) is typing.Annotated:  # a date-time field: datetime with its serializer
        kind = typing.get_args(kind)[0]
    if kind is bool:
        return True
    if kind is int:
        return n
    if kind is datetime.datetime:
        return "2024-01-01T00:00:00"
    if kind is str:
        return f"text {n}"
    return None


def _large_answer(out: Path, package: str, path: Path) -> None:
    """1,000 entities with a value for each of the model's scalar fields."""
    sys.path.insert(0, str(out))
    cls = importlib.import_module(package).models.UserDefinedFieldInfo
    cls.model_rebuild()
    rows = []
    for n in range(1000):
        row = {}
        for field in cls.model_fields.values():
            value = _value(field.annotation, n)
            if value is not None:
                row[field.validation_alias] = value
        rows.append(row)
    path.write_text(json.dumps(rows), encoding="utf-8")


def measure(out: Path, package: str, runs: int) -> dict[str, object]:
    """Both comparisons on the SDK generated in `out`, printed and returned."""
    large = out.parent / "large.json"
    _large_answer(out, package, large)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(large)])
    base = f"http://127.0.0.1:{port}"
    time.sleep(1.0)
    env = {"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"}
    figures: dict[str, object] = {"large answer bytes": large.stat().st_size}
    try:
        times: dict[str, list[float]] = {}
        for _ in range(runs):  # interleaved: the machine's drift falls on both sides alike
            for mode, calls in (("raw-small", 2000), ("sdk-small", 2000), ("raw-large", 50), ("sdk-large", 50)):
                command = [sys.executable, "-c", PROBE, mode, base, str(calls), package]
                done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                if done.returncode:
                    raise SystemExit(f"{mode} failed:\n{done.stderr[-2000:]}")
                times.setdefault(mode, []).append(float(done.stdout))
        for kind in ("small", "large"):
            raw, sdk = statistics.median(times[f"raw-{kind}"]), statistics.median(times[f"sdk-{kind}"])
            ratios = [s / r for r, s in zip(times[f"raw-{kind}"], times[f"sdk-{kind}"], strict=True)]
            figures[kind] = {"raw": raw, "sdk": sdk, "ratio": sdk / raw, "ratios": ratios}
            what = "2,000 GETs" if kind == "small" else "50 answers of 1,000 entities"
            print(f"{what}: raw httpx {raw:.3f} s CPU, SDK {sdk:.3f} s ({sdk / raw:.2f}x; pair by pair {min(ratios):.2f}-{max(ratios):.2f})")
    finally:
        server.kill()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="sdk-calls-")) / "out"
    subprocess.run(
        [sys.executable, "-m", "docgen", "generate", str(CORPUS), "--out", str(out), "--package", "ref_api", "--no-cache", "-q"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    figures = measure(out, "ref_api", args.runs)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
