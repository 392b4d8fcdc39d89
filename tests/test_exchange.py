"""Exchange with CAT tools: XLIFF 1.2, TMX 1.4b and TBX, read by translate-toolkit and used by a real OmegaT."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from translate.storage import tmx, xliff

from pubflow.review import State, load_record, state_of
from tests.conftest import ARTICLE, REPO, run_pubflow
from tests.test_memory import CHANGED_SOURCE, SECOND, catalog, make_two_articles

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>source</source_dir>
    <source_dir_excludes/>
    <target_dir>target</target_dir>
    <tm_dir>tm</tm_dir>
    <glossary_dir>glossary</glossary_dir>
    <glossary_file>glossary/glossary.tbx</glossary_file>
    <dictionary_dir>dictionary</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

# OmegaT's own TBX reader, as its glossary pane calls it, on a project's languages.
READ_TBX = """
import org.omegat.core.Core
import org.omegat.core.data.RealProject
import org.omegat.util.ProjectFileStorage
import org.omegat.gui.glossary.GlossaryReaderTBX
Core.setProject(new RealProject(ProjectFileStorage.loadProjectProperties(new File(args[0]))))
for (e in GlossaryReaderTBX.read(new File(args[1]), false)) {
  println(e.getSrcText() + "\\t" + e.getLocText() + "\\t" + e.getCommentText().replace("\\n", " "))
}
"""


def java_home() -> str:
    java = shutil.which("java")
    assert java, "java is missing: scripts/setup.sh installs omegat and its Java runtime (scripts/dev-packages.sh)"
    return str(Path(os.path.realpath(java)).parents[1])


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One OmegaT project, one console run: pubflow's XLIFF, TMX and termbase in, OmegaT's XLIFF out."""
    project = make_two_articles(tmp_path_factory.mktemp("omegat"))
    omegat = project / "omegat-project"
    for folder in ["source", "tm/auto", "glossary", "target", "omegat", "dictionary"]:
        (omegat / folder).mkdir(parents=True)
    (omegat / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    exported = omegat / "source" / f"{SECOND}.xlf"
    run_pubflow("-q", "xliff", "export", "-l", "en", "--copy-source", SECOND, "-o", str(exported), cwd=project,
                check=True)  # fmt: skip
    # tm/auto: OmegaT fills every unit its memory matches exactly. One target language, as OmegaT
    # takes any tuv of another language than the source as a translation.
    run_pubflow(
        "-q", "tmx", "export", "-l", "en", "-o", str(omegat / "tm" / "auto" / "pubflow.tmx"), cwd=project, check=True
    )
    run_pubflow("-q", "tbx", "export", "-l", "en", "-o", str(omegat / "glossary" / "glossary.tbx"), cwd=project,
                check=True)  # fmt: skip
    # OmegaT keeps preferences and logs in ~/.omegat: a home of its own leaves the user's alone.
    java_env = {**os.environ, "HOME": str(tmp_path_factory.mktemp("home")), "JAVA_HOME": java_home()}
    result = subprocess.run(
        ["omegat", "--mode=console-translate", str(omegat)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=java_env,
    )
    assert result.returncode == 0 and (omegat / "target" / f"{SECOND}.xlf").is_file(), result.stdout + result.stderr
    glossary = subprocess.run(
        ["groovy", "-cp", "/usr/share/omegat/OmegaT.jar", "-e", READ_TBX, str(omegat), str(omegat / "glossary" /
         "glossary.tbx")],
        capture_output=True, text=True, timeout=300, check=False, env=java_env,
    )  # fmt: skip
    assert glossary.returncode == 0, glossary.stderr
    (omegat / "glossary-read-by-omegat.txt").write_text(glossary.stdout, encoding="utf-8")
    return {"project": project, "omegat": omegat, "exported": exported, "translated": omegat / "target" / exported.name}


def copy_of(omegat_run: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(omegat_run["project"], tmp_path / "project"))


def test_omegat_fills_units_from_its_memory_and_pubflow_imports_them(
    omegat_run: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_of(omegat_run, tmp_path)
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    before = catalog(project)
    assert not before.find("作者：蔡长春").msgstr
    result = run_pubflow("xliff", "import", str(omegat_run["translated"]), cwd=project, check=True)
    after = catalog(project)
    filled = [e for e in after if e.msgstr]
    first = {e.msgid: e.msgstr for e in catalog(project, ARTICLE)}
    assert after.find("作者：蔡长春").msgstr == "By Cai Changchun" and not after.find("作者：蔡长春").fuzzy
    # Exactly the units OmegaT's memory matched: every message the first article has, nothing else.
    assert {e.msgid for e in filled} == {e.msgid for e in after if e.msgid in first}
    assert not after.find(CHANGED_SOURCE).msgstr
    assert f"{len(filled)} message(s) changed" in result.stderr
    record = load_record(path)
    assert all(state_of(e, record) is State.PERSON for e in filled)  # work done in a CAT tool is a person's


def test_omegat_loads_the_termbase(omegat_run: dict[str, Path]) -> None:
    lines = (omegat_run["omegat"] / "glossary-read-by-omegat.txt").read_text(encoding="utf-8").splitlines()
    entries: dict[str, set[tuple[str, str]]] = {}
    for line in lines:
        source, target, note = line.split("\t")
        entries.setdefault(source, set()).add((target, note))
    assert entries["蔡长春"] == {("Cai Changchun", "Person: the author, a Legal Daily reporter.")}
    assert {target for target, _note in entries["公安部"]} == {
        "Ministry of Public Security",
        "Minister of Public Security",
    }
    assert len(entries) == 99 and all(target for found in entries.values() for target, _note in found)  # none empty


def test_translate_toolkit_reads_the_xliff_states_notes_and_context(
    omegat_run: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_of(omegat_run, tmp_path)
    path = project / "_build" / "en.xlf"
    run_pubflow("memory", "-l", "en", cwd=project, check=True)
    run_pubflow("xliff", "export", "-l", "en", "-o", str(path), cwd=project, check=True)
    store = xliff.xlifffile.parsefile(str(path))
    all_units = [u for u in store.units if not u.isheader()]
    units = {u.source: u for u in all_units if SECOND in u.getlocations()[0]}
    messages = sum(1 for p in (project / "locale" / "en" / "LC_MESSAGES").glob("*.po") for e in polib.pofile(str(p)) if
                   e.msgid and not e.obsolete)  # fmt: skip
    assert len(all_units) == messages
    byline, close = units["作者：蔡长春"], units[CHANGED_SOURCE]
    persons = next(u for u in all_units if u.source == "作者：蔡长春" and ARTICLE in u.getlocations()[0])
    assert persons.istranslated() and persons.target == "By Cai Changchun"
    # Memory output, exact or close, needs a person's review: translate-toolkit (Weblate) sees it fuzzy.
    assert byline.isfuzzy() and byline.target == "By Cai Changchun" and close.isfuzzy()
    assert "pubflow memory: 100%" in byline.getnotes()
    assert "glossary: 蔡长春 = Cai Changchun" in byline.getnotes()
    assert byline.getlocations() == [f"../../docs/{SECOND}.rst:16"]
    text = path.read_text(encoding="utf-8")
    assert 'state="needs-review-translation" state-qualifier="fuzzy-match"' in text
    assert 'state="needs-review-translation" state-qualifier="leveraged-tm"' in text
    assert 'state="translated"' in text or 'state="final"' in text


def xliff_project(omegat_run: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    project = copy_of(omegat_run, tmp_path)
    run_pubflow("-q", "memory", cwd=project, check=True)
    path = project / "en.xlf"
    run_pubflow("-q", "xliff", "export", "-l", "en", SECOND, "-o", str(path), cwd=project, check=True)
    return project, path


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((project / "locale").rglob("*")) if p.is_file()}


def test_import_changes_exactly_the_changed_units(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    project, path = xliff_project(omegat_run, tmp_path)
    before = snapshot(project)
    assert run_pubflow("xliff", "import", str(path), cwd=project, check=True).returncode == 0
    assert snapshot(project) == before  # a round trip changes no byte
    store = xliff.xlifffile.parsefile(str(path))
    units = {u.source: u for u in store.units if not u.isheader()}
    units[CHANGED_SOURCE].target = "Cooperation for security, security for further development."
    units[CHANGED_SOURCE].markfuzzy(False)
    store.savefile(str(path))  # written back by translate-toolkit, as Weblate would
    run_pubflow("xliff", "import", str(path), cwd=project, check=True)
    after = snapshot(project)
    changed = [name for name in after if after[name] != before.get(name)]
    assert sorted(Path(name).name for name in changed) == [f"{SECOND}.po", f"{SECOND}.review.json"]
    po_before = polib.pofile(before[str(project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po")].decode())
    po_after = catalog(project)
    differing = [e.msgid for e in po_after if (e.msgstr, e.fuzzy) != (po_before.find(e.msgid).msgstr,
                                                                      po_before.find(e.msgid).fuzzy)]  # fmt: skip
    assert differing == [CHANGED_SOURCE]
    assert po_after.find(CHANGED_SOURCE).msgstr == "Cooperation for security, security for further development."


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: t.replace(">作者：蔡长春<", ">作者：蔡长春同志<"), "its source no longer matches"),
        (lambda t: t.replace('id="m', 'id="x', 1), "unknown unit"),
        (lambda t: t.replace("</body>", "", 1), "malformed XLIFF file"),
        (lambda t: t.replace('encoding="UTF-8"', 'encoding="KLINGON"', 1), "malformed XLIFF file: unknown encoding"),
        (lambda t: t.replace("<xliff", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff', 1),
         "refused"),
    ],
    ids=["changed-source", "unknown-unit", "malformed", "unknown-encoding", "external-entity"],
)  # fmt: skip
def test_import_refuses_and_changes_nothing(omegat_run: dict[str, Path], tmp_path: Path, mangle, message) -> None:  # type: ignore[no-untyped-def]
    project, path = xliff_project(omegat_run, tmp_path)
    text = path.read_text(encoding="utf-8")
    # A real change in the same file, which must not be applied either.
    text = text.replace(">By Cai Changchun<", ">By CAI Changchun<", 1)
    mangled = mangle(text)
    path.write_text(mangled, encoding="utf-8")
    before = snapshot(project)
    result = run_pubflow("xliff", "import", str(path), cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr
    if not message.startswith("malformed XLIFF file") and message != "refused":
        # names the unit and the line its <trans-unit> starts on, as a CAT tool's user looks for it
        marker = ">作者：蔡长春同志<" if message == "its source no longer matches" else 'id="x'
        unit_start = mangled.rindex("<trans-unit", 0, mangled.index(marker))
        line = mangled.count("\n", 0, unit_start) + 1
        assert line > 1 and f"{path.name}:{line}: unit " in result.stderr, result.stderr
    assert snapshot(project) == before


def test_source_changed_since_export_is_named(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    project, path = xliff_project(omegat_run, tmp_path)
    document = project / "docs" / f"{SECOND}.rst"
    document.write_text(document.read_text(encoding="utf-8").replace("作者：蔡长春", "作者：蔡长春 记者"), "utf-8")
    run_pubflow("-q", "extract", cwd=project, check=True)
    run_pubflow("-q", "update", "--no-memory", cwd=project, check=True)
    before = snapshot(project)
    result = run_pubflow("xliff", "import", str(path), cwd=project)
    assert result.returncode == 2 and "its source changed" in result.stderr and "作者：蔡长春 记者" in result.stderr
    assert snapshot(project) == before


def save_catalog_as_poedit_would(project: Path, msgid: str, msgstr: str) -> None:
    po = catalog(project)
    po.find(msgid).msgstr = msgstr
    po.save()


def test_an_old_export_never_undoes_later_work(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    """A file exported before a person's edit in the catalog keeps that edit: only the file's own changes come in."""
    project, path = xliff_project(omegat_run, tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    units = {u.source: u for u in store.units if not u.isheader()}
    edited, other = "作者：蔡长春", CHANGED_SOURCE
    units[other].target = "Cooperation for security, security for development."
    units[other].markfuzzy(False)
    store.savefile(str(path))
    save_catalog_as_poedit_would(project, edited, "By CAI Changchun")  # after the export
    result = run_pubflow("xliff", "import", str(path), cwd=project, check=True)
    after = catalog(project)
    assert after.find(edited).msgstr == "By CAI Changchun"  # the later edit stands
    assert after.find(other).msgstr == "Cooperation for security, security for development."  # the file's own
    assert "kept 1 message(s) changed in the catalogs since this file was exported" in result.stderr
    # Changed in both places: refused, naming the unit, nothing written.
    units[edited].target = "By Cai Changchun (Legal Daily)"
    store.savefile(str(path))
    save_catalog_as_poedit_would(project, other, "Cooperation for security; security for development.")
    before = snapshot(project)
    result = run_pubflow("xliff", "import", str(path), cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "changed in locale/en/LC_MESSAGES" in result.stderr and "since the export" in result.stderr
    assert "'By CAI Changchun'" in result.stderr and "export again" in result.stderr
    assert snapshot(project) == before


def test_machine_output_approved_in_the_cat_tool_becomes_a_persons(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    project, path = xliff_project(omegat_run, tmp_path)
    po_path = project / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    byline = "作者：蔡长春"
    assert state_of(catalog(project).find(byline), load_record(po_path)) is State.MACHINE  # a memory proposal
    machine_before = [e.msgid for e in catalog(project) if state_of(e, load_record(po_path)) is State.MACHINE]
    store = xliff.xlifffile.parsefile(str(path))
    unit = next(u for u in store.units if u.source == byline)
    unit.markfuzzy(False)  # approved as it stands, as Weblate or translate-toolkit marks it
    store.savefile(str(path))
    result = run_pubflow("xliff", "import", str(path), cwd=project, check=True)
    assert "1 of them approved in the CAT tool" in result.stderr
    record, after = load_record(po_path), catalog(project)
    entry = after.find(byline)
    assert entry.msgstr == "By Cai Changchun" and state_of(entry, record) is State.PERSON
    assert "pubflow memory" not in (entry.tcomment or "")
    # Every other machine message is still machine output: a unit left alone approves nothing.
    assert [e.msgid for e in after if state_of(e, record) is State.MACHINE] == [
        m for m in machine_before if m != byline
    ]


def test_a_target_with_a_line_break_msgfmt_would_reject_is_refused(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    project, path = xliff_project(omegat_run, tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(">By Cai Changchun<", ">By Cai Changchun\n<", 1), encoding="utf-8")
    before = snapshot(project)
    result = run_pubflow("xliff", "import", str(path), cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unit m" in result.stderr and "line break" in result.stderr and "msgfmt" in result.stderr
    assert snapshot(project) == before


def test_a_control_character_xml_cannot_carry_stops_the_export(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    """msgfmt accepts a form feed in a msgstr; XML 1.0 cannot hold one, and an unreadable file must not be written."""
    project = copy_of(omegat_run, tmp_path)
    po = catalog(project, ARTICLE)
    po.find("作者：蔡长春").msgstr = "By Cai\fChangchun"
    po.save()
    line = next(e.linenum for e in catalog(project, ARTICLE) if e.msgid == "作者：蔡长春")
    result = run_pubflow("xliff", "export", "-l", "en", "-o", "x.xlf", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"locale/en/LC_MESSAGES/{ARTICLE}.po:{line}: this message holds U+000C" in result.stderr
    result = run_pubflow("tmx", "export", "-l", "en", "-o", "x.tmx", cwd=project)
    assert result.returncode == 2 and "x.tmx: cannot be written: 'By Cai\\x0cChangchun' holds U+000C" in result.stderr
    assert not (project / "x.xlf").exists() and not (project / "x.tmx").exists()


def test_tmx_has_every_pair_of_every_locale(omegat_run: dict[str, Path], tmp_path: Path) -> None:
    """A person's pairs in the memory file; machine output not yet reviewed only in a file of its own."""
    path, machine_path = tmp_path / "memory.tmx", tmp_path / "machine.tmx"
    project = copy_of(omegat_run, tmp_path)
    run_pubflow("-q", "convert", cwd=project, check=True)  # the second article's zh_TW: OpenCC's, not reviewed
    run_pubflow("-q", "tmx", "export", "-o", str(path), "--machine-output", str(machine_path), cwd=project, check=True)
    store, machine_store = tmx.tmxfile.parsefile(str(path)), tmx.tmxfile.parsefile(str(machine_path))
    text, machine_text = path.read_text(encoding="utf-8"), machine_path.read_text(encoding="utf-8")
    assert 'srclang="zh-CN"' in text and 'xml:lang="en"' in text and 'xml:lang="zh-TW"' in machine_text
    pairs: dict[bool, set[tuple[str, str, str]]] = {True: set(), False: set()}
    for locale in ["en", "zh_TW"]:
        for po in (project / "locale" / locale / "LC_MESSAGES").glob("*.po"):
            record = load_record(po)
            for e in polib.pofile(str(po)):
                if e.translated() and not e.obsolete:
                    pairs[state_of(e, record) is State.MACHINE].add((locale, e.msgid, e.msgstr))
    assert len(store.units) == len(pairs[False]) > 60 and "x-pubflow-review" not in text
    assert len(machine_store.units) == len(pairs[True]) > 50 and machine_text.count(">machine</prop>") == len(
        pairs[True]
    )
    english = {(u.source, u.target) for u in store.units}
    assert ("作者：蔡长春", "By Cai Changchun") in english


@pytest.mark.parametrize(
    "verb",
    [["memory"], ["xliff", "export"], ["xliff", "import"], ["tmx", "export"], ["tmx", "import"], ["tbx", "export"]],
    ids=" ".join,
)
def test_each_exchange_verb_has_help_with_an_example(verb: list[str]) -> None:
    result = run_pubflow(*verb, "--help", cwd=REPO)
    assert result.returncode == 0 and f"usage: pubflow {' '.join(verb)}" in result.stdout
    assert "example: pubflow" in result.stdout
