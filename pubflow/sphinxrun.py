"""Running Sphinx in a process of its own, and turning its warnings into one-line errors.

Each build runs in its own process, forked from this one, so that locales can
build in parallel and no builder's global state leaks into the next.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import itertools
import os
import re
import selectors
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from pubflow.config import ProjectConfig
from pubflow.errors import display_path
from pubflow.glossary import load_glossary
from pubflow.lock import inherited_fds

#: Sphinx's status line for each document of its two long phases (printed without -q, one per line in a pipe).
#: In another console language (LC_MESSAGES) they do not match, and a run counts only when it ends.
_STATUS = re.compile(
    r"^(?P<phase>reading sources|writing output|writing message catalogs)\.\.\. \[\s*(?P<percent>\d+)%\]"
)
#: Where each phase starts in a run, and how much of it it is; the rest (search index, static files) is the end.
PHASES = {"reading sources": (0.0, 0.5), "writing output": (0.5, 0.4), "writing message catalogs": (0.5, 0.4)}

#: What to do about the Sphinx warnings an editor meets most, by their type.
HINTS = {
    "toc.not_included": "; list it in the toctree of docs/index.rst (pubflow import does), or delete it",
    "toc.excluded": "; list it in the toctree of docs/index.rst (pubflow import does), or delete it",
}
_WARNING = re.compile(r"^(?P<where>.+?):(?P<line>\d+)?:? ?(?P<kind>WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.*)$")


@dataclass
class SphinxRun:
    args: list[str]
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        """Sphinx's warnings and errors, each as ``file:line: message``."""
        lines: list[str] = []
        for raw in self.output.splitlines():
            match = _WARNING.match(raw.strip())
            if match:
                # A status line Sphinx had begun ("checking consistency... ") may stand before the warning.
                where = match.group("where").rstrip(":").rsplit("... ", 1)[-1]
                path = Path(where)
                if path.is_absolute():
                    where = display_path(path)
                line = f":{match.group('line')}" if match.group("line") else ""
                message = match.group("msg").strip()
                hint = next((text for code, text in HINTS.items() if message.endswith(f"[{code}]")), "")
                lines.append(f"{where}{line}: {message}{hint}")
        if self.returncode != 0 and not lines:
            tail = [ln for ln in self.output.splitlines() if ln.strip()][-3:]
            lines.extend(tail or ["sphinx-build failed with no message"])
        return lines


def sphinx_command(
    config: ProjectConfig,
    builder: str,
    language: str,
    outdir: Path,
    doctreedir: Path,
    extra: list[str] | None = None,
    warnings_are_errors: bool = True,
) -> list[str]:
    # The extension reads the glossary inside Sphinx, where a malformed one would be a crash
    # log in /tmp; read it here first so that it is one line naming the glossary's line.
    load_glossary(config.glossary_path, config.source_language)
    args = [
        sys.executable, "-m", "sphinx",
        "-b", builder,
        "-c", str(config.root),
        "-d", str(doctreedir),
        "-D", f"language={language}",
        "-q",
        "--keep-going",
    ]  # fmt: skip
    if warnings_are_errors:
        args.append("-W")
    args.extend(extra or [])
    args.extend([str(config.docs_dir), str(outdir)])
    return args


def start(args: list[str], cwd: Path, progress: Callable[[float], None] | None = None) -> SphinxProcess:
    """Start sphinx-build; with ``progress``, it is told the share of the run done (0 to 1) as Sphinx goes.

    The run is a fork of this process, not a new interpreter: Sphinx, its extensions and pubflow's
    are imported once (:func:`preload`) and shared by every edition, which at 200 articles was most
    of what an edition with one changed page cost. Each run still has its own process, so no
    builder's state reaches the next, and locales still build in parallel.
    """
    if args[1:3] != ["-m", "sphinx"]:
        raise ValueError(f"not a sphinx-build command: {args[:3]}")
    if progress is not None:
        args = [arg for arg in args if arg != "-q"]  # Sphinx's status lines are what the progress is read from
    preload()
    read_end, write_end = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or odd stream: the child never writes to it anyway
            stream.flush()
    with warnings.catch_warnings():
        # Python 3.12 warns about a fork beside other threads (rich's refresh thread on a terminal): the
        # child never touches what they hold; it writes only to its own new streams (see _child).
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(args[3:], cwd, write_end)
    os.close(write_end)
    return SphinxProcess(args, pid, read_end, progress)


