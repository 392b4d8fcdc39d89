"""Translation memory: a second article reuses the first one's translations, as msgmerge --compendium would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pubflow.review import State, load_record, state_of
from tests.conftest import ARTICLE, REPO, copy_project, run_pubflow

SECOND = "2017-09-26-review-part-two"
CHANGED_SOURCE = "以合作促安全，以安全促进发展。"  # the article says 以安全促发展
FIRST_TITLE = "全国公安机关国际执法安全合作述评（上）"


def add_second_article(project: Path) -> None:
    """A second article that repeats most of the first, one sentence and the title slightly changed."""
    text = (project / "docs" / f"{ARTICLE}.rst").read_text(encoding="utf-8")
    text = text.replace(FIRST_TITLE, "全国公安机关国际执法安全合作述评（下）")
    text = text.replace("以合作促安全，以安全促发展。", CHANGED_SOURCE)
    text = text.replace(":pubflow-date: 2017-09-25", ":pubflow-date: 2017-09-26")
    (project / "docs" / f"{SECOND}.rst").write_text(text, encoding="utf-8")
    index = project / "docs" / "index.rst"
    listing = index.read_text(encoding="utf-8").replace(f"   {ARTICLE}", f"   {SECOND}\n   {ARTICLE}")
    index.write_text(listing, encoding="utf-8")


def make_two_articles(folder: Path) -> Path:
    """The project with a second article, extracted and merged, no proposal made yet."""
    project = copy_project(folder / "project")
    add_second_article(project)
    run_pubflow("-q", "extract", cwd=project, check=True)
    run_pubflow("-q", "update", "--no-memory", cwd=project, check=True)
    return project


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_articles(tmp_path_factory.mktemp("memory"))


def configure(project: Path, lines: str) -> None:
    """Add lines to [tool.pubflow] of the project's pyproject.toml."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('glossary = "glossary.csv"\n', f'glossary = "glossary.csv"\n{lines}'), "utf-8")


@pytest.fixture
def second(two_articles: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(two_articles, tmp_path / "project"))


def shipped_pairs(project: Path) -> int:
    """Distinct sources a person translated in the shipped English catalogs (obsolete ones too)."""
    folder = project / "locale" / "en" / "LC_MESSAGES"
    return len(
        {
            e.msgid
            for p in folder.glob("*.po")
            if p.stem != SECOND
            for e in polib.pofile(str(p))
            if e.msgstr and not e.fuzzy
        }
    )


def catalog(project: Path, document: str = SECOND, locale: str = "en") -> polib.POFile:
    return polib.pofile(str(project / "locale" / locale / "LC_MESSAGES" / f"{document}.po"), wrapwidth=0)


