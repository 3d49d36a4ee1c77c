"""docgen at scale, stage by stage, and the anchors side by side.

    .venv/bin/python benchmarks/bench.py [--scales 1,10,34] [--anchors /tmp/anchors/bin] [--json F]

For each scale it builds a renamed copy of ../shared/corpus/superoffice (benchmarks/scale.py),
times docgen's stages in a fresh process (read, parse, build, emit, format, write; cold = first
pass in the process, warm = the second), then the command line as users run it: a cold
`docgen generate --no-cache`, and the no-change `docgen check` and `docgen generate` that the
cache answers. At the largest scale it runs datamodel-code-generator (Pydantic v2 models) and
openapi-python-client (a client) on the openapi.yaml docgen wrote, when --anchors holds them.
It prints a table and writes JSON. Run it by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import scale  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "superoffice"
DOCGEN = [sys.executable, "-m", "docgen"]


def stages(pages: Path, out: Path, jobs: int) -> dict[str, dict[str, float]]:
    """Each stage timed twice in this process: cold (first pass) and warm (second); black last,
    so that its memory does not weigh on the passes before it. Black is off by default (docgen
    lays its Python out as black would); `--black` turns it on."""
    from docgen.emit.format import format_python
    from docgen.pipeline import no_collections

    timings: dict[str, dict[str, float]] = {}
    for run in ("cold", "warm"):
        with no_collections():
            timings[run], files = _one_pass(pages, out, jobs)
    clock = time.perf_counter()
    for name, text in files.items():
        if name.endswith(".py"):
            format_python(text, name)
    timings["cold"]["format"] = time.perf_counter() - clock
    return timings


def _one_pass(pages: Path, out: Path, jobs: int) -> tuple[dict[str, float], dict[str, str]]:
    from docgen.config import Config
    from docgen.dialects.superoffice import SUPEROFFICE
    from docgen.model.build import build_from_drafts
    from docgen.output.write import write_tree
    from docgen.pages import draft_sources
    from docgen.pipeline import emit
    from docgen.sources import find_pages, read_sources

    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    paths, _ = find_pages([pages])
    sources = read_sources(paths)
    lap("read")
    drafts, _ = draft_sources(sources, SUPEROFFICE, jobs)  # parsing, and reading each page on its own
    lap("parse")
    api, _ = build_from_drafts(((d, []) for d in drafts), SUPEROFFICE.qualifier)  # naming and merging across pages
    lap("build")
    files, _ = emit(api, Config(package="bench_api", out=out), SUPEROFFICE)
    lap("emit")
    write_tree(out, files)
    lap("write")
    times["total"] = sum(times.values())
    times.update(pages=len(paths), schemas=len(api.schemas), operations=len(api.operations))
    times["lines"] = sum(text.count("\n") for text in files.values())
    return times, files


def bench_scale(copies: int, work: Path, jobs: int) -> dict[str, object]:
    pages = work / f"x{copies}" / "pages"
    count = scale.build(CORPUS, pages, copies)
    out = work / f"x{copies}" / "out"
    staged = subprocess.run(
        [sys.executable, __file__, "--stages-of", str(pages), "--out", str(work / f"x{copies}" / "staged"),
         "--jobs", str(jobs)],
        capture_output=True, text=True, check=True,
    )
    cache = work / f"x{copies}" / "cache"
    common = [str(pages), "--out", str(out), "--package", "bench_api", "-q", "--jobs", str(jobs)]
    cold = measure.run([*DOCGEN, "generate", *common, "--no-cache"])
    shutil.rmtree(out)
    filled = measure.run([*DOCGEN, "generate", *common, "--cache-dir", str(cache)])
    check = measure.run([*DOCGEN, "check", *common, "--cache-dir", str(cache)])
    again = measure.run([*DOCGEN, "generate", *common, "--cache-dir", str(cache)])
    return {
        "copies": copies,
        "pages": count,
        "stages": json.loads(staged.stdout),
        "cli": {
            "generate_cold": asdict(cold),
            "generate_filling_cache": asdict(filled),
            "check_no_change": asdict(check),
            "generate_no_change": asdict(again),
        },
        "openapi": str(out / "openapi.yaml"),
    }


def bench_anchors(openapi: Path, work: Path, anchors: Path) -> dict[str, object]:
    results: dict[str, object] = {}
    dmcg = anchors / "datamodel-codegen"
    if dmcg.exists():
        target = work / "dmcg_models.py"
        results["datamodel-code-generator"] = asdict(measure.run([
            str(dmcg), "--input", str(openapi), "--input-file-type", "openapi",
            "--output-model-type", "pydantic_v2.BaseModel", "--output", str(target),
        ]))
        results["datamodel-code-generator"]["lines"] = target.read_text().count("\n") if target.exists() else 0
    opc = anchors / "openapi-python-client"
    if opc.exists():
        target = work / "opc_client"
        shutil.rmtree(target, ignore_errors=True)
        results["openapi-python-client"] = asdict(measure.run(
            [str(opc), "generate", "--path", str(openapi), "--output-path", str(target), "--overwrite"]
        ))
    return results


def table(report: dict[str, object]) -> str:
    rows = ["| pages | schemas | ops | stage (cold/warm s) read | parse | build | emit | write | (black) "
            "| cold generate s | peak MB | no-change check s | no-change generate s |",
            "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in report["scales"]:  # type: ignore[attr-defined]
        cold, warm = s["stages"]["cold"], s["stages"]["warm"]
        cells = [f"{cold[k]:.2f}/{warm[k]:.2f}" for k in ("read", "parse", "build", "emit", "write")]
        cells.append(f"{cold['format']:.1f}")
        cli = s["cli"]
        rows.append(
            f"| {s['pages']} | {cold['schemas']} | {cold['operations']} | " + " | ".join(cells)
            + f" | {cli['generate_cold']['seconds']:.2f} | {cli['generate_cold']['peak_mb']:.0f}"
            f" | {cli['check_no_change']['seconds']:.2f} | {cli['generate_no_change']['seconds']:.2f} |"
        )
    lines = ["\n".join(rows)]
    scales = report["scales"]  # type: ignore[index]
    for small, large in itertools.pairwise(scales):
        pages = large["pages"] / small["pages"]
        inside = large["stages"]["warm"]["total"] / small["stages"]["warm"]["total"]
        command = large["cli"]["generate_cold"]["seconds"] / small["cli"]["generate_cold"]["seconds"]
        lines.append(
            f"growth {small['pages']} -> {large['pages']} pages ({pages:.1f}x): {inside:.1f}x the in-process "
            f"pipeline time (warm), {command:.1f}x the cold command time (start-up included)"
        )
    for name, result in report.get("anchors", {}).items():  # type: ignore[attr-defined]
        docgen = scales[-1]["cli"]["generate_cold"]
        lines.append(
            f"{name}: {result['seconds']:.1f} s, {result['peak_mb']:.0f} MB (exit {result['returncode']}); "
            f"docgen cold generate is {docgen['seconds'] / result['seconds']:.2f}x its time and "
            f"{docgen['peak_mb'] / result['peak_mb']:.2f}x its memory"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,34", help="copies of the corpus, comma separated")
    parser.add_argument("--anchors", type=Path, default=Path("/tmp/anchors/bin"), help="bin folder of the anchors")
    parser.add_argument("--work", type=Path, help="where scaled corpora and outputs go (default: a temp folder)")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--table-of", type=Path, help="print the table of an earlier run's JSON and stop")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table_of:
        print(table(json.loads(args.table_of.read_text())))
        return 0
    if args.stages_of:
        print(json.dumps(stages(args.stages_of, args.out, args.jobs)))
        return 0
    if not CORPUS.is_dir():
        print(f"benchmarks need the corpus at {CORPUS}", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    report: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "jobs": args.jobs},
        "scales": [],
    }
    for copies in (int(c) for c in args.scales.split(",")):
        print(f"scale {copies}x ...", file=sys.stderr)
        report["scales"].append(bench_scale(copies, work, args.jobs))  # type: ignore[attr-defined]
    largest = Path(report["scales"][-1]["openapi"])  # type: ignore[index]
    if args.anchors.is_dir():
        print("anchors ...", file=sys.stderr)
        report["anchors"] = bench_anchors(largest, work, args.anchors)
    else:
        print(f"no anchors at {args.anchors}: skipping the side-by-side run", file=sys.stderr)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
