"""Update merges only what changed since its last merge, and still merges whatever it must.

msgmerge runs through a wrapper on PATH that logs the catalog it was given
and then runs the real msgmerge, so each test sees which catalogs were merged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, copy_project, run_pubflow

CATALOGS = [f"{locale}/LC_MESSAGES/{doc}.po" for locale in ["en", "zh_TW"] for doc in [ARTICLE, "index"]]


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project after its first extract and update, made once; each test works on a copy."""
    project = copy_project(tmp_path_factory.mktemp("updated") / "project")
    assert run_pubflow("extract", cwd=project).returncode == 0
    result = run_pubflow("update", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def logged(updated: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the updated project, a log of msgmerge's runs, and the environment that logs them."""
    project = tmp_path / "project"
    shutil.copytree(updated, project, ignore=shutil.ignore_patterns("doctrees"))
    shims = tmp_path / "shims"
    shims.mkdir()
    log = tmp_path / "msgmerge.log"
    real = shutil.which("msgmerge")
    assert real
    wrapper = shims / "msgmerge"
    # msgmerge --quiet --previous --no-wrap --output-file=- CATALOG TEMPLATE: the catalog is the one before last.
    wrapper.write_text(f'#!/bin/sh\nn=$#\neval "po=\\${{$((n - 1))}}"\necho "$po" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return project, log, {"PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.slow
def test_the_first_update_merges_every_catalog(project: Path, tmp_path: Path) -> None:
    log = tmp_path / "msgmerge.log"
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "msgmerge").write_text(f'#!/bin/sh\necho merged >> {log}\nexec {shutil.which("msgmerge")} "$@"\n')
    (shims / "msgmerge").chmod(0o755)
    assert run_pubflow("extract", cwd=project).returncode == 0
    update(project, {"PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"})
    assert log.read_text(encoding="utf-8").split() == ["merged"] * len(CATALOGS)
    assert (project / "_build" / "cache" / "update.json").is_file()


def merged(log: Path, project: Path) -> list[str]:
    """The catalogs msgmerge was run on since the log was last cleared, relative to locale/."""
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").split()
    return sorted(str(Path(line).resolve().relative_to((project / "locale").resolve())) for line in lines)


def state(project: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(project)): (p.read_bytes(), p.stat().st_mtime_ns)
        for folder in [project / "locale", project / "_build" / "gettext", project / "_build" / "cache"]
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def update(project: Path, env: dict[str, str]) -> None:
    result = run_pubflow("update", "--no-memory", cwd=project, env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_second_update_merges_nothing_and_rewrites_nothing(logged: tuple[Path, Path, dict[str, str]]) -> None:
    project, log, env = logged
    before = state(project)
    update(project, env)
    assert merged(log, project) == []
    assert state(project) == before  # bytes and mtimes: not one file written, the record included


def test_a_catalog_a_translator_edited_is_merged_alone(logged: tuple[Path, Path, dict[str, str]]) -> None:
    project, log, env = logged
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path))
    dropped = catalog.find("以合作促安全，以安全促发展。")
    assert dropped is not None
    catalog.remove(dropped)  # a translator's editor lost a message: the merge must bring it back
    catalog.save(str(path))
    update(project, env)
    assert merged(log, project) == [f"en/LC_MESSAGES/{ARTICLE}.po"]
    restored = polib.pofile(str(path)).find("以合作促安全，以安全促发展。")
    assert restored is not None and restored.msgstr == ""


@pytest.mark.slow
def test_the_catalogs_of_a_changed_template_are_merged(logged: tuple[Path, Path, dict[str, str]]) -> None:
    project, log, env = logged
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("以合作促安全，", "以合作促进安全，"), encoding="utf-8")
    assert run_pubflow("extract", cwd=project).returncode == 0
    update(project, env)
    assert merged(log, project) == [f"en/LC_MESSAGES/{ARTICLE}.po", f"zh_TW/LC_MESSAGES/{ARTICLE}.po"]
    for locale in ["en", "zh_TW"]:
        entry = polib.pofile(str(project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po")).find(
            "以合作促进安全，以安全促发展。"
        )
        assert entry is not None and entry.fuzzy and entry.previous_msgid == "以合作促安全，以安全促发展。"


def test_a_deleted_review_record_is_merged_and_written_again(logged: tuple[Path, Path, dict[str, str]]) -> None:
    project, log, env = logged
    record = project / "locale" / "zh_TW" / "LC_MESSAGES" / "index.review.json"
    record.unlink()
    update(project, env)
    assert merged(log, project) == ["zh_TW/LC_MESSAGES/index.po"]
    assert record.is_file() and record.read_bytes() != b""


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["deleted", "damaged", "from before the last merge", "from another wrap-width"])
def test_without_a_trustworthy_record_every_changed_catalog_is_merged(
    logged: tuple[Path, Path, dict[str, str]], damage: str
) -> None:
    project, log, env = logged
    record = project / "_build" / "cache" / "update.json"
    older = record.read_bytes()
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path))
    catalog.remove(catalog.find("以合作促安全，以安全促发展。"))
    catalog.save(str(path))
    if damage == "from before the last merge":
        update(project, env)  # merged and recorded; then the record is lost, as when a run is killed before it
        log.unlink()
        record.write_bytes(older)
    elif damage == "deleted":
        record.unlink()
    elif damage == "damaged":
        record.write_bytes(older[: len(older) // 2])
    else:
        config = project / "pyproject.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("[tool.pubflow]\n", "[tool.pubflow]\nwrap-width = 79\n", 1), encoding="utf-8")
    update(project, env)
    expected = [f"en/LC_MESSAGES/{ARTICLE}.po"] if damage == "from before the last merge" else sorted(CATALOGS)
    assert merged(log, project) == expected
    assert polib.pofile(str(path)).find("以合作促安全，以安全促发展。") is not None
    log.unlink()
    update(project, env)  # and recorded again: the next run merges nothing
    assert merged(log, project) == []


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en", "zh_TW"])
def test_a_catalog_saved_with_crlf_is_not_rewritten(project: Path, locale: str) -> None:
    """A Windows editor's CRLF line ends: no message changed, so the file stays as saved, byte for byte."""
    path = project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    saved = path.read_bytes()
    for verb in ("update", "convert"):
        assert run_pubflow(verb, cwd=project).returncode == 0
    assert path.read_bytes() == saved


def test_format_keeps_a_catalogs_crlf_line_ends(project: Path) -> None:
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert "rewrote" in run_pubflow("format", "-l", "en", "--wrap-width", "79", cwd=project, check=True).stderr
    lines = path.read_bytes().split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines)  # re-wrapped, and still CRLF throughout
    saved = path.read_bytes()
    run_pubflow("format", "-l", "en", "--wrap-width", "79", cwd=project, check=True)
    assert path.read_bytes() == saved


@pytest.mark.slow
def test_a_line_separator_in_a_translation_is_no_line_end(project: Path) -> None:
    """U+2028 or U+0085 inside a msgstr ends no line for gettext: the file is not re-laid out around it."""
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "By Cai Changchun"' in text
    path.write_text(text.replace('msgstr "By Cai Changchun"', 'msgstr "By Cai\u2028Chang\x85chun"'), encoding="utf-8")
    saved = path.read_bytes()
    assert run_pubflow("update", cwd=project).returncode == 0
    assert path.read_bytes() == saved


@pytest.mark.slow
def test_a_nul_in_a_translation_is_refused_and_the_catalog_kept(project: Path) -> None:
    """msgmerge would cut the string at the NUL, losing the words after it; every verb refuses it instead."""
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "By Cai Changchun"', 'msgstr "By Cai\x00Changchun"'), encoding="utf-8")
    saved = path.read_bytes()
    line = saved[: saved.index(b"\x00")].count(b"\n") + 1
    for verb in (["update"], ["check"], ["coverage"], ["build", "-l", "en"]):
        result = run_pubflow("-q", *verb, cwd=project)
        assert result.returncode != 0 and "Traceback" not in result.stderr, verb
        where = f"locale/en/LC_MESSAGES/{ARTICLE}.po:{line}:"
        assert (
            f"{where}" in result.stdout + result.stderr and "a NUL character (U+0000)" in result.stdout + result.stderr
        )
    assert path.read_bytes() == saved


@pytest.mark.slow
def test_a_renamed_document_keeps_its_translations_review_state_and_notes(project: Path) -> None:
    """git mv of the .rst alone: its new catalogs start from the old ones, so no reviewer's work is lost."""
    old, new = ARTICLE, "2017-09-25-law-enforcement-review"
    zh_tw = project / "locale" / "zh_TW" / "LC_MESSAGES"
    catalog = polib.pofile(str(zh_tw / f"{old}.po"), wrapwidth=0)
    entry = catalog.find("以合作促安全，以安全促发展。")
    assert entry is not None and entry.msgstr == "以合作促安全，以安全促發展。"
    entry.msgstr = "以合作促進安全，以安全促進發展。"  # a reviewer's correction, approved by deleting the note
    entry.tcomment = ""
    catalog.save()
    for verb in ("update", "convert"):
        run_pubflow(verb, cwd=project, check=True)
    before = {
        lang: {
            e.msgid: (e.msgstr, e.fuzzy)
            for e in polib.pofile(str(project / "locale" / lang / "LC_MESSAGES" / f"{old}.po"))
            if not e.obsolete  # the byline date's old translation is obsolete since dates left the catalogs
        }
        for lang in ("en", "zh_TW")
    }
    (project / "docs" / f"{old}.rst").rename(project / "docs" / f"{new}.rst")
    index = project / "docs" / "index.rst"
    index.write_text(index.read_text(encoding="utf-8").replace(f"   {old}\n", f"   {new}\n"), encoding="utf-8")
    update = run_pubflow("update", cwd=project, check=True)
    assert f"created locale/zh_TW/LC_MESSAGES/{new}.po from locale/zh_TW/LC_MESSAGES/{old}.po" in update.stderr
    convert = run_pubflow("convert", cwd=project, check=True)
    assert "0 converted, 0 re-converted" in convert.stderr
    for lang in ("en", "zh_TW"):
        renamed = polib.pofile(str(project / "locale" / lang / "LC_MESSAGES" / f"{new}.po"))
        assert {e.msgid: (e.msgstr, e.fuzzy) for e in renamed if not e.obsolete} == before[lang], lang
        assert not [e for e in renamed if "pubflow memory" in e.tcomment], "a person's translation became a proposal"
        assert (project / "locale" / lang / "LC_MESSAGES" / f"{old}.po").is_file()  # left for a person to delete
    assert (project / "locale" / "en" / "notes" / f"{new}.toml").read_bytes() == (
        project / "locale" / "en" / "notes" / f"{old}.toml"
    ).read_bytes()
    check = run_pubflow("check", cwd=project)
    assert f"git rm locale/zh_TW/LC_MESSAGES/{old}.*" in check.stdout and "delete this catalog" in check.stdout
    run_pubflow("build", "-l", "en", cwd=project, check=True)
    page = (project / "_build" / "html" / "en" / f"{new}.html").read_text(encoding="utf-8")
    assert "pubflow-note" in page  # the editor's notes are published under the new name