@pytest.mark.slow
def test_exact_and_close_matches_are_proposed_with_their_origin(second: Path) -> None:
    assert all(not e.msgstr for e in catalog(second) if e.msgid)
    result = run_pubflow("memory", cwd=second, check=True)
    assert f"en {shipped_pairs(second)} pairs" in result.stderr
    po = catalog(second)
    record = load_record(second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po")
    first = {e.msgid: e.msgstr for e in catalog(second, ARTICLE)}

    byline = po.find("作者：蔡长春")
    assert byline.msgstr == "By Cai Changchun" and not byline.fuzzy
    assert f"pubflow memory: 100% {ARTICLE}" in byline.tcomment
    assert state_of(byline, record) is State.MACHINE  # memory output, not a person's
    assert record.get(byline).machine.origin == "memory"

    close = po.find(CHANGED_SOURCE)
    assert close.fuzzy and close.msgstr == first["以合作促安全，以安全促发展。"]
    assert close.previous_msgid == "以合作促安全，以安全促发展。"  # Poedit shows the difference
    assert f"pubflow memory: 96% {ARTICLE}" in close.tcomment  # 进 added to 14 characters: 1 - 1/29
    title = po.find("全国公安机关国际执法安全合作述评（下）")
    assert title.fuzzy and "pubflow memory: 94%" in title.tcomment
    exact = [e for e in po if e.msgstr and not e.fuzzy]
    assert len(exact) == len([e for e in po if e.msgid in first]) > 50
    # zh_TW is produced by OpenCC: no proposal there.
    assert "pubflow memory" not in (second / "locale" / "zh_TW" / "LC_MESSAGES" / f"{SECOND}.po").read_text("utf-8")

    # The comments survive gettext's own tools (Poedit and Weblate keep "# " comments the same way).
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    assert f"pubflow memory: 100% {ARTICLE}" in catalog(second).find("作者：蔡长春").tcomment
    # A second run changes no byte.
    before = path.read_bytes()
    run_pubflow("memory", cwd=second, check=True)
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_persons_translation_is_never_replaced(second: Path) -> None:
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    po = catalog(second)
    po.find("作者：蔡长春").msgstr = "Written by Cai Changchun"  # a person's, differing from the memory
    po.save(str(path))
    run_pubflow("memory", cwd=second, check=True)
    po = catalog(second)
    assert po.find("作者：蔡长春").msgstr == "Written by Cai Changchun"
    assert "pubflow memory" not in po.find("作者：蔡长春").tcomment

    # A person approves the close match by clearing fuzzy and edits the title: both are theirs now.
    close, title = po.find(CHANGED_SOURCE), po.find("全国公安机关国际执法安全合作述评（下）")
    close.flags.remove("fuzzy")
    title.msgstr = "Part Two"
    title.flags.remove("fuzzy")
    po.save(str(path))
    result = run_pubflow("memory", cwd=second, check=True)
    assert "1 approved fuzzy proposal(s)" in result.stderr
    po, record = catalog(second), load_record(path)
    assert not po.find(CHANGED_SOURCE).fuzzy and state_of(po.find(CHANGED_SOURCE), record) is State.PERSON
    assert po.find("全国公安机关国际执法安全合作述评（下）").msgstr == "Part Two"
    # Their text is now memory for a later document, the first article's no longer wins for it.
    assert po.find(CHANGED_SOURCE).msgstr


def test_every_exact_match_of_msgmerge_compendium_is_found(second: Path, tmp_path: Path) -> None:
    """The anchor: msgmerge --compendium with every translated catalog of the locale."""
    folder = second / "locale" / "en" / "LC_MESSAGES"
    compendium = tmp_path / "compendium.po"
    others = [str(p) for p in sorted(folder.glob("*.po")) if p.stem != SECOND]
    subprocess.run(["msgcat", "--use-first", "-o", str(compendium), *others], check=True)
    merged = tmp_path / "merged.po"
    template = second / "_build" / "gettext" / f"{SECOND}.pot"
    subprocess.run(
        ["msgmerge", "--quiet", "--compendium", str(compendium), "-o", str(merged), str(folder / f"{SECOND}.po"),
         str(template)],
        check=True,
    )  # fmt: skip
    theirs = polib.pofile(str(merged))
    theirs_exact = {e.msgid: e.msgstr for e in theirs if e.msgstr and not e.fuzzy}
    theirs_fuzzy = {e.msgid for e in theirs if e.msgstr and e.fuzzy}
    assert len(theirs_exact) > 50
    run_pubflow("memory", cwd=second, check=True)
    ours = catalog(second)
    ours_exact = {e.msgid: e.msgstr for e in ours if e.msgstr and not e.fuzzy}
    assert theirs_exact.items() <= ours_exact.items()
    # msgmerge's close matches are proposed too, each with its similarity.
    for msgid in theirs_fuzzy:
        assert ours.find(msgid).fuzzy and "pubflow memory:" in ours.find(msgid).tcomment


LEGACY_TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="block" o-tmf="x" '
    'adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>'
    '<tu><tuv xml:lang="zh-CN"><seg>全国公安机关国际执法安全合作述评（下）</seg></tuv>'
    '<tuv xml:lang="en-GB"><seg>Part Two, from the legacy memory</seg></tuv></tu>'
    "</body></tmx>\n"
)


def test_tmx_import_proposes_from_a_tmx_file(second: Path) -> None:
    (second / "old.tmx").write_text(LEGACY_TMX, encoding="utf-8")
    result = run_pubflow("tmx", "import", "old.tmx", "--locale", "en", cwd=second, check=True)
    assert f"en {shipped_pairs(second) + 1} pairs" in result.stderr
    title = catalog(second).find("全国公安机关国际执法安全合作述评（下）")
    assert title.msgstr == "Part Two, from the legacy memory" and "pubflow memory: 100% old.tmx" in title.tcomment


def test_a_tmx_segment_ending_in_a_line_break_is_never_proposed(second: Path) -> None:
    """msgfmt -c rejects a msgstr that ends in a line break where its msgid does not: the next build would fail."""
    (second / "old.tmx").write_text(LEGACY_TMX.replace("legacy memory</seg>", "legacy memory\n</seg>"), "utf-8")
    run_pubflow("tmx", "import", "old.tmx", "--locale", "en", cwd=second, check=True)
    assert not catalog(second).find("全国公安机关国际执法安全合作述评（下）").msgstr
    po = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po)], check=True)


@pytest.mark.parametrize(
    ("tag", "locale", "same"),
    [
        ("zh-CN", "zh_CN", True), ("ZH_cn", "zh_CN", True), ("zh-Hans", "zh_CN", True), ("zh-Hans-CN", "zh_CN", True),
        ("zh-Hant", "zh_CN", False), ("zh-TW", "zh_CN", False), ("zh", "zh_CN", False), ("zh-Hant", "zh_TW", True),
        ("zh-Hant-TW", "zh_TW", True), ("zh-Hans", "zh_TW", False), ("zh-HK", "zh_TW", False), ("en-GB", "en", True),
        ("en", "en", True), ("eng", "en", False), ("en-US", "en_GB", False), ("zh-Hant-HK", "zh_HK", True),
    ],
)  # fmt: skip
def test_language_tags_other_tools_write(tag: str, locale: str, same: bool) -> None:
    from pubflow.exchange.tmx import same_language

    assert same_language(tag, locale) is same


