"""Front pages, feeds and the root page: real Sphinx builds, read back as HTML and XML."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import rnc2rng
from lxml import etree, isoschematron

from tests.browser import chromium, serve
from tests.conftest import ARTICLE, FIXTURES, REPO, copy_project, publish_always, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

NEW = "2018-06-26-border-school-drug-education"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


class FrontPage(HTMLParser):
    """The entries of a front page (title, subtitle, meta line), its feed links and its <link>s."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict[str, str]] = []
        self.feeds: list[dict[str, str]] = []
        self.visible_feeds: list[dict[str, str]] = []
        self.times: list[dict[str, str]] = []
        self._field: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "link" and a.get("type") == "application/atom+xml":
            self.feeds.append(a)
        if tag == "a" and a.get("type") == "application/atom+xml":
            self.visible_feeds.append(a)
        if tag == "li" and "pubflow-entry" in classes:
            self.entries.append({"class": a["class"], "title": "", "subtitle": "", "meta": "", "href": ""})
        if tag == "time":
            self.times.append(a)
        if not self.entries:
            return
        if tag == "a" and self._field == "title":
            self.entries[-1]["href"] = a["href"]
        for field in ("title", "subtitle", "meta"):
            if f"pubflow-entry-{field}" in classes:
                self._field, self._depth = field, 0
        if self._field:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._field:
            self._depth -= 1
            if self._depth == 0:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field:
            self.entries[-1][self._field] += data


def front_page(path: Path) -> FrontPage:
    parser = FrontPage()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def shipped_zh_tw_state() -> str:
    coverage = run_pubflow("coverage", "--no-stale", "--format", "json", "-l", "zh_TW", cwd=REPO, check=True)
    [catalog] = [c for c in json.loads(coverage.stdout)["locales"][0]["catalogs"] if ARTICLE in c["path"]]
    return "自動轉換，尚未審校" if catalog["machine"] else "翻譯完成"


def test_each_edition_opens_on_its_front_page(built_site: Path) -> None:
    expected = {
        "zh_CN": ("全国公安机关国际执法安全合作述评（上）", "2017年9月25日 10:15", "作者：蔡长春", None),
        "en": (
            "China’s police in international law enforcement",
            "25 September 2017, 10:15",
            "By Cai Changchun",
            "Translation complete",
        ),
        # Complete, but OpenCC's output until a reviewer approves it (pubflow review): readers are told which.
        "zh_TW": (
            "全國公安機關國際執法安全合作述評（上）",
            "2017年9月25日 上午10:15",
            "作者：蔡長春",
            shipped_zh_tw_state(),
        ),
    }
    subtitles = {
        "zh_CN": "为全球安全治理贡献“中国力量”",
        "en": "Contributing “China’s strength” to global security governance",
        "zh_TW": "為全球安全治理貢獻「中國力量」",
    }
    for locale, (title, date, author, state) in expected.items():
        page = front_page(built_site / locale / "index.html")
        [entry] = page.entries
        assert entry["href"] == f"{ARTICLE}.html"
        assert entry["title"].startswith(title)
        assert entry["subtitle"] == subtitles[locale]
        assert date in entry["meta"] and author in entry["meta"]
        if state is None:  # the source edition is the original: no translation state
            assert entry["class"] == "pubflow-entry pubflow-entry-original"
        else:
            assert state in entry["meta"]
        assert page.times == [{"datetime": "2017-09-25T10:15:37+08:00", "lang": locale.replace("_", "-")}]
        lang = locale.replace("_", "-")
        assert [(f["hreflang"], f["href"]) for f in page.feeds] == [(lang, f"../{locale}/atom.xml")]
        assert [f["hreflang"] for f in page.visible_feeds] == [lang]


SCHEMATRON_1_5 = "http://www.ascc.net/xml/schematron"
ISO_SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"


