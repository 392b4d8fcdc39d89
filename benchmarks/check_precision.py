"""Check precision on real catalogs: findings per check on the python-docs zh_CN corpus.

The corpus (../shared/corpora/python-docs-zh-cn-3.13.tar.xz, 536 catalogs,
msgid English, msgstr Simplified Chinese) is read reversed: the Chinese msgstr
is the source and the English msgid its translation, as pubflow's own catalogs
are. Every translated, non-fuzzy message goes through the checks this corpus
can exercise: numbers, spelling (en_US: the Python docs are American English),
glossary and forbidden (with the project's glossary). The counts, and a seeded
random sample of findings per check for a person to judge, are written to
``_build/benchmarks/check_precision.json``.

Run: .venv/bin/python benchmarks/check_precision.py [--sample 40]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib

from benchmarks.common import REPO, report
from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.numbers import check_numbers
from pubflow.checks.spelling import make_check_spelling
from pubflow.checks.terms import check_forbidden, check_terms
from pubflow.config import LocaleConfig
from pubflow.glossary import load_glossary

CORPUS_NAME = "python-docs-zh-cn-3.13.tar.xz"
UNPACKED = REPO / "_build" / "corpora"


def find_corpus() -> Path:
    """``shared/corpora`` beside the checkout, or beside a folder above it (a git worktree)."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "corpora" / CORPUS_NAME
        if candidate.is_file():
            return candidate
    sys.exit(f"check_precision: {CORPUS_NAME} not found in shared/corpora beside {REPO} or above it")


def unpack() -> Path:
    target = UNPACKED / "zhcn313"
    if not target.is_dir():
        UNPACKED.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-xJf", str(find_corpus()), "-C", str(UNPACKED)], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=40, help="findings per check to sample for judging")
    parser.add_argument("--check", action="append", help="only this check (repeatable)")
    args = parser.parse_args()
    corpus = unpack()
    glossary = load_glossary(REPO / "glossary.csv", "zh_CN")
    english = LocaleConfig(name="en", label="English", method="translation", spelling="en_US")
    spelling = make_check_spelling("en_US", None, glossary, "en", REPO / "pyproject.toml")
    checks = {"numbers": check_numbers, "spelling": spelling, "glossary": check_terms, "forbidden": check_forbidden}
    checks = {name: check for name, check in checks.items() if not args.check or name in args.check}
    findings: dict[str, list[tuple[Finding, str, str]]] = {name: [] for name in checks}
    messages = Counter[str]()
    seconds = Counter[str]()
    catalogs = sorted(corpus.rglob("*.po"))
    for path in catalogs:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.fuzzy or not entry.msgid or not entry.msgstr:
                continue
            messages["messages"] += 1
            reversed_entry = polib.POEntry(msgid=entry.msgstr, msgstr=entry.msgid, linenum=entry.linenum)
            ctx = EntryContext(path, reversed_entry, english, "zh_CN", glossary)
            for name, check in checks.items():
                start = time.perf_counter()
                found = list(check(ctx))
                seconds[name] += time.perf_counter() - start
                findings[name] += [(f, entry.msgstr, entry.msgid) for f in found]
    rng = random.Random(16)
    data: dict[str, object] = {"catalogs": len(catalogs), "messages": messages["messages"]}
    samples: dict[str, list[dict[str, object]]] = {}
    for name, found in findings.items():
        data[f"{name}_findings"] = len(found)
        data[f"{name}_messages_with_findings"] = len({(f.path, f.line) for f, _, _ in found})
        data[f"{name}_seconds"] = round(seconds[name], 2)
        chosen = rng.sample(found, min(args.sample, len(found)))
        samples[name] = [
            {
                "where": f"{f.path.relative_to(corpus)}:{f.line}",
                "message": f.message,
                "source_zh": zh[:300],
                "translation_en": en[:300],
            }
            for f, zh, en in chosen
        ]
    if findings.get("spelling"):
        words = Counter(f.message.split("'")[1] for f, _, _ in findings["spelling"])
        data["spelling_most_common"] = ", ".join(f"{w} ({n})" for w, n in words.most_common(15))
    report("check_precision" + ("-" + "-".join(args.check) if args.check else ""), data)
    suffix = "-" + "-".join(args.check) if args.check else ""
    sample_file = REPO / "_build" / "benchmarks" / f"check_precision{suffix}_samples.json"

    sample_file.write_text(json.dumps(samples, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"(samples to judge in {sample_file})")


if __name__ == "__main__":
    main()
