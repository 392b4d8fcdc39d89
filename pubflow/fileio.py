"""Reading user files with clear errors, and writing files atomically.

Every file pubflow writes goes through :func:`write_atomic`: a temporary
sibling ``.<name>.XXXXXXXX.tmp`` that is renamed over the target. The writer
holds an exclusive ``flock`` on the temporary file while it exists, so a
later run can tell a file whose writer was killed (unlocked) from one that a
running process is still writing (locked): :func:`remove_stale_temporaries`
deletes only the former. Scratch folders (:func:`scratch_directory`) work the
same way.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from pubflow.errors import PubflowError

#: ``.<target name>.<8 random characters from mkstemp>.tmp``; .gitignore ignores ``.*.tmp``.
TEMPORARY_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
#: Scratch folders of extract and the stale check, inside the output folder.
SCRATCH_NAME = re.compile(r"^\.(?:gettext|stale|scratch)-[A-Za-z0-9_]+$")
#: When this process started: anything a dead writer left is older.
PROCESS_START = time.time()

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing, unreadable or not-a-file path is a PubflowError."""
    try:
        refuse_special(path)
        return path.read_bytes()
    except FileNotFoundError:
        raise PubflowError("no such file", path) from None
    except IsADirectoryError:
        raise PubflowError("is a folder, expected a file", path) from None
    except PermissionError:
        raise PubflowError("cannot be read (permission denied)", path) from None
    except OSError as exc:
        raise PubflowError(f"cannot be read ({describe_os_error(exc)})", path) from None


NOT_A_REGULAR_FILE = "is not a regular file (a device, a pipe or a socket); pubflow reads and writes regular files only"


