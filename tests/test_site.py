"""The deployable site: one folder a static host serves as it is, checked as a host and a reader see it.

One project is published twice: at a domain root without ``base-url``, then,
after an article is renamed (with a redirect), under a sub-path ``base-url``.
Each time LinkChecker (a real crawler with a real HTML parser) walks the whole
site over HTTP from the root page, the 404 page, the status pages and the
redirect pages, and axe-core runs in Chromium over every edition's pages.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import chromium, serve
from tests.conftest import ARTICLE, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

RENAMED = "2017-09-25-china-police-cooperation"
NEW_NAME = "法治文选"
EDITIONS = ["zh_CN", "en", "zh_TW", "bilingual/zh_CN-en", "bilingual/zh_TW-en"]
HOSTILE = "</script><script>alert(1)</script>"
LINKCHECKER = Path(sys.executable).parent / "linkchecker"


class Head(HTMLParser):
    """The tags of a page's head, the JSON-LD scripts' text, and every link in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.meta.append(attributes)
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "a":
            self.anchors.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data

    def content(self, key: str, value: str) -> list[str]:
        return [m.get("content", "") for m in self.meta if m.get(key) == value]


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def set_setting(project: Path, line: str, table: str = "[tool.pubflow]") -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace(f"{table}\n", f"{table}\n{line}\n", 1), encoding="utf-8")


