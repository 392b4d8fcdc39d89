"""The numbers check over a table of news sentences and their translations, half of them wrong.

Each row: the Chinese source, a translation, and the words the finding must
contain (None: no finding). The sentences come from the shipped article (a
2017 Legal Daily review) and from widely reported Chinese news of the same
kind (Xinhua and People's Daily wording); each wrong translation makes one
mistake a translator makes: a number dropped, changed, its approximation lost,
a month swapped, a Chinese numeral ignored.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pubflow.checks.model import EntryContext
from pubflow.checks.numbers import check_numbers
from pubflow.config import LocaleConfig
from pubflow.glossary import Glossary

ENGLISH = LocaleConfig(name="en", label="English", method="translation")
TRADITIONAL = LocaleConfig(name="zh_TW", label="繁體中文", method="opencc", opencc_config="s2twp")

HIJACK = "2011年10月5日，两艘中国籍货船在湄公河孟喜岛水域遭遇糯康武装团伙的劫持，13名中国籍船员罹难。"
ASSEMBLY = "国际刑警组织第85届全体大会上，中国公安部副部长孟宏伟当选新一任国际刑警组织主席。"
REQUESTS = "我国每年与外国警方相互求查案件约3000起，申请发布国际刑警组织“红色通报”200余份，执行出国办案任务数十个。"
GANGS = "配合当地警方打掉针对华人实施侵害的犯罪团伙数十个，追缴赃款上千万元。"
FOUR = "如今，四国已在湄公河重点水域定期开展联合查缉行动。"
ROUNDS = "在随后的一年时间里，第二次、第三次联合对话相继在北京、华盛顿举行。"
REPORTS = "仅2015年就处置侨胞反映故意杀人、绑架、纵火、敲诈勒索等报警184起。"
DEBUT = "2000年1月12日，15名中国警察走出国门，飞往东帝汶。"
PARTNERS = "公安部已与113个国家和地区建立了密切的执法合作关系，搭建了129个双多边合作机制和96条联络热线。"
DOCUMENTS = "同60多个国家的内政警察部门和相关国际组织签署各类合作文件400余份。"
POVERTY = "截至2020年底，我国现行标准下9899万农村贫困人口全部脱贫。"
DAM = "三峡工程总投资约2000亿元。"
OLYMPICS = "北京冬奥会共有来自91个国家和地区的近2900名运动员参赛。"
INCOME = "前三季度，全国居民人均可支配收入同比增长百分之五。"
FISHERMEN = "十二名遇险渔民全部获救。"
VISITS = "代表团此前已三次访华。"
HANDOVER = "香港于1997年7月1日回归祖国。"
TOURISTS = "该市去年接待游客三千万人次。"

# (source, translation, the finding's words or None); one pair to a row or two, as a table reads
# fmt: off
TABLE: list[tuple[str, str, str | None]] = [
    (HIJACK, "On 5 October 2011, two Chinese cargo ships were hijacked off Mengxi Island on the Mekong by Naw Kham’s "
     "gang. Thirteen Chinese crew members were killed.", None),
    (HIJACK, "On 5 October 2011, Chinese cargo ships were hijacked off Mengxi Island on the Mekong by Naw Kham’s gang. "
     "Thirteen Chinese crew members were killed.", "两艘 has 2"),
    (HIJACK, "On 5 October 2011, two Chinese cargo ships were hijacked off Mengxi Island on the Mekong by Naw Kham’s "
     "gang. Thirty Chinese crew members were killed.", "13名 has 13"),
    (HIJACK, "On October 5, 2011, both Chinese cargo ships were hijacked; 13 crew members were killed.", None),
    (ASSEMBLY, "At the 85th INTERPOL General Assembly, Meng Hongwei was elected President of INTERPOL.", None),
    (ASSEMBLY, "At the eighty-fifth INTERPOL General Assembly, Meng Hongwei was elected President of INTERPOL.", None),
    (ASSEMBLY, "At the INTERPOL General Assembly, Meng Hongwei was elected President of INTERPOL.", "第85届 has 85"),
    (ASSEMBLY, "At the 58th INTERPOL General Assembly, Meng Hongwei was elected President of INTERPOL.",
     "第85届 has 85"),
    (REQUESTS, "Each year China exchanges requests with foreign police in about 3,000 cases, has more than 200 Red "
     "Notices issued and sends officers on dozens of missions abroad.", None),
    (REQUESTS, "Each year China exchanges requests with foreign police in 3,000 cases, has more than 200 Red Notices "
     "issued and sends officers on dozens of missions abroad.", "约3000起 is approximate"),
    (REQUESTS, "Each year China exchanges requests with foreign police in about 3,000 cases, has 200 Red Notices "
     "issued and sends officers on dozens of missions abroad.", "200余份 is approximate"),
    (REQUESTS, "Each year China exchanges requests with foreign police in about 3,000 cases, has more than 200 Red "
     "Notices issued and sends officers on missions abroad.", "数十个 is an amount"),
    (GANGS, "They helped local police break up dozens of gangs and recover tens of millions of yuan.", None),
    (GANGS, "They helped local police break up some 30 gangs and recover more than 10 million yuan.", None),
    (GANGS, "They helped local police break up dozens of gangs and recover a million yuan.", "上千万元 is an amount"),
    (GANGS, "They helped local police break up gangs and recover tens of millions of yuan.", "数十个 is an amount"),
    (FOUR, "Today the four countries regularly conduct joint operations in key waters of the Mekong.", None),
    (FOUR, "Today the countries regularly conduct joint operations in key waters of the Mekong.", "四国 has 4"),
    (ROUNDS, "Over the following year, the second and third rounds were held in Beijing and Washington.", None),
    (ROUNDS, "Over the following year, further rounds were held in Beijing and Washington.", "第二次 has 2"),
    (REPORTS, "In 2015 alone it handled one hundred and eighty-four reports of murder, kidnapping, arson and "
     "extortion.", None),
    (REPORTS, "In 2015 alone it handled 148 reports of murder, kidnapping, arson and extortion.", "184起 has 184"),
    (DEBUT, "On 12 January 2000, fifteen Chinese police officers left for Timor-Leste.", None),
    (DEBUT, "On 12 June 2000, 15 Chinese police officers left for Timor-Leste.", "2000年1月12日 names January"),
    (DEBUT, "On 12 January 2000, Chinese police officers left for Timor-Leste.", "15名 has 15"),
    (PARTNERS, "The ministry has close cooperation with 113 countries and regions, 129 mechanisms and 96 hotlines.",
     None),
    (PARTNERS, "The ministry has close cooperation with 113 countries and regions, 129 mechanisms and 69 hotlines.",
     "96条 has 96"),
    (DOCUMENTS, "It has signed more than 400 cooperation documents with the police of over sixty countries.", None),
    (DOCUMENTS, "It has signed more than 400 cooperation documents with the police of sixty countries.",
     "60多 is approximate"),
    (POVERTY, "By the end of 2020, all 98.99 million rural poor under the current standard had been lifted out of "
     "poverty.", None),
    (POVERTY, "By the end of 2020, all 9.899 million rural poor under the current standard had been lifted out of "
     "poverty.", "9899万 has 98,990,000"),
    (DAM, "The Three Gorges project cost about 200 billion yuan in all.", None),
    (DAM, "The Three Gorges project cost about 20 billion yuan in all.", "约2000亿 has 200,000,000,000"),
    (OLYMPICS, "Nearly 2,900 athletes from 91 countries and regions took part in the Beijing Winter Olympics.", None),
    (OLYMPICS, "2,900 athletes from 91 countries and regions took part in the Beijing Winter Olympics.",
     "近2900 is approximate"),
    (INCOME, "In the first three quarters, per capita disposable income grew by five per cent year on year.", None),
    (INCOME, "In the first three quarters, per capita disposable income grew by 15% year on year.", "百分之五 has 5"),
    (FISHERMEN, "All twelve fishermen in distress were rescued.", None),
    (FISHERMEN, "All the fishermen in distress were rescued.", "十二名 has 12"),
    (VISITS, "The delegation has visited China three times before.", None),
    (VISITS, "The delegation has visited China several times before.", "三次 has 3"),
    (HANDOVER, "Hong Kong returned to the motherland on 1 July 1997.", None),
    (HANDOVER, "Hong Kong returned to the motherland on 1 June 1997.", "1997年7月1日 names July"),
    (TOURISTS, "The city received 30 million tourist visits last year.", None),
    (TOURISTS, "The city received three million tourist visits last year.", "三千万 has 30,000,000"),
    ("事故造成25人死亡。", "Twenty-five people died in the accident.", None),
    ("事故造成25人死亡。", "Twenty people died in the accident.", "25人 has 25"),
    ("每个列表不超过四个整数。", "Each list holds up to four integers.", None),
    ("每个列表不超过四个整数。", "Each list holds four integers.", "不超过四个 is approximate"),
    # Markup is no number: a footnote label, a link's target, a reference name.
    ("根据第1条[#f1]_，两国应当合作。", "Under Article 1 [#f1]_, the two countries shall cooperate.", None),
    ("根据第1条[#f1]_，两国应当合作。", "Under the article [#f1]_, the two countries shall cooperate.", "第1条 has 1"),
    ("详见 `2017年报告 <https://example.org/2018/report-3>`_。", "See the `2017 report <https://example.org/2018/r>`_.",
     None),
    ("详见 `2017年报告 <https://example.org/2018/report-3>`_。", "See the `report <https://example.org/2018/report-3>`_.",
     "2017年 has 2017"),
    ("参见 `PEP 8`_ 与 :pep:`257`。", "See `PEP 8`_ and :pep:`257`.", None),
    # Idioms and restated lists are no counts; a dropped one would be no error.
    ("要千方百计稳就业。", "We must do everything possible to keep employment stable.", None),
    ("中美两国元首在网络安全问题上达成重要共识。", "The Chinese and US heads of state reached an important consensus.",
     None),
    ("习近平和普京两位领导人举行会谈，双方签署两份文件。", "Xi Jinping and Putin held talks and signed two documents.",
     None),
    ("习近平和普京两位领导人举行会谈，双方签署两份文件。", "Xi Jinping and Putin held talks and signed documents.",
     "两份 has 2"),
]
# fmt: on


def context(source: str, translation: str, locale: LocaleConfig = ENGLISH) -> EntryContext:
    entry = polib.POEntry(msgid=source, msgstr=translation, linenum=7)
    return EntryContext(Path("news.po"), entry, locale, "zh_CN", Glossary(Path("glossary.csv"), "zh_CN", []))


def test_the_table_is_large_and_half_wrong() -> None:
    assert len(TABLE) >= 40
    assert sum(expected is not None for _, _, expected in TABLE) * 2 >= len(TABLE)


@pytest.mark.parametrize(("source", "translation", "expected"), TABLE)
def test_numbers_table(source: str, translation: str, expected: str | None) -> None:
    findings = list(check_numbers(context(source, translation)))
    if expected is None:
        assert findings == []
    else:
        assert findings, "no finding"
        words = expected.split(" ", 1)
        message = findings[0].message
        assert message.startswith(words[0]) and words[1] in message, message
        assert findings[0].line == 7


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("2011年10月5日，兩艘中國籍貨船遭遇劫持，13名中國籍船員罹難。", None),
        ("2011年10月5日，兩艘中國籍貨船遭遇劫持，十三名中國籍船員罹難。", None),
        ("2011年10月5日，兩艘中國籍貨船遭遇劫持，12名中國籍船員罹難。", "13 is missing"),
        ("2011年10月5日，三艘中國籍貨船遭遇劫持，13名中國籍船員罹難。", "2 is missing"),
        ("2011年11月5日，兩艘中國籍貨船遭遇劫持，13名中國籍船員罹難。", "month 10 is missing"),
    ],
)
def test_a_chinese_translation_keeps_the_values(translation: str, expected: str | None) -> None:
    source = "2011年10月5日，两艘中国籍货船遭遇劫持，13名中国籍船员罹难。"
    messages = [f.message for f in check_numbers(context(source, translation, TRADITIONAL))]
    assert messages == ([] if expected is None else [f"{expected} from the translation"])


# Other translation languages: each row's wrong translation drops or changes one value.
SHARES = "约三分之一的案件涉及电信诈骗，百分之十五涉及毒品，两成涉及走私。"
FREIGHT = "湄公河流域年货运量达45万吨，三国联合巡逻已开展五次。"
TRILLION = "总额达3万亿元。"
# fmt: off
OTHER_LANGUAGES: list[tuple[str, str, str, str | None]] = [
    # Chinese fractions and shares against English, French and German ones.
    ("en", SHARES, "About a third of the cases involve telecom fraud, 15 per cent drugs and 20% smuggling.", None),
    ("en", SHARES, "About one-third of the cases involve fraud, 15 per cent drugs and a fifth smuggling.", None),
    ("en", SHARES, "About 33% of the cases involve telecom fraud, 15 per cent drugs and 20 per cent smuggling.", None),
    ("en", SHARES, "Many of the cases involve fraud, 15 per cent drugs and 20% smuggling.", "约三分之一 has 1/3"),
    ("en", SHARES, "About a third of the cases involve fraud, 15 per cent drugs and 2% smuggling.", "两成 has 20"),
    ("en", SHARES, "A third of the cases involve telecom fraud, 15 per cent drugs and 20% smuggling.",
     "约三分之一 is approximate"),
    ("en", SHARES, "About a third of the cases involve telecom fraud, 5 per cent drugs and 20% smuggling.",
     "百分之十五 has 15"),
    ("fr", SHARES, "Environ un tiers des affaires concernent la fraude, 15 % la drogue et 20 % la contrebande.", None),
    ("fr", SHARES, "Environ un quart des affaires concernent la fraude, 15 % la drogue et 20 % la contrebande.",
     "约三分之一 has 1/3"),
    ("de", SHARES, "Etwa ein Drittel der Fälle betrifft Betrug, 15 Prozent Drogen und ein Fünftel Schmuggel.", None),
    ("de", SHARES, "Etwa ein Viertel der Fälle betrifft Betrug, 15 Prozent Drogen und ein Fünftel Schmuggel.",
     "约三分之一 has 1/3"),
    ("de", SHARES, "Etwa ein Drittel der Fälle betrifft Betrug, fünfzehn Prozent Drogen und zwei Zehntel Schmuggel.",
     None),
    # French and German: words, CLDR's separators (45 000, 450.000, 1,5), scales, qualifiers, months.
    ("fr", HIJACK, "Le 5 octobre 2011, deux cargos chinois ont été détournés ; treize marins chinois ont été tués.",
     None),
    ("fr", HIJACK, "Le 5 octobre 2011, des cargos chinois ont été détournés ; treize marins chinois ont été tués.",
     "两艘 has 2"),
    ("fr", HIJACK, "Le 5 novembre 2011, deux cargos chinois ont été détournés ; treize marins chinois ont été tués.",
     "2011年10月5日 names octobre"),
    ("de", HIJACK, "Am 5. Oktober 2011 wurden zwei chinesische Frachter entführt; dreizehn Seeleute wurden getötet.",
     None),
    ("de", HIJACK, "Am 5. Oktober 2011 wurden zwei chinesische Frachter entführt; zwölf Seeleute wurden getötet.",
     "13名 has 13"),
    ("fr", REQUESTS, "Chaque année, environ 3 000 affaires, plus de 200 notices rouges et des dizaines de missions.",
     None),
    ("fr", REQUESTS, "Chaque année, 3 000 affaires, plus de 200 notices rouges et des dizaines de missions.",
     "约3000起 is approximate"),
    ("fr", REQUESTS, "Chaque année, environ 3 000 affaires, plus de 200 notices rouges et des missions.",
     "数十个 is an amount"),
    ("de", REQUESTS, "Jedes Jahr rund 3.000 Fälle, mehr als 200 Rote Ausschreibungen und Dutzende Einsätze.", None),
    ("de", REQUESTS, "Jedes Jahr rund 3.000 Fälle, 200 Rote Ausschreibungen und Dutzende Einsätze.",
     "200余份 is approximate"),
    ("fr", FREIGHT, "Le fret annuel atteint 450\u202f000 tonnes et les trois pays ont mené cinq patrouilles.", None),
    ("fr", FREIGHT, "Le fret annuel atteint 45\u202f000 tonnes et les trois pays ont mené cinq patrouilles.",
     "45万吨 has 450,000"),
    ("de", FREIGHT, "Die jährliche Fracht erreicht 0,45 Millionen Tonnen; die drei Länder patrouillierten fünfmal.",
     None),
    ("de", FREIGHT, "Die jährliche Fracht erreicht 45.000 Tonnen; die drei Länder patrouillierten fünfmal.",
     "45万吨 has 450,000"),
    ("fr", DAM, "Le barrage a coûté environ 200 milliards de yuans.", None),
    ("de", DAM, "Der Damm kostete rund 20 Milliarden Yuan.", "约2000亿 has 200,000,000,000"),
    # Japanese: 万/億/兆, counters (隻, か国, 回), native counts, 割 and 分の.
    ("ja", HIJACK, "2011年10月5日、中国籍の貨物船2隻がメコン川で襲撃され、中国人船員13人が死亡した。", None),
    ("ja", HIJACK, "2011年10月5日、中国籍の貨物船二隻がメコン川で襲撃され、中国人船員が死亡した。", "13 is missing"),
    ("ja", FREIGHT, "メコン川流域の年間貨物量は45万トンに達し、三か国の合同パトロールはすでに5回実施された。", None),
    ("ja", FREIGHT, "メコン川流域の年間貨物量は4万5千トンに達し、3カ国の合同パトロールはすでに五回実施された。",
     "450,000 is missing"),
    ("ja", FREIGHT, "メコン川流域の年間貨物量は45万トンに達し、合同パトロールはすでに5回実施された。", "3 is missing"),
    ("ja", SHARES, "事件の約三分の一が電信詐欺、15パーセントが薬物、2割が密輸に関わる。", None),
    ("ja", SHARES, "事件の約3分の1が電信詐欺、15%が薬物、3割が密輸に関わる。", "20 is missing"),
    ("ja", TRILLION, "総額は3兆元に達した。", None),
    ("ja", TRILLION, "総額は3億元に達した。", "3,000,000,000,000 is missing"),
    ("ja", "代表团此前已三次访华，签署两份文件。", "代表団はこれまでに3回訪中し、文書をふたつ署名した。", None),
    # Korean: 만/억/조, native numbers before a counter, 할 and 분의.
    ("ko", HIJACK, "2011년 10월 5일 중국 화물선 두 척이 메콩강에서 납치되어 중국인 선원 13명이 숨졌다.", None),
    ("ko", HIJACK, "2011년 10월 5일 중국 화물선이 메콩강에서 납치되어 중국인 선원 13명이 숨졌다.", "2 is missing"),
    ("ko", HIJACK, "2011년 11월 5일 중국 화물선 두 척이 메콩강에서 납치되어 중국인 선원 13명이 숨졌다.",
     "month 10 is missing"),
    ("ko", FREIGHT, "메콩강 유역의 연간 화물량은 45만 톤에 이르며, 세 나라의 합동 순찰은 이미 다섯 차례 실시되었다.",
     None),
    ("ko", FREIGHT, "메콩강 유역의 연간 화물량은 4만 5천 톤에 이르며, 3개국 합동 순찰은 이미 5회 실시되었다.",
     "450,000 is missing"),
    ("ko", FREIGHT, "메콩강 유역의 연간 화물량은 45만 톤에 이르며, 합동 순찰은 이미 다섯 차례 실시되었다.",
     "3 is missing"),
    ("ko", REQUESTS, "매년 약 3000건의 사건을 공조하고 200여 건의 적색수배를 신청했으며 수십 건의 임무를 수행했다.",
     None),
    ("ko", REQUESTS, "매년 약 3,000건의 사건을 공조하고 적색수배를 신청했으며 수십 건의 임무를 수행했다.",
     "200 is missing"),
    ("ko", SHARES, "사건의 약 3분의 1이 전화 사기, 15%가 마약, 2할이 밀수와 관련된다.", None),
    ("ko", SHARES, "사건의 약 4분의 1이 전화 사기, 15%가 마약, 20%가 밀수와 관련된다.", "1/3 is missing"),
    ("ko", TRILLION, "총액은 3조 위안에 달했다.", None),
    ("ko", DAM, "싼샤댐 총투자액은 약 2000억 위안이다.", None),
    ("ko", DAM, "싼샤댐 총투자액은 약 200억 위안이다.", "200,000,000,000 is missing"),
    ("zh_TW", SHARES, "約三分之一的案件涉及電信詐騙，百分之十五涉及毒品，兩成涉及走私。", None),
    ("zh_TW", SHARES, "約三分之一的案件涉及電信詐騙，百分之十五涉及毒品，三成涉及走私。", "20 is missing"),
]
# fmt: on


@pytest.mark.parametrize(("locale", "source", "translation", "expected"), OTHER_LANGUAGES)
def test_numbers_in_other_languages(locale: str, source: str, translation: str, expected: str | None) -> None:
    target = LocaleConfig(name=locale, label=locale, method="translation")
    messages = [f.message for f in check_numbers(context(source, translation, target))]
    if expected is None:
        assert messages == []
    else:
        first, rest = expected.split(" ", 1)
        assert messages and messages[0].startswith(first) and rest in messages[0], messages


def test_a_language_the_check_cannot_read_gets_no_finding_rather_than_a_wrong_one() -> None:
    finnish = LocaleConfig(name="fi", label="suomi", method="translation")
    assert list(check_numbers(context(HIJACK, "Kaksi rahtilaivaa kaapattiin.", finnish))) == []


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("2012年3月，「10‧5」血案的罪魁禍首在寮國被捕。", None),  # Taiwan's interpunct ‧ (教育部's 間隔號)
        ("2012年3月，「10・5」血案的罪魁禍首在寮國被捕。", None),  # the katakana middle dot some fonts offer
        ("2012年3月，「11‧5」血案的罪魁禍首在寮國被捕。", "month 10 is missing"),
    ],
)
def test_a_date_code_reads_with_any_interpunct(translation: str, expected: str | None) -> None:
    source = "2012年3月，“10·5”血案的罪魁祸首在老挝被捕。"
    messages = [f.message for f in check_numbers(context(source, translation, TRADITIONAL))]
    assert messages == ([] if expected is None else [f"{expected} from the translation"])