@pytest.mark.slow
def test_a_tmx_file_in_script_tags_is_read_and_one_with_no_pair_is_named(second: Path) -> None:
    (second / "hans.tmx").write_text(LEGACY_TMX.replace('"zh-CN"', '"zh-Hans"'), encoding="utf-8")
    result = run_pubflow("tmx", "import", "hans.tmx", "--locale", "en", cwd=second, check=True)
    assert catalog(second).find("全国公安机关国际执法安全合作述评（下）").msgstr == "Part Two, from the legacy memory"
    assert "warning" not in result.stderr
    (second / "bare.tmx").write_text(LEGACY_TMX.replace('"zh-CN"', '"zh"'), encoding="utf-8")
    result = run_pubflow("tmx", "import", "bare.tmx", "--locale", "en", cwd=second, check=True)
    assert (
        "warning: bare.tmx: no translation unit has both zh-CN and en, so it adds nothing to the en memory "
        "(its languages: en-GB, zh)" in result.stderr
    )


@pytest.mark.slow
def test_a_run_with_nothing_new_is_skipped_and_a_changed_tmx_file_is_read_again(second: Path) -> None:
    memory = second / "tm" / "legacy.tmx"
    memory.parent.mkdir()
    memory.write_text(LEGACY_TMX, encoding="utf-8")
    configure(second, 'memory-files = ["tm/legacy.tmx"]\n')
    assert f"en {shipped_pairs(second) + 1} pairs" in run_pubflow("memory", cwd=second, check=True).stderr
    record = second / "_build" / "cache" / "memory-runs.json"
    before = {p: p.stat().st_mtime_ns for p in [record, *(second / "locale").rglob("*")] if p.is_file()}
    # Nothing changed: nothing read, nothing written, the memory's size told from the record.
    assert f"en {shipped_pairs(second) + 1} pairs" in run_pubflow("memory", cwd=second, check=True).stderr
    assert {p: p.stat().st_mtime_ns for p in before} == before
    # The same TMX file with one more unit: the memory is read again.
    unit = LEGACY_TMX[LEGACY_TMX.index("<tu>") : LEGACY_TMX.index("</body>")]
    extra = unit.replace("（下）", "（中）").replace("Part Two", "Part One and a Half")
    memory.write_text(LEGACY_TMX.replace("</body>", extra + "</body>"), encoding="utf-8")
    assert f"en {shipped_pairs(second) + 2} pairs" in run_pubflow("memory", cwd=second, check=True).stderr


@pytest.mark.slow
def test_tmx_files_in_the_configuration_join_the_memory(second: Path) -> None:
    memory = second / "tm" / "legacy.tmx"
    memory.parent.mkdir()
    memory.write_text(LEGACY_TMX, encoding="utf-8")
    original = (second / "pyproject.toml").read_text(encoding="utf-8")
    configure(second, 'memory-files = ["tm/legacy.tmx"]\nmemory-threshold = 90\n')
    run_pubflow("memory", cwd=second, check=True)
    title = catalog(second).find("全国公安机关国际执法安全合作述评（下）")
    assert title.msgstr == "Part Two, from the legacy memory" and not title.fuzzy
    assert "pubflow memory: 100% legacy.tmx" in title.tcomment
    assert catalog(second).find(CHANGED_SOURCE).fuzzy  # 96% >= 90

    # A TMX file with an entity bomb is refused, in one line, and nothing changes.
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    before = path.read_bytes()
    memory.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        '<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh-CN"><seg>&b;</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    result = run_pubflow("memory", cwd=second)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "tm/legacy.tmx: refused" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before
    (second / "pyproject.toml").write_text(original, encoding="utf-8")
    configure(second, "memory-threshold = 0\n")
    result = run_pubflow("memory", cwd=second)
    assert result.returncode == 2 and "memory-threshold = 0; expected a percentage" in result.stderr


def test_update_proposes_after_merging(second: Path) -> None:
    result = run_pubflow("update", "--locale", "en", cwd=second, check=True)
    assert "proposal(s)" in result.stderr
    assert catalog(second).find("作者：蔡长春").msgstr == "By Cai Changchun"


@pytest.mark.slow
def test_the_memory_follows_an_edit_made_after_the_last_run(second: Path) -> None:
    """The parsed catalogs are cached; an edited catalog is read again, never its stale pairs."""
    run_pubflow("memory", cwd=second, check=True)
    assert (second / "_build" / "cache" / "memory-en.json").is_file()
    first_path = second / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    first = catalog(second, ARTICLE)
    first.find("来源：法制日报——法制网").msgstr = "Source: Legal Daily (Legal Daily Online)"
    first.save(str(first_path))
    path = second / "locale" / "en" / "LC_MESSAGES" / f"{SECOND}.po"
    po = catalog(second)
    po.find("来源：法制日报——法制网").msgstr = ""  # back to untranslated (its record no longer matches)
    po.save(str(path))
    run_pubflow("memory", cwd=second, check=True)
    assert catalog(second).find("来源：法制日报——法制网").msgstr == "Source: Legal Daily (Legal Daily Online)"


