"""Benchmark: an edition's front page and feed with 200 articles, against the speed issue's cold build.

Issue 14 (point 3) bounds no-op and one-edit runs at 200 articles to 0.1 of a
cold sequential ``sphinx-build`` of the three locales' HTML, and their growth
from 20 to 200 articles to at most linear. The front page is the one page that
depends on every article and every catalog (it is read again whenever any of
them changes), so this measures what it costs in those runs.

For each size (default 20 and 200), a project of that many articles: the
shipped article under that many names, dates and titles, with English
catalogs made from its real translation (most complete, every tenth partly
translated, every tenth outdated) and zh_TW catalogs from its real
conversion. Measured in the same run, interleaved:

- the baseline: a cold sequential ``sphinx-build`` of the zh_CN, en and zh_TW
  HTML editions as pubflow invokes it (fresh doctrees, in a copy of the
  project), before the runs below and again after them, the mean taken;
- ``pubflow build --format html`` (the three editions, each with its front page
  and feed) with nothing changed, and after one msgstr of the newest article's
  English catalog changed; each the median of ``--runs``;
- the front page's and the feed's own work (the catalogs counted, the list
  made, the feed written) for the English edition, in a Sphinx application
  loaded on the build;
- the no-op build again with the front page taken out of ``index.rst``: what the
  front page adds to a no-op run.

Each is reported in seconds and as a share of the baseline; with two sizes or
more, each one's growth (time at the largest size over time at the smallest)
beside the size factor (at most linear: growth no larger than the size factor).
The English front page is checked to list every article newest first.

Run: .venv/bin/python benchmarks/bench_frontpage.py [--articles 20 --articles 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib
from docutils.utils import column_width

from benchmarks.common import ARTICLE, REPO, best_of, cold_sphinx_build, report

SIZES = [20, 200]
LOCALES = ["zh_CN", "en", "zh_TW"]
MOTTO = "Cooperation for security; security for development."


def make_project(root: Path, count: int) -> list[str]:
    """A project with ``count`` articles and their English catalogs; returns the document names, newest first."""
    for name in ["pyproject.toml", "conf.py", "glossary.csv"]:
        shutil.copy2(REPO / name, root / name)
    # Every article in every edition, partly translated or not: the front page lists them all, with their states.
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('publish = "complete"', 'publish = "always"'))
    (root / "docs").mkdir()
    shutil.copy2(REPO / "docs" / "status.rst", root / "docs" / "status.rst")
    catalogs = root / "locale" / "en" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    for name in ["index.po"]:
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


def add_traditional_catalogs(root: Path, names: list[str]) -> None:
    """zh_TW catalogs for the articles of :func:`make_project`, from the shipped article's real conversion."""
    shipped = REPO / "locale" / "zh_TW" / "LC_MESSAGES"
    catalogs = root / "locale" / "zh_TW" / "LC_MESSAGES"
    catalogs.mkdir(parents=True, exist_ok=True)
    for name in ["index.po"]:
        shutil.copy2(shipped / name, catalogs / name)
    po = (shipped / f"{ARTICLE}.po").read_text(encoding="utf-8")
    title = "全国公安机关国际执法安全合作述评（上）"
    converted = polib.pofile(str(shipped / f"{ARTICLE}.po")).find(title).msgstr
    old_entry = f'msgid "{title}"\nmsgstr "{converted}"'
    if old_entry not in po:
        raise SystemExit(f"the article's title is not in its zh_TW catalog as {old_entry!r}")
    for name in names:
        number = int(name.rsplit("-", 1)[1])
        new_entry = f'msgid "{title}（第{number + 1}篇）"\nmsgstr "{converted}（第{number + 1}篇）"'
        (catalogs / f"{name}.po").write_text(po.replace(old_entry, new_entry), encoding="utf-8")


def cold_sequential_build(root: Path) -> float:
    """The baseline: ``sphinx-build`` of the three locales one after another, cold, in a copy of the project."""
    from pubflow import sphinxrun
    from pubflow.config import load_config

    with tempfile.TemporaryDirectory(prefix="pubflow-bench-cold-") as folder:
        copy = Path(folder)
        for name in ["pyproject.toml", "conf.py", "glossary.csv"]:
            shutil.copy2(root / name, copy / name)
        for name in ["docs", "locale"]:
            shutil.copytree(root / name, copy / name)
        config = load_config(copy)
        start = time.perf_counter()
        for locale in LOCALES:
            out = config.output_dir / "cold"
            args = sphinxrun.sphinx_command(config, "html", locale, out / "html" / locale, out / "doctrees" / locale)
            problems = cold_sphinx_build(args, copy)
            if problems:
                raise SystemExit(f"cold build of {locale} failed:\n" + "\n".join(problems))
        return time.perf_counter() - start


