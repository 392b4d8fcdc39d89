"""Update merges only what changed since its last merge, and still merges whatever it must.

msgmerge runs through a wrapper on PATH that logs the catalog it was given
and then runs the real msgmerge, so each test sees which catalogs were merged.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pubflow import review
from pubflow.config import load_config
from pubflow.errors import PubflowError
from pubflow.extract import STAMP_NAME, sources_digest, templates_digest, tools_digest
from pubflow.fileio import ChangedMeanwhile
from pubflow.progress import Reporter
from pubflow.update import (
    MERGE_ATTEMPTS,
    RENAME_OVERLAP,
    carry_flags,
    carry_notes,
    new_catalog,
    record_path,
    renamed_from,
    update_catalogs,
)
from tests.conftest import ARTICLE, REPO, copy_project, run_pubflow

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


# -- in process, on small templates: renamed documents and saves made during a merge -------------


def small_templates(folder: Path, **documents: tuple[str, ...]) -> dict[str, Path]:
    """One template per document, each of these messages."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, msgids in documents.items():
        template = polib.POFile(wrapwidth=0)
        template.metadata = {"Content-Type": "text/plain; charset=UTF-8", "POT-Creation-Date": "2017-09-25 10:00+0000"}
        for msgid in msgids:
            template.append(polib.POEntry(msgid=msgid, occurrences=[(f"docs/{name}.rst", "1")]))
        template.save(str(folder / f"{name}.pot"))
        made[name] = folder / f"{name}.pot"
    return made


MESSAGES = ("以合作促安全。", "以安全促发展。", "人民利益，至高无上。", "运筹帷幄，谋划更长远。")


def translate(path: Path, translations: dict[str, str]) -> None:
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = translations.get(entry.msgid, entry.msgstr)
    catalog.save()


def test_update_starts_a_renamed_documents_catalog_from_its_orphan_with_its_record_and_notes(project: Path) -> None:
    config = load_config(project)
    zh_tw, en = config.locale("zh_TW"), config.locale("en")
    pots = project / "_build" / "pots"
    small_templates(pots, old=MESSAGES)
    update_catalogs(config, [en, zh_tw], pots)
    folder = project / "locale" / "zh_TW" / "LC_MESSAGES"
    record = review.load_record(folder / "old.po")
    catalog = polib.pofile(str(folder / "old.po"), wrapwidth=0)
    review.mark_machine(catalog.find(MESSAGES[0]), record, "以合作促安全。", "opencc", "rules")
    catalog.find(MESSAGES[1]).msgstr = "以安全促進發展。"
    catalog.save()
    review.save_record(record, catalog)
    notes = project / "locale" / "zh_TW" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "old.toml").write_text("# the editor's notes\n", encoding="utf-8")
    (pots / "old.pot").unlink()
    # The renamed document: three of the old four messages (3/4 of the new ones), and one new message.
    small_templates(pots, new=(*MESSAGES[:3], "在合作中共赢。"))
    result = update_catalogs(config, [zh_tw], pots)
    assert result.carried == [(folder / "new.po", folder / "old.po")]
    assert result.created == [folder / "new.po"] and folder / "old.po" in result.orphaned
    renamed = polib.pofile(str(folder / "new.po"))
    assert renamed.find(MESSAGES[1]).msgstr == "以安全促進發展。" and renamed.find("在合作中共赢。").msgstr == ""
    carried = review.load_record(folder / "new.po")
    assert carried.path == folder / "new.review.json"
    assert review.state_of(renamed.find(MESSAGES[0]), carried) is review.State.MACHINE
    assert review.state_of(renamed.find(MESSAGES[1]), carried) is review.State.PERSON
    assert (notes / "new.toml").read_text(encoding="utf-8") == "# the editor's notes\n"
    assert (folder / "old.po").is_file() and (folder / "old.review.json").is_file()  # left for a person to delete
    # Notes already under the new name are never written over.
    (notes / "new.toml").write_text("# new notes\n", encoding="utf-8")
    carry_notes(config, zh_tw, folder / "old.po", folder / "new.po")
    assert (notes / "new.toml").read_text(encoding="utf-8") == "# new notes\n"


