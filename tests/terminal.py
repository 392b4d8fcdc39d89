"""Running pubflow with its stderr on a real pseudo-terminal, as a person at a terminal would see it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import termios
from dataclasses import dataclass
from pathlib import Path

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class TerminalRun:
    returncode: int
    stdout: str
    #: Everything written to the terminal, escape codes included.
    terminal: str

    @property
    def lines(self) -> list[str]:
        """Every line and every redrawn frame of a line, escape codes removed, in order."""
        text = ESCAPE.sub("", self.terminal)
        return [line for line in re.split(r"[\r\n]+", text) if line.strip()]


def run_on_terminal(
    *args: str, cwd: Path, env: dict[str, str] | None = None, columns: int = 120, timeout: float = 300
) -> TerminalRun:
    """pubflow with stderr on a pseudo-terminal of ``columns`` columns and stdout on a pipe.

    CI's own ``CI`` variable is removed (pass it in ``env`` to set it): the run is as at a person's terminal.
    """
    base = {key: value for key, value in os.environ.items() if key != "CI"}
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    # stdout into a file, so that a long output never blocks the child while the terminal is read
    with (
        tempfile.TemporaryFile() as stdout,
        subprocess.Popen(
            [sys.executable, "-m", "pubflow", *args],
            cwd=cwd,
            env={**base, "TERM": "xterm-256color", **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=slave,
        ) as process,
    ):
        os.close(slave)
        chunks: list[bytes] = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end of the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        returncode = process.wait(timeout=timeout)
        stdout.seek(0)
        output = stdout.read().decode("utf-8")
    return TerminalRun(returncode, output, b"".join(chunks).decode("utf-8", errors="replace"))
