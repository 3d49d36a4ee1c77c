"""What the generated SDK costs its user: `import` plus `Client()` plus a first call, against the
cost of `import httpx, pydantic` alone and of the same call written by hand (httpx and one
pydantic model: the floor of any SDK whose answers are pydantic models), as CPU time in fresh
processes, with warm bytecode and with none (every module compiled from source); the cost of each call and of validating a large
answer against raw httpx (`sdk_calls.py`); and pyright's first completion on a group.

    .venv/bin/python benchmarks/sdk.py [PAGES ...] [--runs 5] [--pyright PATH]

Without PAGES it generates the whole reference at hand (../shared/corpus/superoffice-2023 and
../shared/corpus/superoffice). Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(HERE))

import editor  # noqa: E402
import sdk_calls  # noqa: E402

PROBE = """
import sys, time
start = time.process_time()
import httpx, pydantic
base = time.process_time()


def answer(request):
    return httpx.Response(200, json={"ContactId": 5, "Name": "x", "Updated": "2024-01-01T00:00:00"})


if sys.argv[1] == "sdk":
    import reference_api as sdk

    client = sdk.Client("https://h", ticket="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    entity = client.contact.get_contact_entity(5)
    assert entity.contact_id == 5
elif sys.argv[1] == "hand":  # the floor: the same call written by hand, one pydantic model
    import datetime
    from pydantic import BaseModel, ConfigDict, Field

    class Contact(BaseModel):
        model_config = ConfigDict(populate_by_name=True, extra="allow")
        contact_id: int | None = Field(None, alias="ContactId")
        name: str | None = Field(None, alias="Name")
        updated: datetime.datetime | None = Field(None, alias="Updated")

    http = httpx.Client(base_url="https://h", transport=httpx.MockTransport(answer))
    response = http.get("/api/v1/Contact/5", headers={"Authorization": "SOTicket t"})
    response.raise_for_status()
    assert Contact.model_validate_json(response.content).contact_id == 5
end = time.process_time()
print(base - start, end - base)
"""


def _user_python(where: Path) -> str:
    """A venv with only what the SDK's user installs beside it (httpx and pydantic, the versions
    at hand): the project's venv has dozens more packages, whose start-up imports and entry
    points would be counted for or against the SDK."""
    from importlib.metadata import version

    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = str(where / ("Scripts" if os.name == "nt" else "bin") / "python")
    wanted = [f"{name}=={version(name)}" for name in ("httpx", "pydantic")]
    subprocess.run([python, "-m", "pip", "install", "-q", *wanted], check=True)
    return python


def _times(python: str, out: Path, mode: str, runs: int, bytecode: bool) -> tuple[float, float]:
    base, added = [], []
    for _ in range(runs):
        if not bytecode:
            for cache in out.rglob("__pycache__"):
                shutil.rmtree(cache)
        flags = [] if bytecode else ["-B"]
        env = {**os.environ, "PYTHONPATH": str(out)}
        done = subprocess.run([python, *flags, "-c", PROBE, mode], capture_output=True, text=True, env=env, check=True)
        b, a = map(float, done.stdout.split())
        base.append(b)
        added.append(a)
    return statistics.median(base), statistics.median(added)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pyright", default="/tmp/pyr/node_modules/.bin/pyright-langserver")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pages = args.pages or [SHARED / "superoffice-2023", SHARED / "superoffice"]
    out = Path(tempfile.mkdtemp(prefix="sdk-bench-")) / "out"
    subprocess.run(
        [sys.executable, "-m", "docgen", "generate", *map(str, pages), "--out", str(out), "--package", "reference_api", "--no-cache", "-q"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    modules = sum(1 for _ in out.rglob("*.py"))
    figures: dict[str, object] = {"modules": modules}
    python = _user_python(out.parent / "venv")
    _times(python, out, "sdk", 1, True)  # write the bytecode once
    bases: dict[str, float] = {}
    for bytecode in (True, False):
        base, _ = _times(python, out, "base", args.runs, True)
        _, added = _times(python, out, "sdk", args.runs, bytecode)
        label = "warm bytecode" if bytecode else "no bytecode"
        bases[label] = base
        figures[label] = {"httpx+pydantic": base, "sdk added": added, "total ratio": (base + added) / base}
        print(f"{label}: import httpx, pydantic {base * 1000:.0f} ms; import + Client() + first call adds {added * 1000:.0f} ms ({(base + added) / base:.2f}x the baseline)")
    _, hand = _times(python, out, "hand", args.runs, True)
    base = bases["warm bytecode"]
    figures["hand-written call"] = {"added": hand, "total ratio": (base + hand) / base}
    print(f"the same call by hand (httpx and one pydantic model) adds {hand * 1000:.0f} ms ({(base + hand) / base:.2f}x the baseline)")
    figures["calls"] = sdk_calls.measure(out, "reference_api", args.runs)
    if Path(args.pyright).exists():
        seconds, items = editor.pyright_completion(args.pyright, out, "reference_api", "contact")
        figures["pyright first completion"] = seconds
        print(f"pyright first completion on client.contact.: {seconds:.2f} s ({items} items)")
    found = editor.jedi_completion(out, "reference_api", "contact")
    if found is not None:
        figures["jedi first completion"] = found[0]
        print(f"jedi first completion on client.contact.: {found[0]:.2f} s ({found[1]} items)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
