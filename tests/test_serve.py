"""pubflow serve: a translator edits a msgstr, a document or the glossary, and the page in the browser changes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sphinx_autobuild.utils import find_free_port

from tests.browser import chromium
from tests.conftest import ARTICLE

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

OLD_TITLE = "China’s police in international law enforcement and security cooperation: a review (part one)"
NEW_TITLE = "International Police Cooperation: A Review (Part One)"
OLD_PARAGRAPH = "以合作促安全，以安全促发展。"
NEW_PARAGRAPH = "以合作促安全，以安全促进发展。"


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not come up")


@contextmanager
def serving(project: Path, locale: str) -> Iterator[str]:
    """``pubflow serve --locale LOCALE`` running in the project; yields the article's URL once it is up."""
    port = find_free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pubflow", "serve", "--locale", locale, "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        url = f"http://127.0.0.1:{port}/{locale}/{ARTICLE}.html"
        wait_for(url, server)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_editing_a_msgstr_reloads_the_page(project: Path) -> None:
    with serving(project, "en") as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        assert page.locator("h1").inner_text() == OLD_TITLE
        page.evaluate("window.pubflowBeforeReload = true")  # gone once the page reloads

        catalog = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
        text = catalog.read_text(encoding="utf-8")
        assert text.count(f'msgstr "{OLD_TITLE}"') == 1
        catalog.write_text(text.replace(f'msgstr "{OLD_TITLE}"', f'msgstr "{NEW_TITLE}"'), encoding="utf-8")

        page.wait_for_function(
            f"document.querySelector('h1') && document.querySelector('h1').innerText === {NEW_TITLE!r}",
            timeout=90_000,
        )
        assert page.evaluate("window.pubflowBeforeReload") is None  # reloaded, not edited in place

        # A document changes: the edition is rebuilt, and the changed paragraph, whose msgid no catalog has
        # yet, shows in the source until it is translated.
        page.evaluate("window.pubflowBeforeReload = true")
        document = project / "docs" / f"{ARTICLE}.rst"
        source = document.read_text(encoding="utf-8")
        assert source.count(OLD_PARAGRAPH) == 1
        document.write_text(source.replace(OLD_PARAGRAPH, NEW_PARAGRAPH), encoding="utf-8")
        page.wait_for_function(f"document.body.innerText.includes({NEW_PARAGRAPH!r})", timeout=90_000)
        assert page.evaluate("window.pubflowBeforeReload") is None

        # The front page follows too: it is read again on every rebuild.
        page.goto(url.replace(f"{ARTICLE}.html", "index.html"))
        assert page.locator("h2.pubflow-entry-title").inner_text() == NEW_TITLE


def test_a_glossary_edit_is_converted_into_the_opencc_edition(unreviewed_project: Path) -> None:
    project = unreviewed_project  # a glossary edit reaches machine output, not a reviewer's text
    with serving(project, "zh_TW") as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        assert "中國東協執法安全合作部長級對話" in page.locator("body").inner_text()

        glossary = project / "glossary.csv"
        text = glossary.read_text(encoding="utf-8")
        assert text.count(",中國東協執法安全合作部長級對話,") == 1
        glossary.write_text(text.replace(",中國東協執法安全合作部長級對話,", ",中國東南亞國協執法安全合作部長級對話,"),
                            encoding="utf-8")  # fmt: skip

        page.wait_for_function(
            "document.body.innerText.includes('中國東南亞國協執法安全合作部長級對話')", timeout=90_000
        )
    catalog = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    assert "中國東南亞國協執法安全合作部長級對話" in catalog.read_text(encoding="utf-8")  # converted, not patched
