"""Empty files made ahead of a write, by a process beside this one while the run works.

On some file systems making a file (its inode) is most of what writing a small one costs: 200
to 300 µs of kernel time on the ext4 these machines run, against 5 µs to link a file that
exists, and a new tree has 1,300 of them. A child process, scheduled only where no other work
wants a core (while this process builds the model alone, in the gaps of the parse), makes empty
files in a folder of its own beside the output from the moment the pages are found. The write
stops it, links each blank to a file's name and fills it; where there is none left, or one is
not as the child made it, the write makes the file itself. What is not used is removed; a run
killed before that leaves the folder for the next run's sweep (output.swap.tidy), which
removes only empty files named as the child names them.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections import deque
from pathlib import Path

from docgen.output.guard import Refused, resolve_out
from docgen.output.swap import BLANKS, WORK, listed_blanks, remove_blanks


class Blanks:
    """The blanks of one run: `take` the next (the first call stops the child), `close` at the end."""

    def __init__(self, work: Path, pid: int) -> None:
        self.work = work  # the run's folder beside the output; the blanks are in work/BLANKS
        self._pid = pid
        self._ready: deque[Path] | None = None

    @classmethod
    def start(cls, out: Path, most: int) -> Blanks | None:
        """Blanks for a write into `out` (at most `most` of them), or None where they cannot be
        made: not a POSIX system, no Python to run the child with (a frozen application's
        executable is the application), no parent folder yet, or a folder or process that
        cannot be made."""
        if most <= 0 or os.name != "posix" or not sys.executable or getattr(sys, "frozen", False):
            return None
        try:
            real = resolve_out(out)
            if not real.parent.is_dir():
                return None
            work = real.parent / (WORK.format(name=real.name) + os.urandom(4).hex())
            os.mkdir(work)
        except (OSError, Refused):
            return None
        try:
            os.mkdir(work / BLANKS)
            # spawned, not forked: a fork would make this process copy every page it then writes
            argv = [sys.executable, "-I", "-S", "-c", _CHILD, str(work / BLANKS), str(most), str(os.getpid())]
            quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
            pid = os.posix_spawn(sys.executable, argv, os.environ, file_actions=quiet, setsigmask=[signal.SIGINT])
        except OSError:
            _remove(work)
            return None
        return cls(work, pid)

    def take(self) -> Path | None:
        """The next blank, or None when there are no more."""
        if self._ready is None:
            self._stop()
            self._ready = deque(listed_blanks(self.work))
        return self._ready.popleft() if self._ready else None

    def close(self) -> None:
        """Stop the child and remove every blank not taken, and the folder."""
        self._stop()
        self._ready = deque()
        _remove(self.work)

    def _stop(self) -> None:
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass  # already reaped (a program that embeds docgen and ignores SIGCHLD)
            self._pid = 0


# The child: a process of its own, run where no other work wants a core, that ends when docgen
# does (its parent changes) or when it has made `most`. Plain code, so that it starts in
# milliseconds; Ctrl-C is docgen's to handle (blocked here), and it has no terminal to print on.
_CHILD = """
import os, sys
folder, most, parent = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
except (AttributeError, OSError):
    os.nice(19)
fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
for n in range(most):
    if os.getppid() != parent:
        break
    os.close(os.open(str(n), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=fd))
"""


def _remove(work: Path) -> None:
    remove_blanks(work)
    try:
        os.rmdir(work)
    except OSError:
        pass  # something else is in it: the next run's sweep sees to it


def fill(blank: Path, target: str) -> int | None:
    """An open descriptor for writing at `target` (which must not exist), made from `blank`;
    None, with nothing left at `target` and the blank as it was, when the blank is gone or is
    not an empty file this run alone holds."""
    try:
        os.link(blank, target, follow_symlinks=False)
    except OSError:
        return None
    fd = -1
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_BINARY", 0))
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 2 and info.st_size == 0:
            os.unlink(blank)
            return fd
    except OSError:
        pass
    if fd >= 0:
        os.close(fd)
    os.unlink(target)
    return None
