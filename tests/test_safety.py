"""Hostile translations never reach an edition: HTML, LaTeX/PDF and bilingual, whatever the flags say.

One copy of the project gets a catalog full of attacks (half of them flagged
``pubflow-skip-security``); it is built once per output format and shared by
the tests below.
"""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from pubflow.checks.security import security_problems
from pubflow.compile import compile_catalogs
from pubflow.config import load_config
from pubflow.pdf import typeset
from tests.conftest import ARTICLE, copy_project, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

SECRET = "PUBFLOW-SECRET-MARKER"
# What a file read through a translation would put into the output.
LEAKS = re.compile(r"root:x:0:0|\[build-system\]|setuptools\.build_meta|" + SECRET)
# A link with a scheme other than the web's (javascript:, data:, run: …).
SCRIPT_LINK_HTML = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?!https?:|mailto:)[a-z][a-z0-9+.-]*:""", re.I)
SCRIPT_LINK_TEX = re.compile(r"\\(?:sphinx)?(?:href|url)\{\s*(?!https?:|mailto:)[a-z][a-z0-9+.-]*:", re.I)
# In a PDF any link that is no web address is a file a reader opens or launches (GoToR, Launch).
FILE_LINK_TEX = re.compile(r"\\sphinx(?:href|url)\{\s*(?!https?://|mailto:|ftp://)", re.I)
# An off-site link however spelt, in HTML (a web address or a mailto: is the compile stage's to withhold).
OFF_SITE_HTML = re.compile(r"""href\s*=\s*["']?\s*(?://|\\|https?:[^/]|tel:|smb:)""", re.I)
HOSTILE = [
    "`Click here <javascript:alert(1)>`_",
    "`Picture <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>`_",
    "`x <vbscript:msgbox(1)>`_",
    "`hidden <java script:alert(2)>`_",
    ".. include:: ../../../../../../../../../../etc/passwd",
    ".. include:: ../pyproject.toml",
    '.. raw:: html\n\n   <script>alert("raw")</script>',
    ".. raw:: latex\n\n   \\input{/etc/passwd}",
    ".. raw:: html\n   :file: ../secret.txt",
    ".. csv-table:: leak\n   :file: ../pyproject.toml",
    ".. literalinclude:: ../pyproject.toml",
    ".. image:: ../secret.png",
    "See |pic| here.\n\n.. |pic| image:: ../secret.png",
    "Security :math:`\\input{/etc/passwd}` for development.",
    "See :download:`../secret.txt`.",
    "A `trap`__.\n\n__ javascript:alert(3)",
    "`launch <run:/bin/sh>`_",
    # Off-site and file links, however they are spelt (issue 25): one allow-list for check, HTML and PDF.
    "`log in <//evil.example/login>`_",
    "`x <http:\\evil.example/x>`_",
    "`x <java\\script:alert(4)\\>>`_",
    "`file <../../../../etc/passwd.pdf>`_",
    "`run <evil.exe>`_",
    "Call tel:+123456 or smb://evil.example/share now.",
    "Write to phish@evil.example today.",
]
# A translation that is not a security problem but names a reference the document lacks.
UNDEFINED_REFERENCE = "Cooperation for `security`_; security for development."
# A paragraph with a substitution the document defines, and its translation keeping it.
SUBSTITUTED = "见 |org|。"


