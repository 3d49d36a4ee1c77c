"""Wall time and peak memory of a command, counting every process it starts (docgen's parsing
workers, black's), by sampling /proc: ru_maxrss would give only the largest single process.

The memory of a process tree is the sum of each process's proportional set size (PSS: a page
shared by n processes counts 1/n in each). The sum of RSS counts a forked worker's shared,
copy-on-write pages twice, the parent's and its own; it is kept too (`peak_rss_mb`)."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float  # the largest sum of PSS sampled
    returncode: int
    peak_rss_mb: float = 0.0  # the largest sum of RSS sampled


_EVERY = 0.05  # seconds between samples


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process, in kB."""
    found = {"Pss:": 0, "Rss:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split(maxsplit=1)[0] if line else ""
            if key in found:
                found[key] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return found["Pss:"], found["Rss:"]


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measure:
    """Run `command` to the end; its output goes to /dev/null (stderr too, unless it fails)."""
    peak = peak_rss = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        # smaps_rollup walks a process's page tables: read every 10 ms it would take a good
        # share of a core from the run it measures
        nonlocal peak, peak_rss
        while not done.is_set():
            sizes = [_memory_kb(pid) for pid in _tree(process.pid)]
            peak = max(peak, sum(pss for pss, _ in sizes))
            peak_rss = max(peak_rss, sum(rss for _, rss in sizes))
            done.wait(_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        print(f"  ! {' '.join(command[:3])} ... exited {process.returncode}: {errors.decode()[-400:]}")
    return Measure(seconds, peak / 1024, process.returncode, peak_rss / 1024)
