"""fileio: reading with clear errors, atomic writes, and the clean-up of what killed runs leave."""

from __future__ import annotations

import fcntl
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

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


def test_a_device_a_pipe_or_a_link_to_one_is_refused_before_it_is_read_or_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    device = tmp_path / "zero"
    device.symlink_to("/dev/zero")
    words = "is not a regular file (a device, a pipe or a socket); pubflow reads and writes regular files only"
    for path in (pipe, device):
        with pytest.raises(PubflowError) as raised:
            fileio.read_bytes(path)  # never blocks nor reads forever
        assert (raised.value.path, raised.value.message) == (path, words)
        with pytest.raises(PubflowError) as raised:
            fileio.write_atomic(path, "x\n")
        assert (raised.value.path, raised.value.message) == (path, words)
    assert device.is_symlink() and stat.S_ISFIFO(pipe.lstat().st_mode)
    fileio.refuse_special(tmp_path)  # a folder and a missing path are the caller's to name
    fileio.refuse_special(tmp_path / "missing")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe\x00\x00a\x00\x00\x00", "saved as UTF-32"),
        (b"\x00\x00\xfe\xff\x00\x00\x00a", "saved as UTF-32"),
        (b"\xfe\xff\x00a", "saved as UTF-16"),
    ],
)
def test_a_wide_encoding_is_named_by_its_byte_order_mark(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(PubflowError) as raised:
        fileio.decode_utf8(data, tmp_path / "f.txt", "not UTF-8")
    assert (raised.value.line, raised.value.message) == (1, f"not UTF-8: {words}; save it as UTF-8")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("中文中文é", "GB18030"),  # four of five non-ASCII characters Chinese: the 80 % at which it is GB18030
        ("中文中é", "WINDOWS-1252"),
        ("\u3000\u9fff\uff00\uffef", "GB18030"),  # the ends of the CJK and full-width ranges
        ("\u2fff" * 4, "WINDOWS-1252"),  # just outside them
        ("\ua000" * 4, "WINDOWS-1252"),
        ("\ufeff" * 4, "WINDOWS-1252"),
        ("\ufff0" * 4, "WINDOWS-1252"),
        ("中文中\x7f", "GB18030"),  # DEL is ASCII
        ("中文中\x80", "WINDOWS-1252"),  # U+0080 is not
    ],
)
def test_the_iconv_hint_is_gb18030_for_mostly_chinese_bytes(tmp_path: Path, text: str, hint: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"ok\n" + text.encode("gb18030"))
    with pytest.raises(PubflowError) as raised:
        fileio.read_text(path)
    assert raised.value.line == 2 and raised.value.message.endswith(f"iconv -f {hint} -t UTF-8")


def test_a_source_may_hold_tabs_line_ends_and_form_feeds_but_no_other_control_character(tmp_path: Path) -> None:
    path = tmp_path / "a.rst"
    allowed = "a\tb\r\nc\x0bd\x0ce\n"
    path.write_bytes(allowed.encode())
    assert fileio.read_source_text(path) == allowed
    for char, line in [("\x00", 1), ("\x08", 2), ("\x0e", 2), ("\x1f", 3), ("\x7f", 3), ("\x01", 2)]:
        lines = ["one", "two", "three"] if char != "\x01" else ["", "two"]  # a first line that is empty
        lines[line - 1] = char + lines[line - 1]
        data = "\n".join(lines).encode()
        with pytest.raises(PubflowError) as raised:
            fileio.source_text(data, path)
        assert (raised.value.path, raised.value.line, raised.value.message) == (
            path,
            line,
            f"holds the control character U+{ord(char):04X}, which Sphinx would cut the text at or pass to the "
            "page; delete it",
        )
    with pytest.raises(PubflowError) as raised:
        fileio.source_text(b"a\n\xe9", path)
    assert raised.value.line == 2 and raised.value.message.startswith("not UTF-8 (reST sources are UTF-8) (byte 0xe9)")


