"""Catalogs saved by translators' real tools: review state kept, a person's text never overwritten, no churn.

The tools are the real ones: GNU gettext's msgcat (default options, as Poedit
and powrap write: 79 columns, unknown flags dropped), translate-toolkit's po
storage (as Weblate loads and saves), Babel's read_po/write_po, polib, and an
XLIFF round trip through translate-toolkit's po2xliff/xliff2po. They run on the
shipped catalogs brought to a state that has everything at once: fuzzy entries
with previous msgids, skip flags, a reviewed zh_TW message and machine output.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po
from translate.storage import po as ttk_po

from pubflow import review
from pubflow.config import ProjectConfig, load_config
from pubflow.convert import convert_catalogs
from pubflow.extract import extract_templates
from pubflow.update import update_catalogs
from tests.conftest import ARTICLE, as_before_review, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

TW = Path("locale/zh_TW/LC_MESSAGES") / f"{ARTICLE}.po"
EN = Path("locale/en/LC_MESSAGES") / f"{ARTICLE}.po"
REVIEWED = "以合作促安全，以安全促发展。"  # a zh_TW message a reviewer rewrote
REVIEWED_TEXT = "以合作促進安全，以安全促進發展。"
MACHINE = "在合作中共赢，在合作中前进。"  # machine output, its source edited later
VENV_BIN = Path(sys.executable).parent


def _edit_doc(project: Path, old: str, new: str) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    text = doc.read_text(encoding="utf-8")
    assert old in text
    doc.write_text(text.replace(old, new), encoding="utf-8")


def _edit_catalog(path: Path, change: Callable[[polib.POFile], None]) -> None:
    catalog = polib.pofile(str(path), wrapwidth=0)
    change(catalog)
    catalog.save()


@pytest.fixture
def project(unreviewed_project: Path) -> Path:
    """What tools do to machine output is tested on the project as it was before its zh_TW review."""
    return unreviewed_project


@pytest.fixture(scope="session")
def rich_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unreviewed project after one review, skip flags and two source edits: a fixpoint of update and convert."""
    project = as_before_review(copy_project(tmp_path_factory.mktemp("tools") / "project"))

    def tw(catalog: polib.POFile) -> None:
        reviewed = catalog.find(REVIEWED)
        reviewed.msgstr, reviewed.tcomment = REVIEWED_TEXT, ""
        catalog.find("人民利益，至高无上。").flags.append("pubflow-skip-numbers")

    def en(catalog: polib.POFile) -> None:
        catalog.find("人民利益，至高无上。").flags.append("pubflow-skip-glossary")

    _edit_catalog(project / TW, tw)
    _edit_catalog(project / EN, en)
    _edit_doc(project, REVIEWED, "以合作促安全，以安全促繁荣发展。")  # reviewed + en turn fuzzy, with #| msgid
    for verb in ["extract", "update", "convert"]:
        run_pubflow(verb, cwd=project, check=True)
    # A second set of templates in which one machine-converted message changed, for the diff test.
    edited = copy_project(project.parent / "edited")
    shutil.copytree(project / "docs", edited / "docs", dirs_exist_ok=True)
    _edit_doc(edited, MACHINE, "在合作中共赢，更在合作中前进。")
    extract_templates(load_config(edited))
    shutil.copytree(edited / "_build" / "gettext", project / "_build" / "gettext-edited")
    return project


def states(project: Path) -> dict[tuple[str, str | None, str], tuple[object, ...]]:
    """Every message's review state, fuzziness, silenced checks and text, per catalog."""
    found: dict[tuple[str, str | None, str], tuple[object, ...]] = {}
    for path in sorted((project / "locale").rglob("*.po")):
        record = review.load_record(path)
        for entry in polib.pofile(str(path)):
            if entry.msgid and not entry.obsolete:
                found[(path.parent.parent.name, entry.msgctxt, entry.msgid)] = (
                    review.state_of(entry, record),
                    entry.fuzzy,
                    review.skipped_checks(entry, record),
                    entry.msgstr,
                )
    return found


