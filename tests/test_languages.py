"""Checks that know each target language's script, punctuation and dictionary: ja, ko, fr, de.

Each row is a translation of a sentence of the shipped article (or of the same
kind of news) and the finding it must give, or None. The wrong ones make the
mistakes a translator or a careless copy makes: Chinese left in the text,
another language's quotation marks, a misspelt word.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pubflow.checks.model import EntryContext
from pubflow.checks.punctuation import check_punctuation
from pubflow.checks.script import check_script
from pubflow.checks.spelling import make_check_spelling
from pubflow.config import LocaleConfig
from pubflow.errors import PubflowError
from pubflow.glossary import Glossary

SOURCE = "以合作促安全，以安全促发展。"


def context(locale: str, translation: str, source: str = SOURCE) -> EntryContext:
    entry = polib.POEntry(msgid=source, msgstr=translation, linenum=9)
    target = LocaleConfig(name=locale, label=locale, method="translation")
    return EntryContext(Path("news.po"), entry, target, "zh_CN", Glossary(Path("glossary.csv"), "zh_CN", []))


# (locale, translation, words of the finding or None)
# fmt: off
SCRIPT: list[tuple[str, str, str | None]] = [
    # Japanese: kanji Japanese shares with Simplified Chinese (国, 学, 会) pass; untranslated Chinese does not.
    ("ja", "協力で安全を促し、安全で発展を促す。", None),
    ("ja", "国際法執行協力は中国の学会で議論された。", None),
    ("ja", "以合作促安全，以安全促发展。", "character 发 at column 12"),
    ("ja", "我们的国际执法合作。", "character 们"),
    ("ja", "協力で安全を促し、안전で発展を促す。", "Hangul left in the translation: 안전"),
    # Korean: Hangul, Hanja (Traditional) where used; Simplified forms, kana and Chinese alone do not belong.
    ("ko", "협력으로 안전을 촉진하고, 안전으로 발전을 촉진한다.", None),
    ("ko", "국제 법집행 협력(國際法執行協力)은 중요하다.", None),
    ("ko", "국제 법집행 협력(国际执法合作)은 중요하다.", "Simplified-only (no Hanja) character 国"),
    ("ko", "以合作促安全，以安全促發展。", "Chinese characters with no Hangul"),
    ("ko", "협력으로 안전を촉진한다.", "Japanese kana left in the translation: を"),
    # French and German: Latin letters; Chinese, kana and Hangul are left over.
    ("fr", "Promouvoir la sécurité par la coopération, et le développement par la sécurité.", None),
    ("fr", "Promouvoir la sécurité par la coopération, et le 发展 par la sécurité.", "Chinese characters left"),
    ("de", "Sicherheit durch Zusammenarbeit, Entwicklung durch Sicherheit.", None),
    ("de", "Sicherheit durch Zusammenarbeit, Entwicklung durch Sicherheit。", "full-width punctuation left"),
    ("de", "Sicherheit durch Zusammenarbeit (협력), Entwicklung durch Sicherheit.", "Hangul left"),
]

PUNCTUATION: list[tuple[str, str, str | None]] = [
    ("ja", "孟宏偉氏は「国際刑警組織は協力の場だ」と述べた。", None),
    ("ja", "孟宏偉氏は“国際刑警組織は協力の場だ”と述べた。", "use 「」 for quotations in Japanese"),
    ("ja", "中国、米国、日本が参加した。", None),
    ("ja", "中国，米国，日本が参加した。", "use 、 in Japanese, not the Chinese comma"),
    ("ja", "中国と米国が参加した.", "not the Latin '.'"),
    ("ja", "参加国は3.5倍に増えた。", None),
    ("ko", "중국, 미국, 일본이 참가했다. 《법제일보》가 보도했다.", None),
    ("ko", "중국，미국，일본이 참가했다。", "not the Chinese ，"),
    ("fr", "Il a déclaré\u202f: «\u202fla coopération est essentielle\u202f». Pourquoi\u202f?", None),
    ("fr", "Il a déclaré : « la coopération est essentielle ».", "after « in French"),
    ("fr", "Il a déclaré\u202f: «\u202fla coopération est essentielle ».", "before » in French"),
    ("fr", "Pourquoi ? Parce que la coopération est essentielle.", "before ; ! and ? in French, not ' ?'"),
    ("fr", "Il a déclaré: c'est essentiel.", "before : in French, not ':'"),
    ("fr", "Il a déclaré\u202f: “la coopération est essentielle”.", "not “ ”"),
    ("fr", "Il a déclaré\u202f: \"la coopération est essentielle\".", "not straight quotes"),
    ("fr", "Voir `le rapport <https://example.org/a?b=1>`_ à 10:15.", None),
    ("de", "Er sagte: „Die Zusammenarbeit ist wesentlich.“", None),
    ("de", "Er sagte: »Die Zusammenarbeit ist wesentlich.«", None),
    ("de", "Er sagte: “Die Zusammenarbeit ist wesentlich.”", "not the English closing ”"),
    ("de", "Er sagte: «Die Zusammenarbeit ist wesentlich.»", "not « »"),
    ("de", "Er sagte: \"Die Zusammenarbeit ist wesentlich.\"", "not straight quotes"),
    ("en", "He said: “Cooperation is essential.”", None),
]
# fmt: on


def _assert_findings(messages: list[str], expected: str | None) -> None:
    if expected is None:
        assert messages == []
    else:
        assert messages and expected in messages[0], messages


@pytest.mark.parametrize(("locale", "translation", "expected"), SCRIPT)
def test_script_follows_each_writing_system(locale: str, translation: str, expected: str | None) -> None:
    findings = list(check_script(context(locale, translation)))
    _assert_findings([f.message for f in findings], expected)
    assert all(f.check == "script" and f.line == 9 for f in findings)


@pytest.mark.parametrize(("locale", "translation", "expected"), PUNCTUATION)
def test_punctuation_follows_each_locale(locale: str, translation: str, expected: str | None) -> None:
    findings = list(check_punctuation(context(locale, translation)))
    _assert_findings([f.message for f in findings], expected)
    assert all(f.check == "punctuation" and f.line == 9 for f in findings)


# fmt: off
SPELLING: list[tuple[str, str, str, str | None]] = [
    ("fr", "fr_FR", "Aujourd'hui, l'entraide policière entre les pays du Mékong est régulière.", None),
    ("fr", "fr_FR", "Aujourd'hui, l'entraide policère entre les pays est régulière.", "'policère' is not in the fr_FR"),
    ("de", "de_DE", "Heute arbeiten die Polizeibehörden der Anrainerstaaten regelmäßig zusammen.", None),
    ("de", "de_DE", "Heute arbeiten die Polizeibehörden regelmässig zusammen.", "'regelmässig' is not in the de_DE"),
    ("ko", "ko_KR", "중국인 선원이 숨졌다. INTERPOL 협력은 중요하다.", None),
    ("ko", "ko_KR", "중국인 선원이 숨젔다.", "'숨젔다' is not in the ko_KR"),
]
# fmt: on


@pytest.mark.slow
@pytest.mark.parametrize(("locale", "tag", "translation", "expected"), SPELLING)
def test_spelling_uses_each_locales_hunspell_dictionary(
    tmp_path: Path, locale: str, tag: str, translation: str, expected: str | None
) -> None:
    glossary = Glossary(tmp_path / "glossary.csv", "zh_CN", [])
    check = make_check_spelling(tag, None, glossary, locale, tmp_path / "pyproject.toml")
    _assert_findings([f.message for f in check(context(locale, translation))], expected)


def test_spelling_says_plainly_that_debian_has_no_japanese_dictionary(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.pubflow.locales.ja]\nlabel = "日本語"\nspelling = "ja_JP"\n', encoding="utf-8")
    glossary = Glossary(tmp_path / "glossary.csv", "zh_CN", [])
    with pytest.raises(PubflowError) as raised:
        make_check_spelling("ja_JP", None, glossary, "ja", pyproject)
    assert raised.value.line == 3
    assert "Debian has no Japanese spelling dictionary" in raised.value.message
    assert "remove the spelling setting" in raised.value.message
