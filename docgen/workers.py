"""Worker processes that end with docgen: capped at the cores there are, stopped when docgen is
interrupted or terminated, and killed by the kernel if docgen itself is killed."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Generic, TypeVar, cast

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


def _start_worker(parent: int, setup: tuple[Callable[..., object], tuple[object, ...]] | None = None) -> None:
    """`parent`: docgen's process id (0 when a fork server, not docgen, starts the workers);
    `setup`: a function and its arguments, run once in each worker before its first task (what
    every task needs, handed over once: pickled under `spawn` and `forkserver`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is docgen's to handle, not each worker's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGPIPE"):
        # a result written after docgen has gone (its end of the pipe closed as it was killed,
        # a moment before the kernel kills this worker too) ends the worker without a word
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        if parent and os.getppid() != parent:
            os._exit(0)  # docgen died before the line above could tie this worker to it
    if setup is not None:
        setup[0](*setup[1])


def _serve(connection: Connection, parent: int, setup: tuple[Callable[..., object], tuple[object, ...]] | None) -> None:
    """A worker: tasks in, results (or the exception a task raised) out, on its own pipe."""
    _start_worker(parent, setup)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, chunk = task
        try:
            answer: tuple[bool, object] = (True, [function(item) for item in chunk])
        except Exception as error:  # the task's own failure: raised again in docgen
            answer = (False, error)
        try:
            connection.send(answer)
        except (BrokenPipeError, EOFError, OSError):
            return
        except Exception as error:  # an answer that does not pickle
            connection.send((False, RuntimeError(f"a worker's answer cannot be sent: {error!r}")))


def pool_map(function: Callable[[A], R], items: Iterable[A], workers: int, chunk: int) -> Iterator[R]:
    """function over items in `workers` processes, results in input order."""
    with beside(function, items, workers, chunk) as results:
        yield from results


class _Gone(Exception):
    """A worker ended without answering (killed, or out of memory)."""


class Results(Generic[R]):
    """The results of `beside`, in input order: all of them (iterating waits for each), or
    those that have come in (`ready`, which never waits)."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._answers: dict[int, tuple[bool, object]] = {}
        self._next = 0
        self._pending: deque[R] = deque()
        self._changed = threading.Condition()

    def _put(self, index: int, answer: tuple[bool, object]) -> None:
        with self._changed:
            self._answers[index] = answer
            self._changed.notify_all()

    def _take(self, wait: bool) -> bool:
        """Move the next chunk's results into `_pending`; False when there is none (yet)."""
        if self._next >= self._count:
            return False
        with self._changed:
            while wait and self._next not in self._answers:
                self._changed.wait()
            if self._next not in self._answers:
                return False
            ok, value = self._answers.pop(self._next)
        self._next += 1
        if not ok:
            raise value if isinstance(value, BaseException) else RuntimeError(str(value))
        self._pending.extend(cast(list[R], value))
        return True

    def __iter__(self) -> Iterator[R]:
        while True:
            while self._pending:
                yield self._pending.popleft()
            if not self._take(wait=True):
                return

    def ready(self) -> Iterator[R]:
        while True:
            while self._pending:
                yield self._pending.popleft()
            if not self._take(wait=False):
                return


def _feed(
    connection: Connection, tasks: Iterator[tuple[int, object]], results: Results[R], lock: threading.Lock
) -> None:
    """One worker's go-between in this process: the next task out, its answer back, until
    there are no more tasks or the worker is gone (then its task fails, and docgen says so)."""
    while True:
        with lock:
            item = next(tasks, None)
        if item is None:
            break
        index, task = item
        try:
            connection.send(task)
            answer = connection.recv()
        except (EOFError, OSError):
            gone = (False, _Gone("a worker process ended without answering (killed, or out of memory?)"))
            results._put(index, gone)
            with lock:  # and so do the tasks no one has taken: nobody waits for them forever
                for rest, _ in tasks:
                    results._put(rest, gone)
            return
        results._put(index, answer)
    with contextlib.suppress(OSError):
        connection.send(None)


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
    start method (`fork`, `spawn`, `forkserver`) changes nothing. Each worker has a pipe of its
    own and nothing else is shared, so no lock a killed worker held can stop docgen; however the
    block ends (an exception, KeyboardInterrupt, SystemExit from SIGTERM), the workers end with
    it: told to, or killed."""
    listed = list(items)
    tasks = [(function, listed[i : i + chunk]) for i in range(0, len(listed), max(1, chunk))]
    import multiprocessing  # here: a run with nothing to share out never pays for importing it

    context = multiprocessing.get_context()
    results: Results[R] = Results(len(tasks))
    queue = iter(enumerate(tasks))
    lock = threading.Lock()
    parent = 0 if context.get_start_method() == "forkserver" else os.getpid()
    processes, feeders, ours = [], [], []
    # the threads here feed the workers and take their answers; while this process does its
    # own share they wait for the GIL, and at the default 5 ms the workers starve
    interval = sys.getswitchinterval()
    sys.setswitchinterval(_SWITCH)
    try:
        for _ in range(max(1, min(workers, len(tasks)))):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, parent, setup), daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            ours.append(mine)
            feeder = threading.Thread(target=_feed, args=(mine, queue, results, lock), daemon=True)
            feeder.start()
            feeders.append(feeder)
        yield results
    except BaseException:
        for process in processes:
            process.kill()
        raise
    finally:
        sys.setswitchinterval(interval)
        for process in processes:
            process.join()
        for feeder in feeders:  # each sees its worker's pipe end: done, or closed by the kill
            feeder.join()
        for mine in ours:
            mine.close()


class Terminated(SystemExit):
    """SIGTERM, raised where the program is so that every `finally` runs and workers stop."""


def exit_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, handler)
