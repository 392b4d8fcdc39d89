"""Japanese, Korean and French editions by configuration alone: every gate passes, and pubflow speaks each language.

A copy of the shipped publication gets three locales in ``[tool.pubflow.locales]``
and a zh_CN–ja parallel edition in ``bilingual``, nothing else: no code, no
template, each published as it stands (``publish = "always"``, an editor's choice for a partly
translated edition). A translator's few messages in each (dates, counts, quotations in
each language's own marks) pass ``check``; ``coverage`` passes the thresholds
set for them; ``build`` makes their HTML and PDF, and ``publish`` every edition.
The pages are in each edition's language, pubflow's labels and Sphinx's alike,
and a publication's own catalog overrides one of pubflow's strings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import polib
import pytest
from fontTools.ttLib import TTCollection

from tests.conftest import ARTICLE, REPO, copy_project, run_pubflow
from tests.test_pdf import SERIF_CJK, glyphs_in_pdf

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

NNBSP = "\u202f"
# A few messages translated: the editor publishes these editions as they are (publish = "always"), since the
# default policy (publish = "complete") holds a partly translated article back.
LOCALES = """
[tool.pubflow.locales.ja]
label = "日本語"
produced-by = "translation"
threshold = 5
publish = "always"

[tool.pubflow.locales.ko]
label = "한국어"
produced-by = "translation"
threshold = 5
publish = "always"

[tool.pubflow.locales.fr]
label = "Français"
produced-by = "translation"
threshold = 5
publish = "always"
spelling = "fr_FR"
"""
TITLE = "全国公安机关国际执法安全合作述评（上）"
SUBTITLE = "为全球安全治理贡献“中国力量”"
MOTTO = "以合作促安全，以安全促发展。"
HIJACK = "2011年10月5日，两艘中国籍货船"  # the start of the message
# fmt: off
TRANSLATIONS = {
    "ja": {
        TITLE: "全国の公安機関による国際法執行・安全協力の論評（上）",
        SUBTITLE: "グローバルな安全保障ガバナンスに「中国の力」を",
        MOTTO: "協力で安全を促し、安全で発展を促す。",
        HIJACK: "2011年10月5日、中国籍の貨物船2隻がメコン川の孟喜島付近の水域でナウカム武装集団に乗っ取られ、"
                "中国人船員13人が殺害されて、かつて「黄金水道」と呼ばれたメコン川は航行停止を余儀なくされた。",
        "pubflow 文选": "pubflow 文選",
    },
    "ko": {
        TITLE: "전국 공안기관의 국제 법집행·안보 협력 평론(상)",
        SUBTITLE: "글로벌 안보 거버넌스에 “중국의 힘”을 보태다",
        MOTTO: "협력으로 안전(安全)을 촉진하고, 안전으로 발전을 촉진한다.",  # Hanja where a writer wants them
        HIJACK: "2011년 10월 5일 중국 국적 화물선 두 척이 메콩강 멍시섬 수역에서 나우캄 무장 조직에 납치되고 "
                "중국인 선원 13명이 숨졌으며, 한때 “황금 수로”로 불리던 메콩강은 운항이 중단되었다.",
        "pubflow 文选": "pubflow 문선",
    },
    "fr": {
        TITLE: "La coopération internationale des organes de sécurité publique (première partie)",
        SUBTITLE: f"Apporter la «{NNBSP}force chinoise{NNBSP}» à la gouvernance mondiale de la sécurité",
        MOTTO: "Promouvoir la sécurité par la coopération, et le développement par la sécurité.",
        HIJACK: f"Le 5 octobre 2011, deux cargos chinois ont été détournés par la bande armée de Naw Kham sur le "
                f"Mékong, au large de l’île de Mengxi{NNBSP}; treize membres d’équipage chinois ont été tués, et le "
                f"Mékong, jadis appelé la «{NNBSP}voie d’or{NNBSP}», a été fermé à la navigation.",
        "pubflow 文选": "Recueil pubflow",
    },
}
# fmt: on
# The publication's own wording for one of pubflow's strings, in its own catalog.
OVERRIDE = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    'msgid "Not yet translated"\nmsgstr "Traduction à venir"\n'
)


def translate(project: Path, locale: str) -> None:
    """What a translator does in Poedit: a few messages of the article and the publication's name."""
    for name in (ARTICLE, "index"):
        path = project / "locale" / locale / "LC_MESSAGES" / f"{name}.po"
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            for start, text in TRANSLATIONS[locale].items():
                if entry.msgid.startswith(start):
                    entry.msgstr = text
        catalog.save()


