"""Shared pieces of the benchmarks: timing, the real article's messages, reports."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "2017-09-25-international-law-enforcement-cooperation"
REPORTS = REPO / "_build" / "benchmarks"


def article_messages() -> list[tuple[str, str]]:
    """(Chinese source, English translation) of every message of the shipped article."""
    catalog = polib.pofile(str(REPO / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"))
    return [(e.msgid, e.msgstr) for e in catalog if e.msgid]


def cold_sphinx_build(args: list[str], cwd: Path) -> list[str]:
    """A plain ``sphinx-build`` as its own interpreter (never pubflow's forked runs), the baselines' unit;
    its problems, each as a line."""
    from pubflow import sphinxrun

    environment = {**os.environ, **sphinxrun.RUN_ENVIRONMENT}
    done = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    run = sphinxrun.SphinxRun(args, done.returncode, done.stdout + done.stderr)
    return run.problems


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The median wall time of ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, data: dict[str, object]) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    width = max(len(k) for k in data)
    for key, value in data.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        print(f"{key:<{width}}  {shown}")
    print(f"(written to {REPORTS / f'{name}.json'})")
