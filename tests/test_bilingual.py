"""The bilingual edition: pairs from the catalogs, lang per column, aligned in a browser and in the PDF."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import polib
import pymupdf
import pytest

from tests.browser import chromium, serve
from tests.conftest import ARTICLE, REPO, publish_always, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

PAIRS = [("zh_CN", "en", "zh-CN", "en"), ("zh_TW", "en", "zh-TW", "en")]


class Pairs(HTMLParser):
    """Every pubflow-pair's cells as (lang, classes, text, mark, note markers); the notes' own pairs apart."""

    NOTE_UNITS = frozenset({"pubflow-unit-note", "pubflow-unit-notes"})

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[list[dict[str, str]]] = []
        self.titles: list[list[dict[str, str]]] = []
        self.note_pairs: list[list[dict[str, str]]] = []
        self._unit: list[dict[str, str]] = []
        self._cell: dict[str, str] | None = None
        self._depth = 0
        self._in_mark = 0
        self._in_note_ref = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if self._cell is not None:
            self._depth += 1
            if "pubflow-mark" in classes:
                self._in_mark = self._depth
            if "pubflow-note-ref" in classes:
                self._in_note_ref = self._depth
            return
        if "pubflow-pair" in classes or "pubflow-pair-title" in classes:
            self._unit = []
            units = self.titles if "pubflow-pair-title" in classes else self.pairs
            (self.note_pairs if self.NOTE_UNITS & set(classes) else units).append(self._unit)
        elif "pubflow-cell" in classes:
            self._cell = {"lang": a.get("lang", ""), "classes": " ".join(classes), "text": "", "mark": "", "notes": ""}
            self._depth = 1
            self._unit.append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if self._cell is None:
            return
        if self._in_mark == self._depth:
            self._in_mark = 0
        if self._in_note_ref == self._depth:
            self._in_note_ref = 0
        self._depth -= 1
        if self._depth == 0:
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            field = "notes" if self._in_note_ref else "mark" if self._in_mark else "text"
            self._cell[field] += data.strip("\n")


def parse(path: Path) -> Pairs:
    parser = Pairs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def catalog(root: Path, locale: str) -> dict[str, str]:
    path = root / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if not e.obsolete}


@pytest.fixture(scope="module")
def bilingual_site() -> Path:
    result = run_pubflow("build", "--bilingual", "zh_CN:en", "--bilingual", "zh_TW:en", "--format", "all", cwd=REPO)
    assert result.returncode == 0, result.stderr
    return REPO / "_build"


@pytest.mark.parametrize(("first", "second", "lang_a", "lang_b"), PAIRS)
def test_every_message_is_paired_with_its_translation(
    bilingual_site: Path, first: str, second: str, lang_a: str, lang_b: str
) -> None:
    page = bilingual_site / "html" / "bilingual" / f"{first}-{second}" / f"{ARTICLE}.html"
    parsed = parse(page)
    assert re.search(rf'<html lang="{lang_a}"', page.read_text(encoding="utf-8"))
    english = catalog(REPO, second)
    first_texts = catalog(REPO, first) if first != "zh_CN" else {m: m for m in english}
    units = [(a["text"], b["text"]) for a, b in parsed.pairs] + [(a["text"], b["text"]) for a, b in parsed.titles]
    for cells in [*parsed.pairs, *parsed.titles]:
        assert [c["lang"] for c in cells] == [lang_a, lang_b]
    expected = {(first_texts[m], english[m]) for m in english if m}
    assert set(units) == expected
    assert len(units) == len([m for m in english if m])  # every message, once each


def test_the_root_index_and_the_switcher_link_the_parallel_editions(bilingual_site: Path) -> None:
    root = (bilingual_site / "html" / "index.html").read_text(encoding="utf-8")
    for folder in ["bilingual/zh_CN-en", "bilingual/zh_TW-en"]:
        assert f'href="{folder}/index.html"' in root
        assert (bilingual_site / "html" / folder / "index.html").is_file()
    page = (bilingual_site / "html" / "bilingual" / "zh_CN-en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert f'href="../../en/{ARTICLE}.html"' in page
    assert f'href="../../bilingual/zh_TW-en/{ARTICLE}.html"' in page


def test_gaps_are_marked_never_silent(project: Path) -> None:
    publish_always(project)  # an edition that publishes articles in translation
    # Built once before the catalog changes: the next build must see the change (the catalog is a dependency).
    assert run_pubflow("build", "--bilingual", "zh_CN:en", cwd=project).returncode == 0
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("以合作促安全，以安全促发展。").msgstr = ""
    po.find("运筹帷幄，谋划长远。").flags.append("fuzzy")
    po.save()
    assert run_pubflow("build", "--bilingual", "zh_CN:en", cwd=project).returncode == 0
    parsed = parse(project / "_build" / "html" / "bilingual" / "zh_CN-en" / f"{ARTICLE}.html")
    by_source = {a["text"]: b for a, b in parsed.pairs}
    missing = by_source["以合作促安全，以安全促发展。"]
    assert missing["text"] == "以合作促安全，以安全促发展。" and missing["lang"] == "zh-CN"
    assert missing["mark"] == "尚未翻译" and "pubflow-untranslated" in missing["classes"]
    outdated = by_source["运筹帷幄，谋划长远。"]
    assert outdated["mark"] == "译文已过时" and outdated["text"] == "运筹帷幄，谋划长远。"
    marked = [b for _, b in parsed.pairs if b["mark"]]
    assert len(marked) == 2


def test_columns_align_on_a_wide_screen_and_stack_on_a_phone(bilingual_site: Path) -> None:
    with serve(bilingual_site / "html") as base, chromium() as browser:
        for width, name in [(1280, "desktop"), (390, "phone")]:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/bilingual/zh_CN-en/{ARTICLE}.html")
            boxes = page.eval_on_selector_all(
                ".pubflow-pair, .pubflow-pair-title",
                """units => units.map(u => [...u.querySelectorAll(':scope > .pubflow-cell')]
                       .map(c => { const r = c.getBoundingClientRect(); return [r.top, r.bottom, r.left]; }))""",
            )
            assert len(boxes) >= 59
            for (top_a, bottom_a, left_a), (top_b, _bottom_b, left_b) in boxes:
                if name == "desktop":
                    assert abs(top_a - top_b) < 1 and left_b > left_a
                else:
                    assert top_b >= bottom_a - 1 and abs(left_a - left_b) < 20
            previous_bottom = 0.0
            for cells in boxes:  # a long paragraph never pushes the next pair out of line
                assert min(c[0] for c in cells) >= previous_bottom - 1
                previous_bottom = max(c[1] for c in cells)
            page.screenshot(path=str(bilingual_site / "screenshots" / f"bilingual-{name}.png"), full_page=True)
            page.close()


@pytest.mark.parametrize(("first", "second", "lang_a", "lang_b"), PAIRS)
def test_each_pair_starts_on_the_same_pdf_page(
    bilingual_site: Path, first: str, second: str, lang_a: str, lang_b: str
) -> None:
    pdf = bilingual_site / "pdf" / "bilingual" / f"{first}-{second}" / f"{ARTICLE}.{first}-{second}.pdf"
    with pymupdf.open(pdf) as document:
        pages = ["".join(page.get_text().split()) for page in document]
    english = catalog(REPO, second)
    first_texts = catalog(REPO, first) if first != "zh_CN" else {m: m for m in english}
    checked = 0
    for msgid, msgstr in english.items():
        if len(msgid) < 20:
            continue  # short units may be ambiguous in the page text
        start_a = "".join(first_texts[msgid].split())[:12]
        start_b = "".join(msgstr.split())[:24]
        page_a = next(i for i, text in enumerate(pages) if start_a in text)
        page_b = next(i for i, text in enumerate(pages) if start_b in text)
        assert page_a == page_b, (msgid[:20], page_a, page_b)
        checked += 1
    assert checked >= 40


def test_each_pdf_column_is_set_in_its_languages_font(bilingual_site: Path) -> None:
    from tests.test_pdf import cjk_glyph, glyphs_in_pdf

    for first, region in [("zh_CN", "SC"), ("zh_TW", "TC")]:
        pdf = bilingual_site / "pdf" / "bilingual" / f"{first}-en" / f"{ARTICLE}.{first}-en.pdf"
        assert glyphs_in_pdf(pdf, "述")["述"] == {cjk_glyph(region, "述")}, first
        with pymupdf.open(pdf) as document:
            fonts = {
                span["font"]
                for span in document[1].get_texttrace()
                if any(chr(c[0]) in "Cooperation" for c in span["chars"])
            }
        assert any(font.endswith("NotoSerif-Regular") for font in fonts), fonts


def noted_passages(locale: str) -> list[str]:
    """The passages (a msgid or part of one) that the locale's notes file attaches a note to."""
    path = REPO / "locale" / locale / "notes" / f"{ARTICLE}.toml"
    return [note["message"] for note in tomllib.loads(path.read_text(encoding="utf-8"))["note"]]