def test_write_atomic_keeps_a_save_made_after_the_read(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    target.write_bytes(b"read\n")
    # Still as read: written.
    assert fileio.write_atomic(target, "mine\n", read_as=b"read\n") is True
    assert target.read_bytes() == b"mine\n"
    # Saved meanwhile by an editor: kept, refused in words, no temporary file left.
    target.write_bytes(b"theirs\n")
    with pytest.raises(fileio.ChangedMeanwhile) as raised:
        fileio.write_atomic(target, "mine again\n", read_as=b"mine\n")
    assert (raised.value.path, raised.value.message) == (
        target,
        "changed on disk while pubflow was working on it (saved in an editor?); that change is kept and nothing "
        "was written over it: run the command again",
    )
    assert target.read_bytes() == b"theirs\n" and os.listdir(tmp_path) == ["x.po"]
    # Saved meanwhile with exactly what pubflow would write: nothing to do.
    target.write_bytes(b"same\n")
    before = target.stat().st_ino
    assert fileio.write_atomic(target, b"same\n", read_as=b"old\n") is False
    assert fileio.write_atomic(target, b"changed\n", read_as=b"changed\n") is False  # what was read: no write
    assert target.read_bytes() == b"same\n" and target.stat().st_ino == before
    # Deleted meanwhile: that is a change too.
    target.unlink()
    with pytest.raises(fileio.ChangedMeanwhile):
        fileio.write_atomic(target, "mine\n", read_as=b"same\n")
    assert os.listdir(tmp_path) == []


def test_write_atomic_checks_the_save_just_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    target.write_bytes(b"read\n")
    real_fsync = os.fsync

    def editor_saves_then_fsync(fd: int) -> None:
        target.write_bytes(b"saved meanwhile\n")
        real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", editor_saves_then_fsync)
    with pytest.raises(fileio.ChangedMeanwhile):
        fileio.write_atomic(target, "mine\n", read_as=b"read\n")
    assert target.read_bytes() == b"saved meanwhile\n" and os.listdir(tmp_path) == ["x.po"]

    def editor_saves_the_same_then_fsync(fd: int) -> None:
        target.write_bytes(b"mine\n")
        real_fsync(fd)

    target.write_bytes(b"read\n")
    monkeypatch.setattr(fileio.os, "fsync", editor_saves_the_same_then_fsync)
    assert fileio.write_atomic(target, "mine\n", read_as=b"read\n") is False
    assert os.listdir(tmp_path) == ["x.po"]


def test_write_atomic_many_writes_none_of_a_batch_when_one_was_saved_meanwhile(tmp_path: Path) -> None:
    catalog, record, other = tmp_path / "a.po", tmp_path / "a.review.json", tmp_path / "b.po"
    for path in (catalog, record, other):
        path.write_bytes(b"read\n")
    other.write_bytes(b"saved\n")
    with pytest.raises(fileio.ChangedMeanwhile) as raised:
        fileio.write_atomic_many([(catalog, "new\n", b"read\n"), (record, "new\n"), (other, "new\n", b"read\n")])
    assert raised.value.path == other
    assert [p.read_bytes() for p in (catalog, record, other)] == [b"read\n", b"read\n", b"saved\n"]
    assert sorted(os.listdir(tmp_path)) == ["a.po", "a.review.json", "b.po"]
    # One already saved as pubflow would write it: that one is not written, the rest are.
    other.write_bytes(b"new\n")
    before = other.stat().st_ino
    assert fileio.write_atomic_many(
        [(catalog, "new\n", b"read\n"), (other, "new\n", b"saved\n"), (record, "new\n")]
    ) == [True, False, True]
    assert [p.read_bytes() for p in (catalog, record, other)] == [b"new\n"] * 3 and other.stat().st_ino == before
    assert sorted(os.listdir(tmp_path)) == ["a.po", "a.review.json", "b.po"]


def test_write_atomic_many_checks_the_saves_after_writing_its_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    first.write_bytes(b"read\n")
    second.write_bytes(b"read\n")
    real_fsync = fileio._fsync

    def editor_saves(item: tuple[Path, str, BinaryIO]) -> None:
        second.write_bytes(b"new\n")  # just what pubflow writes: that file needs no rename
        real_fsync(item)

    monkeypatch.setattr(fileio, "_fsync", editor_saves)
    assert fileio.write_atomic_many([(second, "new\n", b"read\n"), (first, "new\n", b"read\n")]) == [False, True]
    assert first.read_bytes() == second.read_bytes() == b"new\n"
    assert sorted(os.listdir(tmp_path)) == ["a.po", "b.po"]


def test_an_error_names_the_file_written_never_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    full = fileio.naming(OSError(28, "No space left on device", str(tmp_path / ".x.po.ab12cd34.tmp")), target)
    assert (type(full), full.errno, full.strerror, full.filename) == (
        OSError,
        28,
        "No space left on device",
        str(target),
    )
    bare = fileio.naming(PermissionError(13, ""), target)
    assert (type(bare), bare.errno, bare.strerror, bare.filename) == (PermissionError, 13, "[Errno 13] ", str(target))
    other = OSError(2, "No such file or directory", str(tmp_path / "elsewhere"))
    assert fileio.naming(other, target) is other
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(OSError) as raised:
        fileio.write_atomic(blocked / "x.po", "x\n")  # its folder cannot be made
    assert not str(raised.value.filename).endswith(".tmp")


def test_write_atomic_many_names_the_file_whose_write_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.po", tmp_path / "b.po"

    def full_disk(source: str, destination: Path) -> None:
        if Path(destination) == second:
            raise OSError(28, "No space left on device", source)
        os.rename(source, destination)

    monkeypatch.setattr(fileio.os, "replace", full_disk)
    with pytest.raises(OSError) as raised:
        fileio.write_atomic_many([(first, "a\n"), (second, "b\n")])
    assert raised.value.filename == str(second)
    assert sorted(os.listdir(tmp_path)) == ["a.po"]


def test_usable_cores_are_those_of_this_processs_affinity() -> None:
    cores = os.sched_getaffinity(0)
    assert fileio.usable_cores() == len(cores) >= 1
    os.sched_setaffinity(0, {min(cores)})  # as taskset -c would
    try:
        assert fileio.usable_cores() == 1
    finally:
        os.sched_setaffinity(0, cores)


def test_reading_an_unreadable_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.txt"
    path.write_text("x", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # root reads any file: the refusal is the filesystem's
    with pytest.raises(PubflowError) as raised:
        fileio.read_bytes(path)
    assert (raised.value.path, raised.value.message) == (path, "cannot be read (permission denied)")


def test_a_name_too_long_for_the_temporary_file_is_named_as_the_target(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 250 + ".po")  # the file itself fits in 255 bytes, its temporary name does not
    for write in (lambda: fileio.write_atomic(target, "x\n"), lambda: fileio.write_atomic_many([(target, "x\n")])):
        with pytest.raises(OSError) as raised:
            write()
        assert raised.value.filename == str(target)
    assert os.listdir(tmp_path) == []


def test_write_atomic_many_locks_each_temporary_file_named_for_the_clean_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool]] = []
    real_replace = os.replace

    def look_then_replace(source: str, destination: Path) -> None:
        name = Path(source).name
        seen.append((name[: name.index(".po.") + 3], fileio.TEMPORARY_NAME.match(name) is not None))
        seen.append((name[-4:], fileio._unlocked(Path(source))))
        real_replace(source, destination)

    monkeypatch.setattr(fileio.os, "replace", look_then_replace)
    fileio.write_atomic_many([(tmp_path / "a.po", "a\n"), (tmp_path / "b.po", "b\n")])
    assert seen == [(".a.po", True), (".tmp", False), (".b.po", True), (".tmp", False)]


