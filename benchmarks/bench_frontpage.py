"""Benchmark: the front page and feed of an edition with 200 articles, against the edition's build.

The 200 articles are the shipped article under 200 names, dates and titles,
with English catalogs made from its real translation: most complete, every
tenth partly translated, every tenth outdated (fuzzy). The English edition is
built as pubflow builds it (``sphinx-build -W`` in its own process); then, in
the same run, the front page's own work (the list, the catalogs' states) and
the feed's are timed in a Sphinx application loaded on that build, and
reported as a share of the edition's build. Since the front page is read again
whenever an article or a catalog changes, a rebuild after one catalog edit and
a rebuild with no change are reported too, beside a rebuild with no change of
the same edition without its front page (issue 14 asks no-op and one-edit runs
to stay under 0.1 of a cold build).

Run: .venv/bin/python benchmarks/bench_frontpage.py [--articles N]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib
from docutils.utils import column_width

from benchmarks.common import ARTICLE, REPO, best_of, report

ARTICLES = 200
MOTTO = "Cooperation for security; security for development."


def make_project(root: Path, count: int) -> list[str]:
    """A project with ``count`` articles and their English catalogs; returns the document names, newest first."""
    for name in ["pyproject.toml", "conf.py", "glossary.csv"]:
        shutil.copy2(REPO / name, root / name)
    (root / "docs").mkdir()
    shutil.copy2(REPO / "docs" / "status.rst", root / "docs" / "status.rst")
    catalogs = root / "locale" / "en" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    for name in ["index.po", "status.po"]:
        shutil.copy2(REPO / "locale" / "en" / "LC_MESSAGES" / name, catalogs / name)
    source = (REPO / "docs" / f"{ARTICLE}.rst").read_text(encoding="utf-8")
    po = (REPO / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po").read_text(encoding="utf-8")
    title = "全国公安机关国际执法安全合作述评（上）"
    english = polib.pofile(str(REPO / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po")).find(title).msgstr
    names = []
    for number in range(count):
        year, day = 2000 + number // 365, number % 365
        date = f"{year}-{1 + day // 31 % 12:02}-{1 + day % 28:02}"
        name = f"{date}-article-{number:03d}"
        names.append(name)
        new_title = f"{title}（第{number + 1}篇）"
        text = source.replace(":pubflow-date: 2017-09-25T10:15:37", f":pubflow-date: {date}T08:00:00")
        text = re.sub(rf"^{re.escape(title)}\n=+$", f"{new_title}\n{'=' * column_width(new_title)}", text, flags=re.M)
        (root / "docs" / f"{name}.rst").write_text(text, encoding="utf-8")
        old_entry, new_entry = (
            f'msgid "{title}"\nmsgstr "{english}"',
            f'msgid "{new_title}"\nmsgstr "{english} ({number + 1})"',
        )
        catalog = po.replace(old_entry, new_entry)
        if catalog == po:
            raise SystemExit(f"the article's title is not in its English catalog as {old_entry!r}")
        if number % 10 == 1:  # partly translated
            catalog = catalog.replace(f'msgstr "{MOTTO}"', 'msgstr ""')
        elif number % 10 == 2:  # outdated
            catalog = catalog.replace(
                'msgid "以合作促安全，以安全促发展。"', '#, fuzzy\nmsgid "以合作促安全，以安全促发展。"'
            )
        (catalogs / f"{name}.po").write_text(catalog, encoding="utf-8")
    entries = "".join(f"   {name}\n" for name in sorted(names, reverse=True))
    index = (REPO / "docs" / "index.rst").read_text(encoding="utf-8").split(".. toctree::")[0]
    (root / "docs" / "index.rst").write_text(f"{index}.. toctree::\n   :hidden:\n\n{entries}", encoding="utf-8")
    return sorted(names, reverse=True)


def build(root: Path) -> float:
    from pubflow import sphinxrun
    from pubflow.config import load_config

    config = load_config(root)
    args = sphinxrun.sphinx_command(
        config, "html", "en", config.output_dir / "html" / "en", config.output_dir / "doctrees" / "html-en"
    )
    start = time.perf_counter()
    run = sphinxrun.run(args, root)
    elapsed = time.perf_counter() - start
    if run.returncode != 0 or run.problems:
        raise SystemExit("build failed:\n" + "\n".join(run.problems))
    return elapsed


def front_page_work(root: Path) -> tuple[float, float, int]:
    """(front page seconds, feed seconds, articles listed), timed in an application loaded on the build."""
    from sphinx.application import Sphinx

    from pubflow.sphinxext import frontpage
    from pubflow.sphinxext.editions import project_config
    from pubflow.sphinxext.feed import build_feed

    out = root / "_build"
    app = Sphinx(str(root / "docs"), str(root), str(out / "html" / "en"), str(out / "doctrees" / "html-en"), "html",
                 confoverrides={"language": "en"}, status=io.StringIO(), warning=io.StringIO())  # fmt: skip
    app.env.find_files(app.config, app.builder)

    def render() -> int:
        app.env.pubflow_catalogs = {}  # every catalog read and counted, as in a fresh build
        frontpage._refresh_catalogs(app, app.env)
        return len(frontpage.render_list(app, "index").children)

    listed = render()
    locale = project_config(app).locale("en")
    front = best_of(3, render)

    def feed() -> bytes:  # the catalogs counted already, as in a build
        return build_feed(app, locale).atom_str(pretty=True)

    return front, best_of(3, feed), listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory(prefix="pubflow-bench-frontpage-") as folder:
        root = Path(folder)
        names = make_project(root, count)
        edition = build(root)
        page = (root / "_build" / "html" / "en" / "index.html").read_text(encoding="utf-8")
        order = re.findall(r'href="([^"#]+)\.html"><span lang', page)
        if order != names:
            raise SystemExit("the front page does not list every article newest first")
        unchanged = build(root)
        po = root / "locale" / "en" / "LC_MESSAGES" / f"{names[0]}.po"
        edited = po.read_text(encoding="utf-8").replace("to global security governance", "to global security", 1)
        po.write_text(edited, encoding="utf-8")
        one_catalog = build(root)
        front, feed, listed = front_page_work(root)
        # The same edition without the front page: what a rebuild with no change costs Sphinx alone.
        index = root / "docs" / "index.rst"
        index.write_text(index.read_text(encoding="utf-8").replace(".. pubflow-front-page::\n\n", ""), encoding="utf-8")
        build(root)
        plain_unchanged = build(root)
        states = {state: page.count(f"pubflow-entry-{state}") for state in ("complete", "partial", "outdated")}
    report(
        "frontpage",
        {
            "articles": count,
            "listed": listed,
            "edition_build_seconds": round(edition, 3),
            "front_page_seconds": round(front, 4),
            "feed_seconds": round(feed, 4),
            "front_page_and_feed_share_of_edition_build": round((front + feed) / edition, 4),
            "rebuild_no_change_seconds": round(unchanged, 3),
            "rebuild_no_change_share_of_edition_build": round(unchanged / edition, 4),
            "rebuild_no_change_without_front_page_seconds": round(plain_unchanged, 3),
            "rebuild_one_catalog_seconds": round(one_catalog, 3),
            "rebuild_one_catalog_share_of_edition_build": round(one_catalog / edition, 4),
            **{f"{state}_articles": n for state, n in states.items()},
        },
    )


if __name__ == "__main__":
    main()