def pubflow_build(root: Path) -> float:
    """``pubflow build --format html`` as a person runs it: its own process, the three editions."""
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pubflow", "-C", str(root), "-q", "build", "--format", "html"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"pubflow build failed ({run.returncode}):\n{run.stderr}{run.stdout}")
    return elapsed


def front_page_work(root: Path) -> tuple[float, float, int]:
    """(front page seconds, feed seconds, articles listed), timed in an application loaded on the build."""
    from sphinx.application import Sphinx

    from pubflow.sphinxext import frontpage
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
    front = best_of(3, render)

    def feed() -> bytes:  # the catalogs counted already, as in a build
        return build_feed(app).atom_str(pretty=True)

    return front, best_of(3, feed), listed


def measure(count: int, runs: int) -> dict[str, object]:
    """Every figure at one size, in seconds and as a share of the cold build of the same project."""
    with tempfile.TemporaryDirectory(prefix="pubflow-bench-frontpage-") as folder:
        root = Path(folder)
        names = make_project(root, count)
        add_traditional_catalogs(root, names)
        cold = [cold_sequential_build(root)]
        first_build = pubflow_build(root)
        page = (root / "_build" / "html" / "en" / "index.html").read_text(encoding="utf-8")
        order = re.findall(r'pubflow-entry-title"><a class="reference internal" href="([^"#]+)\.html"', page)
        if order != names:
            raise SystemExit("the front page does not list every article newest first")
        states = {state: page.count(f"pubflow-entry-{state}") for state in ("complete", "partial", "outdated")}
        pubflow_build(root)  # settles: from here on a build with no change is a no-op
        po = root / "locale" / "en" / "LC_MESSAGES" / f"{names[0]}.po"
        original = po.read_text(encoding="utf-8")
        edited = original.replace("to global security governance", "to global security", 1)
        no_op, one_edit = [], []
        for run in range(runs):
            no_op.append(pubflow_build(root))
            po.write_text(edited if run % 2 == 0 else original, encoding="utf-8")
            one_edit.append(pubflow_build(root))
        front, feed, listed = front_page_work(root)
        # The same project without the front page: what a no-op run costs without it.
        index = root / "docs" / "index.rst"
        index.write_text(index.read_text(encoding="utf-8").replace(".. pubflow-front-page::\n\n", ""), encoding="utf-8")
        pubflow_build(root)
        plain_no_op = [pubflow_build(root) for _ in range(runs)]
        if runs > 1:
            cold.append(cold_sequential_build(root))
    baseline = statistics.mean(cold)
    figures: dict[str, object] = {
        "listed": listed,
        **{f"{state}_articles": n for state, n in states.items()},
        "cold_sequential_sphinx_build_seconds": round(baseline, 3),
        "first_pubflow_build_seconds": round(first_build, 3),
    }
    for name, seconds in [
        ("no_op_build", statistics.median(no_op)),
        ("one_edit_build", statistics.median(one_edit)),
        ("no_op_build_without_front_page", statistics.median(plain_no_op)),
        ("front_page_and_feed", front + feed),
    ]:
        figures[f"{name}_seconds"] = round(seconds, 4)
        figures[f"{name}_share_of_cold"] = round(seconds / baseline, 4)
    figures["front_page_seconds"], figures["feed_seconds"] = round(front, 4), round(feed, 4)
    return figures


GROWING = ["no_op_build", "one_edit_build", "front_page_and_feed", "cold_sequential_sphinx_build"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", help="a size (repeatable; default 20 and 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each no-op and one-edit build (median)")
    args = parser.parse_args()
    sizes = sorted(set(args.articles or SIZES))
    data: dict[str, object] = {"sizes": sizes, "runs": args.runs}
    by_size = {}
    for count in sizes:
        by_size[count] = measure(count, args.runs)
        data.update({f"{key}@{count}": value for key, value in by_size[count].items()})
    if len(sizes) > 1:
        small, large = by_size[sizes[0]], by_size[sizes[-1]]
        data["size_factor"] = round(sizes[-1] / sizes[0], 2)
        for name in GROWING:
            data[f"{name}_growth"] = round(float(large[f"{name}_seconds"]) / float(small[f"{name}_seconds"]), 2)
    report("frontpage", data)


if __name__ == "__main__":
    main()
