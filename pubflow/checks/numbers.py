"""Numbers: every number of the source is in the translation, however each language writes it.

The source's numbers are read in digits, in Chinese numerals and in mixed
forms (三千, 十二个, 1.5万, 百分之五, 第85届, 二〇一七年; cn2an does the
arithmetic), with what the source says about them: 约3000起 is "about
3,000", 200余份 "more than 200", 数十个 "dozens", 上千万 "tens of millions" or
"more than 10 million". Dates and times are understood: 2011年10月5日 is
"5 October 2011" or "October 5, 2011" (month names from Babel's CLDR data).
Fractions and shares are values too: 三分之一 is "a third" (or 33%),
百分之十五 "15 per cent", 两成 "20 per cent" (or "a fifth").

A translation in Latin letters (English, French, German; their tables are in
``number_words.py``) is read in digits, with the language's own separators
(45 000 and 1,5 in French, 45.000 in German), and in words of any size,
cardinal or ordinal ("twenty-five", "quatre-vingt-cinquième",
"fünfundachtzigste"; text2num reads the words), fractions ("un tiers", "ein
Drittel") and scales ("1,5 million", "2 Milliarden").

A Chinese, Japanese or Korean translation must carry the same values: in
digits or numerals, with 万/億/兆 and Japanese counters (45万トン, 三か国,
二つ, 2割 for 20%, 三分の一) or with 만/억/조 and Korean native numbers
(45만 톤, 두 나라, 세 차례, 2할, 3분의 1).

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
from text_to_num import alpha2digit

from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.number_words import (
    ABOUT,
    ENGLISH,
    LESS_THAN,
    MORE_THAN,
    NEARLY,
    LatinLanguage,
    latin_language,
    month_names,
    months_named,
)
from pubflow.checks.prose import prose

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
# Japanese counters besides those Chinese shares (三回, 五冊, 二隻; か国 is read as 国, 一つ as 1个).
JAPANESE_COUNTERS = "回冊匹機基社校店軒棟票席発円割"
# Traditional forms of the characters read here, one for one, so zh_TW text is read as zh_CN text is.
TRADITIONAL = str.maketrans(
    "兩萬億數幾來餘約將過個國項條歲輛屆週場輪類種噸處臺隻頭塊張層級號點戶隊組團縣筆員韓緬烏歐亞馬義寮"
    "０１２３４５６７８９％",
    "两万亿数几来余约将过个国项条岁辆届周场轮类种吨处台只头块张层级号点户队组团县笔员韩缅乌欧亚马意老0123456789%",
)
# A demonstrative before a count restates things just named: 这两个函数 "the functions", 这两种情况 "either case".
RESTATING = frozenset("这那此该這該")
# Countries named by one-character abbreviations, as in 中美两国 and 中老缅泰四国.
COUNTRY_ABBREVIATIONS = frozenset("中美俄英法德日韩朝老缅泰越柬印澳新巴意加蒙哈吉塔乌土伊埃欧亚非菲马")

NUM = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
DAY = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"


@cache
def source_pattern(
    units: str = CN_UNITS, measure_words: str = MEASURE_WORDS, fraction: str = "分之"
) -> re.Pattern[str]:
    """The numbers of a text written in Chinese characters (Japanese adds 兆, its counters and 分の)."""
    return re.compile(
        rf"""
      (?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?:\s+(?P<ih>\d{{1,2}}):(?P<imin>\d{{2}})(?::\d{{2}})?)?)
    | (?P<ymd>(?P<y1>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s?年\s?(?P<m1>{NUM})\s?月(?:\s?(?P<d1>{DAY})\s?[日号])?)
    | (?P<md>(?P<m2>{NUM})\s?月\s?(?P<d2>{DAY})\s?[日号])
    | (?P<dotted>(?<![\d.])(?P<m3>\d{{1,2}})[·‧・](?P<d3>\d{{1,2}})(?![\d.]))
    | (?P<month>(?P<m4>\d{{1,2}})\s?月(?!份?\s?[\d一二三四五六七八九十])
               |(?<![每这那])(?P<m5>十[一二]?|[一二三四五六七八九])月份?(?![日号]))
    | (?P<time>(?P<h5>\d{{1,2}}):(?P<min5>\d{{2}})(?::\d{{2}})?)
    | (?P<fraction>(?P<fpre>约|大约|近|将近|接近|逾|超过|至少|不到|不足|不超过)?
                   (?P<denominator>\d+|[{CN_DIGITS}十][{CN_DIGITS}{units}]*)\s?{fraction}\s?
                   (?P<numerator>\d+(?:\.\d+)?|[{CN_DIGITS}{units}]+))
    | (?P<pre>第|约|大约|将近|(?<!最)接近|(?<!最)近|逾|不超过|超过|至少|不到|不足|百分之|上|数|几|好几)?
      (?<![A-Za-z0-9_.,])(?P<num>(?>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![A-Za-z_])(?:\s?[{units}]+)?|[{CN_DIGITS}{units}]+)
      (?P<post>余|多|几|来)?
      (?:(?<=\d)\s)?(?P<unit>[{measure_words}%])?
      \s?(?P<term>进制|進制|式|分布|元组|元組|方|维|維|分法|分查找)?
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
    qualifier: str | None = None  # ABOUT, MORE_THAN, NEARLY or LESS_THAN
    vague: int | None = None  # 数十 → 10: "dozens", or a number from 20 to 99
    at_least: bool = False  # 上千万: "tens of millions", or "more than 10 million"
    equivalents: tuple[float, ...] = ()  # other values that say the first number: 1/3 as 33 (per cent)


def numeral_value(text: str) -> float | None:
    """3000, 1.5万, 三千, 十二, 二〇一七, 3兆 → a value; None for what is no number (一二, 三三两两, 千万)."""
    text = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "兆" in text:  # Japanese and Korean 兆 is 10¹² (cn2an does not know it)
        high, _, low = text.partition("兆")
        high_value = numeral_value(high) if high else 1.0
        low_value = numeral_value(low) if low else 0.0
        return None if high_value is None or low_value is None else high_value * 1e12 + low_value
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
    if not math.isfinite(count):
        return False
    n = int(count)
    if unit != "国" or n < 2 or n != count or start < n:
        return False
    return all(c in COUNTRY_ABBREVIATIONS for c in text[start - n : start])


CLAUSE_END = re.compile(r"[。，；：！？;:!?（）()]")  # not the comma, which separates listed items
CLAUSE_WINDOW = 200
CONJUNCTION = re.compile(r"和|与|及|或|跟|同|、|\band\b|\bor\b|,")


def _restates_a_list(text: str, start: int, count: float) -> bool:
    """A 和 B 两个类, 甲、乙和丙三方: a count of the items just listed in the same clause."""
    if count not in (2, 3):
        return False
    # The clause just before the count; a list of two or three items is never longer than this window,
    # and reading back to the start of the text for every count would be quadratic.
    clause = CLAUSE_END.split(text[max(0, start - CLAUSE_WINDOW) : start])[-1]
    return len(CONJUNCTION.findall(clause)) + 1 >= count and len(CONJUNCTION.findall(clause)) > 0


def fraction_requirement(
    source: str, numerator: float, denominator: float, qualifier: str | None = None
) -> Requirement | None:
    """三分之一: the fraction, or the same share in per cent (33 or 33.3)."""
    if not denominator or numerator > denominator:
        return None
    value = numerator / denominator
    percent = value * 100
    equivalents = tuple(dict.fromkeys((percent, round(percent), round(percent, 1))))
    return Requirement(source, (value,), qualifier=qualifier, equivalents=equivalents)


def source_requirements(text: str, pattern: re.Pattern[str] | None = None) -> list[Requirement]:
    """What a Chinese text (Simplified or Traditional, or Japanese through ``japanese_text``) says in numbers."""
    text = prose(text).translate(TRADITIONAL)
    found: list[Requirement] = []
    for m in (pattern or source_pattern()).finditer(text):
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
        elif g["fraction"]:
            numerator, denominator = numeral_value(g["numerator"]), numeral_value(g["denominator"])
            if numerator is not None and denominator is not None:
                qualifier = PREFIX_QUALIFIERS.get(g["fpre"] or "")
                requirement = fraction_requirement(source, numerator, denominator, qualifier)
                if requirement:
                    found.append(requirement)
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
    if unit in ("成", "割") and pre in (None, "约", "大约", "近", "将近", "接近", "逾", "超过", "至少", "不到", "不足"):
        # 两成, 2割: tenths, said as per cent ("20 per cent") or as a fraction ("a fifth")
        if text[m.end() : m.end() + 2] in ("不变", "不變") or (num in ("八", "九") and unit == "成" and not pre):
            return None  # 一成不变 "unchanging"; 八成, 九成 alone are as often "most likely"
        tenths = numeral_value(num)
        if tenths is None or not 0 < tenths <= 10:
            return None
        return Requirement(
            source, (tenths * 10,), qualifier=PREFIX_QUALIFIERS.get(pre or ""), equivalents=(tenths / 10,)
        )
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
    qualifier = SUFFIX_QUALIFIERS.get(post) if post else PREFIX_QUALIFIERS.get(pre or "")
    return Requirement(source, (value,), qualifier=qualifier)


# -- Japanese ------------------------------------------------------------------------------

# Native Japanese counts, written as Chinese reads a count: 一つ, ふたつ → 1个, 2个; 二人, ふたり → 2人.
JAPANESE_NATIVE = [
    (re.compile(r"ひとつ|一つ"), "1个"), (re.compile(r"ふたつ|二つ"), "2个"), (re.compile(r"みっつ|三つ"), "3个"),
    (re.compile(r"よっつ|四つ"), "4个"), (re.compile(r"いつつ|五つ"), "5个"), (re.compile(r"むっつ|六つ"), "6个"),
    (re.compile(r"ななつ|七つ"), "7个"), (re.compile(r"やっつ|八つ"), "8个"), (re.compile(r"ここのつ|九つ"), "9个"),
    (re.compile(r"ひとり"), "1人"), (re.compile(r"ふたり"), "2人"),
    (re.compile(r"[かカヶケヵ箇]国"), "国"), (re.compile(r"[かカヶケヵ箇]所"), "所"),
    (re.compile(r"[かカヶケヵ箇]月"), "个月"),
    (re.compile(r"パーセント"), "%"),
    # 、 is Japanese's comma, between clauses as often as between listed items: never read as a list
    (re.compile("、"), "，"),
]  # fmt: skip


def japanese_text(text: str) -> str:
    """A Japanese text with its native counts and kana counters in the forms the Chinese reader reads."""
    for pattern, replacement in JAPANESE_NATIVE:
        text = pattern.sub(replacement, text)
    return text


def japanese_pattern() -> re.Pattern[str]:
    return source_pattern(CN_UNITS + "兆", MEASURE_WORDS + JAPANESE_COUNTERS, "分の")


# -- Korean --------------------------------------------------------------------------------

KOREAN_SINO = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
KOREAN_UNITS = {"십": 10, "백": 100, "천": 1000}
KOREAN_MYRIADS = {"만": 1e4, "억": 1e8, "조": 1e12}
KOREAN_NATIVE_UNITS = {
    "한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "석": 3, "네": 4, "넷": 4, "넉": 4, "다섯": 5, "여섯": 6,
    "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
KOREAN_NATIVE_TENS = {"열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
                      "여든": 80, "아흔": 90}  # fmt: skip
# Counters after which a native Korean number is a count: 두 나라 "two countries", 세 차례 "three times".
KOREAN_COUNTERS = (
    "명|개국|개|번째|번|차례|가지|나라|곳|건|해|살|척|대|권|장|마리|사람|분|배|쌍|달|날|시간|주|개월|군데|차|회"
)
_NATIVE_UNIT = "|".join(sorted(KOREAN_NATIVE_UNITS, key=len, reverse=True))
_NATIVE_TEN = "|".join(sorted(KOREAN_NATIVE_TENS, key=len, reverse=True))
KOREAN_NATIVE = re.compile(
    rf"(?<![가-힣])(?P<ten>{_NATIVE_TEN})?(?P<unit>{_NATIVE_UNIT})?(?<=[가-힣])\s?(?=(?:{KOREAN_COUNTERS}))"
)
_SINO = "[영공일이삼사오육칠팔구십백천]"
KOREAN_NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?[조억만천백십](?:\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)?)*"
)
KOREAN_FRACTION = re.compile(rf"(\d+|{_SINO}+)\s?분의\s?(\d+(?:\.\d+)?|{_SINO}+)")
KOREAN_TENTHS = re.compile(r"(?<![\w.])(\d+)\s?할")  # 2할: two tenths (할 after a Hangul word is "to do")
KOREAN_VAGUE = re.compile(r"(?<![가-힣])(?:수|몇)(십|백|천)?(만|억|조)?(?=\s?[가-힣%]|\s|$)")
KOREAN_DATE = re.compile(r"(?:(\d{4})\s?년\s?)?(\d{1,2})\s?월(?:\s?(\d{1,2})\s?일)?")


