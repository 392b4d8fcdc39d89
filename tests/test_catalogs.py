"""Extract and update: real Sphinx gettext templates merged by real msgmerge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

from pubflow import fileio
from tests.conftest import ARTICLE, REPO, run_pubflow


def po(project: Path, locale: str, doc: str = ARTICLE) -> polib.POFile:
    return polib.pofile(str(project / "locale" / locale / "LC_MESSAGES" / f"{doc}.po"))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".po", ".pot"}
    }


@pytest.mark.slow
def test_templates_hold_the_source_language_only(project: Path) -> None:
    assert run_pubflow("extract", cwd=project).returncode == 0
    template = polib.pofile(str(project / "_build" / "gettext" / f"{ARTICLE}.pot"))
    msgids = [entry.msgid for entry in template]
    english = {entry.msgstr for entry in po(project, "en") if entry.msgstr}
    assert english, "the shipped English catalog has translations"
    assert not english & set(msgids)
    assert all(not entry.msgstr for entry in template)
    # Title, subtitle and every byline field are translatable messages.
    for message in [
        "全国公安机关国际执法安全合作述评（上）",
        "为全球安全治理贡献“中国力量”",
        "作者：蔡长春",
        "来源：法制日报——法制网",
        "法制网北京9月24日讯",
    ]:
        assert message in msgids
    # The byline's date is formatted from :pubflow-date: in each edition, never translated by hand.
    assert not [msgid for msgid in msgids if "10:15" in msgid]
    # One catalog per document with something to translate (the status page is pubflow's own strings).
    assert sorted(p.name for p in (project / "_build" / "gettext").glob("*.pot")) == [f"{ARTICLE}.pot", "index.pot"]


@pytest.mark.slow
def test_update_keeps_translations_and_marks_what_changed(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("以合作促安全，以安全促发展。", "以合作促进安全，以安全促发展。")
    text = text.replace("捍卫尊严，正义凛然。\n", "")
    text = text.replace("人民利益，至高无上。", "人民利益，至高无上。\n\n新增的一段话。")
    doc.write_text(text, encoding="utf-8")
    before = {e.msgid: e.msgstr for e in po(project, "en")}

    assert run_pubflow("extract", cwd=project).returncode == 0
    result = run_pubflow("update", cwd=project)
    assert result.returncode == 0, result.stderr
    catalog = po(project, "en")

    changed = catalog.find("以合作促进安全，以安全促发展。")
    assert changed is not None
    assert "fuzzy" in changed.flags
    assert changed.previous_msgid == "以合作促安全，以安全促发展。"
    assert changed.msgstr == before["以合作促安全，以安全促发展。"]

    removed = [e for e in catalog.obsolete_entries() if e.msgid == "捍卫尊严，正义凛然。"]
    assert removed and removed[0].msgstr == before["捍卫尊严，正义凛然。"]

    added = catalog.find("新增的一段话。")
    assert added is not None and added.msgstr == "" and "fuzzy" not in added.flags

    kept = catalog.find("人民利益，至高无上。")
    assert kept is not None and kept.msgstr == before["人民利益，至高无上。"] and not kept.fuzzy
    # gettext itself accepts what was written.
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


@pytest.mark.slow
def test_rerunning_extract_and_update_changes_no_byte(project: Path) -> None:
    # Sphinx stamps POT-Creation-Date with the minute of the run (or SOURCE_DATE_EPOCH): the second run
    # is a year later, so only the normalisation of that date keeps the templates and catalogs unchanged.
    a_year_later = {"SOURCE_DATE_EPOCH": "1537833600"}
    assert run_pubflow("extract", cwd=project, env={"SOURCE_DATE_EPOCH": "1506297600"}).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    first = snapshot(project)
    assert run_pubflow("extract", cwd=project, env=a_year_later).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    assert snapshot(project) == first


@pytest.mark.slow
def test_shipped_catalogs_are_what_update_produces(project: Path) -> None:
    before = snapshot(project / "locale")
    assert run_pubflow("extract", cwd=project).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    assert {k: v[0] for k, v in snapshot(project / "locale").items()} == {k: v[0] for k, v in before.items()}


def test_an_interrupted_write_leaves_the_old_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    target.write_text("old complete content\n", encoding="utf-8")

    def power_cut(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "fsync", power_cut)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_atomic(target, "new content that never lands\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old complete content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_every_shipped_catalog_passes_msgfmt_check() -> None:
    catalogs = sorted((REPO / "locale").rglob("*.po"))
    assert len(catalogs) >= 4
    for path in catalogs:
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


@pytest.mark.slow
def test_sphinx_intl_commands_work_on_the_repository(project: Path) -> None:
    sphinx_intl = [str(Path(sys.executable).parent / "sphinx-intl")]
    stat = subprocess.run([*sphinx_intl, "stat"], cwd=project, capture_output=True, text=True, check=True)
    assert f"locale/en/LC_MESSAGES/{ARTICLE}.po:" in stat.stdout
    assert "58 translated, 0 fuzzy, 0 untranslated" in stat.stdout  # the byline date is no message
    subprocess.run([*sphinx_intl, "build"], cwd=project, capture_output=True, text=True, check=True)
    assert (project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.mo").is_file()
    assert (project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.mo").is_file()


@pytest.mark.slow
def test_update_keeps_pubflow_and_translator_flags(project: Path) -> None:
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").flags.append("pubflow-skip-numbers")
    catalog.find("人民利益，至高无上。").flags.append("pubflow-skip-glossary")
    catalog.save()
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("以合作促安全，以安全促发展。", "以合作促安全，以安全促繁荣。"),
        encoding="utf-8",
    )
    assert run_pubflow("extract", cwd=project).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    catalog = po(project, "en")
    changed = catalog.find("以合作促安全，以安全促繁荣。")
    assert changed.flags == ["fuzzy", "pubflow-skip-numbers"]
    assert catalog.find("人民利益，至高无上。").flags == ["pubflow-skip-glossary"]
