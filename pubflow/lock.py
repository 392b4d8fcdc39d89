"""The project lock: one command that writes at a time, so that none loses another's update.

Every verb that writes (import, extract, update, convert, memory, format,
xliff, tmx, tbx, build, publish; registered with ``lock="exclusive"`` in pubflow/commands/) and each of
serve's rebuilds holds an exclusive ``fcntl.flock`` on ``<output>/.pubflow.lock`` for its whole
run. The kernel releases the lock when its holder exits, however it exits
(even SIGKILL), so a lock is never left stale. The holder's pid, command and
start time are written into the file for the message a second command shows.
A second command waits for the lock, saying who holds it; with ``--no-wait``
it exits at once with status 2 instead. The verbs that only read (check,
coverage) hold the lock shared: any number of them run together, and none
runs while a writer does. Without it, a check run while update was
rewriting the templates found nothing stale and passed.

The programs a command starts (sphinx-build, msgmerge, xelatex) share the lock: when
the command is killed, a program it started may run on, and the next
command waits until that program has finished too.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pubflow.errors import PubflowError

LOCK_NAME = ".pubflow.lock"
UNKNOWN_HOLDER = "another pubflow command"
_held: list[int] = []


def inherited_fds() -> tuple[int, ...]:
    """File descriptors a child process must keep (``pass_fds``), so that it holds the lock too."""
    return tuple(_held)


def lock_path(output_dir: Path) -> Path:
    return output_dir / LOCK_NAME


def describe_holder(path: Path) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        holder = ""
    return holder or UNKNOWN_HOLDER


@contextmanager
def project_lock(
    output_dir: Path,
    command: str,
    wait: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    shared: bool = False,
) -> Iterator[None]:
    """Hold the project lock for the body; wait for it, or fail at once when ``wait`` is False.

    ``shared``: a reader's hold, which other readers share and a writer waits for.
    """
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    path = lock_path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        # Opened without truncating: the holder's description stays readable until we hold the lock.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PubflowError(f"cannot open the project lock: {exc.strerror}", path) from None
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(path)
            if holder == UNKNOWN_HOLDER:  # the holder got the lock a moment ago and is writing its name
                time.sleep(0.2)
                holder = describe_holder(path)
            if not wait:
                raise PubflowError(
                    f"the project is locked by {holder}; run again when it has finished "
                    "(or without --no-wait to wait for it)",
                    path,
                ) from None
            progress(f"waiting for {holder} to finish (the project lock {path.name} is held)")
            fcntl.flock(fd, mode)
        if not shared:  # readers leave the last writer's line alone: they are many, and change nothing
            started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"`pubflow {command}` (pid {os.getpid()}, started {started})\n".encode(), 0)
        _held.append(fd)
        try:
            yield
        finally:
            _held.remove(fd)
            if not shared:
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
