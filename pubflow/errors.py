"""Errors a user can cause and fix: each one names the file, the line and what to do."""

from __future__ import annotations

from pathlib import Path


class PubflowError(Exception):
    """A user-facing error: bad input, a missing file, an unknown locale.

    The command line prints it as one line, ``file:line: message``, and exits 2.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = display_path(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    try:
        return str(_resolved(path).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _resolved(path: Path) -> Path:
    """The folder resolved, the name kept: a catalog that is a symbolic link is named as the user knows it."""
    try:
        return path.parent.resolve() / path.name
    except (RuntimeError, OSError):
        return path.absolute()
