"""A build killed at any point, or handed a damaged .mo, recovers on the next run; nothing half-written is published.

One copy of the project is built once (English HTML) and shared; each test
changes a translation so that the next build has real work to do.
"""

from __future__ import annotations

import gettext
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

KILLS = 3  # a bounded number here; scripts/kill-builds.py runs as many as you like
PARAGRAPH = "以合作促安全，以安全促发展。"


def set_translation(root: Path, text: str) -> None:
    path = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find(PARAGRAPH).msgstr = text
    catalog.save()


def published_page(root: Path) -> str:
    return (root / "_build" / "html" / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")


def assert_published_whole(root: Path) -> None:
    """Every published page is complete, and no temporary file or in-progress mark is left."""
    for page in (root / "_build" / "html" / "en").rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    leftovers = [p for p in (root / "_build").rglob("*") if p.name.endswith((".tmp", ".building"))]
    assert leftovers == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    root = copy_project(tmp_path_factory.mktemp("faults") / "project")
    started = time.monotonic()
    run_pubflow("build", "--locale", "en", cwd=root, check=True)
    return root, time.monotonic() - started


def test_a_damaged_mo_is_never_published(built: tuple[Path, float]) -> None:
    root, _ = built
    set_translation(root, "Cooperation for security; security for development (damaged .mo run).")
    run_pubflow("build", "--locale", "en", cwd=root, check=True)
    future = time.time() + 3600
    compiled = root / "_build" / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.mo"
    compiled.write_bytes(compiled.read_bytes()[:64])  # truncated, and newer than its .po
    os.utime(compiled, (future, future))
    beside = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.mo"  # as sphinx-intl build leaves one
    beside.write_bytes(b"\x00garbage")
    os.utime(beside, (future, future))
    result = run_pubflow("build", "--locale", "en", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "security for development (damaged .mo run)." in published_page(root)
    assert "By Cai Changchun" in published_page(root)
    with compiled.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext(PARAGRAPH).endswith("(damaged .mo run).")


def test_a_build_killed_at_random_points_recovers(built: tuple[Path, float]) -> None:
    root, duration = built
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for run in range(KILLS):
        marker = f"Cooperation for security; security for development (run {run})."
        set_translation(root, marker)
        process = subprocess.Popen(
            [sys.executable, "-m", "pubflow", "-q", "build", "--locale", "en"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 1.0) * duration)
        process.kill()
        process.wait()
        # The next run waits for any Sphinx the killed one left running, then recovers by itself.
        result = run_pubflow("build", "--locale", "en", cwd=root)
        assert result.returncode == 0, (seed, run, result.stderr)
        assert marker in published_page(root), (seed, run)
        assert_published_whole(root)


def test_pages_sphinx_left_half_written_are_rebuilt_not_published(built: tuple[Path, float]) -> None:
    """What a kill in Sphinx's write phase leaves: a truncated page newer than its source, and the mark.

    Sphinx would not rewrite that page (it looks up to date), so the mark must make the edition start afresh.
    """
    root, _ = built
    run_pubflow("build", "--locale", "en", cwd=root, check=True)
    work_page = root / "_build" / "sphinx" / "html" / "en" / f"{ARTICLE}.html"
    work_page.write_text(work_page.read_text(encoding="utf-8")[:500], encoding="utf-8")
    (root / "_build" / "sphinx" / ".html-en.building").write_text("12345\n", encoding="utf-8")
    result = run_pubflow("build", "--locale", "en", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "en: the last html build was interrupted; rebuilding it from scratch" in result.stderr
    assert_published_whole(root)
    assert "By Cai Changchun" in published_page(root)


def test_a_build_that_failed_fails_again_until_fixed(project: Path) -> None:
    """Sphinx keeps what a failed build read: the next build read nothing, warned of nothing and published it."""
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").msgstr = "Cooperation *for security; security for development."
    catalog.save()
    page = project / "_build" / "html" / "en" / f"{ARTICLE}.html"
    for _attempt in range(2):
        result = run_pubflow("-q", "build", "-l", "en", cwd=project)
        assert result.returncode == 2, result.stderr
        assert "Inline emphasis start-string without end-string" in result.stderr
        assert not page.exists()
