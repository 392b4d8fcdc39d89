"""HTML editions: real sphinx-build -W runs, read back as HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, FIXTURES, REPO, publish_always, run_pubflow

EDITIONS = {"zh_CN": "zh-CN", "en": "en", "zh_TW": "zh-TW"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self._in_switcher = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"] or ""] = a["href"] or ""
        if tag == "nav" and "pubflow-switcher" in (a.get("class") or ""):
            self._in_switcher = True
        if tag == "a" and self._in_switcher and a.get("hreflang"):
            self.switcher[a["hreflang"] or ""] = a["href"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switcher = False


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def search_terms(edition: Path) -> dict:
    text = (edition / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]


def test_every_edition_is_built_with_lang_switcher_and_hreflang(built_site: Path) -> None:
    for locale, lang in EDITIONS.items():
        for page in [f"{ARTICLE}.html", "index.html"]:
            path = built_site / locale / page
            links = parse(path)
            assert links.html_lang == lang
            assert set(links.alternates) == set(EDITIONS.values())
            assert set(links.switcher) == set(EDITIONS.values())
            for href in [*links.alternates.values(), *links.switcher.values()]:
                assert (path.parent / href).resolve().is_file(), href
            assert links.switcher["en"].endswith(f"en/{page}")


def test_root_index_links_every_edition(built_site: Path) -> None:
    root = (built_site / "index.html").read_text(encoding="utf-8")
    for locale, lang in EDITIONS.items():
        assert f'href="{locale}/index.html" hreflang="{lang}"' in root
        assert (built_site / locale / "index.html").is_file()


def test_the_page_reads_as_an_article(built_site: Path) -> None:
    zh = (built_site / "zh_CN" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "<h1>全国公安机关国际执法安全合作述评（上）</h1>" in zh
    assert re.search(r'<p class="pubflow-subtitle[^"]*">为全球安全治理贡献“中国力量”</p>', zh)
    assert re.search(r'<p class="pubflow-author[^"]*">作者：蔡长春</p>', zh)
    assert "<title>全国公安机关国际执法安全合作述评（上） &#8212; pubflow 文选</title>" in zh
    en = (built_site / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="pubflow-author[^"]*">By Cai Changchun</p>', en)
    assert 'placeholder="Search"' in en
    assert 'placeholder="搜索"' in zh
    tw = (built_site / "zh_TW" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert 'placeholder="搜尋"' in tw
    # No Sphinx documentation chrome: no sidebar, no "documentation" in titles.
    assert "sphinxsidebar" not in zh
    assert "documentation" not in re.search(r"<title>(.*)</title>", en).group(1).lower()


@pytest.mark.slow
def test_jieba_alone_splits_the_articles_names() -> None:
    import jieba

    sentence = "联合国负责维和事务副秘书长拉克鲁瓦对中国维和队员的精湛技能作出充分肯定"
    assert "拉克鲁瓦" not in jieba.lcut_for_search(sentence)
    assert "孟宏伟" not in jieba.lcut_for_search("中国公安部副部长孟宏伟当选新一任国际刑警组织主席")


def test_chinese_search_indexes_glossary_names(built_site: Path) -> None:
    for locale, names in [
        ("zh_CN", ["湄公河", "拉克鲁瓦", "孟宏伟", "蔡长春", "红色通报"]),
        ("zh_TW", ["湄公河", "拉克魯瓦", "孟宏偉", "蔡長春", "紅色通報"]),
    ]:
        terms = search_terms(built_site / locale)
        for name in names:
            assert name in terms, (locale, name)


@pytest.mark.slow
def test_untranslated_messages_fall_back_to_the_source_without_warnings(project: Path) -> None:
    publish_always(project)  # an edition that publishes articles in translation
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path))
    catalog.find("以合作促安全，以安全促发展。").msgstr = ""
    catalog.save(str(path))
    result = run_pubflow("build", "-l", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "_build" / "html" / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "以合作促安全，以安全促发展。" in html
    assert "By Cai Changchun" in html


@pytest.mark.slow
def test_adding_a_locale_is_configuration_only(project: Path) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[tool.pubflow.locales.zh_HK]\n"
            'label = "繁體中文（香港）"\nproduced-by = "opencc"\nopencc-config = "s2hk"\n'
        )
    result = run_pubflow("publish", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "locale" / "zh_HK" / "LC_MESSAGES" / f"{ARTICLE}.po").is_file()
    page = project / "_build" / "html" / "zh_HK" / f"{ARTICLE}.html"
    links = parse(page)
    assert links.html_lang == "zh-HK"
    assert "zh-HK" in parse(project / "_build" / "html" / "en" / f"{ARTICLE}.html").switcher
    assert 'hreflang="zh-HK"' in (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")


def test_status_page_shows_the_numbers_of_pubflow_coverage(built_site: Path) -> None:
    result = run_pubflow("coverage", "--format", "json", "--no-stale", cwd=REPO)
    data = json.loads(result.stdout)
    for edition in EDITIONS:
        page = (built_site / edition / "status.html").read_text(encoding="utf-8")
        cells = re.findall(r"<td><p>([^<]*)</p></td>", page)
        for locale in data["locales"]:
            for catalog in locale["catalogs"]:
                doc = Path(catalog["path"]).stem
                columns = ("messages", "translated", "reviewed", "machine", "fuzzy", "untranslated", "obsolete")
                values = [str(catalog[k]) for k in columns]
                row = [
                    locale["locale"],
                    doc,
                    *values,
                    f"{catalog['percent_messages']:.2f}",
                    f"{catalog['percent_source']:.2f}",
                    f"{catalog['percent_reviewed']:.2f}",
                ]
                assert any(cells[i : i + len(row)] == row for i in range(len(cells))), (edition, row)
    assert "翻譯狀態" in (built_site / "zh_TW" / "status.html").read_text(encoding="utf-8")
    assert ">Translated<" in (built_site / "en" / "status.html").read_text(encoding="utf-8")
    # Staff's page is no reader's search result (and the index is not made again whenever a catalog changes).
    for edition in EDITIONS:
        text = (built_site / edition / "searchindex.js").read_text(encoding="utf-8")
        index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
        status, article = index["docnames"].index("status"), index["docnames"].index(ARTICLE)
        found = {doc for docs in index["terms"].values() for doc in (docs if isinstance(docs, list) else [docs])}
        assert article in found and status not in found and not index["titles"][status], edition


def status_row(project: Path, edition: str, locale: str, document: str) -> list[str]:
    page = (project / "_build" / "html" / edition / "status.html").read_text(encoding="utf-8")
    cells = re.findall(r"<td><p>([^<]*)</p></td>", page)
    starts = [i for i in range(len(cells) - 1) if cells[i : i + 2] == [locale, document]]
    return [cells[starts[0] + i] for i in (2, 3, 6)] if starts else []  # messages, translated, fuzzy


@pytest.mark.slow
def test_the_status_page_follows_new_articles_and_translators_work(project: Path) -> None:
    """Sphinx writes only pages it read again: the status page must be read again when a catalog changes."""
    new = "2019-03-05-new-article"
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    assert status_row(project, "en", "en", new) == []
    run_pubflow("import", str(FIXTURES / "articles" / "no_subtitle.txt"), "--name", new, cwd=project, check=True)
    for verb in ("extract", "update"):
        run_pubflow(verb, cwd=project, check=True)
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    messages, translated, _fuzzy = status_row(project, "en", "en", new)
    assert int(messages) > 5 and translated == "0"
    # A translator's work alone, no document changed.
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{new}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("来源：人民日报").msgstr = "Source: People's Daily"
    catalog.save()
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    assert status_row(project, "en", "en", new)[1] == "1"
    # A translation reworded leaves every number as it was: the status page is neither read nor written again.
    status = project / "_build" / "sphinx" / "html" / "en" / "status.html"
    written = status.stat().st_mtime_ns
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("来源：人民日报").msgstr = "Source: the People's Daily"
    catalog.save()
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    assert status.stat().st_mtime_ns == written


@pytest.mark.slow
def test_a_locale_taken_out_of_the_configuration_leaves_every_edition(project: Path) -> None:
    """Its pages go, and no other edition links it; its catalogs stay (a person's work)."""
    pyproject = project / "pyproject.toml"
    shipped = pyproject.read_text(encoding="utf-8")
    added = '\n[tool.pubflow.locales.fr]\nlabel = "Français"\npublish = "always"\n'  # untranslated, published
    pyproject.write_text(shipped + added, encoding="utf-8")
    run_pubflow("update", cwd=project, check=True)
    run_pubflow("build", "-l", "en", "-l", "fr", cwd=project, check=True)
    page = project / "_build" / "html" / "en" / f"{ARTICLE}.html"
    assert 'hreflang="fr"' in page.read_text(encoding="utf-8")
    pyproject.write_text(shipped, encoding="utf-8")
    result = run_pubflow("build", "-l", "en", cwd=project, check=True)
    # zh_CN's pages, built with fr, are not built now: the user is told to build every edition.
    assert "removed the fr edition(s): no longer in [tool.pubflow.locales]; pages of editions not built now" in (
        result.stderr
    )
    assert 'hreflang="fr"' not in page.read_text(encoding="utf-8") and "Français" not in page.read_text("utf-8")
    assert not (project / "_build" / "html" / "fr").exists()
    assert 'href="fr/' not in (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert (project / "locale" / "fr" / "LC_MESSAGES" / f"{ARTICLE}.po").is_file()


@pytest.mark.slow
def test_untranslated_and_fuzzy_paragraphs_are_marked(project: Path) -> None:
    publish_always(project)  # an edition that publishes articles in translation
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").msgstr = ""
    catalog.find("运筹帷幄，谋划长远。").flags.append("fuzzy")
    catalog.save()
    assert run_pubflow("build", "-l", "en", "-l", "zh_CN", cwd=project).returncode == 0
    html = (project / "_build" / "html" / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    # The label in the edition's language; the fallback marked as the source's, for readers and screen readers.
    assert re.search(
        r'<p class="untranslated pubflow-untranslated"><span class="pubflow-mark">Not yet translated</span>'
        r'<span lang="zh-CN">以合作促安全，以安全促发展。</span></p>',
        html,
    )
    assert re.search(
        r'<p class="untranslated pubflow-fuzzy"><span class="pubflow-mark">Translation outdated</span>'
        r'<span lang="zh-CN">运筹帷幄',
        html,
    )
    assert html.count("pubflow-mark") == 2
    source = (project / "_build" / "html" / "zh_CN" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "pubflow-mark" not in source
