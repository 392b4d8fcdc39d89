"""Progress of long work on stderr: a bar per stage on a terminal, plain lines elsewhere, a summary of times.

A verb opens a *stage* (``update``, ``build pdf`` …) around a stage function
and hands it the stage's :class:`Meter`; the function says how many units it
expects (catalogs, editions, PDFs) and advances as each is done. On a
terminal each stage is a rich progress bar with its count, elapsed time and
an estimate of the time left; the verb's own messages scroll above it. When
stderr is not a terminal, or the ``CI`` variable is set, each stage is a few
plain lines instead (its start, a count with an estimate at every tenth of
the work or every 30 seconds, its end), with no escape code, so that CI logs
stay readable. ``publish`` ends with each stage's time.

Everything goes to stderr: stdout stays clean for ``--format json``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, ProgressColumn, Task, TaskID
    from rich.text import Text

#: In plain mode, a count line at least this often (seconds) while a stage runs, besides one per tenth.
PLAIN_INTERVAL = 30.0
#: No estimate before this share of a stage is done: a Sphinx run's first percent says little of the rest.
ESTIMATE_FROM = 0.05


class Meter(Protocol):
    """What a stage function reports: how many units it expects, and each one done."""

    def expect(self, total: int) -> None: ...

    def advance(self, count: float = 1) -> None: ...


class _NoMeter:
    def expect(self, total: int) -> None:
        pass

    def advance(self, count: float = 1) -> None:
        pass


#: The default of every stage function: counts nothing.
NO_METER: Meter = _NoMeter()


def format_duration(seconds: float) -> str:
    """``0.4 s``, ``12.3 s``, ``4 min 05 s``, ``1 h 02 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def estimate_left(elapsed: float, completed: float, total: float | None) -> float | None:
    """Seconds left at the pace so far (the stage's whole elapsed time over the units done)."""
    if not total or completed < total * ESTIMATE_FROM or completed >= total:
        return None
    return elapsed / completed * (total - completed)


def plural(count: float, unit: str) -> str:
    return unit if count == 1 or not unit else f"{unit}s"


class Portion:
    """One unit of a meter, advanced in fractions as a long run reports its share done (a Sphinx build)."""

    def __init__(self, meter: Meter):
        self.meter = meter
        self.done = 0.0
        self.lock = threading.Lock()

    def to(self, fraction: float) -> None:
        with self.lock:
            step = min(fraction, 1.0) - self.done
            if step > 0:
                self.done += step
                self.meter.advance(step)

    def finish(self) -> None:
        self.to(1.0)


@dataclass
class StageTime:
    name: str
    seconds: float
    completed: int
    unit: str


