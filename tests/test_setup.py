"""scripts/setup.sh on a half-made virtualenv: it repairs, says so, and never fails on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

MINIMAL_PROJECT = """\
[build-system]
requires = ["setuptools>=69,<82"]
build-backend = "setuptools.build_meta"

[project]
name = "setup-probe"
version = "0"
[project.optional-dependencies]
test = []

[tool.setuptools]
py-modules = []
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    (tmp_path / "pyproject.toml").write_text(MINIMAL_PROJECT, encoding="utf-8")
    return tmp_path


def _setup(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "PYTHON": sys.executable, "HOME": str(project)},
    )


def test_setup_rebuilds_a_venv_without_pip(tmp_path: Path) -> None:
    project = _project(tmp_path)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    result = _setup(project)
    assert result.returncode == 0, result.stderr
    assert "has no pip" in result.stdout and "rebuilding" in result.stdout
    assert subprocess.run([str(project / ".venv/bin/python"), "-c", "import pip"], check=False).returncode == 0


def test_setup_rebuilds_a_venv_whose_python_is_gone(tmp_path: Path) -> None:
    project = _project(tmp_path)
    subprocess.run([sys.executable, "-m", "venv", str(project / ".venv")], check=True)
    for python in (project / ".venv" / "bin").glob("python*"):
        python.unlink()
        python.symlink_to(tmp_path / "no-such-python")
    result = _setup(project)
    assert result.returncode == 0, result.stderr
    assert "does not run any more" in result.stdout
    assert subprocess.run([str(project / ".venv/bin/python"), "-c", "import pip"], check=False).returncode == 0


def test_setup_leaves_a_sound_venv_alone(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _setup(project).returncode == 0
    marker = project / ".venv" / "kept"
    marker.write_text("", encoding="utf-8")
    result = _setup(project)
    assert result.returncode == 0, result.stderr
    assert "rebuilding" not in result.stdout and marker.exists()
    assert "unchanged since" in result.stdout  # and pip was not asked again
    # A changed pyproject.toml (a new dependency, a new range) is installed again.
    with (project / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("# a new dependency would be here\n")
    again = _setup(project)
    assert again.returncode == 0, again.stderr
    assert "unchanged since" not in again.stdout and marker.exists()