def gate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_pubflow(*args, cwd=project, env={"CI": "true"})
    assert result.returncode == 0, f"pubflow {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("languages") / "project")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace('bilingual = ["zh_CN:en", "zh_TW:en"]', 'bilingual = ["zh_CN:en", "zh_TW:en", "zh_CN:ja"]')
    pyproject.write_text(text + LOCALES, encoding="utf-8")
    # Names go in the project's word list, as for English (the glossary has no French column).
    words = (REPO / "spelling-words.txt").read_text(encoding="utf-8") + "Naw\nKham\nMengxi\n"
    (project / "spelling-words.txt").write_text(words, encoding="utf-8")
    own = project / "interface" / "fr" / "LC_MESSAGES"
    own.mkdir(parents=True)
    (own / "pubflow.po").write_text(OVERRIDE, encoding="utf-8")
    gate(project, "extract")
    gate(project, "update")
    for locale in TRANSLATIONS:
        translate(project, locale)
    return project


def test_check_and_coverage_pass_for_the_new_locales(published: Path) -> None:
    report = json.loads(gate(published, "check", "--format", "json").stdout)
    assert report["errors"] == 0, report["findings"]
    coverage = json.loads(gate(published, "coverage", "--format", "json").stdout)
    passed = {locale["locale"]: locale["passed"] for locale in coverage["locales"]}
    assert passed == {"en": True, "zh_TW": True, "ja": True, "ko": True, "fr": True}


def test_a_mistake_in_each_new_locale_fails_check(published: Path, tmp_path: Path) -> None:
    project = tmp_path / "mistaken"
    shutil.copytree(published, project, ignore=shutil.ignore_patterns("_build"))
    mistakes = {
        "ja": ("2隻", "隻", "numbers", "2 is missing"),
        "ko": ("“황금 수로”", "「黄金水道」", "script", "Simplified-only (no Hanja) character"),
        "fr": (f"«{NNBSP}voie d’or{NNBSP}»", "“voie d’or”", "punctuation", "use « » for quotations in French"),
    }
    for locale, (find, replace, _check, _words) in mistakes.items():
        path = project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"
        path.write_text(path.read_text(encoding="utf-8").replace(find, replace, 1), encoding="utf-8")
    result = run_pubflow("check", "--format", "json", cwd=project)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    for locale, (_find, _replace, check, words) in mistakes.items():
        assert any(
            f["check"] == check and f"locale/{locale}/" in f["file"] and words in f["message"] for f in findings
        ), (locale, findings)


