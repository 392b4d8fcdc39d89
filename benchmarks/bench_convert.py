"""Benchmark: pubflow convert against OpenCC alone, on the shared zh_CN corpus's translations.

The catalogs are the Simplified Chinese translation of the Python documentation
(``python-docs-zh-cn-3.13.tar.xz``, see bench_coverage.py): each catalog's
translations (msgstrs) become the sources (msgids) of a zh_TW catalog, so
that convert works on about 5 million characters of real zh_CN text, with its
reST markup, URLs and glossary terms. Reported: characters per second for
OpenCC called directly on the same texts (the baseline, in the same process
and the same run, interleaved with pubflow's runs), for ``pubflow convert``'s
first run (masking, glossary, quotes, catalog reading and writing, review
records), their ratio, and the time of a second run with no change, which
must convert nothing, as a share of the first. Also measured, interleaved:
``msgfmt -c`` alone over the same catalogs, the judge every catalog convert
has not seen before must pass, and the best rate any first run could reach
while msgfmt judges (OpenCC's time plus msgfmt's, nothing else; in wall time
with both spread over every core).

Run: .venv/bin/python benchmarks/bench_convert.py [--catalogs N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import opencc
import polib

from benchmarks.bench_coverage import corpus_name, shared_corpus
from benchmarks.common import REPO, report
from pubflow.config import ProjectConfig, load_config
from pubflow.convert import ConvertResult, convert_catalogs

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # pubflow refuses a source holding them: they are its masks


def make_project(folder: Path, limit: int | None) -> list[str]:
    """A project whose zh_TW catalogs hold the corpus's msgstrs as msgids; the texts convert sees."""
    for name in ["pyproject.toml", "conf.py", "glossary.csv"]:
        shutil.copy(REPO / name, folder / name)
    (folder / "docs").mkdir(exist_ok=True)
    target = folder / "locale" / "zh_TW" / "LC_MESSAGES"
    target.mkdir(parents=True)
    texts: list[str] = []
    corpus = shared_corpus()
    for source in sorted(corpus.rglob("*.po"))[:limit]:
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Language": "zh_TW", "Content-Type": "text/plain; charset=UTF-8",
                            "Plural-Forms": "nplurals=1; plural=0;"}  # fmt: skip
        seen: set[str] = set()
        for entry in polib.pofile(str(source)):
            text = entry.msgstr
            if not text or entry.obsolete or text in seen or PRIVATE_USE.search(text):
                continue
            seen.add(text)
            catalog.append(polib.POEntry(msgid=text, msgstr="", occurrences=entry.occurrences))
            texts.append(text)
        relative = source.relative_to(corpus).with_suffix("")
        path = target / f"{str(relative).replace('/', '--')}.po"
        catalog.save(str(path))
    return texts


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of the children it waited for (msgfmt)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``action``."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    action()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def judge_all(folder: Path) -> None:
    """``msgfmt -c`` on each catalog, as convert's judge runs it (one process per catalog)."""
    for path in sorted(folder.rglob("*.po")):
        subprocess.run(
            ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
            capture_output=True,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalogs", type=int, default=None, help="only the first N catalogs (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="fresh projects converted, interleaved (default: 3)")
    args = parser.parse_args()
    engine = opencc.OpenCC("s2twp")
    baselines: list[tuple[float, float]] = []
    firsts: list[tuple[float, float]] = []
    seconds: list[tuple[float, float]] = []
    judging: list[tuple[float, float]] = []
    last: dict[str, ConvertResult] = {}
    with tempfile.TemporaryDirectory() as scratch:
        pristine = Path(scratch) / "pristine"
        pristine.mkdir()
        texts = make_project(pristine, args.catalogs)
        characters = sum(len(t) for t in texts)
        catalog_count = len(list(pristine.rglob("*.po")))
        for number in range(args.runs):
            folder = Path(scratch) / f"run-{number}"
            shutil.copytree(pristine, folder)
            config = load_config(folder)

            def run(name: str, config: ProjectConfig = config) -> None:
                last[name] = convert_catalogs(config, config.targets)

            baselines.append(timed(lambda: [engine.convert(text) for text in texts]))
            judging.append(timed(lambda: judge_all(pristine)))
            firsts.append(timed(lambda: run("first")))
            seconds.append(timed(lambda: run("second")))
        second = last["second"]
        assert second.engine_calls == 0 and not second.written, "a second run with no change converted something"
        converted = sum(1 for p in (folder / "locale").rglob("*.po") for e in polib.pofile(str(p)) if e.msgstr)
        assert converted == len(texts), (converted, len(texts))
    measured = (("opencc", baselines), ("msgfmt", judging), ("first", firsts), ("second", seconds))
    wall = {name: statistics.median(s[0] for s in samples) for name, samples in measured}
    cpu = {name: statistics.median(s[1] for s in samples) for name, samples in measured}
    cores = len(os.sched_getaffinity(0))
    report(
        "convert",
        {
            "runs": args.runs,
            "corpus": corpus_name(shared_corpus()),
            "catalogs": catalog_count,
            "catalogs_written_by_the_first_run": len(last["first"].written),
            "messages": len(texts),
            "chinese_bytes": sum(len(t.encode("utf-8")) for t in texts),
            "characters": characters,
            "opencc_direct_chars_per_cpu_second": characters / cpu["opencc"],
            "pubflow_convert_chars_per_cpu_second": characters / cpu["first"],
            "pubflow_vs_opencc_cpu_rate_ratio": cpu["opencc"] / cpu["first"],
            "opencc_direct_chars_per_second": characters / wall["opencc"],
            "pubflow_convert_chars_per_second": characters / wall["first"],
            "pubflow_vs_opencc_wall_rate_ratio": wall["opencc"] / wall["first"],
            "first_run_seconds": wall["first"],
            "first_run_cpu_seconds": cpu["first"],
            "second_run_seconds": wall["second"],
            "second_run_vs_first_ratio": wall["second"] / wall["first"],
            "second_run_engine_calls": second.engine_calls,
            "msgfmt_judging_cpu_seconds": cpu["msgfmt"],
            "msgfmt_judging_vs_opencc_cpu_ratio": cpu["msgfmt"] / cpu["opencc"],
            # No first run can beat OpenCC plus its judge: the ceiling of the ratio above while msgfmt judges.
            "ceiling_cpu_rate_ratio_while_msgfmt_judges": cpu["opencc"] / (cpu["opencc"] + cpu["msgfmt"]),
            "cores": cores,
            "ceiling_wall_rate_ratio_while_msgfmt_judges": wall["opencc"] * cores / (cpu["opencc"] + cpu["msgfmt"]),
        },
    )


if __name__ == "__main__":
    main()