def make_hostile(root: Path) -> dict[str, int]:
    """Write the attacks into the English catalog; returns each attack's catalog line."""
    (root / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (root / "secret.png").write_text(f"{SECRET}\n", encoding="utf-8")
    path = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    entries = [e for e in catalog if e.msgstr and not e.obsolete][5:]
    for index, (entry, text) in enumerate(zip(entries, HOSTILE, strict=False)):
        entry.msgstr = text
        if index % 2 == 0:  # with and without the flag that must not help
            entry.flags.extend(["pubflow-skip-security", "pubflow-skip-markup"])
    entries[len(HOSTILE)].msgstr = UNDEFINED_REFERENCE
    catalog.append(polib.POEntry(msgid=SUBSTITUTED, msgstr="See |org|."))
    catalog.save()
    catalog = polib.pofile(str(path))
    return {text: catalog.find(entry.msgid).linenum for entry, text in zip(entries, HOSTILE, strict=False)}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    # Two editions only (zh_CN and en), so that publish stays quick.
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8").replace('["zh_CN:en", "zh_TW:en"]', '["zh_CN:en"]')
    pyproject.write_text(text[: text.index("[tool.pubflow.locales.zh_TW]")], encoding="utf-8")
    return root, make_hostile(root)


def assert_nothing_unsafe(folder: Path) -> None:
    assert folder.is_dir() and any(folder.rglob("*.*")), folder
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix in {".doctree", ".pickle"} or "_static" in path.parts:
            continue
        assert "secret" not in path.name, path
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert not LEAKS.search(text), (path, LEAKS.search(text))
        assert not SCRIPT_LINK_HTML.search(text), (path, SCRIPT_LINK_HTML.search(text))
        assert not SCRIPT_LINK_TEX.search(text), (path, SCRIPT_LINK_TEX.search(text))
        if path.suffix == ".tex":
            assert not FILE_LINK_TEX.search(text), (path, FILE_LINK_TEX.search(text))
        if path.suffix == ".html":  # a relative link stays on the site in HTML; a PDF's is SCRIPT_LINK_TEX's
            assert not OFF_SITE_HTML.search(text), (path, OFF_SITE_HTML.search(text))
        assert b"/GoToR" not in path.read_bytes() and b"/Launch" not in path.read_bytes(), path
        assert "alert(" not in text and "msgbox(" not in text and "\\input{/etc" not in text, path


# -- the check ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgstr", "expected"),
    [
        ("`x <data:text/html,<script>alert(1)</script>>`_", "script link 'data:'"),
        ("`x <DATA:image/svg+xml;base64,AAAA>`_", "script link 'data:'"),
        ("Open data:text/html;base64,PHNjcmlwdD4= now.", "script link 'data:'"),  # docutils links it
        ("Open javascript:alert(1) now.", "script link 'javascript:'"),
        ("`x <run:/bin/sh>`_", "script link 'run:'"),
        ("`x <java\\script:alert(1)>`_", "script link 'javascript:'"),
        ("`x <vb script:msgbox(1)>`_", "script link 'vbscript:'"),
        (".. include:: ../pyproject.toml", "include 'include::'"),
        (".. |x| include:: /etc/passwd", "include 'include::'"),
        (".. literalinclude:: /etc/passwd", "include 'literalinclude::'"),
        (".. csv-table:: t\n   :file: /etc/passwd", "include ':file:'"),
        (".. raw:: html\n   :url: http://example.com/x", "include ':url:'"),
        (".. include ::  ../pyproject.toml", "directive '.. include ::'"),
        ("Security :math:`\\input{/etc/passwd}`.", "role ':math:`'"),
        ("`a`__\n\n__ http://example.com", "hyperlink target"),
    ],
)
def test_security_rejects_each_way_in(msgstr: str, expected: str) -> None:
    problems = security_problems("以合作促安全，以安全促发展。", msgstr)
    assert any(expected in problem for problem in problems), problems


def test_security_accepts_what_the_source_has() -> None:
    source = "参见 `法制网 <http://www.legaldaily.com.cn/>`_ 与 :doc:`index`。"
    assert security_problems(source, "See `Legal Daily <http://www.legaldaily.com.cn/>`_ and :doc:`index`.") == []
    assert security_problems("以合作促安全。", "Key data: cooperation for security.") != []  # prose "data:" too


def test_the_skip_flag_does_not_silence_security(hostile: tuple[Path, dict[str, int]]) -> None:
    root, lines = hostile
    result = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=root)
    assert result.returncode == 1
    catalog = f"locale/en/LC_MESSAGES/{ARTICLE}.po"
    for line in lines.values():
        assert f"{catalog}:{line}: security: the translation adds" in result.stdout, line
    flagged = lines[HOSTILE[0]]
    assert f"{catalog}:{flagged}: security: warning: the flag pubflow-skip-security is ignored" in result.stdout


# -- pubflow build and publish refuse ----------------------------------------------------------


