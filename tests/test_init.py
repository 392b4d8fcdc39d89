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

import pubflow
from tests.conftest import ARTICLE, REPO, SEED, run_pubflow

#: Whole editions, PDFs, browsers, venvs or kill series: left out of the quick loop (test.sh -m "not slow").
pytestmark = pytest.mark.slow

SAME_AS_REPOSITORY = ["conf.py", "scripts/setup.sh", "scripts/publish.sh", "scripts/test.sh", ".ci/run",
                      "docs/status.rst", ".gitignore", ".github/workflows/pages.yml"]  # fmt: skip
REPOSITORY_FLAGS = [
    "--name", "pubflow 文选",
    "--copyright", "2017 法制日报 (Legal Daily); translations by the pubflow contributors",
    "--locale", "en", "--locale", "zh_TW:opencc:s2twp",
    "--bilingual", "zh_CN:en", "--bilingual", "zh_TW:en",
    "--publish", "zh_TW=reviewed",
]  # fmt: skip
NOT_SOURCE = [".venv", "_build", ".git", "*.egg-info", "__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache",
              "build", "dist"]  # fmt: skip


def tool_pubflow(pyproject: Path) -> dict:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pubflow"]


def test_init_takes_the_copyright_without_its_sign(tmp_path: Path) -> None:
    """Pages print the ©: a line given with its own is stored without it, so no page says "© © 2024"."""
    for given in ["© 2024 Legal Daily", "(c) 2024 Legal Daily", "Copyright 2024 Legal Daily", "2024 Legal Daily"]:
        target = tmp_path / f"pub-{len(given)}"
        run_pubflow("init", str(target), "--copyright", given, cwd=tmp_path, check=True)
        assert tool_pubflow(target / "pyproject.toml")["copyright"] == "2024 Legal Daily", given


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
    # pubflow by name and the range of releases compatible with this one, never a path into a checkout.
    project = tomllib.loads((made / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    major, minor, _patch = pubflow.__version__.split(".")
    assert project["dependencies"] == [f"pubflow>={pubflow.__version__},<{major}.{int(minor) + 1}"]
    assert project["optional-dependencies"]["test"] == []  # pubflow's test tools stay pubflow's
    assert not (made / "scripts" / "dev-packages.sh").exists()

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


def test_a_new_publication_installs_pubflow_from_a_built_wheel_and_publishes(tmp_path: Path) -> None:
    """CI's smoke test of the package: pubflow built into a wheel, installed by name in a clean virtualenv."""
    # pubflow's source as a user would fetch it, built into a wheel there (not in this checkout).
    source = tmp_path / "pubflow-source"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("pubflow-*.whl")
    made = tmp_path / "legal-daily"
    result = run_pubflow(
        "init", str(made), "--name", "pubflow 文选", "--locale", "en", "--locale", "zh_TW:opencc:s2twp", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert f"depends on pubflow>={pubflow.__version__}," in result.stderr and "PIP_FIND_LINKS" in result.stderr
    assert str(REPO) not in (made / "pyproject.toml").read_text(encoding="utf-8")

    env = {**os.environ, "PYTHON": sys.executable, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env["PIP_FIND_LINKS"] = " ".join([str(wheels), *env.get("PIP_FIND_LINKS", "").split()])
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)  # the publication's pubflow, not this checkout's
    setup = subprocess.run(["bash", "scripts/setup.sh"], cwd=made, capture_output=True, text=True, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    python = made / ".venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import pubflow, pathlib; print(pathlib.Path(pubflow.__file__).resolve())"],
        cwd=tmp_path, capture_output=True, text=True, check=True, env=env,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(made / ".venv" / "lib")), where  # installed, not the checkout
    installed = subprocess.run(
        [str(python), "-m", "pip", "show", "-f", "pubflow"], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert f"Version: {pubflow.__version__}" in installed and "direct_url.json" not in installed  # by name
    assert wheel.name.startswith(f"pubflow-{pubflow.__version__}-")

    def published(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(made / ".venv" / "bin" / "pubflow"), *args], cwd=made, capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0, f"pubflow {' '.join(args)}:\n{done.stderr}"
        return done

    published("import", str(SEED), "--name", ARTICLE)
    for name in [f"docs/{ARTICLE}.rst", "docs/index.rst"]:
        assert (made / name).read_bytes() == (REPO / name).read_bytes(), name  # Chinese text as it ships here
    publish = published("publish")
    html = made / "_build" / "html"
    for locale in ["zh_CN", "zh_TW"]:  # the source, and its complete conversion
        assert ARTICLE in (html / locale / "index.html").read_text(encoding="utf-8"), locale
        assert (html / locale / f"{ARTICLE}.html").is_file()
        assert (made / "_build" / "pdf" / locale / f"{ARTICLE}.{locale}.pdf").stat().st_size > 10_000
    # English, untranslated, holds it back (publish = complete, init's default): no page, no PDF, no entry.
    assert f"en: held back {ARTICLE} (0% translated; publish = complete)" in publish.stderr
    assert ARTICLE not in (html / "en" / "index.html").read_text(encoding="utf-8")
    assert not (html / "en" / f"{ARTICLE}.html").exists()
    assert not (made / "_build" / "pdf" / "en" / f"{ARTICLE}.en.pdf").exists()
    assert "<h1>pubflow 文选</h1>" in (html / "index.html").read_text(encoding="utf-8")
    assert "<entry" in (html / "zh_TW" / "atom.xml").read_text(encoding="utf-8")  # converted: complete
    assert "<entry" not in (html / "en" / "atom.xml").read_text(encoding="utf-8")  # nobody translated it yet


@pytest.mark.parametrize("source", ["zh_CN", "zh_TW", "en"])
def test_the_status_page_has_nothing_to_translate(tmp_path: Path, source: str) -> None:
    """Its title, prose and table come from pubflow's own catalog, in each edition's language."""
    target = "zh_CN" if source == "en" else "en"
    run_pubflow("init", str(tmp_path / "p"), "--source-language", source, "--locale", target, cwd=tmp_path, check=True)
    page = (tmp_path / "p" / "docs" / "status.rst").read_text(encoding="utf-8")
    prose = [line for line in page.splitlines() if line and not line.startswith((":orphan:", ".."))]
    assert ".. pubflow-status-page::" in page and prose == []


@pytest.mark.parametrize(
    ("spec", "written"),
    [(">=0.1,<0.3", "pubflow<0.3,>=0.1"), ("pubflow~=0.1.0", "pubflow~=0.1.0"), (None, None)],
)
def test_pubflow_spec_is_a_version_range(tmp_path: Path, spec: str | None, written: str | None) -> None:
    flags = ["--pubflow-spec", spec] if spec else []
    run_pubflow("init", str(tmp_path / "p"), "--locale", "en", *flags, cwd=tmp_path, check=True)
    project = tomllib.loads((tmp_path / "p" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = project["dependencies"]
    assert requirement == (written or requirement) and requirement.startswith("pubflow") and "@" not in requirement


@pytest.mark.parametrize(
    "spec", ["{repo}", "file:///{repo}", "git+https://example.org/pubflow.git", "pubflow", "sphinx>=8"]
)
def test_a_path_url_or_unranged_spec_is_refused(tmp_path: Path, spec: str) -> None:
    result = run_pubflow("init", str(tmp_path / "p"), "--pubflow-spec", spec.format(repo=REPO), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "give a version range, as in '>=0.1,<0.3'" in result.stderr and "PIP_FIND_LINKS" in result.stderr
    assert not (tmp_path / "p").exists()


def packages_setup_asks_for(project: Path, tmp_path: Path) -> list[str]:
    """The Debian packages scripts/setup.sh asks apt-get for on a machine that has none of them.

    dpkg-query answers "not installed" and apt-get records its arguments and fails to install,
    which ends the set-up there: nothing is installed and no virtualenv made.
    """
    tools = tmp_path / "tools"
    tools.mkdir(parents=True)
    log = tmp_path / "apt.log"
    (tools / "dpkg-query").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (tools / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$1" = update ]\n', encoding="utf-8")
    (tools / "sudo").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
    for tool in tools.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "scripts/setup.sh"], cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode != 0 and not (project / ".venv").exists()
    install = next(line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("install"))
    return [word for word in install.split() if not word.startswith("-") and word != "install"]


def test_a_publications_setup_installs_what_publishing_needs_and_pubflows_adds_its_test_tools(tmp_path: Path) -> None:
    run_pubflow("init", str(tmp_path / "pub"), "--locale", "en", cwd=tmp_path, check=True)
    publication = packages_setup_asks_for(tmp_path / "pub", tmp_path / "a")
    for needed in ["gettext", "texlive-xetex", "texlive-lang-chinese", "fonts-noto-cjk", "hunspell-en-gb"]:
        assert needed in publication
    test_tools = {"chromium", "omegat", "default-jre", "poppler-utils", "libatomic1", "time"}
    assert not test_tools & set(publication)
    # pubflow's own repository: the same set-up, with its test tools from scripts/dev-packages.sh.
    own = tmp_path / "own"
    (own / "scripts").mkdir(parents=True)
    for name in ["scripts/setup.sh", "scripts/dev-packages.sh"]:
        shutil.copy2(REPO / name, own / name)
    assert set(packages_setup_asks_for(own, tmp_path / "b")) == set(publication) | (test_tools - {"default-jre"})


def test_a_new_publication_publishes_before_its_translation_starts(tmp_path: Path) -> None:
    """The first publish: the untranslated English edition holds its article back and makes no PDF, and succeeds."""
    made = tmp_path / "pub"
    run_pubflow("init", str(made), "--locale", "en", cwd=tmp_path, check=True)
    run_pubflow("import", str(SEED), "--name", ARTICLE, cwd=made, check=True)
    done = run_pubflow("publish", cwd=made)
    assert done.returncode == 0, done.stderr
    assert "en: no PDF to make: its edition holds every article back" in done.stderr
    assert f"en: held back {ARTICLE} (0% translated; publish = complete)" in done.stderr
    assert (made / "_build" / "pdf" / "zh_CN" / f"{ARTICLE}.zh_CN.pdf").is_file()
    assert not list((made / "_build" / "pdf").glob("en/*.pdf"))
    assert not (made / "_build" / "html" / "en" / f"{ARTICLE}.html").exists()
