"""The benchmarks run and their correctness checks hold. Their timings are reported, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def run_benchmark(name: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / f"bench_{name}.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads((REPO / "_build" / "benchmarks" / f"{name}.json").read_text(encoding="utf-8"))


def test_convert_benchmark_covers_a_megabyte_and_its_second_run_converts_nothing() -> None:
    data = run_benchmark("convert")
    assert data["chinese_bytes"] >= 1_048_576
    assert data["second_run_engine_calls"] == 0


def test_coverage_benchmark_counts_equal_msgfmt_on_400_catalogs() -> None:
    data = run_benchmark("coverage")
    assert data["catalogs"] >= 400 and data["megabytes"] >= 15
    assert data["catalogs_whose_counts_differ_from_msgfmt"] == 0


def test_pdf_benchmark_typesets_each_article_once_and_a_rebuild_not_at_all() -> None:
    data = run_benchmark("pdf", "--articles", "1", "--rounds", "1")
    assert data["xelatex_passes_per_article"] == 1 and data["articles_with_a_second_pass"] == 0
    assert data["no_change_rebuild_xelatex_passes"] == 0
    assert data["pubflow_per_article_over_one_pass"] > 0