@dataclass
class _PlainMeter:
    """A stage as plain lines: a count with an estimate at each tenth of the work or every PLAIN_INTERVAL seconds."""

    reporter: Reporter
    name: str
    unit: str
    started: float = field(default_factory=time.monotonic)
    total: int | None = None
    completed: float = 0
    last_line: float = field(default_factory=time.monotonic)
    last_tenth: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expect(self, total: int) -> None:
        with self.lock:
            self.total = total

    def advance(self, count: float = 1) -> None:
        with self.lock:
            self.completed += count
            now = time.monotonic()
            tenth = int(self.completed * 10 // self.total) if self.total else 0
            if self.total and self.completed >= self.total - 1e-9:
                return  # the stage's end line says it
            if tenth > self.last_tenth or now - self.last_line >= PLAIN_INTERVAL:
                self.last_tenth, self.last_line = tenth, now
                self.reporter.message(self.count_line(now))

    def count_line(self, now: float) -> str:
        elapsed = now - self.started
        if not self.unit:  # a single run: its share done
            line = f"{self.name}: {self.completed / self.total:.0%}" if self.total else self.name
        else:
            of_total = f"/{self.total}" if self.total else ""
            whole = self.completed == int(self.completed)
            done = f"{self.completed:.0f}" if whole else f"{self.completed:.1f}"  # an edition half built: 0.5
            line = f"{self.name}: {done}{of_total} {plural(self.total or self.completed, self.unit)}"
        left = estimate_left(elapsed, self.completed, self.total)
        line += f", {format_duration(elapsed)} elapsed"
        if left is not None:
            line += f", about {format_duration(left)} left"
        return line


class _BarMeter:
    def __init__(self, progress: Progress, task: TaskID):
        self.progress = progress
        self.task = task

    def expect(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advance(self, count: float = 1) -> None:
        self.progress.advance(self.task, count)

    @property
    def completed(self) -> float:
        return self.progress.tasks[self.task].completed


def _columns() -> list[ProgressColumn]:
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class CountColumn(ProgressColumn):
        """``12/400 catalogs``; nothing for a stage that counts no units."""

        def render(self, task: Task) -> Text:
            unit = task.fields.get("unit", "")
            if not unit:
                return Text("")
            total = "?" if task.total is None else f"{task.total:.0f}"
            # Whole units only: an edition half built is not yet one.
            return Text(f"{int(task.completed + 1e-9)}/{total} {plural(2, unit)}", style="progress.download")

    class EstimateColumn(ProgressColumn):
        """The time left at the stage's pace so far, from its start (rich's own column waits for two samples)."""

        def render(self, task: Task) -> Text:
            if task.finished:
                return Text("done", style="progress.elapsed")
            left = estimate_left(task.elapsed or 0.0, task.completed, task.total)
            return Text("" if left is None else f"about {format_duration(left)} left", style="progress.remaining")

    return [
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description:<12}"),
        BarColumn(),
        CountColumn(),
        TimeElapsedColumn(),
        EstimateColumn(),
    ]


def is_interactive(stream: TextIO) -> bool:
    """A person watching a terminal, not a CI log or a pipe."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Reporter:
    """The verbs' messages and stages on stderr, so that stdout stays clean for ``--format json``.

    Called with a message, it prints ``pubflow: message``; :meth:`stage`
    measures a stage; :meth:`summary` prints the time of each stage so far.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, interactive: bool | None = None):
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = is_interactive(self.stream) if interactive is None else interactive
        self.times: list[StageTime] = []
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._print_lock = threading.Lock()

    def __call__(self, message: str) -> None:
        self.message(message)

    def message(self, message: str) -> None:
        if self.quiet:
            return
        if self._progress is not None:
            # Above the live bars, which rich redraws below it.
            self._progress.console.print(f"pubflow: {message}", markup=False, highlight=False, soft_wrap=True)
            return
        with self._print_lock:
            print(f"pubflow: {message}", file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str, unit: str = "") -> Iterator[Meter]:
        """Measure one stage; its meter counts units of ``unit`` (``catalog``, ``PDF`` …)."""
        started = time.monotonic()
        meter: _PlainMeter | _BarMeter | _NoMeter
        if self.quiet:
            meter = _NoMeter()
        elif self.interactive:
            meter = self._bar(name, unit)
        else:
            meter = _PlainMeter(self, name, unit)
        try:
            yield meter
        except BaseException:
            # The error that follows is the one line to read (a bar stops where it was); no summary line.
            if isinstance(meter, _BarMeter):
                self._end_bar(meter, failed=True)
            raise
        seconds = time.monotonic() - started
        completed = round(getattr(meter, "completed", 0))
        self.times.append(StageTime(name, seconds, completed, unit))
        if isinstance(meter, _BarMeter):
            self._end_bar(meter, failed=False)
        elif isinstance(meter, _PlainMeter):
            counted = f"{completed} {plural(completed, unit)} " if unit else ""
            self.message(f"{name}: done, {counted}in {format_duration(seconds)}")

    def _bar(self, name: str, unit: str) -> _BarMeter:
        from rich.console import Console
        from rich.progress import Progress

        if self._progress is None:
            self._progress = Progress(
                *_columns(),
                console=Console(file=self.stream),
                redirect_stdout=False,  # stdout is the verb's output (JSON, reports), never the bars'
                redirect_stderr=True,  # other lines on stderr scroll above the bars
            )
            self._progress.start()
        task = self._progress.add_task(name, total=None, unit=unit)
        return _BarMeter(self._progress, task)

    def _end_bar(self, meter: _BarMeter, failed: bool) -> None:
        progress = meter.progress
        task = progress.tasks[meter.task]
        if not failed and task.total is None:
            progress.update(meter.task, total=task.completed or 1, completed=task.completed or 1)
        elif not failed:
            progress.update(meter.task, total=task.completed)  # finished, whatever was expected
        progress.stop_task(meter.task)
        if all(t.stop_time is not None for t in progress.tasks):
            progress.stop()
            self._progress = None

    def summary(self, title: str) -> None:
        """Each stage's time and share of the whole run (from this reporter's start), after the run's."""
        if self.quiet or not self.times:
            return
        total = time.monotonic() - self.started
        width = max(len(t.name) for t in self.times)
        self.message(f"{title} in {format_duration(total)}:")
        for entry in self.times:
            counted = f"  {entry.completed} {plural(entry.completed, entry.unit)}" if entry.unit else ""
            share = f"{entry.seconds / total:>4.0%}" if total else ""
            self.message(f"  {entry.name:<{width}}  {format_duration(entry.seconds):>11}  {share}{counted}")
