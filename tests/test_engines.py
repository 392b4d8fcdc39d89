"""The second engine: opencc-python-reimplemented, in a virtualenv of its own.

Both engines install a module named ``opencc``, so they never share an
environment: this test makes a separate one and runs pubflow's convert there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import polib
import pytest

from tests.conftest import ARTICLE, REPO, as_before_review, copy_project

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

REIMPLEMENTED = "opencc-python-reimplemented==0.1.7"


def requirements(*names: str) -> list[str]:
    """pubflow's own requirements of these packages, as pyproject.toml gives them (what convert imports)."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    found = [spec for spec in declared if re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0].lower() in names]
    assert len(found) == len(names), found
    return found


def run(python: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(python), *args], cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_conversion_runs_on_the_pure_python_engine(project: Path, tmp_path: Path) -> None:
    environment = tmp_path / "reimplemented"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", REIMPLEMENTED,
        *requirements("polib", "babel", "rapidfuzz"), cwd=tmp_path)  # fmt: skip
    assert "opencc-python-reimplemented" in run(python, "-m", "pip", "list", cwd=tmp_path)
    assert "OpenCC " not in run(python, "-m", "pip", "list", cwd=tmp_path)

    for path in (project / "locale" / "zh_TW").rglob("*.po"):
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            entry.msgstr = ""
        catalog.save()
    pubflow_on_path = {"PYTHONPATH": str(REPO)}
    run(python, "-m", "pubflow", "convert", cwd=project, env=pubflow_on_path)

    converted = polib.pofile(str(project / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    assert converted.metadata["X-Pubflow-Converter"].startswith("opencc-python-reimplemented 0.1.7; config=s2twp")
    # The official binding's conversion (the shipped edition before its review).
    before_review = as_before_review(copy_project(tmp_path / "official"))
    official = polib.pofile(str(before_review / "locale" / "zh_TW" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    # With the glossary, both engines give the same edition (the README lists where they differ raw).
    assert {e.msgid: e.msgstr for e in converted if not e.obsolete} == {
        e.msgid: e.msgstr for e in official if not e.obsolete
    }

    # Raw, without the glossary, they differ: the reimplementation writes 高階別 for 高级别.
    messages = [e.msgid for e in official]
    script = (
        "import json, sys; from opencc import OpenCC; c = OpenCC('s2twp'); "
        "print(json.dumps([c.convert(m) for m in json.load(sys.stdin)]))"
    )
    raw = json.loads(
        subprocess.run(
            [str(python), "-c", script], input=json.dumps(messages), capture_output=True, text=True, check=True
        ).stdout
    )
    import opencc

    official_raw = [opencc.OpenCC("s2twp").convert(m) for m in messages]
    differing = [(a, b) for a, b in zip(official_raw, raw, strict=True) if a != b]
    assert len(differing) == 2
    assert all("高級別" in a and "高階別" in b for a, b in differing)
    assert sys.modules["opencc"].__version__.startswith("1.4")
