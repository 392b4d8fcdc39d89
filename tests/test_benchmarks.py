"""The benchmarks run and their correctness checks hold. Their timings are reported, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


@pytest.mark.slow
def test_convert_benchmark_converts_real_zh_cn_text_and_its_second_run_converts_nothing() -> None:
    data = run_benchmark("convert", "--catalogs", "30", "--runs", "1")
    if data["corpus"] == "python-docs-zh-cn-3.13":  # ../shared is beside the project, as in CI
        assert data["catalogs"] == 30 and data["chinese_bytes"] >= 100_000
    else:  # a machine without it: the installed packages' zh_CN catalogs (Sphinx's and its extensions')
        assert data["corpus"] == "site-packages zh_CN" and data["catalogs"] >= 5 and data["chinese_bytes"] >= 10_000
    assert data["second_run_engine_calls"] == 0
    assert data["pubflow_vs_opencc_cpu_rate_ratio"] > 0 and data["second_run_vs_first_ratio"] > 0
    # A first run does OpenCC's work and msgfmt's and more: it stays under their ceiling.
    assert data["pubflow_vs_opencc_cpu_rate_ratio"] < data["ceiling_cpu_rate_ratio_while_msgfmt_judges"] < 1


@pytest.mark.slow
def test_coverage_benchmark_counts_equal_msgfmt_on_two_real_corpora() -> None:
    data = run_benchmark("coverage", "--runs", "1")
    shared = data["zh_CN_corpus"] == "python-docs-zh-cn-3.13"
    assert data["zh_CN_catalogs"] >= (500 if shared else 5) and data["site_packages_catalogs"] >= 300
    assert data["zh_CN_catalogs_whose_counts_differ_from_msgfmt"] == 0
    assert data["site_packages_catalogs_whose_counts_differ_from_msgfmt"] == 0
    assert data["zh_CN_potodo_over_pubflow_warm_cpu_ratio"] > 0


@pytest.mark.slow
def test_pdf_benchmark_typesets_each_article_once_and_a_rebuild_not_at_all() -> None:
    data = run_benchmark("pdf", "--articles", "1", "--rounds", "1")
    assert data["xelatex_passes_per_article"] == 1 and data["articles_with_a_second_pass"] == 0
    assert data["no_change_rebuild_xelatex_passes"] == 0
    assert data["pubflow_per_article_over_one_pass"] > 0


@pytest.mark.slow
def test_scale_benchmark_runs_every_verb_and_a_no_op_chain_writes_nothing() -> None:
    data = run_benchmark("scale", "--articles", "2", "--repeat", "1")
    for kind in ["noop", "one_msgstr", "one_paragraph"]:
        for verb in ["extract", "update", "convert", "build"]:
            assert data[f"{kind}_{verb}_seconds@2"] > 0
        assert data[f"{kind}_chain_share_of_cold_build@2"] > 0
    assert data["noop_check_seconds@2"] > 0
    # No churn: a run with nothing new rewrites no source, catalog, template, compiled catalog or record.
    assert data["noop_files_written_in_sources_catalogs_and_work@2"] == 0
