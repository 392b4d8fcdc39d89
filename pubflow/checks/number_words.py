"""How each translation language writes numbers: the words and separators ``numbers.py`` reads.

Digits' separators and month names come from Babel's CLDR data; number words
are turned into digits by text2num (English, French, German). What neither
library knows, the words for "about", "dozens" or "a third", is listed here,
one table per language, so that a language is added by adding its table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

#: What a Chinese qualifier asks a translation to say, by kind.
ABOUT, MORE_THAN, NEARLY, LESS_THAN = "about", "more than", "nearly", "less than"


@dataclass(frozen=True, eq=False)  # hashed by identity: one table per language
class LatinLanguage:
    """A language written in Latin letters, as the numbers check reads it."""

    code: str  # Babel's and text2num's language code
    qualifiers: dict[str, tuple[str, ...]]  # kind → phrases that say it
    vague: dict[int, str]  # 10 → a regex for "dozens"
    scales: dict[str, float]  # "million" → 1e6, as a word after digits
    count_words: dict[int, tuple[str, ...]]  # words that carry a count without being number words
    fractions: dict[str, float]  # denominator word → its fraction ("third" → 1/3)
    half: tuple[str, ...]  # words for one half
    extra_numbers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # words text2num leaves
    months_lower_case: bool = False  # French writes "octobre"; English and German capitalise
    clock: str | None = None  # a regex with the hour and minutes of a time written "10 h 15"
    rewrites: tuple[tuple[str, str], ...] = ()  # what text2num needs split first ("fünfmal" → "fünf mal")

    @property
    def group_symbols(self) -> str:
        """CLDR's group separator, and the spaces typists put in its place."""
        symbol = get_group_symbol(self.code)
        return "".join(dict.fromkeys(symbol + (" \u00a0\u202f" if symbol.isspace() else "")))

    @property
    def decimal_symbol(self) -> str:
        return get_decimal_symbol(self.code)


