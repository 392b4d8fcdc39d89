"""How PDFs are made: one xelatex pass when one is enough, none when nothing changed, shares for CI jobs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from pubflow.build import Edition
from pubflow.config import load_config
from pubflow.pdf import build_pdf, source_date_epoch, typeset_folder
from pubflow.shard import Shard, article_documents, parse_shard
from tests.conftest import ARTICLE, FIXTURES, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

EXTRA = {"2018-03-01-no-subtitle": "no_subtitle.txt", "2018-06-26-many-sections": "many_sections.txt"}


def pdf_files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.pdf"))}


def xelatex_again(tex: Path, epoch: str) -> None:
    """One more pass by hand, in the folder pubflow typeset the article in."""
    subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tex.parent,
        capture_output=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch},
    )


def test_one_pass_makes_the_final_pdf_and_a_rebuild_with_no_change_runs_none(project: Path) -> None:
    config = load_config(project)
    edition = Edition("en", "en")
    first = build_pdf(config, [edition])
    assert first.ok and first.passes == {"en": [1]}
    published = config.output_dir / "pdf" / "en" / f"{ARTICLE}.en.pdf"
    pdf = published.read_bytes()
    # A second pass, which latexmk would have run, makes the very same file, outline included.
    work = typeset_folder(config.output_dir / "latex" / "en" / f"{ARTICLE}.tex")
    xelatex_again(work / f"{ARTICLE}.tex", source_date_epoch(config))
    assert (work / f"{ARTICLE}.pdf").read_bytes() == pdf
    with pymupdf.open(published) as document:
        # No page labels: the pages are numbered from 1 as printed, with no title page of their own.
        assert [page.get_text().split()[-1] for page in document] == [str(n + 1) for n in range(document.page_count)]
        assert "PageLabels" not in document.xref_object(document.pdf_catalog())
        assert len(document.get_toc()) == 3  # the outline: one entry per section

    again = build_pdf(config, [edition])
    assert again.ok and again.passes == {"en": [0]}
    assert published.read_bytes() == pdf


def test_a_reference_to_a_label_gets_its_second_pass(project: Path) -> None:
    document = project / "docs" / f"{ARTICLE}.rst"
    text = document.read_text(encoding="utf-8")
    heading = "服务大局加强海外利益保护\n"
    assert heading in text
    text = text.replace(heading, ".. _last-section:\n\n" + heading) + "\n见 :ref:`last-section`。\n"
    document.write_text(text, encoding="utf-8")
    config = load_config(project)
    result = build_pdf(config, [Edition("zh_CN", "zh_CN")])
    assert result.ok and result.passes == {"zh_CN": [2]}, result.problems


def test_shares_hold_every_article_once_whatever_else_exists() -> None:
    names = [f"2019-01-{day:02d}-article-{day}" for day in range(1, 29)]
    for count in range(1, 5):
        owners = {name: [k for k in range(1, count + 1) if Shard(k, count).holds(name)] for name in names}
        assert all(len(found) == 1 for found in owners.values())
        assert len({found[0] for found in owners.values()}) == count  # 28 names reach every share
    assert parse_shard(" 2/3 ") == Shard(2, 3)


@pytest.mark.parametrize("value", ["0/2", "3/2", "1/0", "a/b", "2", "1/2/3"])
def test_a_bad_shard_is_one_line(project: Path, value: str) -> None:
    result = run_pubflow("-q", "build", "--format", "pdf", "--shard", value, cwd=project)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--shard" in result.stderr, result.stderr
    assert not (project / "_build" / "pdf").exists()


def test_shard_needs_the_pdf_format(project: Path) -> None:
    result = run_pubflow("-q", "build", "--shard", "1/2", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == "pubflow: error: --shard splits the PDF work only: use it with --format pdf"


def test_shards_run_one_after_another_make_the_files_of_one_run(project: Path) -> None:
    for name, raw in EXTRA.items():
        run_pubflow("import", str(FIXTURES / "articles" / raw), "--name", name, cwd=project, check=True)
    articles = article_documents(project / "docs")
    assert len(articles) == 3
    count = 2
    shares = {k: [doc for doc in articles if Shard(k, count).holds(doc)] for k in (1, 2)}
    assert all(shares.values()), shares  # both shares have work, so the comparison means something

    run_pubflow("build", "--format", "pdf", "-l", "zh_CN", cwd=project, check=True)
    whole = pdf_files(project / "_build" / "pdf")
    assert len(whole) == 3
    shutil.rmtree(project / "_build")
    for k in (1, 2):
        result = run_pubflow("build", "--format", "pdf", "-l", "zh_CN", "--shard", f"{k}/{count}", cwd=project)
        assert result.returncode == 0, result.stderr
        assert f"shard {k}/{count}: {len(shares[k])} of 3 article(s)" in result.stderr
        made = pdf_files(project / "_build" / "pdf")
        assert {Path(name).name.split(".")[0] for name in made} >= set(shares[k])
    assert pdf_files(project / "_build" / "pdf") == whole


def test_an_empty_share_runs_nothing_and_succeeds(project: Path) -> None:
    empty = next(k for k in (1, 2) if not Shard(k, 2).holds(ARTICLE))
    result = run_pubflow("build", "--format", "pdf", "--shard", f"{empty}/2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"shard {empty}/2: 0 of 1 article(s)" in result.stderr
    assert not (project / "_build" / "latex").exists() and not (project / "_build" / "pdf").exists()