def check_links(urls: list[str], work: Path) -> None:
    """LinkChecker over the whole site from ``urls``; every internal link must answer (external ones are not tried)."""
    settings = work / "linkcheckerrc"
    # Unpaced: the test server answers with the "LinkChecker" header that allows more than 10 requests a second.
    settings.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    command = [str(LINKCHECKER), "--config", str(settings), "--no-status", "--no-warnings", "--threads", "2"]
    result = subprocess.run(
        [*command, "--recursion-level", "-1", *urls],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert checked is not None and int(checked.group(2)) > 40, result.stdout  # it walked the site


def pages_to_start_from(site: Path) -> list[str]:
    """What no page links: the 404 page, the staff's status pages, redirect pages."""
    starts = ["index.html", "404.html"]
    starts += [f"{edition}/status.html" for edition in EDITIONS]
    starts += [f"{edition}/{ARTICLE}.html" for edition in EDITIONS if (site / edition / f"{ARTICLE}.html").exists()]
    return starts


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The project published at a domain root (no base-url); then renamed and published under /reader/."""
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    article = project / "docs" / f"{ARTICLE}.rst"
    # Text that would end a <script> element if the JSON-LD were not escaped for one.
    text = article.read_text(encoding="utf-8").replace(
        "为全球安全治理贡献“中国力量”", f"为全球安全治理贡献“中国力量”{HOSTILE}"
    )
    article.write_text(text, encoding="utf-8")
    run_pubflow("publish", cwd=project, check=True)
    at_root = tmp_path_factory.mktemp("at-root")
    shutil.copytree(project / "_build" / "html", at_root / "site")
    yield {"project": project, "root_site": at_root / "site"}


@pytest.fixture(scope="module")
def under_sub_path(published: dict[str, Path]) -> dict[str, object]:
    project = published["project"]
    port = free_port()
    base = f"http://127.0.0.1:{port}/reader/"
    (project / "docs" / f"{ARTICLE}.rst").rename(project / "docs" / f"{RENAMED}.rst")
    index = project / "docs" / "index.rst"
    index.write_text(index.read_text(encoding="utf-8").replace(ARTICLE, RENAMED), encoding="utf-8")
    set_setting(project, f'base-url = "{base}"')
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + f'\n[tool.pubflow.redirects]\n"{ARTICLE}" = "{RENAMED}"\n',
        encoding="utf-8",
    )
    run_pubflow("publish", cwd=project, check=True)
    return {"project": project, "site": project / "_build" / "html", "base": base, "port": port}


def test_the_site_at_a_domain_root_has_no_broken_link(published: dict[str, Path]) -> None:
    site = published["root_site"]
    for name in ["index.html", "404.html", "robots.txt"]:
        assert (site / name).is_file()
    assert not (site / "sitemap.xml").exists()  # a sitemap needs absolute addresses: base-url
    assert sorted(p.relative_to(site / "pdf").as_posix() for p in (site / "pdf").rglob("*.pdf")) == sorted(
        f"{edition}/{ARTICLE}.{edition.rsplit('/', 1)[-1]}.pdf" for edition in EDITIONS
    )
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/en/index.html"' in not_found  # shown at any depth: from the domain root
    with serve(site) as url:
        check_links([f"{url}/{start}" for start in pages_to_start_from(site)], site.parent)


def test_the_site_under_a_sub_path_has_no_broken_link(under_sub_path: dict[str, object]) -> None:
    site, base = Path(str(under_sub_path["site"])), str(under_sub_path["base"])
    serving = site.parent / "served"
    shutil.rmtree(serving, ignore_errors=True)
    serving.mkdir()
    (serving / "reader").symlink_to(site)
    import http.server
    import threading
    from functools import partial

    from tests.browser import QuietHandler

    handler = partial(QuietHandler, directory=str(serving))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(str(under_sub_path["port"]))), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        starts = [f"{base}{start}" for start in pages_to_start_from(site)]
        check_links(starts, serving)  # the old address is a redirect page now, and the crawler follows it
    finally:
        server.shutdown()
        server.server_close()


def test_renamed_articles_keep_their_address(under_sub_path: dict[str, object]) -> None:
    site = Path(str(under_sub_path["site"]))
    for edition in EDITIONS:
        redirect = (site / edition / f"{ARTICLE}.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={RENAMED}.html">' in redirect
        assert (site / edition / f"{RENAMED}.html").is_file()
        assert not (site / "pdf" / edition / f"{ARTICLE}.{edition.rsplit('/', 1)[-1]}.pdf").exists()


def test_sitemap_lists_every_page_with_its_language_versions(under_sub_path: dict[str, object]) -> None:
    site, base = Path(str(under_sub_path["site"])), str(under_sub_path["base"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    locations = [u.findtext("s:loc", namespaces=ns) for u in urls]
    for edition in EDITIONS:
        assert f"{base}{edition}/{RENAMED}.html" in locations and f"{base}{edition}/index.html" in locations
    assert not [loc for loc in locations if "status" in str(loc) or ARTICLE in str(loc)]
    [english] = [u for u in urls if u.findtext("s:loc", namespaces=ns) == f"{base}en/{RENAMED}.html"]
    alternates = {a.get("hreflang"): a.get("href") for a in english.findall("x:link", ns)}
    assert alternates == {
        "zh-CN": f"{base}zh_CN/{RENAMED}.html",
        "en": f"{base}en/{RENAMED}.html",
        "zh-TW": f"{base}zh_TW/{RENAMED}.html",
        "x-default": f"{base}zh_CN/{RENAMED}.html",
    }
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots
    assert f'href="{base}en/index.html"' in (site / "404.html").read_text(encoding="utf-8")


def test_each_article_page_is_a_news_page(under_sub_path: dict[str, object]) -> None:
    site, base = Path(str(under_sub_path["site"])), str(under_sub_path["base"])
    for edition in EDITIONS:
        page = site / edition / f"{RENAMED}.html"
        html = page.read_text(encoding="utf-8")
        head = parse(page)
        assert len(head.content("name", "viewport")) == 1, edition
        assert "Created using" not in html and "status.html" not in html, edition
        [description] = head.content("name", "description")
        assert "中国力量" in description or "中國力量" in description or "China’s strength" in description
        url = f"{base}{edition}/{RENAMED}.html"
        assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [url]
        assert head.content("property", "og:url") == [url] and head.content("property", "og:type") == ["article"]
        assert head.content("property", "og:description") == [description]
        assert head.content("name", "twitter:card") == ["summary"]
        up = "../../" if edition.startswith("bilingual") else "../"
        pdf = f"{up}pdf/{edition}/{RENAMED}.{edition.rsplit('/', 1)[-1]}.pdf"
        assert pdf in [a.get("href") for a in head.anchors], edition
        [ld_text] = head.json_ld
        assert "</" not in ld_text and "<!--" not in ld_text  # nothing in it can end the <script> element
        data = json.loads(ld_text)
        assert data["@type"] == "NewsArticle" and HOSTILE in data["description"]
        assert data["datePublished"] == "2017-09-25T10:15:37+08:00"
        assert data["dateModified"] >= data["datePublished"] or "+00:00" in data["dateModified"]
        assert data["author"]["name"] in ("蔡长春", "蔡長春", "Cai Changchun")
        languages = {"zh_CN": "zh-CN", "en": "en", "zh_TW": "zh-TW"}
        if edition in languages:
            assert data["inLanguage"] == languages[edition]
        if edition == "zh_CN":
            assert "translationOfWork" not in data
        else:
            assert data["translationOfWork"]["url"] == f"{base}zh_CN/{RENAMED}.html"
        front = parse(site / edition / "index.html")
        assert f"{pdf.removeprefix('../').removeprefix('../')}" in [
            a.get("href", "").removeprefix("../").removeprefix("../") for a in front.anchors
        ]
    status = parse(site / "en" / "status.html")
    assert status.content("name", "robots") == ["noindex"]


def test_dates_are_the_same_on_the_byline_the_front_page_and_the_feed(under_sub_path: dict[str, object]) -> None:
    site = Path(str(under_sub_path["site"]))
    expected = {
        "zh_CN": ["2017年9月25日 10:15"],
        "en": ["25 September 2017, 10:15"],
        "zh_TW": ["2017年9月25日 上午10:15"],
        "bilingual/zh_CN-en": ["2017年9月25日 10:15", "25 September 2017, 10:15"],
    }
    time = re.compile(r'<time datetime="([^"]+)" lang="[^"]+">([^<]+)</time>')
    for edition, texts in expected.items():
        byline = time.findall((site / edition / f"{RENAMED}.html").read_text(encoding="utf-8"))
        front = time.findall((site / edition / "index.html").read_text(encoding="utf-8"))
        assert [text for _, text in byline] == texts == [text for _, text in front], edition
        feed = ElementTree.parse(site / edition / "atom.xml").getroot()
        published = {e.text for e in feed.iter("{http://www.w3.org/2005/Atom}published")}
        assert {when for when, _ in byline} == {"2017-09-25T10:15:37+08:00"}
        # A feed lists complete translations only (en lacks the subtitle changed above); the source's, always.
        assert published <= {"2017-09-25T10:15:37+08:00"} and (published or edition != "zh_CN")
        assert "10:15:37" not in re.sub(r'"[^"]*"', "", (site / edition / f"{RENAMED}.html").read_text("utf-8"))
    template = (Path(str(under_sub_path["project"])) / "_build" / "gettext" / f"{RENAMED}.pot").read_text("utf-8")
    assert "10:15" not in template  # never a message to translate


def test_axe_finds_no_serious_violation_in_any_edition(under_sub_path: dict[str, object]) -> None:
    site = Path(str(under_sub_path["site"]))
    axe = Axe()
    problems = []
    with serve(site) as url, chromium() as browser:
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for edition in EDITIONS:
                for name in ("index.html", f"{RENAMED}.html"):
                    page.goto(f"{url}/{edition}/{name}")
                    results = axe.run(page)
                    for violation in results.response["violations"]:
                        if violation["impact"] in ("serious", "critical"):
                            nodes = [n["target"] for n in violation["nodes"]][:3]
                            problems.append(f"{width}px {edition}/{name}: {violation['id']} {nodes}")
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    assert wide <= width, f"{edition}/{name} is {wide} px wide at {width} px"
            page.close()
    assert problems == []


@pytest.fixture(scope="module")
def seven_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five locales and two bilingual pairs, built by a plain ``pubflow build`` (HTML, every edition)."""
    project = copy_project(tmp_path_factory.mktemp("seven") / "project")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        # publish = "always": these editions have no translation yet, and show their articles all the same.
        + '\n[tool.pubflow.locales.zh_HK]\nlabel = "繁體中文（香港）"\nproduced-by = "opencc"\nopencc-config = "s2hk"\n'
        + 'publish = "always"\n'
        + '\n[tool.pubflow.locales.ja]\nlabel = "日本語"\nproduced-by = "translation"\npublish = "always"\n',
        encoding="utf-8",
    )
    text = re.sub(r'(?m)^copyright = "', 'copyright = "© ', pyproject.read_text(encoding="utf-8"))
    # A new name, which docs/index.rst's title line does not say and no catalog translates yet.
    pyproject.write_text(text.replace('name = "pubflow 文选"', f'name = "{NEW_NAME}"'), encoding="utf-8")
    built = run_pubflow("build", cwd=project, check=True)
    assert "not built now" not in built.stderr
    return project / "_build" / "html"


