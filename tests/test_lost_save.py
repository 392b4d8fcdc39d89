"""A translator's save is never lost, and a killed run leaves nothing behind that lies or stays.

A real editor saves a catalog while each verb that rewrites it runs; runs are killed (SIGKILL) at the
moment that used to do harm.

The editor is a thread that saves the catalog as an editor does (a new file renamed over it) every
time a process reads the catalog, until pubflow starts writing it: the kernel tells it both (inotify:
a read file closed, a temporary file created beside it). So its last save falls between pubflow's
last read and pubflow's write, the window in which the save used to be overwritten silently. Nothing
of pubflow is replaced or slowed down; the verbs run as a user runs them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from translate.storage import xliff

from tests.conftest import ARTICLE, copy_project
from tests.test_memory import CHANGED_SOURCE, SECOND, make_two_articles

IN_CLOSE_NOWRITE = 0x00000010
IN_CREATE = 0x00000100
EDITED_MSGID = "作者：蔡长春"
CHANGED_LINE = "为构建人类安全命运共同体贡献"  # in a paragraph the update test edits in docs/


class Editor(threading.Thread):
    """Saves ``path`` with a new msgstr for EDITED_MSGID after each read of it by another process."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path = path
        self.original = path.read_text(encoding="utf-8")
        pattern = rf'(msgid "{EDITED_MSGID}"\nmsgstr ")[^"\n]*(")'
        assert re.search(pattern, self.original), f"{EDITED_MSGID} has no one-line msgstr in {path}"
        self.pattern = pattern
        self.saves = 0
        self.pubflow_writes = False
        self.done = threading.Event()
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0, "inotify is not available"
        watch = libc.inotify_add_watch(self.fd, str(path.parent).encode(), IN_CLOSE_NOWRITE | IN_CREATE)
        assert watch >= 0, os.strerror(ctypes.get_errno())

    @property
    def last_text(self) -> str:
        return f"saved in an editor {self.saves}"

    def save(self) -> None:
        self.saves += 1
        text = re.sub(self.pattern, rf"\g<1>{self.last_text}\g<2>", self.original)
        scratch = self.path.with_name(self.path.name + "~")  # as editors do: a new file, renamed over the old
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, self.path)

    def run(self) -> None:
        temporary = re.compile(rf"^\.{re.escape(self.path.name)}\.[A-Za-z0-9_]{{8}}\.tmp$")
        while not self.done.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if not ready:
                continue
            data = os.read(self.fd, 65536)
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode()
                offset += 16 + length
                if self.pubflow_writes:
                    continue
                if mask & IN_CREATE and temporary.match(name):
                    self.pubflow_writes = True  # from here on it is pubflow's turn
                elif mask & IN_CLOSE_NOWRITE and name == self.path.name and self.saves < 50:
                    self.save()
        os.close(self.fd)


def race(project: Path, catalog: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Editor]:
    """Run ``pubflow ARGS`` while an editor saves ``catalog`` after each of its reads."""
    editor = Editor(catalog)
    editor.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pubflow", *args], cwd=project, capture_output=True, text=True, check=False
        )
    finally:
        editor.done.set()
        editor.join()
    assert editor.saves, f"pubflow {' '.join(args)} never read {catalog.name}"
    assert editor.pubflow_writes, f"pubflow {' '.join(args)} did not write {catalog.name}: nothing to race"
    return result, editor


def assert_refused_and_kept(result: subprocess.CompletedProcess[str], editor: Editor) -> None:
    """Refused in one line naming the catalog, and the file is the editor's last save, byte for byte."""
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    relative = editor.path.relative_to(editor.path.parents[3]).as_posix()
    assert f"{relative}: changed on disk while pubflow was working on it" in lines[-1], result.stderr
    assert "run the command again" in lines[-1]
    assert f'msgstr "{editor.last_text}"' in editor.path.read_text(encoding="utf-8")
    leftovers = [p.name for p in editor.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_articles(tmp_path_factory.mktemp("lost-save"))


@pytest.mark.slow
def test_update_merges_again_with_a_save_made_during_the_merge(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace(CHANGED_LINE, "为构建人类安全命运共同体贡献力量，"), "utf-8")
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "extract"], cwd=project, check=True)
    catalog = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    result, editor = race(project, catalog, "update", "-l", "en", "--no-memory")
    assert result.returncode == 0, result.stderr
    text = catalog.read_text(encoding="utf-8")
    assert f'msgstr "{editor.last_text}"' in text  # the save is kept…
    assert "为构建人类安全命运共同体贡献力量，" in text  # …and merged
    assert "was saved (in an editor?) while it was being merged: merged again with that save" in result.stderr


