"""pubflow check: each check fails on a real bad entry, passes on the shipped catalogs, can be silenced."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, REPO, run_pubflow

CATALOG = f"LC_MESSAGES/{ARTICLE}.po"

# (locale, msgid, find, replace, check, words in the message)
ENTRY_CASES = [
    ("en", "2011年10月5日，两艘", "Naw Kham’s", "Nuo Kang’s", "glossary", "糯康 should be 'Naw Kham'"),
    ("en", "在国际刑警组织这个", "about 3,000", "about 300", "numbers", "约3000起 has 3000"),
    ("en", "在国际刑警组织这个", "more than 200 Interpol", "200 Interpol", "numbers", "200余份 is approximate"),
    ("en", "2011年10月5日，两艘", "5 October 2011", "5 October 2012", "numbers", "has 2011"),
    ("en", "2011年10月5日，两艘", "5 October 2011", "5 August 2011", "numbers", "names October"),
    ("en", "走过17年", "nine countries", "many countries", "numbers", "has 9"),
    ("en", "法制网北京9月24日讯", "24 September", "25 September", "numbers", "has 24"),
    ("en", "以合作促安全", "security for development", "security for 发展", "script", "Chinese characters"),
    ("en", "以合作促安全", "security for development", "security for 𠮷", "script", "translation: 𠮷"),
    ("en", "以合作促安全", "Cooperation for security;", "Cooperation for security；", "script", "full-width"),
    ("en", "以合作促安全", "development.", "development. ", "whitespace", "trailing whitespace"),
    ("en", "以合作促安全", "for security;", "for  security;", "whitespace", "doubled space"),
    ("en", "以合作促安全", "development.", "development, see https://evil.example/", "security", "URL"),
    ("en", "以合作促安全", "development.", "development <script>alert(1)</script>", "security", "raw HTML"),
    ("en", "以合作促安全", "development.", "`development <javascript:alert(1)>`_", "security", "script link"),
    ("en", "以合作促安全", "development.", "development. .. raw:: html", "security", "directive"),
    ("en", "以合作促安全", "development.", "development \\input{secrets}", "security", "raw LaTeX"),
    ("en", "以合作促安全", "development.", "|development|", "security", "substitution"),
    ("en", "以合作促安全", "development.", "*development.", "markup", "not in the source"),
    ("en", "以合作促安全", "development.", "development.\n\nAnd more.", "markup", "a blank line splits"),
    ("en", "以合作促安全", "development.", "development.\n============", "markup", "makes a section title"),
    ("zh_TW", "以合作促安全", "促發展", "促发展", "script", "Simplified-only character 发"),
    ("zh_TW", "2011年10月5日，两艘", "13名", "十二名", "numbers", "13 is missing"),
    ("en", "2011年10月5日，两艘", "Thirteen Chinese", "Thirty Chinese", "numbers", "13名 has 13"),
    ("en", "在国际刑警组织这个", "dozens of investigative", "investigative", "numbers", "数十个 is an amount"),
    ("en", "以合作促安全", "development.", "developmnet.", "spelling", "'developmnet' is not in the en_GB dictionary"),
    ("en", "公安部充分发挥", "Public Security", "Public Safety", "forbidden", "公安部 is rendered as banned"),
    ("zh_TW", "在国际刑警组织这个", "發布", "釋出", "forbidden", "发布 is rendered as banned '釋出'; write '發布'"),
    ("zh_TW", "2011年10月5日，两艘", "糯康武裝", "諾康武裝", "glossary", "糯康 should be '糯康'"),
]


def edit(project: Path, locale: str, msgid_start: str, find: str, replace: str, flag: str | None = None) -> int:
    path = project / "locale" / locale / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid.startswith(msgid_start))
    assert find in entry.msgstr, (find, entry.msgstr)
    entry.msgstr = entry.msgstr.replace(find, replace, 1)
    if flag:
        entry.flags.append(flag)
    catalog.save()
    return polib.pofile(str(path)).find(entry.msgid).linenum


def check(project: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_pubflow("-q", "check", "--no-stale", "--format", "json", *args, cwd=project)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


@pytest.mark.slow
def test_the_shipped_catalogs_pass_every_check() -> None:
    result = run_pubflow("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize(("locale", "msgid", "find", "replace", "name", "words"), ENTRY_CASES)
def test_each_check_catches_a_real_bad_entry(
    project: Path, locale: str, msgid: str, find: str, replace: str, name: str, words: str
) -> None:
    line = edit(project, locale, msgid, find, replace)
    status, findings = check(project, "-l", locale)
    assert status == 1
    hits = [f for f in findings if f["check"] == name]
    assert hits, findings
    assert hits[0]["file"] == f"locale/{locale}/{CATALOG}" and hits[0]["line"] == line
    assert words in hits[0]["message"]
    text = run_pubflow("-q", "check", "--no-stale", "-l", locale, cwd=project).stdout
    assert f"locale/{locale}/{CATALOG}:{line}: {name}: " in text


@pytest.mark.parametrize(
    ("locale", "msgid", "find", "replace", "name", "words"), [c for c in ENTRY_CASES if c[4] != "security"]
)
@pytest.mark.slow
def test_each_check_can_be_silenced_for_one_entry(
    project: Path, locale: str, msgid: str, find: str, replace: str, name: str, words: str
) -> None:
    edit(project, locale, msgid, find, replace, flag=f"pubflow-skip-{name}")
    _, findings = check(project, "-l", locale)
    assert not [f for f in findings if f["check"] == name]


@pytest.mark.slow
def test_markup_parity_with_roles_literals_and_references(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n参见 ``pubflow check`` 与 :doc:`index` 以及 *重点*。\n",
        encoding="utf-8",
    )
    assert run_pubflow("extract", cwd=project).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    path = project / "locale" / "en" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = catalog.find("参见 ``pubflow check`` 与 :doc:`index` 以及 *重点*。")
    entry.msgstr = "See pubflow check and the index, and *key points*."
    catalog.save()
    status, findings = check(project, "-l", "en")
    assert status == 1
    message = next(f["message"] for f in findings if f["check"] == "markup")
    assert "literal ``pubflow check``" in message and "role :doc: → index" in message
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find(entry.msgid).msgstr = "See ``pubflow check`` and :doc:`index`, and *key points*."
    catalog.save()
    assert not [f for f in check(project, "-l", "en")[1] if f["check"] == "markup"]


@pytest.mark.slow
def test_header_problems(project: Path) -> None:
    path = project / "locale" / "en" / CATALOG
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Language: en\\n"', '"Language: fr\\n"').replace(
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', ""
    )
    path.write_text(text, encoding="utf-8")
    status, findings = check(project, "-l", "en")
    messages = [f["message"] for f in findings if f["check"] == "header"]
    assert status == 1
    assert any("Language is 'fr'" in m for m in messages) and any("Plural-Forms" in m for m in messages)


@pytest.mark.slow
def test_duplicate_msgid(project: Path) -> None:
    path = project / "locale" / "en" / CATALOG
    path.write_text(
        path.read_text(encoding="utf-8") + '\nmsgid "以合作促安全，以安全促发展。"\nmsgstr "Again."\n',
        encoding="utf-8",
    )
    status, findings = check(project, "-l", "en")
    assert status == 1
    assert [f for f in findings if f["check"] == "duplicate"]


@pytest.mark.slow
def test_po_syntax_error_is_a_finding_with_its_line(project: Path) -> None:
    path = project / "locale" / "en" / CATALOG
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30] = 'msgstr "broken'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=project)
    assert result.returncode == 1
    assert f"locale/en/{CATALOG}:31: po-syntax: " in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_untranslated_and_outdated_engine_are_warnings(project: Path) -> None:
    path = project / "locale" / "zh_TW" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").msgstr = ""
    catalog.metadata["X-Pubflow-Converter"] = "OpenCC 1.1.0; config=s2twp; rules=0000"
    catalog.save()
    status, findings = check(project, "-l", "zh_TW")
    assert status == 0
    by_check = {f["check"]: f for f in findings}
    assert by_check["untranslated"]["severity"] == "warning"
    assert "以合作促安全" in by_check["untranslated"]["message"]
    assert "OpenCC 1.1.0" in by_check["engine"]["message"] and "pubflow convert" in by_check["engine"]["message"]


@pytest.mark.slow
def test_stale_catalogs_fail_and_say_what_to_run(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("人民利益，至高无上。", "人民利益高于一切。"),
        encoding="utf-8",
    )
    result = run_pubflow("-q", "check", "-l", "en", cwd=project)
    assert result.returncode == 1
    assert f"docs/{ARTICLE}.rst:" in result.stdout and "stale: message '人民利益高于一切。' is missing" in result.stdout
    assert f"locale/en/{CATALOG}:" in result.stdout and "is no longer in the sources" in result.stdout
    assert "run pubflow extract && pubflow update" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("templates", ["as extracted", "edited by hand"])
def test_the_stale_check_trusts_only_templates_extracted_from_these_sources(project: Path, templates: str) -> None:
    # With fresh templates in _build/gettext the stale check reads them instead of extracting again;
    # a template changed by hand is not fresh, and the check still sees what the sources hold.
    assert run_pubflow("extract", cwd=project).returncode == 0
    path = project / "locale" / "en" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.remove(catalog.find("人民利益，至高无上。"))
    catalog.save(str(path))
    if templates == "edited by hand":
        template = project / "_build" / "gettext" / f"{ARTICLE}.pot"
        pot = polib.pofile(str(template), wrapwidth=0)
        pot.remove(pot.find("人民利益，至高无上。"))
        pot.save(str(template))
    result = run_pubflow("-q", "check", "-l", "en", cwd=project)
    assert result.returncode == 1
    assert "stale: message '人民利益，至高无上。' is missing from en/" in result.stdout


@pytest.mark.slow
def test_duplicate_and_completeness_findings_can_be_silenced(project: Path) -> None:
    path = project / "locale" / "zh_TW" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    untranslated = catalog.find("以合作促安全，以安全促发展。")
    untranslated.msgstr = ""
    untranslated.flags.append("pubflow-skip-untranslated")
    outdated = catalog.find("人民利益，至高无上。")
    outdated.flags += ["fuzzy", "pubflow-skip-fuzzy"]
    catalog.save()
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n#, pubflow-skip-duplicate\nmsgid "运筹帷幄，谋划长远。"\nmsgstr "運籌帷幄，謀劃長遠。"\n',
        encoding="utf-8",
    )
    _, findings = check(project, "-l", "zh_TW")
    assert not [f for f in findings if f["check"] in ("untranslated", "fuzzy", "duplicate")]


@pytest.mark.slow
def test_a_fuzzy_message_is_told_by_why_it_is_fuzzy(project: Path) -> None:
    """Only a message with a previous source had its source changed; a CAT tool's "needs review" did not."""
    path = project / "locale" / "en" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    changed, marked = catalog.find("以合作促安全，以安全促发展。"), catalog.find("人民利益，至高无上。")
    changed.flags.append("fuzzy")
    changed.previous_msgid = "以合作促安全。"
    marked.flags.append("fuzzy")
    catalog.save()
    _, findings = check(project, "-l", "en")
    messages = {f["message"] for f in findings if f["check"] == "fuzzy"}
    assert messages == {
        "source changed, translation outdated: 以合作促安全，以安全促发展。",
        "marked fuzzy (needs review): 人民利益，至高无上。",
    }


