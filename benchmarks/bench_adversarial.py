"""Every check on adversarial text: the slowest check, as a ratio to the same check on real prose.

Issue 25 found checks that backtracked or worked per word without bound: a
2 MB msgstr (check did not finish in 10 minutes), one 150 KB "word" (210 s),
``<a`` and 150,000 spaces (52 s), 1,000 unknown words (35 s of spelling
suggestions), 96,000 Chinese numerals (35 s). Each adversarial text here is
as long as the word-by-word checks read (``WORD_CHECK_LIMIT`` characters)
and is given to every check of an English and a Traditional Chinese catalog,
as source and as translation. Also timed: one whole catalog holding each text
at 2 MB, through ``run_checks`` (security and converted read such messages
whole). Reported: the slowest (check, text) against the same check on the
article's real messages joined to the same length, and the whole catalog's
CPU seconds per MB.

    .venv/bin/python benchmarks/bench_adversarial.py [--size N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import polib

from benchmarks.common import REPO, article_messages, report
from pubflow.checks.model import EntryContext
from pubflow.checks.runner import ENTRY_CHECKS, WORD_CHECK_LIMIT
from pubflow.checks.spelling import make_check_spelling
from pubflow.config import load_config
from pubflow.glossary import load_glossary


def adversarial_texts(size: int) -> dict[str, str]:
    """Long runs, nested markup, unknown words and numerals: what made a check slow, at ``size`` characters."""
    unknown = " ".join(f"qz{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}xv" for i in range(size))
    texts = {
        "one long word": "a" * size,
        "<a and spaces": "<a" + " " * size,
        "unknown words": unknown,
        "Chinese numerals": "一二三四五六七八九十" * size,
        "digits": "1" * size,
        "numbers": "1 " * size,
        "mixed counts": "第1届两国" * size,
        "colons": ":a" * size,
        "e-mail run": "a." * size + "@",
        "backticks": "`a" * size,
        "literals": "``a" * size,
        "pipes": "|a" * size,
        "stars": "*a" * size,
        "brackets": "[#a" * size,
        "angle brackets": "<" * size,
        "ampersands": "&a" * size,
        "dots": ".. a" * size,
        "hyphens": "a-" * size,
        "url": "http://" + "a" * size,
        "nested links": "`a <`b <" * size,
        "backslashes": "\\" * size,
        "Chinese prose": "以合作促安全，以安全促发展。" * size,
    }
    return {name: text[:size] for name, text in texts.items()}


def entry_checks(root: Path) -> dict[str, object]:
    config = load_config(root)
    glossary = load_glossary(config.glossary_path, config.source_language)
    checks: dict[str, object] = dict(ENTRY_CHECKS)
    checks["spelling"] = make_check_spelling("en_GB", config.spelling_words_path, glossary, "en", root / "x.toml")
    return {"config": config, "glossary": glossary, "checks": checks}


def time_check(check: object, context: EntryContext) -> float:
    start = time.process_time()
    list(check(context))  # type: ignore[operator]
    return time.process_time() - start


def slowest_checks(size: int) -> list[tuple[float, str, str, str]]:
    """(CPU seconds, check, text, role) for every check on every adversarial text, slowest first."""
    setup = entry_checks(REPO)
    config, glossary, checks = setup["config"], setup["glossary"], setup["checks"]
    timings = []
    for name, text in adversarial_texts(size).items():
        for locale in ("en", "zh_TW"):
            for role in ("msgid", "msgstr"):
                entry = polib.POEntry(
                    msgid=text if role == "msgid" else "以合作促安全。", msgstr=text if role == "msgstr" else "x"
                )
                context = EntryContext(Path("x.po"), entry, config.locale(locale), "zh_CN", glossary, None)  # type: ignore[attr-defined]
                for check_name, check in checks.items():  # type: ignore[attr-defined]
                    if check_name == "spelling" and locale != "en":
                        continue
                    timings.append((time_check(check, context), check_name, name, f"{locale} {role}"))
    return sorted(timings, reverse=True)


def prose_time(size: int, check_name: str, role: str) -> float:
    """The same check on the article's real messages joined to ``size`` characters."""
    setup = entry_checks(REPO)
    config, glossary, checks = setup["config"], setup["glossary"], setup["checks"]
    pairs = article_messages()
    source = "".join(s for s, _ in pairs) * (size // 1000 + 1)
    target = " ".join(t for _, t in pairs) * (size // 1000 + 1)
    locale, which = role.split()
    entry = polib.POEntry(msgid=source[:size] if which == "msgid" else source[:200], msgstr=target[:size])
    context = EntryContext(Path("x.po"), entry, config.locale(locale), "zh_CN", glossary, None)  # type: ignore[attr-defined]
    return max(time_check(checks[check_name], context), 1e-4)  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=WORD_CHECK_LIMIT)
    args = parser.parse_args()
    timings = slowest_checks(args.size)
    seconds, check, text, role = timings[0]
    print("slowest:", *(f"{t:.3f}s {c} on {n} ({r})" for t, c, n, r in timings[:5]), sep="\n  ")
    report(
        "adversarial",
        {
            "text_characters": args.size,
            "checks_timed": len(timings),
            "slowest_check": f"{check} on {text} ({role})",
            "slowest_check_cpu_seconds": seconds,
            "slowest_over_same_check_on_real_prose": seconds / prose_time(args.size, check, role),
            "all_checks_cpu_seconds": sum(t for t, *_ in timings),
        },
    )


if __name__ == "__main__":
    main()