@pytest.mark.slow
def test_convert_refuses_to_write_over_a_save(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    catalog = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "以合作促安全，以安全促發展。"', 'msgstr ""'), encoding="utf-8")
    result, editor = race(project, catalog, "convert")
    assert_refused_and_kept(result, editor)


@pytest.mark.slow
def test_memory_refuses_to_write_over_a_save(two_articles: Path, tmp_path: Path) -> None:
    project = Path(shutil.copytree(two_articles, tmp_path / "project"))
    catalog = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    result, editor = race(project, catalog, "memory", "-l", "en")
    assert_refused_and_kept(result, editor)


def test_format_refuses_to_write_over_a_save(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    catalog = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    result, editor = race(project, catalog, "format", "-l", "zh_TW", "--wrap-width", "79")
    assert_refused_and_kept(result, editor)


def test_xliff_import_refuses_to_write_over_a_save(two_articles: Path, tmp_path: Path) -> None:
    project = Path(shutil.copytree(two_articles, tmp_path / "project"))
    exported = project / "second.xlf"
    subprocess.run(
        [sys.executable, "-m", "pubflow", "-q", "xliff", "export", "-l", "en", SECOND, "-o", str(exported)],
        cwd=project,
        check=True,
    )
    store = xliff.xlifffile.parsefile(str(exported))
    unit = next(u for u in store.units if u.source == CHANGED_SOURCE)
    unit.target = "Cooperation for security, security for development."
    unit.markfuzzy(False)
    store.savefile(str(exported))
    catalog = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    result, editor = race(project, catalog, "xliff", "import", str(exported))
    assert_refused_and_kept(result, editor)


IN_MOVED_TO = 0x00000080


def killed_at_first_rename(project: Path, watched: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pubflow ARGS`` and kill it (SIGKILL) the moment a file is renamed onto ``watched``."""
    return killed_at(project, watched.parent, lambda name: name == watched.name, IN_MOVED_TO, *args)


def killed_at(
    project: Path, folder: Path, wanted: Callable[[str], bool], events: int, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``pubflow ARGS`` and kill it (SIGKILL) at the first of ``events`` in ``folder`` on a name ``wanted``."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    assert fd >= 0 and libc.inotify_add_watch(fd, str(folder).encode(), events) >= 0
    process = subprocess.Popen(
        [sys.executable, "-m", "pubflow", *args], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        while process.poll() is None:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            data = os.read(fd, 65536)
            names = []
            offset = 0
            while offset < len(data):
                length = struct.unpack_from("iIII", data, offset)[3]
                names.append(data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode())
                offset += 16 + length
            if any(wanted(name) for name in names):
                process.kill()
                break
        stdout, stderr = process.communicate()
    finally:
        os.close(fd)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.slow
def test_a_kill_between_the_memorys_writes_leaves_its_proposals_machine_output(
    two_articles: Path, tmp_path: Path
) -> None:
    """Fuzzy proposals made again from a changed memory, the run killed between review record and catalog."""
    from pubflow.review import State, load_record, state_of
    from tests.test_memory import catalog

    project = Path(shutil.copytree(two_articles, tmp_path / "project"))
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "memory", "-l", "en"], cwd=project, check=True)
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    machine = {e.msgid for e in catalog(project) if state_of(e, load_record(path)) is State.MACHINE}
    assert CHANGED_SOURCE in machine and catalog(project).find(CHANGED_SOURCE).fuzzy
    # A person improves the first article's sentence: the close match for the second is proposed anew.
    first = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    old = catalog(project, ARTICLE).find("以合作促安全，以安全促发展。").msgstr
    first.write_text(first.read_text(encoding="utf-8").replace(old, "Security through cooperation."), "utf-8")
    result = killed_at_first_rename(project, load_record(path).path, "memory", "-l", "en")
    assert result.returncode == -9, result.stderr  # killed mid-run
    record, after = load_record(path), catalog(project)
    for entry in after:
        if entry.msgid in machine:  # each proposal is still machine output, in whichever catalog the kill left
            assert state_of(entry, record) is State.MACHINE, (entry.msgid, entry.msgstr)
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "memory", "-l", "en"], cwd=project, check=True)
    record, after = load_record(path), catalog(project)
    assert after.find(CHANGED_SOURCE).msgstr == "Security through cooperation."
    assert {e.msgid for e in after if state_of(e, record) is State.MACHINE} == machine
    assert "earlier-machine" not in record.path.read_text(encoding="utf-8")  # settled by the next run


def test_a_run_after_a_kill_between_the_catalog_and_its_final_record_settles_the_record(
    two_articles: Path, tmp_path: Path
) -> None:
    """The kill the test above may or may not hit, made certain: the catalog written, its record still in transition.

    The next run has no proposal to change in that catalog, and settles its record all the same.
    """
    from pubflow.config import load_config
    from pubflow.memory import propose_from_memory
    from pubflow.review import State, load_record, record_writes, state_of
    from tests.test_memory import catalog

    project = Path(shutil.copytree(two_articles, tmp_path / "project"))
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "memory", "-l", "en"], cwd=project, check=True)
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    before = load_record(path).path.read_bytes()
    first = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    old = catalog(project, ARTICLE).find("以合作促安全，以安全促发展。").msgstr
    first.write_text(first.read_text(encoding="utf-8").replace(old, "Security through cooperation."), "utf-8")
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "memory", "-l", "en"], cwd=project, check=True)
    # The record as that run wrote it before its catalog (in transition from the one before), beside its catalog.
    after = load_record(path)
    record_file = after.path
    record_file.write_bytes(before)
    in_transition = load_record(path)
    in_transition.messages = after.messages
    middle, _final = record_writes(in_transition, catalog(project))
    assert middle is not None and "earlier-machine" in middle
    record_file.write_text(middle, encoding="utf-8")
    config = load_config(project)
    propose_from_memory(config, [config.locale("en")])
    settled = load_record(path)
    assert "earlier-machine" not in record_file.read_text(encoding="utf-8")
    assert state_of(catalog(project).find(CHANGED_SOURCE), settled) is State.MACHINE


@pytest.mark.parametrize("where", ["project", "elsewhere"])
def test_a_killed_tmx_export_leaves_no_temporary_file_after_the_next_run(tmp_path: Path, where: str) -> None:
    project = copy_project(tmp_path / "project")
    folder = project if where == "project" else tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    output = folder / "memory.tmx"
    temporary = re.compile(r"^\.memory\.tmx\.[A-Za-z0-9_]{8}\.tmp$")
    result = killed_at(project, folder, lambda name: bool(temporary.match(name)), IN_CREATE,
                       "tmx", "export", "-o", str(output))  # fmt: skip
    assert result.returncode == -9, result.stderr
    assert [p.name for p in folder.iterdir() if temporary.match(p.name)], "the kill came after the rename"
    # The next run of any verb clears the project's own folder; the next export to that file clears it anywhere.
    verb = ["coverage", "--no-stale"] if where == "project" else ["tmx", "export", "-o", str(output)]
    assert subprocess.run([sys.executable, "-m", "pubflow", "-q", *verb], cwd=project, check=False).returncode == 0
    assert not [p.name for p in folder.iterdir() if temporary.match(p.name)]


def test_review_approve_refuses_to_write_over_a_save(tmp_path: Path) -> None:
    from tests.test_review_state import as_converted  # machine output to approve: the shipped zh_TW is reviewed

    project = as_converted(copy_project(tmp_path / "project"))
    catalog = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    result, editor = race(project, catalog, "review", "approve", "-l", "zh_TW", ARTICLE)
    assert_refused_and_kept(result, editor)
