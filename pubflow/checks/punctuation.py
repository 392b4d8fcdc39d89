"""Punctuation: each language's quotation marks and the spaces its typography puts around them.

- Japanese: 「」 (『』 within), 、 and 。; not Chinese “”, ，, ．, nor a Latin
  comma or full stop after Japanese text.
- Korean: Latin punctuation (, . ; :) between Hangul, not Chinese full-width
  forms (，。、；：); 「」, 《》 and 〈〉 for quotations and titles are Korean too.
- French: « » with a narrow no-break space (U+202F) inside each, and a narrow
  no-break space before ; ! ? (a no-break space, U+00A0, also before :); no
  straight quotes, nor “ ” as outer quotes.
- German: „ “ (or » «); not English “ ”, « », or straight quotes.

English and Chinese have no rule here (the script check covers full-width
punctuation in English). Markup, literals and URLs are not prose and are not
read (see ``prose.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.prose import prose

JAPANESE_CHARACTER = r"[\u3041-\u30ff\u3400-\u9fff]"
HANGUL_CHARACTER = r"[\uac00-\ud7af]"

Rule = tuple[re.Pattern[str], str]


def _rules(*rules: tuple[str, str]) -> list[Rule]:
    return [(re.compile(pattern), advice) for pattern, advice in rules]


JAPANESE = _rules(
    (r"[“”\"]", "use 「」 for quotations in Japanese (『』 within), not {found}"),
    (r"[‘’]", "use 『』 for a quotation within a quotation in Japanese, not {found}"),
    (r"，", "use 、 in Japanese, not the Chinese comma ，"),
    (r"．", "use 。 in Japanese, not the full-width full stop ．"),
    (rf"(?<={JAPANESE_CHARACTER})[,.](?!\d)", "use 、 and 。 after Japanese text, not the Latin {found!r}"),
)
KOREAN = _rules(
    (r"[，。、；：]", "Korean uses Latin punctuation (, . ; :) between Hangul, not the Chinese {found}"),
)
FRENCH = _rules(
    (r"«(?!\u202f)", "put a narrow no-break space (U+202F) after « in French"),
    (r"(?<!\u202f)»", "put a narrow no-break space (U+202F) before » in French"),
    (r"(?<=\w)[ ]?[;!?](?=\s|$|»)", "put a narrow no-break space (U+202F) before ; ! and ? in French, not {found!r}"),
    (r"(?<=\w)[ ]?:(?=\s|$)", "put a no-break space (U+00A0 or U+202F) before : in French, not {found!r}"),
    (r"\"", "use « » for quotations in French, not straight quotes"),
)
FRENCH_OUTER_QUOTES = re.compile(r"[“”]")
GERMAN = _rules(
    (r"”", "use „ “ for quotations in German, not the English closing ”"),
    (r"(?:^|(?<=[\s(\[—–-]))“(?=\w)", "use „ to open a quotation in German, not “"),
    # German guillemets point inwards (»Text«); pointing outwards («Text») they are French or Swiss
    (r"(?:^|(?<=[\s(]))«|»(?=[\s.,;:!?)]|$)", "use „ “ (or » «) in German, not « »"),
    (r"\"", "use „ “ for quotations in German, not straight quotes"),
)
RULES = {"ja": JAPANESE, "ko": KOREAN, "fr": FRENCH, "de": GERMAN}


def _apply(ctx: EntryContext, text: str, rules: list[Rule]) -> Iterator[Finding]:
    for pattern, advice in rules:
        m = pattern.search(text)
        if m:
            column = m.start() + 1
            yield ctx.finding("punctuation", f"{advice.format(found=m.group())} (column {column})")


def check_punctuation(ctx: EntryContext) -> Iterator[Finding]:
    language = ctx.locale.name.split("_")[0]
    rules = RULES.get(language)
    if rules is None:
        return
    text = prose(ctx.entry.msgstr)
    yield from _apply(ctx, text, rules)
    if language == "fr" and "«" not in text:
        m = FRENCH_OUTER_QUOTES.search(text)
        if m:
            yield ctx.finding("punctuation", f"use « » for quotations in French, not “ ” (column {m.start() + 1})")
