"""Benchmark: no-op and one-edit runs of every verb at 20 and 200 articles, against a cold build.

A project of N articles is made in a temporary folder: the shipped article
under N names, dates and titles with English catalogs made from its real
translation (most complete, every tenth partly translated, every tenth
outdated; see bench_frontpage.py), then ``pubflow extract``, ``update`` and
``convert`` make the zh_TW catalogs and ``pubflow build`` the three HTML
editions, as a publication would be after its first publish.

The baseline is a cold sequential ``sphinx-build`` of the three locales'
HTML (zh_CN, en, zh_TW; fresh doctrees, in a copy of the project), measured
before and after the runs below, and their mean taken. Then, each verb as its
own ``pubflow`` process, as a person or CI runs it:

- a no-op run of ``extract``, ``update``, ``convert`` and ``build`` (HTML of
  the three locales), nothing changed since the last one;
- the same after one msgstr of one English catalog was edited;
- the same after one paragraph of one document was edited;
- ``check`` of every locale, with nothing changed.

Each run is reported in seconds, wall and CPU (user and system time of
pubflow and every process it ran: on a machine shared with other work, CPU
time varies far less than wall time), and the chain of the four as a share of
the cold build (issue 14 asks at most 0.1 at 200 articles). With ``--articles``
given twice or more (default 20 and 200), each verb's growth factor (time at
the largest size over time at the smallest) is reported beside the size
factor: at most linear means a growth factor no larger than the size factor.

Run: .venv/bin/python benchmarks/bench_scale.py [--articles 20 --articles 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_frontpage import make_project
from benchmarks.common import REPO, cold_sphinx_build, report

SIZES = [20, 200]
LOCALES = ["zh_CN", "en", "zh_TW"]
CHAIN = ["extract", "update", "convert", "build"]
#: A sentence of the article, and a paragraph of its document, that each edit changes.
EDITED_MSGSTR = "to global security governance"
EDITED_PARAGRAPH = "以合作促安全，以安全促发展。"


class Timing(NamedTuple):
    wall: float
    cpu: float  # user and system time of the process and every process it waited for (Sphinx, msgmerge …)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pubflow(root: Path, *args: str) -> Timing:
    """Run one pubflow verb as its own process; its wall and CPU time in seconds."""
    start, cpu = time.perf_counter(), children_cpu()
    run = subprocess.run(
        [sys.executable, "-m", "pubflow", "-C", str(root), "-q", *args], capture_output=True, text=True, check=False
    )
    elapsed = Timing(time.perf_counter() - start, children_cpu() - cpu)
    if run.returncode not in (0, 1):  # check exits 1 on findings, which are not what is measured here
        raise SystemExit(f"pubflow {' '.join(args)} failed ({run.returncode}):\n{run.stderr}{run.stdout}")
    return elapsed


def chain(root: Path) -> dict[str, Timing]:
    return {verb: pubflow(root, verb) for verb in CHAIN}


def prepare(root: Path, count: int) -> dict[str, Timing]:
    """The project of ``count`` articles after its first publish (HTML); the cold pipeline's times."""
    make_project(root, count)
    for name in ["index.po"]:
        target = root / "locale" / "zh_TW" / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "locale" / "zh_TW" / "LC_MESSAGES" / name, target / name)
    cold = chain(root)
    settle = chain(root)  # convert's and memory's writes are merged once more; from here on nothing changes
    del settle
    return cold


def cold_sphinx_builds(root: Path) -> Timing:
    """Seconds of a cold sphinx-build of each locale's HTML, one after another, in a copy of the project."""
    from pubflow import sphinxrun
    from pubflow.config import load_config

    with tempfile.TemporaryDirectory(prefix="pubflow-bench-scale-cold-") as folder:
        copy = Path(folder) / "project"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_build"))
        config = load_config(copy)
        start, cpu = time.perf_counter(), children_cpu()
        for locale in LOCALES:
            out = config.output_dir / "cold"
            args = sphinxrun.sphinx_command(config, "html", locale, out / "html" / locale, out / "doctrees" / locale)
            problems = cold_sphinx_build(args, copy)
            if problems:
                raise SystemExit("cold build failed:\n" + "\n".join(problems))
        return Timing(time.perf_counter() - start, children_cpu() - cpu)


#: What a no-op chain must not write (pubflow's published HTML is counted apart: a feed may carry the time).
SOURCES_AND_WORK = ["docs", "locale", "_build/gettext", "_build/locale", "_build/cache"]


