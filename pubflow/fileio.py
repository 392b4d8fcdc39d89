"""Reading user files with clear errors, and writing files atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pubflow.errors import PubflowError


def read_text(path: Path) -> str:
    """A UTF-8 text file's contents; a missing file or a wrong encoding is a PubflowError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PubflowError("no such file", path) from None
    except IsADirectoryError:
        raise PubflowError("is a folder, expected a file", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PubflowError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert it first, for example: iconv -f GB18030 -t UTF-8",
            path,
            line,
        ) from None


def write_atomic(path: Path, content: str | bytes) -> bool:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    An interrupted run leaves either the old file or the new one, never a
    truncated one. Returns False, writing nothing, when the file already holds
    exactly this content, so that re-running a stage changes no byte and no mtime.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True
