"""Review as a number (coverage's reviewed and machine counts, a reviewed threshold) and the review verb."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

from pubflow import review
from pubflow.errors import PubflowError
from pubflow.fileio import ChangedMeanwhile
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


# -- the review record and a message's state (pubflow/review.py), in process --------------------------


def record_file(tmp_path: Path, text: str | bytes) -> Path:
    """A catalog path whose review record holds ``text``."""
    catalog = tmp_path / "doc.po"
    data = text.encode("utf-8") if isinstance(text, str) else text
    review.record_path(catalog).write_bytes(data)
    return catalog


def machine(origin: str, text: str, signature: str = "rules") -> review.MachineOutput:
    return review.MachineOutput(origin, signature, review.digest(text))


def test_a_record_renders_as_json_dumps_sorted_and_loads_back(tmp_path: Path) -> None:
    catalog = tmp_path / "doc.po"
    record = review.ReviewRecord(review.record_path(catalog), existed=False)
    record.messages[("b", "甲")] = review.MessageRecord(machine=machine("opencc", "甲"), skip={"numbers", "glossary"})
    record.messages[(None, "乙")] = review.MessageRecord(earlier=machine("memory", "乙", "m"))
    record.messages[(None, "丙")] = review.MessageRecord()  # nothing to keep: left out
    record.messages[("a", "丁")] = review.MessageRecord(machine=machine("mt", "丁"), earlier=machine("mt", "丁丁"))
    record.messages[("A", "戊")] = review.MessageRecord(skip={"markup"})
    expected = {
        "schema": "pubflow-review/1",
        "messages": [  # no msgctxt sorts first, then "A", "a", "b"
            {
                "msgid": "乙",
                "earlier-machine": {"origin": "memory", "signature": "m", "msgstr-sha256": review.digest("乙")},
            },
            {"msgid": "戊", "msgctxt": "A", "skip": ["markup"]},
            {
                "msgid": "丁",
                "msgctxt": "a",
                "machine": {"origin": "mt", "signature": "rules", "msgstr-sha256": review.digest("丁")},
                "earlier-machine": {"origin": "mt", "signature": "rules", "msgstr-sha256": review.digest("丁丁")},
            },
            {
                "msgid": "甲",
                "msgctxt": "b",
                "machine": {"origin": "opencc", "signature": "rules", "msgstr-sha256": review.digest("甲")},
                "skip": ["glossary", "numbers"],
            },
        ],
    }
    assert review.render_record(record) == json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    assert review.save_record(record) is True
    assert (record.existed, record.loaded) == (True, review.record_path(catalog).read_bytes())
    assert record.on_disk == {("b", "甲"): machine("opencc", "甲"), ("a", "丁"): machine("mt", "丁")}
    assert review.save_record(record) is False  # the file already says exactly this
    loaded = review.load_record(catalog)
    assert (loaded.existed, loaded.path, loaded.loaded) == (True, record.path, record.loaded)
    assert loaded.messages == {k: m for k, m in record.messages.items() if not m.empty()}
    assert loaded.on_disk == record.on_disk


@pytest.mark.parametrize(
    "value",
    [
        {"a": [], "b": {}, "c": 1, "d": None, "e": ["x", {"f": '\u2028"\\'}, [True, 2.5]], "g": "中文"},
        [],
        {},
        "text",
        [[["deep"]]],
    ],
)
def test_a_record_is_indented_byte_for_byte_as_json_dumps(value: object) -> None:
    assert review._indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_no_record_file_is_an_empty_record_that_did_not_exist(tmp_path: Path) -> None:
    record = review.load_record(tmp_path / "doc.po")
    assert (record.existed, record.messages, record.loaded, record.path) == (
        False,
        {},
        None,
        tmp_path / "doc.review.json",
    )
    os.mkfifo(tmp_path / "pipe.review.json")  # a pipe would block the reader for ever
    with pytest.raises(PubflowError, match=r"pipe\.review\.json: is not a regular file"):
        review.load_record(tmp_path / "pipe.po")


HEAD = '{"schema": "pubflow-review/1", "messages": [\n'
HUGE = r": review record is not one pubflow wrote \(a huge number or deep nesting\); restore it from git$"


@pytest.mark.parametrize(
    ("text", "error", "line"),
    [
        (b"\xff\xfe", ": review record is not UTF-8; restore it from git$", None),
        ('{\n "schema": "pubflow-review/1",\n "messages": [,]\n}', r": review record is not valid JSON \(Expecting", 3),
        (HEAD + "9" * 5000 + "]}", HUGE, None),
        ("[" * 100000 + "]" * 100000, HUGE, None),
        ("[]", ": not a review record \\(expected schema 'pubflow-review/1'\\); restore it from git$", None),
        ('{"schema": "pubflow-review/2", "messages": []}', "expected schema", None),
        ('{"schema": "pubflow-review/1", "messages": {}}', "expected schema", None),
        ('{"schema": "pubflow-review/1"}', "expected schema", None),
        (HEAD + '{"msgctxt": "c"}]}', ": malformed message in the review record: {'msgctxt': 'c'}; restore it", None),
        (HEAD + '\n{"msgid": 7}]}', "malformed message", None),
        (HEAD + '{"msgid": "a", "msgctxt": 1}]}', "malformed message", 2),
        (HEAD + '\n\n{"msgid": "a", "skip": "x"}]}', "malformed message", 4),
        (HEAD + '{"msgid": "a", "skip": [1]}]}', "malformed message", 2),
        (HEAD + '{"msgid": "a", "machine": "x"}]}', "malformed message", 2),
        (HEAD + '{"msgid": "a", "machine": {"origin": "o", "signature": "s"}}]}', "malformed message", 2),
        (HEAD + '{"msgid": "a", "machine": {"origin": "o", "signature": "s", "msgstr-sha256": 1}}]}', "malformed", 2),
        (HEAD + '{"msgid": "a", "earlier-machine": {"origin": 1, "signature": "s", "msgstr-sha256": "d"}}]}', "ma", 2),
        (HEAD + '"just a string"]}', "malformed message in the review record: just a string;", None),
        ("\n" + HEAD + '{"msgid": "a", "skip": "x"}]}', "malformed message", 3),
        (HEAD + '{"msgid": "甲", "skip": "x"}]}', "malformed message", 2),
        (
            HEAD + '{"msgid": "' + "甲" * 70 + '", "skip": "x"}]}',
            ": malformed message in the review record: {'msgid': '" + "甲" * 49 + "; restore it from git$",
            2,
        ),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else None,
)
def test_a_damaged_record_is_refused_with_its_file_and_line(
    tmp_path: Path, text: str | bytes, error: str, line: int | None
) -> None:
    path = record_file(tmp_path, text)
    with pytest.raises(PubflowError, match=error) as raised:
        review.load_record(path)
    assert raised.value.path == review.record_path(path) and raised.value.line == line


def test_a_record_message_with_an_empty_machine_field_has_no_machine_output(tmp_path: Path) -> None:
    path = record_file(tmp_path, HEAD + '{"msgid": "a", "machine": {}, "earlier-machine": null}]}')
    record = review.load_record(path)
    assert record.messages == {(None, "a"): review.MessageRecord()} and record.on_disk == {}


def recorded_entry(record: review.ReviewRecord, msgid: str, text: str, origin: str = "opencc") -> polib.POEntry:
    entry = polib.POEntry(msgid=msgid)
    review.mark_machine(entry, record, text, origin, "rules")
    return entry


def test_the_memorys_notes_are_recorded_as_the_readme_shows() -> None:
    assert review.note(review.MEMORY_EXACT_ORIGIN) == "pubflow: machine output (memory), not yet reviewed"
    assert review.note(review.MEMORY_FUZZY_ORIGIN) == "pubflow: machine output (memory, fuzzy), not yet reviewed"


def test_a_message_is_machine_output_only_while_it_holds_the_recorded_text_and_the_note(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    entry = recorded_entry(record, "以合作促安全。", "以合作促安全。", origin="memory")
    assert review.state_of(entry, record) is review.State.MACHINE
    assert review.machine_output(entry, record) == machine("memory", "以合作促安全。")
    assert review.origin_of(entry, record) == "memory"
    without_note = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, tcomment="a translator's remark")
    assert review.state_of(without_note, record) is review.State.PERSON
    assert review.machine_output(without_note, record) is None and review.origin_of(without_note, record) is None
    assert review.recorded_output(without_note, record) == machine("memory", "以合作促安全。")  # note or not
    entry.msgstr = "以合作促進安全。"
    assert review.state_of(entry, record) is review.State.PERSON and review.recorded_output(entry, record) is None
    assert review.machine_output(entry, record) is None
    # The output being replaced (``earlier``) is machine output as well while the catalog is written.
    record.get(entry).earlier = machine("memory", "以合作促進安全。")
    assert review.state_of(entry, record) is review.State.MACHINE
    assert review.recorded_output(entry, record) == machine("memory", "以合作促進安全。")
    # Taken back while its catalog is written: only ``earlier`` names the text the catalog still holds.
    record.get(entry).machine = None
    assert review.state_of(entry, record) is review.State.MACHINE
    assert review.machine_output(entry, record) == machine("memory", "以合作促進安全。")
    # Any text is a translation, even one of the characters a stripping might take for padding.
    short = recorded_entry(record, "X", "X")
    assert short.tcomment == "pubflow: machine output (opencc), not yet reviewed"
    assert review.state_of(short, record) is review.State.MACHINE
    assert review.machine_output(short, record) == machine("opencc", "X")
    review.mark_person(short, record)
    assert short.tcomment == "" and review.state_of(short, record) is review.State.PERSON
    empty = polib.POEntry(msgid="以安全促发展。", msgstr="", tcomment=review.note("opencc"))
    assert review.state_of(empty, record) is review.State.UNTRANSLATED and review.machine_output(empty, record) is None
    assert review.recorded_output(empty, record) is None
    unrecorded = review.ReviewRecord(tmp_path / "other.review.json", existed=False)
    assert review.state_of(entry, unrecorded) is review.State.UNKNOWN
    assert review.state_of(without_note, review.ReviewRecord(tmp_path / "x", existed=True)) is review.State.PERSON


def test_a_plural_message_is_recorded_as_its_forms_in_order(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    entry = polib.POEntry(msgid="一件", msgid_plural="多件", msgstr_plural={1: "cases", 0: "case"})
    assert review.text_of(entry) == "case\x00cases"
    entry.tcomment = review.note("mt")
    record.setdefault(review.key_of(entry)).machine = machine("mt", "case\x00cases")
    assert review.state_of(entry, record) is review.State.MACHINE
    entry.msgstr_plural = {0: "", 1: ""}
    assert review.state_of(entry, record) is review.State.UNTRANSLATED and review.machine_output(entry, record) is None


def test_marking_machine_output_and_a_persons_text_records_them_keeping_other_comments(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    entry = polib.POEntry(
        msgid="甲",
        msgstr="old",
        tcomment=(
            "pubflow: machine output (memory), not yet reviewed\npubflow memory: 90% from b.po\na translator's remark\n"
            "another remark"
        ),
        flags=["fuzzy", "machine-converted", "python-format"],
        previous_msgid="乙",
        previous_msgctxt="c",
        previous_msgid_plural="乙乙",
    )
    record.setdefault(review.key_of(entry)).skip.add("numbers")
    review.mark_machine(entry, record, "甲文", "opencc", "s2twp")
    assert entry.msgstr == "甲文" and entry.flags == ["python-format"]
    assert (entry.previous_msgid, entry.previous_msgctxt, entry.previous_msgid_plural) == (None, None, None)
    assert entry.tcomment == (
        "pubflow: machine output (opencc), not yet reviewed\npubflow memory: 90% from b.po\na translator's remark\n"
        "another remark"
    )
    assert review.has_note(entry)
    assert record.get(entry).machine == review.MachineOutput("opencc", "s2twp", review.digest("甲文"))
    record.get(entry).earlier = machine("memory", "old")
    entry.flags.append("machine-converted")
    review.mark_person(entry, record)
    assert entry.tcomment == "a translator's remark\nanother remark" and not review.has_note(entry)
    # A translator's comment written above the note (an editor adds it first) leaves the note in force.
    assert review.has_note(polib.POEntry(msgid="甲", tcomment=f"a translator's remark\n{review.note('mt')}"))
    assert entry.flags == ["python-format"] and entry.msgstr == "甲文"
    assert record.get(entry) == review.MessageRecord(skip={"numbers"})
    unrecorded = polib.POEntry(msgid="unrecorded", msgstr="x", tcomment=review.note("mt"))
    review.mark_person(unrecorded, record)  # nothing recorded: the note goes all the same
    assert record.get(unrecorded) is None and unrecorded.tcomment == ""


def test_skips_come_from_the_flags_and_the_record_and_the_record_keeps_them(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    entry = polib.POEntry(msgid="甲", msgstr="A", flags=["pubflow-skip-numbers", "fuzzy", "skip-spelling"])
    assert review.flag_skips(entry) == {"numbers"}
    assert review.skipped_checks(entry, None) == frozenset({"numbers"})
    assert review.record_skips(entry, record) is True and record.get(entry).skip == {"numbers"}
    assert review.record_skips(entry, record) is False  # already recorded
    entry.flags = ["pubflow-skip-glossary"]
    assert review.skipped_checks(entry, record) == frozenset({"numbers", "glossary"})
    assert review.record_skips(entry, record) is True and record.get(entry).skip == {"numbers", "glossary"}
    entry.flags = []
    assert review.record_skips(entry, record) is False
    assert review.skipped_checks(entry, record) == frozenset({"numbers", "glossary"})  # a stripped flag lifts none
    assert review.skipped_checks(polib.POEntry(msgid="乙"), record) == frozenset()


def test_a_record_follows_its_catalog_through_a_merge(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    kept = recorded_entry(record, "甲", "甲文")
    moved = recorded_entry(record, "乙", "乙文")
    renamed = recorded_entry(record, "丙", "丙文")
    gone = recorded_entry(record, "丁", "丁文")
    record.setdefault((None, "戊")).skip.add("numbers")
    record.setdefault((None, "己"))  # an empty message record: nothing to carry
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="甲", msgstr="甲文", tcomment=kept.tcomment))
    # msgmerge's fuzzy match, with the previous msgid: the old record goes with it.
    catalog.append(polib.POEntry(msgid="乙乙", msgstr="乙文", flags=["fuzzy"], previous_msgid="乙"))
    # A merge that dropped the previous msgid (sphinx-intl's, Babel's): found by the machine output's digest.
    catalog.append(polib.POEntry(msgid="丙丙", msgstr="丙文"))
    catalog.append(polib.POEntry(msgid="己", msgstr="己文"))
    catalog.append(polib.POEntry(msgid="庚", msgstr="", flags=["pubflow-skip-markup"]))
    catalog.append(polib.POEntry(msgid="辛", msgstr=""))
    # A person's text with a skip, matched by msgmerge: only the previous msgid finds its record (no digest).
    catalog.append(polib.POEntry(msgid="戊戊", msgstr="戊文", flags=["fuzzy"], previous_msgid="戊"))
    # Any text finds a vanished message's machine output, even one of the characters a stripping might take.
    record.messages[(None, "X")] = review.MessageRecord(machine("mt", "X"))
    catalog.append(polib.POEntry(msgid="XX", msgstr="X"))
    followed = {
        (None, "甲"): review.MessageRecord(machine("opencc", "甲文")),
        (None, "乙乙"): review.MessageRecord(machine("opencc", "乙文")),
        (None, "丙丙"): review.MessageRecord(machine("opencc", "丙文")),
        (None, "庚"): review.MessageRecord(skip={"markup"}),
        (None, "戊戊"): review.MessageRecord(skip={"numbers"}),
        (None, "XX"): review.MessageRecord(machine("mt", "X")),
    }
    review.follow_catalog(record, catalog)
    assert record.messages == followed
    # The next merge keeps the fuzzy messages (and their previous msgids) as they were: so does their record.
    review.follow_catalog(record, catalog)
    assert record.messages == followed
    assert gone.msgid == "丁" and moved.msgid == "乙" and renamed.msgid == "丙"
    # Only a translated message takes a vanished message's record by its text, never an empty one.
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    record.setdefault((None, "甲")).earlier = machine("opencc", "")
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="乙", msgstr=""))
    review.follow_catalog(record, catalog)
    assert record.messages == {}


def test_a_record_in_transition_keeps_the_machine_output_on_disk_until_the_catalog_is_written(tmp_path: Path) -> None:
    catalog_path = tmp_path / "doc.po"
    record = review.ReviewRecord(review.record_path(catalog_path), existed=False)
    replaced = recorded_entry(record, "甲", "甲文", origin="memory")
    taken_back = recorded_entry(record, "乙", "乙文", origin="memory")
    unchanged = recorded_entry(record, "丙", "丙文")
    record.setdefault((None, "乙")).skip.add("numbers")
    catalog = polib.POFile()
    for entry in (replaced, taken_back, unchanged):
        catalog.append(entry)
    assert review.writes_with_catalog(record, catalog, catalog_path, "catalog text", None) == [
        (catalog_path, "catalog text", None),
        (record.path, review.render_record(record), None),
    ]
    assert review.save_with_catalog(record, catalog, catalog_path, "catalog text", None) is True
    first = record.loaded
    # The memory's proposal replaced by opencc's output, the other taken back (a person's now).
    review.mark_machine(replaced, record, "甲新", "opencc", "rules")
    review.mark_person(taken_back, record)
    middle, final = review.record_writes(record, catalog)
    assert final == review.render_record(record)
    assert middle is not None
    during = json.loads(middle)["messages"]
    assert during == [  # sorted by msgid: 丙 U+4E19, 乙 U+4E59, 甲 U+7532
        {"msgid": "丙", "machine": {"origin": "opencc", "signature": "rules", "msgstr-sha256": review.digest("丙文")}},
        {
            "msgid": "乙",
            "machine": {"origin": "memory", "signature": "rules", "msgstr-sha256": review.digest("乙文")},
            "skip": ["numbers"],
        },
        {
            "msgid": "甲",
            "machine": {"origin": "opencc", "signature": "rules", "msgstr-sha256": review.digest("甲新")},
            "earlier-machine": {"origin": "memory", "signature": "rules", "msgstr-sha256": review.digest("甲文")},
        },
    ]
    assert record.get(taken_back) == review.MessageRecord(skip={"numbers"})  # the record itself is as it was
    assert record.get(replaced).earlier is None
    catalog_path.write_text("as read", encoding="utf-8")
    writes = review.writes_with_catalog(record, catalog, catalog_path, "new text", b"as read")
    assert writes == [(record.path, middle, first), (catalog_path, "new text", b"as read"), (record.path, final, None)]
    assert review.save_with_catalog(record, catalog, catalog_path, "as read", b"as read") is False  # nothing new
    assert record.path.read_text(encoding="utf-8") == final and record.loaded == final.encode("utf-8")
    assert record.on_disk == {(None, "甲"): machine("opencc", "甲新"), (None, "丙"): machine("opencc", "丙文")}
    assert review.record_writes(record, catalog) == (None, final)


def test_settling_a_record_keeps_the_machine_output_its_catalog_holds(tmp_path: Path) -> None:
    record = review.ReviewRecord(tmp_path / "doc.review.json", existed=True)
    catalog = polib.POFile()
    still_old = polib.POEntry(msgid="甲", msgstr="甲舊")  # killed before the catalog was written
    already_new = polib.POEntry(msgid="乙", msgstr="乙新")
    taken_back = polib.POEntry(msgid="丙", msgstr="丙舊")  # the proposal taken back, catalog not yet written
    for entry in (still_old, already_new, taken_back):
        catalog.append(entry)
    record.messages[(None, "甲")] = review.MessageRecord(machine("opencc", "甲新"), earlier=machine("memory", "甲舊"))
    record.messages[(None, "乙")] = review.MessageRecord(machine("opencc", "乙新"), earlier=machine("memory", "乙舊"))
    record.messages[(None, "丙")] = review.MessageRecord(None, earlier=machine("memory", "丙舊"))
    record.messages[(None, "丁")] = review.MessageRecord(machine("opencc", "丁"), earlier=machine("opencc", "丁"))
    assert record.in_transition
    review.settle(record, catalog)
    assert record.messages == {
        (None, "甲"): review.MessageRecord(machine("memory", "甲舊")),
        (None, "乙"): review.MessageRecord(machine("opencc", "乙新")),
        (None, "丙"): review.MessageRecord(machine("memory", "丙舊")),
        (None, "丁"): review.MessageRecord(machine("opencc", "丁"), earlier=machine("opencc", "丁")),  # not in it
    }
    same = polib.POEntry(msgid="丁", msgstr="丁")
    catalog.append(same)
    assert record.in_transition  # 丁 is not settled yet
    review.settle(record, catalog)
    assert record.messages[(None, "丁")] == review.MessageRecord(machine("opencc", "丁"))
    assert not record.in_transition


def test_a_record_changed_on_disk_since_it_was_read_is_not_written_over(tmp_path: Path) -> None:
    record = review.load_record(record_file(tmp_path, '{"schema": "pubflow-review/1", "messages": []}\n'))
    record.path.write_text('{"schema": "pubflow-review/1", "messages": []}\n\n', encoding="utf-8")
    record.setdefault((None, "甲")).skip.add("numbers")
    with pytest.raises(ChangedMeanwhile):
        review.save_record(record)