def korean_value(text: str) -> float | None:
    """45만, 1.5억, 3조 2000억, 4만 5천, 삼십, 십오 → a value."""
    text = text.replace(",", "").replace(" ", "")
    total, section, number = 0.0, 0.0, None
    for token in re.findall(r"\d+(?:\.\d+)?|.", text):
        if token[0].isdigit():
            number = float(token)
        elif token in KOREAN_SINO:
            number = float(KOREAN_SINO[token])
        elif token in KOREAN_UNITS:
            section += (number if number is not None else 1.0) * KOREAN_UNITS[token]
            number = None
        elif token in KOREAN_MYRIADS:
            total += (section + (number or 0.0) or 1.0) * KOREAN_MYRIADS[token]
            section, number = 0.0, None
        else:
            return None
    return total + section + (number or 0.0)


def korean_keys(text: str) -> Counter[object]:
    """What a Korean text says in numbers, as ``requirement_keys`` names them."""
    text = prose(text).translate(TRADITIONAL)
    keys: Counter[object] = Counter()
    for m in KOREAN_DATE.finditer(text):
        year, month, day = m.groups()
        if 1 <= int(month) <= 12:
            keys[("month", int(month))] += 1
        keys.update(_value_key(float(v)) for v in (year, day) if v)
    text = KOREAN_DATE.sub(lambda m: " " * len(m.group()), text)
    for m in KOREAN_FRACTION.finditer(text):
        denominator, numerator = korean_value(m.group(1)), korean_value(m.group(2))
        if denominator and numerator is not None:
            keys[_value_key(numerator / denominator)] += 1
    for m in KOREAN_TENTHS.finditer(text):
        tenths = korean_value(m.group(1))
        if tenths is not None:
            keys[_value_key(tenths * 10)] += 1
    text = KOREAN_FRACTION.sub(lambda m: " " * len(m.group()), text)
    for m in KOREAN_NUMBER.finditer(text):
        value = korean_value(m.group())
        if value is not None:
            keys[_value_key(value)] += 1
            keys.update(_value_key(float(d)) for d in re.findall(r"\d+(?:\.\d+)?", m.group().replace(",", "")))
    for m in KOREAN_NATIVE.finditer(text):
        if m.group("ten") or m.group("unit"):
            keys[_value_key(float(KOREAN_NATIVE_TENS.get(m.group("ten") or "", 0) +
                                  KOREAN_NATIVE_UNITS.get(m.group("unit") or "", 0)))] += 1  # fmt: skip
    for m in KOREAN_VAGUE.finditer(text):
        scale = KOREAN_UNITS.get(m.group(1) or "", 1) * KOREAN_MYRIADS.get(m.group(2) or "", 1)
        if scale > 1:
            keys[("vague", int(scale))] += 1
    return keys


