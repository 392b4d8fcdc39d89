"""Numbers: every number of the source is in the translation, with dates and counts understood.

2011年10月5日 is satisfied by "5 October 2011" or "October 5, 2011"; 约3000起
by "about 3,000"; 200余份 by "more than 200"; 9个 by "nine". A Chinese
translation must keep the digits as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pubflow.checks.model import EntryContext, Finding

MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
MONTH_ABBREVIATIONS = {name[:3]: i + 1 for i, name in enumerate(MONTHS)} | {"sept": 9}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
MORE_THAN = ("more than", "over", "upwards of", "in excess of", "at least", "some", "or more", "-plus", "+")
ABOUT = ("about", "around", "approximately", "roughly", "some", "nearly", "close to", "an estimated", "or so")
NEARLY = ("nearly", "almost", "close to", "about", "approaching", "just under", "around")
SCALES = {"万": 10_000, "亿": 100_000_000}

SOURCE_PATTERNS = re.compile(
    r"""
      (?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:\s+(?P<ih>\d{1,2}):(?P<imin>\d{2})(?::\d{2})?)?)
    | (?P<ymd>(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})[日号])?)
    | (?P<md>(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号])
    | (?P<dotted>(?P<m3>\d{1,2})·(?P<d3>\d{1,2}))
    | (?P<year>(?P<y4>\d{4})年)
    | (?P<month>(?P<m4>\d{1,2})月)
    | (?P<time>(?P<h5>\d{1,2}):(?P<min5>\d{2})(?::\d{2})?)
    | (?P<pre>约|大约|近|将近|逾|超过)?(?P<num>\d+(?:\.\d+)?)(?P<scale>[万亿])?(?P<post>余|多)?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Requirement:
    """One thing the translation must say, and how it reads in the source."""

    source: str
    numbers: tuple[float, ...] = ()
    months: tuple[int, ...] = ()
    time: str | None = None
    qualifier: tuple[str, ...] = ()


def source_requirements(text: str) -> list[Requirement]:
    found: list[Requirement] = []
    for m in SOURCE_PATTERNS.finditer(text):
        g = m.groupdict()
        if g["iso"]:
            time = f"{int(g['ih'])}:{g['imin']}" if g["ih"] else None
            found.append(Requirement(m.group(), (int(g["iy"]), int(g["id"])), (int(g["im"]),), time))
        elif g["ymd"]:
            numbers = (int(g["y1"]),) + ((int(g["d1"]),) if g["d1"] else ())
            found.append(Requirement(m.group(), numbers, (int(g["m1"]),)))
        elif g["md"]:
            found.append(Requirement(m.group(), (int(g["d2"]),), (int(g["m2"]),)))
        elif g["dotted"]:
            found.append(Requirement(m.group(), (int(g["d3"]),), (int(g["m3"]),)))
        elif g["year"]:
            found.append(Requirement(m.group(), (int(g["y4"]),)))
        elif g["month"]:
            found.append(Requirement(m.group(), (), (int(g["m4"]),)))
        elif g["time"]:
            found.append(Requirement(m.group(), (), (), f"{int(g['h5'])}:{g['min5']}"))
        elif g["num"]:
            value = float(g["num"]) * SCALES.get(g["scale"] or "", 1)
            qualifier: tuple[str, ...] = ()
            if g["post"] or g["pre"] in ("逾", "超过"):
                qualifier = MORE_THAN
            elif g["pre"] in ("约", "大约"):
                qualifier = ABOUT
            elif g["pre"] in ("近", "将近"):
                qualifier = NEARLY
            found.append(Requirement(m.group(), (value,), (), None, qualifier))
    return found


ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
ENGLISH_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)")
SCALE_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def english_numbers(text: str) -> list[tuple[float, int]]:
    """(value, position) of every number written in digits or in words."""
    lower = text.lower()
    values = [(float(m.group().replace(",", "")), m.start()) for m in ENGLISH_NUMBER.finditer(lower)]
    values += [(float(m.group(1)) * SCALE_WORDS[m.group(2)], m.start()) for m in ENGLISH_SCALE.finditer(lower)]
    for words in (NUMBER_WORDS, ORDINAL_WORDS):
        for word, value in words.items():
            values += [(float(value), m.start()) for m in re.finditer(rf"\b{word}\b", lower)]
    return values


def english_months(text: str) -> set[int]:
    """Months named in full or abbreviated, capitalised as English writes them ("may" is no month)."""
    months = {i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name.capitalize()}\b", text)}
    months |= {n for abbr, n in MONTH_ABBREVIATIONS.items() if re.search(rf"\b{abbr.capitalize()}\b\.?", text)}
    return months


def _qualified(text: str, position: int, qualifier: tuple[str, ...]) -> bool:
    window = text.lower()[max(0, position - 25) : position + 25]
    return any(q in window for q in qualifier)


def missing_in_english(requirement: Requirement, translation: str) -> str | None:
    numbers = english_numbers(translation)
    for value in requirement.numbers:
        positions = [pos for v, pos in numbers if v == value]
        if not positions:
            return f"{requirement.source} has {value:g}, which the translation lacks"
        if requirement.qualifier and not any(_qualified(translation, p, requirement.qualifier) for p in positions):
            example = f"{requirement.qualifier[0]} {value:,g}"
            return f"{requirement.source} is approximate; say so (for example '{example}')"
    months = english_months(translation)
    for month in requirement.months:
        if month not in months:
            return f"{requirement.source} names {MONTHS[month - 1].capitalize()}, which the translation lacks"
    if requirement.time and requirement.time not in translation and f"0{requirement.time}" not in translation:
        return f"{requirement.source} has the time {requirement.time}, which the translation lacks"
    return None


def check_numbers(ctx: EntryContext) -> Iterator[Finding]:
    source, translation = ctx.entry.msgid, ctx.entry.msgstr
    if ctx.target_is_chinese:
        digits = re.findall(r"\d+(?:\.\d+)?", source)
        for number in digits:
            if digits.count(number) > len(re.findall(rf"(?<![\d.]){re.escape(number)}(?![\d.])", translation)):
                yield ctx.finding("numbers", f"{number} is missing from the translation")
        return
    for requirement in source_requirements(source):
        problem = missing_in_english(requirement, translation)
        if problem:
            yield ctx.finding("numbers", problem)
