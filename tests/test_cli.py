"""The command line: help, exit codes, one-line errors, progress."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, REPO, run_pubflow

VERBS = ["import", "extract", "update", "build", "publish"]
SECONDS = r"(?:\d+\.\d s|\d+ min \d\d s)"  # a duration as pubflow prints it: 12.3 s, 1 min 05 s


@pytest.mark.slow
def test_help_lists_every_verb() -> None:
    result = run_pubflow("--help", cwd=REPO)
    assert result.returncode == 0
    for verb in VERBS:
        assert verb in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("verb", VERBS)
def test_each_verb_has_help(verb: str) -> None:
    result = run_pubflow(verb, "--help", cwd=REPO)
    assert result.returncode == 0
    assert f"usage: pubflow {verb}" in result.stdout


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.slow
def test_missing_file(project: Path) -> None:
    line = one_line_error(run_pubflow("import", "nowhere.txt", cwd=project))
    assert line == "pubflow: error: nowhere.txt: no such file"


@pytest.mark.slow
def test_unknown_locale(project: Path) -> None:
    line = one_line_error(run_pubflow("update", "--locale", "xx_YY", cwd=project))
    assert "unknown locale 'xx_YY'" in line and "zh_CN, en, zh_TW" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["coverage", "--threshold", "nan"], "argument --threshold: expected a percentage from 0 to 100, not 'nan'"),
        (["coverage", "--threshold", "101"], "argument --threshold: expected a percentage from 0 to 100, not '101'"),
        (["coverage", "--threshold", "-1"], "argument --threshold: expected a percentage"),
        (["serve", "--port", "99999"], "argument --port: expected a port number from 0 to 65535, not '99999'"),
        (["format", "--wrap-width", "99999999"], "argument --wrap-width: expected a number of columns from 0"),
        (["init", "x", "--threshold", "150"], "argument --threshold: expected a percentage"),
    ],
)
@pytest.mark.slow
def test_an_argument_out_of_range_is_refused_before_anything_runs(args: list[str], expected: str) -> None:
    """--threshold nan printed "threshold": NaN, which no JSON reader takes; --port 99999 ended in a traceback."""
    result = run_pubflow(*args, cwd=REPO)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith(f"error: {expected}") or expected in result.stderr


@pytest.mark.slow
def test_init_refuses_a_name_that_would_break_its_pyproject(tmp_path: Path) -> None:
    result = run_pubflow("init", str(tmp_path / "new"), "--name", 'a"b\n[tool.evil]\nx=1', cwd=tmp_path)
    assert one_line_error(result) == "pubflow: error: --name must be one line of text, without control characters"
    assert not (tmp_path / "new").exists()
    run_pubflow("-q", "init", str(tmp_path / "quoted"), "--name", 'a"b\\c', cwd=tmp_path, check=True)
    text = (tmp_path / "quoted" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'description = "a\\"b\\\\c"' in text and tomllib.loads(text)["project"]["description"] == 'a"b\\c'


def test_init_refuses_an_opencc_configuration_opencc_does_not_have(tmp_path: Path) -> None:
    line = one_line_error(run_pubflow("init", str(tmp_path / "p"), "--locale", "zh_HK:opencc:s2xx", cwd=tmp_path))
    assert "OpenCC has no configuration 's2xx'; it has " in line and "s2hk" in line
    assert not (tmp_path / "p").exists()


@pytest.mark.slow
def test_a_locale_named_twice_is_built_once(project: Path) -> None:
    result = run_pubflow("build", "-l", "en", "-l", "en", cwd=project, env={"CI": "true"})
    assert result.returncode == 0, result.stderr
    assert "[1/1] en" in result.stderr and "interrupted" not in result.stderr


def test_serve_on_a_port_in_use_is_one_line_before_any_build(project: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line_error(run_pubflow("-q", "serve", "-l", "en", "--port", str(port), cwd=project))
    assert line.startswith(f"pubflow: error: cannot serve on 127.0.0.1:{port}: address already in use")
    assert not (project / "_build" / "html" / "en").exists()


@pytest.mark.slow
def test_malformed_po_names_file_and_line(project: Path) -> None:
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[target] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = path.read_bytes()
    line = one_line_error(run_pubflow("-q", "build", "-l", "en", cwd=project))
    assert f"locale/en/LC_MESSAGES/{ARTICLE}.po:{target + 1}: .po syntax" in line
    assert run_pubflow("extract", cwd=project).returncode == 0
    line = one_line_error(run_pubflow("-q", "update", cwd=project))
    assert f"{ARTICLE}.po:{target + 1}:" in line
    assert path.read_bytes() == before


@pytest.mark.slow
def test_broken_rest_names_file_and_line(project: Path) -> None:
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n.. no-such-directive::\n", encoding="utf-8")
    result = run_pubflow("-q", "extract", cwd=project)
    line = one_line_error(result)
    assert f"docs/{ARTICLE}.rst:" in line and "no-such-directive" in line


def test_outside_a_project(tmp_path: Path) -> None:
    line = one_line_error(run_pubflow("extract", cwd=tmp_path))
    assert "no pyproject.toml with a [tool.pubflow] table" in line


@pytest.mark.slow
def test_publish_shows_progress(project: Path) -> None:
    # As CI services run it: Sphinx 8 would colour its status lines for either variable.
    result = run_pubflow("publish", cwd=project, env={"CI": "true", "FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "step 1/4: extract" in result.stderr and "[5/5]" in result.stderr
    # stderr is a pipe: plain lines, no escape code; counts with an estimate, each stage's end, then the summary.
    assert "\x1b" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    # extract is one Sphinx run, counted by its share done; an edition counts in tenths as Sphinx reads and writes it
    assert any(re.fullmatch(rf"pubflow: extract: \d+%, {SECONDS} elapsed, about {SECONDS} left", ln) for ln in lines)
    for stage, unit in [("build html", "editions"), ("build pdf", "PDFs")]:
        count = rf"pubflow: {stage}: [0-4](\.\d)?/5 {unit}, {SECONDS} elapsed, about {SECONDS} left"
        assert any(re.fullmatch(count, ln) for ln in lines), (stage, lines)
        assert any(re.fullmatch(rf"pubflow: {stage}: done, 5 {unit} in {SECONDS}", ln) for ln in lines), stage
    assert any(re.match(r"pubflow: build html: \d\.\d/5 editions", ln) for ln in lines)  # within an edition
    summary = lines[lines.index(next(ln for ln in lines if re.fullmatch(rf"pubflow: published in {SECONDS}:", ln))) :]
    stages = [
        ("extract", ""), ("update", "  4 catalogs"), ("memory", "  1 locale"), ("convert", "  2 catalogs"),
        ("build html", "  5 editions"), ("build pdf", "  5 PDFs"),
    ]  # fmt: skip
    for stage, counted in stages:
        assert any(re.fullmatch(rf"pubflow:   {stage} +{SECONDS} +\d+%{counted}", ln) for ln in summary), stage
    assert (project / "_build" / "html" / "index.html").is_file()
    for edition in ["zh_CN", "en", "zh_TW", "bilingual/zh_CN-en", "bilingual/zh_TW-en"]:
        assert (project / "_build" / "html" / edition / f"{ARTICLE}.html").is_file(), edition
        name = f"{ARTICLE}.{edition.split('/')[-1]}.pdf"
        assert (project / "_build" / "pdf" / edition / name).is_file(), edition
        root = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
        assert f'href="pdf/{edition}/{name}"' in root, edition


@pytest.mark.slow
def test_a_chinese_console_locale(project: Path) -> None:
    """An editor's shell in Chinese, whether or not the system has that locale (Debian generates none by default).

    sphinx-build stops on a locale the system lacks, and a translated Sphinx words its status lines in Chinese.
    """
    chinese = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"}
    result = run_pubflow("extract", cwd=project, env=chinese)
    assert result.returncode == 0, result.stderr
    assert any(re.fullmatch(rf"pubflow: extract: \d+%, {SECONDS} elapsed, about {SECONDS} left", ln)
               for ln in result.stderr.splitlines()), result.stderr  # fmt: skip
    assert (project / "_build" / "gettext" / f"{ARTICLE}.pot").is_file()


@pytest.mark.slow
def test_a_console_that_cannot_show_chinese(project: Path) -> None:
    """A console in ASCII or a legacy code page: Chinese is escaped as JSON escapes it, never a traceback."""
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgstr and "法" in e.msgid)
    entry.msgstr += " 中文𠀀"
    catalog.save(str(path))
    ascii_console = {"PYTHONIOENCODING": "ascii"}
    text = run_pubflow("check", cwd=project, env=ascii_console)
    assert text.returncode == 1 and "Traceback" not in text.stderr, text.stderr
    assert "Chinese characters left in the translation: \\u4e2d\\u6587" in text.stdout + text.stderr
    machine = run_pubflow("check", "--format", "json", cwd=project, env=ascii_console)
    assert machine.returncode == 1 and machine.stdout.isascii()
    messages = [f["message"] for f in json.loads(machine.stdout)["findings"]]
    assert any(m.endswith("中文𠀀") for m in messages), messages


@pytest.mark.slow
@pytest.mark.parametrize("output", [["--format", "json"], ["--format", "text"]])
def test_a_reader_that_leaves_early_is_no_error(output: list[str], project: Path) -> None:
    """`pubflow coverage | head -1`: the pipe's reader is gone; no error line, no traceback, the shell's 141.

    The text report is short enough to wait in Python's buffer until the end, the JSON one is not.
    """
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pubflow", "coverage", *output],
            cwd=project,  # a copy: another test's build in the repository would hold the lock, and say so
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, "")


def test_xliff_export_of_two_locales_is_refused_not_cut_to_the_last(project: Path) -> None:
    line = one_line_error(run_pubflow("xliff", "export", "-l", "en", "-l", "zh_TW", cwd=project))
    expected = "xliff export writes one target language per file, not en, zh_TW; run it once for each locale"
    assert line == f"pubflow: error: {expected}"
    assert not (project / "_build" / "xliff").exists()


@pytest.mark.slow
def test_global_options_work_after_the_verb_too(project: Path) -> None:
    before = run_pubflow("-q", "check", "--no-stale", "-l", "en", cwd=project)
    after = run_pubflow("check", "--no-stale", "-l", "en", "-q", cwd=project)
    assert (before.returncode, before.stderr) == (after.returncode, after.stderr) == (0, "")
    assert "checking en" in run_pubflow("check", "--no-stale", "-l", "en", cwd=project).stderr


def test_convert_of_a_translated_locale_says_which_locales_convert_fills(project: Path) -> None:
    result = run_pubflow("convert", "-l", "en", cwd=project)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "pubflow: en: translated by people, not produced by opencc; convert fills zh_TW",
        "pubflow: nothing to convert",
    ]