def obsolete(project: Path) -> dict[tuple[str, str | None, str], str]:
    """Every obsolete #~ entry's translation, per catalog (the old byline date is one: dates left the catalogs)."""
    found: dict[tuple[str, str | None, str], str] = {}
    for path in sorted((project / "locale").rglob("*.po")):
        for entry in polib.pofile(str(path)).obsolete_entries():
            found[(path.parent.parent.name, entry.msgctxt, entry.msgid)] = entry.msgstr
    return found


def catalogs(project: Path) -> dict[Path, bytes]:
    return {p.relative_to(project): p.read_bytes() for p in sorted((project / "locale").rglob("*.po"))}


# -- the tools, each as its users run it over one catalog -------------------------------------


def with_msgcat(path: Path) -> None:
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


def with_translate_toolkit(path: Path) -> None:
    store = ttk_po.pofile.parsefile(str(path))  # as Weblate's PoFormat: translate.storage.po
    for unit in store.units:
        if not unit.isheader() and unit.target:
            unit.target = unit.target  # as Weblate stores a translation; untouched units keep their lines
    store.savefile(str(path))


def with_babel(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def with_polib(path: Path) -> None:
    polib.pofile(str(path)).save()


def with_xliff_round_trip(path: Path) -> None:
    xliff = path.with_suffix(".xlf")
    subprocess.run([VENV_BIN / "po2xliff", "--progress=none", str(path), str(xliff)], check=True)
    subprocess.run([VENV_BIN / "xliff2po", "--progress=none", str(xliff), str(path)], check=True)
    xliff.unlink()


TOOLS = {
    "msgcat": with_msgcat,
    "translate-toolkit": with_translate_toolkit,
    "babel": with_babel,
    "polib": with_polib,
    "xliff": with_xliff_round_trip,
}


@pytest.fixture(params=sorted(TOOLS))
def saved_by_tool(request: pytest.FixtureRequest, rich_project: Path, tmp_path: Path) -> tuple[str, Path]:
    project = tmp_path / "project"
    shutil.copytree(rich_project, project)
    for path in sorted((project / "locale").rglob("*.po")):
        TOOLS[request.param](path)
    return request.param, project


def _update_and_convert(config: ProjectConfig, pot_dir: Path | None = None) -> None:
    update_catalogs(config, config.targets, pot_dir)
    convert_catalogs(config, [loc for loc in config.targets if loc.method == "opencc"])


def test_the_rich_project_has_every_kind_of_message(rich_project: Path) -> None:
    found = states(rich_project)
    tw = {msgid: value for (locale, _, msgid), value in found.items() if locale == "zh_TW"}
    assert tw["以合作促安全，以安全促繁荣发展。"][:2] == (review.State.PERSON, True)
    assert tw[MACHINE][0] is review.State.MACHINE
    assert tw["人民利益，至高无上。"][2] == {"numbers"}
    reviewed = polib.pofile(str(rich_project / TW)).find("以合作促安全，以安全促繁荣发展。")
    assert reviewed.previous_msgid == REVIEWED
    en = polib.pofile(str(rich_project / EN)).find("以合作促安全，以安全促繁荣发展。")
    assert en.fuzzy and en.previous_msgid == REVIEWED


def test_each_tool_keeps_every_state_and_changes_nothing_of_ours(
    saved_by_tool: tuple[str, Path], rich_project: Path
) -> None:
    tool, project = saved_by_tool
    assert catalogs(project) != catalogs(rich_project), f"{tool} left every file as it was: the test proves nothing"
    config = load_config(project)
    if tool == "xliff":
        # XLIFF has no obsolete entries: po2xliff writes each #~ entry as a unit, and xliff2po brings it back
        # as a live message. The next update makes exactly those obsolete again, their translations kept.
        assert obsolete(rich_project) and not obsolete(project)
        assert states(project).keys() - states(rich_project).keys() == obsolete(rich_project).keys()
        update_catalogs(config, config.targets)
        assert obsolete(project) == obsolete(rich_project)
    assert states(project) == states(rich_project)
    saved = catalogs(project)

    _update_and_convert(config)
    assert catalogs(project) == saved, f"update/convert rewrote a catalog {tool} saved, though no message changed"
    assert states(project) == states(rich_project)

    # One source message changes: only that message's lines differ.
    _update_and_convert(config, project / "_build" / "gettext-edited")
    for catalog in (TW, EN):
        before, after = saved[catalog].decode("utf-8"), (project / catalog).read_text(encoding="utf-8")
        removed, added = diff_lines(before, after)
        assert removed and added, f"{catalog}: the changed message was not rewritten"
        assert removed <= entry_lines(before, MACHINE), (tool, catalog, removed)
        # Babel drops pubflow's X-Pubflow-Converter header field; convert puts it back when it converts.
        added -= {ln for ln in added if ln.startswith('"X-Pubflow-Converter: ')}
        assert added <= entry_lines(after, "在合作中共赢，更在合作中前进。"), (tool, catalog, added)
    assert (
        polib.pofile(str(project / TW)).find("在合作中共赢，更在合作中前进。").msgstr
        == "在合作中共贏，更在合作中前進。"
    )
    assert polib.pofile(str(project / EN)).find("在合作中共赢，更在合作中前进。").fuzzy
    others = [p for p in saved if p not in (TW, EN)]
    assert all((project / p).read_bytes() == saved[p] for p in others)


def diff_lines(before: str, after: str) -> tuple[set[str], set[str]]:
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm=""))
    body = [ln for ln in diff if not ln.startswith(("+++", "---", "@@"))]
    return {ln[1:] for ln in body if ln.startswith("-")}, {ln[1:] for ln in body if ln.startswith("+")}


