"""Bad input never shows a traceback: one line naming the file (and line), exit 2, no file changed.

Each case damages a copy of the project the way a careless user or an
untrusted catalog would, runs the real command line, and checks the promise.
``check`` is the exception by design: a damaged catalog is a ``po-syntax``
finding, listed with the others, and ``check`` exits 1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, SEED, as_before_review, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

EN = f"locale/en/LC_MESSAGES/{ARTICLE}.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with its templates extracted once, for every case to copy."""
    # Before the zh_TW review, so that its review records hold machine entries to damage.
    project = as_before_review(copy_project(tmp_path_factory.mktemp("extracted") / "project"))
    run_pubflow("extract", cwd=project, check=True)
    return project


@pytest.fixture
def damaged(extracted: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(extracted, target, symlinks=True)
    return target


def files(project: Path) -> dict[str, bytes | str]:
    """Every file of the project but the build output: its bytes, or where its symbolic link points."""
    found: dict[str, bytes | str] = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if relative.parts[0] == "_build":
            continue
        if path.is_symlink():
            found[str(relative)] = os.readlink(path)
        elif path.is_file():
            found[str(relative)] = path.read_bytes()
        elif path.is_dir() and not any(path.iterdir()):
            found[str(relative)] = "(empty folder)"
    return found


def replace_in(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_to_en(text: str) -> Callable[[Path], None]:
    def damage(project: Path) -> None:
        with (project / EN).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return damage


def en_line_count(project: Path) -> int:
    return len((project / EN).read_text(encoding="utf-8").splitlines())


def gb18030(project: Path) -> None:
    path = project / EN
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


def syntax_error(project: Path) -> None:
    path = project / EN
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = places(project)["msgstr"]
    lines[number - 1] = lines[number - 1].replace("msgstr", "msgstrr", 1)
    path.write_text("".join(lines), encoding="utf-8")


def places(project: Path) -> dict[str, int]:
    """Lines of the shipped English catalog the expected messages name: its end, first message, first Chinese."""
    lines = (project / EN).read_text(encoding="utf-8").splitlines()
    return {
        "end": len(lines),
        "msgstr": [n for n, line in enumerate(lines, start=1) if line.startswith('msgstr "')][1],
        "han": next(n for n, line in enumerate(lines, start=1) if not line.isascii()),
    }


def unknown_charset(project: Path) -> None:
    replace_in(project, EN, "charset=UTF-8", "charset=FOOBAR")


def folder_catalog(project: Path) -> None:
    (project / EN).unlink()
    (project / EN).mkdir()


def symlink_loop(project: Path) -> None:
    (project / EN).unlink()
    (project / EN).symlink_to(project / EN)


def empty_catalog(project: Path) -> None:
    (project / EN).write_bytes(b"")


def binary_catalog(project: Path) -> None:
    (project / EN).write_bytes(bytes(range(256)) * 8)


def bom_catalog(project: Path) -> None:
    (project / EN).write_bytes(b"\xef\xbb\xbf" + (project / EN).read_bytes())


def pyproject(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: replace_in(project, "pyproject.toml", old, new)


def pyproject_setting(line: str) -> Callable[[Path], None]:
    """A line added to [tool.pubflow], after its glossary setting."""
    return pyproject('glossary = "glossary.csv"', 'glossary = "glossary.csv"\n' + line)


def locales_string(project: Path) -> None:
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("[tool.pubflow.locales."), text.index("[tool.mypy]")
    path.write_text(text[:start] + 'locales = "x"\n\n' + text[end:], encoding="utf-8")


def pyproject_utf16(project: Path) -> None:
    path = project / "pyproject.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def glossary(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: replace_in(project, "glossary.csv", old, new)


def line_of(project: Path, name: str, needle: str) -> int:
    lines = (project / name).read_text(encoding="utf-8", errors="replace").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


FILES = {
    "pyproject": "pyproject.toml",
    "glossary": "glossary.csv",
    "tw": EN.replace("/en/", "/zh_TW/"),
    "en": EN,
    "rst": f"docs/{ARTICLE}.rst",
    "raw": "raw.txt",
}
TW_RECORD = EN.replace("/en/", "/zh_TW/").replace(".po", ".review.json")


def where(expected: str, project: Path, found: dict[str, int]) -> str:
    """``expected`` with its line placeholders filled in.

    ``{end}+N``, ``{msgstr}`` and ``{han}`` are lines of the English catalog
    before the damage; ``{pyproject:TEXT}`` (or glossary, tw) is the line holding TEXT after it.
    """

    def line(match: re.Match[str]) -> str:
        name, needle, offset = match.group(1), match.group(2), int(match.group(3) or 0)
        if needle is not None:
            return str(line_of(project, FILES[name], needle) + offset)
        return str(found[name] + offset)

    return re.sub(r"\{(\w+)(?::([^}]+))?\}(?:\+(\d+))?", line, expected)


INVALID_ESCAPE = '\nmsgid "x"\nmsgstr "a\\qb"\n'
OBSOLETE_DUPLICATE = '\n#~ msgid "x"\n#~ msgstr "a"\n\n#~ msgid "x"\n#~ msgstr "b"\n'
PLURAL_WITHOUT_MSGID_PLURAL = '\nmsgid "x"\nmsgstr[0] "a"\nmsgstr[1] "b"\n'
DUPLICATE = '\nmsgid "x"\nmsgstr "a"\n\nmsgid "x"\nmsgstr "b"\n'

# (case, damage, command, the expected "file[:line]: message" start; {line} is filled by `where`)
CASES: list[tuple[str, Callable[[Path], None], list[str], str]] = [
    ("update-gb18030", gb18030, ["update"], f"{EN}:{{han}}: catalog is not UTF-8"),
    ("update-syntax", syntax_error, ["update"], f"{EN}:{{msgstr}}: .po syntax"),
    ("update-duplicate", append_to_en(DUPLICATE), ["update"],
     f"{EN}:{{end}}+5: msgfmt -c: duplicate message definition"),
    ("update-charset", unknown_charset, ["update"], f"{EN}:{{en:charset=}}: the header declares charset=FOOBAR, but"),
    # A charset msgmerge knows would make it read every UTF-8 message as that charset: translations lost.
    ("update-latin1-charset", lambda p: replace_in(p, EN, "charset=UTF-8", "charset=ISO-8859-1"), ["update"],
     f"{EN}:{{en:charset=}}: the header declares charset=ISO-8859-1, but pubflow catalogs are UTF-8"),
    ("build-latin1-charset", lambda p: replace_in(p, EN, "charset=UTF-8", "charset=ISO-8859-1"), ["build", "-l", "en"],
     f"{EN}:{{en:charset=}}: the header declares charset=ISO-8859-1"),
    ("catalog-a-device", lambda p: ((p / EN).unlink(), (p / EN).symlink_to("/dev/zero")), ["coverage"],
     f"{EN}: is not a regular file (a device, a pipe or a socket)"),
    ("record-a-device", lambda p: ((p / TW_RECORD).unlink(), (p / TW_RECORD).symlink_to("/dev/zero")), ["convert"],
     f"{TW_RECORD}: is not a regular file (a device, a pipe or a socket)"),
    ("tmx-export-to-a-device", lambda p: None, ["tmx", "export", "-o", "/dev/full"],
     "/dev/full: is not a regular file (a device, a pipe or a socket)"),
    ("record-huge-number", lambda p: replace_in(p, TW_RECORD, '"schema"', '"x": ' + "1" * 5000 + ', "schema"'),
     ["convert"], f"{TW_RECORD}: review record is not one pubflow wrote (a huge number or deep nesting)"),
    ("record-deep-nesting", lambda p: replace_in(p, TW_RECORD, '"schema"', '"x": ' + "[" * 100_000 + "]" * 100_000
                                                 + ', "schema"'),
     ["convert"], f"{TW_RECORD}: review record is not one pubflow wrote"),
    ("record-signature-a-list", lambda p: replace_in(p, TW_RECORD, '"signature": "', '"signature": ["x"], "was": "'),
     ["convert"], f"{TW_RECORD}:"),
    ("pyproject-huge-number", pyproject_setting("wrap-width = " + "7" * 5000), ["update"],
     "pyproject.toml:{pyproject:wrap-width}: invalid TOML: an integer of more than 4,300 digits"),
    ("pyproject-deep-nesting", pyproject_setting("x = " + "[" * 100_000 + "]" * 100_000), ["update"],
     "pyproject.toml:{pyproject:x = }: invalid TOML: arrays or tables nested too deeply"),
    ("pyproject-nul-in-a-path", pyproject('output = "_build"', 'output = "_b\\u0000"'), ["update"],
     'pyproject.toml:{pyproject:output = }: [tool.pubflow] output = "_b\\u0000": holds the control character U+0000'),
    ("pyproject-escape-in-a-name", pyproject('name = "pubflow 文选"', 'name = "a\\u001b[31m"'),
     ["coverage"], 'pyproject.toml:{pyproject:name = "a}: [tool.pubflow] name = "a\\u001B[31m": holds the control'),
    ("pyproject-empty-quote-key", pyproject('quotes = { "“" = "「"', 'quotes = { "" = "x", "“" = "「"'), ["convert"],
     'pyproject.toml:{pyproject:quotes = }: [tool.pubflow.locales.zh_TW.quotes] "": a quotation mark to replace is '
     "one character, not 0"),
    ("source-nul", lambda p: replace_in(p, f"docs/{ARTICLE}.rst", "作者：蔡长春", "作者：蔡\0长春"),
     ["build", "-l", "en"],
     f"docs/{ARTICLE}.rst:{{rst:作者：蔡}}: holds the control character U+0000"),
    ("source-gbk", lambda p: (p / f"docs/{ARTICLE}.rst").write_bytes((p / f"docs/{ARTICLE}.rst").read_text(
        encoding="utf-8").encode("gb18030")), ["extract"],
     f"docs/{ARTICLE}.rst:{{rst:Imported by}}+2: not UTF-8 (reST sources are UTF-8)"),
    ("import-escape", lambda p: (p / "raw.txt").write_text(SEED.read_text(encoding="utf-8").replace(
        "作者", "\x1b[2J作者", 1), encoding="utf-8"), ["import", "raw.txt"],
     "raw.txt:{raw:作者}: holds the control character U+001B"),
    ("update-folder", folder_catalog, ["update"], f"{EN}: is a folder, expected a .po catalog"),
    ("update-symlink-loop", symlink_loop, ["update"], f"{EN}: too many levels of symbolic links"),
    ("update-empty", empty_catalog, ["update"], f"{EN}: msgfmt -c: PO file header missing or invalid"),
    ("update-binary", binary_catalog, ["update"], f"{EN}:2: catalog is not UTF-8 (byte 0x80)"),
    ("update-bom", bom_catalog, ["update"], f"{EN}:1: starts with a UTF-8 byte-order mark"),
    ("coverage-escape", append_to_en(INVALID_ESCAPE), ["coverage"],
     f"{EN}:{{end}}+3: msgfmt -c: invalid control sequence"),
    ("coverage-obsolete-duplicate", append_to_en(OBSOLETE_DUPLICATE), ["coverage"],
     f"{EN}:{{end}}+5: msgfmt -c: duplicate"),
    ("coverage-plural", append_to_en(PLURAL_WITHOUT_MSGID_PLURAL), ["coverage"],
     f"{EN}:{{end}}+2: msgfmt -c: missing 'msgid_plural'"),
    ("coverage-folder", folder_catalog, ["coverage"], f"{EN}: is a folder"),
    ("build-escape", append_to_en(INVALID_ESCAPE), ["build", "-l", "en"],
     f"{EN}:{{end}}+3: msgfmt -c: invalid control"),
    ("build-obsolete-duplicate", append_to_en(OBSOLETE_DUPLICATE), ["build", "-l", "en"],
     f"{EN}:{{end}}+5: msgfmt -c: dup"),
    ("build-plural", append_to_en(PLURAL_WITHOUT_MSGID_PLURAL), ["build", "-l", "en"],
     f"{EN}:{{end}}+2: msgfmt -c: missing"),
    ("convert-syntax", lambda p: replace_in(p, EN.replace("/en/", "/zh_TW/"), 'msgstr "作者', 'msgstr "作者\\q'),
     ["convert"], f"{FILES['tw']}:{{tw:作者\\q}}: msgfmt -c: invalid control sequence"),
    ("threshold-typo", pyproject("threshold = 100", "thresold = 100"), ["coverage"],
     "pyproject.toml:{pyproject:thresold}: [tool.pubflow.locales.en] unknown key 'thresold'; did you mean threshold?"),
    ("threshold-string", pyproject("threshold = 100", 'threshold = "high"'), ["coverage"],
     "pyproject.toml:{pyproject:\"high\"}: [tool.pubflow.locales.en] threshold = \"high\": expected a number"),
    ("docs-number", pyproject('docs = "docs"', "docs = 5"), ["extract"],
     "pyproject.toml:{pyproject:docs = 5}: [tool.pubflow] docs = 5: expected a path relative to pyproject.toml"),
    ("quotes-number", pyproject('quotes = { "“" = "「", "”" = "」", "‘" = "『", "’" = "』" }', "quotes = 5"),
     ["convert"],
     "pyproject.toml:{pyproject:quotes = 5}: [tool.pubflow.locales.zh_TW] quotes = 5:"
     " expected a table of quotation marks"),
    ("label-number", pyproject('label = "English"', "label = 5"), ["build"],
     "pyproject.toml:{pyproject:label = 5}: [tool.pubflow.locales.en] label = 5: expected a string"),
    ("locales-string", locales_string,
     ["check"], "pyproject.toml:{pyproject:locales = }: [tool.pubflow] locales = \"x\": expected a table of locales"),
    ("bilingual-string", pyproject('bilingual = ["zh_CN:en", "zh_TW:en"]', 'bilingual = "zh_CN:en"'), ["build"],
     "pyproject.toml:{pyproject:bilingual = }: [tool.pubflow] bilingual ="
     " \"zh_CN:en\": expected a list of locale pairs"),
    ("output-absolute", pyproject('output = "_build"', 'output = "/tmp/elsewhere"'), ["build"],
     "pyproject.toml:{pyproject:output = }: [tool.pubflow] output ="
     " \"/tmp/elsewhere\": expected a path inside the project"),
    ("unknown-table", pyproject("[tool.pubflow.locales.zh_CN]", "[tool.pubflow.local.zh_CN]"), ["update"],
     "pyproject.toml:{pyproject:pubflow.local.}: [tool.pubflow] unknown key 'local'; did you mean locale?"),
    ("glossary-missing", pyproject('glossary = "glossary.csv"', 'glossary = "glossary.cvs"'), ["convert"],
     "pyproject.toml:{pyproject:glossary = }: [tool.pubflow] glossary = 'glossary.cvs': no such file"),
    ("output-is-docs", pyproject('output = "_build"', 'output = "docs"'), ["update"],
     "pyproject.toml:{pyproject:output = }: [tool.pubflow] output = 'docs': the output would mix with docs"),
    ("output-is-root", pyproject('output = "_build"', 'output = "."'), ["build"],
     "pyproject.toml:{pyproject:output = }: [tool.pubflow] output = '.': the output would mix with the project"),
    ("docs-missing", pyproject('docs = "docs"', 'docs = "nodocs"'), ["build"],
     "pyproject.toml:{pyproject:docs = }: [tool.pubflow] docs = 'nodocs': no such folder"),
    ("wrap-width-negative", pyproject_setting("wrap-width = -3"),
     ["update"], "pyproject.toml:{pyproject:wrap-width}: [tool.pubflow] wrap-width = -3; expected a whole number"),
    ("opencc-config-unknown", pyproject('opencc-config = "s2twp"', 'opencc-config = "s2xx"'), ["check"],
     "pyproject.toml:{pyproject:zh_TW]}: [tool.pubflow.locales.zh_TW] opencc-config = 's2xx': OpenCC has no such"),
    ("article-not-listed", lambda p: replace_in(p, "docs/index.rst", f"   {ARTICLE}\n", ""), ["check", "-l", "en"],
     f"docs/{ARTICLE}.rst: document isn't included in any toctree [toc.not_included]; list it in the toctree of "
     "docs/index.rst"),
    ("opencc-config-on-a-translation", pyproject('label = "English"', 'label = "English"\nopencc-config = "s2twp"'),
     ["update"], "pyproject.toml:{pyproject:locales.en]}: [tool.pubflow.locales.en] opencc-config = 's2twp' does "
     "nothing: en is produced by translation"),
    # Swedish: a dictionary Debian has (hunspell-sv) that set-up does not install.
    ("spelling-not-installed", pyproject('spelling = "en_GB"', 'spelling = "sv_SE"'), ["check", "--no-stale"],
     "pyproject.toml:{pyproject:spelling = }: [tool.pubflow.locales.en] spelling = 'sv_SE': no sv_SE spelling "
     "dictionary is installed"),
    ("tool-table-typo", pyproject("[tool.pubflow]\n", "[tool.pubflw]\n"), ["build"],
     "pyproject.toml:{pyproject:[tool.pubflw]}: [tool.pubflw]: did you mean [tool.pubflow]?"),
    ("locale-upper-case", pyproject("[tool.pubflow.locales.en]", "[tool.pubflow.locales.EN]"), ["update"],
     "pyproject.toml:{pyproject:locales.EN]}: [tool.pubflow.locales.EN]: write the locale as 'en'"),
    ("locale-folder-a-file", pyproject('locale = "locale"', 'locale = "pyproject.toml"'), ["coverage"],
     "pyproject.toml:{pyproject:locale = }: [tool.pubflow] locale = 'pyproject.toml': not a folder"),
    ("pyproject-utf16", pyproject_utf16, ["update"], "pyproject.toml:1: saved as UTF-16; save it as UTF-8"),
    ("pyproject-syntax", pyproject('docs = "docs"', 'docs = "docs'), ["update"],
     "pyproject.toml:{pyproject:docs = }: invalid TOML"),
    ("glossary-unclosed-quote", glossary("习近平,Xi Jinping", '"习近平,Xi Jinping'), ["convert"],
     "glossary.csv:{glossary:习近平,Xi}: a quote (\") opens a field that does not close on this line"),
    ("glossary-extra-field", glossary("习近平,Xi Jinping", "习近平,Xi, Jinping"), ["check"],
     "glossary.csv:{glossary:习近平,Xi}: 6 field(s), but the header names 5 (zh_CN, en, zh_TW, note, forbidden)"),
    ("glossary-missing-field", glossary(",Person: General Secretary of the CPC Central Committee.", ""), ["convert"],
     "glossary.csv:{glossary:习近平,Xi}: 4 field(s), but the header names 5"),
    ("import-long-name", lambda p: None, ["import", str(SEED), "--name", "a" * 300],
     "document name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' must be lower-case"
     " letters, digits and hyphens, at most"),
    ("import-folder", lambda p: None, ["import", "docs"], "docs: is a folder, expected a file"),
    ("project-missing", lambda p: None, ["-C", "nowhere", "update"], "nowhere: no such folder (given with -C)"),
]  # fmt: skip


@pytest.mark.parametrize(("damage", "command", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    damaged: Path, damage: Callable[[Path], None], command: list[str], expected: str
) -> None:
    found = places(damaged)
    damage(damaged)
    expected = where(expected, damaged, found)
    before = files(damaged)
    result = run_pubflow("-q", *command, cwd=damaged)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"pubflow: error: {expected}"), lines[0]
    assert files(damaged) == before


CHECK_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("gb18030", gb18030, f"{EN}:{{han}}: po-syntax: catalog is not UTF-8"),
    ("syntax", syntax_error, f"{EN}:{{msgstr}}: po-syntax: .po syntax"),
    ("escape", append_to_en(INVALID_ESCAPE), f"{EN}:{{end}}+3: po-syntax: msgfmt -c: invalid control sequence"),
    (
        "obsolete-duplicate",
        append_to_en(OBSOLETE_DUPLICATE),
        f"{EN}:{{end}}+5: po-syntax: msgfmt -c: duplicate message",
    ),
    (
        "plural",
        append_to_en(PLURAL_WITHOUT_MSGID_PLURAL),
        f"{EN}:{{end}}+2: po-syntax: msgfmt -c: missing 'msgid_plural'",
    ),
    (
        "duplicate-even-if-skipped",
        append_to_en("\n#, pubflow-skip-duplicate" + DUPLICATE),
        f"{EN}:{{end}}+6: po-syntax",
    ),
    ("folder", folder_catalog, f"{EN}: po-syntax: is a folder"),
    ("bom", bom_catalog, f"{EN}:1: po-syntax: starts with a UTF-8 byte-order mark"),
]


@pytest.mark.parametrize(("damage", "finding"), [c[1:] for c in CHECK_CASES], ids=[c[0] for c in CHECK_CASES])
def test_check_reports_a_damaged_catalog_as_po_syntax_even_with_the_stale_check(
    damaged: Path, damage: Callable[[Path], None], finding: str
) -> None:
    found = places(damaged)
    damage(damaged)
    finding = where(finding, damaged, found)
    before = files(damaged)
    result = run_pubflow("-q", "check", "-l", "en", cwd=damaged)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(finding) for line in result.stdout.splitlines()), result.stdout
    assert files(damaged) == before


def crlf_catalog(project: Path) -> None:
    (project / EN).write_bytes((project / EN).read_bytes().replace(b"\n", b"\r\n"))


def line_separator_in_msgstr(project: Path) -> None:
    replace_in(project, EN, "Cooperation for security;", "Cooperation for security;\u2028\x0c")


def odd_comment(project: Path) -> None:
    replace_in(project, EN, '\nmsgid "以合作', '\n#comment without a space\nmsgid "以合作')


def keyword_touching_string(project: Path) -> None:
    replace_in(project, EN, 'msgid "以合作', 'msgid"以合作')


#: Catalogs msgfmt -c accepts although they look odd: po-syntax must accept them too.
ACCEPTED = [crlf_catalog, unknown_charset, line_separator_in_msgstr, odd_comment, keyword_touching_string]


def test_po_syntax_agrees_with_msgfmt_on_every_damage(damaged: Path) -> None:
    """Each damage above and each odd but valid layout: po-syntax fails exactly when msgfmt -c rejects the catalog."""
    shipped = (damaged / EN).read_bytes()
    verdicts = []
    for damage in [*(case[1] for case in CHECK_CASES), *ACCEPTED]:
        if (damaged / EN).is_dir():
            (damaged / EN).rmdir()
        (damaged / EN).write_bytes(shipped)
        damage(damaged)
        if (damaged / EN).is_dir():
            continue
        msgfmt = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(damaged / EN)], capture_output=True, check=False)
        result = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=damaged)
        po_syntax = bool(re.search(r"^\S+: po-syntax: ", result.stdout, re.MULTILINE))
        assert po_syntax == (msgfmt.returncode != 0), (damage.__name__, result.stdout)
        verdicts.append(po_syntax)
    assert verdicts.count(False) == len(ACCEPTED)


