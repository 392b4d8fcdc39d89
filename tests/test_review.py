"""Review as a number (coverage's reviewed and machine counts, a reviewed threshold) and the review verb."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, REPO, as_before_review, copy_project, run_pubflow

TW = Path("locale") / "zh_TW" / "LC_MESSAGES"
EN = Path("locale") / "en" / "LC_MESSAGES"


@pytest.fixture
def project(unreviewed_project: Path) -> Path:
    """What review does is tested on the project as it was before its zh_TW edition was reviewed."""
    return unreviewed_project


def totals(project: Path, *args: str) -> dict[str, dict]:
    result = run_pubflow("coverage", "--no-stale", "--format", "json", *args, cwd=project)
    return {loc["locale"]: loc for loc in json.loads(result.stdout)["locales"]}


def test_the_shipped_zh_tw_edition_is_reviewed() -> None:
    """Every zh_TW message of the shipped project is a person's: read, corrected or approved (issue 26)."""
    tw = totals(REPO, "-l", "zh_TW")["zh_TW"]["total"]
    assert (tw["translated"], tw["reviewed"], tw["machine"], tw["percent_reviewed"]) == (59, 59, 0, 100.0)
    for catalog in (REPO / TW).glob("*.po"):
        assert "pubflow: machine output" not in catalog.read_text(encoding="utf-8"), catalog
        record = json.loads(catalog.with_suffix(".review.json").read_text(encoding="utf-8"))
        assert not [m for m in record["messages"] if "machine" in m], catalog
    listing = run_pubflow("review", "list", "--locale", "zh_TW", cwd=REPO, check=True)
    assert listing.stdout == "" and "0 message(s) of machine output waiting" in listing.stderr


def test_coverage_counts_reviewed_and_machine_output(project: Path) -> None:
    locales = totals(project)
    # The shipped zh_TW edition is OpenCC's output that nobody has reviewed yet; English is a person's.
    tw, en = locales["zh_TW"]["total"], locales["en"]["total"]
    assert (tw["translated"], tw["reviewed"], tw["machine"], tw["percent_reviewed"]) == (59, 0, 59, 0.0)
    assert (en["translated"], en["reviewed"], en["machine"], en["percent_reviewed"]) == (59, 59, 0, 100.0)
    for locale in locales.values():
        for catalog in locale["catalogs"]:
            assert catalog["translated"] == catalog["reviewed"] + catalog["machine"]
    text = run_pubflow("coverage", "--no-stale", "-l", "zh_TW", cwd=project).stdout
    assert re.search(rf"{TW}/{ARTICLE}\.po +58 +58 +0 +58 +0 +0 +1 ", text), text
    markdown = run_pubflow("coverage", "--no-stale", "--format", "markdown", cwd=project).stdout
    assert "| reviewed | machine, unreviewed |" in markdown
    assert "| zh_TW | **all** | 59 | 59 | 0 | 59 | 0 | 0 | 1 | 100.00 | 100.00 | 0.00 | ✅ |" in markdown


@pytest.mark.slow
def test_a_reviewed_threshold_gates_ci(project: Path) -> None:
    result = run_pubflow("coverage", "--no-stale", "--reviewed-threshold", "50", "-l", "zh_TW", cwd=project)
    assert result.returncode == 1
    assert "zh_TW  (threshold 100%: ok; reviewed threshold 50%: BELOW THRESHOLD)" in result.stdout
    assert f"{TW}/{ARTICLE}.po:18: unreviewed: 全国公安机关国际执法安全合作述评（上）" in result.stdout
    assert run_pubflow("coverage", "--no-stale", "--reviewed-threshold", "50", "-l", "en", cwd=project).returncode == 0
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('opencc-config = "s2twp"', 'opencc-config = "s2twp"\nreviewed-threshold = 100'))
    result = run_pubflow("coverage", "--no-stale", "--format", "json", cwd=project)
    assert result.returncode == 1
    data = {loc["locale"]: loc for loc in json.loads(result.stdout)["locales"]}
    assert data["zh_TW"]["reviewed_threshold"] == 100 and not data["zh_TW"]["passed"]
    assert data["en"]["passed"]
    run_pubflow("review", "approve", "--locale", "zh_TW", "--all", cwd=project, check=True)
    assert run_pubflow("coverage", "--no-stale", cwd=project).returncode == 0