def entry_lines(text: str, msgid: str) -> set[str]:
    """The lines of the entry of ``msgid``: its run of non-blank lines."""
    entry = polib.pofile(text).find(msgid)
    lines = text.splitlines()
    first = last = entry.linenum - 1
    while first > 0 and lines[first - 1].strip():
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    return set(lines[first : last + 1])


def test_a_person_is_never_overwritten_when_the_rules_change(saved_by_tool: tuple[str, Path]) -> None:
    tool, project = saved_by_tool
    _append_glossary_row(project, "积极主动,,積極主動地,unrelated row,\n")
    config = load_config(project)
    _update_and_convert(config)
    catalog = polib.pofile(str(project / TW))
    reviewed = catalog.find("以合作促安全，以安全促繁荣发展。")
    assert reviewed.msgstr == REVIEWED_TEXT and reviewed.fuzzy, tool
    assert catalog.find("积极主动参与全球安全治理").msgstr == "積極主動地參與全球安全治理"  # machine output follows


def test_a_catalog_without_a_record_is_named_and_all_of_it_is_a_persons(project: Path) -> None:
    for record in (project / "locale").rglob("*.review.json"):
        record.unlink()
    catalog = polib.pofile(str(project / TW))
    entry = catalog.find("人民利益，至高无上。")
    entry.msgstr, entry.tcomment = "人民的利益至高無上。", ""  # from outside: no note, no flag, no record
    catalog.save()
    subprocess.run(["msgcat", "-o", str(project / TW), str(project / TW)], check=True)  # no flag survives
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "人民利益,,人民權益,,\n", encoding="utf-8")
    result = run_pubflow("convert", cwd=project, check=True)
    assert f"{TW} had no review record" in result.stderr
    assert polib.pofile(str(project / TW)).find("人民利益，至高无上。").msgstr == "人民的利益至高無上。"
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    assert "no review record" not in check.stdout  # recorded now
    # Still wearing the machine note, yet no longer what convert writes and with no record to prove it
    # machine output: left as they are (a person may have edited under the note), each named for review.
    unverified = [ln for ln in check.stdout.splitlines() if "its review record has no entry for it" in ln]
    catalog = polib.pofile(str(project / TW))
    marked = [e for e in catalog if review.has_note(e) and "人民利益" in e.msgid]
    assert marked and len(unverified) == len(marked)


def _append_glossary_row(project: Path, row: str) -> None:
    glossary = project / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + row, encoding="utf-8")


def test_an_edit_under_the_machine_note_survives_an_unrelated_glossary_row(project: Path) -> None:
    """Issue 11's report: edit a machine-converted message, keep its marks, add a glossary row, re-run."""
    path = project / TW
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = catalog.find("人民利益，至高无上。")
    entry.msgstr = "人民的利益至高無上。"
    entry.flags.append(review.LEGACY_MACHINE_FLAG)  # the old flag kept too, as the reporter did
    catalog.save()
    assert review.has_note(entry)
    _append_glossary_row(project, "量子计算,,量子計算,unrelated,\n")
    for verb in ["extract", "update"]:
        run_pubflow(verb, cwd=project, check=True)
    result = run_pubflow("convert", cwd=project, check=True)
    assert "0 re-converted" in result.stderr
    kept = polib.pofile(str(path)).find("人民利益，至高无上。")
    assert kept.msgstr == "人民的利益至高無上。"
    assert not review.has_note(kept) and review.LEGACY_MACHINE_FLAG not in kept.flags  # now plainly a person's


