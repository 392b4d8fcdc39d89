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


#: The OpenCC conversion whose standard a hand-translated Traditional locale follows.
REGIONAL_STANDARD = {"zh_TW": "s2tw", "zh_HK": "s2hk", "zh_MO": "s2hk"}


def variant_of(ctx: EntryContext) -> str:
    """The locale's OpenCC conversion (its configured one, or its region's standard)."""
    return (ctx.locale.opencc_config or "").removesuffix(".json") or REGIONAL_STANDARD.get(ctx.locale.name, "s2t")


@cache
def simplified_only(variant: str = "s2t") -> frozenset[str]:
    """Characters CC-CEDICT lists as Simplified forms and never as Traditional ones (发, 为; not 干, 台).

    Less those the locale's own standard writes so: Hong Kong's (s2hk) keeps 脱 and 着, for one.
    """
    import opencc
    from zhon import cedict

    candidates = sorted(frozenset(cedict.simplified) - frozenset(cedict.traditional))
    try:
        converter = opencc.OpenCC(variant)
    except Exception:
        return frozenset(candidates)
    # One conversion of them all, a line each: what the variant leaves unchanged is its own form.
    converted = converter.convert("\n".join(candidates)).split("\n")
    if len(converted) != len(candidates):
        return frozenset(candidates)
    return frozenset(char for char, after in zip(candidates, converted, strict=True) if char == after) ^ frozenset(
        candidates
    )


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
        table = simplified_only(variant_of(ctx))
        for position, char in enumerate(text):
            if char in table:
                yield ctx.finding(
                    "script", f"Simplified-only character {char} at column {position + 1} of the translation"
                )