@pytest.mark.slow
def test_a_glossary_change_fails_until_convert_runs(unreviewed_project: Path) -> None:
    project = unreviewed_project  # a glossary change reaches machine output only
    glossary = project / "glossary.csv"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "中国-东盟,China-ASEAN,中國－東協,", "中国-东盟,China-ASEAN,中國－東南亞國協,"
        ),
        encoding="utf-8",
    )
    status, findings = check(project, "-l", "zh_TW")
    converted = [f for f in findings if f["check"] == "converted"]
    assert status == 1 and converted
    assert "run pubflow convert" in converted[0]["message"]
    assert any(f["check"] == "engine" for f in findings)  # the rules recorded in the header changed too
    assert run_pubflow("convert", cwd=project).returncode == 0
    status, findings = check(project, "-l", "zh_TW")
    assert status == 0 and not findings
    text = (project / "locale" / "zh_TW" / CATALOG).read_text(encoding="utf-8")
    assert "中國－東南亞國協" in text


@pytest.mark.slow
def test_a_skip_flag_silences_its_own_message_only(project: Path) -> None:
    edit(project, "en", "在国际刑警组织这个", "about 3,000", "about 300", flag="pubflow-skip-numbers")
    edit(project, "en", "2011年10月5日，两艘", "5 October 2011", "5 October 2012")
    path = project / "locale" / "en" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    quiet, loud = catalog.find("以合作促安全，以安全促发展。"), catalog.find("人民利益，至高无上。")
    quiet.msgstr = loud.msgstr = ""
    quiet.flags.append("pubflow-skip-untranslated")
    catalog.save()
    saved = polib.pofile(str(path))
    flagged, other = (next(e for e in saved if e.msgid.startswith(s)).linenum for s in ("在国际刑警组织这个", "2011年"))
    _, findings = check(project, "-l", "en")
    numbers = [f["line"] for f in findings if f["check"] == "numbers"]
    assert other in numbers and flagged not in numbers
    untranslated = [f["message"] for f in findings if f["check"] == "untranslated"]
    assert untranslated == ["人民利益，至高无上。"]


