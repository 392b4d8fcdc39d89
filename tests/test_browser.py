"""A real browser over the built editions: switcher, Chinese search, screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, serve
from tests.conftest import ARTICLE, REPO

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

SCREENSHOTS = REPO / "_build" / "screenshots"
TITLES = {
    "zh_CN": "全国公安机关国际执法安全合作述评（上）",
    "en": "China’s police in international law enforcement and security cooperation: a review (part one)",
    "zh_TW": "全國公安機關國際執法安全合作述評（上）",
}


def test_editions_switcher_and_search_in_chromium(built_site: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serve(built_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        page.goto(f"{base}/index.html")
        page.click("a[hreflang=zh-CN]")
        page.click(f"a[href='{ARTICLE}.html']")
        assert page.locator("h1").inner_text() == TITLES["zh_CN"]

        for locale, lang in [("en", "en"), ("zh_TW", "zh-TW"), ("zh_CN", "zh-CN")]:
            page.click(f".pubflow-switcher a[hreflang={lang}]")
            page.wait_for_load_state()
            assert page.url.endswith(f"/{locale}/{ARTICLE}.html")
            assert page.locator("html").get_attribute("lang") == lang
            if locale != "zh_TW":  # zh_TW is filled by conversion, checked in its own tests
                assert page.locator("h1").inner_text() == TITLES[locale]
            page.screenshot(path=str(SCREENSHOTS / f"{locale}.png"), full_page=True)

        for locale, query in [("zh_CN", "湄公河"), ("zh_TW", "湄公河"), ("zh_CN", "拉克鲁瓦"), ("zh_TW", "孟宏偉")]:
            page.goto(f"{base}/{locale}/{ARTICLE}.html")
            page.fill(".pubflow-search input[name=q]", query)
            page.press(".pubflow-search input[name=q]", "Enter")
            result = page.locator("ul.search li a").first
            result.wait_for(timeout=15000)
            assert ARTICLE in (result.get_attribute("href") or "")
            page.screenshot(path=str(SCREENSHOTS / f"search-{locale}.png"))
    for name in ["zh_CN", "en", "zh_TW", "search-zh_CN", "search-zh_TW"]:
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
