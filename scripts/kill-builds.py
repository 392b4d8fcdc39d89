#!/usr/bin/env python3
"""The long run of the build's fault tests: SIGKILL ``pubflow build`` at random points, then check the next run.

Usage (from the repository, with its virtualenv):

    .venv/bin/python scripts/kill-builds.py --runs 30 --format all
    .venv/bin/python scripts/kill-builds.py --runs 0 --publishes 2   # two publishes at once, twice

Each run changes one English translation, starts a build, kills it after a
random share of a build's duration (the pubflow process only: a Sphinx or
latexmk it started may run on, as after a real kill), then runs the build
again and checks it: exit status 0, the new translation published, every
published page complete, every PDF readable and holding the new text, no
temporary file or in-progress mark left. With ``--publishes``, two
``pubflow publish`` start together each round and both must succeed.
The counts go to stdout and ``_build/benchmarks/kill-builds.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import ARTICLE, copy_project  # noqa: E402

PARAGRAPH = "以合作促安全，以安全促发展。"


def pubflow(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pubflow", "-q", *args], cwd=root, capture_output=True, text=True)


def set_translation(root: Path, text: str) -> None:
    path = root / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    catalog.find(PARAGRAPH).msgstr = text
    catalog.save()


def damage(root: Path, marker: str, pdf: bool) -> list[str]:
    """What is wrong with the published edition; empty when it is whole and current."""
    problems = []
    page = root / "_build" / "html" / "en" / f"{ARTICLE}.html"
    if marker not in page.read_text(encoding="utf-8"):
        problems.append("the new translation is not published")
    for html in (root / "_build" / "html").rglob("*.html"):
        if not html.read_text(encoding="utf-8").rstrip().endswith("</html>"):
            problems.append(f"truncated page {html}")
    if pdf:
        document = root / "_build" / "pdf" / "en" / f"{ARTICLE}.en.pdf"
        text = subprocess.run(["pdftotext", str(document), "-"], capture_output=True, text=True).stdout
        if marker.split("(")[1].rstrip(").") not in text.replace("\n", " "):
            problems.append("the PDF lacks the new translation")
    leftovers = [p for p in (root / "_build").rglob("*") if p.name.endswith((".tmp", ".building"))]
    problems.extend(f"left behind: {p}" for p in leftovers)
    return problems


def kill_runs(root: Path, runs: int, build_format: str, rng: random.Random) -> dict[str, int]:
    first = pubflow(root, "build", "--locale", "en", "--format", build_format)
    if first.returncode:
        raise SystemExit(first.stderr)
    # Kill points spread over an incremental build (one translation changed), as each run below is.
    set_translation(root, "Cooperation for security; security for development (timing run).")
    started = time.monotonic()
    pubflow(root, "build", "--locale", "en", "--format", build_format)
    duration = time.monotonic() - started
    counts = {"runs": 0, "kills": 0, "recovered": 0, "corrupted": 0}
    for run in range(runs):
        marker = f"Cooperation for security; security for development (run {run} {rng.randrange(10**6)})."
        set_translation(root, marker)
        process = subprocess.Popen(
            [sys.executable, "-m", "pubflow", "-q", "build", "--locale", "en", "--format", build_format],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, 1.0) * duration)
        counts["runs"] += 1
        if process.poll() is None:
            process.kill()
            counts["kills"] += 1
        process.wait()
        again = pubflow(root, "build", "--locale", "en", "--format", build_format)
        problems = [again.stderr.strip()] if again.returncode else damage(root, marker, build_format != "html")
        if problems:
            counts["corrupted"] += 1
            print(f"run {run}: {'; '.join(problems)}", file=sys.stderr)
        else:
            counts["recovered"] += 1
    return counts


def concurrent_publishes(root: Path, rounds: int) -> dict[str, int]:
    counts = {"publish_rounds": 0, "publish_failures": 0}
    for _ in range(rounds):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "pubflow", "-q", "publish"], cwd=root, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = [(process.wait(), process.stderr.read() if process.stderr else "") for process in processes]
        counts["publish_rounds"] += 1
        for status, stderr in results:
            if status:
                counts["publish_failures"] += 1
                print(f"publish failed ({status}): {stderr.strip()}", file=sys.stderr)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="builds to kill (default 20)")
    parser.add_argument("--format", choices=["html", "pdf", "all"], default="html")
    parser.add_argument("--publishes", type=int, default=0, help="rounds of two publishes at once")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="pubflow-kill-") as scratch:
        root = copy_project(Path(scratch) / "project")
        counts: dict[str, int | str] = {"seed": seed, "format": args.format}
        counts |= kill_runs(root, args.runs, args.format, rng) if args.runs else {}
        counts |= concurrent_publishes(root, args.publishes) if args.publishes else {}
    print(json.dumps(counts))
    out = REPO / "_build" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "kill-builds.json").write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    return 1 if counts.get("corrupted") or counts.get("publish_failures") else 0


if __name__ == "__main__":
    sys.exit(main())
