"""Convert: OpenCC over real catalogs, the glossary's fixes, and a reviewer's work kept."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import opencc
import polib
import pytest

from pubflow import review
from pubflow.config import load_config
from pubflow.conversion import ScriptConverter
from pubflow.convert import ORIGIN, ConvertResult, cache_path, convert_catalog, convert_catalogs
from pubflow.errors import PubflowError
from pubflow.glossary import load_glossary
from pubflow.masking import mask
from pubflow.update import update_catalogs
from tests.conftest import ARTICLE, REPO, run_pubflow

RAW_S2TWP = opencc.OpenCC("s2twp")

#: Every place in the article where OpenCC's s2twp is wrong for news prose, the sentence
#: it came from, what OpenCC writes, and what the glossary (or the locale's characters table) makes of it.
GLOSSARY_FIXES = [
    (
        "目前，我国每年利用国际刑警组织渠道，与外国警方相互求查案件约3000起，申请发布国际刑警组织“红色通报”200余份",
        "申請釋出",
        "申請發布",
    ),
    ("同60多个国家的内政警察部门和相关国际组织签署各类合作文件400余份", "合作檔案", "合作文件"),
    (
        "中老缅泰四国联合发表《中国老挝缅甸泰国关于湄公河流域执法安全合作的联合声明》",
        "聯合宣告",
        "聯合聲明",
    ),
    ("驻阿根廷警务联络官推动当地执法部门建章立制并成立专班", "併成立", "並成立"),
    # Taiwan's 連接號 is the full-width －, never an ASCII hyphen between Chinese names.
    ("我国公安机关与国际刑警组织、上海合作组织、中国-东盟、欧洲警察署等", "中國-東盟", "中國－東協"),
    ("“安全促发展”中国东盟执法安全合作部长级对话", "中國東盟", "中國東協"),
    ("驻外警务联络官积极加强和驻在国沟通联系", "溝通聯絡", "溝通聯繫"),
    ("欧洲的波黑、科索沃、塞浦路斯", "波黑", "波赫"),
    ("被誉为“一道独特的风景线”的中意警方联合巡逻", "中意警方", "中義警方"),
    # Taiwan writes Laos 寮國, so the four Mekong countries are 中寮緬泰 (the long mechanism name too).
    ("在中国的倡导下，2011年10月31日，中老缅泰四国联合发表", "中老緬泰", "中寮緬泰"),
    ("中老缅泰湄公河流域执法实施近6年来", "中老緬泰", "中寮緬泰"),
    # Europol as Taiwan media name it.
    ("中国-东盟、欧洲警察署等国际和区域性执法合作组织", "歐洲警察署", "歐洲刑警組織"),
    # 渠道 as a channel of cooperation is 管道 in Taiwan; both of the article's 渠道 have that sense.
    ("我国每年利用国际刑警组织渠道，与外国警方相互求查案件约3000起", "組織渠道", "組織管道"),
    ("对外充分利用双边执法合作机制和警务联络官等资源渠道", "資源渠道", "資源管道"),
    # Taiwan copy-desk corrections (issue 26): 水準 for a level, 教育部 forms, ROC names, Taiwan's words.
    ("不断提升国际执法安全合作的能力和水平", "能力和水平", "能力和水準"),
    ("遭遇糯康武装团伙的劫持", "團伙", "團夥"),
    ("打掉针对华人实施侵害的犯罪团伙数十个", "團伙", "團夥"),
    ("继续发挥中国维和警察的标杆作用", "標杆", "標竿"),
    ("欧洲的波黑、科索沃、塞浦路斯", "塞普勒斯", "賽普勒斯"),
    ("完善对外合作战略布局", "戰略佈局", "戰略布局"),  # the locale's characters table: 佈 → 布
    ("足迹遍布阿根廷", "遍佈", "遍布"),
    ("“10·5”血案的罪魁祸首", "10·5", "10‧5"),  # the characters table: Taiwan's 間隔號 ‧
    ("针对中资企业和中国公民的恶性案事件时有发生", "惡性案事件", "惡性案件"),
    ("成功处置一批我国公民在国外被杀害、绑架、羁押等重大案事件", "重大案事件", "重大案件"),
    ("每当国外发生涉我重大突发案事件时", "突發案事件", "突發案件"),
    ("驻阿根廷警务联络官推动当地执法部门建章立制并成立专班", "專班", "並成立專案小組"),
    ("曼谷“8·17”爆炸案处置现场", "8·17", "2015年8月17日曼谷四面佛爆炸案"),
    ("郭声琨出席世界禁毒问题特别联大", "特別聯大", "聯合國大會世界毒品問題特別會議"),
]


def taiwan_converter() -> ScriptConverter:
    """The shipped project's zh_TW conversion: OpenCC s2twp, the glossary, the quotes and characters tables."""
    config = load_config(REPO)
    return ScriptConverter(config.locales["zh_TW"], load_glossary(config.glossary_path, config.source_language))


