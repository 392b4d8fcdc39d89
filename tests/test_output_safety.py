"""Text that looks like markup stays text wherever it is published: the site search in a real browser.

Sphinx 8.2 keeps section titles in ``searchindex.js`` as plain text and its
search page shows a result's title with ``innerHTML``, so a heading
``… <img/src/onerror=alert(document.domain)>`` ran a script in a reader's
browser. The index is made inert (``pubflow/sphinxext/search.py``); these tests
search such headings in Chromium, through the source door (an imported article,
``pubflow build``) and the translation door (a catalog, built by Sphinx alone,
since ``pubflow build`` refuses the message outright).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tomllib
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from pubflow.config import load_config
from pubflow.sitefolder import write_root_index
from pubflow.sphinxext.search import inert_index
from tests.browser import chromium, serve
from tests.conftest import ARTICLE, REPO, as_before_review, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

PAYLOAD = "<img/src/onerror=alert(document.domain)>"
# Long enough that Sphinx's search matches the title by these words alone (at least half the title).
HEADING_ZH_START = "湄公河流域执法安全合作的回顾与展望：六国警方携手打击跨国犯罪、"
HEADING_ZH = HEADING_ZH_START + "维护地区安全稳定、共同守护湄公河航运的历程与经验"
HEADING_EN = "Cooperation along the Mekong: what the police of six countries have achieved together since 2011"


def add_heading(root: Path) -> None:
    """A section at the end of the article, its heading holding the payload (as an imported body line would)."""
    doc = root / "docs" / f"{ARTICLE}.rst"
    title = f"{HEADING_ZH} {PAYLOAD}"
    doc.write_text(
        doc.read_text(encoding="utf-8") + f"\n{title}\n{'-' * (2 * len(title))}\n\n湄公河。\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = copy_project(tmp_path_factory.mktemp("search") / "project")
    add_heading(root)
    run_pubflow("extract", cwd=root, check=True)
    run_pubflow("update", "--locale", "en", "--no-memory", cwd=root, check=True)
    run_pubflow("build", "--format", "html", "--locale", "zh_CN", cwd=root, check=True)
    catalog_path = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(catalog_path), wrapwidth=0)
    entry = catalog.find(f"{HEADING_ZH} {PAYLOAD}")
    assert entry is not None
    entry.msgstr = f"{HEADING_EN} {PAYLOAD}"
    entry.flags = []
    catalog.save()
    # Sphinx alone, as sphinx-intl users run it: the translation reaches the index whatever pubflow refuses.
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(root), "-q", "-D", "language=en", "docs", "out/en"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return {"zh_CN": root / "_build" / "html", "en": root / "out"}


@pytest.mark.parametrize(("edition", "query"), [("zh_CN", HEADING_ZH), ("en", HEADING_EN)])
def test_a_search_shows_a_title_that_looks_like_markup_as_text_and_runs_no_script(
    sites: dict[str, Path], edition: str, query: str
) -> None:
    with serve(sites[edition]) as base, chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/{edition}/search.html?q={query}")
        result = page.locator("ul.search li a", has_text=PAYLOAD).first
        result.wait_for(timeout=15000)
        assert PAYLOAD in result.inner_text()  # the heading's text, shown literally
        assert page.locator("ul.search img").count() == 0
        page.wait_for_timeout(500)  # an image's error event would have fired by now
        assert dialogs == []
        assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0


def test_the_index_is_made_inert_once_and_for_all() -> None:
    index = {
        "titles": ["A <em>B</em> &amp; C", "x"],
        "alltitles": {f"T {PAYLOAD}": [[0, "t"]], "A B & C": [[0, None]]},
        "objnames": {"0": ["py", "function", "<b>f</b>"]},
    }
    once = inert_index(index)
    assert once["titles"] == ["A B &amp; C", "x"]
    assert once["alltitles"] == {
        "T &lt;img/src/onerror=alert(document.domain)&gt;": [[0, "t"]],
        "A B &amp; C": [[0, None]],
    }
    assert once["objnames"] == {"0": ["py", "function", "f"]}
    assert inert_index(once) == once  # an incremental build loads it again and keeps it


def test_a_document_name_stays_one_path_on_the_root_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = load_config(root)
    (root / "_build" / "html" / "en").mkdir(parents=True)
    (root / "_build" / "html" / "en" / "index.html").write_text("<html></html>", encoding="utf-8")
    name = 'x" onmouseover="alert(1)'
    for pdf in (f"{name}.en.pdf", f"{ARTICLE}.en.pdf"):
        (root / "_build" / "pdf" / "en").mkdir(parents=True, exist_ok=True)
        (root / "_build" / "pdf" / "en" / pdf).write_bytes(b"%PDF-1.4\n")
    page = write_root_index(config).read_text(encoding="utf-8")
    parser = Attributes()
    parser.feed(page)
    assert all(not attribute.startswith("on") for _, attribute, _ in parser.found), parser.found
    hrefs = [value for tag, attribute, value in parser.found if tag == "a" and attribute == "href" and ".pdf" in value]
    assert "pdf/en/x%22%20onmouseover%3D%22alert%281%29.en.pdf" in hrefs
    # The link leads to the file (the site's pdf/ is a copy of _build/pdf/): a browser decodes the path to its name.
    assert all((root / "_build" / urllib.parse.unquote(href)).is_file() for href in hrefs), hrefs


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)


def test_a_note_check_fails_is_a_note_the_build_refuses(tmp_path: Path) -> None:
    """Links, a substitution or a control character in a note: check names them, and build refuses the edition."""
    root = copy_project(tmp_path / "project")
    notes = root / "locale" / "en" / "notes" / f"{ARTICLE}.toml"
    first = tomllib.loads(notes.read_text(encoding="utf-8"))["note"][0]
    header = "\n".join(
        f"{key} = {json.dumps(first[key], ensure_ascii=False)}" for key in ("message", "source-hash", "by")
    )
    texts = {
        "URL 'https://evil.example/x'": "See https://evil.example/x now.",
        "URL 'phish@evil.example'": "Write to phish@evil.example now.",
        "substitution '|sub|'": "A |sub| here.",
        "control character 'U+001B'": "An escape \\u001b[31m here.",
        "control character 'U+0085'": "A next line \\u0085 here.",
    }
    start = len(notes.read_text(encoding="utf-8").splitlines())
    with notes.open("a", encoding="utf-8") as handle:
        for text in texts.values():
            handle.write(f'\n[[note]]\n{header}\ntext = "{text}"\n')
    lines = [number for number, line in enumerate(notes.read_text(encoding="utf-8").splitlines(), 1) if number > start]
    text_lines = [n for n in lines if notes.read_text(encoding="utf-8").splitlines()[n - 1].startswith("text")]
    where = f"locale/en/notes/{ARTICLE}.toml"
    checked = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=root)
    built = run_pubflow("build", "--format", "html", "--locale", "en", cwd=root)
    assert checked.returncode == 1 and built.returncode == 1, built.stderr
    for (finding, _), line in zip(texts.items(), text_lines, strict=True):
        expected = f"{where}:{line}: note: the note has {finding}"
        assert expected in checked.stdout, (expected, checked.stdout)
        assert expected in built.stderr, (expected, built.stderr)
    assert "Traceback" not in built.stderr and "please report" not in built.stderr.lower()
    assert not (root / "_build" / "html" / "en").exists()


def test_control_characters_in_a_translation_are_one_line_each_from_check_and_build(tmp_path: Path) -> None:
    """U+0001, U+001B, U+007F, U+0085 in a title translation crashed Sphinx ("please report") after check passed."""
    root = copy_project(tmp_path / "project")
    path = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    controls = ["\x01", "\x1b", "\x7f", "\x85"]
    entries = [e for e in catalog if e.msgstr and not e.obsolete and not e.fuzzy][: len(controls)]
    for entry, control in zip(entries, controls, strict=True):
        entry.msgstr = f"Title{control}[31m"
    catalog.save()
    reread = polib.pofile(str(path))
    where = f"locale/en/LC_MESSAGES/{ARTICLE}.po"
    checked = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=root)
    built = run_pubflow("build", "--format", "html", "--locale", "en", cwd=root)
    assert checked.returncode == 1 and built.returncode == 1
    for entry, control in zip(entries, controls, strict=True):
        line = reread.find(entry.msgid).linenum
        expected = f"{where}:{line}: security: the translation adds control character 'U+{ord(control):04X}'"
        assert expected in checked.stdout and expected in built.stderr, (expected, checked.stdout, built.stderr)
    assert "\x1b" not in checked.stdout + built.stderr  # named, never sent to the terminal
    assert "Traceback" not in built.stderr and "please report" not in built.stderr.lower()


def test_a_private_use_character_in_an_imported_article_is_converted_around(tmp_path: Path) -> None:
    """U+E000 in a raw article made every later convert and publish crash (masking's own markers)."""
    root = copy_project(tmp_path / "project")
    raw = (REPO / "raw" / "000_9a6e5b4a2d73f28a.txt").read_text(encoding="utf-8")
    (root / "pua.txt").write_text(raw.replace("以合作促安全", "以合作\ue000促安全", 1), encoding="utf-8")
    run_pubflow("-q", "import", "pua.txt", "--name", "pua-article", "--force", cwd=root, check=True)
    run_pubflow("-q", "update", "--locale", "zh_TW", "--no-memory", cwd=root, check=True)
    converted = run_pubflow("-q", "convert", cwd=root)
    assert converted.returncode == 0 and "Traceback" not in converted.stderr, converted.stderr
    catalog = polib.pofile(str(root / "locale" / "zh_TW" / "LC_MESSAGES" / "pua-article.po"))
    entry = next(e for e in catalog if "\ue000" in e.msgid)
    assert entry.msgstr == "以合作\ue000促安全，以安全促發展。"


RAW_HTML = f"raw HTML {PAYLOAD!r}"


def test_check_reports_the_payload_whatever_door_it_came_through(tmp_path: Path) -> None:
    """An imported article, an XLIFF target, a TMX exact match, a glossary zh_TW form, init --name."""
    # Before review: convert rewrites machine output only, and the shipped zh_TW edition is a person's now.
    root = as_before_review(copy_project(tmp_path / "project"))
    en = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    # The glossary: a zh_TW form that convert writes into the Traditional edition.
    with (root / "glossary.csv").open("a", encoding="utf-8") as glossary:
        glossary.write(f'共商共建共享,,"共商共建共享 {PAYLOAD}",,\n')
    # TMX: an exact match for a message left untranslated.
    catalog = polib.pofile(str(en), wrapwidth=0)
    by_tmx = catalog.find("以合作促安全，以安全促发展。")
    by_tmx.msgstr = ""
    catalog.save()
    (root / "door.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        'segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body><tu>'
        f'<tuv xml:lang="zh-CN"><seg>{by_tmx.msgid}</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Cooperation {html.escape(PAYLOAD)}</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    # XLIFF: a CAT tool's target for another message.
    run_pubflow("-q", "xliff", "export", "--locale", "en", cwd=root, check=True)
    xliff = root / "_build" / "xliff" / "en.xlf"
    by_xliff = next(e for e in catalog if e.msgstr and not e.fuzzy and "Cai Changchun" in e.msgstr)
    exported = xliff.read_text(encoding="utf-8")
    target = f'<target state="final">{html.escape(by_xliff.msgstr, quote=False)}</target>'
    assert target in exported
    changed = f'<target state="final">By Cai Changchun {html.escape(PAYLOAD)}</target>'
    xliff.write_text(exported.replace(target, changed, 1), encoding="utf-8")
    run_pubflow("-q", "xliff", "import", str(xliff), cwd=root, check=True)
    run_pubflow("-q", "memory", "--locale", "en", "--tmx", "door.tmx", cwd=root, check=True)
    # An imported article whose line holds the payload.
    raw = (REPO / "raw" / "000_9a6e5b4a2d73f28a.txt").read_text(encoding="utf-8")
    (root / "door.txt").write_text(raw.replace("以合作促安全", f"以合作促安全 {PAYLOAD} ", 1))
    run_pubflow("-q", "import", "door.txt", "--name", "door-article", "--force", cwd=root, check=True)
    run_pubflow("-q", "update", "--no-memory", cwd=root, check=True)
    run_pubflow("-q", "convert", cwd=root, check=True)
    checked = run_pubflow("-q", "check", "--no-stale", cwd=root)
    assert checked.returncode == 1, checked.stderr
    reread = polib.pofile(str(en))
    doors = {
        "TMX": f"{ARTICLE}.po:{reread.find(by_tmx.msgid).linenum}: security: the translation adds {RAW_HTML}",
        "XLIFF": f"{ARTICLE}.po:{reread.find(by_xliff.msgid).linenum}: security: the translation adds {RAW_HTML}",
        "glossary": f"zh_TW/LC_MESSAGES/{ARTICLE}.po:",
        "import": "en/LC_MESSAGES/door-article.po:",
    }
    lines = checked.stdout.splitlines()
    assert any(doors["TMX"] in line for line in lines), checked.stdout
    assert any(doors["XLIFF"] in line for line in lines), checked.stdout
    assert any(doors["glossary"] in line and f"adds {RAW_HTML}" in line for line in lines), checked.stdout
    # (import makes the payload's half-width brackets full-width, as in any Chinese text: still a tag)
    source_tag = "the source has raw HTML '<img/src/onerror=alert"
    assert any(doors["import"] in line and source_tag in line for line in lines), checked.stdout


def test_check_reports_a_publication_name_holding_markup(tmp_path: Path) -> None:
    made = run_pubflow("init", str(tmp_path / "reader"), "--name", f"Reader {PAYLOAD}", "--locale", "en", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "reader"
    run_pubflow("-q", "extract", cwd=project, check=True)
    run_pubflow("-q", "update", "--no-memory", cwd=project, check=True)
    checked = run_pubflow("-q", "check", "--no-stale", cwd=project)
    assert checked.returncode == 1
    assert re.search(
        rf"locale/en/LC_MESSAGES/index\.po:\d+: security: the source has {re.escape(RAW_HTML)}", checked.stdout
    )