class AtomGrammar:
    """RFC 4287's grammar (Appendix B, verbatim in tests/fixtures/schemas/atom.rnc), as two real validators.

    rnc2rng turns the compact syntax into RELAX NG's XML syntax, which lxml (libxml2) validates; the
    grammar's own Schematron rules (an atom:author for every entry, an alternate link or content), which
    RELAX NG ignores as annotations, are run by lxml's ISO Schematron, rule for rule as the RFC words them.
    """

    def __init__(self) -> None:
        grammar = rnc2rng.dumps(rnc2rng.load(str(FIXTURES / "schemas" / "atom.rnc")))
        # rnc2rng declares the RFC's `namespace local = ""` as xmlns:local="", which XML forbids; nsName ns="" stays.
        rng = etree.fromstring(grammar.replace('xmlns:local=""', "").encode("utf-8"))
        self.relax_ng = etree.RelaxNG(rng)
        rules = etree.Element(f"{{{ISO_SCHEMATRON}}}schema", nsmap={"sch": ISO_SCHEMATRON})
        etree.SubElement(rules, f"{{{ISO_SCHEMATRON}}}ns", prefix="atom", uri="http://www.w3.org/2005/Atom")
        self.rule_count = 0
        for rule in rng.iter(f"{{{SCHEMATRON_1_5}}}rule"):
            # A pattern per rule: within one pattern only the first rule matching a node is applied.
            pattern = etree.SubElement(rules, f"{{{ISO_SCHEMATRON}}}pattern")
            iso_rule = etree.SubElement(pattern, f"{{{ISO_SCHEMATRON}}}rule", context=rule.get("context", ""))
            for check in rule.iter(f"{{{SCHEMATRON_1_5}}}assert"):
                etree.SubElement(iso_rule, f"{{{ISO_SCHEMATRON}}}assert", test=check.get("test", "")).text = check.text
            self.rule_count += 1
        self.schematron = isoschematron.Schematron(rules, store_report=True)

    def errors(self, root: etree._Element) -> list[str]:
        found = []
        if not self.relax_ng.validate(root):
            found += [f"RELAX NG: {error.message}" for error in self.relax_ng.error_log]
        if not self.schematron.validate(root):
            report = self.schematron.validation_report
            found += [f"Schematron: {text.strip()}" for text in report.xpath("//svrl:text/text()", namespaces=SVRL)]
        return found


SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@functools.cache
def atom_grammar() -> AtomGrammar:
    return AtomGrammar()


def test_the_atom_grammar_rejects_what_rfc_4287_forbids(built_site: Path, bilingual_site: Path) -> None:
    grammar = atom_grammar()
    assert grammar.rule_count == 3  # the RFC's three Schematron rules: feed author, entry link, entry author
    feeds = sorted(str(path.relative_to(bilingual_site)) for path in bilingual_site.rglob("atom.xml"))
    assert feeds == [
        "bilingual/zh_CN-en/atom.xml",
        "bilingual/zh_TW-en/atom.xml",
        "en/atom.xml",
        "zh_CN/atom.xml",
        "zh_TW/atom.xml",
    ]
    for feed_path in feeds:  # every edition's feed, each with its entry
        root = etree.fromstring((bilingual_site / feed_path).read_bytes())
        assert grammar.errors(root) == [] and len(root.findall(f"{ATOM}entry")) == 1, feed_path
    for path in [built_site / "en" / "atom.xml", bilingual_site / "bilingual" / "zh_CN-en" / "atom.xml"]:
        feed = path.read_bytes()
        assert grammar.errors(etree.fromstring(feed)) == []
        for mutate, why in [
            (lambda root: root.find(f"{ATOM}entry").remove(root.find(f"{ATOM}entry/{ATOM}updated")), "no updated"),
            (lambda root: root.remove(root.find(f"{ATOM}id")), "no id"),
            (lambda root: setattr(root.find(f"{ATOM}updated"), "text", "25 September 2017"), "not a dateTime"),
            (lambda root: root.find(f"{ATOM}entry").remove(root.find(f"{ATOM}entry/{ATOM}title")), "no title"),
            (lambda root: root.find(f"{ATOM}entry").set(XML_LANG, "en_GB"), "not a language tag"),
            (lambda root: root.set("version", "1.0"), "an unqualified attribute"),  # the grammar's local:* exclusion
            (lambda root: root.find(f"{ATOM}entry/{ATOM}title").set("type", "markdown"), "no such text type"),
            (
                lambda root: [
                    parent.remove(parent.find(f"{ATOM}author")) for parent in [root, *root.findall(f"{ATOM}entry")]
                ],
                "Schematron: An atom:entry must have an atom:author",
            ),
            (
                lambda root: [link.getparent().remove(link) for link in root.findall(f"{ATOM}entry/{ATOM}link")],
                "Schematron: An atom:entry must have at least one atom:link",
            ),
        ]:
            root = etree.fromstring(feed)
            mutate(root)
            errors = grammar.errors(root)
            assert errors, why
            if why.startswith("Schematron"):
                assert any(error.startswith(why) for error in errors), errors