def test_a_person_is_never_overwritten_when_the_engine_changes(project: Path) -> None:
    """Machine output recorded under another OpenCC version is refreshed; a person's text is not."""
    path = project / TW
    record_file = review.record_path(path)
    record_file.write_text(
        record_file.read_text(encoding="utf-8").replace("OpenCC 1.4.2;", "OpenCC 1.4.0;"), encoding="utf-8"
    )
    # Babel drops the X-Pubflow-Converter header field: the record alone tells which engine made what.
    text = re.sub(r'"X-Pubflow-Converter: [^"]*"\n', "", path.read_text(encoding="utf-8"))
    assert "X-Pubflow-Converter" not in text
    text = text.replace('msgstr "作者：蔡長春"', 'msgstr "作者：蔡長春（法制日報）"')
    path.write_text(text, encoding="utf-8")
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    assert "engine: warning: converted with 'OpenCC 1.4.0" in check.stdout
    run_pubflow("convert", cwd=project, check=True)
    assert polib.pofile(str(path)).find("作者：蔡长春").msgstr == "作者：蔡長春（法制日報）"
    record = review.load_record(path)
    signatures = {m.machine.signature.split(";")[0] for m in record.messages.values() if m.machine}
    assert signatures == {"OpenCC 1.4.2"}
    assert run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project).returncode == 0


def test_a_person_is_never_overwritten_when_the_locale_rules_change(project: Path) -> None:
    """Other quotation marks: machine output follows, a reviewed message keeps its marks."""
    path = project / TW
    catalog = polib.pofile(str(path), wrapwidth=0)
    reviewed = catalog.find("为全球安全治理贡献“中国力量”")
    reviewed.tcomment = ""  # approved as it is
    catalog.save()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"“" = "「", "”" = "」"', '"“" = "“", "”" = "”"'),
        encoding="utf-8",
    )
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    assert check.returncode == 1 and "converted: machine-converted text is out of date" in check.stdout
    assert "为全球安全治理贡献" not in check.stdout.split("converted:")[0]
    run_pubflow("convert", cwd=project, check=True)
    catalog = polib.pofile(str(path))
    assert catalog.find("为全球安全治理贡献“中国力量”").msgstr == "為全球安全治理貢獻「中國力量」"
    machine = next(e for e in catalog if e.msgid.startswith("秉持合作共赢理念"))
    assert machine.msgstr.endswith("貢獻“中國力量”。")


def test_skip_flags_hold_after_msgcat_strips_them(project: Path) -> None:
    path = project / EN
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid.startswith("截至目前，公安部已与113个国家"))
    entry.msgstr = entry.msgstr.replace("113 countries", "over a hundred countries")  # the numbers check objects
    entry.flags.append("pubflow-skip-numbers")
    catalog.save()
    run_pubflow("update", cwd=project, check=True)  # records the skip
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    assert "pubflow-skip-numbers" not in path.read_text(encoding="utf-8")
    assert run_pubflow("check", "--no-stale", "-l", "en", cwd=project).returncode == 0
    # The record, not the flag, holds it: without the record the finding is back.
    review.record_path(path).unlink()
    assert "numbers" in run_pubflow("check", "--no-stale", "-l", "en", cwd=project).stdout


def test_update_never_merges_stale_templates(project: Path) -> None:
    run_pubflow("extract", cwd=project, check=True)
    _edit_doc(project, "人民利益，至高无上。", "人民利益，永远至高无上。")
    refused = run_pubflow("update", "--no-extract", cwd=project)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "pubflow: error: _build/gettext: docs/ or conf.py changed since the templates were extracted; "
        "run pubflow extract first"
    ]
    result = run_pubflow("update", cwd=project, check=True)
    assert "changed since the templates were extracted: extracting first" in result.stderr
    assert polib.pofile(str(project / EN)).find("人民利益，永远至高无上。").fuzzy