def test_update_takes_an_orphan_for_a_renamed_document_only_when_it_holds_half_its_messages(tmp_path: Path) -> None:
    def orphan(name: str, *msgids: str, obsolete: tuple[str, ...] = ()) -> Path:
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for msgid in msgids:
            catalog.append(polib.POEntry(msgid=msgid, msgstr="x"))
        for msgid in obsolete:
            catalog.append(polib.POEntry(msgid=msgid, msgstr="x", obsolete=True))
        catalog.save(str(tmp_path / f"{name}.po"))
        return tmp_path / f"{name}.po"

    template = small_templates(tmp_path / "pots", new=MESSAGES)["new"]
    half = orphan("half", *MESSAGES[:2])
    less = orphan("less", MESSAGES[0], obsolete=MESSAGES[1:])  # obsolete messages are not the document's
    more = orphan("more", *MESSAGES[1:], "另一个")
    assert RENAME_OVERLAP == 0.5
    assert renamed_from(template, [half]) == half
    assert renamed_from(template, [less]) is None
    assert renamed_from(template, [less, half, more]) == more
    assert renamed_from(template, [half, more, less]) == more
    twin = orphan("twin", *MESSAGES[2:])  # as much as half: the first of equals is taken
    assert renamed_from(template, [half, twin]) == half and renamed_from(template, [twin, half]) == twin
    empty = small_templates(tmp_path / "empty", new=())["new"]
    assert renamed_from(empty, [half]) is None


def test_update_makes_a_new_catalog_utf8_in_the_locales_language_whatever_its_template_says(tmp_path: Path) -> None:
    template = polib.POFile(wrapwidth=0)
    template.metadata = {"Content-Type": "text/plain; charset=CHARSET", "POT-Creation-Date": "2017-09-25 10:00+0000"}
    template.append(polib.POEntry(msgid=MESSAGES[0], msgstr="left in a template"))
    template.save(str(tmp_path / "a.pot"))
    en = load_config(REPO).locale("en")
    fresh = new_catalog(tmp_path / "a.pot", en)
    assert fresh.metadata == {
        "POT-Creation-Date": "2017-09-25 10:00+0000",
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "en",
        "Language-Team": "English",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "PO-Revision-Date": "2017-09-25 10:00+0000",
    }
    assert fresh.header == "English (en) catalog of a.\nEdit the msgstr lines; pubflow update keeps them."
    assert [e.msgstr for e in fresh] == [""] and not fresh.metadata_is_fuzzy
    del template.metadata["POT-Creation-Date"]
    template.save(str(tmp_path / "a.pot"))
    assert new_catalog(tmp_path / "a.pot", en).metadata["PO-Revision-Date"] == ""


@pytest.fixture
def saving_msgmerge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], Path]:
    """msgmerge on PATH that, the first N times it runs, first appends a translator's save to the catalog."""

    def install(saves: int) -> Path:
        shims = tmp_path / "shims"
        shims.mkdir()
        log = tmp_path / "msgmerge.log"
        real = shutil.which("msgmerge")
        assert real
        (shims / "msgmerge").write_text(
            "#!/bin/sh\n"
            'n=$#\neval "po=\\${$((n - 1))}"\n'
            f"runs=$(cat {log} 2>/dev/null | wc -l)\n"
            f'if [ "$runs" -lt {saves} ]; then\n'
            '  printf \'\\nmsgid "saved %s"\\nmsgstr "in an editor"\\n\' "$runs" >> "$po"\n'
            "fi\n"
            f'echo "$po" >> {log}\n'
            f'exec {real} "$@"\n'
        )
        (shims / "msgmerge").chmod(0o755)
        monkeypatch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
        return log

    return install


def test_update_merges_again_a_catalog_saved_during_its_merge(
    project: Path, saving_msgmerge: Callable[[int], Path]
) -> None:
    config = load_config(project)
    pots = project / "_build" / "pots"
    small_templates(pots, doc=MESSAGES)
    update_catalogs(config, [config.locale("en")], pots)
    path = project / "locale" / "en" / "LC_MESSAGES" / "doc.po"
    translate(path, {MESSAGES[0]: "Cooperation for security."})
    log = saving_msgmerge(2)
    small_templates(pots, doc=MESSAGES[1:])
    result = update_catalogs(config, [config.locale("en")], pots)
    assert log.read_text(encoding="utf-8").splitlines() == [str(path)] * 3
    assert result.remerged == [path, path] and result.updated == [path]
    merged = polib.pofile(str(path))
    assert merged.find("saved 0") is None  # the editor's two saves: kept, and merged (obsolete, no template has them)
    assert [e.msgid for e in merged.obsolete_entries()] == [MESSAGES[0], "saved 0", "saved 1"]
    assert merged.find(MESSAGES[0], include_obsolete_entries=True).msgstr == "Cooperation for security."


