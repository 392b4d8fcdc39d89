"""Review state is one truth whatever the tool: Poedit's edits, OmegaT, translate-toolkit (Weblate), msgmerge.

Each test drives the real tool where one is involved: OmegaT in console mode (its project memory,
``omegat/project_save.tmx``, is where its editor keeps a reviewer's work), translate-toolkit's XLIFF
storage as Weblate uses it, GNU msgmerge through ``pubflow update``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from translate.storage import tmx, xliff

from pubflow import review
from pubflow.review import State, load_record, state_of
from tests.conftest import ARTICLE, run_pubflow
from tests.test_exchange import OMEGAT_PROJECT, java_home
from tests.test_memory import SECOND, catalog, make_two_articles

TW_DIR = Path("locale/zh_TW/LC_MESSAGES")
BYLINE = "作者：蔡长春"
PEOPLE = "人民利益，至高无上。"


def as_converted(project: Path) -> Path:
    """The project with its zh_TW catalogs as convert fills them, before any review (the shipped one is reviewed)."""
    for path in (project / TW_DIR).glob("*.po"):
        emptied = polib.pofile(str(path), wrapwidth=0)
        for entry in emptied:
            if not entry.obsolete:
                entry.msgstr, entry.tcomment = "", ""
        emptied.save()
        review.record_path(path).unlink(missing_ok=True)
    run_pubflow("-q", "convert", cwd=project, check=True)
    assert all(state is State.MACHINE for state in states(project).values())
    return project


@pytest.fixture
def converted(project: Path) -> Path:
    return as_converted(project)


def tw(project: Path, document: str = ARTICLE) -> polib.POFile:
    return catalog(project, document, "zh_TW")


def states(project: Path, document: str = ARTICLE, locale: str = "zh_TW") -> dict[str, State]:
    record = load_record(project / "locale" / locale / "LC_MESSAGES" / f"{document}.po")
    return {e.msgid: state_of(e, record) for e in catalog(project, document, locale) if e.msgid and not e.obsolete}


def edit_msgstr_as_poedit_does(path: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> None:
    """Change one msgstr (and, as Poedit's "Needs work", the fuzzy flag); comments stay as they were."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf'((?:#[^\n]*\n)*)(msgid "{re.escape(msgid)}"\nmsgstr ")[^"\n]*(")')
    assert pattern.search(text), msgid

    def change(found: re.Match[str]) -> str:
        comments = found.group(1) + ("#, fuzzy\n" if fuzzy else "")
        return f"{comments}{found.group(2)}{msgstr}{found.group(3)}"

    path.write_text(pattern.sub(change, text, count=1), encoding="utf-8")


def append_glossary_row(project: Path, row: str) -> None:
    with (project / "glossary.csv").open("a", encoding="utf-8") as handle:
        handle.write(row)


@pytest.mark.slow
def test_a_correction_equal_to_a_new_glossary_rows_output_stays_a_persons(converted: Path) -> None:
    """Case 1: corrected under the note in Poedit, then a glossary row that gives the same text, then another."""
    project = converted
    path = project / TW_DIR / f"{ARTICLE}.po"
    assert states(project)[PEOPLE] is State.MACHINE
    edit_msgstr_as_poedit_does(path, PEOPLE, "人民權益，至高無上。")
    append_glossary_row(project, "人民利益,,人民權益,,\n")  # OpenCC now writes exactly the reviewer's text
    run_pubflow("convert", cwd=project, check=True)
    entry = tw(project).find(PEOPLE)
    assert entry.msgstr == "人民權益，至高無上。" and states(project)[PEOPLE] is State.PERSON
    assert not review.has_note(entry)  # the note of machine output went with the adoption
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(",人民權益,", ",人民福祉,"), encoding="utf-8")
    run_pubflow("convert", cwd=project, check=True)
    assert tw(project).find(PEOPLE).msgstr == "人民權益，至高無上。"  # never overwritten


@pytest.mark.slow
def test_needs_work_set_in_poedit_is_kept_by_convert(converted: Path) -> None:
    """Case 5: "Needs work" is #, fuzzy on machine output; convert keeps it, with nothing changed or new rules."""
    project = converted
    path = project / TW_DIR / f"{ARTICLE}.po"
    machine_text = tw(project).find(PEOPLE).msgstr
    edit_msgstr_as_poedit_does(path, PEOPLE, machine_text, fuzzy=True)
    saved = path.read_bytes()
    result = run_pubflow("convert", cwd=project, check=True)
    assert path.read_bytes() == saved and "0 re-converted" in result.stderr
    assert "1 message(s) of machine output a reviewer marked fuzzy (needs work): kept so" in result.stderr
    append_glossary_row(project, "人民利益,,人民權益,,\n")  # new rules: the new output, still needing work
    run_pubflow("convert", cwd=project, check=True)
    entry = tw(project).find(PEOPLE)
    assert entry.msgstr == "人民權益，至高無上。" and entry.fuzzy and review.has_note(entry)


@pytest.mark.slow
def test_a_new_paragraph_like_a_reviewed_one_is_converted_not_taken_from_it(converted: Path) -> None:
    """Case 4: msgmerge fills a new paragraph with a similar reviewed one's text (fuzzy); convert converts it."""
    project = converted
    path = project / TW_DIR / f"{ARTICLE}.po"
    reviewed, reviewed_text = "以合作促安全，以安全促发展。", "以合作促進安全，以安全促進發展。"
    edit_msgstr_as_poedit_does(path, reviewed, reviewed_text)
    run_pubflow("-q", "convert", cwd=project, check=True)  # adopted: a person's now
    assert states(project)[reviewed] is State.PERSON
    new = "以合作促安全，以安全促稳定。"
    doc = project / "docs" / f"{ARTICLE}.rst"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(f"{reviewed}\n", f"{reviewed}\n\n{new}\n", 1), encoding="utf-8")
    run_pubflow("-q", "update", "--no-memory", cwd=project, check=True)
    copied = tw(project).find(new)
    assert copied.fuzzy and copied.msgstr == reviewed_text and copied.previous_msgid == reviewed  # msgmerge's copy
    run_pubflow("convert", cwd=project, check=True)
    after = tw(project)
    assert after.find(new).msgstr == "以合作促安全，以安全促穩定。" and not after.find(new).fuzzy
    assert states(project)[new] is State.MACHINE and review.has_note(after.find(new))
    assert after.find(reviewed).msgstr == reviewed_text and states(project)[reviewed] is State.PERSON
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    assert "source changed" not in check.stdout and "以安全促稳定" not in check.stdout
    # In English, a person translates it: msgmerge's guess is named for what it is, not a changed source.
    check = run_pubflow("check", "--no-stale", "-l", "en", cwd=project)
    line = next(ln for ln in check.stdout.splitlines() if "以安全促稳定" in ln)
    assert "a new message, filled with the translation of a similar one (以合作促安全，以安全促发展。)" in line


@pytest.mark.slow
def test_the_converted_warning_names_an_edit_under_the_note_for_what_it_is(converted: Path) -> None:
    """Case 8: a record that has an entry is not said to have none."""
    project = converted
    path = project / TW_DIR / f"{ARTICLE}.po"
    edit_msgstr_as_poedit_does(path, PEOPLE, "人民的利益，至高無上。")
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    line = next(ln for ln in check.stdout.splitlines() if f":{tw(project).find(PEOPLE).linenum}: converted" in ln)
    assert "has no entry" not in line and "no longer what its review record says pubflow wrote" in line


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = as_converted(make_two_articles(tmp_path_factory.mktemp("review-state")))
    run_pubflow("-q", "memory", cwd=project, check=True)
    return project


@pytest.fixture
def second(two_articles: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(two_articles, tmp_path / "project"))


@pytest.mark.slow
def test_a_persons_edit_of_a_memory_proposal_loses_the_machine_note(second: Path) -> None:
    """Case 7: the .po, the record and the XLIFF export agree that the edit is a person's."""
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    assert states(second, SECOND, "en")[BYLINE] is State.MACHINE
    edit_msgstr_as_poedit_does(path, BYLINE, "By Cai Changchun, Legal Daily")
    result = run_pubflow("memory", "-l", "en", cwd=second, check=True)
    assert "1 proposal(s) a person edited or approved since: now theirs, their note removed" in result.stderr
    entry = catalog(second).find(BYLINE)
    assert entry.msgstr == "By Cai Changchun, Legal Daily" and not review.has_note(entry)
    assert "pubflow memory:" not in (entry.tcomment or "")
    assert states(second, SECOND, "en")[BYLINE] is State.PERSON
    exported = second / "en.xlf"
    run_pubflow("-q", "xliff", "export", "-l", "en", SECOND, "-o", str(exported), cwd=second, check=True)
    unit = next(u for u in xliff.xlifffile.parsefile(str(exported)).units if u.source == BYLINE)
    assert 'state="final"' in str(unit) and unit.isapproved()


def test_needs_work_on_a_memory_proposal_is_kept_by_the_memory(second: Path) -> None:
    """Case 5 for the memory: an exact match a reviewer marked fuzzy is not proposed over."""
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    proposal = catalog(second).find(BYLINE)
    assert not proposal.fuzzy and states(second, SECOND, "en")[BYLINE] is State.MACHINE
    edit_msgstr_as_poedit_does(path, BYLINE, proposal.msgstr, fuzzy=True)
    saved = path.read_bytes()
    result = run_pubflow("memory", "-l", "en", cwd=second, check=True)
    assert "0 exact" in result.stderr
    assert path.read_bytes() == saved
    entry = catalog(second).find(BYLINE)
    assert entry.fuzzy and entry.msgstr == proposal.msgstr and review.has_note(entry)


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en", "zh_TW"])
def test_an_approval_as_weblate_writes_it_is_honoured(second: Path, locale: str) -> None:
    """Case 3: translate-toolkit's markapproved (Weblate's approval) sets approved="yes" and leaves the state."""
    document = SECOND if locale == "en" else ARTICLE
    exported = second / f"{locale}.xlf"
    run_pubflow("-q", "xliff", "export", "-l", locale, document, "-o", str(exported), cwd=second, check=True)
    before = states(second, document, locale)
    machine = sorted(msgid for msgid, state in before.items() if state is State.MACHINE)
    chosen = BYLINE if locale == "en" else PEOPLE
    assert chosen in machine
    store = xliff.xlifffile.parsefile(str(exported))
    unit = next(u for u in store.units if u.source == chosen)
    unit.markapproved(True)
    store.savefile(str(exported))
    text = exported.read_text(encoding="utf-8")
    at = text.index(f"<source>{chosen}</source>")
    unit_text = text[text.rindex("<trans-unit", 0, at) : text.index("</trans-unit>", at)]
    assert 'approved="yes"' in unit_text and 'state="needs-review-translation"' in unit_text  # as Weblate leaves it
    result = run_pubflow("xliff", "import", str(exported), cwd=second, check=True)
    assert "1 message(s) changed" in result.stderr and "1 of them approved in the CAT tool" in result.stderr
    after = states(second, document, locale)
    assert after[chosen] is State.PERSON
    assert [m for m in machine if after[m] is State.MACHINE] == [m for m in machine if m != chosen]


# -- OmegaT reviewing zh_TW ------------------------------------------------------------------

CORRECTED = "捍卫尊严，正义凛然。"
CORRECTION = "捍衛尊嚴，正氣凜然。"


@pytest.fixture(scope="module")
def omegat_review(two_articles: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A zh_TW review of the second article in OmegaT: XLIFF and TMX from pubflow, the reviewer's work, one run."""
    project = Path(shutil.copytree(two_articles, tmp_path_factory.mktemp("omegat-tw") / "project"))
    # A reviewer's text in the first article: a person's pair, which the memory for OmegaT carries.
    edit_msgstr_as_poedit_does(project / TW_DIR / f"{ARTICLE}.po", BYLINE, "作者：蔡長春（法制日報記者）")
    run_pubflow("-q", "convert", cwd=project, check=True)
    omegat = project / "omegat-project"
    for folder in ["source", "tm/auto", "tm/mt", "glossary", "target", "omegat", "dictionary"]:
        (omegat / folder).mkdir(parents=True)
    settings = OMEGAT_PROJECT.replace("<target_lang>en</target_lang>", "<target_lang>zh-TW</target_lang>")
    (omegat / "omegat.project").write_text(settings, encoding="utf-8")
    source = omegat / "source" / f"{SECOND}.xlf"
    run_pubflow("-q", "xliff", "export", "-l", "zh_TW", "--copy-source", SECOND, "-o", str(source), cwd=project,
                check=True)  # fmt: skip
    run_pubflow("-q", "tmx", "export", "-l", "zh_TW", "-o", str(omegat / "tm" / "auto" / "pubflow.tmx"),
                "--machine-output", str(omegat / "tm" / "mt" / "machine.tmx"), cwd=project, check=True)  # fmt: skip
    second = tw(project, SECOND)
    approved = "人民利益，至高无上。"
    # What OmegaT's editor saves when the reviewer types a correction and accepts the machine proposal as it is.
    work = [(CORRECTED, CORRECTION), (approved, second.find(approved).msgstr)]
    units = "".join(
        f'<tu><tuv lang="zh-CN"><seg>{s}</seg></tuv><tuv lang="zh-TW" changeid="reviewer" '
        f'changedate="20261207T210000Z"><seg>{t}</seg></tuv></tu>\n'
        for s, t in work
    )
    (omegat / "omegat" / "project_save.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.1"><header creationtool="OmegaT" '
        'o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="3.6" segtype="paragraph" '
        f'srclang="zh-CN"/><body>\n{units}</body></tmx>\n',
        encoding="utf-8",
    )
    before = states(project, SECOND)
    environment = {**os.environ, "HOME": str(tmp_path_factory.mktemp("home")), "JAVA_HOME": java_home()}
    run = subprocess.run(["omegat", "--mode=console-translate", str(omegat)], capture_output=True, text=True,
                         timeout=300, check=False, env=environment)  # fmt: skip
    translated = omegat / "target" / source.name
    assert run.returncode == 0 and translated.is_file(), run.stdout + run.stderr
    imported = run_pubflow("xliff", "import", str(translated), cwd=project, check=True)
    return {"project": project, "omegat": omegat, "before": before, "approved": approved, "imported": imported}


@pytest.mark.slow
def test_omegat_never_takes_machine_output_from_the_memory_for_a_persons(omegat_review: dict[str, object]) -> None:
    """Case 2: the TMX for tm/auto holds a person's pairs only; machine output goes to tm/mt/, which OmegaT
    offers but never inserts."""
    omegat, project = Path(str(omegat_review["omegat"])), Path(str(omegat_review["project"]))
    people = tmx.tmxfile.parsefile(str(omegat / "tm" / "auto" / "pubflow.tmx"))
    assert [(u.source, u.target) for u in people.units] == [(BYLINE, "作者：蔡長春（法制日報記者）")]
    machine = tmx.tmxfile.parsefile(str(omegat / "tm" / "mt" / "machine.tmx"))
    assert len(machine.units) > 50 and ("捍卫尊严，正义凛然。", "捍衛尊嚴，正義凜然。") in {
        (u.source, u.target) for u in machine.units
    }
    after = states(project, SECOND)
    before = omegat_review["before"]
    assert isinstance(before, dict)
    became_persons = {m for m, state in after.items() if state is State.PERSON and before[m] is not State.PERSON}
    # Only the reviewer's two segments and the one the person's memory matched: no machine text became a person's.
    assert became_persons == {CORRECTED, str(omegat_review["approved"]), BYLINE}


def test_omegat_reviews_zh_tw_against_the_simplified_source(omegat_review: dict[str, object]) -> None:
    """Case 6: OmegaT's segment source is the Simplified text; a correction is a person's, an acceptance approves."""
    omegat, project = Path(str(omegat_review["omegat"])), Path(str(omegat_review["project"]))
    exported = xliff.xlifffile.parsefile(str(omegat / "source" / f"{SECOND}.xlf"))
    unit = next(u for u in exported.units if u.source == CORRECTED)
    assert unit.target == CORRECTED  # what OmegaT shows as the segment's source: the Simplified original
    assert "to review: 捍衛尊嚴，正義凜然。" in unit.getnotes()
    after = tw(project, SECOND)
    corrected, approved = after.find(CORRECTED), after.find(str(omegat_review["approved"]))
    assert corrected.msgstr == CORRECTION and not corrected.fuzzy and not review.has_note(corrected)
    assert approved.msgstr == "人民利益，至高無上。" and not approved.fuzzy and not review.has_note(approved)
    assert "1 of them approved in the CAT tool" in omegat_review["imported"].stderr  # type: ignore[attr-defined]
    # Every unit the reviewer did not touch came back as its source and changed nothing.
    assert all(state is State.MACHINE for m, state in states(project, SECOND).items()
               if m not in {CORRECTED, str(omegat_review["approved"]), BYLINE})  # fmt: skip


# -- Weblate's wrapping ----------------------------------------------------------------------


def committed_by_weblate(path: Path, width: int = 77) -> bytes:
    """The catalog as Weblate commits it after a change to every message: translate-toolkit's po storage."""
    from translate.storage import pypo

    store = pypo.pofile(width=width)
    store.parse(path.read_bytes())
    for unit in store.units:
        if not unit.isheader():
            target = unit.target
            unit.target = target + "…"  # a translator's edit, then undone: the unit is written anew
            unit.target = target
    return bytes(store)


@pytest.mark.slow
def test_the_translate_toolkit_wrap_style_is_weblates_own_layout(project: Path) -> None:
    """Case 9: format and update lay catalogs out so that Weblate's next commit re-wraps no message."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text.replace("[tool.pubflow]\n", '[tool.pubflow]\nwrap-width = 77\nwrap-style = "translate-toolkit"\n', 1),
        encoding="utf-8",
    )
    catalogs = sorted((project / "locale").rglob("*.po"))
    assert any(committed_by_weblate(path) != path.read_bytes() for path in catalogs)  # unwrapped as shipped
    run_pubflow("format", cwd=project, check=True)
    for path in catalogs:
        assert committed_by_weblate(path) == path.read_bytes(), path
    # A source edit merged by update (and the conversion of its zh_TW message): still Weblate's layout.
    doc = project / "docs" / f"{ARTICLE}.rst"
    changed = "没有一个国家能实现脱离世界安全的自身安全"
    doc.write_text(doc.read_text(encoding="utf-8").replace(changed, changed + "，这是共识"), encoding="utf-8")
    run_pubflow("-q", "update", cwd=project, check=True)
    run_pubflow("-q", "convert", cwd=project, check=True)
    merged = [p for p in catalogs if "这是共识" in p.read_text(encoding="utf-8")]
    assert len(merged) == 2
    for path in catalogs:
        assert committed_by_weblate(path) == path.read_bytes(), path
    assert run_pubflow("format", "--check", cwd=project).returncode == 0
    # msgcat's wrapping at any width is not Weblate's: why the style exists.
    widths = [w for w in (76, 77, 78, 79, 80) if subprocess.run(
        ["msgcat", f"--width={w}", str(merged[1])], capture_output=True, check=True
    ).stdout == merged[1].read_bytes()]  # fmt: skip
    assert widths == []
