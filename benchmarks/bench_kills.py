"""Reliability run: SIGKILL ``update``, ``convert`` and ``import --force`` at random points.

Each run starts a stage that has real work to do on a copy of the project,
kills it with SIGKILL after a random delay, and then checks what a user
would find: every catalog still accepted by ``msgfmt -c``, every document
either its old or its new text, and, after the next (uninterrupted) run, no
temporary file anywhere in the project. Reports the counts: runs, kills (runs
that were still going when the signal came), corrupted files and temporary
files left behind.

Run: .venv/bin/python benchmarks/bench_kills.py [--runs 210] [--seed 11]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ARTICLE, REPO, report

SEED = REPO / "raw" / "000_9a6e5b4a2d73f28a.txt"
STAGES = ("update", "convert", "import")
PROJECT_FILES = ["pyproject.toml", "conf.py", "glossary.csv"]
PROJECT_DIRS = ["docs", "locale"]


def pubflow(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pubflow", "-q", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("*.mo"))
    return target


@dataclass
class Stage:
    """A stage with work to do: ``prepare`` gives it some, ``command`` runs it, ``outputs`` are what it writes."""

    name: str
    command: list[str]
    prepare: Callable[[Path], None]
    outputs: Callable[[Path], list[Path]]


def catalogs(project: Path) -> list[Path]:
    return sorted((project / "locale").rglob("*.po"))


def changed_source(project: Path) -> None:
    """A changed paragraph, so that update rewrites every target catalog (templates extracted once, in setup)."""
    for path in catalogs(project):
        shutil.copy2(REPO / path.relative_to(project), path)


def untranslated_zh_tw(project: Path) -> None:
    """Every zh_TW message emptied, so that convert rewrites every zh_TW catalog."""
    for path in sorted((project / "locale" / "zh_TW").rglob("*.po")):
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            if entry.msgid and not entry.obsolete:
                entry.msgstr = ""
        catalog.save()


def document(project: Path) -> list[Path]:
    return [project / "docs" / f"{ARTICLE}.rst", project / "docs" / "index.rst"]


def stages(raw_changed: Path) -> dict[str, Stage]:
    return {
        "update": Stage("update", ["update"], changed_source, catalogs),
        "convert": Stage("convert", ["convert"], untranslated_zh_tw, catalogs),
        "import": Stage(
            "import",
            ["import", str(raw_changed), "--name", ARTICLE, "--force"],
            lambda project: shutil.copy2(REPO / "docs" / f"{ARTICLE}.rst", project / "docs" / f"{ARTICLE}.rst"),
            document,
        ),
    }


def temporaries(project: Path) -> list[Path]:
    """Temporary files and scratch folders of write_atomic, extract and the stale check."""
    return [
        p
        for p in project.rglob(".*")
        if p.name.endswith(".tmp") or p.name.startswith((".gettext-", ".stale-", ".scratch-"))
    ]


def corrupted(project: Path, stage: Stage, allowed: dict[Path, set[bytes]]) -> list[str]:
    """Outputs that are neither valid (catalogs: msgfmt -c) nor one of their allowed contents (documents)."""
    bad = []
    for path in stage.outputs(project):
        if path.suffix == ".po":
            check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, check=False)
            if check.returncode != 0 or not path.read_bytes().endswith(b"\n"):
                bad.append(f"{path}: {check.stderr.decode(errors='replace').strip()[:200]}")
        elif path.read_bytes() not in allowed.get(path, set()):
            bad.append(f"{path}: neither the old nor the new text")
    return bad


@dataclass
class Counts:
    runs: int = 0
    kills: int = 0
    corrupted: int = 0
    temporary_files_after_next_run: int = 0
    temporary_files_left_by_kills: int = 0
    problems: list[str] = field(default_factory=list)


def measure(stage: Stage, project: Path) -> float:
    stage.prepare(project)
    start = time.perf_counter()
    process = pubflow(*stage.command, cwd=project)
    if process.wait() != 0:
        raise SystemExit(f"pubflow {' '.join(stage.command)} failed in {project}")
    return time.perf_counter() - start


def kill_runs(runs: int, seed: int, workdir: Path, names: tuple[str, ...] = STAGES) -> Counts:
    """``runs`` killed runs spread over the stages ``names``; each followed by a recovery run."""
    rng = random.Random(seed)
    project = copy_project(workdir / "project")
    raw_changed = workdir / "changed.txt"
    raw_changed.write_text(SEED.read_text(encoding="utf-8").replace("以合作促安全", "以合作促进安全"), encoding="utf-8")
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("人民利益，至高无上。", "人民利益高于一切。"), "utf-8")
    subprocess.run([sys.executable, "-m", "pubflow", "-q", "extract"], cwd=project, check=True)
    all_stages = stages(raw_changed)
    # Each stage's second run: the first also makes the records a later run finds (update's merge record …).
    durations = {name: (measure(all_stages[name], project), measure(all_stages[name], project))[1] for name in names}
    # The documents import may write: the shipped text, and the changed one.
    allowed = {path: {(REPO / path.relative_to(project)).read_bytes(), path.read_bytes()} for path in document(project)}
    counts = Counts()
    for run in range(runs):
        stage = all_stages[names[run % len(names)]]
        stage.prepare(project)
        start = time.perf_counter()
        process = pubflow(*stage.command, cwd=project)
        # Python's start-up takes the first part of a run; kill anywhere from there to its end.
        deadline = start + rng.uniform(0.3, 1.0) * durations[stage.name]
        while time.perf_counter() < deadline and process.poll() is None:
            time.sleep(0.005)
        counts.runs += 1
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            counts.kills += 1
        else:  # it finished first: the machine got faster, so aim earlier next time
            durations[stage.name] = (durations[stage.name] + time.perf_counter() - start) / 2
        process.wait()
        counts.temporary_files_left_by_kills += len(temporaries(project))
        bad = corrupted(project, stage, allowed)
        counts.corrupted += len(bad)
        counts.problems.extend(bad)
        # The next run: it completes, and leaves no temporary file of the killed one.
        if pubflow(*stage.command, cwd=project).wait() != 0:
            counts.problems.append(f"the run after a kill of {stage.name} failed")
        left = temporaries(project)
        counts.temporary_files_after_next_run += len(left)
        counts.problems.extend(f"left after the next run: {p}" for p in left)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=210)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pubflow-kills-") as scratch:
        counts = kill_runs(args.runs, args.seed, Path(scratch))
    report(
        "kills",
        {
            "runs": counts.runs,
            "kills": counts.kills,
            "corrupted": counts.corrupted,
            "temporary_files_left_by_kills": counts.temporary_files_left_by_kills,
            "temporary_files_after_next_run": counts.temporary_files_after_next_run,
            "problems": "; ".join(counts.problems[:5]) or "none",
        },
    )
    if counts.corrupted or counts.temporary_files_after_next_run or counts.problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