def refuse_special(path: Path) -> None:
    """Refuse a path (or a symlink's target) that is a device, a pipe or a socket.

    Reading /dev/zero never ends and a pipe blocks; replacing /dev/full by a rename would
    swap the system's device for a file.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing or unreadable: the caller's own error says which
    _refuse_special_mode(mode, path)


def _refuse_special_mode(mode: int, path: Path) -> None:
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise PubflowError(NOT_A_REGULAR_FILE, path)


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds exactly ``data``, read only when the sizes agree."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return False
    _refuse_special_mode(status.st_mode, path)
    return status.st_size == len(data) and path.read_bytes() == data


def decode_utf8(data: bytes, path: Path, what: str = "not UTF-8") -> str:
    """``data`` as UTF-8 text (a UTF-8 byte-order mark is dropped); anything else names the line."""
    if data.startswith(_UTF16_BOMS + _UTF32_BOMS):
        wide = "UTF-32" if data.startswith(_UTF32_BOMS) else "UTF-16"
        raise PubflowError(f"{what}: saved as {wide}; save it as UTF-8", path, 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PubflowError(
            f"{what} (byte 0x{data[exc.start]:02x}); convert it first, for example: "
            f"iconv -f {_likely_encoding(data)} -t UTF-8",
            path,
            line,
        ) from None


def _likely_encoding(data: bytes) -> str:
    """A hint for iconv: GB18030 for bytes that read as Chinese, else Windows-1252 (a Western editor's Latin-1)."""
    text = data.decode("gb18030", errors="replace")
    wide = [char for char in text if ord(char) > 0x7F]
    han = sum(1 for char in wide if "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef")
    return "GB18030" if wide and han >= 0.8 * len(wide) else "WINDOWS-1252"


def read_text(path: Path) -> str:
    """A UTF-8 text file's contents; a missing file or a wrong encoding is a PubflowError."""
    return decode_utf8(read_bytes(path), path)


#: What no reST source needs and Sphinx mishandles: a NUL cuts a paragraph short, an escape reaches the page.
SOURCE_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def read_source_text(path: Path) -> str:
    """A reST source under docs/: UTF-8, without control characters but tab, line ends and form feed."""
    return source_text(read_bytes(path), path)


def source_text(data: bytes, path: Path) -> str:
    """:func:`read_source_text` of bytes already read."""
    text = decode_utf8(data, path, "not UTF-8 (reST sources are UTF-8)")
    refuse_control_characters(text, path, "which Sphinx would cut the text at or pass to the page")
    return text


def refuse_control_characters(text: str, path: Path, why: str) -> None:
    """A PubflowError on the line of the first :data:`SOURCE_CONTROL` character in ``text``, saying ``why``."""
    found = SOURCE_CONTROL.search(text)
    if found:
        raise PubflowError(
            f"holds the control character U+{ord(found.group()):04X}, {why}; delete it",
            path,
            text.count("\n", 0, found.start()) + 1,
        )


def describe_os_error(exc: OSError) -> str:
    """``strerror`` in lower case, as the rest of pubflow's messages: "too many levels of symbolic links"."""
    if exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return errno.errorcode.get(exc.errno, type(exc).__name__) if exc.errno else type(exc).__name__


class ChangedMeanwhile(PubflowError):
    """The file changed after pubflow read it (an editor saved it): pubflow's version is not written over it."""

    def __init__(self, path: Path):
        super().__init__(
            "changed on disk while pubflow was working on it (saved in an editor?); that change is kept and "
            "nothing was written over it: run the command again",
            path,
        )


def _still_as_read(path: Path, read_as: bytes | None, data: bytes) -> bool:
    """Whether the file may be replaced: it holds what the caller read (or the caller read nothing).

    Raises :class:`ChangedMeanwhile` when someone else changed it since, unless it now holds
    exactly ``data`` (then there is nothing to write: False).
    """
    if read_as is None:
        return True
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current == read_as:
        return True
    if current == data:
        return False
    raise ChangedMeanwhile(path)


def write_atomic(path: Path, content: str | bytes, read_as: bytes | None = None) -> bool:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    An interrupted run leaves either the old file or the new one, never a
    truncated one; the temporary file it may leave is removed by the next run
    (:func:`remove_stale_temporaries`). Returns False, writing nothing, when
    the file already holds exactly this content, so that re-running a stage
    changes no byte and no mtime.

    ``read_as``: the bytes the caller read and worked from. A file that no
    longer holds them was saved by someone else meanwhile (a translator's
    editor): it is left as it is and :class:`ChangedMeanwhile` raised, checked
    just before the rename. When ``content`` is what was read, nothing is
    written at all, whatever the file holds now.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if data == read_as or _holds(path, data):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise naming(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            # Held until the rename: a locked temporary file belongs to a live writer.
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if path.exists():
                os.chmod(tmp_name, path.stat().st_mode & 0o777)
            else:
                os.chmod(tmp_name, 0o644)
            if not _still_as_read(path, read_as, data):
                Path(tmp_name).unlink()
                return False
            os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise naming(exc, path) from None
        raise
    return True


def naming(exc: OSError, path: Path) -> OSError:
    """The error about the file being written, not its temporary one: a full disk names no file at all."""
    if exc.filename and not Path(exc.filename).name.endswith(".tmp"):
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def usable_cores() -> int:
    """The cores this process may run on (its affinity, as taskset sets it), not the machine's count."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


# Open temporary files at once; well under the usual limit of 1,024 descriptors.
_BATCH_FILES = 128


#: A file to write: (path, content), or (path, content, the bytes the caller read from it) as ``read_as``.
Write = tuple[Path, str | bytes] | tuple[Path, str | bytes, bytes | None]


def write_atomic_many(writes: Sequence[Write]) -> list[bool]:
    """:func:`write_atomic` for many files, each as safe, with their flushes to disk overlapping.

    Each file still goes through its own temporary file, flushed to disk
    (fsync) before its rename, and the renames happen in the order given
    (a catalog before its review record, say). Only the waits overlap: the
    fsyncs run on threads, so the filesystem commits them together instead of
    one journal commit after another (about ten times faster on ext4).
    Unchanged files are not written; the result says which were. A file
    given with the bytes it was read as is checked as :func:`write_atomic`
    checks it, every one before the first rename: when one changed
    meanwhile, none of the batch is written.
    """
    written: list[bool] = []
    for start in range(0, len(writes), _BATCH_FILES):
        written += _write_batch(writes[start : start + _BATCH_FILES])
    return written


def _write_batch(writes: Sequence[Write]) -> list[bool]:
    pending: list[tuple[Path, str, BinaryIO]] = []
    written: list[bool] = []
    checks: list[tuple[int, int, Path, bytes, bytes]] = []  # (index in written, in pending, path, read as, data)
    current: Path | None = None
    try:
        for path, content, *rest in writes:
            read_as = rest[0] if rest else None
            current = path
            data = content.encode("utf-8") if isinstance(content, str) else content
            if data == read_as or _holds(path, data):
                written.append(False)
                continue
            if read_as is not None:
                checks.append((len(written), len(pending), path, read_as, data))
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            handle = os.fdopen(fd, "wb")
            pending.append((path, tmp_name, handle))
            # Held until the rename: a locked temporary file belongs to a live writer.
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            handle.write(data)
            handle.flush()
            written.append(True)
        if pending:
            from concurrent.futures import ThreadPoolExecutor  # here: it imports logging, which readers never need

            with ThreadPoolExecutor(max_workers=min(32, len(pending))) as pool:
                list(pool.map(_fsync, pending))
        unneeded = set()
        for index, pending_index, path, read_as, data in checks:
            current = path
            if not _still_as_read(path, read_as, data):  # someone wrote just this meanwhile
                written[index] = False
                unneeded.add(pending_index)
        for pending_index, (path, tmp_name, _) in enumerate(pending):
            current = path
            if pending_index in unneeded:
                Path(tmp_name).unlink()
                continue
            os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            os.replace(tmp_name, path)
    except BaseException as exc:
        for _, tmp_name, _ in pending:
            Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and current is not None:
            raise naming(exc, current) from None
        raise
    finally:
        for _, _, temporary in pending:
            temporary.close()
    return written


def _fsync(item: tuple[Path, str, BinaryIO]) -> None:
    try:
        os.fsync(item[2].fileno())
    except OSError as exc:
        raise naming(exc, item[0]) from None


def _unlocked(path: Path) -> bool:
    """True when nobody holds a lock on ``path`` (its writer finished or was killed)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases the lock taken just now
    return True


def _left_by_a_dead_run(path: Path, before: float) -> bool:
    try:
        older = path.lstat().st_mtime < before
    except OSError:
        return False
    return older and _unlocked(path)


def remove_stale_temporaries(
    folders: Iterable[Path], before: float | None = None, top_level: Iterable[Path] = ()
) -> list[Path]:
    """Delete temporary files and scratch folders that a killed run left in ``folders``.

    Only what is older than ``before`` (default: this process's start) and not
    locked by a live writer is removed, so a concurrent pubflow run never loses
    its temporary file. A caller holding the project lock passes the time it got
    the lock: a killed command's orphaned Sphinx may have written into its
    scratch folder until then. ``top_level``: folders searched without their
    sub-folders (the project's own, where ``tmx export -o memory.tmx`` writes).
    Returns what was removed.
    """
    before = PROCESS_START if before is None else before
    removed: list[Path] = []
    for folder in top_level:
        with contextlib.suppress(OSError):
            for candidate in folder.iterdir():
                if TEMPORARY_NAME.match(candidate.name) and _left_by_a_dead_run(candidate, before):
                    with contextlib.suppress(FileNotFoundError):
                        candidate.unlink()
                        removed.append(candidate)
    for folder in folders:
        if not folder.is_dir():
            continue
        for current, dirs, files in os.walk(folder, onerror=lambda _: None):
            here = Path(current)
            for name in files:
                candidate = here / name
                if TEMPORARY_NAME.match(name) and _left_by_a_dead_run(candidate, before):
                    with contextlib.suppress(FileNotFoundError):
                        candidate.unlink()
                        removed.append(candidate)
            for name in list(dirs):
                candidate = here / name
                if SCRATCH_NAME.match(name):
                    dirs.remove(name)  # never descend into scratch folders
                    if _left_by_a_dead_run(candidate, before):
                        shutil.rmtree(candidate, ignore_errors=True)
                        removed.append(candidate)
    return removed


def remove_stale_temporaries_of(path: Path) -> list[Path]:
    """Delete the temporary files a killed run left while writing ``path`` (anywhere: an output given by -o)."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            if TEMPORARY_NAME.match(candidate.name) and _left_by_a_dead_run(candidate, PROCESS_START):
                with contextlib.suppress(FileNotFoundError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


@contextlib.contextmanager
def scratch_directory(parent: Path, prefix: str) -> Iterator[Path]:
    """A temporary folder in ``parent`` (prefix ``.gettext-``, ``.stale-`` or ``.scratch-``), locked while in use.

    A run killed inside it leaves the folder unlocked; the next run removes it.
    """
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