def test_the_length_window_loses_no_close_match() -> None:
    """Close matches are searched among sources of comparable length only; the best score is the same."""
    import random

    from rapidfuzz import fuzz, process

    from pubflow.exchange.tmx import Pair
    from pubflow.memory import TranslationMemory

    sources = [e.msgid for e in catalog(REPO, ARTICLE) if e.msgid]
    rng = random.Random(13)
    memory = TranslationMemory()
    for source in sources:
        memory.add(Pair(source, "translation", ARTICLE))
        memory.add(Pair(source[: rng.randrange(1, len(source) + 1)], "a prefix", ARTICLE))
    queries = [s[: max(1, len(s) - rng.randrange(0, 1 + len(s) // 3))] + "的" * rng.randrange(3) for s in sources]
    for threshold in (60.0, 75.0, 90.0):
        for query in queries:
            found = memory.propose(query, threshold)
            best = process.extractOne(query, list(memory.exact), scorer=fuzz.ratio, score_cutoff=threshold)
            assert (found is None) == (best is None)
            if found is not None and best is not None:
                assert found.similarity == min(best[1], 99.99) or found.exact


def test_many_close_match_searches_on_every_core_find_what_one_search_finds() -> None:
    import random

    from pubflow.exchange.tmx import Pair
    from pubflow.memory import TranslationMemory

    rng = random.Random(2017)
    sources = [e.msgid for e in catalog(REPO, ARTICLE) if len(e.msgid) > 10]
    memory = TranslationMemory()
    while len(memory) < 2500:  # large enough for the worker processes
        text = rng.choice(sources)
        cut = rng.randrange(len(text))
        memory.add(Pair(text[:cut] + "的" * rng.randrange(1, 4) + text[cut + 1 :], "translation", ARTICLE))
    queries = [s[: rng.randrange(5, len(s))] for s in sources * 3]
    many = memory.propose_many(queries, 75.0)
    assert len([q for q in set(queries) if q not in memory.exact]) >= 64
    for query in queries:
        one = memory.propose(query, 75.0)
        assert (many[query] is None) == (one is None)
        if one is not None:
            assert many[query].similarity == one.similarity


# -- in process, on a small project: fast enough for every change (and for scripts/mutation.sh) ---------

NEW_SOURCE = "一个全新的句子，记忆里没有。"
SECOND_TITLE = "全国公安机关国际执法安全合作述评（下）"
OWN_SOURCE = "来源：法制日报——法制网"


def en_catalog_path(project: Path, document: str) -> Path:
    return project / "locale" / "en" / "LC_MESSAGES" / f"{document}.po"


def small_project(folder: Path) -> Path:
    """The shipped project and a catalog ``second``: a plural, a person's, no match, two close and two exact matches.

    In this order: each message the stage passes over comes before one it changes.
    """
    project = copy_project(folder / "project")
    second = polib.POFile(wrapwidth=0)
    second.metadata = polib.pofile(str(en_catalog_path(project, ARTICLE))).metadata
    second.append(polib.POEntry(msgid="一条", msgid_plural="多条", msgstr_plural={0: "", 1: ""}))
    second.append(polib.POEntry(msgid=OWN_SOURCE, msgstr="From the Legal Daily"))
    second.append(polib.POEntry(msgid=NEW_SOURCE, msgstr=""))
    second.append(polib.POEntry(msgid=CHANGED_SOURCE, msgstr=""))
    second.append(polib.POEntry(msgid=SECOND_TITLE, msgstr=""))
    second.append(polib.POEntry(msgid="作者：蔡长春", msgstr=""))
    second.append(polib.POEntry(msgid=FIRST_TITLE, msgstr=""))
    second.append(polib.POEntry(msgid="旧的", msgstr="", obsolete=True))
    second.save(str(en_catalog_path(project, "second")))
    return project


def person_sources(project: Path) -> int:
    """Distinct sources of translated, non-fuzzy singular messages in the en catalogs (a person's, no record)."""
    folder = project / "locale" / "en" / "LC_MESSAGES"
    return len(
        {e.msgid for p in folder.glob("*.po") for e in polib.pofile(str(p)) if e.msgid and e.msgstr and not e.fuzzy}
    )


def test_the_memory_stage_in_process_proposes_records_and_then_follows_the_reviewer(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.memory import propose_from_memory, signature
    from pubflow.review import note

    class Counting:
        def __init__(self) -> None:
            self.expected: list[int] = []
            self.done = 0.0

        def expect(self, total: int) -> None:
            self.expected.append(total)

        def advance(self, count: float = 1) -> None:
            self.done += count

    project = small_project(tmp_path)
    path = en_catalog_path(project, "second")
    config = load_config(project)
    meter = Counting()
    result = propose_from_memory(config, [config.locale("zh_TW"), config.locale("en")], meter=meter)
    assert (meter.expected, meter.done) == ([1], 1)  # one locale takes proposals
    assert (result.exact, result.fuzzy, result.approved, result.adopted) == (2, 2, 0, 0)
    assert result.memory_sizes == {"en": person_sources(project)} and result.locales_skipped == ["zh_TW"]
    assert result.written == [path] and result.tmx_without_pairs == []
    po, record = catalog(project, "second"), load_record(path)
    first = catalog(project, ARTICLE)

    exact = po.find("作者：蔡长春")
    assert (exact.msgstr, exact.fuzzy, exact.previous_msgid) == ("By Cai Changchun", False, None)
    assert exact.tcomment == f"{note('memory')}\npubflow memory: 100% {ARTICLE}"
    assert state_of(exact, record) is State.MACHINE
    machine = record.get(exact).machine
    assert machine is not None and (machine.origin, machine.signature) == ("memory", signature(75.0))
    close = po.find(CHANGED_SOURCE)
    assert close.msgstr == first.find("以合作促安全，以安全促发展。").msgstr and close.fuzzy
    assert close.previous_msgid == "以合作促安全，以安全促发展。"
    assert close.tcomment == f"{note('memory, fuzzy')}\npubflow memory: 96% {ARTICLE}"
    assert record.get(close).machine.origin == "memory, fuzzy" and state_of(close, record) is State.MACHINE
    assert not po.find(NEW_SOURCE).msgstr and record.get(po.find(NEW_SOURCE)) is None
    assert po.find(OWN_SOURCE).msgstr == "From the Legal Daily" and not po.find(OWN_SOURCE).tcomment
    plural = po.find("一条")
    assert plural.msgstr_plural == {0: "", 1: ""} and record.get(plural) is None
    assert signature(75.0).startswith("pubflow-memory/1 rapidfuzz-") and signature(75.0).endswith(" ratio>=75")

    # Nothing changed since: the locale is skipped, its size told from the record, no byte written.
    before = path.read_bytes()
    runs = project / "_build" / "cache" / "memory-runs.json"
    record_of_runs = json.loads(runs.read_text(encoding="utf-8"))
    assert record_of_runs["schema"] == "pubflow-memory-runs/1"
    assert sorted(record_of_runs["units"]["en"]) == ["size", "state"]
    assert record_of_runs["units"]["en"]["size"] == result.memory_sizes["en"]
    again = propose_from_memory(config, [config.locale("en"), config.locale("zh_TW")])
    assert (again.exact, again.fuzzy, again.written, again.memory_sizes) == (0, 0, [], result.memory_sizes)
    assert again.locales_skipped == ["zh_TW"] and path.read_bytes() == before
    record_of_runs["units"]["en"]["size"] = 999  # what a skipped run reports: it read no catalog
    runs.write_text(json.dumps(record_of_runs), encoding="utf-8")
    assert propose_from_memory(config, [config.locale("en")]).memory_sizes == {"en": 999}

    # A reviewer approves the close matches (clears fuzzy): theirs now, written down even with nothing else to do.
    close.flags.remove("fuzzy")
    po.find(SECOND_TITLE).flags.remove("fuzzy")
    po.save(str(path))
    approving = propose_from_memory(config, [config.locale("en")])
    assert (approving.approved, approving.adopted, approving.written) == (2, 0, [path])
    # Then rewrites the exact ones: all are theirs now.
    po = catalog(project, "second")
    exact = po.find("作者：蔡长春")
    exact.msgstr = "Written by Cai Changchun"
    po.find(FIRST_TITLE).msgstr = "Part One"
    po.save(str(path))
    meter = Counting()
    third = propose_from_memory(config, [config.locale("en")], meter=meter)
    assert (third.exact, third.fuzzy, third.approved, third.adopted, third.written) == (0, 0, 0, 2, [path])
    assert (meter.expected, meter.done) == ([1], 1)
    po, record = catalog(project, "second"), load_record(path)
    for msgid in ("作者：蔡长春", CHANGED_SOURCE, SECOND_TITLE, FIRST_TITLE):
        assert state_of(po.find(msgid), record) is State.PERSON and not po.find(msgid).tcomment
        assert record.get(po.find(msgid)) is None or record.get(po.find(msgid)).machine is None
    assert po.find("作者：蔡长春").msgstr == "Written by Cai Changchun"


def test_the_memory_keeps_the_first_translation_of_a_source_and_proposes_by_similarity() -> None:
    from pubflow.exchange.tmx import Pair
    from pubflow.memory import Proposal, TranslationMemory

    memory = TranslationMemory()
    for pair in [
        Pair("以合作促安全。", "Security through cooperation.", "a"),
        Pair("以合作促安全。", "A later translation.", "b"),  # the first pair added wins
        Pair("", "no source", "c"),
        Pair("无译文", "", "c"),
        Pair("甲乙丙丁戊己庚辛壬癸", "ten", "d"),
    ]:
        memory.add(pair)
    assert len(memory) == 2 and memory.exact["以合作促安全。"].origin == "a"
    exact = memory.propose("以合作促安全。", 75.0)
    assert exact is not None and exact.exact and exact.similarity == 100.0
    assert exact.comment == "pubflow memory: 100% a"
    close = memory.propose("甲乙丙丁戊己庚辛壬", 75.0)  # one of ten characters left out: 1 - 1/19
    assert close is not None and not close.exact and close.pair.target == "ten"
    assert round(close.similarity, 2) == 94.74 and close.comment == "pubflow memory: 94% d"
    assert memory.propose("甲乙丙丁戊己庚辛壬", 95.0) is None
    assert memory.propose("完全不同的话", 75.0) is None
    # Added after a search: the next search sees it.
    memory.add(Pair("甲乙丙丁戊己庚辛壬", "nine", "e"))
    found = memory.propose("甲乙丙丁戊己庚辛壬", 75.0)
    assert found is not None and found.exact and found.pair.target == "nine"
    assert Proposal(Pair("x", "y", "z"), 99.99).exact is False and Proposal(Pair("x", "y", "z"), 100.0).exact
    many = memory.propose_many(["以合作促安全。", "甲乙丙丁戊己庚辛", "完全不同的话"], 75.0)
    assert {source: p.pair.target if p else None for source, p in many.items()} == {
        "以合作促安全。": "Security through cooperation.",
        "甲乙丙丁戊己庚辛": "nine",
        "完全不同的话": None,
    }


@pytest.mark.parametrize(
    ("threshold", "length", "found"),
    # Lengths a <= b are at most 200·a/(a+b) percent similar: at 75 %, 4 to 10 characters for 6 (10 exactly 75 %).
    # At 50 %, 2 to 18 characters: both ends whole numbers, reached whatever the rounding of the division.
    [(75.0, 3, False), (75.0, 4, True), (75.0, 5, True), (75.0, 10, True), (75.0, 11, False),
     (50.0, 1, False), (50.0, 2, True), (50.0, 18, True), (50.0, 19, False)],
)  # fmt: skip
def test_the_length_window_reaches_exactly_the_lengths_that_can_meet_the_threshold(
    threshold: float, length: int, found: bool
) -> None:
    from pubflow.memory import _best_in_window

    source = "甲" * length
    best = _best_in_window("甲" * 6, [length], [source], threshold)
    assert best == ((source, 200.0 * min(6, length) / (6 + length)) if found else None)


def test_the_memory_comment_follows_the_machine_note_and_is_replaced() -> None:
    from pubflow.memory import set_memory_comment

    entry = polib.POEntry(msgid="a", msgstr="b", tcomment="pubflow: machine output (memory), not yet reviewed\nmine")
    set_memory_comment(entry, "pubflow memory: 90% doc")
    assert entry.tcomment == "pubflow: machine output (memory), not yet reviewed\npubflow memory: 90% doc\nmine"
    set_memory_comment(entry, "pubflow memory: 80% other")
    assert entry.tcomment.split("\n")[1:] == ["pubflow memory: 80% other", "mine"]
    set_memory_comment(entry, None)
    assert entry.tcomment == "pubflow: machine output (memory), not yet reviewed\nmine"
    bare = polib.POEntry(msgid="a", msgstr="b")
    set_memory_comment(bare, "pubflow memory: 90% doc")
    assert bare.tcomment == "pubflow memory: 90% doc"


def test_the_catalogs_pairs_are_read_again_only_when_a_catalog_or_its_record_changed(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.memory import cached_catalog_pairs, catalog_documents, catalog_pairs, memory_cache_path

    project = small_project(tmp_path)
    nested = en_catalog_path(project, "part/third")
    nested.parent.mkdir()
    shutil.copy(en_catalog_path(project, "index"), nested)
    config = load_config(project)
    en = config.locale("en")
    assert [document for document, _path in catalog_documents(config, en)] == [
        ARTICLE, "index", "part/third", "second"
    ]  # fmt: skip
    assert list(catalog_documents(config, config.locale("zh_CN"))) == []  # no folder
    with_work: set[str] = set()
    pairs = list(cached_catalog_pairs(config, en, with_work))
    assert pairs == list(catalog_pairs(config, en))
    assert with_work == {"second"}  # every other message translated by a person
    assert ("来源：法制日报——法制网", "From the Legal Daily", "second") in [
        (p.source, p.target, p.origin) for p in pairs
    ]
    cache = memory_cache_path(config, en)
    written = cache.stat().st_mtime_ns
    # Read from the cache (a catalog made unreadable would otherwise fail), and not written again.
    second = en_catalog_path(project, "second")
    assert list(cached_catalog_pairs(config, en)) == pairs and cache.stat().st_mtime_ns == written
    # A record that changes makes its catalog read again: a message becomes machine output.
    po = polib.pofile(str(second), wrapwidth=0)
    own = po.find(OWN_SOURCE)
    from pubflow.review import mark_machine, save_with_catalog

    record = load_record(second)
    mark_machine(own, record, own.msgstr, "mt", "test")
    save_with_catalog(record, po, second, po.__unicode__(), None)
    again = {(p.source, p.origin): p.machine for p in cached_catalog_pairs(config, en)}
    assert again[OWN_SOURCE, "second"] is True and again[OWN_SOURCE, ARTICLE] is False
    # Per catalog: the digest of its bytes and its record's, its pairs, whether the memory stage has work in it.
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert OWN_SOURCE in cache.read_text(encoding="utf-8")  # UTF-8 text, not \u escapes: half the size
    assert sorted(stored) == [ARTICLE, "index", "part/third", "second"]
    assert all(sorted(known) == ["pairs", "sha256", "work"] for known in stored.values())
    assert [stored[document]["work"] for document in sorted(stored)] == [False, False, False, True]
    # An unchanged catalog's pairs come from the cache, not from the catalog.
    stored["index"]["pairs"] = [["索引", "from the cache", False]]
    cache.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    cached = [(p.source, p.target) for p in cached_catalog_pairs(config, en) if p.origin == "index"]
    assert cached == [("索引", "from the cache")]
    # A cache written before it noted the work: every catalog is looked at.
    for known in stored.values():
        del known["work"]
    cache.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    with_work.clear()
    list(cached_catalog_pairs(config, en, with_work))
    assert with_work == {ARTICLE, "index", "part/third", "second"}
    # A cache damaged by hand is rebuilt.
    stored["index"]["pairs"] = "damaged"
    for damage in ("[1, 2]", "{not json", '{"second": {"sha256": "x"}}', json.dumps(stored)):
        cache.write_text(damage, encoding="utf-8")
        assert {(p.source, p.origin): p.machine for p in cached_catalog_pairs(config, en)} == again
        assert json.loads(cache.read_text(encoding="utf-8"))["second"]["sha256"] != "x"
        assert isinstance(json.loads(cache.read_text(encoding="utf-8"))["index"]["pairs"], list)


def test_which_messages_are_memory_output_and_which_want_a_proposal(tmp_path: Path) -> None:
    from pubflow.memory import TranslationMemory, is_memory_output, is_unreviewed, wants_proposal
    from pubflow.review import ReviewRecord, mark_machine

    record = ReviewRecord(tmp_path / "x.review.json", existed=True)

    def machine(msgid: str, origin: str, fuzzy: bool = False, previous: str | None = None) -> polib.POEntry:
        entry = polib.POEntry(msgid=msgid)
        mark_machine(entry, record, f"text of {msgid}", origin, "test")
        if fuzzy:
            entry.flags.append("fuzzy")
        entry.previous_msgid = previous
        return entry

    exact, close = machine("a", "memory"), machine("b", "memory, fuzzy", fuzzy=True)
    approved, opencc = machine("c", "memory, fuzzy"), machine("d", "opencc")
    needs_work = machine("e", "memory", fuzzy=True)  # a reviewer marked an exact match fuzzy
    changed = machine("f", "memory", fuzzy=True, previous="f before")  # msgmerge: its source changed
    person = polib.POEntry(msgid="g", msgstr="a person's")
    empty, obsolete = polib.POEntry(msgid="h"), polib.POEntry(msgid="i", obsolete=True)
    plural = polib.POEntry(msgid="j", msgid_plural="js", msgstr_plural={0: "", 1: ""})
    header = polib.POEntry(msgid="", msgstr="")
    entries = [exact, close, approved, opencc, needs_work, changed, person, empty, obsolete, plural, header]
    assert [is_memory_output(e, record) for e in entries] == [True, True, False, False, True, True] + [False] * 5
    assert [is_unreviewed(e, record) for e in entries] == [True, True, False, True, True, True] + [False] * 5
    assert [wants_proposal(e, record) for e in entries] == [False, True, False, False, False, True, False, True] + [
        False
    ] * 3
    assert TranslationMemory().propose("以合作促安全。", 75.0) is None  # an empty memory proposes nothing


def test_the_catalog_pairs_leave_out_what_no_memory_may_hold(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.memory import cached_catalog_pairs, catalog_pairs, memory_cache_path

    project = copy_project(tmp_path / "project")
    path = en_catalog_path(project, "odd")
    header = en_catalog_path(project, "index").read_text(encoding="utf-8").split("\n\n")[0]
    path.write_text(
        header + "\n\n"
        'msgid "旧的"\nmsgstr "old, first"\n\n'
        '#~ msgid "过时"\n#~ msgstr "obsolete"\n\n'  # obsolete, and not at the end
        'msgid "一条"\nmsgid_plural "多条"\nmsgstr[0] "one"\nmsgstr[1] "many"\n\n'
        '#, fuzzy\nmsgid "模糊"\nmsgstr "fuzzy"\n\n'
        'msgid "空的"\nmsgstr ""\n\n'
        'msgid "最后"\nmsgstr "last"\n',
        encoding="utf-8",
    )
    config = load_config(project)
    en = config.locale("en")
    odd = [(p.source, p.target) for p in catalog_pairs(config, en) if p.origin == "odd"]
    assert odd == [("旧的", "old, first"), ("过时", "obsolete"), ("最后", "last")]
    odd = [(p.source, p.target) for p in catalog_pairs(config, en, with_obsolete=False) if p.origin == "odd"]
    assert odd == [("旧的", "old, first"), ("最后", "last")]
    with_work: set[str] = set()
    assert all(p.source for p in cached_catalog_pairs(config, en, with_work))
    assert with_work == {"odd"}
    assert memory_cache_path(config, en) == project / "_build" / "cache" / "memory-en.json"
    assert memory_cache_path(config, en).is_file()
    # Untranslated only where obsolete or plural: nothing for the memory stage to do.
    path.write_text(
        header + '\n\nmsgid "一条"\nmsgid_plural "多条"\nmsgstr[0] ""\nmsgstr[1] ""\n\n#~ msgid "过时"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    with_work.clear()
    list(cached_catalog_pairs(config, en, with_work))
    assert with_work == set()


def test_the_memory_stage_reads_tmx_files_and_proposes_again_only_when_the_memory_changed(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.exchange.tmx import Pair, write_tmx
    from pubflow.memory import propose_from_memory

    project = small_project(tmp_path)
    path = en_catalog_path(project, "second")
    config = load_config(project)
    en = [config.locale("en")]
    legacy, bare = tmp_path / "legacy.tmx", tmp_path / "bare.tmx"
    write_tmx(legacy, "zh_CN", [("en", [Pair(NEW_SOURCE, "A brand-new sentence.", "old memory")])])
    write_tmx(bare, "zh_CN", [("fr", [Pair(NEW_SOURCE, "Une phrase.", "other")])])
    people = person_sources(project)
    result = propose_from_memory(config, en, [legacy, bare])
    assert (result.exact, result.fuzzy, result.written) == (3, 2, [path])
    assert result.memory_sizes == {"en": people + 1}
    assert result.tmx_without_pairs == [(bare, "en")]
    new = catalog(project, "second").find(NEW_SOURCE)
    assert new.msgstr == "A brand-new sentence." and "pubflow memory: 100% legacy.tmx: old memory" in new.tcomment

    # The memory changed, but not for this catalog: the same proposals are not made again, nothing written.
    write_tmx(
        legacy, "zh_CN", [("en", [Pair(NEW_SOURCE, "A brand-new sentence.", "old memory"), Pair("甲", "A", "x")])]
    )
    again = propose_from_memory(config, en, [legacy])
    assert (again.exact, again.fuzzy, again.written, again.memory_sizes["en"]) == (0, 0, [], people + 2)

    # A person improves the sentence the close match came from: that fuzzy proposal is made anew; the exact one stays.
    first_path = en_catalog_path(project, ARTICLE)
    first = catalog(project, ARTICLE)
    first.find("以合作促安全，以安全促发展。").msgstr = "Security through cooperation."
    first.save(str(first_path))
    write_tmx(legacy, "zh_CN", [("en", [Pair(NEW_SOURCE, "A changed sentence.", "old memory")])])
    # And a proposal a person edited went out of the article (msgmerge made it obsolete): left as it is.
    po = catalog(project, "second")
    gone = po.find(NEW_SOURCE)
    gone.msgstr, gone.obsolete = "Edited, then dropped", True
    po.save(str(path))
    third = propose_from_memory(config, en, [legacy])
    assert (third.exact, third.fuzzy, third.adopted, third.written) == (0, 1, 0, [path])
    po = catalog(project, "second")
    assert po.find(CHANGED_SOURCE).msgstr == "Security through cooperation." and po.find(CHANGED_SOURCE).fuzzy
    gone = po.find(NEW_SOURCE, include_obsolete_entries=True)
    assert gone.obsolete and gone.msgstr == "Edited, then dropped" and "pubflow memory: 100%" in gone.tcomment


def test_a_proposal_ending_in_a_line_break_its_source_lacks_is_never_made(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.exchange.tmx import Pair, write_tmx
    from pubflow.memory import propose_from_memory

    project = small_project(tmp_path)
    lonely = polib.POFile(wrapwidth=0)  # a catalog with nothing the memory can fill
    lonely.metadata = catalog(project, "second").metadata
    lonely.append(polib.POEntry(msgid=NEW_SOURCE, msgstr=""))
    lonely.save(str(en_catalog_path(project, "lonely")))
    config = load_config(project)
    legacy = tmp_path / "legacy.tmx"
    write_tmx(legacy, "zh_CN", [("en", [Pair(NEW_SOURCE, "A brand-new sentence.\n", "old memory")])])
    result = propose_from_memory(config, [config.locale("en")], [legacy])
    assert (result.exact, result.fuzzy, result.written) == (2, 2, [en_catalog_path(project, "second")])
    assert not catalog(project, "second").find(NEW_SOURCE).msgstr
    assert not en_catalog_path(project, "lonely").with_suffix(".review.json").exists()  # nothing written for it


def test_many_catalogs_read_on_every_core_give_what_one_reader_gives(tmp_path: Path) -> None:
    from pubflow.config import load_config
    from pubflow.memory import cached_catalog_pairs, catalog_pairs

    project = small_project(tmp_path)
    folder = project / "locale" / "en" / "LC_MESSAGES" / "many"
    folder.mkdir()
    text = en_catalog_path(project, "index").read_text(encoding="utf-8")
    for number in range(16):  # enough to be read by worker processes
        (folder / f"{number:02d}.po").write_text(text.replace("pubflow Reader", f"Reader {number}"), "utf-8")
    config = load_config(project)
    en = config.locale("en")
    with_work: set[str] = set()
    pairs = list(cached_catalog_pairs(config, en, with_work))
    assert pairs == list(catalog_pairs(config, en)) and len(pairs) > 16
    assert [p.target for p in pairs if p.origin.startswith("many/")] == [f"Reader {n}" for n in range(16)]
    assert with_work == {"second"}


def test_the_memory_stage_keeps_a_save_made_while_it_worked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pubflow.memory
    from pubflow.config import load_config
    from pubflow.fileio import ChangedMeanwhile

    project = small_project(tmp_path)
    path = en_catalog_path(project, "second")
    config = load_config(project)
    real_save = pubflow.memory.save_with_catalog
    saved = path.read_text(encoding="utf-8").replace('msgstr "From the Legal Daily"', 'msgstr "Saved in Poedit"')

    def editor_saves_first(*args: object, **kwargs: object) -> bool:
        path.write_text(saved, encoding="utf-8")  # the translator's save, after the stage read the catalog
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pubflow.memory, "save_with_catalog", editor_saves_first)
    with pytest.raises(ChangedMeanwhile):
        pubflow.memory.propose_from_memory(config, [config.locale("en")])
    assert path.read_text(encoding="utf-8") == saved