def test_update_gives_up_after_three_merges_each_met_by_a_save_and_writes_nothing_over_them(
    project: Path, saving_msgmerge: Callable[[int], Path]
) -> None:
    config = load_config(project)
    pots = project / "_build" / "pots"
    small_templates(pots, doc=MESSAGES)
    update_catalogs(config, [config.locale("en")], pots)
    path = project / "locale" / "en" / "LC_MESSAGES" / "doc.po"
    log = saving_msgmerge(100)
    small_templates(pots, doc=MESSAGES[1:])
    with pytest.raises(ChangedMeanwhile):
        update_catalogs(config, [config.locale("en")], pots)
    assert len(log.read_text(encoding="utf-8").splitlines()) == MERGE_ATTEMPTS == 3
    assert polib.pofile(str(path)).find("saved 2").msgstr == "in an editor"


def test_update_names_a_catalog_without_a_review_record(project: Path) -> None:
    config = load_config(project)
    pots = project / "_build" / "pots"
    small_templates(pots, doc=MESSAGES)
    update_catalogs(config, [config.locale("en")], pots)
    path = project / "locale" / "en" / "LC_MESSAGES" / "doc.po"
    translate(path, {MESSAGES[0]: "Cooperation for security."})
    review.record_path(path).unlink()
    result = update_catalogs(config, [config.locale("en")], pots)
    assert result.unrecorded == [path] and result.unchanged == [path]
    assert review.record_path(path).is_file()
    assert update_catalogs(config, [config.locale("en")], pots).unrecorded == []
    assert record_path(config) == project / "_build" / "cache" / "update.json" and record_path(config).is_file()


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


def test_a_message_fuzzy_before_and_after_a_merge_keeps_one_fuzzy_flag() -> None:
    """msgmerge keeps the flag of a message a translator left fuzzy: carry_flags neither adds it again nor drops
    the translator's own flags around it."""
    old = polib.pofile('msgid ""\nmsgstr ""\n\n#, fuzzy, pubflow-skip-numbers\nmsgid "一"\nmsgstr "One"\n')
    merged = polib.pofile('msgid ""\nmsgstr ""\n\n#, fuzzy\nmsgid "一"\nmsgstr "One"\n')
    assert carry_flags(old, merged) is True
    assert merged.find("一").flags == ["fuzzy", "pubflow-skip-numbers"]
    assert carry_flags(old, merged) is False  # the second time, nothing to put back


def test_update_never_merges_templates_older_than_the_sources(project: Path) -> None:
    """In process, what test_translator_tools.py's test_update_never_merges_stale_templates shows through the
    command: the project's own templates are merged only while extract's stamp vouches for them."""
    config = load_config(project)
    en = config.locale("en")
    small_templates(config.pot_dir, doc=MESSAGES)
    with pytest.raises(PubflowError) as unstamped:
        update_catalogs(config, [en])
    assert unstamped.value.message == (
        "the templates in _build/gettext were not made by pubflow extract from these sources; run pubflow extract first"
    )
    assert unstamped.value.path == config.pot_dir
    assert not (config.locale_dir / "en" / "LC_MESSAGES" / "doc.po").exists()
    stamp = {"sources": sources_digest(config), "templates": templates_digest(config.pot_dir), "tools": tools_digest()}
    (config.pot_dir / STAMP_NAME).write_text(json.dumps(stamp), encoding="utf-8")
    assert update_catalogs(config, [en]).created == [config.locale_dir / "en" / "LC_MESSAGES" / "doc.po"]
    before = {path: path.read_bytes() for path in config.locale_dir.rglob("*") if path.is_file()}
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("人民利益，至高无上。", "人民利益，永远至高无上。"), encoding="utf-8"
    )
    with pytest.raises(PubflowError) as stale:
        update_catalogs(config, [en])
    assert stale.value.message == (
        "docs/ or conf.py changed since the templates were extracted; run pubflow extract first"
    )
    assert {path: path.read_bytes() for path in config.locale_dir.rglob("*") if path.is_file()} == before


def test_update_counts_its_catalogs_in_its_progress_lines(project: Path) -> None:
    """Each locale's catalog of each template is one unit of update's progress: ``update: 3/4 catalogs``."""
    config = load_config(project)
    pots = project / "_build" / "pots"
    small_templates(pots, one=MESSAGES[:2], two=MESSAGES[2:])
    stream = io.StringIO()
    with Reporter(stream=stream, interactive=False).stage("update", "catalog") as meter:
        update_catalogs(config, [config.locale("en"), config.locale("zh_TW")], pots, meter)
    counts = re.findall(r"^pubflow: update: (\d+/\d+) catalogs?, ", stream.getvalue(), re.M)
    assert counts == ["1/4", "2/4", "3/4"], stream.getvalue()
    assert re.search(r"^pubflow: update: done, 4 catalogs in ", stream.getvalue(), re.M), stream.getvalue()