# -- Latin-letter languages ----------------------------------------------------------------

# Part II, Chapter IV, World War II: Roman numerals where English numbers parts.
ROMAN = {r: n for n, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], 1)}
ROMAN_PART = re.compile(
    r"\b(?:Part|Chapter|Volume|Book|Phase|Article|Section|War|Partie|Chapitre|Teil|Kapitel|Guerre|Krieg)\s+"
    r"(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\b"
)
# Every language: a fraction in digits (1/3) and a number of a fraction word ("two thirds", "deux tiers").
DIGIT_FRACTION = re.compile(r"(?<![\w./])(\d{1,2})/(\d{1,3})(?![\w/])")


@dataclass(frozen=True)
class TranslationNumbers:
    """The numbers of a translation with where each stands, and the text read for qualifiers."""

    lower: str  # the prose, lower-cased, number words as written
    digits: str  # the same with number words turned into digits
    found: list[tuple[float, str, int]]  # value, the text it stands in, position

    def positions(self, value: float) -> list[tuple[str, int]]:
        return [(text, pos) for v, text, pos in self.found if math.isclose(v, value, rel_tol=1e-9)]

    def any_between(self, low: float, high: float) -> bool:
        return any(low <= v < high for v, _, _ in self.found)


@cache
def digit_pattern(language: LatinLanguage) -> re.Pattern[str]:
    """Digits as the language groups them and marks decimals (CLDR): 45,000.5; 45 000,5; 45.000,5."""
    group, decimal = re.escape(language.group_symbols), re.escape(language.decimal_symbol)
    group_class = f"[{group}]"
    # A number glued to letters (G20, utf8) or after a dot (3.13.0) is a name, on both sides.
    return re.compile(
        rf"(?<![A-Za-z0-9_.,])\d{{1,3}}(?:{group_class}\d{{3}})+(?:{decimal}\d+)?(?!\d)"
        rf"|(?<![A-Za-z0-9_.,])\d+(?:{decimal}\d+)?|(?<![\w.,]){decimal}\d+"
    )