def test_format_lays_catalogs_out_at_the_configured_width(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'glossary = "glossary.csv"\n', 'glossary = "glossary.csv"\nwrap-width = 79\nstrict-format = true\n'
        ),
        encoding="utf-8",
    )
    before = states(project)
    check = run_pubflow("check", "--no-stale", cwd=project)
    assert check.returncode == 1 and "format: not laid out wrapped at 79 columns" in check.stdout
    assert run_pubflow("format", "--check", cwd=project).returncode == 1
    run_pubflow("format", cwd=project, check=True)
    assert max(len(ln) for ln in (project / EN).read_text(encoding="utf-8").splitlines()) <= 79
    assert states(project) == before
    assert run_pubflow("format", "--check", cwd=project).returncode == 0
    assert run_pubflow("check", "--no-stale", cwd=project).returncode == 0
    # A changed message is written at 79 columns too, and only its lines change.
    saved = catalogs(project)
    _edit_doc(project, MACHINE, "在合作中共赢，更在合作中前进。")
    for verb in ["update", "convert"]:  # update extracts first: the sources changed
        run_pubflow(verb, cwd=project, check=True)
    assert run_pubflow("format", "--check", cwd=project).returncode == 0
    removed, added = diff_lines(saved[TW].decode("utf-8"), (project / TW).read_text(encoding="utf-8"))
    assert removed <= entry_lines(saved[TW].decode("utf-8"), MACHINE)
    added -= {ln for ln in added if ln.startswith('"X-Pubflow-Converter: ')}
    assert added and added <= entry_lines((project / TW).read_text(encoding="utf-8"), "在合作中共赢，更在合作中前进。")
    # 79 columns is gettext's own wrapping: what msgcat, Poedit and powrap write is in format as it is.
    for path in (project / "locale").rglob("*.po"):
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    assert run_pubflow("format", "--check", cwd=project).returncode == 0


def test_machine_output_merged_by_sphinx_intl_stays_machine_output(project: Path) -> None:
    """sphinx-intl (Babel) merges a changed source without a previous msgid: the record follows by the text's digest."""
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("以安全促发展。", "以安全促进发展。"), encoding="utf-8")
    run_pubflow("extract", cwd=project, check=True)
    sphinx_intl = Path(sys.executable).parent / "sphinx-intl"
    subprocess.run(
        [str(sphinx_intl), "update", "-p", "_build/gettext", "-l", "zh_TW"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    merged = polib.pofile(str(project / TW)).find("以合作促安全，以安全促进发展。")
    assert merged.fuzzy and merged.previous_msgid is None  # what Babel leaves: no "#| msgid"
    for verb in ("update", "convert"):
        run_pubflow(verb, cwd=project, check=True)
    entry = polib.pofile(str(project / TW)).find("以合作促安全，以安全促进发展。")
    assert entry.msgstr == "以合作促安全，以安全促進發展。" and not entry.fuzzy  # converted again, for the new source
    assert review.has_note(entry)  # still machine output, not a person's


def test_a_lost_record_entry_leaves_marked_machine_output_for_a_person(project: Path) -> None:
    """A record entry lost in a merge conflict, then a glossary change: not adopted as approved, not overwritten."""
    msgid = "人民利益，至高无上。"
    record_file = review.record_path(project / TW)
    data = json.loads(record_file.read_text(encoding="utf-8"))
    data["messages"] = [m for m in data["messages"] if m["msgid"] != msgid]
    record_file.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    before = polib.pofile(str(project / TW)).find(msgid)
    assert review.has_note(before)
    _append_glossary_row(project, "人民利益,,人民權益,,\n")
    result = run_pubflow("convert", cwd=project, check=True)
    assert "1 message(s) marked as machine output with no entry in their review record" in result.stderr
    after = polib.pofile(str(project / TW)).find(msgid)
    assert after.msgstr == before.msgstr and review.has_note(after)  # neither re-converted nor approved
    check = run_pubflow("check", "--no-stale", "-l", "zh_TW", cwd=project)
    line = f"{TW}:{after.linenum}: converted: warning: marked as machine output, but its review record has no entry"
    assert line in check.stdout
