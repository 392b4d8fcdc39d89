"""PDF editions: real xelatex, read back with pdftotext, pdffonts, PyMuPDF and fontTools.

Pages are also turned into images with pdftoppm, under ``_build/test-pages/``
(their paths are printed: ``pytest -s`` or ``-rP`` shows them), for a person
to look at; the tests check the same layout in the text's coordinates.
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import tomllib
from functools import cache
from pathlib import Path

import polib
import pymupdf
import pytest
from fontTools.ttLib import TTCollection

from pubflow.checks.script import simplified_only
from tests.conftest import ARTICLE, FIXTURES, REPO, publish_always, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

LOCALES = ["zh_CN", "en", "zh_TW"]
PUBLICATION = "pubflow 文选"
PAGES = REPO / "_build" / "test-pages"
BODY_SIZE = 10.9  # 11pt as PyMuPDF measures it
SERIF_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
EXPECTED = {
    "zh_CN": {
        "publication": PUBLICATION,
        "title": "全国公安机关国际执法安全合作述评（上）",
        "page1": ["为全球安全治理贡献“中国力量”", "作者：蔡长春", "来源：法制日报——法制网"],
        "author": "蔡长春",
        "subtitle": "为全球安全治理贡献“中国力量”",
        "after_heading": "中国必须有自己特色的大国外交",
        "headings": ["积极主动参与全球安全治理", "海外维和联合执法硕果累累", "服务大局加强海外利益保护"],
        "paragraph": "以合作促安全，以安全促发展。",
        "first": "没有一个国家能实现脱离世界安全的自身安全",
    },
    "en": {
        "publication": "pubflow Reader",
        "title": "China’s police in international law enforcement and security cooperation: a review (part one)",
        "page1": ["By Cai Changchun", "Source: Legal Daily, via Legal Daily Online"],
        "author": "Cai Changchun",
        "subtitle": "Contributing “China’s strength” to global security governance",
        "headings": ["Taking an active part in global security governance", "Stronger protection of China’s overseas"],
        "paragraph": "Cooperation for security; security for development.",
        "first": "No country can achieve its own security",
    },
    "zh_TW": {
        "publication": "pubflow 文選",
        "title": "全國公安機關國際執法安全合作述評（上）",
        "page1": ["為全球安全治理貢獻「中國力量」", "作者：蔡長春", "來源：法制日報——法制網"],
        "author": "蔡長春",
        "subtitle": "為全球安全治理貢獻「中國力量」",
        "after_heading": "中國必須有自己特色的大國外交",
        "headings": ["積極主動參與全球安全治理", "海外維和聯合執法碩果累累", "服務大局加強海外利益保護"],
        "paragraph": "以合作促安全，以安全促發展。",
        "first": "沒有一個國家能實現脫離世界安全的自身安全",
    },
}


@pytest.fixture(scope="module")
def pdfs() -> dict[str, Path]:
    result = run_pubflow("build", "--format", "pdf", cwd=REPO)
    assert result.returncode == 0, result.stderr
    return {loc: REPO / "_build" / "pdf" / loc / f"{ARTICLE}.{loc}.pdf" for loc in LOCALES}


@pytest.fixture(scope="module")
def bilingual_pdf() -> Path:
    result = run_pubflow("build", "--format", "pdf", "--bilingual", "zh_CN:en", cwd=REPO)
    assert result.returncode == 0, result.stderr
    return REPO / "_build" / "pdf" / "bilingual" / "zh_CN-en" / f"{ARTICLE}.zh_CN-en.pdf"


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return "".join(text.split())


@cache
def cjk_glyph(region: str, char: str) -> int:
    face = next(
        f for f in TTCollection(str(SERIF_CJK)).fonts if f["name"].getDebugName(1) == f"Noto Serif CJK {region}"
    )
    return face.getGlyphID(face.getBestCmap()[ord(char)])


def glyphs_in_pdf(path: Path, chars: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {c: set() for c in chars}
    with pymupdf.open(path) as document:
        for page in document:
            for span in page.get_texttrace():
                if "SerifCJK" not in span["font"]:
                    continue
                for char in span["chars"]:
                    if chr(char[0]) in found:
                        found[chr(char[0])].add(char[1])
    return found


def page_images(pdf: Path, name: str, last: int = 2) -> list[Path]:
    """The first pages as PNG images under _build/test-pages/, for a person to look at."""
    target = PAGES / name
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(f"{target.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", str(last), str(pdf), str(target)], check=True)
    images = sorted(target.parent.glob(f"{target.name}-*.png"))
    print("page images:", *images)
    return images


def inked_rows(image: Path) -> list[float]:
    """Where, from 0 (top) to 1 (bottom), a row of the page image holds anything darker than light grey."""
    pixmap = pymupdf.Pixmap(str(image))
    width, channels = pixmap.width, pixmap.n
    samples = pixmap.samples
    rows = []
    for y in range(pixmap.height):
        row = samples[y * width * channels : (y + 1) * width * channels]
        if min(row) < 160:
            rows.append(y / pixmap.height)
    return rows


def lines_of(page: pymupdf.Page) -> list[tuple[float, float, str]]:
    """(left edge, font size, text) of each line, in reading order."""
    return [
        (line["bbox"][0], round(line["spans"][0]["size"], 1), "".join(span["text"] for span in line["spans"]))
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_one_pdf_per_locale_named_after_the_document(pdfs: dict[str, Path], locale: str) -> None:
    assert pdfs[locale].is_file()
    with pymupdf.open(pdfs[locale]) as document:
        width, height = document[0].rect.width, document[0].rect.height
        assert (round(width), round(height)) == (595, 842)  # A4
        assert document.page_count >= 2


@pytest.mark.parametrize("locale", LOCALES)
def test_the_title_block_opens_page_one_in_the_editions_language(pdfs: dict[str, Path], locale: str) -> None:
    """No title page of its own: the masthead, the title block and the text start on page one."""
    expected = EXPECTED[locale]
    page1 = pdftotext(pdfs[locale], 1, 1)
    # The publication's name as the edition's front page gives it (as its HTML masthead does).
    assert flat(page1).startswith(flat(expected["publication"]) + flat(expected["title"]))
    for item in expected["page1"]:
        assert flat(item) in flat(page1), item
    assert flat(expected["first"]) in flat(page1)  # the article's first paragraph, under the title block
    for unwanted in ["Author name not set", "Contents", "目录", "目錄"]:
        assert unwanted not in page1
    body = pdftotext(pdfs[locale])
    for heading in expected["headings"]:
        assert flat(heading) in flat(body), heading
    assert flat(expected["paragraph"]) in flat(body)
    if locale == "zh_TW":
        assert not set(body) & simplified_only("s2twp")  # the publication's name too
    # Page one's foot has its number and no running head; the next pages are headed by the
    # publication's name and the article's title, in the edition's language.
    assert flat(page1).endswith("1")
    page2 = flat(pdftotext(pdfs[locale], 2, 2))
    assert page2.startswith(flat(expected["publication"]) + flat(expected["title"])[:10])
    first_page, second_page = page_images(pdfs[locale], f"{locale}/page")
    # The title block is ink at the very top of page one; page two's head is a line of its own.
    assert inked_rows(first_page)[0] < 0.12 and inked_rows(second_page)[0] < 0.12


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_chinese_paragraphs_are_indented_after_a_heading_too(pdfs: dict[str, Path], locale: str) -> None:
    """Two characters of indent on every paragraph, the first after a heading as well (the Chinese convention)."""
    with pymupdf.open(pdfs[locale]) as document:
        lines = [line for page in document for line in lines_of(page)]
    margin = statistics.mode(round(left, 1) for left, _, _ in lines)  # where a paragraph's later lines start
    heading = flat(EXPECTED[locale]["headings"][0])
    at = next(i for i, (_, _, text) in enumerate(lines) if flat(text) == heading)
    left, size, text = lines[at + 1]
    assert size == BODY_SIZE and text.startswith(EXPECTED[locale]["after_heading"]), text
    assert left - margin == pytest.approx(2 * BODY_SIZE, abs=1.0), text
    first = next(line for line in lines if flat(line[2]).startswith(flat(EXPECTED[locale]["first"])[:8]))
    assert first[0] - margin == pytest.approx(2 * BODY_SIZE, abs=1.0)
    assert lines[at][0] == pytest.approx(margin, abs=0.5)  # the heading itself is not indented


@pytest.mark.parametrize("locale", [*LOCALES, "bilingual"])
def test_the_pdfs_metadata_says_title_author_language_and_date(
    pdfs: dict[str, Path], bilingual_pdf: Path, locale: str
) -> None:
    pdf = bilingual_pdf if locale == "bilingual" else pdfs[locale]
    language, texts = ("zh_CN", EXPECTED["zh_CN"]) if locale == "bilingual" else (locale, EXPECTED[locale])
    with pymupdf.open(pdf) as document:
        info = document.metadata
        assert document.xref_get_key(document.pdf_catalog(), "Lang")[1] == language.replace("_", "-")
    assert info["title"] == texts["title"]
    assert info["author"] == texts["author"]  # the byline's label (作者：, By) left out
    assert info["subject"] == texts["subtitle"]
    # The article's date and time, in the publication's time zone (the byline's :pubflow-date:).
    assert info["creationDate"] == "D:20170925101537+08'00'"
    listing = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Title:           {texts['title']}" in listing


def test_the_bilingual_pdf_sets_chinese_punctuation_as_chinese_and_english_ragged_right(
    pdfs: dict[str, Path], bilingual_pdf: Path
) -> None:
    # Quotation marks and dashes in the Chinese column are full-width CJK punctuation, spaced as in the
    # Chinese edition; in the English column they are the Latin font's.
    def joined(text: str) -> str:  # lines joined, spaces kept: pdftotext shows a wide gap as a space
        return "".join(text.splitlines())

    for pdf in [pdfs["zh_CN"], bilingual_pdf]:
        page1 = joined(pdftotext(pdf, 1, 1))
        assert "为构建人类安全命运共同体贡献“中国力量”。" in page1 and "法制日报——法制网" in page1, pdf
    assert "“ 中国力量 ”" not in joined(pdftotext(bilingual_pdf))
    quotes: dict[str, set[str]] = {"left": set(), "right": set()}
    with pymupdf.open(bilingual_pdf) as document:
        page = document[0]
        middle = page.rect.width / 2
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for char in span["chars"]:
                        if char["c"] in "“”":
                            quotes["left" if char["bbox"][0] < middle else "right"].add(span["font"])
    assert quotes["left"] and all("CJK" in font for font in quotes["left"]), quotes
    assert quotes["right"] and not any("CJK" in font for font in quotes["right"]), quotes
    # Ragged right: in the English column every word space of a body line has its natural width, where
    # justification stretches each line's spaces differently (the English edition's are 2 to 6 points).
    widest: list[float] = []
    rights: list[float] = []
    with pymupdf.open(bilingual_pdf) as document:
        for page in document:
            middle = page.rect.width / 2
            sizes = {
                (b, n): {round(span["size"], 1) for span in line["spans"]}
                for b, block in enumerate(page.get_text("dict")["blocks"])
                for n, line in enumerate(block.get("lines", []))
            }
            lines: dict[tuple[int, int], list[tuple]] = {}
            for word in page.get_text("words"):
                if word[0] > middle:
                    lines.setdefault((word[5], word[6]), []).append(word)
            for key, words in lines.items():
                if sizes.get(key) != {BODY_SIZE} or len(words) < 4:
                    continue
                words.sort()
                # (A full stop gets no wider space: French spacing, as publishers set English.)
                spaces = [b[0] - a[2] for a, b in itertools.pairwise(words)]
                widest.append(max(spaces))
                rights.append(words[-1][2])
    assert len(widest) > 100
    assert max(widest) - min(widest) < 0.05, (min(widest), max(widest))
    assert max(rights) - min(rights) > 10  # and the right edge is ragged
    page_images(bilingual_pdf, "bilingual-zh_CN-en/page")


def test_a_brief_fits_one_page(project: Path) -> None:
    """A one-paragraph article is one page, in its edition and in the parallel one."""
    brief = FIXTURES / "articles" / "brief.txt"
    run_pubflow("import", str(brief), "--name", "brief", cwd=project, check=True)
    publish_always(project)  # the untranslated brief is published in the parallel edition, its source shown
    result = run_pubflow("build", "--format", "pdf", "-l", "zh_CN", "--bilingual", "zh_CN:en", cwd=project)
    assert result.returncode == 0, result.stderr
    for edition in ["zh_CN", "bilingual/zh_CN-en"]:
        pdf = project / "_build" / "pdf" / edition / f"brief.{edition.rpartition('/')[2]}.pdf"
        with pymupdf.open(pdf) as document:
            assert document.page_count == 1, edition
        text = flat(pdftotext(pdf))
        # The title without the site's (图); the dateline that opened the text in the byline, before the text.
        assert text.startswith(flat(PUBLICATION) + "云南警方破获一起跨境贩毒案")
        assert text.index("新华社昆明11月5日电（记者李明）") < text.index("云南省公安厅5日通报")
        assert "缴获毒品海洛因12.6千克" in text and "（图）" not in text
        (image,) = page_images(pdf, f"brief-{edition.replace('/', '-')}/page", last=1)
        rows = inked_rows(image)
        assert rows[0] < 0.12  # the title block at the top
        assert not [row for row in rows if 0.6 < row < 0.9]  # and half the page left white, above its number


def test_untrusted_text_reaches_the_pdf_as_text(project: Path) -> None:
    """A title that would end a PDF string or a TeX group is the PDF's title and page one's, as written."""
    document = project / "docs" / f"{ARTICLE}.rst"
    source = document.read_text(encoding="utf-8")
    hostile = r"述评）/Author (x) >> \\ } { % # $ & ~ ^ [ ] <FEFF> 完"
    shown = hostile.replace("\\\\", "\\")
    old_title = "全国公安机关国际执法安全合作述评（上）\n======================================"
    assert old_title in source
    document.write_text(source.replace(old_title, f"{hostile}\n{'=' * 80}"), encoding="utf-8")
    result = run_pubflow("build", "--format", "pdf", "-l", "zh_CN", cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = project / "_build" / "pdf" / "zh_CN" / f"{ARTICLE}.zh_CN.pdf"
    with pymupdf.open(pdf) as opened:
        assert opened.metadata["title"] == shown
        assert opened.metadata["author"] == "蔡长春"
    assert flat(shown) in flat(pdftotext(pdf, 1, 1))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_font_is_embedded(pdfs: dict[str, Path], locale: str) -> None:
    listing = subprocess.run(["pdffonts", str(pdfs[locale])], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_cjk_glyphs_are_the_locales_own(pdfs: dict[str, Path]) -> None:
    # 述 and 为/為 differ between the SC and TC faces of Noto Serif CJK.
    assert cjk_glyph("SC", "述") != cjk_glyph("TC", "述")
    assert glyphs_in_pdf(pdfs["zh_CN"], "述")["述"] == {cjk_glyph("SC", "述")}
    assert glyphs_in_pdf(pdfs["zh_TW"], "述")["述"] == {cjk_glyph("TC", "述")}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_overfull_line_and_no_missing_character(pdfs: dict[str, Path], locale: str) -> None:
    log = (REPO / "_build" / "latex" / locale / "typeset" / ARTICLE / f"{ARTICLE}.log").read_text(
        encoding="utf-8", errors="replace"
    )
    assert "Overfull \\hbox" not in log
    assert "Missing character" not in log


def test_a_missing_glyph_fails_the_build(project: Path) -> None:
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").msgstr = "Cooperation for security \U00020001."
    catalog.save()
    result = run_pubflow("build", "--format", "pdf", "-l", "en", cwd=project, env={"CI": "true"})
    assert result.returncode == 2
    assert "missing glyphs" in result.stderr and "\U00020001" in result.stderr
    assert "build pdf: done, 0 PDFs in" in result.stderr  # a failed xelatex run is not counted as a PDF
    assert not (project / "_build" / "pdf" / "en" / f"{ARTICLE}.en.pdf").exists()


def test_missing_tex_or_font_is_one_line_naming_the_package(project: Path, tmp_path: Path) -> None:
    result = run_pubflow("-q", "build", "--format", "pdf", cwd=project, env={"PATH": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "pubflow: error: xelatex is not installed; install the Debian package texlive-xetex (or run scripts/setup.sh)"
    )
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    result = run_pubflow("-q", "build", "--format", "pdf", cwd=project, env={"FONTCONFIG_FILE": str(empty)})
    assert result.returncode == 2
    assert (
        "font 'Noto Serif' for the zh_CN PDF is not installed; install the Debian package fonts-noto-core"
        in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_notes_are_footnotes_of_their_own_edition_only(pdfs: dict[str, Path]) -> None:
    pages = {}
    for locale in LOCALES:
        with pymupdf.open(pdfs[locale]) as document:
            pages[locale] = [flat(page.get_text()) for page in document]
    # As many notes as each edition's notes file holds (the zh_TW one opens with a note on the title).
    notes = {
        locale: len(tomllib.loads((REPO / "locale" / locale / "notes" / f"{ARTICLE}.toml").read_text("utf-8"))["note"])
        for locale in ["en", "zh_TW"]
    }
    assert sum(p.count("Editor’snote:") for p in pages["en"]) == notes["en"] >= 3
    assert sum(p.count("編按：") for p in pages["zh_TW"]) == notes["zh_TW"] >= 4
    assert not any("编者按" in p or "Editor" in p for p in pages["zh_CN"])
    # The point-of-view note opens the zh_TW article; every other note is at the foot of its marker's page.
    _title_block, body = pages["zh_TW"][0].split("來源：法制日報——法制網", 1)
    opening = body.index("編按：本文原載中國大陸《法制日報》")
    assert opening < 30 and opening < body.index(flat(EXPECTED["zh_TW"]["first"]))  # after the byline's date
    for locale in ["en", "zh_TW"]:
        catalog = polib.pofile(str(REPO / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"))
        notes_file = tomllib.loads((REPO / "locale" / locale / "notes" / f"{ARTICLE}.toml").read_text("utf-8"))
        for note in notes_file["note"]:
            if note["message"] == "全国公安机关国际执法安全合作述评（上）":
                continue  # the title's note, which opens the article
            ending = flat(next(e.msgstr for e in catalog if note["message"] in e.msgid))[-12:]
            opening = flat(note["text"])[:30]
            page = next(p for p in pages[locale] if ending in p)
            assert opening in page and page.rindex(opening) > page.index(ending), (locale, opening)


def test_a_japanese_locale_added_by_configuration_gets_its_pdf(project: Path) -> None:
    """Sphinx gives ja the platex classes, which xelatex cannot load; pubflow's xeCJK set-up serves it, in JP glyphs."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.pubflow.locales.ja]\nlabel = "日本語"\nproduced-by = "translation"\nthreshold = 0\n'
        + 'publish = "always"\n',  # nothing translated yet: published as it is, not held back
        encoding="utf-8",
    )
    run_pubflow("update", "-l", "ja", cwd=project, check=True)
    result = run_pubflow("build", "--format", "pdf", "-l", "ja", cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = project / "_build" / "pdf" / "ja" / f"{ARTICLE}.ja.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJKjp" in fonts and "CJKsc" not in fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "以合作促安全" in text.replace("\n", "")  # untranslated yet: the source, set in Japanese glyphs


def test_a_korean_column_sets_quotation_marks_as_korean_does(project: Path) -> None:
    """In a parallel PDF each column sets punctuation as its own edition does: Korean, like Latin text, in
    the Latin font; the Chinese column in CJK full width."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.pubflow.locales.ko]\nlabel = "한국어"\nproduced-by = "translation"\nthreshold = 0\n',
        encoding="utf-8",
    )
    run_pubflow("update", "-l", "ko", "--no-memory", cwd=project, check=True)
    path = project / "locale" / "ko" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("为全球安全治理贡献“中国力量”").msgstr = "글로벌 안보 거버넌스에 “중국의 힘”을 보태다"
    catalog.save()
    result = run_pubflow("build", "--format", "pdf", "--bilingual", "zh_CN:ko", cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = project / "_build" / "pdf" / "bilingual" / "zh_CN-ko" / f"{ARTICLE}.zh_CN-ko.pdf"
    fonts: dict[str, set[str]] = {"中国力量": set(), "중국의": set()}
    with pymupdf.open(pdf) as document:
        for block in document[0].get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(c["c"] for span in line["spans"] for c in span["chars"])
                for key in fonts:
                    if key in text:
                        fonts[key] |= {s["font"] for s in line["spans"] if any(c["c"] in "“”" for c in s["chars"])}
    assert fonts["中国力量"] and all("CJK" in font for font in fonts["中国力量"]), fonts
    assert fonts["중국의"] and not any("CJK" in font for font in fonts["중국의"]), fonts