def test_each_columns_notes_stay_in_its_column(bilingual_site: Path) -> None:
    # en and zh_TW note the same passages, and zh_TW its title besides; zh_CN, the source, none.
    title = "全国公安机关国际执法安全合作述评（上）"
    english_notes = noted_passages("en")
    taiwan_notes = [p for p in noted_passages("zh_TW") if p != title]
    assert title in noted_passages("zh_TW") and len(english_notes) >= 3
    for first, lang, first_notes in [("zh_CN", "zh-CN", 0), ("zh_TW", "zh-TW", len(taiwan_notes))]:
        page = bilingual_site / "html" / "bilingual" / f"{first}-en" / f"{ARTICLE}.html"
        parsed = parse(page)
        marked = [(a, b) for a, b in parsed.pairs if a["notes"] or b["notes"]]
        english = catalog(REPO, "en")
        noted = [english[m] for m in english if any(p in m for p in english_notes)]
        assert [b["text"] for _, b in marked] == noted
        assert all(b["notes"] for _, b in marked)
        assert sum(1 for a, _ in marked if a["notes"]) == first_notes
        *start, notes = parsed.note_pairs
        assert [c["lang"] for c in notes] == [lang, "en"]
        assert notes[1]["text"].startswith("Notes") and notes[1]["text"].count("Editor’s note:") == len(english_notes)
        if first == "zh_TW":
            assert notes[0]["text"].startswith("註釋") and notes[0]["text"].count("編按：") == len(taiwan_notes)
            assert len(start) == 1 and "中華人民共和國" in start[0][0]["text"] and start[0][1]["text"] == ""
        else:
            assert notes[0]["text"] == "" and not start
        pdf = bilingual_site / "pdf" / "bilingual" / f"{first}-en" / f"{ARTICLE}.{first}-en.pdf"
        with pymupdf.open(pdf) as document:
            text = "".join("".join(p.get_text().split()) for p in document)
        assert text.count("Editor’snote:") == len(english_notes)
        assert text.count("編按：") == (len(taiwan_notes) + 1 if first == "zh_TW" else 0)
