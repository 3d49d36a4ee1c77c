"""Worker processes that end with docgen: capped at the cores there are, stopped when docgen is
interrupted or terminated, and killed by the kernel if docgen itself is killed."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")
_PR_SET_PDEATHSIG = 1


def cpu_count() -> int:
    """The cores this process may run on (a container's share, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """--jobs N, never more than the cores: more processes only cost memory and start-up."""
    return cpu_count() if jobs <= 0 else min(jobs, cpu_count())


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is docgen's to handle, not each worker's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def pool_map(function: Callable[[A], R], items: Iterable[A], workers: int, chunk: int) -> Iterator[R]:
    """function over items in `workers` processes, results in input order. However the loop
    ends (an exception, KeyboardInterrupt, SystemExit from SIGTERM), the workers end with it."""
    pool = multiprocessing.get_context().Pool(workers, initializer=_start_worker)
    try:
        yield from pool.imap(function, items, chunksize=chunk)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class Terminated(SystemExit):
    """SIGTERM, raised where the program is so that every `finally` runs and workers stop."""


def exit_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, handler)