def test_stale_temporaries_of_the_project_folder_and_of_an_output_file(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    dead = tmp_path / ".memory.tmx.ab12cd34.tmp"
    dead.touch()
    aged(dead, -60)
    deeper = sub / ".memory.tmx.ab12cd34.tmp"
    deeper.touch()
    aged(deeper, -60)
    recent = tmp_path / ".memory.tmx.ef56gh78.tmp"
    recent.touch()
    aged(recent, 3600)
    assert fileio.remove_stale_temporaries([], top_level=[tmp_path, tmp_path / "missing"]) == [dead]
    assert deeper.exists() and recent.exists()  # the top level only; a recent one may be a live run's
    # Beside a file given by -o: only that file's temporaries, and only a dead run's.
    output = sub / "memory.tmx"
    other = sub / ".other.tmx.ab12cd34.tmp"
    other.touch()
    aged(other, -60)
    live = sub / ".memory.tmx.ij90kl12.tmp"
    live.touch()
    aged(live, -60)
    foreign = sub / ".memory.tmx.backup.tmp"
    foreign.touch()
    aged(foreign, -60)
    with live.open("rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        assert fileio.remove_stale_temporaries_of(output) == [deeper]
    assert other.exists() and live.exists() and foreign.exists()
    assert fileio.remove_stale_temporaries_of(tmp_path / "missing" / "memory.tmx") == []


def test_a_failed_flush_to_disk_names_the_file_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def failing_disk(fd: int) -> None:
        if ".a.po." in os.readlink(f"/proc/self/fd/{fd}"):  # the first file's temporary one only
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", failing_disk)
    target = tmp_path / "a.po"
    with pytest.raises(OSError) as raised:
        fileio.write_atomic_many([(target, "a\n"), (tmp_path / "b.po", "b\n")])
    assert (raised.value.errno, raised.value.filename) == (5, str(target))
    assert os.listdir(tmp_path) == []


def test_the_clean_up_removes_no_link_and_nothing_exactly_as_old_as_its_limit(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.po"
    elsewhere.write_text("kept", encoding="utf-8")
    folder = tmp_path / "locale"
    folder.mkdir()
    link = folder / ".x.po.ab12cd34.tmp"  # named as a temporary file, but a link: never pubflow's
    link.symlink_to(elsewhere)
    moment = fileio.PROCESS_START - 60
    os.utime(link, (moment, moment), follow_symlinks=False)
    assert fileio.remove_stale_temporaries([folder]) == []
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "kept"
    dead = folder / ".y.po.ef56gh78.tmp"
    dead.write_text("", encoding="utf-8")
    limit = dead.lstat().st_mtime
    assert fileio.remove_stale_temporaries([folder], before=limit) == []  # not older than the limit
    assert fileio.remove_stale_temporaries([folder], before=limit + 1) == [dead]


def test_a_scratch_folder_that_cannot_be_removed_stops_no_clean_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "_build" / ".stale-ab12_cd3"
    (scratch / "gettext").mkdir(parents=True)
    aged(scratch, -60)

    def busy(*_: object, **__: object) -> None:
        raise OSError(16, "Device or resource busy")  # a mount point, say: not pubflow's to insist on

    monkeypatch.setattr(fileio.os, "rmdir", busy)
    assert fileio.remove_stale_temporaries([tmp_path / "_build"]) == [scratch]
    monkeypatch.undo()
    with fileio.scratch_directory(tmp_path / "_build", ".scratch-") as folder:
        os.rmdir(folder)  # a tool run inside it removed it already
    assert not folder.exists()
