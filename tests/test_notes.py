"""Editor's and translator's notes: the shipped ones, checked like translations, stale with their source, rendered."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from pubflow.checks.notes import check_notes
from pubflow.config import load_config
from pubflow.notes import NoteCount, count_notes, notes_path, source_hash
from tests.conftest import ARTICLE, REPO, run_pubflow

TIMOR = "2000年1月12日，15名中国警察走出国门，飞往当时还未完全独立的南太平洋国家东帝汶"
# The English notes in the document's order: Meng Hongwei's fate, East Timor in 2000, the Haiti deaths, the
# Yu Xing 8's registration, the date of Naw Kham's arrest.
NOTED = (
    "新一任国际刑警组织主席",
    "南太平洋国家东帝汶",
    "8名中国维和警察以身殉职",
    "两艘中国籍货船",
    "糯康及其他5名骨干成员在老挝被捕",
)


def notes_file(project: Path, locale: str) -> Path:
    return notes_path(load_config(project), locale, ARTICLE)


def test_the_shipped_notes_are_current_and_counted() -> None:
    config = load_config(REPO)
    assert count_notes(config, "en", ARTICLE) == NoteCount(5, 0)
    assert count_notes(config, "zh_TW", ARTICLE) == NoteCount(6, 0)
    assert count_notes(config, "zh_CN", ARTICLE) == NoteCount(0, 0)
    # The zh_TW note on point of view names what the edition says: 我國 ten times, 我駐 twice.
    catalog = polib.pofile(str(REPO / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    text = "".join(e.msgstr for e in catalog)
    assert (text.count("我國"), text.count("我駐")) == (10, 2)
    start_note = notes_file(REPO, "zh_TW").read_text(encoding="utf-8")
    assert "「我國」、「我駐」" in start_note and "中華人民共和國" in start_note
    # … and what else a Taiwan reader would take for the ROC's: 全國, 國家, 我們, 中方, 黨中央, 僑胞, 海外華人.
    for word in ("「全國」", "「國家」", "「我們」", "「中方」", "「黨中央」", "「僑胞」", "「海外華人」", "國人"):
        assert word in start_note, word
    assert "照錄原文" not in start_note  # the edition adapts characters, words, names and punctuation


@pytest.mark.slow
def test_a_changed_source_turns_its_note_stale_and_unpublished(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("15名中国警察走出国门", "15名中国警察首次走出国门"), "utf-8")
    for verb in ["extract", "update"]:
        run_pubflow(verb, cwd=project, check=True)
    result = run_pubflow("check", "--locale", "en", "--no-stale", cwd=project)
    assert result.returncode == 1
    new_msgid = TIMOR.replace("15名中国警察走出国门", "15名中国警察首次走出国门")
    catalog = polib.pofile(str(project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    new_hash = source_hash(next(e.msgid for e in catalog if e.msgid.startswith(new_msgid)))
    notes = notes_file(project, "en")
    hash_line = next(n for n, line in enumerate(notes.read_text("utf-8").splitlines(), 1) if "f207d4299f04" in line)
    stale = [line for line in result.stdout.splitlines() if ": note-stale: " in line]
    assert stale == [
        f"locale/en/notes/{ARTICLE}.toml:{hash_line}: note-stale: "
        "the source of '2000年1月12日，15名中国警察首次走出国门，飞往当时…' "
        f'changed since the note was written: read the note against it, then set source-hash = "{new_hash}"'
    ]
    # A stale note is held back, as a fuzzy translation is; the others keep their order and numbers.
    # Notes of the source edition, which pubflow does not check, are never published.
    # A translator's note, added after the others in the file, is numbered in the document's order.
    translator_note = (
        '\n[[note]]\nmessage = "以合作促安全，以安全促发展。"\n'
        f'source-hash = "{source_hash("以合作促安全，以安全促发展。")}"\nby = "translator"\n'
        'text = "A four-character parallel in the source."\n'
    )
    notes.write_text(notes.read_text("utf-8") + translator_note, "utf-8")
    source_notes = notes_file(project, "zh_CN")
    source_notes.parent.mkdir(parents=True)
    source_notes.write_text(notes.read_text("utf-8"), "utf-8")
    run_pubflow("build", "--locale", "en", "--locale", "zh_CN", cwd=project, check=True)
    page = (project / "_build" / "html" / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "In January 2000 East Timor was not a state" not in page
    assert re.findall(r'id="pubflow-note-en-(\d)"', page) == ["1", "2", "3", "4", "5"]
    first_note = page.split('id="pubflow-note-en-1"')[1].split('id="pubflow-note-en-2"')[0]
    assert "<strong>Translator’s note:</strong> A four-character parallel" in first_note
    assert "pubflow-note" not in (project / "_build" / "html" / "zh_CN" / f"{ARTICLE}.html").read_text("utf-8")
    # Read against the new source and confirmed with its hash, it is current again.
    notes.write_text(notes.read_text("utf-8").replace("f207d4299f04", new_hash), "utf-8")
    assert not list(check_notes(load_config(project), load_config(project).locale("en")))


def test_notes_are_checked_like_translations(project: Path) -> None:
    config = load_config(project)
    notes = notes_file(project, "en")
    notes.write_text(
        "[[note]]\n"
        'message = "以合作促安全"\n'
        'text = "See https://example.org and <script>x</script>, :ref:`target` and *open."\n'
        "\n[[note]]\n"
        'message = "中国"\n'
        'source-hash = "000000000000"\n'
        'text = """First paragraph.\n\n.. raw:: html"""\n'
        "\n[[note]]\n"
        'message = "不在原文中的一句话"\n'
        'source-hash = "000000000000"\n'
        'text = "An |injected| substitution."\n',
        encoding="utf-8",
    )
    found = sorted((f.line, f.check, f.message) for f in check_notes(config, config.locale("en")))
    hash_now = source_hash("以合作促安全，以安全促发展。")
    catalog = polib.pofile(str(project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    with_china = sum("中国" in e.msgid for e in catalog)
    assert found == [
        (1, "note-stale", "the note has no source-hash yet: read it against its message, "
                          f'then set source-hash = "{hash_now}"'),
        (3, "note", "markup a note may not have: role :ref: → target, unpaired * (only *emphasis* and **strong**)"),
        (3, "note", "the note has URL 'https://example.org'; cite sources in words"),
        (3, "note", "the note has raw HTML '</script>'; cite sources in words"),
        (3, "note", "the note has raw HTML '<script>'; cite sources in words"),
        (3, "note", "the note has role ':ref:`'; cite sources in words"),
        (7, "note-stale", f"{with_china} messages have '中国'; quote more of the one meant"),
        (8, "note", "a note is one paragraph; remove the blank line"),
        (8, "note", "the note has directive '.. raw::'; cite sources in words"),
        (14, "note-stale", "no message of the source has '不在原文中的一句话'"),
        (15, "note", "markup a note may not have: substitution |injected| (only *emphasis* and **strong**)"),
        (15, "note", "the note has substitution '|injected|'; cite sources in words"),
    ]  # fmt: skip
    traditional = notes_file(project, "zh_TW")
    traditional.write_text(
        traditional.read_text("utf-8").replace("原文稱糯康於2012年3月被捕。", "原文称糯康於2012年3月被捕。"), "utf-8"
    )
    found_tw = [(f.check, f.message) for f in check_notes(config, config.locale("zh_TW"))]
    assert found_tw == [("note", "Simplified-only characters in a Traditional note: 称")]


@pytest.mark.slow
def test_a_malformed_notes_file_is_one_line_with_its_line(project: Path) -> None:
    notes = notes_file(project, "en")
    broken = notes.read_text("utf-8").replace('by = "editor"\ntext', 'by = "editor"\ntext = \ntext', 1)
    notes.write_text(broken, "utf-8")
    result = run_pubflow("check", "--locale", "en", "--no-stale", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(notes.read_text("utf-8").splitlines(), 1) if text == "text = ")
    assert re.fullmatch(rf"locale/en/notes/{ARTICLE}\.toml:{line}: note: invalid TOML: .*\n", result.stdout)
    build = run_pubflow("build", "--locale", "en", cwd=project)
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert f"{ARTICLE}.toml:{line}: note: invalid TOML" in build.stderr  # refused as check fails it


def test_each_edition_shows_its_own_notes(built_site: Path) -> None:
    english = (built_site / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    traditional = (built_site / "zh_TW" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    source = (built_site / "zh_CN" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "pubflow-note" not in source and "编者按" not in source
    en_path = REPO / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    en_catalog = {e.msgid: e.msgstr for e in polib.pofile(str(en_path))}
    for number, passage in enumerate(NOTED, 1):
        # The marker follows its message's translated text and links to the note at the end.
        msgstr = next(s for m, s in en_catalog.items() if passage in m)
        assert re.search(
            re.escape(msgstr.split()[-1]) + rf'<a class="[^"]*pubflow-note-ref" href="#pubflow-note-en-{number}"',
            english,
        ), passage
    notes = english[english.index('<div class="pubflow-notes') :]
    assert notes.startswith('<div class="pubflow-notes docutils container">\n<p class="rubric">Notes</p>')
    assert re.findall(r'id="pubflow-note-en-(\d)"', notes) == ["1", "2", "3", "4", "5"]
    assert "<strong>Editor’s note:</strong> In January 2000 East Timor was not a state" in notes
    # zh_TW: the point-of-view note at the start, after the byline and before the first paragraph.
    byline = traditional.index("pubflow-byline")
    start = traditional.index('<div class="pubflow-note-start')
    first_paragraph = traditional.index("沒有一個國家能實現")
    assert byline < start < first_paragraph
    assert "<strong>編按：</strong>本文原載中國大陸《法制日報》" in traditional[start:first_paragraph]
    assert re.findall(r'id="pubflow-note-zh_TW-(\d)"', traditional) == ["1", "2", "3", "4", "5"]
    assert '<p class="rubric">註釋</p>' in traditional
