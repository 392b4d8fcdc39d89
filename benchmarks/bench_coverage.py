"""Benchmark: pubflow coverage against potodo, in CPU time on one core, on two real corpora.

The corpora are real catalogs that nobody on this project wrote:

- ``zh_CN``: the Simplified Chinese translation of the Python documentation
  (``python-docs-zh-cn-3.13.tar.xz`` from the shared corpora folder, unpacked
  into ``_build/corpora``);
- ``site-packages``: every ``.po`` file shipped inside the installed packages
  of this virtualenv (Sphinx's ~70 languages and the sphinxcontrib
  extensions'), those that ``msgfmt -c`` accepts (pubflow refuses the others,
  as msgfmt does; potodo would count them).

Both tools run as their command lines pinned to one core (``taskset -c 0``),
interleaved; each run's user+system CPU time is taken from ``os.wait4`` and
its peak memory from GNU time. pubflow runs twice over: *cold*, with no msgfmt verdict
kept (every catalog judged by ``msgfmt -c``), and *warm*, with the verdicts
of unchanged catalogs kept in the cache, which is the steady state of a
project. Ratios are potodo's figure over pubflow's (above 1: pubflow uses
less). pubflow's counts are compared with ``msgfmt --statistics`` on every file.

Run: .venv/bin/python benchmarks/bench_coverage.py [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO, report

VENV_BIN = Path(sys.executable).parent
SITE_PACKAGES = Path(next(p for p in sys.path if p.endswith("site-packages")))
CORPUS_NAME = "python-docs-zh-cn-3.13.tar.xz"
PACKAGED_ZH_CN = "site-packages-zh_CN"


@functools.cache
def shared_corpus() -> Path:
    """The unpacked zh_CN corpus in _build/corpora, unpacked from the shared folder the first time."""
    target = REPO / "_build" / "corpora" / "zhcn313"
    if target.is_dir():
        return target
    candidates = [
        Path(os.environ.get("PUBFLOW_CORPORA", "/nonexistent")),
        *(p / "shared" / "corpora" for p in REPO.parents),
    ]
    archive = next((c / CORPUS_NAME for c in candidates if (c / CORPUS_NAME).is_file()), None)
    if archive is None:
        return packaged_zh_cn_corpus()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target.parent, filter="data")
    return target


def packaged_zh_cn_corpus() -> Path:
    """Where the shared corpus is absent (a machine without ../shared): the installed packages' zh_CN catalogs.

    Real catalogs too (Sphinx's and its extensions'), but a few hundred messages
    where the shared corpus has 77,825: the figures are not comparable, and
    ``corpus_name`` says which was measured.
    """
    target = REPO / "_build" / "corpora" / PACKAGED_ZH_CN
    shutil.rmtree(target, ignore_errors=True)
    for path in sorted(SITE_PACKAGES.rglob("zh_CN/LC_MESSAGES/*.po")):
        copy = target / path.relative_to(SITE_PACKAGES)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
    print(f"{CORPUS_NAME} not found (set PUBFLOW_CORPORA to the shared corpora folder); "
          f"measuring the installed packages' zh_CN catalogs instead", file=sys.stderr)  # fmt: skip
    return target


def corpus_name(corpus: Path) -> str:
    return "site-packages zh_CN" if corpus.name == PACKAGED_ZH_CN else CORPUS_NAME.removesuffix(".tar.xz")


def site_packages_corpus(folder: Path) -> tuple[Path, int]:
    """The installed packages' own catalogs that msgfmt -c accepts, copied with their paths; and how many it rejects."""
    rejected = 0
    for path in sorted(SITE_PACKAGES.rglob("*.po")):
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, check=False)
        if check.returncode != 0:
            rejected += 1
            continue
        target = folder / path.relative_to(SITE_PACKAGES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return folder, rejected


def run_on_one_core(command: list[str], env: dict[str, str]) -> tuple[float, int, bytes]:
    """(user+system CPU seconds, peak resident KiB, stdout) of one run pinned to core 0.

    The peak comes from GNU time, which forks the command itself: a process
    started straight from this one would count this process's own memory,
    which Linux carries into a child's high-water mark through the exec.
    """
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as peak:
        prefix = ["/usr/bin/time", "-f", "%M", "-o", peak.name] if Path("/usr/bin/time").exists() else []
        process = subprocess.Popen(
            [*prefix, "taskset", "-c", "0", *command], stdout=out, stderr=subprocess.DEVNULL, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        kib = int(peak.read().strip().splitlines()[-1]) if prefix else usage.ru_maxrss
        return usage.ru_utime + usage.ru_stime, kib, out.read()


def msgfmt_counts(path: Path) -> tuple[int, int, int]:
    out = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=True).stderr  # fmt: skip

    def count(kind: str) -> int:
        found = re.search(rf"(\d+) {kind}", out)
        return int(found.group(1)) if found else 0

    return count("translated"), count("fuzzy"), count("untranslated")


def measure(name: str, corpus: Path, runs: int, scratch: Path) -> dict[str, object]:
    files = sorted(corpus.rglob("*.po"))
    pubflow = [str(VENV_BIN / "python"), "-m", "pubflow", "-q", "coverage", "--format", "json", str(corpus)]
    potodo = [str(VENV_BIN / "potodo"), "--no-cache", "--json", "--show-finished", "-p", str(corpus)]
    warm_env = {**os.environ, "XDG_CACHE_HOME": str(scratch / f"{name}-warm")}
    run_on_one_core(pubflow, warm_env)  # fills the warm cache, and the page cache for all
    cold, warm, theirs = [], [], []
    for number in range(runs):  # interleaved, so that a busy moment of the machine weighs on all three alike
        cold.append(run_on_one_core(pubflow, {**os.environ, "XDG_CACHE_HOME": str(scratch / f"{name}-cold-{number}")}))
        warm.append(run_on_one_core(pubflow, warm_env))
        theirs.append(run_on_one_core(potodo, dict(os.environ)))
    data = json.loads(warm[-1][2])
    ours = {
        c["path"]: (c["translated"], c["fuzzy"], c["untranslated"]) for loc in data["locales"] for c in loc["catalogs"]
    }
    by_file = {str(Path(p).resolve()): counts for p, counts in ours.items()}
    mismatches = [f for f in files if by_file.get(str(f.resolve())) != msgfmt_counts(f)]
    totals = [sum(v[i] for v in ours.values()) for i in range(3)]

    def cpu(samples: list[tuple[float, int, bytes]]) -> float:
        return statistics.median(s[0] for s in samples)

    def peak(samples: list[tuple[float, int, bytes]]) -> int:
        return max(s[1] for s in samples)

    return {
        f"{name}_catalogs": len(files),
        f"{name}_megabytes": round(sum(f.stat().st_size for f in files) / 1024 / 1024, 2),
        f"{name}_messages": sum(totals),
        f"{name}_potodo_cpu_seconds": cpu(theirs),
        f"{name}_pubflow_warm_cpu_seconds": cpu(warm),
        f"{name}_pubflow_cold_cpu_seconds": cpu(cold),
        f"{name}_potodo_over_pubflow_warm_cpu_ratio": cpu(theirs) / cpu(warm),
        f"{name}_potodo_over_pubflow_cold_cpu_ratio": cpu(theirs) / cpu(cold),
        f"{name}_potodo_peak_mib": round(peak(theirs) / 1024, 1),
        f"{name}_pubflow_peak_mib": round(max(peak(warm), peak(cold)) / 1024, 1),
        f"{name}_pubflow_over_potodo_peak_ratio": max(peak(warm), peak(cold)) / peak(theirs),
        f"{name}_translated_fuzzy_untranslated": f"{totals[0]:,} / {totals[1]:,} / {totals[2]:,}",
        f"{name}_catalogs_whose_counts_differ_from_msgfmt": len(mismatches),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs of each tool (default: 5)")
    args = parser.parse_args()
    data: dict[str, object] = {"runs": args.runs}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        corpus = shared_corpus()
        data["zh_CN_corpus"] = corpus_name(corpus)
        data.update(measure("zh_CN", corpus, args.runs, scratch))
        packaged, rejected = site_packages_corpus(scratch / "site-packages")
        data["site_packages_rejected_by_msgfmt_c"] = rejected
        data.update(measure("site_packages", packaged, args.runs, scratch))
    report("coverage", data)
    differing = [k for k, v in data.items() if k.endswith("differ_from_msgfmt") and v]
    if differing:
        raise SystemExit(f"counts differ from msgfmt --statistics: {', '.join(differing)}")


if __name__ == "__main__":
    main()
