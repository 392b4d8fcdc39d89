"""Numbers: every number of the source is in the translation, however each language writes it.

The source's numbers are read in digits, in Chinese numerals and in mixed
forms (三千, 十二个, 1.5万, 百分之五, 第85届, 二〇一七年; cn2an does the
arithmetic), with what the source says about them: 约3000起 is "about
3,000", 200余份 "more than 200", 数十个 "dozens", 上千万 "tens of millions" or
"more than 10 million". Dates and times are understood: 2011年10月5日 is
"5 October 2011" or "October 5, 2011" (month names from Babel's English data).

An English translation's numbers are read in digits and in words of any size,
cardinal or ordinal ("twenty-five", "one hundred and eighty-four",
"eighty-fifth", "1.5 million"; text2num reads the words). A Chinese
translation must carry the same values, in digits or in numerals.

Markup is not prose: a footnote label ``[#f1]_``, a reference name, a role's
target or a URL never counts as a number (see ``prose.py``).

Read as counts only where Chinese means one: a lone numeral needs a measure
word after it (十个, 三次, 四国) or 第 before it; 一 alone is the article "a"
far more often than the number one, and idioms (千方百计, 三三两两, 十分) are no
numbers. A count of countries right after their abbreviations (中美两国,
中老缅泰四国) restates the list the translation names, so it is not required.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import cn2an
from babel.dates import get_month_names
from text_to_num import alpha2digit

from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.prose import prose

MORE_THAN = ("more than", "over", "upwards of", "in excess of", "at least", "some", "or more", "-plus", "+", "exceed")
ABOUT = ("about", "around", "approximately", "roughly", "some", "nearly", "close to", "an estimated", "or so", "-odd")
NEARLY = ("nearly", "almost", "close to", "about", "approaching", "just under", "around", "approximately")
LESS_THAN = (
    "less than", "fewer than", "under", "below", "not quite", "nearly", "almost", "up to", "no more than", "at most",
    "not more than", "not exceeding",
)  # fmt: skip
PREFIX_QUALIFIERS = {
    "约": ABOUT, "大约": ABOUT, "近": NEARLY, "将近": NEARLY, "接近": NEARLY, "逾": MORE_THAN, "超过": MORE_THAN,
    "至少": MORE_THAN, "不到": LESS_THAN, "不足": LESS_THAN, "不超过": LESS_THAN,
}  # fmt: skip
SUFFIX_QUALIFIERS = {"余": MORE_THAN, "多": MORE_THAN, "几": MORE_THAN, "来": ABOUT}

CN_DIGITS = "〇零一二两三四五六七八九"
CN_UNITS = "十百千万亿"
# Measure words and units after which a lone Chinese numeral is a count (十个, 三次, 四国, 五年).
MEASURE_WORDS = (
    "个名人次国项起份艘条件家位架辆座所年月日天周届批支种类场轮元吨岁倍处部本篇台只头块张层级期号点秒户例枚"
    "具股套队组团省市县段道笔宗员遍度成轮期"
)
# Traditional forms of the characters read here, one for one, so zh_TW text is read as zh_CN text is.
TRADITIONAL = str.maketrans(
    "兩萬億數幾來餘約將過個國項條歲輛屆週場輪類種噸處臺隻頭塊張層級號點戶隊組團縣筆員韓緬烏歐亞馬義寮",
    "两万亿数几来余约将过个国项条岁辆届周场轮类种吨处台只头块张层级号点户队组团县笔员韩缅乌欧亚马意老",
)
# A demonstrative before a count restates things just named: 这两个函数 "the functions", 这两种情况 "either case".
RESTATING = frozenset("这那此该這該")
# Countries named by one-character abbreviations, as in 中美两国 and 中老缅泰四国.
COUNTRY_ABBREVIATIONS = frozenset("中美俄英法德日韩朝老缅泰越柬印澳新巴意加蒙哈吉塔乌土伊埃欧亚非菲马")

NUM = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
DAY = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
SOURCE_PATTERNS = re.compile(
    rf"""
      (?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?:\s+(?P<ih>\d{{1,2}}):(?P<imin>\d{{2}})(?::\d{{2}})?)?)
    | (?P<ymd>(?P<y1>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s?年\s?(?P<m1>{NUM})\s?月(?:\s?(?P<d1>{DAY})\s?[日号])?)
    | (?P<md>(?P<m2>{NUM})\s?月\s?(?P<d2>{DAY})\s?[日号])
    | (?P<dotted>(?<![\d.])(?P<m3>\d{{1,2}})·(?P<d3>\d{{1,2}})(?![\d.]))
    | (?P<month>(?P<m4>\d{{1,2}})\s?月(?!份?\s?[\d一二三四五六七八九十])
               |(?<![每这那])(?P<m5>十[一二]?|[一二三四五六七八九])月份?(?![日号]))
    | (?P<time>(?P<h5>\d{{1,2}}):(?P<min5>\d{{2}})(?::\d{{2}})?)
    | (?P<pre>第|约|大约|将近|(?<!最)接近|(?<!最)近|逾|不超过|超过|至少|不到|不足|百分之|上|数|几|好几)?
      (?<![A-Za-z0-9_.,])(?P<num>(?>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![A-Za-z_])(?:\s?[{CN_UNITS}]+)?|[{CN_DIGITS}{CN_UNITS}]+)
      (?P<post>余|多|几|来)?
      (?:(?<=\d)\s)?(?P<unit>[{MEASURE_WORDS}%％])?
      \s?(?P<term>进制|進制|式|分布|元组|元組|方|维|維|分法|分查找)?
    """,
    re.VERBOSE,
)
VAGUE_PHRASES = {
    10: r"dozens|scores|\btens\b(?! of (?:thousands|millions|billions))|(?:several|a few|some|a couple of) dozen",
    100: r"hundreds|(?:several|a few|some|a couple of) hundred",
    1_000: r"thousands|(?:several|a few|some|a couple of) thousand",
    10_000: r"tens of thousands",
    100_000: r"hundreds of thousands",
    1_000_000: r"millions|(?:several|a few|some|a couple of) million",
    10_000_000: r"tens of millions",
    100_000_000: r"hundreds of millions",
    1_000_000_000: r"billions|(?:several|a few|some|a couple of) billion",
}
# English words that carry a count without being a number word: 两国 "both countries", 十二 "a dozen".
COUNT_WORDS = {
    0: ("zero", "zeroes", "zeros", "zeroed", "nought", "none"), 1: ("a", "an", "one", "single", "once"),
    2: ("either", "both", "pair", "twin", "double", "twice", "couple"), 3: ("triple", "thrice"),
    8: ("octet",), 10: ("decade",), 12: ("dozen",), 100: ("century",),
}  # fmt: skip
# Number words text2num leaves in compounds ("eight-character", "third-party", "two-tuples").
SMALL_NUMBER_WORDS = {
    2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
    11: "eleven", 12: "twelve",
}  # fmt: skip
ORDINAL_WORDS = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
    9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth",
}  # fmt: skip


@dataclass(frozen=True)
class Requirement:
    """One thing the translation must say, and how it reads in the source."""

    source: str
    numbers: tuple[float, ...] = ()
    months: tuple[int, ...] = ()
    time: str | None = None
    qualifier: tuple[str, ...] = ()
    vague: int | None = None  # 数十 → 10: "dozens", or a number from 20 to 99
    at_least: bool = False  # 上千万: "tens of millions", or "more than 10 million"


def numeral_value(text: str) -> float | None:
    """3000, 1.5万, 三千, 十二, 二〇一七 → a value; None for what is no number (一二, 三三两两, 千万)."""
    text = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    chinese = text.lstrip("0123456789.")
    if len(chinese) > 1 and not any(c in CN_UNITS or c in "〇零" for c in chinese):
        return None  # 一二, 三四 and 三三两两 are "one or two", "three or four", "in twos and threes"
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


def year_value(text: str) -> float | None:
    """2011, 二〇一一, 一九九七 (a year is read digit by digit) → a value."""
    if text.isascii():
        return numeral_value(text)
    digits = "".join(str("〇一二三四五六七八九".find(c)) if c != "零" else "0" for c in text)
    return float(digits) if "-1" not in digits else None


def _listed_countries(text: str, start: int, count: float, unit: str | None) -> bool:
    """中美两国, 中老缅泰四国: the count restates the countries just named."""
    n = int(count)
    if unit != "国" or n < 2 or n != count or start < n:
        return False
    return all(c in COUNTRY_ABBREVIATIONS for c in text[start - n : start])


CLAUSE_END = re.compile(r"[。，；：！？;:!?（）()]")  # not the comma, which separates listed items
CONJUNCTION = re.compile(r"和|与|及|或|跟|同|、|\band\b|\bor\b|,")


def _restates_a_list(text: str, start: int, count: float) -> bool:
    """A 和 B 两个类, 甲、乙和丙三方: a count of the items just listed in the same clause."""
    if count not in (2, 3):
        return False
    clause = CLAUSE_END.split(text[:start])[-1]
    return len(CONJUNCTION.findall(clause)) + 1 >= count and len(CONJUNCTION.findall(clause)) > 0


def source_requirements(text: str) -> list[Requirement]:
    """What a Chinese text (Simplified or Traditional) says in numbers."""
    text = prose(text).translate(TRADITIONAL)
    found: list[Requirement] = []
    for m in SOURCE_PATTERNS.finditer(text):
        g = m.groupdict()
        source = m.group().strip()
        if g["iso"]:
            time = f"{int(g['ih'])}:{g['imin']}" if g["ih"] else None
            found.append(Requirement(source, (int(g["iy"]), int(g["id"])), (int(g["im"]),), time))
        elif g["ymd"]:
            year, month = year_value(g["y1"]), numeral_value(g["m1"])
            day = numeral_value(g["d1"]) if g["d1"] else None
            numbers = tuple(v for v in (year, day) if v is not None)
            found.append(Requirement(source, numbers, (int(month),) if month else ()))
        elif g["md"]:
            month, day = numeral_value(g["m2"]), numeral_value(g["d2"])
            found.append(Requirement(source, (day,) if day else (), (int(month),) if month else ()))
        elif g["dotted"]:
            found.append(Requirement(source, (int(g["d3"]),), (int(g["m3"]),)))
        elif g["month"]:
            month = numeral_value(g["m4"] or g["m5"])
            if month and 1 <= month <= 12:
                found.append(Requirement(source, (), (int(month),)))
        elif g["time"]:
            found.append(Requirement(source, (), (), f"{int(g['h5'])}:{g['min5']}"))
        elif g["num"]:
            end = max(m.end(group) for group in ("num", "post", "unit") if m.group(group))
            requirement = _count(text, m, text[m.start() : end].strip())
            if requirement:
                found.append(requirement)
    return found


def _count(text: str, m: re.Match[str], source: str) -> Requirement | None:
    pre, num, post, unit = m.group("pre"), m.group("num"), m.group("post"), m.group("unit")
    if unit == "元" and (text[m.end() : m.end() + 1] in ("组", "組", "版") or num in ("二", "三")):
        return None  # 二元组 "two-tuple", 三元组 "triple", 二元 "binary", 三元 "ternary" (yuan take 两元, 3元)
    before = text[max(0, m.start() - 2) : m.start()]
    if before[-1:] in RESTATING or before in ("倒数", "星期", "礼拜") or (before[-1:] == "周" and unit is None):
        return None  # 这两种 "either", 倒数第二 "next-to-last", 星期四 "Thursday"
    term = m.group("term")
    if term in ("进制", "進制") or (term and not num[0].isdigit() and (unit is None or unit in "项項")):
        return None  # 十六进制 "hexadecimal", 二项式 "binomial", 第三方 "third-party": words, not counts
    chinese_only = not num[0].isdigit()
    if text[max(0, m.start() - 2) : m.start()] == "成千" or text[m.start() : m.start() + 4] == "成千上万":
        return None  # 成千上万 "countless", an idiom
    if chinese_only and pre in ("上", "数", "几", "好几") and num.strip(CN_UNITS) == "":
        scale = numeral_value("一" + num) if num != "十" else 10.0
        if scale is None:
            return None
        vague = int(scale)
        if pre == "上":
            return Requirement(source, (scale,), qualifier=MORE_THAN, vague=vague, at_least=True)
        return Requirement(source, vague=vague)
    if pre in ("上", "数", "几", "好几"):
        pre = None  # 上3个月: 上 is "last", not a quantity
    if chinese_only:
        if num[0] not in CN_DIGITS and num[0] != "十":
            return None  # 千方百计, 万一, 百年: a unit alone is an idiom, not a count
        lone = len(num) == 1
        if num == "一" or (lone and not (unit or pre == "第" or pre == "百分之")):
            return None  # 一 is "a"; 三心二意 and 四面八方 are no counts
    value = year_value(num) if unit == "年" and len(num) == 4 and chinese_only else numeral_value(num)
    if value is None:
        return None
    if _listed_countries(text, m.start("num"), value, unit) or _restates_a_list(text, m.start(), value):
        return None
    qualifier: tuple[str, ...] = ()
    if post in SUFFIX_QUALIFIERS:
        qualifier = SUFFIX_QUALIFIERS[post]
    elif pre in PREFIX_QUALIFIERS:
        qualifier = PREFIX_QUALIFIERS[pre]
    return Requirement(source, (value,), qualifier=qualifier)


# -- English -------------------------------------------------------------------------------

# A number glued to letters (G20, utf8) or after a dot (3.13.0) is a name, on both sides.
ENGLISH_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![A-Za-z0-9_.,])\d+(?:\.\d+)?|(?<![\w.])\.\d+"
)
ENGLISH_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)\b")
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# Part II, Chapter IV, World War II: Roman numerals where English numbers parts.
ROMAN = {r: n for n, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], 1)}
ROMAN_PART = re.compile(
    r"\b(?:Part|Chapter|Volume|Book|Phase|Article|Section|War)\s+(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\b"
)


@dataclass(frozen=True)
class EnglishNumbers:
    """The numbers of an English text with where each stands, and the text read for qualifiers."""

    lower: str  # the prose, lower-cased, number words as written
    digits: str  # the same with number words turned into digits
    found: list[tuple[float, str, int]]  # value, the text it stands in, position

    def positions(self, value: float) -> list[tuple[str, int]]:
        return [(text, pos) for v, text, pos in self.found if math.isclose(v, value, rel_tol=1e-9)]

    def any_between(self, low: float, high: float) -> bool:
        return any(low <= v < high for v, _, _ in self.found)


def read_english(text: str) -> EnglishNumbers:
    lower = prose(text).replace("’", "'").lower()
    try:
        digits = alpha2digit(lower, "en", threshold=0)
    except (ValueError, IndexError):  # a number-word sequence text2num cannot read: keep the words
        digits = lower
    found = [(float(m.group().replace(",", "")), digits, m.start()) for m in ENGLISH_NUMBER.finditer(digits)]
    found += [(float(value), lower, m.start()) for m in re.finditer(r"\bhalf\b", lower) for value in (0.5,)]
    found += [(float(m.group(1)) * SCALE_WORDS[m.group(2)], lower, m.start()) for m in ENGLISH_SCALE.finditer(lower)]
    for value, word in [*ORDINAL_WORDS.items(), *SMALL_NUMBER_WORDS.items()]:
        found += [(float(value), lower, m.start()) for m in re.finditer(rf"\b{word}\b", lower)]
    for m in ROMAN_PART.finditer(prose(text)):
        found.append((float(ROMAN[m.group(1)]), lower, m.start()))
    for value, words in COUNT_WORDS.items():
        for word in words:
            found += [(float(value), lower, m.start()) for m in re.finditer(rf"\b{word}\b", lower)]
    return EnglishNumbers(lower, digits, found)


@cache
def month_names() -> dict[int, tuple[str, ...]]:
    wide = get_month_names("wide", locale="en")
    abbreviated = get_month_names("abbreviated", locale="en")
    return {n: (wide[n], abbreviated[n], "Sept") if n == 9 else (wide[n], abbreviated[n]) for n in range(1, 13)}


def english_months(text: str) -> set[int]:
    """Months named in full or abbreviated, capitalised as English writes them ("may" is no month)."""
    return {n for n, names in month_names().items() if any(re.search(rf"\b{name}\b", text) for name in names)}


def number_text(value: float) -> str:
    """2017.0 → '2017'; 15000.0 → '15,000'; 98.99 → '98.99'."""
    value = float(value)
    if not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}" if value >= 10_000 else str(int(value))


def _qualified(text: str, position: int, qualifier: tuple[str, ...]) -> bool:
    window = text[max(0, position - 25) : position + 25]
    return any(q in window for q in qualifier)


def _vague_met(requirement: Requirement, english: EnglishNumbers) -> bool:
    assert requirement.vague is not None
    phrase = VAGUE_PHRASES.get(requirement.vague)
    if phrase and re.search(phrase, english.lower):
        return True
    if requirement.at_least:
        value = requirement.numbers[0]
        return any(_qualified(t, p, MORE_THAN) for t, p in english.positions(value)) or english.any_between(
            value + 1, value * 10
        )
    return english.any_between(requirement.vague * 2, requirement.vague * 10)


def missing_in_english(requirement: Requirement, english: EnglishNumbers, translation: str) -> str | None:
    if requirement.source.isascii() and requirement.source in translation:
        return None  # written the same in both (2025-04-08, 3.95, a log line): nothing to translate
    if requirement.vague is not None:
        if _vague_met(requirement, english):
            return None
        low, high = requirement.vague * 2, requirement.vague * 10 - 1
        if requirement.at_least:
            low, high = requirement.vague + 1, requirement.vague * 10 - 1
        phrase = VAGUE_PHRASES.get(requirement.vague, "").split("|")[0] or f"some {requirement.vague:,}"
        return (
            f"{requirement.source} is an amount ({phrase!r}, or a number from {low:,} to {high:,}), "
            "which the translation lacks"
        )
    for value in requirement.numbers:
        positions = english.positions(value)
        if not positions:
            return f"{requirement.source} has {number_text(value)}, which the translation lacks"
        if requirement.qualifier and not any(_qualified(t, p, requirement.qualifier) for t, p in positions):
            example = f"{requirement.qualifier[0]} {number_text(value)}"
            return f"{requirement.source} is approximate; say so (for example '{example}')"
    months = english_months(prose(translation))
    for month in requirement.months:
        if month not in months:
            return f"{requirement.source} names {month_names()[month][0]}, which the translation lacks"
    if requirement.time and requirement.time not in translation and f"0{requirement.time}" not in translation:
        return f"{requirement.source} has the time {requirement.time}, which the translation lacks"
    return None


def chinese_values(text: str) -> Counter[str]:
    """What a Chinese text says in numbers: each value (or vague amount) with how often it occurs."""
    values: Counter[str] = Counter()
    for requirement in source_requirements(text):
        for value in requirement.numbers:
            values[number_text(value)] += 1
        for month in requirement.months:
            values[f"month {month}"] += 1
        if requirement.vague is not None and not requirement.numbers:
            values[requirement.source] += 1
    return values


def check_numbers(ctx: EntryContext) -> Iterator[Finding]:
    source, translation = ctx.entry.msgid, ctx.entry.msgstr
    if ctx.target_is_chinese:
        missing = chinese_values(source) - chinese_values(translation)
        for value in missing:
            yield ctx.finding("numbers", f"{value} is missing from the translation")
        return
    english = read_english(translation)
    for requirement in source_requirements(source):
        problem = missing_in_english(requirement, english, translation)
        if problem:
            yield ctx.finding("numbers", problem)
