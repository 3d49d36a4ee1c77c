"""The maintainer's loop, as the command line runs it, at the size of the whole reference:
cold generate, nothing changed, one page edited, ten pages edited, a stale check, and
datamodel-code-generator (models only) on the same API in the same run.

    .venv/bin/python benchmarks/loop.py [--copies 2] [--runs 3] [--anchors /tmp/anchors/bin] [--json F]
    .venv/bin/python benchmarks/loop.py --reference msgraph [--runs 3] [--anchors ...] [--json F]

The pages are `--copies` renamed copies of ../shared/corpus/superoffice-2023 (benchmarks/scale.py;
two copies make 3,576 pages, more than the whole reference's 3,262), or with `--reference msgraph`
the half of the Graph reference in ../shared/corpus/msgraph-2021 as it is (1,654 pages). Every step is a fresh
process; each figure is the median of `--runs`; peak memory is the process tree's RSS. Run by
hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "superoffice-2023"
GRAPH = ROOT.parent / "shared" / "corpus" / "msgraph-2021"
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import scale  # noqa: E402

DOCGEN = [sys.executable, "-m", "docgen"]


def _edit(page: Path, n: int) -> None:
    """A change a maintainer makes: a description reworded."""
    text = page.read_text(encoding="utf-8")
    marker = "\n\n"
    head, sep, tail = text.partition("```\n\n")
    page.write_text(head + sep + f"Edited {n}.{marker}" + tail, encoding="utf-8")


def _step(command: list[str], cwd: Path) -> tuple[float, float, int, float]:
    os.sync()  # what the step before deleted is settled on disk before this step is timed
    done = measure.run(command, cwd)
    return done.seconds, done.peak_mb, done.returncode, done.peak_rss_mb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--anchors", type=Path, help="a bin folder with datamodel-codegen")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--reference", choices=("superoffice", "msgraph"), default="superoffice")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-loop-"))
    pages = work / "pages"
    if args.reference == "msgraph":
        shutil.copytree(GRAPH, pages)
        all_pages = sorted(p for p in pages.rglob("*.md") if "```" in p.read_text(encoding="utf-8"))
        count = len(list(pages.rglob("*.md")))
    else:
        count = scale.build(CORPUS, pages, args.copies)
        all_pages = sorted(pages.rglob("v1*.md"))
    out = work / "out"
    cache = work / "cache"
    base = [*DOCGEN, "generate", str(pages), "--out", str(out), "-q", "--cache-dir", str(cache)]
    check = [*DOCGEN, "check", str(pages), "--out", str(out), "-q", "--cache-dir", str(cache)]
    steps: dict[str, list[tuple[float, float, int, float]]] = {}

    def record(name: str, command: list[str]) -> None:
        steps.setdefault(name, []).append(_step(command, ROOT))

    for run in range(args.runs):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        # into a folder never used: deleting a tree just before (this file system discards the
        # freed blocks as new files are made) would be timed as part of the run
        cold_run = [*DOCGEN, "generate", str(pages), "--out", str(work / f"cold-{run}"), "-q", "--no-cache"]
        record("cold generate --no-cache", cold_run)
        record("generate (fills the cache)", base)
        record("no change: check", check)
        record("no change: generate", base)
        _edit(all_pages[run * 37 % len(all_pages)], run)
        record("one page edited: check", check)
        record("one page edited: generate", base)
        for k in range(10):
            _edit(all_pages[(run * 101 + k * 53) % len(all_pages)], 100 + k)
        record("ten pages edited: check", check)
        record("output stale: check again", check)
        record("ten pages edited: generate", base)
    if args.anchors and (args.anchors / "datamodel-codegen").exists():
        # Graph's schema names are dotted (microsoft.graph.user): modules in a package folder
        target = work / ("dmcg" if args.reference == "msgraph" else "dmcg.py")
        for _ in range(args.runs):
            record(
                "datamodel-code-generator, models only",
                [str(args.anchors / "datamodel-codegen"), "--input", str(out / "openapi.yaml"), "--input-file-type", "openapi",
                 "--output", str(target), "--output-model-type", "pydantic_v2.BaseModel"],
            )  # fmt: skip
    cold = statistics.median(s for s, *_ in steps["cold generate --no-cache"])
    anchor = steps.get("datamodel-code-generator, models only")
    # a run that failed is no time to compare with
    dmcg = statistics.median(s for s, *_ in anchor) if anchor and all(r[2] == 0 for r in anchor) else None
    results = {}
    print(f"{count} pages, median of {args.runs}")
    print("| step | seconds | x cold | peak MB (PSS) | peak MB (RSS sum) |\n|---|---:|---:|---:|---:|")
    for name, runs in steps.items():
        seconds = statistics.median(s for s, *_ in runs)
        peak, peak_rss = max(r[1] for r in runs), max(r[3] for r in runs)
        results[name] = {
            "seconds": seconds, "ratio_to_cold": seconds / cold, "peak_mb": peak, "peak_rss_mb": peak_rss,
            "exit": [r[2] for r in runs],
        }  # fmt: skip
        print(f"| {name} | {seconds:.2f} | {seconds / cold:.2f} | {peak:.0f} | {peak_rss:.0f} |")
    if dmcg:
        print(f"cold generate / datamodel-code-generator: {cold / dmcg:.2f}")
        results["cold / datamodel-code-generator"] = cold / dmcg
    if args.json:
        args.json.write_text(json.dumps({"pages": count, "runs": args.runs, "steps": results}, indent=1), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