def test_build_refuses_every_format_naming_each_message(hostile: tuple[Path, dict[str, int]]) -> None:
    root, lines = hostile
    result = run_pubflow("build", "--format", "all", "--locale", "en", "--bilingual", "zh_CN:en", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for line in lines.values():
        assert f"locale/en/LC_MESSAGES/{ARTICLE}.po:{line}: security: " in result.stderr, line
    assert "refused to publish en, bilingual/zh_CN-en" in result.stderr
    for folder in ["html/en", "html/bilingual", "pdf", "latex", "sphinx/html"]:
        assert not (root / "_build" / folder).exists(), folder


def test_compiled_catalogs_hold_no_unsafe_message(hostile: tuple[Path, dict[str, int]]) -> None:
    root, lines = hostile
    config = load_config(root)
    result = compile_catalogs(config, [config.locale("en")])
    assert {finding.line for finding in result.unsafe["en"]} == set(lines.values())
    mo = root / "_build" / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.mo"
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    catalog = polib.pofile(str(root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    for entry in catalog:
        if entry.msgstr in HOSTILE:
            assert translations.gettext(entry.msgid) == entry.msgid  # falls back to the source
        elif entry.msgstr and not entry.fuzzy and not entry.obsolete:
            assert translations.gettext(entry.msgid) == entry.msgstr


# -- Sphinx alone, fed the hostile catalog (as sphinx-intl users run it) ----------------------


def sphinx(root: Path, builder: str, out: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(root), "-q", *options, "docs", out],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def sphinx_outputs(hostile: tuple[Path, dict[str, int]]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every format built by sphinx-build itself, which compiles the hostile .po on its own."""
    root, _ = hostile
    bilingual = ("-D", "language=zh_CN", "-D", "pubflow_bilingual=zh_CN:en")
    # The guard holds for the source too: an image outside docs/ is never copied into an edition.
    doc = root / "docs" / f"{ARTICLE}.rst"
    source = doc.read_text(encoding="utf-8")
    doc.write_text(
        source + f"\n.. image:: ../secret.png\n\n{SUBSTITUTED}\n\n.. |org| replace:: 法制日报\n", encoding="utf-8"
    )
    try:
        return {
            "html": sphinx(root, "html", "out/html", "-D", "language=en"),
            "latex": sphinx(root, "latex", "out/latex", "-D", "language=en"),
            "bilingual-html": sphinx(root, "html", "out/bilingual-html", *bilingual),
            "bilingual-latex": sphinx(root, "latex", "out/bilingual-latex", *bilingual),
        }
    finally:
        doc.write_text(source, encoding="utf-8")


@pytest.mark.parametrize("output", ["html", "latex", "bilingual-html", "bilingual-latex"])
def test_sphinx_emits_nothing_unsafe_whatever_the_catalog_holds(
    hostile: tuple[Path, dict[str, int]], sphinx_outputs: dict[str, subprocess.CompletedProcess[str]], output: str
) -> None:
    root, _ = hostile
    run = sphinx_outputs[output]
    assert "Traceback" not in run.stderr and "sphinx-err" not in run.stderr, run.stderr
    assert_nothing_unsafe(root / "out" / output)
    if output.startswith("bilingual"):
        # An undefined reference in a translation is a file:line warning, not a crash inside Sphinx.
        warning = rf"docs/{ARTICLE}\.rst:\d+: WARNING: the en translation of this unit has a reference 'security'"
        assert re.search(warning, run.stderr), run.stderr
        # A substitution in a translation is resolved against the document, not left to crash the writer.
        built = next((root / "out" / output).glob(f"{ARTICLE}.*"))
        assert "See 法制日报." in built.read_text(encoding="utf-8")
    else:
        assert "unsafe markup: a javascript: link was dropped" in run.stderr
        assert '"include" directive disabled' in run.stderr
        assert "unsafe markup: math that the source lacks was dropped from a translation" in run.stderr
    assert "unsafe markup: an image outside the source folder was dropped: ../secret.png" in run.stderr


def test_the_typeset_pdf_leaks_nothing(
    hostile: tuple[Path, dict[str, int]], sphinx_outputs: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    root, _ = hostile
    tex = root / "out" / "latex" / f"{ARTICLE}.tex"
    typeset_pdf = typeset(tex, ["en"])
    assert typeset_pdf.problems == [] and typeset_pdf.pdf is not None
    text = subprocess.run(["pdftotext", str(typeset_pdf.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cai Changchun" in text  # the edition is really there
    assert not LEAKS.search(text) and "alert(" not in text


def test_publish_refuses_the_hostile_editions_and_publishes_the_others(hostile: tuple[Path, dict[str, int]]) -> None:
    root, lines = hostile
    result = run_pubflow("publish", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "refused to publish en, bilingual/zh_CN-en" in result.stderr
    for line in lines.values():
        assert f"locale/en/LC_MESSAGES/{ARTICLE}.po:{line}: security: " in result.stderr, line
    assert (root / "_build" / "html" / "zh_CN" / f"{ARTICLE}.html").is_file()
    assert (root / "_build" / "pdf" / "zh_CN" / f"{ARTICLE}.zh_CN.pdf").is_file()
    assert not (root / "_build" / "html" / "en").exists() and not (root / "_build" / "pdf" / "en").exists()
    assert_nothing_unsafe(root / "_build" / "html")