@pytest.mark.parametrize(
    ("source", "converted"),
    [
        # 水平 is 水準 only where it means a level; the horizontal stays 水平 (no row blindly maps 水平).
        ("不断提升执法能力和水平，保持船体水平。", "不斷提升執法能力和水準，保持船體水平。"),
        ("地平线与水平线之间", "地平線與水平線之間"),
        ("生活水平和技术水平", "生活水準和技術水準"),
        # 案事件 only after the words that make it "cases and incidents"; 个案事件 (one case's events) stays.
        ("涉外案事件与个案事件", "涉外案件與個案事件"),
        # 专班 as a task force, not the special service of 旅游专班.
        ("组建专班，开通旅游专班", "組建專案小組，開通旅遊專班"),
        # 布 for every 佈 OpenCC writes, and ‧ for the Mainland interpunct, also in names.
        (
            "分布、公布、宣布、散布，联合国副秘书长让-皮埃尔·拉克鲁瓦",
            "分布、公布、宣布、散布，聯合國副秘書長讓-皮埃爾‧拉克魯瓦",
        ),
        # Markup is masked from every rule: the literal keeps its characters.
        ("见 ``分布·说明`` 的布局", "見 ``分布·说明`` 的布局"),
        ("编者注与译者注", "編者註與譯者註"),
    ],
)
def test_taiwan_rules_are_context_safe(source: str, converted: str) -> None:
    assert taiwan_converter().convert(source) == converted


def test_the_characters_table_is_part_of_the_conversion_and_its_signature() -> None:
    """Without the table OpenCC's 佈 and · stay; with it the signature differs, so machine output is redone."""
    with_table = taiwan_converter()
    without = ScriptConverter(
        dataclasses.replace(with_table.locale, characters={}), load_glossary(REPO / "glossary.csv", "zh_CN")
    )
    assert without.convert("战略布局与“10·5”血案") == "戰略佈局與「10·5」血案"
    assert with_table.convert("战略布局与“10·5”血案") == "戰略布局與「10‧5」血案"
    assert without.signature != with_table.signature


#: What the Taiwan reviewer changed by hand in the conversion, one-off edits no rule should make:
#: 打掉 (Mainland police slang for breaking up a gang) and a sum whose currency a Taiwan reader needs.
REVIEWER_EDITS = {
    "一串串维护海外安全利益的合作舞步闪亮国际舞台——2012年以来，公安部先后派出工作组40余个，足迹遍布阿根廷、巴西、南非、"
    "安哥拉、俄罗斯等20余个国家，配合当地警方打掉针对华人实施侵害的犯罪团伙数十个，追缴赃款上千万元。": (
        ("打掉針對華人", "破獲針對華人"),
        ("上千萬元。", "上千萬元人民幣。"),
    ),
}


