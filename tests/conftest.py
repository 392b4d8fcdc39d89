"""Shared fixtures: the repository, temporary copies of the project, and running pubflow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_9a6e5b4a2d73f28a.txt"
ARTICLE = "2017-09-25-international-law-enforcement-cooperation"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FILES = ["pyproject.toml", "conf.py", "glossary.csv"]
PROJECT_DIRS = ["docs", "locale"]


def run_pubflow(
    *args: str, cwd: Path, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a separate process, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "pubflow", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"pubflow {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def copy_project(target: Path) -> Path:
    """A copy of the shipped project (sources, catalogs, configuration), without build output."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("*.mo"))
    return target


def publish_always(project: Path) -> None:
    """Every target edition publishes every article, translated or not: for tests of how gaps are shown.

    The default policy (complete) holds an article with an untranslated message back from its edition.
    """
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = re.sub(
        r"(\[tool\.pubflow\.locales\.(?!zh_CN\])[A-Za-z_]+\]\n(?:(?!publish =)[^\[\n].*\n)*)(?:publish = .*\n)?",
        lambda m: m.group(1) + 'publish = "always"\n',
        text,
    )
    pyproject.write_text(text, encoding="utf-8")


#: Test files by the time they take (--durations on 2 idle cores), the longest first. scripts/test.sh hands files to
#: its workers in this order (--no-loadscope-reorder), so that no long file starts last while the other core idles.
#: A file not named here runs after these, in pytest's order; the order changes no result, only the wall time.
LONGEST_FIRST = [
    "test_site", "test_frontpage", "test_benchmarks", "test_check", "test_init", "test_new_locales",
    "test_editions", "test_cli", "test_html", "test_pdf", "test_setup", "test_bad_input", "test_translator_tools",
    "test_workflow", "test_output_safety", "test_update", "test_pdf_runs", "test_review_state", "test_exchange",
    "test_lock", "test_build_faults", "test_browser", "test_serve", "test_bilingual", "test_safety",
]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {f"tests/{name}.py": place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: a file's own order kept


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def as_before_review(project: Path) -> Path:
    """The project as it was before its zh_TW edition was reviewed: every zh_TW message OpenCC's output again.

    The shipped zh_TW edition is reviewed (a person's, message for message); what machine output does,
    and what review does to it, is tested on this state, made by pubflow's own convert. Its edition publishes
    complete conversions, as it did then (the shipped one publishes reviewed articles only).
    """
    from pubflow.config import load_config
    from pubflow.convert import convert_catalogs

    for path in (project / "locale" / "zh_TW" / "LC_MESSAGES").glob("*.po"):
        lines = path.read_text(encoding="utf-8").split("\n")
        # Blank every translation but the header's, keeping the file's own layout (one line per string).
        in_header = True
        for i, line in enumerate(lines):
            if line.startswith('msgid "') and line != 'msgid ""':
                in_header = False
            if not in_header and line.startswith('msgstr "'):
                lines[i] = 'msgstr ""'
        path.write_text("\n".join(lines), encoding="utf-8")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('publish = "reviewed"', 'publish = "complete"'))
    config = load_config(project)
    convert_catalogs(config, [config.locale("zh_TW")])
    return project


@pytest.fixture
def unreviewed_project(tmp_path: Path) -> Path:
    """A copy of the shipped project whose zh_TW edition is still unreviewed machine output."""
    return as_before_review(copy_project(tmp_path / "project"))


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The shipped project's HTML editions, built once per test session into _build/html."""
    run_pubflow("build", "--format", "html", cwd=REPO, check=True)
    return REPO / "_build" / "html"
