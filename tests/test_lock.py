"""Two commands at once: writers take turns under the project lock, so no update is lost."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest

from pubflow.lock import project_lock
from tests.conftest import ARTICLE, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

OLD = "以合作促安全，以安全促发展。"
NEW = "以合作促安全，以安全促繁荣。"


def start(root: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pubflow", *args], cwd=root, stdout=subprocess.DEVNULL, stderr=log.open("wb")
    )


def wait_for_text(path: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, path.read_text(encoding="utf-8")
        time.sleep(0.1)


def test_update_and_convert_started_together_lose_nothing(project: Path, tmp_path: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    run_pubflow("extract", cwd=project, check=True)
    logs = {verb: tmp_path / f"{verb}.log" for verb in ("update", "convert")}
    # Holding the lock here makes both start while it is held, so they must take turns.
    with project_lock(project / "_build", "test-holder"):
        processes = {verb: start(project, verb, log=log) for verb, log in logs.items()}
        for log in logs.values():
            wait_for_text(log, "waiting for `pubflow test-holder`")
        assert all(process.poll() is None for process in processes.values())
        refused = run_pubflow("--no-wait", "update", cwd=project)
        assert refused.returncode == 2
        assert refused.stderr.startswith("pubflow: error: _build/.pubflow.lock: the project is locked by ")
        assert "`pubflow test-holder` (pid " in refused.stderr and len(refused.stderr.splitlines()) == 1
        # The verbs that only read wait for a writer too: what they would read is half done.
        reader = run_pubflow("--no-wait", "coverage", "--no-stale", cwd=project)
        assert reader.returncode == 2 and "the project is locked by `pubflow test-holder`" in reader.stderr
    for verb, process in processes.items():
        assert process.wait(timeout=120) == 0, logs[verb].read_text(encoding="utf-8")
    for locale in ("en", "zh_TW"):
        catalog = polib.pofile(str(project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"))
        assert catalog.find(NEW) is not None, locale  # the update is there
        assert catalog.find(OLD) is None, locale
    # Whichever ran second, a convert afterwards finds the new message and converts it.
    run_pubflow("convert", cwd=project, check=True)
    tw = polib.pofile(str(project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    assert tw.find(NEW).msgstr == "以合作促安全，以安全促繁榮。"


def test_two_builds_at_once_take_turns(project: Path, tmp_path: Path) -> None:
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start(project, "build", "--locale", "en", log=log) for log in logs]
    assert [process.wait(timeout=300) for process in processes] == [0, 0], [log.read_text() for log in logs]
    texts = [log.read_text(encoding="utf-8") for log in logs]
    assert sum("waiting for `pubflow build` (pid " in text for text in texts) == 1, texts
    page = project / "_build" / "html" / "en" / f"{ARTICLE}.html"
    assert "Cooperation for security; security for development." in page.read_text(encoding="utf-8")


def test_tbx_export_and_a_preview_rebuild_take_turns_with_other_writers(project: Path) -> None:
    """The verbs that write outside the catalogs take the lock too: the termbase, and serve's rebuilds."""
    from pubflow.build import Edition
    from pubflow.config import load_config
    from pubflow.serve import Rebuild

    config = load_config(project)
    edition = Edition.of_locale(config.locale("en"))
    page = project / "_build" / "html" / "en" / f"{ARTICLE}.html"
    with project_lock(project / "_build", "test-holder"):
        refused = run_pubflow("--no-wait", "tbx", "export", "--locale", "en", cwd=project)
        assert refused.returncode == 2, refused.stderr
        assert "the project is locked by `pubflow test-holder`" in refused.stderr
        assert not (project / "_build" / "glossary.tbx").exists()
        rebuild = threading.Thread(target=Rebuild(project, edition), kwargs={"changed_paths": ()})
        rebuild.start()
        time.sleep(3)
        assert rebuild.is_alive() and not page.exists()  # waiting for the holder, nothing written
    rebuild.join(timeout=300)
    assert not rebuild.is_alive() and page.is_file()
    assert run_pubflow("--no-wait", "tbx", "export", "--locale", "en", cwd=project).returncode == 0
    assert (project / "_build" / "glossary.tbx").is_file()


def test_readers_share_the_lock_and_a_writer_waits_for_them(project: Path) -> None:
    """A check run while update rewrote the templates found nothing stale and passed: now it waits, and CI fails."""
    with project_lock(project / "_build", "test-reader", shared=True):
        for verb in (["check", "--no-stale"], ["coverage", "--no-stale"]):
            result = run_pubflow("-q", "--no-wait", *verb, cwd=project)
            assert result.returncode in (0, 1) and "locked" not in result.stderr, result.stderr
        writer = run_pubflow("--no-wait", "update", cwd=project)
        assert writer.returncode == 2 and "the project is locked by another pubflow command" in writer.stderr
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    with project_lock(project / "_build", "test-writer"):
        check = subprocess.Popen(
            [sys.executable, "-m", "pubflow", "check", "-l", "en"], cwd=project, stdout=subprocess.PIPE, text=True,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(2)
        assert check.poll() is None  # waiting, not reading a half-written project
    out, err = check.communicate(timeout=300)
    assert check.returncode == 1 and "stale" in out, out + err
