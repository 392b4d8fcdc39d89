"""Running Sphinx as a separate process, and turning its warnings into one-line errors.

Each build runs in its own process so that locales can build in parallel and
no builder's global state leaks into the next.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
#: Runs followed for their progress: the thread reading each one's output, and the lines read.
_followers: dict[int, tuple[threading.Thread, list[str]]] = {}

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


def start(args: list[str], cwd: Path, progress: Callable[[float], None] | None = None) -> subprocess.Popen[str]:
    """Start sphinx-build; with ``progress``, it is told the share of the run done (0 to 1) as Sphinx goes."""
    # Sphinx's output is read here, never shown as it is, so it runs in one known console language.
    # Sphinx 8 colours it, and writes each status line as an erase-line code and a carriage return,
    # whenever CI=true or FORCE_COLOR is set, as CI services do: NO_COLOR keeps plain lines. A
    # translated console (LANG=zh_CN.UTF-8) would word the status lines the patterns above read
    # in Chinese, and a locale the system lacks stops sphinx-build at its first line.
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    if progress is not None:
        args = [arg for arg in args if arg != "-q"]  # Sphinx's status lines are what the progress is read from
    process = subprocess.Popen(
        args,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        pass_fds=inherited_fds(),  # Sphinx holds the project lock with us, even if we are killed
    )
    if progress is not None:
        lines: list[str] = []
        thread = threading.Thread(target=_follow, args=(process, lines, progress), daemon=True)
        thread.start()
        _followers[process.pid] = (thread, lines)
    return process


def _follow(process: subprocess.Popen[str], lines: list[str], progress: Callable[[float], None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        status = _STATUS.match(line)
        if status:
            begins, share = PHASES[status.group("phase")]
            progress(begins + share * int(status.group("percent")) / 100)


def finish(process: subprocess.Popen[str]) -> SphinxRun:
    follower = _followers.pop(process.pid, None)
    if follower is None:
        output, _ = process.communicate()
    else:
        thread, lines = follower
        thread.join()
        process.wait()
        output = "".join(lines)
    return SphinxRun(list(map(str, process.args)), process.returncode, output)  # type: ignore[arg-type]


def run(args: list[str], cwd: Path, progress: Callable[[float], None] | None = None) -> SphinxRun:
    return finish(start(args, cwd, progress))
