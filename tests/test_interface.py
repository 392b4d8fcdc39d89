"""pubflow's own interface strings: one catalog pubflow ships, complete in every language, and overridable.

The template is held to what the code and the theme use (Babel's extractors,
as for any gettext project), each language's catalog to the template (msgfmt
and pubflow's own script and punctuation checks judge each translation), and
a publication's own catalog wins over pubflow's.
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from babel.messages.extract import extract_from_file

from pubflow.checks.model import EntryContext
from pubflow.checks.punctuation import check_punctuation
from pubflow.checks.script import check_script
from pubflow.config import LocaleConfig
from pubflow.glossary import Glossary
from pubflow.interface import SOURCE_CATALOGS, compiled, label_for, merged_catalog

PACKAGE = Path(__file__).resolve().parents[1] / "pubflow"
LANGUAGES = ["zh_CN", "zh_TW", "zh_HK", "en", "ja", "ko", "fr", "de"]


def used_strings() -> set[str]:
    """Every string the code marks for the catalog (``_``, ``N_``) and the theme asks for (``pubflow_label``)."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        found |= {m[1] for m in extract_from_file("python", str(path), keywords={"_": None, "N_": None})}
    for path in sorted((PACKAGE / "theme").glob("*.html")):
        found |= {
            m[1] for m in extract_from_file("jinja2.ext:babel_extract", str(path), keywords={"pubflow_label": None})
        }
    return {s for s in found if isinstance(s, str)}


def test_the_template_holds_exactly_the_strings_pubflow_uses() -> None:
    template = {e.msgid for e in polib.pofile(str(SOURCE_CATALOGS / "pubflow.pot"))}
    used = used_strings()
    assert used - template == set(), "strings the code uses that the template lacks"
    assert template - used == set(), "strings of the template that nothing uses"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_translates_every_string(language: str) -> None:
    path = SOURCE_CATALOGS / language / "LC_MESSAGES" / "pubflow.po"
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    catalog = polib.pofile(str(path))
    template = {e.msgid for e in polib.pofile(str(SOURCE_CATALOGS / "pubflow.pot"))}
    translated = {e.msgid for e in catalog.translated_entries()}
    assert translated == template and not catalog.fuzzy_entries() and not catalog.obsolete_entries()
    locale = LocaleConfig(name=language, label=language, method="translation")
    glossary = Glossary(path.parent / "glossary.csv", "en", [])
    for entry in catalog.translated_entries():
        # inline literals (``pubflow coverage``) are kept as they are
        assert re.findall(r"``[^`]+``", entry.msgstr) == re.findall(r"``[^`]+``", entry.msgid), entry.msgid
        if language != "en":
            ctx = EntryContext(path, entry, locale, "en", glossary)
            assert [str(f) for f in (*check_script(ctx), *check_punctuation(ctx))] == []


def test_a_publication_overrides_any_string_and_adds_a_language(tmp_path: Path) -> None:
    own = tmp_path / "interface" / "fr" / "LC_MESSAGES"
    own.mkdir(parents=True)
    (own / "pubflow.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Not yet translated"\nmsgstr "En attente de traduction"\n\n'
        '#, fuzzy\nmsgid "Bilingual"\nmsgstr "Deux langues"\n',
        encoding="utf-8",
    )
    assert label_for("fr", "Not yet translated", tmp_path) == "En attente de traduction"
    assert label_for("fr", "Bilingual", tmp_path) == "Bilingue"  # a fuzzy override is no override
    assert label_for("fr", "Not yet translated") == "Pas encore traduit"
    assert label_for("fr_CA", "Translation status") == "État des traductions"  # the language's, for a region
    assert label_for("zh_MO", "Bilingual") == "雙語對照"  # Macau reads Hong Kong's
    sv = tmp_path / "interface" / "sv" / "LC_MESSAGES"
    sv.mkdir(parents=True)
    (sv / "pubflow.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: sv\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Bilingual"\nmsgstr "Tvåspråkig"\n',
        encoding="utf-8",
    )
    assert merged_catalog("sv", tmp_path)["Bilingual"].string == "Tvåspråkig"
    assert label_for("sv", "Bilingual", tmp_path) == "Tvåspråkig"
    assert label_for("sv", "Notes", tmp_path) == "Notes"  # what it does not translate stays English


def test_a_compiled_catalog_is_the_same_bytes_whenever_it_is_compiled() -> None:
    """No time of compiling in it: every build compares them, and new bytes would read every page again."""
    for language in LANGUAGES:
        mo = compiled(language, None)
        assert datetime.now(UTC).strftime("%Y-%m-%d").encode() not in mo, language
        assert b"POT-Creation-Date: 1970-01-01 00:00+0000" in mo, language