@pytest.mark.slow
def test_review_lists_machine_output_beside_its_source_and_approves_one_message(project: Path) -> None:
    result = run_pubflow("review", "list", "--locale", "zh_TW", ARTICLE, cwd=project, check=True)
    lines = result.stdout.splitlines()
    assert lines[0] == f"== zh_TW · {ARTICLE}: 58 waiting for review"
    at = lines.index(f"{TW}/{ARTICLE}.po:18: opencc")
    assert lines[at + 1 : at + 3] == [
        "  zh_CN   全国公安机关国际执法安全合作述评（上）",
        "  zh_TW   全國公安機關國際執法安全合作述評（上）",
    ]
    before = (project / TW / f"{ARTICLE}.po").read_text(encoding="utf-8")
    result = run_pubflow("review", "approve", f"{TW}/{ARTICLE}.po:18", cwd=project, check=True)
    assert f"approved 1 message(s) in {TW}/{ARTICLE}.po" in result.stderr
    catalog = polib.pofile(str(project / TW / f"{ARTICLE}.po"))
    title = catalog.find("全国公安机关国际执法安全合作述评（上）")
    assert title.msgstr == "全國公安機關國際執法安全合作述評（上）" and "machine output" not in title.tcomment
    # Only that message's note went: every other line of the catalog is as it was.
    after = (project / TW / f"{ARTICLE}.po").read_text(encoding="utf-8")
    assert before.replace("# pubflow: machine output (opencc), not yet reviewed\n", "", 1) == after
    tw = totals(project, "-l", "zh_TW")["zh_TW"]["total"]
    assert (tw["reviewed"], tw["machine"]) == (1, 58)
    waiting = f"{TW}/{ARTICLE}.po:{catalog.find('为全球安全治理贡献“中国力量”').linenum}"  # one line up now
    # Approving it again, or a line where no message starts, changes nothing and says why.
    for target, reason in [
        (f"{TW}/{ARTICLE}.po:18", "is not machine output waiting for review"),
        (f"{TW}/{ARTICLE}.po:19", "no message starts on this line"),
        ("no-such-article", "no catalog of this document"),
    ]:
        result = run_pubflow("review", "approve", target, waiting, cwd=project)
        assert result.returncode == 2 and reason in result.stderr and "Traceback" not in result.stderr
        assert (project / TW / f"{ARTICLE}.po").read_text(encoding="utf-8") == after
    # A later convert keeps the approved text as a person's.
    run_pubflow("convert", cwd=project, check=True)
    assert (project / TW / f"{ARTICLE}.po").read_text(encoding="utf-8") == after


@pytest.mark.slow
def test_approving_is_exactly_an_xliff_approval(tmp_path: Path) -> None:
    by_verb = as_before_review(copy_project(tmp_path / "verb"))
    by_xliff = as_before_review(copy_project(tmp_path / "xliff"))
    run_pubflow("review", "approve", "--locale", "zh_TW", ARTICLE, cwd=by_verb, check=True)
    xlf = by_xliff / "tw.xlf"
    run_pubflow("xliff", "export", "--locale", "zh_TW", ARTICLE, "-o", str(xlf), cwd=by_xliff, check=True)
    ET.register_namespace("", "urn:oasis:names:tc:xliff:document:1.2")
    tree = ET.parse(xlf)
    for unit in tree.iter("{urn:oasis:names:tc:xliff:document:1.2}trans-unit"):
        unit.set("approved", "yes")  # what Weblate and translate-toolkit write when a reviewer approves
        for target in unit.iter("{urn:oasis:names:tc:xliff:document:1.2}target"):
            target.set("state", "final")
    tree.write(xlf, encoding="utf-8", xml_declaration=True)
    run_pubflow("xliff", "import", str(xlf), cwd=by_xliff, check=True)
    for name in (f"{ARTICLE}.po", f"{ARTICLE}.review.json"):
        assert (by_verb / TW / name).read_bytes() == (by_xliff / TW / name).read_bytes(), name
    # The other document (the front page's index) was not named, so it still waits.
    assert totals(by_verb, "-l", "zh_TW")["zh_TW"]["total"]["machine"] == 1


TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="block" o-tmf="x" '
    'adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>'
    '<tu><tuv xml:lang="zh-CN"><seg>以合作促安全，以安全促进发展。</seg></tuv>'
    '<tuv xml:lang="en"><seg>Security through cooperation, development through security.</seg></tuv></tu>'
    '<tu><tuv xml:lang="zh-CN"><seg>积极主动参与全球安全治理</seg></tuv>'
    '<tuv xml:lang="en"><seg>Taking part in global security governance</seg></tuv></tu>'
    "</body></tmx>\n"
)


@pytest.mark.slow
def test_review_works_for_english_memory_proposals(project: Path) -> None:
    po_path = project / EN / f"{ARTICLE}.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    for msgid in ("以合作促安全，以安全促发展。", "积极主动参与全球安全治理"):
        catalog.find(msgid).msgstr = ""
    catalog.save()
    (project / "old.tmx").write_text(TMX, encoding="utf-8")
    run_pubflow("tmx", "import", "old.tmx", "--locale", "en", cwd=project, check=True)
    en = totals(project, "-l", "en")["en"]["total"]
    assert (en["translated"], en["reviewed"], en["machine"], en["fuzzy"]) == (58, 57, 1, 1)
    listing = run_pubflow("review", "list", "--format", "json", cwd=project, check=True)
    waiting = {m["source"]: m for m in json.loads(listing.stdout)["messages"] if m["locale"] == "en"}
    assert waiting["积极主动参与全球安全治理"]["origin"] == "memory"
    close = waiting["以合作促安全，以安全促发展。"]
    assert (close["origin"], close["fuzzy"], close["memory_source"]) == (
        "memory, fuzzy",
        True,
        "以合作促安全，以安全促进发展。",
    )
    text = run_pubflow("review", "list", "--locale", "en", cwd=project, check=True).stdout
    assert "  memory  以合作促安全，以安全促进发展。\n  zh_CN   以合作促安全，以安全促发展。\n" in text
    run_pubflow("review", "approve", "--locale", "en", f"{EN}/{ARTICLE}.po:{close['line']}", cwd=project, check=True)
    approved = polib.pofile(str(po_path)).find("以合作促安全，以安全促发展。")
    assert approved.msgstr == "Security through cooperation, development through security."
    assert not approved.fuzzy and approved.previous_msgid is None and "pubflow" not in approved.tcomment
    en = totals(project, "-l", "en")["en"]["total"]
    assert (en["translated"], en["reviewed"], en["machine"], en["fuzzy"]) == (59, 58, 1, 0)
    # The memory's next run takes it as a person's: never proposed over again.
    run_pubflow("memory", "--locale", "en", cwd=project, check=True)
    assert totals(project, "-l", "en")["en"]["total"]["reviewed"] == 58


@pytest.mark.slow
def test_a_converted_article_says_it_is_not_yet_reviewed_until_it_is(project: Path) -> None:
    run_pubflow("build", "--locale", "zh_TW", cwd=project, check=True)
    html = project / "_build" / "html" / "zh_TW"
    front = (html / "index.html").read_text(encoding="utf-8")
    assert "pubflow-entry-converted" in front and "自動轉換，尚未審校" in front and "翻譯完成" not in front
    status = (html / "status.html").read_text(encoding="utf-8")
    assert "已審校" in status and "機器輸出，未審校" in status
    run_pubflow("review", "approve", "--locale", "zh_TW", "--all", cwd=project, check=True)
    run_pubflow("build", "--locale", "zh_TW", cwd=project, check=True)
    front = (html / "index.html").read_text(encoding="utf-8")
    assert "pubflow-entry-complete" in front and "翻譯完成" in front and "自動轉換" not in front
    shutil.rmtree(project / "_build")
