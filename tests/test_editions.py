"""Publication policy per edition (held-back articles) and corrections that keep editions live."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, FIXTURES, as_before_review, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

NEW = "2018-06-26-border-schools"
NEW_TITLE = "边境地区禁毒宣传走进校园"


def set_policy(project: Path, locale: str, policy: str) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = re.sub(rf'(\[tool\.pubflow\.locales\.{locale}\]\n(?:[^\[].*\n)*?)publish = "[^"]*"\n', r"\1", text)
    header = f"[tool.pubflow.locales.{locale}]\n"
    pyproject.write_text(text.replace(header, f'{header}publish = "{policy}"\n'), encoding="utf-8")


def translate(project: Path, document: str, share: float) -> None:
    """Give the first ``share`` of the document's English messages a translation."""
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{document}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    entries = [e for e in catalog if not e.obsolete]
    for entry in entries[: round(len(entries) * share)]:
        entry.msgstr = entry.msgstr or f"English for message {entries.index(entry) + 1}"
    catalog.save()


def files_naming(folder: Path, *needles: str) -> list[str]:
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix in (".html", ".js", ".xml", ".inv", ".tex", ".txt", ".json")
        and any(needle in path.read_bytes().decode("utf-8", "replace") for needle in needles)
    )


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped publication with a second article, 40% translated into English, its zh_TW conversion approved."""
    project = copy_project(tmp_path_factory.mktemp("editions") / "project")
    run_pubflow("import", str(FIXTURES / "articles" / "many_sections.txt"), "--name", NEW, cwd=project, check=True)
    for verb in ("extract", "update", "convert"):
        run_pubflow(verb, cwd=project, check=True)
    run_pubflow("review", "approve", "-l", "zh_TW", NEW, cwd=project, check=True)  # zh_TW publishes reviewed ones
    translate(project, NEW, 0.4)
    return project


def test_a_held_back_article_is_in_no_output_of_its_edition(partial: Path) -> None:
    html, pdf = partial / "_build" / "html", partial / "_build" / "pdf"
    # Published whatever its state under "always": page, PDF and all.
    set_policy(partial, "en", "always")
    run_pubflow("build", "--format", "all", "-l", "en", cwd=partial, check=True)
    assert (html / "en" / f"{NEW}.html").is_file() and (pdf / "en" / f"{NEW}.en.pdf").is_file()
    # The shipped policy, complete: the article leaves the English edition and its bilingual one.
    set_policy(partial, "en", "complete")
    result = run_pubflow("build", "-l", "zh_CN", "-l", "en", "-l", "zh_TW", "--bilingual", "zh_CN:en", cwd=partial)
    assert result.returncode == 0, result.stderr
    # About 40%, exactly as the catalog has it (13 messages since the byline date left the catalogs: 5 of 13).
    catalog = [e for e in polib.pofile(str(partial / "locale" / "en" / "LC_MESSAGES" / f"{NEW}.po")) if not e.obsolete]
    share = 100 * sum(1 for e in catalog if e.translated()) / len(catalog)
    assert 35 < share < 45, share
    assert f"en: held back {NEW} ({share:.0f}% translated; publish = complete)" in result.stderr, result.stderr
    assert f"bilingual/zh_CN-en: held back {NEW}" in result.stderr
    for edition in ("en", "bilingual/zh_CN-en"):
        folder = html / edition
        assert (folder / f"{ARTICLE}.html").is_file() and not (folder / f"{NEW}.html").exists()
        # Page, front page, feed, search index, inventory: nothing names it but the staff's status page.
        assert files_naming(folder, NEW, NEW_TITLE, "English for message") == ["status.html"], edition
    assert not (pdf / "en" / f"{NEW}.en.pdf").exists()
    assert NEW not in (html / "index.html").read_text(encoding="utf-8")  # the root page's PDF links
    run_pubflow("build", "--format", "pdf", "-l", "en", cwd=partial, check=True)
    assert sorted(p.name for p in (pdf / "en").rglob("*.pdf")) == [f"{ARTICLE}.en.pdf"]
    # Held back, it is no toctree entry that Sphinx misses: a build with nothing changed writes no page again
    # (Sphinx would mark the front page "read again at every build", and index it and write it each time).
    run_pubflow("build", "-l", "en", cwd=partial, check=True)  # links the PDF the build above made
    front = partial / "_build" / "sphinx" / "html" / "en" / "index.html"
    written = front.stat().st_mtime_ns
    run_pubflow("build", "-l", "en", cwd=partial, check=True)
    assert front.stat().st_mtime_ns == written
    # The editions that publish it keep it, and their switchers do not link where it is held back.
    for edition in ("zh_CN", "zh_TW"):
        page = (html / edition / f"{NEW}.html").read_text(encoding="utf-8")
        assert f"../zh_TW/{NEW}.html" in page
        assert f"/en/{NEW}.html" not in page and f"bilingual/zh_CN-en/{NEW}.html" not in page
        assert f"../en/{ARTICLE}.html" in (html / edition / f"{ARTICLE}.html").read_text(encoding="utf-8")
    # The staff status page lists it, marked as in translation, with the policy it falls short of.
    for edition, label in (("en", "In translation"), ("zh_CN", "翻译中"), ("zh_TW", "翻譯中")):
        status = (html / edition / "status.html").read_text(encoding="utf-8")
        held = status.partition('class="pubflow-held-back')[2]  # the table after the coverage numbers
        cells = re.findall(r"<td><p>([^<]*)</p></td>", held)
        rows = sorted(tuple(cells[i : i + 4]) for i in range(0, len(cells), 6))
        editions = ["bilingual/zh_CN-en", "bilingual/zh_TW-en", "en"]  # a pair publishes where both its locales do
        assert rows == [(name, NEW, label, "complete") for name in editions], edition
    # Translated in full, it is published again.
    translate(partial, NEW, 1.0)
    result = run_pubflow("build", "-l", "en", cwd=partial, check=True)
    assert "held back" not in result.stderr and (html / "en" / f"{NEW}.html").is_file()
    assert NEW in (html / "en" / "index.html").read_text(encoding="utf-8")


def test_policies_per_edition_and_pair(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.policy import held_back

    project = copy_project(tmp_path / "project")
    config = load_config(project)
    # The shipped publication: English publishes complete articles, zh_TW reviewed ones; everything is published.
    assert (config.locale("en").publish, config.locale("zh_TW").publish) == ("complete", "reviewed")
    assert held_back(config) == {name: {} for name in [*config.locales, "bilingual/zh_CN-en", "bilingual/zh_TW-en"]}
    # OpenCC's output nobody reviewed is complete, not reviewed.
    as_before_review(project)
    assert not held_back(load_config(project))["zh_TW"]  # complete conversions, as before the review
    set_policy(project, "zh_TW", "reviewed")
    held = held_back(load_config(project))
    assert held["zh_TW"][ARTICLE].state == "in-review" and held["zh_TW"][ARTICLE].reviewed == 0.0
    assert ARTICLE in held["bilingual/zh_TW-en"] and not held["bilingual/zh_CN-en"]
    # A pair's own policy overrides its locales'.
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + '\n[tool.pubflow.bilingual-publish]\n"zh_TW:en" = "at-least-90"\n',
        encoding="utf-8",
    )
    held = held_back(load_config(project))
    assert ARTICLE in held["zh_TW"] and not held["bilingual/zh_TW-en"]
    run_pubflow("review", "approve", "-l", "zh_TW", "--all", cwd=project, check=True)
    assert not held_back(load_config(project))["zh_TW"]
    # Bad settings are one line on their own line.
    set_policy(project, "en", "mostly")
    result = run_pubflow("coverage", "--no-stale", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"pyproject\.toml:\d+: .*publish = \"mostly\": expected always, complete, reviewed", result.stderr)
    set_policy(project, "en", "at-least-101")
    assert "at-least-N" in run_pubflow("coverage", "--no-stale", cwd=project).stderr


# -- corrections ------------------------------------------------------------------------------

PARAGRAPH = "以合作促安全，以安全促发展。"


def correct(project: Path, old: str, new: str) -> None:
    source = project / "docs" / f"{ARTICLE}.rst"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    for verb in ("extract", "update", "convert"):
        run_pubflow(verb, cwd=project, check=True)


def page_paragraph(project: Path, edition: str, needle: str) -> str:
    page = (project / "_build" / "html" / edition / f"{ARTICLE}.html").read_text(encoding="utf-8")
    [found] = [p for p in re.findall(r"<p[^>]*>.*?</p>", page, re.S) if needle in p]
    return found


def approve_and_edit(project: Path, edits: dict[str, tuple[str, str]]) -> None:
    """A reviewer approves every zh_TW message, then edits some (msgid: (old, new) within the text)."""
    run_pubflow("review", "approve", "-l", "zh_TW", "--all", cwd=project, check=True)
    path = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for msgid, (old, new) in edits.items():
        entry = catalog.find(msgid)
        assert old in entry.msgstr
        entry.msgstr = entry.msgstr.replace(old, new)
    catalog.save()


def po_entry(project: Path, locale: str, msgid: str) -> polib.POEntry:
    return polib.pofile(str(project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po")).find(msgid)


COUNTRIES = "截至目前，公安部已与113个国家和地区"
SPLIT = "没有一个国家能实现脱离世界安全的自身安全，也没有建立在其他国家不安全基础上的安全。"


def test_corrections_keep_the_editions_live(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    countries = next(e.msgid for e in polib.pofile(str(project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"))
                     if e.msgid.startswith(COUNTRIES))  # fmt: skip
    approve_and_edit(project, {PARAGRAPH: ("以合作", "藉合作"), countries: ("113個", "一百一十三個")})
    # Five real corrections of the seed article.
    correct(project, PARAGRAPH, "以合作促安全，以安全促进发展。")  # one character
    correct(project, "公安部已与113个国家", "公安部已与114个国家")  # a number
    correct(project, "郭声琨强调，要以总体国家安全观为指引", "孟建柱强调，要以总体国家安全观为指引")  # a name
    diplomacy = "党中央的外交理念清晰而坚定。"
    correct(project, diplomacy, diplomacy + "合作共赢是中国外交的方向。")  # a sentence added
    correct(project, SPLIT, SPLIT + "\n\n")  # a paragraph split in two
    # The catalogs record each change the gettext way: fuzzy, with the previous msgid.
    one = po_entry(project, "en", "以合作促安全，以安全促进发展。")
    assert one.fuzzy and one.previous_msgid == PARAGRAPH
    assert one.msgstr == "Cooperation for security; security for development."
    run_pubflow("build", "-l", "en", "-l", "zh_TW", "--bilingual", "zh_CN:en", cwd=project, check=True)

    # English: a correction that leaves numbers, dates and names alone keeps its translation, marked.
    shown = page_paragraph(project, "en", "Cooperation for security; security for development.")
    assert 'class="translated pubflow-source-updated"' in shown and "Source updated since" in shown
    added = page_paragraph(project, "en", "China must pursue major-country diplomacy")  # the sentence added
    assert "pubflow-source-updated" in added
    # A translation that now says another number, or another name, is not shown as if current: the source is.
    number = page_paragraph(project, "en", "114个国家")
    assert "Translation outdated" in number and "pubflow-fuzzy" in number
    page = (project / "_build" / "html" / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "113 countries" not in page and "113" not in page.split("114个国家")[0][-400:]
    name = page_paragraph(project, "en", "孟建柱强调，要以总体国家安全观为指引")
    assert "Translation outdated" in name and "Guo Shengkun stressed" not in page
    # A paragraph split in two: the first part keeps the whole paragraph's translation, once.
    assert page.count("No country can achieve its own security") == 1
    assert "pubflow-source-updated" in page_paragraph(project, "en", "No country can achieve its own security")
    assert "Translation outdated" in page_paragraph(project, "en", "全面参与国际警务执法合作")
    # The bilingual edition follows the same decisions.
    bilingual = (project / "_build" / "html" / "bilingual" / "zh_CN-en" / f"{ARTICLE}.html").read_text("utf-8")
    assert "原文已更新" in bilingual and "Cooperation for security; security for development." in bilingual
    assert "113 countries" not in bilingual

    # zh_TW: the reviewer's edit is carried onto the new conversion where it merges cleanly …
    tw = po_entry(project, "zh_TW", "以合作促安全，以安全促进发展。")
    assert tw.msgstr == "藉合作促安全，以安全促進發展。" and not tw.fuzzy
    # … and where it overlaps the correction it stays for review, while the edition shows the fresh conversion.
    number_tw = po_entry(project, "zh_TW", countries.replace("113", "114"))
    assert number_tw.fuzzy and "一百一十三個" in number_tw.msgstr
    tw_page = (project / "_build" / "html" / "zh_TW" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "藉合作促安全，以安全促進發展。" in tw_page and "已與114個國家" in tw_page
    assert "一百一十三個" not in tw_page and "以安全促进发展" not in tw_page  # never the Simplified source
    coverage = run_pubflow("coverage", "--no-stale", "-l", "zh_TW", "--format", "json", cwd=project)
    assert json.loads(coverage.stdout)["locales"][0]["total"]["fuzzy"] == 1  # the one left for review

    # An edition may keep the old behaviour: every correction shows the source.
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    header = "[tool.pubflow.locales.en]\n"
    pyproject.write_text(text.replace(header, f'{header}outdated-shows = "source"\n'), encoding="utf-8")
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    old_way = page_paragraph(project, "en", "以合作促安全，以安全促进发展。")
    assert "Translation outdated" in old_way and "Cooperation for security" not in old_way