@pytest.mark.slow
def test_a_hong_kong_locale_added_by_configuration_passes_check(project: Path) -> None:
    """s2hk writes Hong Kong's standard forms (脱, 着, 温), which CC-CEDICT lists as Simplified: not findings."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.pubflow.locales.zh_HK]\nlabel = "繁體中文（香港）"\nproduced-by = "opencc"\n'
        'opencc-config = "s2hk"\nquotes = { "“" = "「", "”" = "」", "‘" = "『", "’" = "』" }\nthreshold = 100\n',
        encoding="utf-8",
    )
    for verb in ("update", "convert"):
        run_pubflow(verb, "-l", "zh_HK", cwd=project, check=True)
    catalog = polib.pofile(str(project / "locale" / "zh_HK" / CATALOG))
    assert any("脱" in e.msgstr or "着" in e.msgstr for e in catalog)  # the forms CC-CEDICT calls Simplified
    result = run_pubflow("check", "-l", "zh_HK", cwd=project)
    assert result.returncode == 0, result.stdout
    run_pubflow("build", "-l", "zh_HK", cwd=project, check=True)
    status = (project / "_build" / "html" / "zh_HK" / "status.html").read_text(encoding="utf-8")
    assert "已翻譯" in status and "Translated" not in status  # pubflow's labels in Traditional Chinese
    # A Simplified form that Hong Kong does not write is still found.
    line = edit(project, "zh_HK", "以合作促安全", "發展", "发展")
    status, findings = check(project, "-l", "zh_HK")
    assert status == 1 and any(f["check"] == "script" and f["line"] == line and "发" in f["message"] for f in findings)


@pytest.mark.slow
def test_the_json_report_names_its_schema_and_counts(project: Path) -> None:
    path = project / "locale" / "en" / CATALOG
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("人民利益，至高无上。").flags.append("fuzzy")
    catalog.save()
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", "--format", "json", cwd=project)
    document = json.loads(result.stdout)
    assert document["schema"] == "pubflow-check/1"
    assert (document["errors"], document["warnings"]) == (0, 1) and result.returncode == 0
    assert set(document["findings"][0]) == {"file", "line", "check", "severity", "message"}
