"""The rules of security, convert and update, in-process on real polib entries, OpenCC and msgmerge.

Fast (no Sphinx, no pubflow process), so that the mutation run (scripts/mutation.sh) can use them;
the command-line tests elsewhere prove the same promises end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from pubflow import links
from pubflow.checks.model import EntryContext
from pubflow.checks.security import check_security, check_source_markup, entry_security_problems, source_link_problems
from pubflow.compile import withhold_unsafe
from pubflow.config import load_config
from pubflow.conversion import ScriptConverter
from pubflow.convert import (
    CONVERTER_HEADER,
    cache_path,
    convert_catalogs,
)
from pubflow.errors import PubflowError
from pubflow.glossary import Glossary, load_glossary
from pubflow.update import carry_flags, catalog_path, merge_catalog, new_catalog, templates, update_catalogs
from tests.conftest import ARTICLE, REPO

CONFIG = load_config(REPO)


# -- security ---------------------------------------------------------------------------------


def security(msgid: str, msgstr: str) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    context = EntryContext(Path("x.po"), entry, CONFIG.locale("en"), "zh_CN", Glossary(Path("g.csv"), "zh_CN", []))
    findings = list(check_security(context))
    assert {(f.check, f.path, f.severity.value) for f in findings} <= {("security", Path("x.po"), "error")}
    return [finding.message for finding in findings]


@pytest.mark.parametrize(
    ("msgstr", "kind", "item"),
    [
        ("see https://evil.example/x", "URL", "https://evil.example/x"),
        ("see ftp://evil.example", "URL", "ftp://evil.example"),
        ("see file:///etc/passwd", "URL", "file:///etc/passwd"),
        ("see www.evil.example", "URL", "www.evil.example"),
        ("write to mailto:a@evil.example", "URL", "mailto:a@evil.example"),
        ("`x <javascript:alert(1)>`_", "script link", "javascript:"),
        ("`x <JavaScript :alert(1)>`_", "script link", "javascript :"),
        ("`x <vbscript:msgbox>`_", "script link", "vbscript:"),
        ("`x <data:text/html;base64,AAAA>`_", "script link", "data:"),
        ("a <script>alert(1)</script>", "raw HTML", "<script>"),
        ("a <img src=x onerror=alert(1)/>", "raw HTML", "<img src=x onerror=alert(1)/>"),
        # No space after the tag's name, as a browser reads it: still a tag.
        ("Title <img/src/onerror=alert(document.domain)>", "raw HTML", "<img/src/onerror=alert(document.domain)>"),
        ("a <svg><script>x</script>", "raw HTML", "<svg>"),
        ("a <!-- x -->", "raw HTML", "<!-- x -->"),
        ("a &#60; b", "raw HTML", "&#60;"),
        ("a \\input{secrets}", "raw LaTeX", "\\input"),
        ("a\n.. raw:: html", "directive", ".. raw::"),
        ("a .. include:: /etc/passwd", "include", "include::"),
        ("a .. literalinclude :: /etc/passwd", "include", "literalinclude ::"),
        ("a |name| b", "substitution", "|name|"),
    ],
)
def test_security_names_what_a_translation_adds(msgstr: str, kind: str, item: str) -> None:
    found = security("以合作促安全。", msgstr)
    assert f"the translation adds {kind} {item!r} that its source does not have" in found, found


@pytest.mark.parametrize(
    ("msgstr", "kind", "item"),
    [
        ("a :download:`x`", "role", ":download:`"),
        ("a `x`:file: b", "role", "`:file:"),
        ("a\n.. _evil: https://a.example", "hyperlink target", ".. _evil:"),
        ("a\n__ https://a.example", "hyperlink target", "__"),
        # docutils drops whitespace and backslashes in a target: these are javascript: links all the same.
        ("`x <java script:alert(1)>`_", "script link", "javascript:"),
        ("`x <java\\script:alert(1)>`_", "script link", "javascript:"),
        ("a\n.. _t: java script:alert(1)", "script link", "javascript:"),
        ("`x <run:calc.exe>`_", "script link", "run:"),  # a PDF reader may launch it
        # Off-site and file links however spelt, and what docutils links in running text (issue 25).
        ("`x <//evil.example/login>`_", "URL", "//evil.example/login"),
        ("`x <\\\\evil.example\\w.pdf>`_", "URL", "evil.examplew.pdf"),
        ("see http:\\evil.example/x", "URL", "http:\\evil.example/x"),
        ("`x <http:\\evil.example/x>`_", "URL", "http:\\evil.example/x"),
        ("`x <java\\script:alert(1)\\>>`_", "script link", "javascript:"),
        ("`x <../../../../etc/passwd.pdf>`_", "URL", "../../../../etc/passwd.pdf"),
        ("`x <evil.exe>`_", "URL", "evil.exe"),
        ("call tel:+123456 now", "script link", "tel:"),
        ("open smb://evil.example/share", "script link", "smb:"),
        ("write to phish@evil.example", "URL", "phish@evil.example"),
    ],
)
def test_security_names_markup_and_disguised_links_a_translation_adds(msgstr: str, kind: str, item: str) -> None:
    found = security("以合作促安全。", msgstr)
    assert f"the translation adds {kind} {item!r} that its source does not have" in found, found


@pytest.mark.parametrize(
    ("uri", "pdf", "problem"),
    [
        ("https://example.org/x", False, None),
        ("mailto:a@example.org", True, None),
        ("other.html#x", False, None),
        ("#section", True, None),
        ("//evil.example/login", False, "a protocol-relative link (//…, another site)"),
        ("\\\\evil.example\\w.pdf", False, "a protocol-relative link (//…, another site)"),
        ("http:\\evil.example/x", False, "an http: link without // (a browser goes to another site)"),
        ("java\\script:alert(1)", False, "a javascript: link"),
        (" JavaScript\t:alert(1)", False, "a javascript: link"),
        ("tel:+123", False, "a tel: link"),
        ("smb://evil.example/share", False, "a smb: link"),
        ("../../etc/passwd.pdf", True, "a relative link in a PDF (a reader opens or launches the file)"),
        ("evil.exe", True, "a relative link in a PDF (a reader opens or launches the file)"),
    ],
)
def test_one_link_rule_for_check_html_and_pdf(uri: str, pdf: bool, problem: str | None) -> None:
    assert links.link_problem(uri, pdf=pdf) == problem


def test_check_names_what_the_build_drops_from_a_source_message() -> None:
    """A source's own off-site or file link would make the guard drop it and refuse the edition: check says so."""
    assert source_link_problems("见 `文件 <../x.pdf>`_、`站 <//evil.example>`_、tel:+123 与 https://ok.example") == [
        ("../x.pdf", "a relative link in a PDF (a reader opens or launches the file)"),
        ("//evil.example", "a protocol-relative link (//…, another site)"),
        ("tel:+123", "a tel: link"),
    ]
    assert source_link_problems("见 `法制网 <http://www.legaldaily.com.cn/>`_ 与 :doc:`index`。") == []