def _digits_value(text: str, language: LatinLanguage) -> float:
    for symbol in language.group_symbols:
        text = text.replace(symbol, "")
    return float(text.replace(language.decimal_symbol, "."))


def _small_number(word: str, language: LatinLanguage) -> float | None:
    """The numerator of a fraction: 2, "two", "deux"; the article ("a", "un", "ein") is one."""
    if word.isdigit():
        return float(word)
    if word in language.count_words.get(1, ()):
        return 1.0
    try:
        digits = alpha2digit(word, language.code, threshold=0)
    except (ValueError, IndexError):
        return None
    return float(digits) if digits.isdigit() else None


def read_latin(text: str, language: LatinLanguage = ENGLISH) -> TranslationNumbers:
    lower = prose(text).replace("’", "'").lower()
    for pattern, replacement in language.rewrites:
        lower = re.sub(pattern, replacement, lower)
    if language.clock:
        lower = re.sub(language.clock, r"\1:\2", lower)
    try:
        digits = alpha2digit(lower, language.code, threshold=0)
    except (ValueError, IndexError):  # a number-word sequence text2num cannot read: keep the words
        digits = lower
    number = digit_pattern(language)
    found = [(_digits_value(m.group(), language), digits, m.start()) for m in number.finditer(digits)]
    found += [(0.5, lower, m.start()) for word in language.half for m in re.finditer(rf"\b{word}\b", lower)]
    scales = "|".join(language.scales)
    for m in re.finditer(rf"({number.pattern})\s*({scales})(?!\w)", lower):  # "1.5 million", as written
        scale = next(v for word, v in language.scales.items() if re.fullmatch(word, m.group(2)))
        found.append((_digits_value(m.group(1), language) * scale, lower, m.start()))
    denominators = "|".join(sorted(language.fractions, key=len, reverse=True))
    for m in re.finditer(rf"\b(\d+|[a-zà-ÿ]+)[\s-]+({denominators})\b", lower):  # "two-thirds", "un tiers"
        count = _small_number(m.group(1), language)
        if count is not None:
            found.append((count * language.fractions[m.group(2)], lower, m.start()))
    for m in DIGIT_FRACTION.finditer(digits):
        if int(m.group(2)):
            found.append((int(m.group(1)) / int(m.group(2)), digits, m.start()))
    for value, words in [*language.extra_numbers.items(), *language.count_words.items()]:
        for word in words:
            found += [(float(value), lower, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", lower)]
    for m in ROMAN_PART.finditer(prose(text)):
        found.append((float(ROMAN[m.group(1)]), lower, m.start()))
    return TranslationNumbers(lower, digits, found)


def number_text(value: float) -> str:
    """2017.0 → '2017'; 15000.0 → '15,000'; 98.99 → '98.99'; 1/3 → '1/3'."""
    value = float(value)
    if not math.isfinite(value):  # a run of hundreds of digits: too large for a float, named as it is
        return f"{value}"
    if not value.is_integer():
        for denominator in (3, 6, 7, 9, 11, 12):
            if math.isclose(value * denominator, round(value * denominator), rel_tol=1e-9):
                return f"{round(value * denominator)}/{denominator}"
        return f"{value:,}"
    return f"{int(value):,}" if value >= 10_000 else str(int(value))


def _qualified(text: str, position: int, qualifier: tuple[str, ...]) -> bool:
    window = text[max(0, position - 25) : position + 25]
    return any(q in window for q in qualifier)


def _vague_met(requirement: Requirement, numbers: TranslationNumbers, language: LatinLanguage) -> bool:
    assert requirement.vague is not None
    phrase = language.vague.get(requirement.vague)
    if phrase and re.search(phrase, numbers.lower):
        return True
    if requirement.at_least:
        value = requirement.numbers[0]
        more = language.qualifiers[MORE_THAN]
        return any(_qualified(t, p, more) for t, p in numbers.positions(value)) or numbers.any_between(
            value + 1, value * 10
        )
    return numbers.any_between(requirement.vague * 2, requirement.vague * 10)


def missing_in_latin(
    requirement: Requirement, numbers: TranslationNumbers, translation: str, language: LatinLanguage = ENGLISH
) -> str | None:
    if requirement.source.isascii() and requirement.source in translation:
        return None  # written the same in both (2025-04-08, 3.95, a log line): nothing to translate
    if requirement.vague is not None:
        if _vague_met(requirement, numbers, language):
            return None
        low, high = requirement.vague * 2, requirement.vague * 10 - 1
        if requirement.at_least:
            low, high = requirement.vague + 1, requirement.vague * 10 - 1
        phrase = language.vague.get(requirement.vague, "").split("|")[0] or f"some {requirement.vague:,}"
        return (
            f"{requirement.source} is an amount ({phrase!r}, or a number from {low:,} to {high:,}), "
            "which the translation lacks"
        )
    for index, value in enumerate(requirement.numbers):
        positions = numbers.positions(value)
        if not positions and index == 0:
            positions = [p for other in requirement.equivalents for p in numbers.positions(other)]
        if not positions:
            return f"{requirement.source} has {number_text(value)}, which the translation lacks"
        words = language.qualifiers.get(requirement.qualifier or "", ())
        if words and not any(_qualified(t, p, words) for t, p in positions):
            example = f"{words[0]} {number_text(value)}"
            return f"{requirement.source} is approximate; say so (for example '{example}')"
    months = months_named(prose(translation), language)
    for month in requirement.months:
        if month not in months:
            return f"{requirement.source} names {month_names(language.code)[month][0]}, which the translation lacks"
    if requirement.time:
        times = numbers.lower if language.clock else translation
        if requirement.time not in times and f"0{requirement.time}" not in times:
            return f"{requirement.source} has the time {requirement.time}, which the translation lacks"
    return None


# -- Comparing values: Chinese, Japanese and Korean translations -----------------------------


def _value_key(value: float) -> float:
    return round(value, 6)


def requirement_keys(requirement: Requirement) -> list[tuple[tuple[object, ...], str]]:
    """Each value a requirement asks for, as the keys that satisfy it, with how to name it when missing."""
    slots: list[tuple[tuple[object, ...], str]] = []
    for index, value in enumerate(requirement.numbers):
        keys: tuple[object, ...] = (_value_key(value),)
        if index == 0:
            keys += tuple(_value_key(v) for v in requirement.equivalents)
            if requirement.vague is not None:
                keys += (("vague", requirement.vague),)
        slots.append((keys, number_text(value)))
    slots += [((("month", month),), f"month {month}") for month in requirement.months]
    if requirement.vague is not None and not requirement.numbers:
        slots.append(((("vague", requirement.vague),), requirement.source))
    return slots


def offered_keys(requirements: list[Requirement]) -> Counter[object]:
    """Every key a translation's numbers satisfy (a value, its month, its vague amount)."""
    keys: Counter[object] = Counter()
    for requirement in requirements:
        for slot, _name in requirement_keys(requirement):
            keys.update(dict.fromkeys(slot, 1))
    return keys


def translation_keys(text: str, locale: str) -> Counter[object]:
    language = locale.split("_")[0]
    if language == "ja":
        return offered_keys(source_requirements(japanese_text(text), japanese_pattern()))
    if language == "ko":
        return korean_keys(text)
    return offered_keys(source_requirements(text))


def missing_values(source: str, translation: str, locale: str) -> list[str]:
    """The source's values that a Chinese, Japanese or Korean translation lacks, each named once per lack."""
    offered = translation_keys(translation, locale)
    missing = []
    for requirement in source_requirements(source):
        for keys, name in requirement_keys(requirement):
            key = next((k for k in keys if offered[k] > 0), None)
            if key is None:
                missing.append(name)
            else:
                offered[key] -= 1
    return list(dict.fromkeys(missing))


#: Languages whose translations are compared value for value with the source's.
CJK_LANGUAGES = ("zh", "ja", "ko")


def check_numbers(ctx: EntryContext) -> Iterator[Finding]:
    source, translation = ctx.entry.msgid, ctx.entry.msgstr
    if ctx.locale.name.split("_")[0] in CJK_LANGUAGES:
        for value in missing_values(source, translation, ctx.locale.name):
            yield ctx.finding("numbers", f"{value} is missing from the translation")
        return
    language = latin_language(ctx.locale.name)
    if language is None:
        return  # a language whose numbers pubflow cannot read: no finding rather than a wrong one
    numbers = read_latin(translation, language)
    for requirement in source_requirements(source):
        problem = missing_in_latin(requirement, numbers, translation, language)
        if problem:
            yield ctx.finding("numbers", problem)
