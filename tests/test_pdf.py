"""PDF editions: real xelatex, read back with pdftotext, pdffonts, PyMuPDF and fontTools."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import polib
import pymupdf
import pytest
from fontTools.ttLib import TTCollection

from pubflow.checks.script import simplified_only
from tests.conftest import ARTICLE, REPO, run_pubflow

LOCALES = ["zh_CN", "en", "zh_TW"]
SERIF_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
EXPECTED = {
    "zh_CN": {
        "title": "全国公安机关国际执法安全合作述评（上）",
        "page1": [
            "为全球安全治理贡献“中国力量”",
            "作者：蔡长春",
            "来源：法制日报——法制网",
            "2017-09-25 10:15:37",
        ],
        "headings": ["积极主动参与全球安全治理", "海外维和联合执法硕果累累", "服务大局加强海外利益保护"],
        "paragraph": "以合作促安全，以安全促发展。",
        "first": "没有一个国家能实现脱离世界安全的自身安全",
    },
    "en": {
        "title": "China’s police in international law enforcement",
        "page1": ["By Cai Changchun", "Source: Legal Daily, via Legal Daily Online", "25 September 2017, 10:15"],
        "headings": ["Taking an active part in global security governance", "Stronger protection of China’s overseas"],
        "paragraph": "Cooperation for security; security for development.",
        "first": "No country can achieve its own security",
    },
    "zh_TW": {
        "title": "全國公安機關國際執法安全合作述評（上）",
        "page1": ["為全球安全治理貢獻「中國力量」", "作者：蔡長春", "來源：法制日報——法制網"],
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


@pytest.mark.parametrize("locale", LOCALES)
def test_one_pdf_per_locale_named_after_the_document(pdfs: dict[str, Path], locale: str) -> None:
    assert pdfs[locale].is_file()
    with pymupdf.open(pdfs[locale]) as document:
        width, height = document[0].rect.width, document[0].rect.height
        assert (round(width), round(height)) == (595, 842)  # A4
        assert document.page_count >= 3


@pytest.mark.parametrize("locale", LOCALES)
def test_title_page_headings_and_text_in_the_editions_language(pdfs: dict[str, Path], locale: str) -> None:
    expected = EXPECTED[locale]
    page1 = pdftotext(pdfs[locale], 1, 1)
    assert flat(expected["title"]) in flat(page1)
    for item in expected["page1"]:
        assert flat(item) in flat(page1), item
    for unwanted in ["pubflow", "Author name not set", "Contents", "目录", "目錄"]:
        assert unwanted not in page1
    body = pdftotext(pdfs[locale], 2)
    # No table of contents: the article's first paragraph starts on page 2.
    assert flat(expected["first"]) in flat(pdftotext(pdfs[locale], 2, 2))
    for heading in expected["headings"]:
        assert flat(heading) in flat(body), heading
    assert flat(expected["paragraph"]) in flat(body)
    if locale == "zh_TW":
        assert not set(body + page1) & simplified_only("s2twp")
    # Running heads in the edition's language.
    assert flat(expected["title"])[:10] in flat(pdftotext(pdfs[locale], 3, 3))


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
def test_no_overfull_line_and_a_page_image_for_review(pdfs: dict[str, Path], locale: str) -> None:
    log = (REPO / "_build" / "latex" / locale / "typeset" / ARTICLE / f"{ARTICLE}.log").read_text(
        encoding="utf-8", errors="replace"
    )
    assert "Overfull \\hbox" not in log
    assert "Missing character" not in log
    target = REPO / "_build" / "pdf" / locale / "page-1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdfs[locale]), str(target)],
        check=True,
    )
    assert target.with_suffix(".png").stat().st_size > 5_000


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
    assert sum(p.count("Editor’snote:") for p in pages["en"]) == 3
    assert sum(p.count("編按：") for p in pages["zh_TW"]) == 4
    assert not any("编者按" in p or "Editor" in p for p in pages["zh_CN"])
    # The point-of-view note opens the zh_TW article; every other note is at the foot of its marker's page.
    _running_head, body = pages["zh_TW"][1].split("來源：法制日報——法制網", 1)
    assert body.startswith("編按：本文原載中國大陸《法制日報》")
    for locale, passage, note in [
        ("zh_TW", "南太平洋国家东帝汶", "原文稱東帝汶為"),
        ("zh_TW", "8名中国维和警察以身殉职", "原文易使人以為"),
        ("en", "南太平洋国家东帝汶", "ThesourcecallsTimor-Leste"),
        ("en", "糯康及其他5名骨干成员", "Thesourcedatesthearrest"),
    ]:
        catalog = polib.pofile(str(REPO / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"))
        ending = flat(next(e.msgstr for e in catalog if passage in e.msgid))[-12:]
        page = next(p for p in pages[locale] if ending in p)
        assert note in page and page.index(note) > page.index(ending), (locale, note)


def test_a_japanese_locale_added_by_configuration_gets_its_pdf(project: Path) -> None:
    """Sphinx gives ja the platex classes, which xelatex cannot load; pubflow's xeCJK set-up serves it, in JP glyphs."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.pubflow.locales.ja]\nlabel = "日本語"\nproduced-by = "translation"\nthreshold = 0\n',
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