def test_build_and_publish_every_edition(published: Path) -> None:
    gate(published, "build", "--format", "all", "-l", "ja", "-l", "ko", "-l", "fr", "--bilingual", "zh_CN:ja")
    gate(published, "publish")
    html, pdf = published / "_build" / "html", published / "_build" / "pdf"
    for edition in ["zh_CN", "en", "zh_TW", "ja", "ko", "fr", "bilingual/zh_CN-ja"]:
        assert (html / edition / f"{ARTICLE}.html").is_file(), edition
        name = f"{ARTICLE}.{edition.split('/')[-1]}.pdf"
        assert (pdf / edition / name).stat().st_size > 10_000, edition
    root = (html / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="ja"' in root and 'hreflang="ko"' in root and 'hreflang="fr"' in root
    assert "pubflow 문선" in root and "Recueil pubflow" in root


def page(published: Path, edition: str, name: str) -> str:
    return (published / "_build" / "html" / edition / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("locale", "lang", "labels"),
    [
        ("ja", "ja", ["未翻訳", "言語", "すべての版"]),
        ("ko", "ko", ["아직 번역되지 않음", "언어", "모든 판"]),
        # the publication's own catalog overrides pubflow's "Pas encore traduit"
        ("fr", "fr", ["Traduction à venir", "Langues", "Toutes les éditions"]),
    ],
)
def test_each_edition_speaks_its_language(published: Path, locale: str, lang: str, labels: list[str]) -> None:
    article = page(published, locale, f"{ARTICLE}.html")
    assert f'<html lang="{lang}"' in article
    assert TRANSLATIONS[locale][MOTTO] in article
    for label in labels:
        assert label in article, label
    assert "Not yet translated" not in article and "Pas encore traduit" not in article
    # The status page: its title and prose from pubflow's catalog, in the edition's language.
    status = page(published, locale, "status.html")
    title, first_prose = {
        "ja": ("翻訳状況", "この表は、各版が各文書をどこまで翻訳したか"),
        "ko": ("번역 현황", "이 표는 각 판이 각 문서를 얼마나 번역했는지"),
        "fr": ("État des traductions", "Le tableau indique où en est la traduction"),
    }[locale]
    assert f"<h1>{title}" in status and first_prose in status and "The table shows" not in status
    # Sphinx's own strings come from Sphinx's catalogs for the language: the search page and its scripts.
    search = page(published, locale, "search.html")
    sphinx_words = {"ja": "検索", "ko": "검색", "fr": "Recherche"}[locale]
    assert sphinx_words in search
    script = (published / "_build" / "html" / locale / "_static" / "translations.js").read_text("utf-8")
    messages = json.loads(script[script.index("(") + 1 : script.rindex(")")])["messages"]
    assert messages["Search Results"] != "Search Results"  # the search results' heading, in the language


@cache
def glyph_ids(region: str) -> dict[str, int]:
    """Each character's glyph in Noto Serif CJK's face for a region, read once."""
    face = next(
        f for f in TTCollection(str(SERIF_CJK)).fonts if f["name"].getDebugName(1) == f"Noto Serif CJK {region}"
    )
    return {chr(code): face.getGlyphID(name) for code, name in face.getBestCmap().items()}


def cjk_glyph(region: str, char: str) -> int:
    return glyph_ids(region)[char]


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_japanese_and_korean_pdfs_use_their_own_faces_and_line_breaking(published: Path) -> None:
    pdf = published / "_build" / "pdf"
    japanese = pdf / "ja" / f"{ARTICLE}.ja.pdf"
    korean = pdf / "ko" / f"{ARTICLE}.ko.pdf"
    # Noto CJK's faces share one name in a PDF (the collection's CFF); their glyphs differ: 安 in JP, KR is not SC's.
    # (Untranslated paragraphs are the Chinese source, rightly set in SC.)
    for path, locale, region in ((japanese, "ja", "JP"), (korean, "ko", "KR")):
        text = TRANSLATIONS[locale][MOTTO] + TRANSLATIONS[locale][HIJACK]
        own = sorted({c for c in text if "\u4e00" <= c <= "\u9fff" and cjk_glyph(region, c) != cjk_glyph("SC", c)})
        assert len(own) >= 2, region
        used = glyphs_in_pdf(path, "".join(own))
        assert all(cjk_glyph(region, c) in used[c] for c in own), (region, used)
    # Korean keeps its spaces between words (xeCJK drops spaces between CJK characters unless told).
    assert "안전으로 발전을 촉진한다." in pdftext(korean)
    # Japanese: no line starts with a small kana or the long-vowel mark (kinsoku).
    for line in pdftext(japanese).splitlines():
        assert not re.match(r"\s*[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー]", line), line
    # The zh_CN–ja parallel edition: each column in its own face.
    bilingual = pdf / "bilingual" / "zh_CN-ja" / f"{ARTICLE}.zh_CN-ja.pdf"
    japanese_only = [c for c in "協力安全発展促" if cjk_glyph("JP", c) != cjk_glyph("SC", c)]  # 安, 展
    used = glyphs_in_pdf(bilingual, "".join(japanese_only))
    assert japanese_only and all(cjk_glyph("JP", c) in used[c] for c in japanese_only)


def test_the_glyph_check_guards_japanese_and_korean(published: Path, tmp_path: Path) -> None:
    project = tmp_path / "glyph"
    shutil.copytree(published, project, ignore=shutil.ignore_patterns("_build"))
    for locale in ("ja", "ko"):
        path = project / "locale" / locale / "LC_MESSAGES" / f"{ARTICLE}.po"
        motto = TRANSLATIONS[locale][MOTTO]
        path.write_text(path.read_text(encoding="utf-8").replace(motto, motto + "\U00020001", 1), encoding="utf-8")
    for locale in ("ja", "ko"):
        result = run_pubflow("build", "--format", "pdf", "-l", locale, cwd=project, env={"CI": "true"})
        assert result.returncode == 2, result.stderr
        assert "missing glyphs" in result.stderr and "\U00020001" in result.stderr
        assert not (project / "_build" / "pdf" / locale / f"{ARTICLE}.{locale}.pdf").exists()
