"""pubflow's Sphinx runs: forked from pubflow's own process, each with its own output, descriptors and exit.

A small Sphinx project of its own (not pubflow's extension), so that each run takes a fraction of a second;
the editions' builds through these runs are tested wherever an edition is built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pubflow import sphinxrun
from pubflow.lock import inherited_fds, project_lock

#: conf.py of the test project: it records what the run sees of its process in seen.json.
CONF = """
import json, os, sys
from pathlib import Path
Path(__file__).with_name("seen.json").write_text(json.dumps({
    "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
    "pid": os.getpid(),
    "environ": {name: os.environ.get(name) for name in ("LC_ALL", "NO_COLOR", "LANGUAGE", "PYTHONWARNINGS")},
}))
extensions = []
"""


def small_project(folder: Path, documents: int = 3, conf: str = CONF) -> Path:
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(conf, encoding="utf-8")
    names = [f"page{n}" for n in range(documents)]
    toctree = "".join(f"   {name}\n" for name in names)
    (folder / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toctree}", encoding="utf-8")
    for name in names:
        (folder / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\nText of {name}.\n", encoding="utf-8")
    return folder


def command(source: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-W",
        "--keep-going",
        *extra,
        str(source),
        str(source / "_out"),
    ]


def seen(source: Path) -> dict[str, object]:
    return json.loads((source / "seen.json").read_text(encoding="utf-8"))


def test_a_run_is_its_own_process_with_its_own_environment_and_leaves_ours_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = small_project(tmp_path / "project")
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    monkeypatch.delenv("LC_ALL", raising=False)
    before = dict(os.environ), os.getcwd()
    run = sphinxrun.run(command(source), cwd=tmp_path)
    assert run.returncode == 0 and run.problems == []
    assert (source / "_out" / "page2.html").is_file()
    child = seen(source)
    assert child["pid"] != os.getpid()
    assert child["environ"] == {"LC_ALL": "C.UTF-8", "NO_COLOR": "1", "LANGUAGE": None, "PYTHONWARNINGS": "ignore"}
    assert (dict(os.environ), os.getcwd()) == before


def test_a_run_keeps_the_project_lock_and_no_other_descriptor_of_ours(tmp_path: Path) -> None:
    source = small_project(tmp_path / "project")
    stray = os.open(tmp_path / "stray", os.O_RDWR | os.O_CREAT)
    try:
        with project_lock(tmp_path / "_build", "build"):
            (held,) = inherited_fds()
            run = sphinxrun.run(command(source), cwd=tmp_path)
    finally:
        os.close(stray)
    assert run.returncode == 0
    fds = seen(source)["fds"]
    assert isinstance(fds, list)
    assert held in fds, "Sphinx holds the project lock with us, so that killing pubflow does not free it"
    assert stray not in fds


def test_warnings_are_problems_naming_file_and_line_and_a_crash_is_its_last_lines(tmp_path: Path) -> None:
    source = small_project(tmp_path / "warned")
    (source / "page1.rst").write_text("page1\n=====\n\n`broken <\n", encoding="utf-8")
    run = sphinxrun.run(command(source), cwd=tmp_path)
    assert run.returncode != 0
    assert any(problem.startswith(f"{source / 'page1.rst'}:4: ") for problem in run.problems), run.problems

    crashing = small_project(tmp_path / "crashing", conf="raise RuntimeError('conf.py broke here')\n")
    run = sphinxrun.run(command(crashing), cwd=tmp_path)
    assert run.returncode != 0
    assert run.problems and "sphinx-err-" in run.problems[0]  # Sphinx's crash log, where its traceback is


def test_two_runs_at_once_each_report_their_progress_and_the_first_to_end_is_taken_first(tmp_path: Path) -> None:
    big, small = small_project(tmp_path / "big", documents=60), small_project(tmp_path / "small", documents=1)
    told: dict[str, list[float]] = {"big": [], "small": []}
    runs = {
        sphinxrun.start(command(big), tmp_path, told["big"].append): "big",
        sphinxrun.start(command(small), tmp_path, told["small"].append): "small",
    }
    first = sphinxrun.wait_first(list(runs))
    assert runs.pop(first) == "small"
    (second,) = runs
    assert sphinxrun.finish(first).returncode == 0 and sphinxrun.finish(second).returncode == 0
    for name in ("big", "small"):
        assert told[name] and told[name] == sorted(told[name]) and told[name][-1] <= 1
    assert len(told["big"]) > len(told["small"])  # a status line a document, read as the run wrote them
    assert (big / "_out" / "page59.html").is_file()


def test_what_pubflow_printed_before_a_run_is_printed_once(tmp_path: Path) -> None:
    source = small_project(tmp_path / "project")
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from pubflow import sphinxrun
        print("before the run", end="\\n")  # left in the buffer: stdout is a pipe here
        sys.stderr.write("on stderr before\\n")
        run = sphinxrun.run({command(source)!r}, Path({str(tmp_path)!r}))
        print("after the run", run.returncode)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "before the run\nafter the run 0\n"
    assert done.stderr == "on stderr before\n"
