"""The next article: an editor adds one, and every stage works for it as for the first."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, FIXTURES, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

NEW = "2018-06-26-border-school-drug-education"


def test_a_second_article_goes_through_every_stage(project: Path) -> None:
    raw = FIXTURES / "articles" / "many_sections.txt"
    assert run_pubflow("import", str(raw), "--name", NEW, cwd=project).returncode == 0
    # Before update, the gates say the catalogs are stale.
    check = run_pubflow("-q", "check", cwd=project)
    assert check.returncode == 1
    assert f"locale/en/LC_MESSAGES/{NEW}.po: stale: catalog missing for docs/{NEW}.rst" in check.stdout

    result = run_pubflow("publish", cwd=project)
    assert result.returncode == 0, result.stderr
    for locale in ["en", "zh_TW"]:
        assert (project / "locale" / locale / "LC_MESSAGES" / f"{NEW}.po").is_file()
    tw = polib.pofile(str(project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{NEW}.po"))
    assert tw.find("边境地区禁毒宣传走进校园").msgstr == "邊境地區禁毒宣傳走進校園"
    # The new article is published in the source edition, and held back where the shipped policy says it is not
    # ready (English: publish = "complete", not yet translated; zh_TW: "reviewed", converted but not yet
    # reviewed), and publish says so.
    for edition in ["zh_CN", "en", "zh_TW", "bilingual/zh_CN-en", "bilingual/zh_TW-en"]:
        for doc in [ARTICLE, NEW]:
            published = doc == ARTICLE or edition == "zh_CN"
            assert (project / "_build" / "html" / edition / f"{doc}.html").is_file() == published, (edition, doc)
            suffix = edition.split("/")[-1]
            pdf = project / "_build" / "pdf" / edition / f"{doc}.{suffix}.pdf"
            assert pdf.is_file() == published, (edition, doc)
    assert f"en: held back {NEW} (0% translated; publish = complete)" in result.stderr
    assert f"zh_TW: held back {NEW} (0% reviewed; publish = reviewed)" in result.stderr
    index = (project / "_build" / "html" / "zh_CN" / "index.html").read_text(encoding="utf-8")
    assert index.index(NEW) < index.index(ARTICLE)  # newest first
    assert NEW not in (project / "_build" / "html" / "en" / "index.html").read_text(encoding="utf-8")

    # English is not translated yet: check warns, coverage fails and lists what is missing.
    check = run_pubflow("-q", "check", "--format", "json", cwd=project)
    assert check.returncode == 0
    assert any(f["check"] == "untranslated" for f in json.loads(check.stdout)["findings"])
    coverage = run_pubflow("coverage", cwd=project)
    assert coverage.returncode == 1
    assert f"locale/en/LC_MESSAGES/{NEW}.po:" in coverage.stdout and "边境地区禁毒宣传走进校园" in coverage.stdout
    assert "zh_TW  (threshold 100%: ok)" in coverage.stdout
