"""Wall time and peak memory of a command, counting every process it starts (docgen's parsing
workers, black's), by sampling /proc: ru_maxrss would give only the largest single process."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float
    returncode: int


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


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measure:
    """Run `command` to the end; its output goes to /dev/null (stderr too, unless it fails)."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_rss_kb(pid) for pid in _tree(process.pid)))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        print(f"  ! {' '.join(command[:3])} ... exited {process.returncode}: {errors.decode()[-400:]}")
    return Measure(seconds, peak / 1024, process.returncode)
