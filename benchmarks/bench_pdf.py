"""Benchmark: what a PDF costs per article, against one xelatex pass on the same .tex, in one run.

A project of N articles (the shipped article under N names, dates and titles,
with its English catalog: see bench_frontpage.make_project) has its English
PDF edition built cold, as ``pubflow build --format pdf`` builds it: Sphinx's
LaTeX builder, the glyph check, xelatex per article. The baseline, in the same
run and interleaved with it, round by round in alternating order, is one plain
``xelatex`` pass on each of the .tex files that build wrote, each in a clean
folder holding Sphinx's support files. Costs are CPU seconds (user + system,
of pubflow and every process it waited for), which do not depend on how many
cores are idle; wall times are reported too (pubflow typesets two articles at
a time, the baseline one).

Also reported: the xelatex passes pubflow ran per article, a rebuild with no
change (which must run no xelatex at all), and one xelatex pass in a folder
crowded with the 2,000 files a 200-article edition leaves (with latexmk, in
the edition's own folder) against the same pass in a clean folder: the reason
each article now has a folder of its own.

Run: .venv/bin/python benchmarks/bench_pdf.py [--articles N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
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

from benchmarks.bench_frontpage import make_project
from benchmarks.common import report
from pubflow.build import Edition
from pubflow.config import load_config
from pubflow.pdf import build_pdf, edition_coverage, font_coverage, support_files, tex_version

CROWD = 2_000


def cpu_seconds() -> tuple[float, float]:
    """(user, system) seconds of this process and of every child it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


def measured(action: Callable[[], object]) -> tuple[float, float, float, object]:
    """(wall, user, system) seconds of ``action``, and what it returned."""
    user0, system0 = cpu_seconds()
    start = time.perf_counter()
    value = action()
    wall = time.perf_counter() - start
    user1, system1 = cpu_seconds()
    return wall, user1 - user0, system1 - system0, value


def one_pass(tex: Path, folder: Path) -> None:
    """One plain xelatex pass on ``tex`` in ``folder``, with Sphinx's support files copied there."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in support_files(tex.parent):
        shutil.copy2(path, folder / path.name)
    shutil.copy2(tex, folder / tex.name)
    subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pubflow-bench-pdf-") as scratch:
        root = Path(scratch) / "project"
        root.mkdir()
        make_project(root, args.articles)
        config = load_config(root)
        edition = Edition("en", "en")
        latex = config.output_dir / "latex" / "en"
        pubflow_runs: list[tuple[float, float, float]] = []
        baseline_runs: list[tuple[float, float, float]] = []
        passes: list[int] = []
        noop: list[tuple[float, list[int]]] = []
        crowded: list[float] = []
        clean: list[float] = []

        def cold_build() -> None:
            shutil.rmtree(config.output_dir, ignore_errors=True)
            for cached in (font_coverage, edition_coverage, tex_version):  # as a new pubflow process would
                cached.cache_clear()
            wall, user, system, result = measured(lambda: build_pdf(config, [edition]))
            assert result.ok, result.problems  # type: ignore[attr-defined]
            pubflow_runs.append((wall, user, system))
            passes.extend(result.passes["en"])  # type: ignore[attr-defined]
            wall, _, _, again = measured(lambda: build_pdf(config, [edition]))
            noop.append((wall, again.passes["en"]))  # type: ignore[attr-defined]

        def baseline() -> None:
            texs = sorted(latex.glob("*.tex"))
            assert len(texs) == args.articles
            work = Path(scratch) / "baseline"
            shutil.rmtree(work, ignore_errors=True)
            wall, user, system, _ = measured(lambda: [one_pass(tex, work / tex.stem) for tex in texs])
            baseline_runs.append((wall, user, system))
            # The same pass, in a clean folder and in one crowded like a 200-article edition's.
            crowd = Path(scratch) / "crowded"
            if not crowd.is_dir():
                crowd.mkdir()
                for number in range(CROWD):
                    (crowd / f"other-article-{number // 10:03d}.{number % 10}").write_text("x", encoding="ascii")
            for target, times in [(crowd, crowded), (work / "clean", clean)]:
                _, user, system, _ = measured(lambda target=target: one_pass(texs[0], target))  # type: ignore[misc]
                times.append(user + system)
                for leftover in target.glob(f"{texs[0].stem}.*"):
                    leftover.unlink()

        # Round 1 builds first (the baseline needs its .tex files), then the order alternates.
        for number in range(args.rounds):
            for step in (cold_build, baseline) if number % 2 == 0 else (baseline, cold_build):
                step()

        per_article = args.articles

        def median_cpu(runs: list[tuple[float, float, float]]) -> float:
            return statistics.median(user + system for _, user, system in runs) / per_article

        pubflow_cpu, baseline_cpu = median_cpu(pubflow_runs), median_cpu(baseline_runs)
        report(
            "pdf",
            {
                "articles": args.articles,
                "rounds": args.rounds,
                "cores": os.cpu_count() or 1,
                "pubflow_cpu_per_article_s": pubflow_cpu,
                "one_xelatex_pass_cpu_per_article_s": baseline_cpu,
                "pubflow_per_article_over_one_pass": pubflow_cpu / baseline_cpu,
                "pubflow_system_share": statistics.median(s / (u + s) for _, u, s in pubflow_runs),
                "pubflow_wall_per_article_s": statistics.median(w for w, _, _ in pubflow_runs) / per_article,
                "one_pass_wall_per_article_s": statistics.median(w for w, _, _ in baseline_runs) / per_article,
                "xelatex_passes_per_article": statistics.mean(passes),
                "articles_with_a_second_pass": sum(1 for p in passes if p > 1) // len(pubflow_runs),
                "no_change_rebuild_s": statistics.median(wall for wall, _ in noop),
                "no_change_rebuild_xelatex_passes": sum(sum(p) for _, p in noop),
                "one_pass_cpu_in_a_crowded_folder_s": statistics.median(crowded),
                "one_pass_cpu_in_a_clean_folder_s": statistics.median(clean),
                "crowded_over_clean": statistics.median(crowded) / statistics.median(clean),
            },
        )


if __name__ == "__main__":
    main()