def test_a_review_record_with_a_malformed_skip_names_its_line(unreviewed_project: Path) -> None:
    """ "skip": "numbers" (a string, not a list) would have silenced nothing, silently."""
    project = unreviewed_project
    record = project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.review.json"
    text = record.read_text(encoding="utf-8")
    first = text.index('"msgid": ')
    broken = text[:first] + '"skip": "numbers",\n   ' + text[first:]
    record.write_text(broken, encoding="utf-8")
    line = broken[: broken.index('"msgid": ', first + 20)].count("\n") + 1
    result = run_pubflow("check", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"locale/zh_TW/LC_MESSAGES/{ARTICLE}.review.json:{line}: review: malformed message in the review" in (
        result.stdout + result.stderr
    )


def test_a_review_record_left_without_its_catalog_is_stale(project: Path) -> None:
    (project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po").unlink()
    result = run_pubflow("check", cwd=project)
    record = f"locale/en/LC_MESSAGES/{ARTICLE}.review.json"
    assert f"{record}: stale: a review record with no catalog beside it; delete it (git rm {record})" in result.stdout


def _full_disk() -> None:
    """In the child: writes past 4 kB fail as on a full disk (EFBIG instead of ENOSPC, and no file named)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))


def test_a_write_the_disk_refuses_names_the_file_and_loses_nothing(project: Path) -> None:
    """The file system's error names no file (or only the temporary one): pubflow names the catalog it was writing."""
    catalogs = sorted((project / "locale" / "en" / "LC_MESSAGES").glob("*.po"))
    before = {path: path.read_bytes() for path in catalogs}
    result = subprocess.run(
        [sys.executable, "-m", "pubflow", "-q", "format", "--wrap-width", "79", "-l", "en"],
        cwd=project, capture_output=True, text=True, preexec_fn=_full_disk, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line == f"pubflow: error: locale/en/LC_MESSAGES/{ARTICLE}.po: file too large", line
    assert {path: path.read_bytes() for path in catalogs} == before
    assert not [p for p in (project / "locale").rglob("*.tmp")]
