"""Script: each translation is in its language's writing system, and nothing that does not belong is left in it.

- Chinese (zh_TW, zh_HK): no Simplified-only character, unless the locale's own
  OpenCC standard writes it so.
- Japanese: kanji and kana; a kanji is flagged when it is Simplified-only
  (CC-CEDICT) and not in Japanese's repertoire (JIS X 0213, as Shift_JIS-2004
  encodes it), so 国 and 学, which Japanese writes so too, pass and 这, 们,
  发 (untranslated Chinese) do not. Hangul does not belong.
- Korean: Hangul, and Hanja where used, which are Traditional forms: a
  Simplified-only character is flagged, as is kana.
- Any other language (English, French, German): Chinese characters, kana,
  Hangul and full-width punctuation are left over from the source.
"""

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
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
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


def _in_japanese_repertoire(char: str) -> bool:
    try:
        char.encode("shift_jis_2004")
    except UnicodeEncodeError:
        return False
    return True


@cache
def not_japanese() -> frozenset[str]:
    """Simplified-only characters that Japanese does not write (这, 们, 发; not 国, 学, 会)."""
    return frozenset(char for char in simplified_only("s2t") if not _in_japanese_repertoire(char))


def _foreign(ctx: EntryContext, text: str, table: frozenset[str], kind: str) -> Iterator[Finding]:
    for position, char in enumerate(text):
        if char in table:
            yield ctx.finding("script", f"{kind} character {char} at column {position + 1} of the translation")


def _other_scripts(ctx: EntryContext, text: str, scripts: dict[str, re.Pattern[str]]) -> Iterator[Finding]:
    for name, pattern in scripts.items():
        found = "".join(sorted(set(pattern.findall(text))))
        if found:
            yield ctx.finding("script", f"{name} left in the translation: {found}")


def check_script(ctx: EntryContext) -> Iterator[Finding]:
    text = ctx.entry.msgstr
    language = ctx.locale.name.split("_")[0]
    if language == "ja":
        yield from _foreign(ctx, text, not_japanese(), "Chinese (Simplified-only, not Japanese)")
        yield from _other_scripts(ctx, text, {"Hangul": HANGUL})
    elif language == "ko":
        yield from _foreign(ctx, text, simplified_only("s2t"), "Simplified-only (no Hanja)")
        yield from _other_scripts(ctx, text, {"Japanese kana": KANA})
        if HAN.search(text) and not HANGUL.search(text):  # Hanja gloss Korean words; alone they are Chinese
            yield ctx.finding("script", "Chinese characters with no Hangul: the message is not in Korean")
    elif not ctx.target_is_chinese:
        yield from _other_scripts(ctx, text, {"Japanese kana": KANA, "Hangul": HANGUL})
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