def zh_tw(project: Path, doc: str = ARTICLE) -> polib.POFile:
    return polib.pofile(str(project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{doc}.po"))


def states(project: Path, doc: str = ARTICLE) -> dict[str, review.State]:
    path = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{doc}.po"
    record = review.load_record(path)
    return {e.msgid: review.state_of(e, record) for e in polib.pofile(str(path)) if not e.obsolete}


def save(catalog: polib.POFile) -> None:
    catalog.wrapwidth = 0
    catalog.save()


def shipped_messages() -> dict[str, str]:
    """The shipped zh_TW article's live messages (an obsolete #~ entry, like the old byline date, is no message)."""
    return {e.msgid: e.msgstr for e in zh_tw(REPO) if not e.obsolete}


# -- convert_catalog, message by message (in memory, the shipped zh_TW rules) ---------------------

#: Two sources whose conversions differ in more than their script, so a changed source shows.
OLD_SOURCE = "以合作促安全。"
NEW_SOURCE = "以合作促安全，以安全促发展。"


@pytest.fixture(scope="module")
def converter() -> ScriptConverter:
    return taiwan_converter()


def convert_one(
    converter: ScriptConverter, *entries: polib.POEntry, record: review.ReviewRecord | None = None
) -> tuple[polib.POFile, review.ReviewRecord, ConvertResult]:
    catalog = polib.POFile(wrapwidth=0)
    for entry in entries:
        catalog.append(entry)
    record = record if record is not None else review.ReviewRecord(Path("a.review.json"), existed=True)
    result = ConvertResult()
    convert_catalog(catalog, record, converter, result)
    return catalog, record, result


def counts(result: ConvertResult) -> dict[str, int]:
    names = ("converted", "reconverted", "reviewed_kept", "adopted", "unverified", "needs_work", "merged")
    return {name: getattr(result, name) for name in (*names, "held_for_review") if getattr(result, name)}


def machine_entry(
    converter: ScriptConverter, record: review.ReviewRecord, msgid: str, signature: str | None = None
) -> polib.POEntry:
    """A message holding convert's output for ``msgid``, recorded as such (by ``signature``'s rules)."""
    entry = polib.POEntry(msgid=msgid)
    review.mark_machine(entry, record, converter.convert(msgid), ORIGIN, signature or converter.signature)
    return entry


def test_a_new_message_is_converted_noted_recorded_and_the_header_names_the_rules(
    converter: ScriptConverter,
) -> None:
    catalog, record, result = convert_one(converter, polib.POEntry(msgid=NEW_SOURCE))
    entry = catalog[0]
    assert entry.msgstr == "以合作促安全，以安全促發展。"
    assert entry.tcomment == "pubflow: machine output (opencc), not yet reviewed"
    assert record.get(entry).machine == review.MachineOutput(
        "opencc", converter.signature, review.digest("以合作促安全，以安全促發展。")
    )
    assert review.state_of(entry, record) is review.State.MACHINE
    assert catalog.metadata["X-Pubflow-Converter"] == converter.signature
    assert counts(result) == {"converted": 1}


def test_unchanged_machine_output_is_left_alone_and_the_header_untouched(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = machine_entry(converter, record, NEW_SOURCE)
    before = record.get(entry).machine
    catalog, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {} and "X-Pubflow-Converter" not in catalog.metadata
    assert record.get(entry).machine is before


def test_machine_output_of_older_rules_is_recorded_under_the_new_ones_without_a_reconversion(
    converter: ScriptConverter,
) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = machine_entry(converter, record, NEW_SOURCE, signature="older rules")
    catalog, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {}  # the same text: nothing re-converted
    assert record.get(entry).machine.signature == converter.signature
    assert catalog.metadata["X-Pubflow-Converter"] == converter.signature


def test_machine_output_whose_source_changed_is_converted_again(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    old = machine_entry(converter, record, OLD_SOURCE)
    # As msgmerge leaves it: the new source, fuzzy, the old one as previous msgid; the record follows it.
    entry = polib.POEntry(
        msgid=NEW_SOURCE, msgstr=old.msgstr, tcomment=old.tcomment, flags=["fuzzy"], previous_msgid=OLD_SOURCE
    )
    record.messages[review.key_of(entry)] = record.messages.pop(review.key_of(old))
    catalog, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {"reconverted": 1}
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("以合作促安全，以安全促發展。", False, None)
    assert review.state_of(entry, record) is review.State.MACHINE
    assert catalog.metadata["X-Pubflow-Converter"] == converter.signature


def test_machine_output_whose_new_source_converts_alike_is_no_longer_fuzzy(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    old = machine_entry(converter, record, "然后")
    entry = polib.POEntry(msgid="然後", msgstr=old.msgstr, tcomment=old.tcomment, flags=["fuzzy"])
    entry.previous_msgid = "然后"  # as msgmerge leaves a changed source
    record.messages[review.key_of(entry)] = record.messages.pop(review.key_of(old))
    _, _, result = convert_one(converter, entry, record=record)
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("然後", False, None)
    assert counts(result) == {"reconverted": 1} and review.state_of(entry, record) is review.State.MACHINE


def test_a_persons_text_is_kept(converter: ScriptConverter) -> None:
    entry = polib.POEntry(msgid=NEW_SOURCE, msgstr="一位審校者的譯文")
    catalog, record, result = convert_one(converter, entry)
    assert counts(result) == {"reviewed_kept": 1}
    assert entry.msgstr == "一位審校者的譯文" and record.get(entry) is None
    assert "X-Pubflow-Converter" not in catalog.metadata


def test_edited_machine_output_becomes_the_persons(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = machine_entry(converter, record, NEW_SOURCE)
    entry.msgstr = "以合作促安全，以安全促進發展。"  # the reviewer's edit, note left in place
    _, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {"adopted": 1, "reviewed_kept": 1}
    assert entry.msgstr == "以合作促安全，以安全促進發展。" and not review.has_note(entry)
    assert record.get(entry).machine is None
    assert review.state_of(entry, record) is review.State.PERSON


@pytest.mark.parametrize("mark", ["note", "legacy flag"])
def test_an_unrecorded_message_marked_as_machine_output_is_adopted_only_when_it_is_exactly_the_output(
    converter: ScriptConverter, mark: str
) -> None:
    def marked(msgstr: str, fuzzy: bool = False) -> polib.POEntry:
        entry = polib.POEntry(msgid=NEW_SOURCE, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [])
        if mark == "note":
            entry.tcomment = review.note(ORIGIN)
        else:
            entry.flags.append(review.LEGACY_MACHINE_FLAG)
        return entry

    exact = marked("以合作促安全，以安全促發展。")
    _, record, result = convert_one(converter, exact)
    assert counts(result) == {}
    assert review.state_of(exact, record) is review.State.MACHINE
    assert record.get(exact).machine.origin == "opencc" and review.LEGACY_MACHINE_FLAG not in exact.flags

    for other in (marked("以合作促安全，以安全促進發展。"), marked("以合作促安全，以安全促發展。", fuzzy=True)):
        _, record, result = convert_one(converter, other)
        assert counts(result) == {"unverified": 1, "reviewed_kept": 1}
        assert record.get(other) is None and other.msgstr.startswith("以合作促安全，以安全促")
        assert review.has_note(other) == (mark == "note")


def test_a_reviewed_message_whose_source_changed_gets_the_correction_when_the_edits_merge(
    converter: ScriptConverter,
) -> None:
    # The reviewer wrote 促進 for the old source's 促; the new source adds a clause elsewhere.
    entry = polib.POEntry(
        msgid=NEW_SOURCE, msgstr="以合作促進安全。", flags=["fuzzy"], previous_msgid=OLD_SOURCE, previous_msgctxt="c"
    )
    _, record, result = convert_one(converter, entry)
    assert counts(result) == {"merged": 1}
    assert entry.msgstr == "以合作促進安全，以安全促發展。"
    assert (entry.fuzzy, entry.previous_msgid, entry.previous_msgctxt) == (False, None, None)
    assert review.state_of(entry, record) is review.State.PERSON


def test_a_reviewed_message_whose_edits_overlap_the_correction_stays_fuzzy(converter: ScriptConverter) -> None:
    entry = polib.POEntry(msgid=NEW_SOURCE, msgstr="以協作促安全！", flags=["fuzzy"], previous_msgid=OLD_SOURCE)
    _, _, result = convert_one(converter, entry)
    assert counts(result) == {"held_for_review": 1, "reviewed_kept": 1}
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("以協作促安全！", True, OLD_SOURCE)


def test_a_reviewers_needs_work_on_machine_output_stays(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = machine_entry(converter, record, NEW_SOURCE)
    entry.flags.append("fuzzy")
    catalog, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {"needs_work": 1}
    assert entry.fuzzy and entry.msgstr == "以合作促安全，以安全促發展。"
    assert "X-Pubflow-Converter" not in catalog.metadata


def test_needs_work_on_output_of_older_rules_gets_the_new_output_still_fuzzy(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = polib.POEntry(msgid=NEW_SOURCE, flags=["fuzzy"])
    review.mark_machine(entry, record, "以合作促安全，以安全促发展。", ORIGIN, "older rules")
    entry.flags.append("fuzzy")
    catalog, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {"needs_work": 1, "reconverted": 1}
    assert entry.fuzzy and entry.msgstr == "以合作促安全，以安全促發展。"
    assert record.get(entry).machine.signature == converter.signature
    assert catalog.metadata["X-Pubflow-Converter"] == converter.signature


def test_a_new_message_msgmerge_filled_with_another_messages_text_is_converted(converter: ScriptConverter) -> None:
    reviewed = polib.POEntry(msgid=OLD_SOURCE, msgstr="以合作促進安全。")
    copied = polib.POEntry(msgid=NEW_SOURCE, msgstr="以合作促進安全。", flags=["fuzzy"], previous_msgid=OLD_SOURCE)
    _, record, result = convert_one(converter, reviewed, copied)
    assert counts(result) == {"converted": 1, "reviewed_kept": 1}
    assert copied.msgstr == "以合作促安全，以安全促發展。" and not copied.fuzzy
    assert review.state_of(copied, record) is review.State.MACHINE
    assert reviewed.msgstr == "以合作促進安全。"
    # Only a copy: a changed message whose old source is gone, or whose text differs, is a correction.
    edited = polib.POEntry(msgid=NEW_SOURCE, msgstr="以合作促進安全！", flags=["fuzzy"], previous_msgid=OLD_SOURCE)
    _, _, result = convert_one(converter, polib.POEntry(msgid=OLD_SOURCE, msgstr="以合作促進安全。"), edited)
    assert result.converted == 0 and edited.fuzzy


def test_another_engines_proposal_is_not_converted_unless_fuzzy(converter: ScriptConverter) -> None:
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    entry = polib.POEntry(msgid=NEW_SOURCE)
    review.mark_machine(entry, record, "記憶庫的提議", review.MEMORY_EXACT_ORIGIN, "memory")
    _, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {} and entry.msgstr == "記憶庫的提議"
    entry.flags.append("fuzzy")
    entry.previous_msgid = OLD_SOURCE
    _, _, result = convert_one(converter, entry, record=record)
    assert counts(result) == {"reconverted": 1} and entry.msgstr == "以合作促安全，以安全促發展。"
    assert record.get(entry).machine.origin == "opencc"


def test_obsolete_messages_and_the_header_are_never_converted(converter: ScriptConverter) -> None:
    obsolete = polib.POEntry(msgid=OLD_SOURCE, obsolete=True)
    after = polib.POEntry(msgid=NEW_SOURCE)
    _, record, result = convert_one(converter, obsolete, polib.POEntry(msgid="", msgstr=""), after)
    assert counts(result) == {"converted": 1} and obsolete.msgstr == ""
    assert list(record.messages) == [(None, NEW_SOURCE)]


def test_a_persons_approved_text_equal_to_another_messages_is_kept_though_a_previous_msgid_remains(
    converter: ScriptConverter,
) -> None:
    # The reviewer cleared "fuzzy" on msgmerge's copy, keeping its text; the tool left the "#| msgid" line.
    reviewed = polib.POEntry(msgid=OLD_SOURCE, msgstr="以合作促進安全。")
    approved = polib.POEntry(msgid=NEW_SOURCE, msgstr="以合作促進安全。", previous_msgid=OLD_SOURCE)
    _, record, result = convert_one(converter, reviewed, approved)
    assert counts(result) == {"reviewed_kept": 2} and approved.msgstr == "以合作促進安全。"
    assert review.state_of(approved, record) is review.State.PERSON


def test_every_message_of_a_catalog_is_counted_whatever_came_before_it(converter: ScriptConverter) -> None:
    """Two messages of each kind, in turn: each is handled and counted, none stops the others."""
    record = review.ReviewRecord(Path("a.review.json"), existed=True)
    sources = ["以合作促安全。", "以安全促发展。", "人民利益，至高无上。", "运筹帷幄，谋划更长远。"]
    entries = []
    for n in range(2):
        edited = machine_entry(converter, record, f"{sources[0]}{n}")
        edited.msgstr += "！"  # adopted
        unverified = polib.POEntry(msgid=f"{sources[1]}{n}", msgstr="舊的輸出", tcomment=review.note(ORIGIN))
        exact = polib.POEntry(msgid=f"{sources[2]}{n}", tcomment=review.note(ORIGIN))
        exact.msgstr = converter.convert(exact.msgid)  # machine output by any reading: recorded, not counted
        merged = polib.POEntry(
            msgid=f"{NEW_SOURCE}{n}", msgstr=f"以合作促進安全。{n}", flags=["fuzzy"], previous_msgid=f"{OLD_SOURCE}{n}"
        )
        held = polib.POEntry(
            msgid=f"{NEW_SOURCE}{n}!", msgstr="以協作促安全！", flags=["fuzzy"], previous_msgid=OLD_SOURCE
        )
        needs_work = machine_entry(converter, record, f"{sources[3]}{n}")
        needs_work.flags.append("fuzzy")
        stale = machine_entry(converter, record, f"在合作中共赢。{n}")
        record.messages[(None, f"{sources[3]}{n}?")] = record.messages.pop(review.key_of(stale))
        stale.msgid = f"{sources[3]}{n}?"  # its source changed: converted again
        stale.flags.append("fuzzy")
        stale.previous_msgid = f"在合作中共赢。{n}"
        new = polib.POEntry(msgid=f"{sources[1]}{n}?")
        proposal = polib.POEntry(msgid=f"{sources[2]}{n}?")  # the memory's: left to it
        review.mark_machine(proposal, record, "記憶庫的提議", review.MEMORY_EXACT_ORIGIN, "memory")
        outdated = machine_entry(converter, record, f"{sources[3]}{n}#", signature="older rules")
        outdated.msgstr = f"{sources[3]}{n}#"  # older rules' output, unlike today's: converted again
        record.get(outdated).machine = review.MachineOutput(ORIGIN, "older rules", review.digest(outdated.msgstr))
        reworked = machine_entry(converter, record, f"{sources[1]}{n}!", signature="older rules")
        reworked.msgstr = f"{sources[1]}{n}!"  # needs work, on older rules' output: their new output, still fuzzy
        record.get(reworked).machine = review.MachineOutput(ORIGIN, "older rules", review.digest(reworked.msgstr))
        reworked.flags.append("fuzzy")
        entries += [edited, unverified, exact, merged, held, needs_work, stale, new, proposal, outdated, reworked]
    _, record, result = convert_one(converter, *entries, record=record)
    assert counts(result) == {
        "converted": 2,
        "reconverted": 6,
        "reviewed_kept": 6,  # adopted, unverified and held
        "adopted": 2,
        "unverified": 2,
        "needs_work": 4,
        "merged": 2,
        "held_for_review": 2,
    }
    assert all(review.state_of(entry, record) is review.State.MACHINE for entry in entries[2::11] + entries[7::11])
    assert [e.msgstr for e in entries[9::11]] == [converter.convert(e.msgid) for e in entries[9::11]]


class CountingMeter:
    """Records what a stage reports to its progress bar."""

    def __init__(self) -> None:
        self.expected: list[int] = []
        self.done = 0.0

    def expect(self, total: int) -> None:
        self.expected.append(total)

    def advance(self, count: float = 1) -> None:
        self.done += count


def two_converted_locales(project: Path) -> Path:
    """The project with zh_HK as a second OpenCC locale, and two small documents in every locale."""
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.pubflow.locales.zh_HK]\nlabel = "香港"\nproduced-by = "opencc"\nopencc-config = "s2hk"\n')
    shutil.rmtree(project / "locale")
    pots = project / "_build" / "pots"
    pots.mkdir(parents=True)
    for name, msgids in {"a": [OLD_SOURCE, NEW_SOURCE], "b": ["人民利益，至高无上。"]}.items():
        template = polib.POFile(wrapwidth=0)
        template.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for msgid in msgids:
            template.append(polib.POEntry(msgid=msgid, occurrences=[(f"docs/{name}.rst", "1")]))
        template.save(str(pots / f"{name}.pot"))
    config = load_config(project)
    update_catalogs(config, config.targets, pots)
    return project


def test_convert_catalogs_converts_every_opencc_locale_and_then_skips_what_it_did(project: Path) -> None:
    config = load_config(two_converted_locales(project))
    said: list[str] = []
    meter = CountingMeter()
    first = convert_catalogs(config, config.targets, said.append, meter)
    paths = [project / "locale" / locale / "LC_MESSAGES" / f"{doc}.po" for locale in ("zh_HK", "zh_TW") for doc in "ab"]
    assert sorted(first.written) == paths and first.skipped == [] and first.unrecorded == []
    assert first.converted == 6 and first.engine_calls == 6  # three messages, each converted once per locale
    assert [line.split(" with ")[0] for line in said] == ["converting zh_TW", "converting zh_HK"]
    assert meter.expected == [2, 4] and meter.done == 4
    hk = polib.pofile(str(paths[0])).find(NEW_SOURCE)
    assert hk.msgstr == "以合作促安全，以安全促發展。" and review.has_note(hk)
    records = {path: review.record_path(path).read_bytes() for path in paths}

    meter = CountingMeter()
    second = convert_catalogs(config, config.targets, meter=meter)
    assert sorted(second.skipped) == paths and (second.written, second.engine_calls) == ([], 0)
    assert meter.expected == [2, 4] and meter.done == 4

    cache_path(config).write_text("{damaged", encoding="utf-8")  # a damaged cache only costs time
    (paths[1]).write_bytes(paths[1].read_bytes() + b"\n")  # one catalog changed since: converted again, not rewritten
    third = convert_catalogs(config, config.targets)
    assert third.written == [] and third.skipped == [] and third.engine_calls == 6
    assert {path: review.record_path(path).read_bytes() for path in paths} == records
    assert json.loads(cache_path(config).read_text(encoding="utf-8")).keys() == {
        f"{ScriptConverter(config.locale(name), load_glossary(config.glossary_path, 'zh_CN')).signature}::"
        f"locale/{name}/LC_MESSAGES/{doc}.po"
        for name in ("zh_HK", "zh_TW")
        for doc in "ab"
    }


def test_convert_skips_next_time_a_catalog_whose_machine_output_it_replaced(project: Path) -> None:
    """Replacing machine output writes the record in transition, the catalog, the record: the cache is of the last."""
    config = load_config(two_converted_locales(project))
    convert_catalogs(config, config.targets)
    pots = project / "_build" / "pots"
    template = polib.pofile(str(pots / "b.pot"), wrapwidth=0)
    template[0].msgid = "人民利益，永远至高无上。"  # the source changed: msgmerge keeps the old output, fuzzy
    template.save()
    update_catalogs(config, config.targets, pots)
    b = [project / "locale" / locale / "LC_MESSAGES" / "b.po" for locale in ("zh_HK", "zh_TW")]
    replaced = convert_catalogs(config, config.targets)
    assert sorted(replaced.written) == b and replaced.engine_calls == 2
    assert polib.pofile(str(b[1])).find("人民利益，永远至高无上。").msgstr == "人民利益，永遠至高無上。"
    again = convert_catalogs(config, config.targets)
    assert len(again.skipped) == 4 and (again.written, again.engine_calls) == ([], 0)


def test_convert_writes_the_catalogs_converted_before_a_bad_one(project: Path) -> None:
    config = load_config(two_converted_locales(project))
    folder = project / "locale" / "zh_TW" / "LC_MESSAGES"
    (folder / "c.po").write_text('msgid "x"\nmsgstr "unclosed\n', encoding="utf-8")
    with pytest.raises(PubflowError, match=r"c\.po:2: "):
        convert_catalogs(config, [config.locale("zh_TW")])
    assert polib.pofile(str(folder / "a.po")).find(NEW_SOURCE).msgstr == "以合作促安全，以安全促發展。"
    assert review.state_of(polib.pofile(str(folder / "b.po"))[0], review.load_record(folder / "b.po")) is (
        review.State.MACHINE
    )


@pytest.mark.parametrize(("sentence", "opencc_wrong", "fixed"), GLOSSARY_FIXES)
def test_each_glossary_fix_over_opencc(sentence: str, opencc_wrong: str, fixed: str) -> None:
    assert opencc_wrong in RAW_S2TWP.convert(sentence), "OpenCC no longer makes this mistake"
    full = next(msgid for msgid in shipped_messages() if sentence in msgid)
    converted = shipped_messages()[full]
    assert fixed in converted and opencc_wrong not in converted


@pytest.mark.slow
def test_every_message_is_converted_flagged_and_recorded(project: Path) -> None:
    for path in (project / "locale" / "zh_TW").rglob("*.po"):
        path.unlink()
    assert run_pubflow("extract", cwd=project).returncode == 0
    assert run_pubflow("update", "-l", "zh_TW", cwd=project).returncode == 0
    result = run_pubflow("convert", cwd=project)
    assert result.returncode == 0, result.stderr
    catalog = zh_tw(project)
    assert all(e.msgstr and not e.fuzzy and review.has_note(e) for e in catalog)
    assert set(states(project).values()) == {review.State.MACHINE}
    header = catalog.metadata["X-Pubflow-Converter"]
    assert header.startswith(f"OpenCC {opencc.__version__}; config=s2twp; rules=")
    # The shipped catalog is this conversion, reviewed: what the reviewer changed by hand is listed here;
    # everything else they approved as converted (the fixes that can recur are glossary rules, above).
    converted = {e.msgid: e.msgstr for e in catalog}
    assert converted.keys() == shipped_messages().keys()
    edited = {msgid for msgid, msgstr in shipped_messages().items() if converted[msgid] != msgstr}
    assert edited == set(REVIEWER_EDITS)
    for msgid, edits in REVIEWER_EDITS.items():
        for machine, reviewed in edits:
            assert machine in converted[msgid] and reviewed in shipped_messages()[msgid]


@pytest.mark.slow
def test_quotation_marks_follow_the_locale(project: Path) -> None:
    converted = shipped_messages()["为全球安全治理贡献“中国力量”"]
    assert converted == "為全球安全治理貢獻「中國力量」"
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'quotes = { "“" = "「", "”" = "」", "‘" = "『", "’" = "』" }\n', ""
        ),
        encoding="utf-8",
    )
    catalog = zh_tw(project)
    for entry in catalog:
        entry.msgstr = ""
    save(catalog)
    assert run_pubflow("convert", cwd=project).returncode == 0
    assert zh_tw(project).find("为全球安全治理贡献“中国力量”").msgstr == "為全球安全治理貢獻“中國力量”"


@pytest.mark.slow
def test_markup_is_masked_from_conversion(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n.. _发布说明:\n\n发布说明\n--------\n\n"
        "参见 :ref:`发布说明` 与 :ref:`这份说明 <发布说明>`，"
        "`发布文件 <https://example.com/发布/文件>`_，命令 ``发布 文件``，以及 `发布说明`_。\n",
        encoding="utf-8",
    )
    assert run_pubflow("extract", cwd=project).returncode == 0
    assert run_pubflow("update", cwd=project).returncode == 0
    assert run_pubflow("convert", cwd=project).returncode == 0
    msgstr = next(e.msgstr for e in zh_tw(project) if e.msgid.startswith("参见"))
    assert msgstr == (
        "參見 :ref:`发布说明` 與 :ref:`這份說明 <发布说明>`，"
        "`發布檔案 <https://example.com/发布/文件>`_，命令 ``发布 文件``，以及 `发布说明`_。"
    )
    result = run_pubflow("build", "-l", "zh_TW", cwd=project)
    assert result.returncode == 0, result.stderr  # -W: no inconsistent references


def test_mask_round_trip() -> None:
    text = "见 ``代码`` 和 |替换| 以及 [#]_ 与 http://例子.cn/路径 和 _`目标`"
    masked = mask(text)
    assert "代码" not in masked.text and "例子" not in masked.text and "目标" not in masked.text
    assert masked.restore(masked.text) == text


@pytest.mark.slow
def test_a_reviewers_translation_is_never_overwritten(unreviewed_project: Path) -> None:
    project = unreviewed_project
    catalog = zh_tw(project)
    reviewed = catalog.find("以合作促安全，以安全促发展。")
    reviewed.msgstr = "以合作促進安全，以安全促進發展。"
    reviewed.tcomment = ""  # the reviewer deleted the note
    kept_note = catalog.find("人民利益，至高无上。")
    kept_note.msgstr = "人民的利益至高無上。"  # edited, the note left in place
    approved = catalog.find("运筹帷幄，谋划长远。")
    approved.tcomment = ""  # approved as it is: the note deleted, the text unchanged
    save(catalog)
    assert states(project)["人民利益，至高无上。"] is review.State.PERSON
    assert states(project)["运筹帷幄，谋划长远。"] is review.State.PERSON

    assert run_pubflow("convert", cwd=project).returncode == 0
    catalog = zh_tw(project)
    assert catalog.find("以合作促安全，以安全促发展。").msgstr == "以合作促進安全，以安全促進發展。"
    kept = catalog.find("人民利益，至高无上。")
    assert kept.msgstr == "人民的利益至高無上。" and not review.has_note(kept)  # the stale note is gone

    # The source changes: a reviewed message whose edits overlap the correction turns fuzzy, for review; one
    # approved as it was takes the new conversion (its reviewer's edits, none, carried by a three-way merge);
    # a machine one is converted again.
    doc = project / "docs" / f"{ARTICLE}.rst"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("以合作促安全，以安全促发展。", "以合作促安全，以安全促繁荣发展。")
    text = text.replace("运筹帷幄，谋划长远。", "运筹帷幄，谋划更长远。")
    text = text.replace("在合作中共赢，在合作中前进。", "在合作中共赢，更在合作中前进。")
    doc.write_text(text, encoding="utf-8")
    for verb in ["extract", "update", "convert"]:
        assert run_pubflow(verb, cwd=project).returncode == 0
    catalog = zh_tw(project)
    changed_review = catalog.find("以合作促安全，以安全促繁荣发展。")
    assert changed_review.fuzzy
    assert changed_review.previous_msgid == "以合作促安全，以安全促发展。"
    assert changed_review.msgstr == "以合作促進安全，以安全促進發展。"
    carried = catalog.find("运筹帷幄，谋划更长远。")
    assert carried.msgstr == "運籌帷幄，謀劃更長遠。" and not carried.fuzzy and carried.previous_msgid is None
    assert states(project)["运筹帷幄，谋划更长远。"] is review.State.PERSON  # still the reviewer's, never re-converted
    changed_machine = catalog.find("在合作中共赢，更在合作中前进。")
    assert changed_machine.msgstr == "在合作中共贏，更在合作中前進。"
    assert not changed_machine.fuzzy and changed_machine.previous_msgid is None
    assert states(project)["在合作中共赢，更在合作中前进。"] is review.State.MACHINE


def test_a_second_run_changes_nothing_and_converts_nothing(unreviewed_project: Path) -> None:
    project = unreviewed_project
    (project / "_build" / "cache" / "convert.json").unlink()  # left by the conversion that made this state
    config = load_config(project)
    first = convert_catalogs(config, config.targets)
    before = {p: p.read_bytes() for p in (project / "locale").rglob("*.po")}
    second = convert_catalogs(config, config.targets)
    assert second.engine_calls == 0 and not second.written
    assert len(second.skipped) == len(list((project / "locale" / "zh_TW").rglob("*.po")))
    assert {p: p.read_bytes() for p in (project / "locale").rglob("*.po")} == before
    # Every message is compared, and the catalogs are already what convert writes.
    assert first.engine_calls > 0 and first.written == []
    # Even without the cache, the catalogs are already what convert would write.
    (project / "_build" / "cache" / "convert.json").unlink()
    third = convert_catalogs(config, config.targets)
    assert not third.written


def test_every_channel_of_the_article_is_taiwans_guandao() -> None:
    # Each 渠道 of the article is a channel of cooperation (INTERPOL's, liaison officers'), none a ditch.
    messages = shipped_messages()
    channels = [msgid for msgid in messages if "渠道" in msgid]
    assert len(channels) == 2
    assert all("渠道" not in messages[msgid] and "管道" in messages[msgid] for msgid in channels)


@pytest.mark.slow
def test_a_catalog_with_crlf_line_ends_keeps_one_kind_of_line_end(project: Path) -> None:
    """A catalog saved with Windows line ends: convert writes its changed entries with them too."""
    catalog = zh_tw(project)
    entry = next(e for e in catalog if e.msgid and e.msgstr)
    entry.msgstr = ""
    save(catalog)
    path = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_pubflow("convert", cwd=project)
    assert result.returncode == 0, result.stderr
    written = path.read_bytes()
    assert zh_tw(project).find(entry.msgid).msgstr  # converted again
    assert written.count(b"\r\n") == written.count(b"\n"), "the file's own CRLF line ends, throughout"