def test_build_alone_builds_every_edition_publish_builds(seven_editions: Path) -> None:
    for edition in ["zh_CN", "en", "zh_TW", "zh_HK", "ja", "bilingual/zh_CN-en", "bilingual/zh_TW-en"]:
        assert (seven_editions / edition / f"{ARTICLE}.html").is_file(), edition


def test_a_copyright_given_with_its_sign_is_printed_with_one(seven_editions: Path) -> None:
    footer = (seven_editions / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8").split("<footer", 1)[1]
    assert "&#169; 2017 法制日报" in footer and "©" not in footer and footer.count("&#169;") == 1


def test_name_sets_every_place_the_name_appears(seven_editions: Path) -> None:
    """The masthead, <title>, front page and feed of every edition; the source's name keeps its lang elsewhere."""
    site = seven_editions
    root = (site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{NEW_NAME}</title>" in root and f"<h1>{NEW_NAME}</h1>" in root
    for edition in ["zh_CN", "en", "ja", "bilingual/zh_CN-en"]:
        article = (site / edition / f"{ARTICLE}.html").read_text(encoding="utf-8")
        front = (site / edition / "index.html").read_text(encoding="utf-8")
        masthead = re.search(r'<a class="pubflow-site" href="index.html"( lang="[^"]+")?>([^<]+)</a>', article)
        assert masthead is not None and masthead.group(2) == NEW_NAME, edition
        # Untranslated in en and ja: the source's name, said to be Chinese.
        assert (masthead.group(1) or "") == (
            "" if edition.endswith("zh_CN") or "zh_CN-" in edition else ' lang="zh-CN"'
        )
        assert re.search(rf"<title>[^<]* (?:—|&#8212;) {NEW_NAME}</title>", article), edition
        assert NEW_NAME in front.split("<h1", 1)[1].split("</h1>", 1)[0], edition
        feed = ElementTree.parse(site / edition / "atom.xml").getroot()
        assert NEW_NAME in "".join(feed.find("{http://www.w3.org/2005/Atom}title").itertext()), edition
        assert "pubflow 文选" not in article and "pubflow Reader" not in article, edition


def test_mixed_languages_carry_their_lang(seven_editions: Path) -> None:
    article = (seven_editions / "en" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert '<span lang="zh-TW">繁體中文</span> · <span lang="en">English</span></a>' in article
    root = (seven_editions / "index.html").read_text(encoding="utf-8")
    assert '<h2><span lang="zh-CN">双语对照</span> · <span lang="en">Bilingual</span>' in root


def test_build_names_the_editions_it_leaves_out(seven_editions: Path) -> None:
    project = seven_editions.parent.parent
    built = run_pubflow("build", "--locale", "en", cwd=project, check=True)
    assert "not built now: zh_CN, zh_TW, zh_HK, ja, bilingual/zh_CN-en, bilingual/zh_TW-en" in built.stderr


PAGES_TO_MEASURE = ["ja/index.html", f"zh_HK/{ARTICLE}.html", f"bilingual/zh_TW-en/{ARTICLE}.html", "en/status.html"]


def test_the_masthead_never_breaks_a_label_and_no_page_is_wider_than_the_window(seven_editions: Path) -> None:
    problems = []
    with serve(seven_editions) as url, chromium() as browser:
        for width in (320, 390, 768, 1024, 1280, 1440):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in [
                "ja/index.html",
                f"zh_HK/{ARTICLE}.html",
                f"bilingual/zh_TW-en/{ARTICLE}.html",
                "en/status.html",
            ]:
                page.goto(f"{url}/{path}")
                labels = page.eval_on_selector_all(
                    ".pubflow-switcher a", "links => links.map(a => [a.textContent, a.getClientRects().length])"
                )
                assert len(labels) == 8  # seven editions and the root page's ⋯
                problems += [f"{width}px {path}: {text!r} on {lines} lines" for text, lines in labels if lines != 1]
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    problems.append(f"{width}px {path}: the page is {wide} px wide")
            page.close()
    assert problems == []
