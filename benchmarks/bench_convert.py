"""Benchmark: pubflow convert against OpenCC alone, on over 1 MB of Chinese text.

The catalogs are made from the shipped article's real messages, each made
unique per catalog so that no memo can skip the work. Reported: characters per
second for OpenCC called directly on the same texts (the baseline, same run),
for ``pubflow convert`` (masking, glossary, quotes, catalog I/O), their ratio,
and the time of a second run with no change, which must convert nothing.

Run: .venv/bin/python benchmarks/bench_convert.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import opencc
import polib

from benchmarks.common import REPO, article_messages, best_of, report
from pubflow.config import load_config
from pubflow.convert import convert_catalogs

MIN_BYTES = 1_048_576
CHINESE_NUMERALS = "〇一二三四五六七八九"


def numeral(n: int) -> str:
    return "".join(CHINESE_NUMERALS[int(d)] for d in str(n))


def make_project(folder: Path) -> tuple[list[str], int]:
    for name in ["pyproject.toml", "conf.py", "glossary.csv"]:
        shutil.copy(REPO / name, folder / name)
    (folder / "docs").mkdir()
    target = folder / "locale" / "zh_TW" / "LC_MESSAGES"
    target.mkdir(parents=True)
    sources = [m for m, _ in article_messages()]
    texts: list[str] = []
    size = 0
    number = 0
    while size < MIN_BYTES:
        number += 1
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Language": "zh_TW", "Content-Type": "text/plain; charset=UTF-8",
                            "Plural-Forms": "nplurals=1; plural=0;"}  # fmt: skip
        for index, text in enumerate(sources):
            msgid = f"第{numeral(number)}期第{numeral(index)}段：{text}"
            catalog.append(
                polib.POEntry(msgid=msgid, msgstr="", occurrences=[(f"docs/bench-{number}.rst", str(index))])
            )
            texts.append(msgid)
            size += len(msgid.encode("utf-8"))
        catalog.save(str(target / f"bench-{number:03d}.po"))
    return texts, number


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        texts, catalogs = make_project(folder)
        characters = sum(len(t) for t in texts)
        engine = opencc.OpenCC("s2twp")
        baseline = best_of(3, lambda: [engine.convert(t) for t in texts])
        config = load_config(folder)
        first = best_of(1, lambda: convert_catalogs(config, config.targets))
        second_result = {}

        def second_run() -> None:
            second_result["r"] = convert_catalogs(config, config.targets)

        second = best_of(3, second_run)
        assert second_result["r"].engine_calls == 0 and not second_result["r"].written
        converted = sum(1 for p in (folder / "locale").rglob("*.po") for e in polib.pofile(str(p)) if e.msgstr)
        assert converted == len(texts)
    report(
        "convert",
        {
            "catalogs": catalogs,
            "messages": len(texts),
            "chinese_bytes": sum(len(t.encode("utf-8")) for t in texts),
            "characters": characters,
            "opencc_direct_chars_per_second": characters / baseline,
            "pubflow_convert_chars_per_second": characters / first,
            "pubflow_vs_opencc_speed_ratio": baseline / first,
            "second_run_seconds": second,
            "second_run_vs_first_ratio": second / first,
            "second_run_engine_calls": second_result["r"].engine_calls,
        },
    )


if __name__ == "__main__":
    main()
