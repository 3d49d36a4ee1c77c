"""Worker processes that end with docgen: capped at the cores there are, stopped when docgen is
interrupted or terminated, and killed by the kernel if docgen itself is killed."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

A = TypeVar("A")
R = TypeVar("R")
_PR_SET_PDEATHSIG = 1
_SWITCH = 0.001  # seconds: the GIL switch interval while workers run beside this process


def cpu_count() -> int:
    """The cores this process may run on (a container's share, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """--jobs N, never more than the cores: more processes only cost memory and start-up."""
    return cpu_count() if jobs <= 0 else min(jobs, cpu_count())


def _start_worker(setup: tuple[Callable[..., object], tuple[object, ...]] | None = None) -> None:
    """`setup`: a function and its arguments, run once in each worker before its first task
    (what every task needs, handed over once: pickled under `spawn` and `forkserver`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is docgen's to handle, not each worker's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if setup is not None:
        setup[0](*setup[1])


def pool_map(function: Callable[[A], R], items: Iterable[A], workers: int, chunk: int) -> Iterator[R]:
    """function over items in `workers` processes, results in input order."""
    with beside(function, items, workers, chunk) as results:
        yield from results


def _apply(task: tuple[Callable[[A], R], list[A]]) -> list[R]:
    function, chunk = task
    return [function(item) for item in chunk]


class Results(Generic[R]):
    """The results of `beside`, in input order: all of them (iterating waits for each), or
    those that have come in (`ready`, which never waits)."""

    def __init__(self, chunks: Iterator[list[R]]) -> None:
        self._chunks = chunks
        self._pending: deque[R] = deque()

    def __iter__(self) -> Iterator[R]:
        while True:
            while self._pending:
                yield self._pending.popleft()
            try:
                self._pending.extend(next(self._chunks))
            except StopIteration:
                return

    def ready(self) -> Iterator[R]:
        import multiprocessing  # imported already: there is a pool
        while True:
            while self._pending:
                yield self._pending.popleft()
            try:
                self._pending.extend(self._chunks.next(timeout=0))  # type: ignore[attr-defined]
            except (multiprocessing.TimeoutError, StopIteration):
                return


@contextlib.contextmanager
def beside(
    function: Callable[[A], R],
    items: Iterable[A],
    workers: int,
    chunk: int,
    setup: tuple[Callable[..., object], tuple[object, ...]] | None = None,
) -> Iterator[Results[R]]:
    """function over items in `workers` processes started now, so that this process can do its
    own share meanwhile. Workers get everything as arguments (`setup`, then their items), so the
    start method (`fork`, `spawn`, `forkserver`) changes nothing. However the block ends (an
    exception, KeyboardInterrupt, SystemExit from SIGTERM), the workers end with it."""
    listed = list(items)
    tasks = [(function, listed[i : i + chunk]) for i in range(0, len(listed), max(1, chunk))]
    import multiprocessing  # here: a run with nothing to share out never pays for importing it

    pool = multiprocessing.get_context().Pool(workers, initializer=_start_worker, initargs=(setup,))
    # the pool's threads here feed the workers and take their results; while this process
    # does its own share they wait for the GIL, and at the default 5 ms the workers starve
    interval = sys.getswitchinterval()
    sys.setswitchinterval(_SWITCH)
    try:
        yield Results(pool.imap(_apply, tasks))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        sys.setswitchinterval(interval)
        pool.join()


class Terminated(SystemExit):
    """SIGTERM, raised where the program is so that every `finally` runs and workers stop."""


def exit_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, handler)
