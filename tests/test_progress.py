"""Progress of long work: bars with an estimate on a terminal, plain lines elsewhere, each stage's time at the end.

The plain lines of a whole ``publish`` (with its PDFs) are asserted in
tests/test_cli.py::test_publish_shows_progress, which runs it anyway.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from pubflow.progress import Reporter, estimate_left, format_duration
from tests.conftest import ARTICLE, run_pubflow
from tests.terminal import run_on_terminal

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

STAGE_TIME = r"\s+(?:\d+\.\d s|\d+ min \d\d s)\s+\d+%"


def test_publish_on_a_terminal_shows_a_bar_per_stage_with_an_estimate(project: Path) -> None:
    run = run_on_terminal("publish", "--format", "html", cwd=project)
    assert run.returncode == 0, "\n".join(run.lines)
    assert run.stdout == ""
    assert "\x1b[" in run.terminal  # drawn, not printed
    lines = run.lines
    # While the editions build: a bar, the count, the time so far and an estimate of the time left.
    estimate = r"build html +[━╸╺]+ [1-4]/5 editions \d:\d\d:\d\d about (?:\d+\.\d s|\d+ min \d\d s) left"
    assert any(re.search(estimate, ln) for ln in lines), "\n".join(lines)
    for stage, count in [("update", "4/4 catalogs"), ("convert", "2/2 catalogs"), ("build html", "5/5 editions")]:
        assert any(re.search(rf"✓ {stage} +━+ {count} \d:\d\d:\d\d done", ln) for ln in lines), stage
    # The verbs' own messages scroll above the bars.
    assert "pubflow: [5/5] bilingual/zh_TW-en: ok" in lines
    summary = lines[lines.index(next(ln for ln in lines if ln.startswith("pubflow: published in "))) :]
    for stage in ["extract", "update", "memory", "convert", "build html"]:
        assert any(re.match(rf"pubflow:   {stage}{STAGE_TIME}", ln) for ln in summary), (stage, summary)
    assert not any("build pdf" in ln for ln in summary)  # --format html: no PDF stage
    assert (project / "_build" / "html" / "en" / f"{ARTICLE}.html").is_file()


def test_a_json_report_stays_clean_while_the_bars_draw(project: Path) -> None:
    run = run_on_terminal("check", "--format", "json", "--no-stale", cwd=project)
    assert run.returncode == 0, "\n".join(run.lines)
    assert json.loads(run.stdout)["findings"] is not None
    assert any(re.search(r"✓ check +━+ 4/4 catalogs", ln) for ln in run.lines), run.lines
    quiet = run_on_terminal("-q", "check", "--format", "json", "--no-stale", cwd=project)
    assert quiet.returncode == 0
    assert json.loads(quiet.stdout) == json.loads(run.stdout)
    assert quiet.terminal == ""


def test_ci_means_plain_lines_even_on_a_terminal(project: Path) -> None:
    run = run_on_terminal("check", "--no-stale", cwd=project, env={"CI": "true"})
    assert run.returncode == 0, run.terminal
    assert "\x1b" not in run.terminal
    assert re.search(r"^pubflow: check: done, 4 catalogs in [\d.]+ s\r?$", run.terminal, re.M), run.terminal


def test_plain_lines_count_each_tenth_with_an_estimate() -> None:
    stream = io.StringIO()
    report = Reporter(stream=stream, interactive=False)
    with report.stage("update", "catalog") as meter:
        meter.expect(40)
        for _ in range(40):
            meter.advance()
    lines = stream.getvalue().splitlines()
    counts = [ln for ln in lines if re.match(r"pubflow: update: \d+/40 catalogs, \d+\.\d s elapsed", ln)]
    assert [int(re.search(r"(\d+)/40", ln).group(1)) for ln in counts] == [4, 8, 12, 16, 20, 24, 28, 32, 36]  # type: ignore[union-attr]
    assert all("left" in ln for ln in counts)
    assert re.fullmatch(r"pubflow: update: done, 40 catalogs in \d+\.\d s", lines[-1])


def test_an_error_in_a_stage_leaves_the_error_as_the_one_line_to_read(project: Path) -> None:
    (project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po").write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    run_pubflow("extract", cwd=project, check=True)
    result = run_pubflow("update", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"pubflow: error: locale/en/LC_MESSAGES/{ARTICLE}.po:2")
    assert "update:" not in result.stderr  # neither a count nor a summary line about the stage that failed
    on_terminal = run_on_terminal("update", cwd=project)
    assert on_terminal.returncode == 2
    assert on_terminal.lines[-1].startswith(f"pubflow: error: locale/en/LC_MESSAGES/{ARTICLE}.po:2")


def test_quiet_prints_nothing() -> None:
    stream = io.StringIO()
    report = Reporter(quiet=True, stream=stream, interactive=False)
    with report.stage("update", "catalog") as meter:
        meter.expect(3)
        meter.advance(3)
    report("a message")
    report.summary("published")
    assert stream.getvalue() == ""


def test_durations_and_estimates_read_as_a_person_would_say_them() -> None:
    assert [format_duration(s) for s in (0.04, 12.34, 65, 3725)] == ["0.0 s", "12.3 s", "1 min 05 s", "1 h 02 min"]
    assert estimate_left(10.0, 2, 6) == 20.0  # 5 s per unit so far, 4 units left
    assert estimate_left(10.0, 0, 6) is None  # no pace yet
    assert estimate_left(60.0, 0.01, 5) is None  # a Sphinx run's first percent: too little to tell
    assert estimate_left(10.0, 6, 6) is None  # done
    assert estimate_left(10.0, 3, None) is None  # no total
