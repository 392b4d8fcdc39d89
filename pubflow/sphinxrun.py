"""Running Sphinx as a separate process, and turning its warnings into one-line errors.

Each build runs in its own process so that locales can build in parallel and
no builder's global state leaks into the next.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pubflow.config import ProjectConfig
from pubflow.errors import display_path
from pubflow.glossary import load_glossary
from pubflow.lock import inherited_fds

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
                where = match.group("where").rstrip(":")
                path = Path(where)
                if path.is_absolute():
                    where = display_path(path)
                line = f":{match.group('line')}" if match.group("line") else ""
                lines.append(f"{where}{line}: {match.group('msg').strip()}")
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


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        args,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        pass_fds=inherited_fds(),  # Sphinx holds the project lock with us, even if we are killed
    )


def finish(process: subprocess.Popen[str]) -> SphinxRun:
    output, _ = process.communicate()
    return SphinxRun(list(map(str, process.args)), process.returncode, output)  # type: ignore[arg-type]


def run(args: list[str], cwd: Path) -> SphinxRun:
    return finish(start(args, cwd))