ENGLISH = LatinLanguage(
    code="en",
    qualifiers={
        MORE_THAN: ("more than", "over", "upwards of", "in excess of", "at least", "some", "or more", "-plus", "+",
                    "exceed"),
        ABOUT: ("about", "around", "approximately", "roughly", "some", "nearly", "close to", "an estimated", "or so",
                "-odd"),
        NEARLY: ("nearly", "almost", "close to", "about", "approaching", "just under", "around", "approximately"),
        LESS_THAN: ("less than", "fewer than", "under", "below", "not quite", "nearly", "almost", "up to",
                    "no more than", "at most", "not more than", "not exceeding"),
    },
    vague={
        10: r"dozens|scores|\btens\b(?! of (?:thousands|millions|billions))|(?:several|a few|some|a couple of) dozen",
        100: r"hundreds|(?:several|a few|some|a couple of) hundred",
        1_000: r"thousands|(?:several|a few|some|a couple of) thousand",
        10_000: r"tens of thousands",
        100_000: r"hundreds of thousands",
        1_000_000: r"millions|(?:several|a few|some|a couple of) million",
        10_000_000: r"tens of millions",
        100_000_000: r"hundreds of millions",
        1_000_000_000: r"billions|(?:several|a few|some|a couple of) billion",
    },
    scales={"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12},
    # 两国 "both countries", 十二 "a dozen"
    count_words={
        0: ("zero", "zeroes", "zeros", "zeroed", "nought", "none"), 1: ("a", "an", "one", "single", "once"),
        2: ("either", "both", "pair", "twin", "double", "twice", "couple"), 3: ("triple", "thrice"),
        8: ("octet",), 10: ("decade",), 12: ("dozen",), 100: ("century",),
    },
    fractions={"third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4, "fourth": 1 / 4,
               "fourths": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5, "tenth": 1 / 10, "tenths": 1 / 10},
    half=("half",),
    # Number words text2num leaves in compounds ("eight-character", "third-party", "two-tuples")
    extra_numbers={
        1: ("first",), 2: ("two", "second"), 3: ("three", "third"), 4: ("four", "fourth"), 5: ("five", "fifth"),
        6: ("six", "sixth"), 7: ("seven", "seventh"), 8: ("eight", "eighth"), 9: ("nine", "ninth"),
        10: ("ten", "tenth"), 11: ("eleven", "eleventh"), 12: ("twelve", "twelfth"),
    },
)  # fmt: skip

FRENCH = LatinLanguage(
    code="fr",
    qualifiers={
        MORE_THAN: ("plus de", "plus d'", "au moins", "au-delà de", "dépass", "supérieur", "quelque", "et plus"),
        # -aine: une trentaine, une centaine ("about thirty", "about a hundred")
        ABOUT: ("environ", "près de", "quelque", "autour de", "approximativement", "à peu près", "aine", "ordre de",
                "presque", "millier"),
        NEARLY: ("près de", "presque", "environ", "quasi", "pas loin de", "approch", "un peu moins de"),
        LESS_THAN: ("moins de", "moins d'", "pas plus de", "jusqu'à", "au plus", "au maximum", "inférieur", "ne dépass",
                    "près de", "presque"),
    },
    vague={
        10: r"dizaines?",
        100: r"centaines",
        1_000: r"milliers",
        10_000: r"dizaines de milliers",
        100_000: r"centaines de milliers",
        1_000_000: r"millions",
        10_000_000: r"dizaines de millions",
        100_000_000: r"centaines de millions",
        1_000_000_000: r"milliards",
    },
    scales={"mille": 1e3, "millions?": 1e6, "milliards?": 1e9, "billions?": 1e12, "mds?": 1e9},
    count_words={1: ("un", "une", "premier", "première", "seul", "seule"), 2: ("deux", "double", "paire", "couple"),
                 10: ("dizaine",), 12: ("douzaine",), 20: ("vingtaine",), 30: ("trentaine",), 40: ("quarantaine",),
                 50: ("cinquantaine",), 60: ("soixantaine",), 100: ("centaine", "siècle"), 1000: ("millier",)},
    fractions={"tiers": 1 / 3, "quart": 1 / 4, "quarts": 1 / 4, "cinquième": 1 / 5, "cinquièmes": 1 / 5,
               "dixième": 1 / 10, "dixièmes": 1 / 10},
    half=("moitié", "demi", "demie"),
    extra_numbers={2: ("second", "seconde")},
    months_lower_case=True,
    clock=r"(\d{1,2})\s?h\s?(\d{2})",
)  # fmt: skip

GERMAN = LatinLanguage(
    code="de",
    qualifiers={
        MORE_THAN: ("mehr als", "über", "mindestens", "gut", "knapp über", "weit über", "und mehr", "zumindest"),
        ABOUT: ("etwa", "rund", "ungefähr", "circa", "ca.", "zirka", "annähernd", "gegen", "knapp", "fast"),
        NEARLY: ("fast", "knapp", "nahezu", "beinahe", "annähernd", "etwa", "rund", "an die"),
        LESS_THAN: ("weniger als", "unter", "höchstens", "bis zu", "nicht mehr als", "maximal", "knapp", "fast"),
    },
    vague={
        10: r"dutzende[n]?|mehrere dutzend|zig\b",
        100: r"hunderte[n]?",
        1_000: r"tausende[n]?",
        10_000: r"zehntausende[n]?",
        100_000: r"hunderttausende[n]?",
        1_000_000: r"millionen",
        10_000_000: r"dutzende[n]? millionen|zig millionen|zehn(?:er)? millionen",
        100_000_000: r"hunderte[n]? millionen|hunderte[n]? von millionen",
        1_000_000_000: r"milliarden",
    },
    scales={"tausend": 1e3, "millionen": 1e6, "million": 1e6, "mio\\.": 1e6, "milliarden": 1e9, "milliarde": 1e9,
            "mrd\\.": 1e9, "billionen": 1e12, "billion": 1e12},
    count_words={1: ("ein", "eine", "einer", "eines", "einem", "einen", "einzige", "einzigen", "erste", "ersten"),
                 2: ("beide", "beiden", "beider", "paar", "doppelt", "zweimal"), 3: ("dreimal",),
                 12: ("dutzend",), 10: ("jahrzehnt",), 100: ("jahrhundert",)},
    fractions={"drittel": 1 / 3, "viertel": 1 / 4, "fünftel": 1 / 5, "zehntel": 1 / 10},
    half=("hälfte", "halb", "halbe", "halben"),
    clock=r"(\d{1,2})[.:](\d{2})\s?uhr",
    rewrites=((r"(?<=\w)mal\b", " mal"),),
)  # fmt: skip

LATIN_LANGUAGES = {language.code: language for language in (ENGLISH, FRENCH, GERMAN)}


def latin_language(locale: str) -> LatinLanguage | None:
    """The table for a locale's language (en_GB → English); None for a language the check cannot read."""
    return LATIN_LANGUAGES.get(locale.split("_")[0])


@cache
def month_names(code: str) -> dict[int, tuple[str, ...]]:
    """Each month's names in a language, wide and abbreviated (without the abbreviation's dot), from CLDR."""
    wide = get_month_names("wide", locale=code)
    abbreviated = get_month_names("abbreviated", locale=code)
    names = {n: tuple(dict.fromkeys((wide[n], abbreviated[n].rstrip(".")))) for n in range(1, 13)}
    if code == "en":
        names[9] = (*names[9], "Sept")
    return names


def months_named(text: str, language: LatinLanguage) -> set[int]:
    """Months a text names in full or abbreviated, capitalised as the language writes them ("may" is no month)."""
    flags = re.IGNORECASE if language.months_lower_case else 0
    return {
        n
        for n, names in month_names(language.code).items()
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags) for name in names)
    }
