"""fileio: reading with clear errors, atomic writes, and the clean-up of what killed runs leave."""

from __future__ import annotations

import fcntl
import os
import stat
import time
from pathlib import Path

import pytest

from pubflow import fileio
from pubflow.errors import PubflowError


def test_write_atomic_writes_through_a_rename_and_reports_a_change(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "x.po"
    assert fileio.write_atomic(target, "一\n") is True
    assert target.read_bytes() == "一\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    first = target.stat()
    assert fileio.write_atomic(target, b"two\n") is True
    assert target.read_bytes() == b"two\n"
    assert target.stat().st_ino != first.st_ino  # a new file renamed into place, never written in place
    assert os.listdir(tmp_path / "sub") == ["x.po"]


def test_write_atomic_leaves_an_unchanged_file_alone_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    target.write_bytes(b"same\n")
    target.chmod(0o600)
    old = time.time() - 100
    os.utime(target, (old, old))
    before = target.stat()
    assert fileio.write_atomic(target, "same\n") is False
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert fileio.write_atomic(target, "changed\n") is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_interrupted_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    target.write_text("old\n", encoding="utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full_disk)
    with pytest.raises(OSError):
        fileio.write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["x.po"]


def test_the_temporary_file_is_locked_while_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    seen: list[bool] = []
    real_replace = os.replace

    def look_then_replace(source: str, destination: Path) -> None:
        seen.append(fileio.TEMPORARY_NAME.match(Path(source).name) is not None)
        seen.append(fileio._unlocked(Path(source)))
        real_replace(source, destination)

    monkeypatch.setattr(fileio.os, "replace", look_then_replace)
    fileio.write_atomic(target, "x\n")
    assert seen == [True, False]  # named as the clean-up expects, and locked until the rename


def aged(path: Path, seconds: float) -> Path:
    """``path`` dated ``seconds`` after (or, negative, before) this process started: what the clean-up compares."""
    moment = fileio.PROCESS_START + seconds
    os.utime(path, (moment, moment))
    return path


def test_stale_temporaries_are_removed_but_not_live_recent_or_foreign_files(tmp_path: Path) -> None:
    folder = tmp_path / "locale" / "en"
    folder.mkdir(parents=True)
    dead = folder / ".x.po.ab12_cd3.tmp"
    dead.write_text("", encoding="utf-8")
    aged(dead, -60)
    recent = folder / ".x.po.ef45_gh6.tmp"
    recent.write_text("", encoding="utf-8")
    aged(recent, 3600)
    foreign = folder / ".notes.tmp"  # not pubflow's: no 8-character random part
    foreign.write_text("", encoding="utf-8")
    aged(foreign, -60)
    live = folder / ".y.po.ij78_kl9.tmp"
    live.write_text("", encoding="utf-8")
    aged(live, -60)
    scratch = tmp_path / "_build" / ".stale-mn01_op2"
    (scratch / "gettext").mkdir(parents=True)
    aged(scratch, -60)
    with live.open("rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        removed = fileio.remove_stale_temporaries([tmp_path / "missing", tmp_path / "locale", tmp_path / "_build"])
    assert sorted(removed) == sorted([dead, scratch])
    assert not dead.exists() and not scratch.exists()
    assert recent.exists() and foreign.exists() and live.exists()


def test_a_scratch_directory_is_locked_in_use_and_removed_after(tmp_path: Path) -> None:
    with fileio.scratch_directory(tmp_path / "new" / "_build", ".gettext-") as folder:
        assert folder.parent == tmp_path / "new" / "_build" and fileio.SCRATCH_NAME.match(folder.name)
        (folder / "a.pot").write_text("x", encoding="utf-8")
        aged(folder, -60)
        assert fileio.remove_stale_temporaries([tmp_path]) == []
        assert folder.is_dir()
    assert not folder.exists()


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"ok\nok\n\xb9\xfa\n", 3, "not UTF-8 (byte 0xb9); convert it first, for example: iconv -f GB18030 -t UTF-8"),
        (
            'msgid ""\nmsgstr "Café in the rue d’Été"\n'.encode("cp1252"),
            2,
            "not UTF-8 (byte 0xe9); convert it first, for example: iconv -f WINDOWS-1252 -t UTF-8",
        ),
        (b"\xff\xfea\x00", 1, "not UTF-8: saved as UTF-16; save it as UTF-8"),
        (b"\xfe\xff\x00a", 1, "not UTF-8: saved as UTF-16; save it as UTF-8"),
    ],
)
def test_a_wrong_encoding_is_named_with_its_line(tmp_path: Path, data: bytes, line: int, words: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    with pytest.raises(PubflowError) as raised:
        fileio.read_text(path)
    assert (raised.value.path, raised.value.line, raised.value.message) == (path, line, words)


def test_an_os_error_is_described_in_words_even_without_its_text() -> None:
    assert fileio.describe_os_error(OSError(28, "No space left on device")) == "no space left on device"
    assert fileio.describe_os_error(OSError(28, "")) == "ENOSPC"
    assert fileio.describe_os_error(OSError(99999, "")) == "OSError"
    assert fileio.describe_os_error(FileNotFoundError()) == "FileNotFoundError"


def test_reading_a_folder_a_missing_file_or_a_loop_is_one_clear_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for path, message in [
        (tmp_path, "is a folder, expected a file"),
        (tmp_path / "missing", "no such file"),
        (loop, "cannot be read (too many levels of symbolic links)"),
    ]:
        with pytest.raises(PubflowError) as raised:
            fileio.read_text(path)
        assert (raised.value.path, raised.value.line, raised.value.message) == (path, None, message)
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfText")
    assert fileio.read_text(tmp_path / "bom.txt") == "Text"


def test_write_atomic_many_writes_what_changed_keeps_modes_and_leaves_no_temporary(tmp_path: Path) -> None:
    same, new, private = tmp_path / "same.po", tmp_path / "new" / "deep" / "new.po", tmp_path / "private.po"
    same.write_text("unchanged\n", encoding="utf-8")
    private.write_text("old\n", encoding="utf-8")
    private.chmod(0o600)
    before = same.stat().st_mtime_ns
    assert fileio.write_atomic_many([(same, "unchanged\n"), (new, "新\n"), (private, b"changed\n")]) == [
        False,
        True,
        True,
    ]
    assert same.stat().st_mtime_ns == before  # not even touched
    assert new.read_text(encoding="utf-8") == "新\n" and private.read_bytes() == b"changed\n"
    assert (new.stat().st_mode & 0o777, private.stat().st_mode & 0o777) == (0o644, 0o600)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["new.po", "private.po", "same.po"]


def test_write_atomic_many_beyond_one_batch(tmp_path: Path) -> None:
    """More files than are opened at once: every one written, in order, each reported."""
    count = fileio._BATCH_FILES * 2 + 3
    writes = [(tmp_path / f"{number:04d}.po", f"{number}\n") for number in range(count)]
    (tmp_path / "0200.po").write_text("200\n", encoding="utf-8")  # in the second batch, and unchanged
    result = fileio.write_atomic_many(writes)
    assert len(result) == count and result.count(False) == 1 and not result[200]
    assert all((tmp_path / f"{number:04d}.po").read_text(encoding="utf-8") == f"{number}\n" for number in range(count))