def test_check_and_build_judge_a_fuzzy_message_alike() -> None:
    """A fuzzy message holding a script: check reports it, and the build withholds it, from one rule."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.append(polib.POEntry(msgid="以合作促安全。", msgstr="Security <script>alert(1)</script>", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgid="", msgstr="Last-Translator: A <a@example.org>\n"))
    entry = catalog[0]
    context = EntryContext(Path("x.po"), entry, CONFIG.locale("en"), "zh_CN", Glossary(Path("g.csv"), "zh_CN", []))
    reported = [finding.message for finding in check_security(context)]
    withheld = [finding.message for finding in withhold_unsafe(Path("x.po"), catalog)]
    assert (
        reported
        == withheld
        == [
            "the translation adds raw HTML '</script>' that its source does not have",
            "the translation adds raw HTML '<script>' that its source does not have",
        ]
    )
    assert entry.msgstr == ""


def test_security_allows_the_webs_own_links_in_a_target() -> None:
    source = "见 http://a.example 、 ftp://b.example 与 mailto:c@d.example"
    assert security(source, "see `a <http://a.example>`_, `b <ftp://b.example>`_, `c <mailto:c@d.example>`_") == []
    assert security(source, "see `a <HTTPS://a.example>`_") == [
        "the translation adds URL 'HTTPS://a.example' that its source does not have"
    ]


def test_a_skip_flag_does_not_silence_security() -> None:
    entry = polib.POEntry(msgid="以合作促安全。", msgstr="`x <javascript:alert(1)>`_", flags=["pubflow-skip-security"])
    context = EntryContext(Path("x.po"), entry, CONFIG.locale("en"), "zh_CN", Glossary(Path("g.csv"), "zh_CN", []))
    findings = [(f.severity.value, f.message) for f in check_security(context)]
    assert {f.check for f in check_security(context)} == {"security"}
    assert findings == [
        (
            "warning",
            "the flag pubflow-skip-security is ignored: the security check cannot be silenced; delete the flag",
        ),
        ("error", "the translation adds script link 'javascript:' that its source does not have"),
    ]


def test_security_allows_what_the_source_has_and_counts_each_addition() -> None:
    source = "见 https://a.example 与 |name| 和 ``\\input{x}``"
    assert security(source, "see https://a.example and |name| and ``\\input{x}``") == []
    twice = security(source, "see https://a.example and https://a.example and |name|")
    assert twice == ["the translation adds URL 'https://a.example' that its source does not have"]
    # Inside backticks, a link target or a literal is markup the markup check judges, not raw HTML or LaTeX.
    assert security("链接", "`link <https://a.example>`_") == [
        "the translation adds URL 'https://a.example' that its source does not have"
    ]
    assert security("代码", "``\\section`` and ``<b>``") == []
    assert security("安全", "plain words: data, script, include and a | b") == []


def test_security_counts_each_link_a_translation_adds_however_it_is_written() -> None:
    assert security("见 `a <tel:1>`_", "see `a <tel:1>`_ and `b <tel:2>`_") == [
        "the translation adds script link 'tel:' that its source does not have"
    ]
    assert security("见 tel:+1", "call tel:+1 or tel:+2") == [
        "the translation adds script link 'tel:' that its source does not have"
    ]
    assert security("见 `文件 <../x.pdf>`_", "see `file <../x.pdf>`_ and `again <../x.pdf>`_") == [
        "the translation adds URL '../x.pdf' that its source does not have"
    ]
    # A link target and plain text both read as javascript: (or data:), each occurrence counted once.
    assert security("见 javascript:y", "see `a <javascript:a>`_ and `b <javascript:b>`_") == [
        "the translation adds script link 'javascript:' that its source does not have"
    ]
    assert security("`a <javascript:x>`_ 与 javascript:y", "javascript:a javascript:b javascript:c") == [
        "the translation adds script link 'javascript:' that its source does not have"
    ]
    assert security("`a <javascript:x>`_ 与 javascript:y", "`a <javascript:x>`_ and javascript:y") == []
    # A disguised data: link beside a plain one (docutils links both): the disguised one is added.
    assert security("见 data:y", "see `a <da\\ta:text/html,x>`_ and data:y") == [
        "the translation adds script link 'data:' that its source does not have"
    ]


def test_security_reads_no_link_into_a_literal_or_an_empty_target() -> None:
    # As docutils reads them: a literal is no link target, and a scheme before a literal links nothing.
    assert security("代码", "see `x <``a``>`_ now") == []
    assert security("电话", "call tel:``+123`` now") == []
    assert security("比较", "a <``b`` c") == []
    assert security("目标", "a\n.. _t:") == [
        "the translation adds hyperlink target '.. _t:' that its source does not have"
    ]


def test_security_names_a_control_character_by_its_code_point_only() -> None:
    assert security("颜色", "red \x1b[31m text\u2028") == [
        "the translation adds control character 'U+001B' that its source does not have",
        "the translation adds control character 'U+2028' that its source does not have",
    ]
    assert security("颜色\x1b", "red \x1b text") == []


def test_security_shows_a_long_item_cut_at_sixty_characters() -> None:
    url = "https://evil.example/" + "a" * 39  # 60 characters: shown whole
    assert security("见", f"see {url}") == [f"the translation adds URL {url!r} that its source does not have"]
    assert security("见", f"see {url}b") == [
        f"the translation adds URL {url[:59] + '…'!r} that its source does not have"
    ]


def test_security_judges_every_plural_form_against_both_sources_and_skips_the_header_and_obsolete_ones() -> None:
    plural = polib.POEntry(
        msgid="%d link: https://a.example",
        msgid_plural="%d links: https://b.example",
        msgstr_plural={0: "%d link: https://b.example", 1: "%d links: https://a.example <b>"},
    )
    assert entry_security_problems(plural) == ["the translation adds raw HTML '<b>' that its source does not have"]
    obsolete = polib.POEntry(msgid="安全", msgstr="<script>", obsolete=True)
    header = polib.POEntry(msgid="", msgstr="Last-Translator: A <a@example.org>\n")
    assert entry_security_problems(obsolete) == entry_security_problems(header) == []


def test_security_of_a_source_message_names_raw_html_and_links_the_build_drops() -> None:
    entry = polib.POEntry(msgid="标题 <img/src/onerror=x> 与 `文件 <../x.pdf>`_ 与 <b>、<b> 与 ``<i>``", msgstr="")
    context = EntryContext(Path("x.po"), entry, CONFIG.locale("en"), "zh_CN", Glossary(Path("g.csv"), "zh_CN", []))
    found = [(f.check, f.severity.value, f.message) for f in check_source_markup(context)]
    assert found == [
        (
            "security",
            "error",
            "the source has raw HTML '<b>': editions show it as text, but it looks like markup pasted into the "
            "article; correct its document in docs/",
        ),
        (
            "security",
            "error",
            "the source has raw HTML '<img/src/onerror=x>': editions show it as text, but it looks like markup "
            "pasted into the article; correct its document in docs/",
        ),
        (
            "security",
            "error",
            "the source has a relative link in a PDF (a reader opens or launches the file) ('../x.pdf'), which the "
            "build drops and so refuses the edition; correct its document in docs/",
        ),
    ]
    entry.msgid = "比较 a <``b`` c"
    assert list(check_source_markup(context)) == []


def test_security_of_a_source_message_reads_links_in_the_order_they_are_found() -> None:
    assert source_link_problems("tel:+1 与 http:\\evil.example/x 与 Note:this 与 10:30 与 ``tel:+2``") == [
        ("http:\\evil.example/x", "an http: link without // (a browser goes to another site)"),
        ("tel:+1", "a tel: link"),
    ]
    assert source_link_problems("a\n.. _t: ../x.pdf") == [
        ("../x.pdf", "a relative link in a PDF (a reader opens or launches the file)")
    ]
    assert source_link_problems("a\n.. _t:") == source_link_problems("call tel:``+123`` now") == []
    assert source_link_problems("see `x <``a``>`_ now") == []


# -- convert ----------------------------------------------------------------------------------

TW = CONFIG.locale("zh_TW")


@pytest.fixture(scope="module")
def converter() -> ScriptConverter:
    return ScriptConverter(TW, load_glossary(CONFIG.glossary_path, CONFIG.source_language))


def catalog_of(*entries: polib.POEntry, signature: str | None = None) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=0)
    if signature:
        catalog.metadata[CONVERTER_HEADER] = signature
    for entry in entries:
        catalog.append(entry)
    return catalog


def test_convert_catalogs_writes_once_and_then_skips_by_its_cache(project: Path) -> None:
    config = load_config(project)
    path = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find("以合作促安全，以安全促发展。").msgstr = ""
    catalog.save()
    first = convert_catalogs(config, [config.locale("en"), config.locale("zh_TW")])
    assert first.written == [path] and first.converted == 1 and first.engine_calls > 0
    assert cache_path(config) == project / "_build" / "cache" / "convert.json"
    assert polib.pofile(str(path)).find("以合作促安全，以安全促发展。").msgstr == "以合作促安全，以安全促發展。"
    cache = json.loads(cache_path(config).read_text(encoding="utf-8"))
    assert len(cache) == len(list((project / "locale" / "zh_TW").rglob("*.po")))
    second = convert_catalogs(config, [config.locale("zh_TW")])
    assert (second.written, second.engine_calls, second.converted) == ([], 0, 0)
    assert sorted(second.skipped) == sorted((project / "locale" / "zh_TW").rglob("*.po"))


# -- update -----------------------------------------------------------------------------------


def pot(folder: Path, *msgids: str, name: str = "a") -> Path:
    template = polib.POFile(wrapwidth=0)
    template.metadata = {"Content-Type": "text/plain; charset=UTF-8", "POT-Creation-Date": "2017-09-25 10:00+0000"}
    for msgid in msgids:
        template.append(polib.POEntry(msgid=msgid, occurrences=[(f"docs/{name}.rst", "1")]))
    folder.mkdir(parents=True, exist_ok=True)
    template.save(str(folder / f"{name}.pot"))
    return folder / f"{name}.pot"


def test_update_creates_merges_keeps_flags_and_leaves_unchanged_catalogs_alone(project: Path) -> None:
    config = load_config(project)
    pot_dir = project / "_build" / "pots"
    template = pot(pot_dir, "以合作促安全。", "以安全促发展。")
    second = pot(pot_dir, "人民利益，至高无上。", name="b")
    en = config.locale("en")
    created = update_catalogs(config, [en], pot_dir)
    path = catalog_path(config, en, template, pot_dir)
    assert path == project / "locale" / "en" / "LC_MESSAGES" / "a.po"
    assert created.created == [path, catalog_path(config, en, second, pot_dir)]
    assert ARTICLE + ".po" in {p.name for p in created.orphaned}
    catalog = polib.pofile(str(path))
    assert catalog.metadata["Language"] == "en" and catalog.metadata["Plural-Forms"].startswith("nplurals=2;")
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8" and not catalog.metadata_is_fuzzy
    catalog.find("以合作促安全。").msgstr = "Cooperation for security."
    catalog.find("以合作促安全。").flags.append("pubflow-skip-numbers")
    catalog.find("以安全促发展。").msgstr = "Security for development."
    catalog.save()
    assert update_catalogs(config, [en], pot_dir).unchanged == [path, catalog_path(config, en, second, pot_dir)]

    pot(pot_dir, "以合作促进安全。", "以安全促发展。")
    merged = update_catalogs(config, [en], pot_dir)
    assert merged.updated == [path] and not merged.created
    entry = polib.pofile(str(path)).find("以合作促进安全。")
    assert entry.fuzzy and entry.previous_msgid == "以合作促安全。" and entry.msgstr == "Cooperation for security."
    assert "pubflow-skip-numbers" in entry.flags
    assert templates(pot_dir) == [template, second]
    with pytest.raises(PubflowError, match=r"nowhere: no \.pot templates; run pubflow extract first$"):
        templates(project / "nowhere")


def test_carry_flags_puts_back_only_what_msgmerge_dropped(tmp_path: Path) -> None:
    old = polib.POFile()
    old.append(polib.POEntry(msgid="甲", msgstr="A", flags=["machine-converted", "python-format", "fuzzy"]))
    old.append(polib.POEntry(msgid="乙", msgstr="B", flags=["no-wrap", "wrap", "c-format"]))
    gone = polib.POEntry(msgid="丙", msgstr="C", flags=["pubflow-skip-glossary"], obsolete=True)
    old.append(gone)
    merged = polib.POFile()
    merged.append(polib.POEntry(msgid="甲", msgstr="A", flags=["python-format"]))
    merged.append(polib.POEntry(msgid="乙", msgstr="B"))
    merged.append(polib.POEntry(msgid="丙丙", msgstr="C", flags=["fuzzy"], previous_msgid="丙"))
    # A message still present, fuzzy with a previous msgid of another message: its own flags, not the other's.
    old.append(polib.POEntry(msgid="丁", msgstr="D", flags=["pubflow-skip-markup"]))
    merged.append(polib.POEntry(msgid="丁", msgstr="D", flags=["fuzzy"], previous_msgid="甲"))
    assert carry_flags(old, merged) is True
    assert [e.flags for e in merged] == [
        ["machine-converted", "python-format"],
        [],
        ["fuzzy", "pubflow-skip-glossary"],
        ["fuzzy", "pubflow-skip-markup"],
    ]
    assert carry_flags(old, merged) is False


def test_merge_and_new_catalog_on_real_templates(tmp_path: Path) -> None:
    template = pot(tmp_path / "pots", "以合作促安全。", "以安全促发展。")
    fresh = new_catalog(template, TW)
    assert fresh.metadata["Language"] == "zh_TW" and fresh.metadata["Language-Team"] == TW.label
    assert fresh.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fresh.metadata["PO-Revision-Date"] == "2017-09-25 10:00+0000" and fresh.metadata_is_fuzzy is False
    assert fresh.header.startswith(f"{TW.label} (zh_TW) catalog of a.\nEdit the msgstr lines")
    assert all(not e.msgstr for e in fresh)
    seed = tmp_path / "seed.po"
    seed.write_text(str(fresh), encoding="utf-8")
    text, _ = merge_catalog(seed, template)
    merged = polib.pofile(text)
    assert [e.msgid for e in merged] == ["以合作促安全。", "以安全促发展。"]
    assert merged.metadata["Language"] == "zh_TW" and not any(e.fuzzy or e.msgstr for e in merged)