def text(element: etree._Element) -> str:
    """A text construct's text, plain or XHTML."""
    return "".join(element.itertext()).strip()


def languages(element: etree._Element) -> list[tuple[str, str]]:
    """An XHTML text construct's parts, each with its xml:lang."""
    return [(part.text or "", part.get(XML_LANG, "")) for part in element.iterfind("*/*")]


def atom_entries(path: Path) -> tuple[etree._Element, list[etree._Element]]:
    """Parse a feed, validate it against RFC 4287's grammar and check the rules it leaves to the text."""
    root = etree.fromstring(path.read_bytes())
    assert atom_grammar().errors(root) == []
    assert root.tag == f"{ATOM}feed"
    assert root.get(XML_LANG)

    def one(parent: etree._Element, name: str) -> etree._Element:
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, (name, etree.tostring(parent)[:200])
        return found[0]

    def check_date(element: etree._Element) -> datetime:
        assert RFC3339.match(element.text or ""), element.text
        return datetime.fromisoformat(element.text or "")

    def check_id(element: etree._Element) -> None:
        assert re.match(r"^[a-z][a-z0-9+.-]*:\S+$", element.text or ""), element.text  # an absolute IRI

    check_id(one(root, "id"))
    assert text(one(root, "title"))
    feed_updated = check_date(one(root, "updated"))
    assert root.findall(f"{ATOM}author/{ATOM}name")
    links = {(link.get("rel") or "alternate"): link for link in root.findall(f"{ATOM}link")}
    assert links["self"].get("href") == "atom.xml"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("hreflang") == root.get(XML_LANG)
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        check_id(one(entry, "id"))
        assert text(one(entry, "title"))
        updated = check_date(one(entry, "updated"))
        published = check_date(one(entry, "published"))
        assert published <= updated <= feed_updated
        assert text(one(entry, "summary"))
        assert one(entry, f"author/{ATOM}name").text
        alternates = [link for link in entry.findall(f"{ATOM}link") if (link.get("rel") or "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href", "").endswith(".html")
        assert (alternates[0].get("type"), alternates[0].get("hreflang")) == ("text/html", root.get(XML_LANG))
        assert entry.get(XML_LANG) == root.get(XML_LANG)
    assert len({one(e, "id").text for e in entries}) == len(entries)
    return root, entries


def test_each_locale_has_a_valid_atom_feed(built_site: Path) -> None:
    for locale, author in [("zh_CN", "蔡长春"), ("en", "Cai Changchun"), ("zh_TW", "蔡長春")]:
        root, [entry] = atom_entries(built_site / locale / "atom.xml")
        assert root.get(XML_LANG) == locale.replace("_", "-")
        assert entry.findtext(f"{ATOM}published") == "2017-09-25T10:15:37+08:00"  # the byline's date and time
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == author
        assert entry.find(f"{ATOM}link").get("href") == f"{ARTICLE}.html"  # type: ignore[union-attr]
    # The summary is the lead paragraph: never the editor's note that zh_TW puts before it, never a note number.
    for locale, lead in [("en", "No country can achieve its own security"), ("zh_TW", "沒有一個國家能實現")]:
        summary = etree.fromstring((built_site / locale / "atom.xml").read_bytes()).findtext(
            f"{ATOM}entry/{ATOM}summary"
        )
        assert summary and summary.startswith(lead) and summary.endswith("。" if locale == "zh_TW" else "."), summary


@pytest.fixture(scope="module")
def bilingual_site(built_site: Path) -> Path:
    """The shipped project's bilingual editions (zh_CN:en, zh_TW:en) beside its locales' editions."""
    run_pubflow("build", "--all-bilingual", cwd=built_site.parents[1], check=True)
    return built_site


def test_each_bilingual_edition_has_a_feed_of_its_own(bilingual_site: Path) -> None:
    titles = {"zh_CN": "全国公安机关国际执法安全合作述评（上）", "zh_TW": "全國公安機關國際執法安全合作述評（上）"}
    for first, lang, author in [("zh_CN", "zh-CN", "蔡长春"), ("zh_TW", "zh-TW", "蔡長春")]:
        edition = bilingual_site / "bilingual" / f"{first}-en"
        root, [entry] = atom_entries(edition / "atom.xml")
        # The edition's language is its pages' <html lang>, the pair's first locale; every text says its own.
        assert root.get(XML_LANG) == lang
        assert f'<html lang="{lang}"' in (edition / "index.html").read_text(encoding="utf-8")
        assert languages(root.find(f"{ATOM}title")) == [
            ("pubflow 文选" if first == "zh_CN" else "pubflow 文選", lang),
            ("pubflow Reader", "en"),
        ]
        assert [part_lang for _text, part_lang in languages(root.find(f"{ATOM}subtitle"))] == [lang, "en"]
        title = entry.find(f"{ATOM}title")
        assert title.get("type") == "xhtml"  # type: ignore[union-attr]
        assert languages(title) == [  # type: ignore[arg-type]
            (titles[first], lang),
            ("China’s police in international law enforcement and security cooperation: a review (part one)", "en"),
        ]
        [(lead, lead_lang), (english, english_lang)] = languages(entry.find(f"{ATOM}summary"))  # type: ignore[arg-type]
        assert (lead_lang, english_lang) == (lang, "en")
        assert lead.startswith("没有一个国家" if first == "zh_CN" else "沒有一個國家")
        assert english.startswith("No country can achieve its own security")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == author
        assert entry.findtext(f"{ATOM}published") == "2017-09-25T10:15:37+08:00"
        assert entry.find(f"{ATOM}link").get("href") == f"{ARTICLE}.html"  # type: ignore[union-attr]
        # Linked from the edition's own pages, the front page first, in the edition's language.
        page = front_page(edition / "index.html")
        assert [(f["hreflang"], f["href"]) for f in page.feeds] == [(lang, f"../../bilingual/{first}-en/atom.xml")]
        assert [(f["hreflang"], f["href"]) for f in page.visible_feeds] == [
            (lang, f"../../bilingual/{first}-en/atom.xml")
        ]
    # The monolingual feeds are not disturbed by a bilingual build.
    assert etree.fromstring((bilingual_site / "en" / "atom.xml").read_bytes()).get(XML_LANG) == "en"


def test_an_untranslated_publication_name_is_marked_in_the_source_language(project: Path) -> None:
    index = project / "locale" / "en" / "LC_MESSAGES" / "index.po"
    catalog = polib.pofile(str(index), wrapwidth=0)
    catalog.find("pubflow 文选").msgstr = ""
    catalog.save()
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    root = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="zh-CN">pubflow 文选</span>' in root and '<span lang="en">pubflow 文选</span>' not in root


def test_root_page_names_the_publication_and_each_edition_in_its_language(bilingual_site: Path) -> None:
    built_site = bilingual_site
    root = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<title>pubflow 文选</title>" in root and "<h1>pubflow 文选</h1>" in root
    for locale, lang, label, name in [
        ("zh_CN", "zh-CN", "简体中文", "pubflow 文选"),
        ("en", "en", "English", "pubflow Reader"),
        ("zh_TW", "zh-TW", "繁體中文", "pubflow 文選"),
    ]:
        assert f'href="{locale}/index.html" hreflang="{lang}" lang="{lang}"' in root
        assert f'<span lang="{lang}">{label}</span>' in root
        assert f'<span lang="{lang}">{name}</span>' in root
        assert f'href="{locale}/atom.xml" type="application/atom+xml" hreflang="{lang}"' in root
    assert 'href="bilingual/zh_TW-en/index.html"' in root
    bilingual = front_page(built_site / "bilingual" / "zh_TW-en" / "index.html")
    [entry] = bilingual.entries
    assert "全國公安機關國際執法安全合作述評（上）" in entry["title"] and "China’s police" in entry["title"]
    assert "2017年9月25日 上午10:15" in entry["meta"] and "25 September 2017, 10:15" in entry["meta"]
    assert [(f["hreflang"], f["href"]) for f in bilingual.feeds] == [("zh-TW", "../../bilingual/zh_TW-en/atom.xml")]
    for first, lang in [("zh_CN", "zh-CN"), ("zh_TW", "zh-TW")]:
        feed = f'href="bilingual/{first}-en/atom.xml"'
        assert f'<link rel="alternate" type="application/atom+xml" hreflang="{lang}" {feed}>' in root
        assert f'<a class="pubflow-feed" {feed} type="application/atom+xml" hreflang="{lang}">' in root


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a second, newer article that nobody has translated into English yet."""
    project = copy_project(tmp_path_factory.mktemp("frontpage") / "project")
    publish_always(project)  # the front page's states of articles in translation (the policy: test_editions.py)
    run_pubflow("import", str(FIXTURES / "articles" / "many_sections.txt"), "--name", NEW, cwd=project, check=True)
    for verb in ("extract", "update", "convert"):
        run_pubflow(verb, cwd=project, check=True)
    run_pubflow("build", "--locale", "en", "--locale", "zh_CN", "--bilingual", "zh_CN:en", cwd=project, check=True)
    return project


def test_the_date_is_the_bylines(two_articles: Path) -> None:
    rst = (two_articles / "docs" / f"{NEW}.rst").read_text(encoding="utf-8")
    assert rst.startswith(":pubflow-date: 2018-06-26T09:02:00\n")  # from "2018-06-26 09:02 记者:张三"


def test_newest_first_and_a_feed_of_complete_translations_only(two_articles: Path) -> None:
    html = two_articles / "_build" / "html"
    en = front_page(html / "en" / "index.html")
    assert [e["href"] for e in en.entries] == [f"{NEW}.html", f"{ARTICLE}.html"]
    assert "Not yet translated" in en.entries[0]["meta"] and "pubflow-entry-untranslated" in en.entries[0]["class"]
    assert en.entries[0]["title"] == "边境地区禁毒宣传走进校园"  # the source, until it is translated
    assert '<span lang="zh-CN">边境地区禁毒宣传走进校园</span>' in (html / "en" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "26 June 2018, 09:02" in en.entries[0]["meta"]
    _root, entries = atom_entries(html / "en" / "atom.xml")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [f"{ARTICLE}.html"]  # type: ignore[union-attr]
    # The bilingual edition lists the new article, not yet translated, on its front page, but not in its feed.
    bilingual = html / "bilingual" / "zh_CN-en"
    assert [e["href"] for e in front_page(bilingual / "index.html").entries] == [f"{NEW}.html", f"{ARTICLE}.html"]
    _root, entries = atom_entries(bilingual / "atom.xml")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [f"{ARTICLE}.html"]  # type: ignore[union-attr]
    _root, entries = atom_entries(html / "zh_CN" / "atom.xml")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "边境地区禁毒宣传走进校园",
        "全国公安机关国际执法安全合作述评（上）",
    ]


def test_states_follow_the_catalogs(two_articles: Path) -> None:
    new_po = two_articles / "locale" / "en" / "LC_MESSAGES" / f"{NEW}.po"
    catalog = polib.pofile(str(new_po))
    catalog.find("边境地区禁毒宣传走进校园").msgstr = "Drug education reaches border schools"
    catalog.save()
    old_po = two_articles / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(old_po))
    catalog.find("以合作促安全，以安全促发展。").flags.append("fuzzy")
    catalog.save()
    bilingual = two_articles / "_build" / "html" / "bilingual" / "zh_CN-en" / "index.html"
    assert [e["class"] for e in front_page(bilingual).entries] == [
        "pubflow-entry pubflow-entry-untranslated",
        "pubflow-entry pubflow-entry-complete",
    ]
    run_pubflow("build", "--locale", "en", "--bilingual", "zh_CN:en", cwd=two_articles, check=True)
    # The bilingual edition reads the catalogs itself: its front page follows them all the same.
    assert [e["class"] for e in front_page(bilingual).entries] == [
        "pubflow-entry pubflow-entry-partial",
        "pubflow-entry pubflow-entry-outdated",
    ]
    html = two_articles / "_build" / "html" / "en"
    new, old = front_page(html / "index.html").entries
    assert new["title"] == "Drug education reaches border schools" and "Partly translated" in new["meta"]
    assert "Translation outdated" in old["meta"] and "pubflow-entry-outdated" in old["class"]
    root, entries = atom_entries(html / "atom.xml")
    assert entries == []  # neither is complete now
    assert root.findtext(f"{ATOM}updated", "").startswith("2018-06-26T09:02:00")  # the newest article's, not 1970
    _root, entries = atom_entries(bilingual.parent / "atom.xml")
    assert entries == []  # nor in the bilingual edition, whose English column they are


def test_front_page_benchmark_lists_every_article_newest_first() -> None:
    """The 200-article benchmark, on 3 articles: it checks the order itself and reports its ratios."""
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_frontpage.py"), "--articles", "3", "--runs", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    data = json.loads((REPO / "_build" / "benchmarks" / "frontpage.json").read_text(encoding="utf-8"))
    assert data["sizes"] == [3] and data["listed@3"] == 3
    assert (data["complete_articles@3"], data["partial_articles@3"], data["outdated_articles@3"]) == (1, 1, 1)
    for name in ["no_op_build", "one_edit_build", "no_op_build_without_front_page", "front_page_and_feed"]:
        assert data[f"{name}_share_of_cold@3"] > 0
    assert data["front_page_and_feed_share_of_cold@3"] < 1


def test_front_and_root_pages_fit_a_phone(bilingual_site: Path) -> None:
    screenshots = REPO / "_build" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    with serve(bilingual_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path in ["index.html", "en/index.html", "zh_TW/index.html", "bilingual/zh_CN-en/index.html"]:
            page.goto(f"{base}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path  # no sideways scrolling
            shot = screenshots / f"phone-{path.replace('/', '-').removesuffix('.html')}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        page.goto(f"{base}/en/index.html")
        title = page.locator("h2.pubflow-entry-title a")
        assert title.bounding_box()["width"] <= 390  # type: ignore[index]
        title.click()
        assert page.url.endswith(f"/en/{ARTICLE}.html")


def neighbour_links(page: Path) -> dict[str, str]:
    text = page.read_text(encoding="utf-8")
    return dict(re.findall(r'<link rel="(prev|next)" title="[^"]*" href="([^"]+)"', text))


def test_an_article_added_or_taken_down_rewrites_its_neighbours_links(tmp_path: Path) -> None:
    """Sphinx writes only pages it read: a neighbour kept linking a deleted page and never linked a new one."""
    project = copy_project(tmp_path / "project")
    older = project / "_build" / "html" / "zh_CN" / f"{ARTICLE}.html"
    run_pubflow("build", "--locale", "zh_CN", cwd=project, check=True)
    assert f"{NEW}.html" not in neighbour_links(older).values()
    run_pubflow("import", str(FIXTURES / "articles" / "many_sections.txt"), "--name", NEW, cwd=project, check=True)
    run_pubflow("build", "--locale", "zh_CN", cwd=project, check=True)
    assert neighbour_links(older)["prev"] == f"{NEW}.html"  # newest first: the new article comes before
    (project / "docs" / f"{NEW}.rst").unlink()
    index = project / "docs" / "index.rst"
    index.write_text("".join(ln for ln in index.read_text(encoding="utf-8").splitlines(True) if NEW not in ln))
    run_pubflow("build", "--locale", "zh_CN", cwd=project, check=True)
    assert f"{NEW}.html" not in neighbour_links(older).values()
    assert not (project / "_build" / "html" / "zh_CN" / f"{NEW}.html").exists()


def test_an_article_taken_down_leaves_every_edition(tmp_path: Path) -> None:
    """Sphinx leaves a deleted document's page behind; published as it is, the article would stay online."""
    project = copy_project(tmp_path / "project")
    publish_always(project)  # published before it is translated, so that taking it down has something to take
    run_pubflow("import", str(FIXTURES / "articles" / "many_sections.txt"), "--name", NEW, cwd=project, check=True)
    editions = ["--locale", "en", "--bilingual", "zh_CN:en", "--format", "all"]
    run_pubflow("extract", cwd=project, check=True)
    run_pubflow("build", *editions, cwd=project, check=True)
    built = project / "_build"
    pages = [built / folder / "html" / edition / f"{NEW}.html" for folder in ("", "sphinx")
             for edition in ("en", "bilingual/zh_CN-en")]  # fmt: skip
    pdfs = [built / "pdf" / "en" / f"{NEW}.en.pdf", built / "pdf" / "bilingual" / "zh_CN-en" / f"{NEW}.zh_CN-en.pdf"]
    assert all(p.is_file() for p in pages + pdfs), [p for p in pages + pdfs if not p.is_file()]

    (project / "docs" / f"{NEW}.rst").unlink()
    index = project / "docs" / "index.rst"
    index.write_text("".join(ln for ln in index.read_text(encoding="utf-8").splitlines(True) if NEW not in ln))
    run_pubflow("extract", cwd=project, check=True)
    # An HTML build alone takes the PDFs away too: the root page it writes would still link them.
    run_pubflow("build", "--locale", "en", "--bilingual", "zh_CN:en", cwd=project, check=True)
    assert not [p for p in pages + pdfs if p.exists()]
    assert NEW not in (built / "html" / "index.html").read_text(encoding="utf-8")
    run_pubflow("build", *editions, cwd=project, check=True)
    for edition in ("en", "bilingual/zh_CN-en"):
        assert (built / "html" / edition / f"{ARTICLE}.html").is_file()
        assert [e["href"] for e in front_page(built / "html" / edition / "index.html").entries] == [f"{ARTICLE}.html"]
    assert (built / "pdf" / "en" / f"{ARTICLE}.en.pdf").is_file()


def test_articles_in_sub_folders_keep_their_folder_in_the_pdf_path(tmp_path: Path) -> None:
    """docs/2018/x.rst and docs/2019/x.rst: two PDFs, neither overwriting the other."""
    project = copy_project(tmp_path / "project")
    index = project / "docs" / "index.rst"
    for folder, raw in [("2018", "no_subtitle.txt"), ("2019", "many_sections.txt")]:
        run_pubflow(
            "import", str(FIXTURES / "articles" / raw), "--name", "some-article", "--force", cwd=project, check=True
        )
        (project / "docs" / folder).mkdir()
        (project / "docs" / "some-article.rst").rename(project / "docs" / folder / "some-article.rst")
        index.write_text(index.read_text(encoding="utf-8").replace("   some-article\n", f"   {folder}/some-article\n"))
    run_pubflow("extract", cwd=project, check=True)
    result = run_pubflow("build", "--format", "all", "--locale", "zh_CN", cwd=project, check=True)
    assert "zh_CN: 3 PDF(s)" in result.stderr
    pdfs = project / "_build" / "pdf" / "zh_CN"
    assert sorted(p.relative_to(pdfs).as_posix() for p in pdfs.rglob("*.pdf")) == [
        "2017-09-25-international-law-enforcement-cooperation.zh_CN.pdf",
        "2018/some-article.zh_CN.pdf",
        "2019/some-article.zh_CN.pdf",
    ]
    texts = {
        folder: subprocess.run(
            ["pdftotext", str(pdfs / folder / "some-article.zh_CN.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for folder in ("2018", "2019")
    }
    assert "新型跨境电信诈骗案件呈现三大特点" in texts["2018"] and "边境地区禁毒宣传走进校园" in texts["2019"]
    root = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/zh_CN/2018/some-article.zh_CN.pdf"' in root
    assert 'href="pdf/zh_CN/2019/some-article.zh_CN.pdf"' in root


@pytest.mark.parametrize("first_line", [":pubflow-date: 2017-13-45T10:15:37\n", ""])
def test_a_bad_or_missing_date_is_named_on_its_line(project: Path, first_line: str) -> None:
    document = project / "docs" / f"{ARTICLE}.rst"
    text = document.read_text(encoding="utf-8")
    document.write_text(first_line + text.split("\n", 1)[1], encoding="utf-8")
    result = run_pubflow("-q", "build", "-l", "zh_CN", cwd=project)
    assert result.returncode == 2
    assert f"docs/{ARTICLE}.rst:1: article without a valid :pubflow-date: field" in result.stderr, result.stderr
