"""pubflow coverage: counts equal msgfmt's, thresholds, the three formats, stale catalogs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pubflow.coverage import catalog_coverage, text_size
from tests.conftest import ARTICLE, FIXTURES, REPO, run_pubflow

CATALOGS = sorted((FIXTURES / "catalogs").glob("*.po"))


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    out = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=True
    ).stderr

    def count(kind: str) -> int:
        match = re.search(rf"(\d+) {kind}", out)
        return int(match.group(1)) if match else 0

    return count("translated"), count("fuzzy"), count("untranslated")


def test_counts_equal_msgfmt_statistics() -> None:
    paths = [*CATALOGS, *sorted((REPO / "locale").rglob("*.po"))]
    assert {p.name for p in CATALOGS} == {"fuzzy_obsolete.po", "plural.po", "multiline.po", "header_only.po"}
    for path in paths:
        coverage = catalog_coverage(path)
        assert (coverage.translated, coverage.fuzzy, coverage.untranslated) == msgfmt_statistics(path), path
        assert coverage.messages == coverage.translated + coverage.fuzzy + coverage.untranslated
    fuzzy = catalog_coverage(FIXTURES / "catalogs" / "fuzzy_obsolete.po")
    assert (fuzzy.messages, fuzzy.translated, fuzzy.fuzzy, fuzzy.untranslated, fuzzy.obsolete) == (
        4,
        1,
        1,
        2,
        1,
    )
    assert fuzzy.percent_messages == 25.0


def test_source_size_counts_chinese_characters_and_words() -> None:
    assert text_size("以合作促安全，以安全促发展。") == (12, 0)
    assert text_size("A long English sentence") == (0, 4)
    assert text_size("参见 pubflow check 与 2017年") == (4, 3)


@pytest.mark.slow
def test_paths_outside_a_project_as_potodo_does(tmp_path: Path) -> None:
    for path in CATALOGS:
        shutil.copy(path, tmp_path / path.name)
    result = run_pubflow("coverage", "--format", "json", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {loc["locale"] for loc in data["locales"]} == {"en", "zh_TW", "fr"}
    result = run_pubflow("coverage", "--threshold", "90", str(tmp_path / "plural.po"), cwd=tmp_path)
    assert result.returncode == 1
    assert "plural.po:17: untranslated: %d item" in result.stdout
    assert "plural.po:22: fuzzy: %d day" in result.stdout


@pytest.mark.slow
def test_a_locale_below_its_threshold_fails_and_lists_every_missing_message(project: Path) -> None:
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("人民利益，至高无上。").msgstr = ""
    catalog.find("运筹帷幄，谋划长远。").flags.append("fuzzy")
    catalog.save()
    result = run_pubflow("coverage", "--no-stale", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "en  (threshold 100%: BELOW THRESHOLD)" in lines
    assert any(
        re.fullmatch(rf"locale/en/LC_MESSAGES/{ARTICLE}.po:\d+: untranslated: 人民利益，至高无上。", ln) for ln in lines
    )
    assert any(
        re.fullmatch(rf"locale/en/LC_MESSAGES/{ARTICLE}.po:\d+: fuzzy: 运筹帷幄，谋划长远。", ln) for ln in lines
    )
    assert "zh_TW  (threshold 100%: ok)" in lines


@pytest.mark.slow
def test_json_schema(project: Path) -> None:
    result = run_pubflow("coverage", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "pubflow-coverage/1" and data["passed"] is True and data["stale"] is False
    en = next(loc for loc in data["locales"] if loc["locale"] == "en")
    assert set(en) == {"locale", "threshold", "reviewed_threshold", "passed", "total", "catalogs"}
    assert set(en["catalogs"][0]) == {
        "path", "language", "messages", "translated", "reviewed", "machine", "fuzzy", "untranslated", "obsolete",
        "source_chars", "source_words", "translated_chars", "translated_words", "missing", "unreviewed",
        "percent_messages", "percent_source", "percent_reviewed", "source_size",
    }  # fmt: skip
    assert en["total"]["messages"] == en["total"]["translated"] == 59  # 58 article, 1 index


@pytest.mark.slow
def test_markdown_table(project: Path) -> None:
    result = run_pubflow("coverage", "--format", "markdown", "--no-stale", cwd=project)
    assert result.returncode == 0
    assert "| locale | catalog | total | translated | reviewed | machine, unreviewed | fuzzy | untranslated |" in (
        result.stdout
    )
    assert "| en | **all** | 59 | 59 | 59 | 0 | 0 | 0 | 1 | 100.00 | 100.00 | 100.00 | ✅ |" in result.stdout


@pytest.mark.slow
def test_coverage_of_stale_catalogs_says_so(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    result = run_pubflow("coverage", cwd=project)
    assert result.returncode == 1
    assert "the catalogs are stale" in result.stdout and "pubflow extract && pubflow update" in result.stderr


@pytest.mark.slow
def test_a_locale_with_no_catalog_yet_has_translated_nothing(project: Path) -> None:
    """A new locale before its first update showed 100% and passed a threshold of 100 under --no-stale."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n[tool.pubflow.locales.fr]\nthreshold = 100\n")
    result = run_pubflow("coverage", "--no-stale", "-l", "fr", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    [fr] = json.loads(result.stdout)["locales"]
    assert fr["total"]["percent_messages"] == 0.0 and fr["passed"] is False
    text = run_pubflow("coverage", "--no-stale", "-l", "fr", cwd=project).stdout
    assert "no catalog yet: run pubflow extract && pubflow update --locale fr" in text


def test_the_coverage_record_counts_again_only_what_changed(project: Path) -> None:
    """Every edition's status page counts every catalog; unchanged ones come from _build/cache/coverage.json."""
    from pubflow.config import load_config
    from pubflow.coverage import project_coverage, record_path

    config = load_config(project)
    fresh = {loc.locale: loc.total.as_dict() for loc in project_coverage(config)}
    record = json.loads(record_path(config).read_text(encoding="utf-8"))
    assert len(record["units"]) == sum(1 for _ in (project / "locale").rglob("*.po"))
    # A translator's edit is counted; the other catalogs' counts come from the record, equal to a fresh count.
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgstr and not e.obsolete)
    entry.msgstr = ""
    catalog.save()
    after = {loc.locale: loc for loc in project_coverage(config)}
    assert after["en"].total.untranslated == fresh["en"]["untranslated"] + 1
    assert [c.as_dict() for c in after["en"].catalogs] == [
        catalog_coverage(p).as_dict() for p in sorted((project / "locale" / "en").rglob("*.po"))
    ]
    # A review record that changed is counted again too: machine output and a person's text are told apart by it.
    tw_path = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"

    def tw_article() -> dict[str, object]:
        tw = {loc.locale: loc for loc in project_coverage(config)}["zh_TW"]
        return next(c.as_dict() for c in tw.catalogs if Path(c.path).name == tw_path.name)

    before = tw_article()
    tw_path.with_suffix(".review.json").unlink()
    assert tw_article() == catalog_coverage(tw_path).as_dict()
    assert tw_article()["machine"] != before["machine"] or before["machine"] == 0
    # A damaged record, or one whose counts were tampered with, costs time, never a wrong count.
    record = json.loads(record_path(config).read_text(encoding="utf-8"))
    for unit in record["units"].values():
        unit["counts"]["translated"] = "many"
    record_path(config).write_text(json.dumps(record), encoding="utf-8")
    again = {loc.locale: loc for loc in project_coverage(config)}
    assert again["en"].total.as_dict() == after["en"].total.as_dict()
    record_path(config).write_text("{", encoding="utf-8")
    assert {loc.locale: loc for loc in project_coverage(config)}["en"].total.as_dict() == after["en"].total.as_dict()
