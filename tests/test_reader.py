"""The fast catalog reader builds polib's own objects, and msgfmt's verdicts are kept only for unchanged bytes."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import polib
import pytest
import sphinx

from pubflow import catalog as catalog_module
from pubflow.catalog import _GettextLines, load_catalog, parse_text
from pubflow.errors import PubflowError
from pubflow.poreader import read_entries
from tests.conftest import FIXTURES, REPO, run_pubflow

# Real catalogs nobody on this project wrote: Sphinx's own translations (about 70 languages), and ours.
REAL_CATALOGS = [
    *sorted((Path(sphinx.__file__).parent / "locale").glob("*/LC_MESSAGES/sphinx.po")),
    *sorted((REPO / "locale").rglob("*.po")),
    *sorted((FIXTURES / "catalogs").glob("*.po")),
]


def polib_reading(text: str) -> polib.POFile:
    return polib.pofile(_GettextLines(text), wrapwidth=0, encoding="utf-8")


def fields(catalog: polib.POFile) -> tuple[object, ...]:
    entries = [dict(vars(entry)) for entry in catalog]
    return catalog.header, dict(catalog.metadata), catalog.metadata_is_fuzzy, catalog.wrapwidth, entries


@pytest.mark.slow
def test_the_fast_reader_builds_what_polib_builds_on_real_catalogs() -> None:
    assert len(REAL_CATALOGS) > 60
    for path in REAL_CATALOGS:
        text = path.read_text(encoding="utf-8")
        fast = read_entries(text)
        assert fast is not None, f"{path} is in gettext's layout and should not need polib's reader"
        assert fields(fast) == fields(polib_reading(text)), path


ODD_BUT_VALID = {
    "header comments, fuzzy header, flags, previous msgid, context": (
        '# Title\n# Copyright\n#\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#. extracted\n# translator\n#: a.rst:1 b.rst:x c.rst\n#, fuzzy, python-format\n"
        '#| msgctxt "old"\n#| msgid "old "\n#| "text"\nmsgctxt "ctx"\nmsgid "new"\nmsgstr "nouveau"\n'
    ),
    "wrapped strings and escapes": (
        'msgid ""\n"a \\"quoted\\" "\n"line\\n"\n"tab\\tback\\\\slash"\nmsgstr ""\n"x\\\\"\n"y"\n'
    ),
    "plural forms and obsolete entries": (
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d fichier"\nmsgstr[1] ""\n"%d fichiers"\n\n'
        '#, fuzzy\n#~ msgctxt "c"\n#~ msgid "gone"\n#~ msgstr ""\n#~ "parti"\n\n'
        '#~ msgid "%d old"\n#~ msgid_plural "%d olds"\n#~ msgstr[0] "a"\n#~ msgstr[1] "b"\n'
    ),
    "comments as gettext reads them": '#note\n##double\n#  two spaces\n#: ref.rst:3\nmsgid "a"\nmsgstr "b"',
    "no header and blank lines around": '\n\n#: x.rst:1\nmsgid "a"\nmsgstr "b"\n\n\n\nmsgid "c"\nmsgstr ""\n\n',
}

LEFT_TO_POLIB = {
    "keyword touching its string": 'msgid"a"\nmsgstr "b"\n',
    "trailing comment": 'msgid "a"\nmsgstr "b"\n# the end\n',
    "carriage returns": 'msgid "a"\r\nmsgstr "b"\r\n',
    "indented keyword": '  msgid "a"\nmsgstr "b"\n',
    "bare reference line": '#:\nmsgid "a"\nmsgstr "b"\n',
    "obsolete previous": '#~| msgid "x"\n#~ msgid "a"\n#~ msgstr "b"\n',
}


@pytest.mark.parametrize("text", ODD_BUT_VALID.values(), ids=ODD_BUT_VALID.keys())
def test_the_fast_reader_reads_gettexts_variants_as_polib_does(text: str) -> None:
    fast = read_entries(text)
    assert fast is not None
    assert fields(fast) == fields(polib_reading(text))


@pytest.mark.parametrize("text", LEFT_TO_POLIB.values(), ids=LEFT_TO_POLIB.keys())
def test_other_layouts_are_left_to_polibs_reader_with_the_same_result(text: str) -> None:
    assert read_entries(text) is None
    assert fields(parse_text(text)) == fields(polib_reading(text))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('msgid "a"\nmsgstr "abc\n', 2, "string not closed"),
        ('msgid "a"\nmsgstr "a" b\n', 2, "string not closed"),
        ('msgid "a"\nmsgstr "x"\n"unclosed\n', 3, "string not closed"),
        ('msgid "a"\n', 1, "msgfmt -c: missing 'msgstr' section"),
    ],
)
def test_malformed_catalogs_are_never_read_fast(text: str, line: int, message: str, tmp_path: Path) -> None:
    # polib drops the last character of an unclosed string; the fast reader refuses, and the guard reports it.
    assert read_entries(text) is None
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PubflowError, match=message) as error:
        load_catalog(path)
    assert error.value.line == line


def test_msgfmt_verdicts_are_kept_for_the_same_bytes_only(tmp_path: Path) -> None:
    verdicts = tmp_path / "verdicts"
    catalog_module.use_verdict_cache(verdicts)
    try:
        path = tmp_path / "plural.po"
        shutil.copy(FIXTURES / "catalogs" / "plural.po", path)
        load_catalog(path)
        kept = list(verdicts.iterdir())
        assert len(kept) == 1 and kept[0].stat().st_size == 0
        load_catalog(path)
        assert list(verdicts.iterdir()) == kept
        # A duplicate message: polib reads it, msgfmt rejects it; new bytes are judged again, and never kept.
        text = path.read_text(encoding="utf-8")
        path.write_text(text + '\nmsgid "%d item"\nmsgstr "x"\n', encoding="utf-8")
        with pytest.raises(PubflowError, match="msgfmt"):
            load_catalog(path)
        assert list(verdicts.iterdir()) == kept
    finally:
        catalog_module.use_verdict_cache(None)


def test_the_cli_keeps_verdicts_in_the_projects_build(project: Path) -> None:
    result = run_pubflow("coverage", "--no-stale", cwd=project)
    assert result.returncode in (0, 1), result.stderr
    catalogs = list((project / "locale").rglob("*.po"))
    assert len(list((project / "_build" / "cache" / "msgfmt-verdicts").iterdir())) == len(catalogs)


def test_damaged_catalogs_are_read_as_polib_reads_them_or_left_to_it() -> None:
    # Random damage to real catalogs: whatever the fast reader accepts, polib reads the same way, and none of
    # it holds a string literal that the guard against polib's truncation would refuse.
    rng = random.Random(7)
    originals = [(FIXTURES / "catalogs" / name).read_text(encoding="utf-8") for name in ("plural.po", "multiline.po")]
    pieces = ['"', "\\", "\n", " ", "#", "~", "|", ":", ",", "x", "msgid ", "msgstr ", "\t", "[0]"]
    accepted = 0
    for _ in range(3000):
        text = list(rng.choice(originals))
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            roll = rng.random()
            if roll < 0.4:
                del text[at]
            elif roll < 0.8:
                text.insert(at, rng.choice(pieces))
            else:
                text[at] = rng.choice(pieces)
        damaged = "".join(text)
        fast = read_entries(damaged)
        if fast is None:
            continue
        accepted += 1
        assert not catalog_module._BAD_STRING.search(damaged), damaged
        assert fields(fast) == fields(polib_reading(damaged)), damaged
    assert accepted > 500
