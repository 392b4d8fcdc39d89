"""Benchmark: pubflow coverage against potodo, on 400+ catalogs and 15+ MB, with msgfmt's counts.

The corpus is generated from the shipped article's real messages and
translations: translated, fuzzy (with previous msgids), untranslated,
obsolete, plural and multi-line entries, then passed through gettext's msgcat
so that every file is laid out as gettext writes it. Both tools run as their
command lines, in the same run; the ratio is potodo's time over pubflow's
(above 1 means pubflow is faster). pubflow's counts are compared with
``msgfmt --statistics`` on every file.

Run: .venv/bin/python benchmarks/bench_coverage.py
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import article_messages, best_of, report

CATALOGS = 420
MIN_BYTES = 15 * 1024 * 1024
VENV_BIN = Path(sys.executable).parent


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def entry(rng: random.Random, number: int, index: int, source: str, translation: str) -> str:
    msgid = f"{source}（{number}-{index}）"
    roll = rng.random()
    location = f"#: docs/doc-{number:03d}.rst:{index * 3 + 1}\n"
    if roll < 0.05:
        return f"#~ msgid {quote(msgid)}\n#~ msgstr {quote(translation)}\n"
    if roll < 0.10:
        second_form = "%d cases" if rng.random() < 0.7 else ""
        return (f"{location}msgid {quote('%d case ' + str(index))}\nmsgid_plural {quote('%d cases ' + str(index))}\n"
                f"msgstr[0] {quote('%d case')}\nmsgstr[1] {quote(second_form)}\n")  # fmt: skip
    if roll < 0.20:
        return (f"{location}#, fuzzy\n#| msgid {quote(source)}\nmsgid {quote(msgid)}\n"
                f"msgstr {quote(translation if rng.random() < 0.9 else '')}\n")  # fmt: skip
    if roll < 0.35:
        return f'{location}msgid {quote(msgid)}\nmsgstr ""\n'
    if roll < 0.45:  # wrapped over several lines, as gettext tools write long strings
        half = len(msgid) // 2
        return f'{location}msgid ""\n{quote(msgid[:half])}\n{quote(msgid[half:])}\nmsgstr ""\n{quote(translation)}\n'
    return f"{location}msgid {quote(msgid)}\nmsgstr {quote(translation)}\n"


def make_corpus(folder: Path) -> int:
    rng = random.Random(20170925)
    messages = article_messages()
    per_catalog = 80  # about 40 KB a catalog: 420 of them make over 15 MB
    header = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n"MIME-Version: 1.0\\n"\n'
              '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
              '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')  # fmt: skip
    paths = []
    for number in range(CATALOGS):
        body = []
        for index in range(per_catalog):
            source, translation = messages[(number + index) % len(messages)]
            body.append(entry(rng, number, index, source, translation))
        path = folder / f"part-{number // 50:02d}" / f"doc-{number:03d}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + "\n".join(body), encoding="utf-8")
        paths.append(path)

    def normalise(path: Path) -> None:  # laid out by gettext itself
        subprocess.run(["msgcat", "--use-first", "-o", str(path), str(path)], check=True)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(normalise, paths))
    return sum(p.stat().st_size for p in paths)


def msgfmt_counts(path: Path) -> tuple[int, int, int]:
    out = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=True).stderr  # fmt: skip

    def count(kind: str) -> int:
        found = re.search(rf"(\d+) {kind}", out)
        return int(found.group(1)) if found else 0

    return count("translated"), count("fuzzy"), count("untranslated")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        size = make_corpus(corpus)
        files = sorted(corpus.rglob("*.po"))
        pubflow = [str(VENV_BIN / "python"), "-m", "pubflow", "-q", "coverage", "--format", "json", str(corpus)]
        potodo = [str(VENV_BIN / "potodo"), "--no-cache", "--json", "--show-finished", "-p", str(corpus)]
        subprocess.run(pubflow, capture_output=True, check=False, cwd=scratch)  # warm the page cache
        pubflow_time = best_of(3, lambda: subprocess.run(pubflow, capture_output=True, check=False, cwd=scratch))
        potodo_time = best_of(3, lambda: subprocess.run(potodo, capture_output=True, check=True, cwd=scratch))
        data = json.loads(subprocess.run(pubflow, capture_output=True, text=True, check=False, cwd=scratch).stdout)
        ours = {
            Path(c["path"]).name: (c["translated"], c["fuzzy"], c["untranslated"])
            for loc in data["locales"]
            for c in loc["catalogs"]
        }
        msgfmt_time = best_of(1, lambda: [msgfmt_counts(f) for f in files])
        theirs = {f.name: msgfmt_counts(f) for f in files}
        mismatches = [path for path in theirs if ours.get(path) != theirs[path]]
        totals = [sum(v[i] for v in ours.values()) for i in range(3)]
    report(
        "coverage",
        {
            "catalogs": len(files),
            "megabytes": round(size / 1024 / 1024, 2),
            "pubflow_coverage_seconds": pubflow_time,
            "potodo_seconds": potodo_time,
            "potodo_over_pubflow_ratio": potodo_time / pubflow_time,
            "msgfmt_statistics_seconds": msgfmt_time,
            "translated_fuzzy_untranslated": f"{totals[0]:,} / {totals[1]:,} / {totals[2]:,}",
            "catalogs_whose_counts_differ_from_msgfmt": len(mismatches),
        },
    )
    if mismatches:
        raise SystemExit(f"counts differ from msgfmt --statistics in {len(mismatches)} catalogs, e.g. {mismatches[0]}")


if __name__ == "__main__":
    main()
