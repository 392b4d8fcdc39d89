"""Faults: runs killed with SIGKILL, temporary files, and files replaced only by rename.

The longer run of the kill test is ``benchmarks/bench_kills.py``; here a few
kills of each stage keep the promise under test in every CI run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from benchmarks.bench_kills import kill_runs, temporaries
from tests.conftest import ARTICLE, REPO, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

EN = Path("locale") / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
TW = Path("locale") / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"


def test_killed_update_convert_and_import_leave_valid_files_and_no_temporary_file(tmp_path: Path) -> None:
    counts = kill_runs(runs=9, seed=20260911, workdir=tmp_path)
    assert counts.kills >= 5, counts  # most runs were still going when the signal came
    assert counts.corrupted == 0, counts.problems
    assert counts.temporary_files_after_next_run == 0, counts.problems
    assert not counts.problems


def inodes(project: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(project)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in project.rglob("*.po")}


def test_update_and_convert_replace_a_catalog_by_rename_and_leave_an_unchanged_one_alone(project: Path) -> None:
    """A reader never sees a half-written catalog: a changed catalog is a new file (new inode) renamed into place."""
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("人民利益，至高无上。", "人民利益高于一切。"), "utf-8")
    run_pubflow("extract", cwd=project, check=True)
    before = inodes(project)
    run_pubflow("update", cwd=project, check=True)
    after = inodes(project)
    for changed in (EN, TW):
        assert after[str(changed)][0] != before[str(changed)][0], f"{changed} was written in place"
    unchanged = str(Path("locale") / "en" / "LC_MESSAGES" / "index.po")
    assert after[unchanged] == before[unchanged]

    catalog = polib.pofile(str(project / TW), wrapwidth=0)
    catalog.find("人民利益高于一切。").msgstr = ""
    catalog.save()
    before = inodes(project)
    run_pubflow("convert", cwd=project, check=True)
    after = inodes(project)
    assert after[str(TW)][0] != before[str(TW)][0], "convert wrote the catalog in place"
    assert polib.pofile(str(project / TW)).find("人民利益高于一切。").msgstr == "人民利益高於一切。"
    assert not temporaries(project)


def test_a_dead_writers_temporary_file_is_removed_by_the_next_run_and_a_live_ones_kept(project: Path) -> None:
    folder = project / EN.parent
    dead = folder / f".{EN.name}.k1ll3d_x.tmp"
    dead.write_text("half a catalog", encoding="utf-8")
    scratch = project / "_build" / ".gettext-k1ll3d_x"
    (scratch / "gettext").mkdir(parents=True)
    live = folder / f".{EN.name}.w0rk1ng_.tmp"
    live.write_text("being written", encoding="utf-8")
    old = time.time() - 60
    for path in (dead, scratch, live):
        os.utime(path, (old, old))
    # A live writer: another process holding the lock write_atomic holds on its temporary file.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('locked', flush=True); sys.stdin.read()", str(live)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        fresh = folder / f".{EN.name}.j0st_n0w.tmp"  # unlocked, but newer than the next run: not yet proven dead
        fresh.write_text("just created", encoding="utf-8")
        soon = time.time() + 3600
        os.utime(fresh, (soon, soon))
        result = run_pubflow("coverage", "--no-stale", cwd=project)
        assert result.returncode == 0, result.stderr
        assert not dead.exists() and not scratch.exists()
        assert live.exists()
        assert fresh.exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    assert run_pubflow("coverage", "--no-stale", cwd=project).returncode == 0
    assert not live.exists()


def test_git_ignores_temporary_files() -> None:
    for name in [
        f"{EN.parent}/.{EN.name}.k1ll3d_x.tmp",
        "docs/.index.rst.abcdefgh.tmp",
        ".pyproject.toml.x1234567.tmp",
    ]:
        result = subprocess.run(["git", "check-ignore", "-q", name], cwd=REPO, check=False)
        assert result.returncode == 0, f"{name} is not ignored by git"
