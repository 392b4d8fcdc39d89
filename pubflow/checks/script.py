"""Script: no Chinese left in a non-Chinese translation; no Simplified-only character in a Traditional one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from zhon import hanzi

from pubflow.checks.model import EntryContext, Finding

# zhon's Han characters (the basic block, extensions A to D, the compatibility ideographs, 〇) and the
# extensions it predates (E, F, I; G, H): a rare character of a name (𠮷) is Chinese left all the same.
HAN = re.compile(f"[{hanzi.characters}\U0002b820-\U0002ee5f\U00030000-\U000323af]")
FULLWIDTH_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
TRADITIONAL_OPENCC = ("s2t", "s2tw", "s2twp", "s2hk", "t2tw", "t2hk", "tw2t", "hk2t")


@cache
def simplified_only() -> frozenset[str]:
    """Characters CC-CEDICT lists as Simplified forms and never as Traditional ones (发, 为; not 干, 台)."""
    from zhon import cedict

    return frozenset(cedict.simplified) - frozenset(cedict.traditional)


def is_traditional_locale(ctx: EntryContext) -> bool:
    return (ctx.locale.opencc_config or "").removesuffix(".json") in TRADITIONAL_OPENCC or ctx.locale.name in (
        "zh_TW",
        "zh_HK",
        "zh_MO",
        "zh_Hant",
    )


def check_script(ctx: EntryContext) -> Iterator[Finding]:
    text = ctx.entry.msgstr
    if not ctx.target_is_chinese:
        han = sorted(set(HAN.findall(text)))
        if han:
            yield ctx.finding("script", f"Chinese characters left in the translation: {''.join(han)}")
        punctuation = sorted(set(FULLWIDTH_PUNCTUATION.findall(text)))
        if punctuation:
            yield ctx.finding("script", f"full-width punctuation left in the translation: {' '.join(punctuation)}")
    elif is_traditional_locale(ctx):
        table = simplified_only()
        for position, char in enumerate(text):
            if char in table:
                yield ctx.finding(
                    "script", f"Simplified-only character {char} at column {position + 1} of the translation"
                )