def preload() -> None:
    """Import what every sphinx-build imports, once, so that each forked run starts with it."""
    global _preloaded
    if _preloaded:
        return
    import sphinx.application
    import sphinx.cmd.build

    for name in sphinx.application.builtin_extensions:
        importlib.import_module(name)
    importlib.import_module("pubflow.sphinxext")
    _preloaded = True


_preloaded = False


def _child(argv: list[str], cwd: Path, output: int) -> NoReturn:
    """The forked run: Sphinx's main with its output into ``output``; never returns."""
    code = 1
    try:
        # What this process was doing is not the run's: objects from before the fork are never
        # collected (a finaliser would run twice), and the streams are new ones on the pipe.
        gc.freeze()
        os.dup2(output, 1)
        os.dup2(output, 2)
        keep = sorted({0, 1, 2, *inherited_fds()})  # Sphinx holds the project lock with us, even if we are killed
        for low, high in itertools.pairwise([*keep, MAXFD]):
            os.closerange(low + 1, high)
        global _parent_streams
        _parent_streams = (sys.stdout, sys.stderr)  # kept, so that dropping them never flushes their buffers here
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
        os.environ.update(RUN_ENVIRONMENT)
        os.environ.pop("LANGUAGE", None)
        warnings.resetwarnings()
        warnings.simplefilter("ignore")
        os.chdir(cwd)
        sys.argv = ["sphinx-build", *argv]
        from sphinx.cmd.build import main

        code = main(argv)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


_parent_streams: tuple[object, object] | None = None
#: Above any descriptor a process here opens.
MAXFD = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536
#: Sphinx's output is read here, never shown as it is, so it runs in one known console language.
#: Sphinx 8 colours it, and writes each status line as an erase-line code and a carriage return,
#: whenever CI=true or FORCE_COLOR is set, as CI services do: NO_COLOR keeps plain lines. A
#: translated console (LANG=zh_CN.UTF-8) would word the status lines the patterns above read
#: in Chinese, and a locale the system lacks stops sphinx-build at its first line.
RUN_ENVIRONMENT = {"PYTHONWARNINGS": "ignore", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


class SphinxProcess:
    """A running sphinx-build: its output, read as it comes, and its progress told from its status lines."""

    def __init__(self, args: list[str], pid: int, output: int, progress: Callable[[float], None] | None):
        self.args = args
        self.pid = pid
        self.returncode: int | None = None
        self._output = output
        self._progress = progress
        self._chunks: list[bytes] = []
        self._partial = b""

    def fileno(self) -> int:
        return self._output

    @property
    def reading(self) -> bool:
        return self._output >= 0

    def read_some(self) -> None:
        """Read what the run has written (it is ready), and reap the run at its end."""
        data = os.read(self._output, 65536)
        if not data:
            os.close(self._output)
            self._output = -1
            self._tell(self._partial)
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
            return
        self._chunks.append(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:
            self._tell(line)

    def _tell(self, line: bytes) -> None:
        if self._progress is None or not line:
            return
        status = _STATUS.match(line.decode("utf-8", "replace"))
        if status:
            begins, share = PHASES[status.group("phase")]
            self._progress(begins + share * int(status.group("percent")) / 100)

    @property
    def output(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")


def wait_first(processes: list[SphinxProcess]) -> SphinxProcess:
    """Read every run's output as it comes, until one of them ends; that one."""
    with selectors.DefaultSelector() as selector:
        for process in processes:
            if not process.reading:
                return process
            selector.register(process, selectors.EVENT_READ, process)
        while True:
            for key, _events in selector.select():
                ready: SphinxProcess = key.data
                ready.read_some()
                if not ready.reading:
                    return ready


def finish(process: SphinxProcess) -> SphinxRun:
    while process.reading:
        wait_first([process])
    assert process.returncode is not None
    return SphinxRun(process.args, process.returncode, process.output)


def run(args: list[str], cwd: Path, progress: Callable[[float], None] | None = None) -> SphinxRun:
    return finish(start(args, cwd, progress))