def written_since(root: Path, folders: list[str], since: dict[str, int]) -> int:
    """How many files under ``folders`` are new or have another mtime than in ``since``."""
    return sum(1 for path, mtime in mtimes(root, folders).items() if since.get(path) != mtime)


def mtimes(root: Path, folders: list[str]) -> dict[str, int]:
    return {
        str(path): path.stat().st_mtime_ns
        for folder in folders
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def median_runs(runs: list[dict[str, Timing]]) -> dict[str, Timing]:
    median = statistics.median
    return {verb: Timing(median(r[verb].wall for r in runs), median(r[verb].cpu for r in runs)) for verb in runs[0]}


def timings(prefix: str, timing: Timing) -> dict[str, float]:
    return {f"{prefix}_seconds": round(timing.wall, 3), f"{prefix}_cpu_seconds": round(timing.cpu, 3)}


def measure(count: int, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="pubflow-bench-scale-") as folder:
        root = Path(folder)
        cold_pipeline = prepare(root, count)
        baseline = [cold_sphinx_builds(root)]
        before = mtimes(root, [*SOURCES_AND_WORK, "_build/html"])
        noop = median_runs([chain(root) for _ in range(repeat)])
        rewritten = written_since(root, SOURCES_AND_WORK, before)
        republished = written_since(root, ["_build/html"], before)
        documents = sorted(p.stem for p in (root / "docs").glob("*-article-*.rst"))
        msgstr_runs, paragraph_runs = [], []
        for attempt in range(repeat):
            name = documents[attempt % len(documents)]
            catalog = root / "locale" / "en" / "LC_MESSAGES" / f"{name}.po"
            edit(catalog, EDITED_MSGSTR, f"to global security governance ({attempt})")
            msgstr_runs.append(chain(root))
            chain(root)  # settle: the zh_TW catalog convert rewrote is merged once more
            edit(root / "docs" / f"{name}.rst", EDITED_PARAGRAPH, f"以合作促安全，以安全促发展（{attempt}）。")
            paragraph_runs.append(chain(root))
            chain(root)
        check = median_runs([{"check": pubflow(root, "check")} for _ in range(repeat)])["check"]
        if repeat > 1:  # once more after the runs, so that the baseline brackets them
            baseline.append(cold_sphinx_builds(root))
    cold = Timing(statistics.mean(t.wall for t in baseline), statistics.mean(t.cpu for t in baseline))
    one_msgstr, one_paragraph = median_runs(msgstr_runs), median_runs(paragraph_runs)
    figures: dict[str, object] = {"articles": count, **timings("cold_sphinx_build_3_locales", cold)}
    for verb, timing in cold_pipeline.items():
        figures |= timings(f"cold_{verb}", timing)
    for label, runs in [("noop", noop), ("one_msgstr", one_msgstr), ("one_paragraph", one_paragraph)]:
        for verb, timing in runs.items():
            figures |= timings(f"{label}_{verb}", timing)
        total = Timing(sum(t.wall for t in runs.values()), sum(t.cpu for t in runs.values()))
        figures |= timings(f"{label}_chain", total)
        figures[f"{label}_chain_share_of_cold_build"] = round(total.wall / cold.wall, 4)
        figures[f"{label}_chain_cpu_share_of_cold_build_cpu"] = round(total.cpu / cold.cpu, 4)
    figures |= timings("noop_check", check)
    figures["noop_files_written_in_sources_catalogs_and_work"] = rewritten
    figures["noop_files_written_in_published_html"] = republished
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", help="project sizes (default: 20 and 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind, their median reported")
    args = parser.parse_args()
    sizes = sorted(args.articles or SIZES)
    results = [measure(count, args.repeat) for count in sizes]
    data: dict[str, object] = {}
    for figures in results:
        data |= {f"{key}@{figures['articles']}": value for key, value in figures.items() if key != "articles"}
    if len(results) > 1:
        small, large = results[0], results[-1]
        data["size_factor"] = round(int(str(large["articles"])) / int(str(small["articles"])), 2)
        for key, value in large.items():
            if key.endswith("_seconds") and key.startswith(("noop", "one_", "cold_")):
                growth = float(str(value)) / max(float(str(small[key])), 0.001)
                data[f"growth_{key.removesuffix('_seconds')}"] = round(growth, 2)
    report("scale", data)


if __name__ == "__main__":
    main()
