"""pubflow init: a new publication, set up with pubflow installed as a package, then import and publish.

The repository's own publication is one made this way: its conf.py, scripts,
CI entry, status page, [tool.pubflow] and front page are what init writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, REPO, SEED, run_pubflow

SAME_AS_REPOSITORY = ["conf.py", "scripts/setup.sh", "scripts/publish.sh", "scripts/test.sh", ".ci/run",
                      "docs/status.rst", ".gitignore"]  # fmt: skip
REPOSITORY_FLAGS = [
    "--name", "pubflow 文选",
    "--copyright", "2017 法制日报 (Legal Daily); translations by the pubflow contributors",
    "--locale", "en", "--locale", "zh_TW:opencc:s2twp",
    "--bilingual", "zh_CN:en", "--bilingual", "zh_TW:en",
]  # fmt: skip
NOT_SOURCE = [".venv", "_build", ".git", "*.egg-info", "__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache",
              "build", "dist"]  # fmt: skip


def tool_pubflow(pyproject: Path) -> dict:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pubflow"]


def test_this_repository_is_a_publication_made_by_init(tmp_path: Path) -> None:
    result = run_pubflow("init", str(tmp_path / "pub"), *REPOSITORY_FLAGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = tmp_path / "pub"
    for name in SAME_AS_REPOSITORY:
        assert (made / name).read_bytes() == (REPO / name).read_bytes(), name
    for script in ["scripts/setup.sh", "scripts/publish.sh", "scripts/test.sh", ".ci/run"]:
        assert os.access(made / script, os.X_OK), script
    assert tool_pubflow(made / "pyproject.toml") == tool_pubflow(REPO / "pyproject.toml")
    glossary_header = (REPO / "glossary.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (made / "glossary.csv").read_text(encoding="utf-8") == glossary_header + "\n"
    # The front page as init writes it, then the article's entry that import added.
    index = (made / "docs" / "index.rst").read_text(encoding="utf-8")
    assert (REPO / "docs" / "index.rst").read_text(encoding="utf-8") == f"{index}   {ARTICLE}\n"
    assert (made / "locale").is_dir() and not any((made / "locale").iterdir())

    # A publication with no article yet publishes no PDF, and says so, rather than failing.
    pdf = run_pubflow("build", "--format", "pdf", cwd=made)
    assert pdf.returncode == 0 and "no article in docs/ yet: no PDF to make" in pdf.stderr, pdf.stderr

    # It asks nothing and overwrites nothing.
    (made / "conf.py").write_text("# mine\n", encoding="utf-8")
    again = run_pubflow("init", str(made), *REPOSITORY_FLAGS, cwd=tmp_path)
    assert again.returncode == 2 and "would overwrite conf.py" in again.stderr
    assert (made / "conf.py").read_text(encoding="utf-8") == "# mine\n"
    bad = run_pubflow("init", str(tmp_path / "other"), "--locale", "zh_TW:opencc", cwd=tmp_path)
    assert bad.returncode == 2 and "name the OpenCC configuration" in bad.stderr and "Traceback" not in bad.stderr


def test_a_new_publication_installs_pubflow_as_a_package_and_publishes(tmp_path: Path) -> None:
    # pubflow's source as a user would fetch it (built into a wheel in that copy, not in this checkout).
    source = tmp_path / "pubflow-source"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    made = tmp_path / "legal-daily"
    result = run_pubflow(
        "init", str(made), "--name", "pubflow 文选", "--locale", "en", "--locale", "zh_TW:opencc:s2twp",
        "--pubflow-spec", str(source), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f'dependencies = ["pubflow @ {source.as_uri()}"]' in (made / "pyproject.toml").read_text(encoding="utf-8")

    env = {**os.environ, "PYTHON": sys.executable, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    setup = subprocess.run(["bash", "scripts/setup.sh"], cwd=made, capture_output=True, text=True, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    python = made / ".venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import pubflow, pathlib; print(pathlib.Path(pubflow.__file__).resolve())"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(made / ".venv" / "lib")), where  # installed, not the checkout

    def pubflow(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(made / ".venv" / "bin" / "pubflow"), *args], cwd=made, capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0, f"pubflow {' '.join(args)}:\n{done.stderr}"
        return done

    pubflow("import", str(SEED), "--name", ARTICLE)
    for name in [f"docs/{ARTICLE}.rst", "docs/index.rst"]:
        assert (made / name).read_bytes() == (REPO / name).read_bytes(), name  # Chinese text as it ships here
    pubflow("publish")
    html = made / "_build" / "html"
    for locale in ["zh_CN", "en", "zh_TW"]:
        assert ARTICLE in (html / locale / "index.html").read_text(encoding="utf-8"), locale
        assert (html / locale / f"{ARTICLE}.html").is_file()
        assert (made / "_build" / "pdf" / locale / f"{ARTICLE}.{locale}.pdf").stat().st_size > 10_000
    assert "<h1>pubflow 文选</h1>" in (html / "index.html").read_text(encoding="utf-8")
    assert "<entry" in (html / "zh_TW" / "atom.xml").read_text(encoding="utf-8")  # converted: complete
    assert "<entry" not in (html / "en" / "atom.xml").read_text(encoding="utf-8")  # nobody translated it yet


@pytest.mark.parametrize(
    ("source", "title", "words"),
    [
        ("zh_CN", "翻译状态", "“注释”"),
        ("zh_TW", "翻譯狀態", "「註釋」"),
        ("zh_HK", "翻譯狀態", "「註釋」"),
        ("en", "Translation status", '"Notes"'),
    ],
)
def test_the_status_page_is_in_the_source_language(tmp_path: Path, source: str, title: str, words: str) -> None:
    target = "zh_CN" if source == "en" else "en"
    run_pubflow("init", str(tmp_path / "p"), "--source-language", source, "--locale", target, cwd=tmp_path, check=True)
    page = (tmp_path / "p" / "docs" / "status.rst").read_text(encoding="utf-8")
    assert f"\n{title}\n" in page and words in page and ".. pubflow-translation-status::" in page
