"""Shared fixtures: the repository, temporary copies of the project, and running pubflow."""

from __future__ import annotations

import os
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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The shipped project's HTML editions, built once per test session into _build/html."""
    run_pubflow("build", "--format", "html", cwd=REPO, check=True)
    return REPO / "_build" / "html"
