"""Import: a news page saved as plain text → a reST document under ``docs/``.

The raw text has the shape of a Chinese news web page saved as text: a title,
optionally a subtitle, a byline with a date and 作者/来源 fields, the body
(paragraphs, with short unpunctuated lines as section headings), an optional
dateline such as 法制网北京9月24日讯, and then the site's navigation, which is
not article text. Parsing (:func:`parse_article`) and rendering
(:func:`render_rst`) are kept apart so that each can be tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docutils.utils import column_width

from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.fileio import read_text, refuse_control_characters, write_atomic

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han characters and the full-width punctuation and quotes that surround them.
CJK_CONTEXT = re.compile(rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’…—]")
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}

#: Lines that start the site's navigation after the article; the rest is left out.
FOOTER_MARKERS = (
    "上一篇", "下一篇", "推荐图片文章", "热点文章", "相关文章", "相关新闻",
    "责任编辑", "【责任编辑", "（责任编辑", "(责任编辑", "责编", "（责编", "(责编", "【纠错】", "【我要纠错】",
    "分享到", "打印本页", "关闭窗口", "【打印】",
    # The same in Traditional characters, for a publication whose source is zh_TW or zh_HK.
    "推薦圖片文章", "熱點文章", "相關文章", "相關新聞",
    "責任編輯", "【責任編輯", "（責任編輯", "(責任編輯", "責編", "（責編", "(責編",
    "列印本頁", "打印本頁", "關閉窗口", "關閉視窗", "【列印】",
)  # fmt: skip

DATE = re.compile(
    r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:\s*(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?"
)
#: Byline field names in Simplified and Traditional characters.
AUTHOR_NAMES = "作者|记者|記者|撰文|编译|編譯"
SOURCE_NAMES = "来源|來源"
BYLINE_FIELD = re.compile(
    rf"{DATE.pattern}|(?P<author>(?:{AUTHOR_NAMES})\s*[:：])|(?P<source>(?:{SOURCE_NAMES})\s*[:：])"
)
#: A dateline: a news organisation (…社, …网, …报, …台, …新闻), where and when it reports from, and
#: 电 or 讯 (新华社昆明11月5日电, 中央社台北4日電, 本报讯, 南方日报讯), with the reporters in brackets
#: after it (（记者 李明）); or a site's 央视网消息：. In Simplified or Traditional characters. Naming the
#: organisation keeps a sentence such as 习近平11月5日电贺… or 11月5日电视台… out.
NEWS_SOURCE = r"(?:社|网|網|报|報|台|新闻|新聞)"
DATELINE_TEXT = (
    rf"(?:(?:[{HAN}]{{0,12}}?{NEWS_SOURCE}[{HAN}]{{0,10}}?(?:\d{{1,2}}月)?\d{{1,2}}日|[{HAN}]{{0,10}}?(?:报|報))"
    r"(?:电|讯|電|訊)"
    r"(?:[ \u3000]*[（(][^）)（(]{1,40}[）)])?"
    rf"|[{HAN}]{{0,8}}?(?:网|網|社|台)消息(?:[（(][^）)（(]{{1,20}}[）)])?[：:])"
)
DATELINE = re.compile(rf"^{DATELINE_TEXT}$")
#: A dateline that opens the first paragraph, run into its text.
INLINE_DATELINE = re.compile(rf"^(?P<dateline>{DATELINE_TEXT})[ \u3000]*(?P<text>\S.*)$")
#: Picture, video and audio markers a news site adds to a title: (图), (组图), 【视频】, （組圖） …
MEDIA_MARKER = (
    r"[ \u3000]*[（(【\[〔][ \u3000]*(?:高清)?(?:组图|組圖|多图|多圖|图片|圖片|图文|圖文|图表|圖表|附图|附圖|图|圖"
    r"|图集|圖集|附视频|附視頻|视频|視頻|影音|影片|音频|音頻)[ \u3000]*[)）】\]〕][ \u3000]*"
)
MEDIA_MARKERS = re.compile(rf"^(?:{MEDIA_MARKER})+|(?:{MEDIA_MARKER})+$")
#: Chinese numerals as section numbers (一 … 九十九).
CHINESE_NUMBER = "[一二三四五六七八九十百零〇]{1,4}"
#: Numbered section headings in the order Chinese news and documents nest them: 一、 then （一） then
#: 1. or 1、 then （1）. The number is part of the heading's text.
NUMBERED_HEADINGS = (
    re.compile(rf"^{CHINESE_NUMBER}、"),
    re.compile(rf"^[（(]{CHINESE_NUMBER}[）)]"),
    re.compile(r"^\d{1,2}(?:、|[.．](?!\d))"),
    re.compile(r"^[（(]\d{1,2}[）)]"),
)
#: A numbered heading is a line of its own, however punctuated inside (一、坚持创新驱动，推动产业升级),
#: but no sentence: a line ending so, or holding a full stop, is a paragraph with a run-in number.
MAX_NUMBERED_HEADING_LENGTH = 40
SENTENCE_END = re.compile(r"[。！？；!?;]|…$")
SENTENCE_PUNCTUATION = re.compile(r"[，。！？；：、,.!?;:…—]")
MAX_HEADING_LENGTH = 30
MAX_LINES_BEFORE_BYLINE = 3
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: Leaves room in a file name (at most 255 bytes) for ``.<name>.po.XXXXXXXX.tmp`` and the like.
MAX_NAME_LENGTH = 120
#: What makes a document an article (every import writes its byline), not the front page or the status page.
ARTICLE_MARK = "pubflow-byline"


@dataclass
class Byline:
    date: str | None = None
    author: str | None = None
    source: str | None = None
    #: The dateline that opened the article (新华社昆明11月5日电（记者 李明）), on its own line or run in.
    dateline: str | None = None
    iso_date: str | None = None
    #: The byline's time of day, as printed (its zone is [tool.pubflow] timezone).
    iso_time: str | None = None

    @property
    def timestamp(self) -> str | None:
        """``2017-09-25T10:15:37``, or the date alone when the byline gives no time."""
        if self.iso_date and self.iso_time:
            return f"{self.iso_date}T{self.iso_time}"
        return self.iso_date


@dataclass
class Block:
    kind: str  # "heading" or "paragraph"
    text: str
    #: A heading's depth below the title: 1 for a section, 2 for a section within it, …
    level: int = 1


@dataclass
class Article:
    title: str
    subtitle: str | None
    byline: Byline
    blocks: list[Block]
    #: The dateline that closes the article (法制网北京9月24日讯); one that opens it is the byline's.
    dateline: str | None
    left_out: list[str] = field(default_factory=list)
    #: Picture and video markers taken out of the title and subtitle, as they stood.
    dropped: list[str] = field(default_factory=list)


def fullwidth_punctuation(text: str) -> str:
    """Half-width , ( ) : ; ! ? set in Chinese text become full-width; nothing else changes.

    A parenthesis pair is converted as a pair, when what stands before the
    opening one or after the closing one is Chinese, so that 组织(ICPO)是
    becomes 组织（ICPO）是. Other marks are converted after a Chinese character,
    or before one when no Latin letter or digit precedes them, so that 10:15
    and "a, b" stay as they are.
    """
    chars = list(text)

    def is_cjk(index: int) -> bool:
        return 0 <= index < len(chars) and bool(CJK_CONTEXT.match(chars[index]))

    def is_ascii_alnum(index: int) -> bool:
        return 0 <= index < len(chars) and bool(ASCII_ALNUM.match(chars[index]))

    stack: list[int] = []
    for i, char in enumerate(chars):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            start = stack.pop()
            if is_cjk(start - 1) or is_cjk(i + 1):
                chars[start], chars[i] = "（", "）"
    for i, char in enumerate(chars):
        if char in ",:;!?" and (is_cjk(i - 1) or (is_cjk(i + 1) and not is_ascii_alnum(i - 1))):
            chars[i] = FULLWIDTH[char]
    return "".join(chars)


def parse_article(text: str, path: Path) -> Article:
    """Split a raw article text into its parts, or raise a PubflowError saying why it can't."""
    numbered = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not numbered:
        raise PubflowError("the file is empty; expected a news article saved as text", path)

    byline_index, byline_end = _find_byline(numbered)
    if byline_index is None:
        dateless = next(
            (number for number, line in numbered[1 : MAX_LINES_BEFORE_BYLINE + 1] if BYLINE_NAME.search(line)), None
        )
        if dateless is not None:
            raise PubflowError(
                "the byline's date is not recognised: expected a date such as 2019年03月05日, 2019-03-05 "
                "or 2019/3/5 (a time may follow, as 08:30)",
                path,
                dateless,
            )
    if byline_index is None or byline_index == 0:
        raise PubflowError(
            "no byline found: expected a title, an optional subtitle, then a line with a date "
            "and 作者: or 来源: (for example '2017-09-25 10:15:37 作者:蔡长春 来源:法制日报')",
            path,
            numbered[0][0],
        )
    if byline_index > 2:
        raise PubflowError(
            "more than one line between the title and the byline; expected a title and at most one subtitle",
            path,
            numbered[2][0],
        )
    dropped: list[str] = []
    title = _without_media_markers(fullwidth_punctuation(numbered[0][1]), dropped)
    subtitle = _without_media_markers(fullwidth_punctuation(numbered[1][1]), dropped) if byline_index == 2 else None
    if not title:
        raise PubflowError("the title is only a picture or video marker; expected the article's title", path, 1)
    byline = Byline()
    for number, line in numbered[byline_index:byline_end]:
        _parse_byline(line, path, number, byline)

    body_lines: list[str] = []
    left_out: list[str] = []
    for _, line in numbered[byline_end:]:
        if left_out or line.startswith(FOOTER_MARKERS):
            left_out.append(line)
        else:
            body_lines.append(fullwidth_punctuation(line))

    dateline = None
    if body_lines and DATELINE.match(body_lines[0]):
        byline.dateline = body_lines.pop(0)
    elif body_lines and (run_in := INLINE_DATELINE.match(body_lines[0])):
        # 新华社昆明11月5日电（记者 李明）云南省公安厅5日通报…: the dateline joins the byline.
        byline.dateline, body_lines[0] = run_in.group("dateline"), run_in.group("text")
    if body_lines and DATELINE.match(body_lines[-1]):
        dateline = body_lines.pop()

    blocks = find_sections(body_lines)
    if not any(block.kind == "paragraph" for block in blocks):
        raise PubflowError("the article has no body paragraphs after the byline", path)
    return Article(title, subtitle, byline, blocks, dateline, left_out, dropped)


def _without_media_markers(text: str, dropped: list[str]) -> str:
    """The title without the (图), (组图) or 【视频】 a news site puts before or after it, noted in ``dropped``."""
    dropped.extend(match.group().strip() for match in MEDIA_MARKERS.finditer(text) if match.group().strip())
    return MEDIA_MARKERS.sub("", text).strip()


def numbered_heading_rank(line: str) -> int | None:
    """1 for 一、…, 2 for （一）…, 3 for 1. or 1、…, 4 for （1）…: when the line is a numbered heading."""
    if len(line) > MAX_NUMBERED_HEADING_LENGTH or SENTENCE_END.search(line) or LIST_ITEM.match(line):
        return None
    return next((rank for rank, pattern in enumerate(NUMBERED_HEADINGS, start=1) if pattern.match(line)), None)


def find_sections(lines: list[str]) -> list[Block]:
    """Headings and paragraphs, with each heading's depth.

    An article that numbers its sections (一、, （一）, 1., （1）) has those for
    headings and no other; one that does not has its short lines with no
    punctuation. A heading not followed by text of its own (a paragraph, or a
    deeper heading that has one) before the next heading of its depth is no
    heading (a closing remark); numbered lines in a row are a list.
    """
    ranks = [numbered_heading_rank(line) for line in lines]
    # Numbered lines in a row at one rank are the items of a list, not sections.
    listed = {i for i in range(len(lines) - 1) if ranks[i] is not None and ranks[i] == ranks[i + 1]}
    listed |= {i + 1 for i in listed}
    ranks = [None if i in listed else rank for i, rank in enumerate(ranks)]
    numbered = any(rank is not None for rank in ranks)
    blocks = []
    for index, (line, rank) in enumerate(zip(lines, ranks, strict=True)):
        if numbered:
            blocks.append(Block("heading", line, rank) if rank is not None else Block("paragraph", line))
        else:
            is_heading = index not in listed and _is_heading(line)
            blocks.append(Block("heading" if is_heading else "paragraph", line))
    for index in reversed(range(len(blocks))):
        block = blocks[index]
        if block.kind != "heading":
            continue
        following = next((b for b in blocks[index + 1 :] if b.kind == "paragraph" or b.level <= block.level), None)
        if following is None or following.kind == "heading":
            block.kind = "paragraph"
    # Depths as reST nests them: one level deeper at most than the heading before.
    depths = sorted({b.level for b in blocks if b.kind == "heading"})
    previous = 0
    for block in blocks:
        if block.kind == "heading":
            block.level = min(depths.index(block.level) + 1, previous + 1)
            previous = block.level
        else:
            block.level = 1
    return blocks


BYLINE_NAME = re.compile(rf"({AUTHOR_NAMES}|{SOURCE_NAMES})\s*[:：]")


def _is_byline(line: str) -> bool:
    return DATE.search(line) is not None and BYLINE_NAME.search(line) is not None


#: A line of a byline set on several lines: a field first (a date, 作者：, 来源：), perhaps after a
#: short label of the site's (发布时间：2023-06-20 10:00).
BYLINE_PART = re.compile(
    rf"^(?:[{HAN}]{{2,4}}\s*[:：]\s*)?(?:{DATE.pattern}|(?:{AUTHOR_NAMES}|{SOURCE_NAMES})\s*[:：])"
)
MAX_BYLINE_PART_LENGTH = 60
MAX_BYLINE_LINES = 4


def _find_byline(numbered: list[tuple[int, str]]) -> tuple[int | None, int]:
    """Where the byline is among the lines (numbered[start:end]): one line with a date and an author or
    source, or a few short lines in a row, each starting with one of them, that hold both together;
    failing those, a short line with a date and no sentence in it."""
    head = numbered[: MAX_LINES_BEFORE_BYLINE + 1]
    single = next((i for i, (_, line) in enumerate(head) if _is_byline(line)), None)
    if single is not None:
        return single, single + 1
    for start in range(1, len(head)):
        end = start
        while (
            end < len(numbered)
            and end - start < MAX_BYLINE_LINES
            and len(numbered[end][1]) <= MAX_BYLINE_PART_LENGTH
            and BYLINE_PART.match(numbered[end][1])
        ):
            end += 1
        if end - start > 1 and _is_byline(" ".join(line for _, line in numbered[start:end])):
            return start, end
    # A date alone, or with a name but no field (人民日报 2021年11月05日): a byline with no author or source.
    for start in range(1, len(head)):
        line = head[start][1]
        if DATE.search(line) and len(line) <= MAX_BYLINE_PART_LENGTH and not SENTENCE_END.search(line):
            return start, start + 1
    return None, 0


#: A line starting so is an item of a list, however short: never a section heading.
LIST_ITEM = re.compile(r"^[-–•·*●○■□◆◇▪]\s*")


def _is_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING_LENGTH and not SENTENCE_PUNCTUATION.search(line) and not LIST_ITEM.match(line)


def _parse_byline(line: str, path: Path, number: int, byline: Byline) -> None:
    """Cut a line of the byline at each field it holds, keeping each field's own wording (a label
    before the first, as 发布时间：, stays with it)."""
    matches = list(BYLINE_FIELD.finditer(line))
    for index, match in enumerate(matches):
        start = 0 if index == 0 else match.start()
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        segment = fullwidth_punctuation(line[start:end].strip())
        if match.group("year"):
            byline.date = segment
            clock = (match.group("time") or "0:00").split(":")
            hour, minute, second = (int(part) for part in [*clock, "0"][:3])
            try:
                when = datetime(
                    int(match.group("year")), int(match.group("month")), int(match.group("day")), hour, minute, second
                )
            except ValueError:
                written = match.group().strip()
                raise PubflowError(f"the byline's date {written!r} is no real date or time", path, number) from None
            byline.iso_date = when.date().isoformat()
            if match.group("time"):
                byline.iso_time = when.time().isoformat()
        elif match.group("author") and byline.author is None:
            byline.author = segment
        elif match.group("source") and byline.source is None:
            byline.source = segment


# -- rendering -----------------------------------------------------------------------------

_LINE_START_MARKUP = re.compile(r"^(?:[-+*•]\s|\d+[.)]\s|[A-Za-z#][.)]\s|\(\d+\)\s|\.\.|:|>>>|\||=+$|-+$)")
_INLINE_MARKUP = re.compile(r"([\\*`|_\[\]])")


def escape_rst(text: str) -> str:
    """Text as reST that renders to exactly this text, with no markup of its own."""
    escaped = _INLINE_MARKUP.sub(r"\\\1", text)
    if _LINE_START_MARKUP.match(escaped):
        escaped = "\\" + escaped
    return escaped


def _heading(text: str, adornment: str) -> str:
    escaped = escape_rst(text)
    return f"{escaped}\n{adornment * column_width(escaped)}\n"


def _classed_paragraph(css_class: str, text: str, indent: str = "") -> str:
    return f"{indent}.. rst-class:: {css_class}\n\n{indent}{escape_rst(text)}\n"


#: Section underlines by depth (the title's is ``=``).
SECTION_ADORNMENTS = '-~^"'


def render_rst(article: Article, origin: str) -> str:
    """The article as a reST document; every visible text is a translatable message."""
    parts: list[str] = []
    if article.byline.timestamp:
        # The date (and time) of the byline as metadata: the front page and the feeds sort by it.
        parts.append(f":pubflow-date: {article.byline.timestamp}\n")
    parts.append(f".. Imported by pubflow from {origin}; edit the text here, not the raw file.\n")
    parts.append(_heading(article.title, "="))
    if article.subtitle:
        parts.append(_classed_paragraph("pubflow-subtitle", article.subtitle))
    byline_fields = [
        ("pubflow-author", article.byline.author),
        ("pubflow-source", article.byline.source),
        ("pubflow-date", article.byline.date),
        ("pubflow-dateline", article.byline.dateline),
    ]
    present = [(css, text) for css, text in byline_fields if text]
    if present:
        inner = "\n".join(_classed_paragraph(css, text, "   ") for css, text in present)
        parts.append(f".. container:: {ARTICLE_MARK}\n\n{inner}")
    for block in article.blocks:
        if block.kind == "heading":
            parts.append(_heading(block.text, SECTION_ADORNMENTS[min(block.level, len(SECTION_ADORNMENTS)) - 1]))
        else:
            parts.append(escape_rst(block.text) + "\n")
    if article.dateline:
        parts.append(_classed_paragraph("pubflow-dateline", article.dateline))
    return "\n".join(parts)


# -- the stage -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    document: Path
    name: str
    article: Article
    written: bool


#: The front page when a project has none (``pubflow init`` writes one with the publication's name).
INDEX_TEMPLATE = """\
文章
====

.. pubflow-front-page::

.. toctree::
   :hidden:

"""


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


def default_name(article: Article, raw_path: Path) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", raw_path.stem.lower()).strip("-") or "article"
    if article.byline.iso_date and not stem.startswith(article.byline.iso_date):
        return f"{article.byline.iso_date}-{stem}"
    return stem


def import_article(config: ProjectConfig, raw_path: Path, name: str | None = None, force: bool = False) -> ImportResult:
    """Import one raw article as ``docs/<name>.rst`` and list it in ``docs/index.rst``."""
    raw_text = read_text(raw_path)
    refuse_control_characters(raw_text, raw_path, "which no article text needs")
    article = parse_article(raw_text, raw_path)
    name = default_name(article, raw_path) if name is None else name
    if not NAME_PATTERN.match(name) or len(name) > MAX_NAME_LENGTH:
        raise PubflowError(
            f"document name {_shorten(name)!r} must be lower-case letters, digits and hyphens, "
            f"at most {MAX_NAME_LENGTH} characters, "
            "for example 2017-09-25-international-law-enforcement-cooperation "
            "(for an article in a sub-folder of docs/, import it, then move its .rst and its line in "
            "docs/index.rst by hand)"
        )
    document = config.docs_dir / f"{name}.rst"
    index = config.docs_dir / "index.rst"
    if document == index or (document.exists() and ARTICLE_MARK not in read_text(document)):
        # --force replaces an article, never the front page or a page of the editors' own (status).
        raise PubflowError(f"is not an imported article; choose another --name than {name!r}", document)
    content = render_rst(article, raw_path.name)
    if document.exists() and not force and (existing := read_text(document)) != content:
        if _heading(article.title, "=") not in existing:
            # Another article under the same name (raw files named in Chinese all derive <date>-article).
            raise PubflowError(
                f"already holds another article; name this one with --name, as in pubflow import {raw_path} "
                f"--name {name}-2 (--force would replace the other article)",
                document,
            )
        raise PubflowError(
            "already exists and differs from this import; pass --force to replace it "
            "(its catalogs keep their translations)",
            document,
        )
    if not force:
        _refuse_a_second_copy(config, article, document, raw_path)
    listed = _index_listing(index, name)  # before anything is written: a front page with no toctree stops here
    written = write_atomic(document, content)
    if listed is not None:
        write_atomic(index, listed)
    return ImportResult(document, name, article, written)


def _refuse_a_second_copy(config: ProjectConfig, article: Article, document: Path, raw_path: Path) -> None:
    """An article already in docs/ under another name (same title and byline date) is not imported twice.

    A second copy would stand twice on every front page and in every feed, and its catalogs would
    ask the translators for the same work again.
    """
    if not article.byline.timestamp:
        return  # without a date, a shared title (a recurring column's) says nothing
    title = _heading(article.title, "=")
    date = f":pubflow-date: {article.byline.timestamp}\n"
    for existing in sorted(config.docs_dir.rglob("*.rst")):
        if existing == document:
            continue
        text = read_text(existing)
        if ARTICLE_MARK in text and text.startswith(date) and title in text:
            name = existing.relative_to(config.docs_dir).with_suffix("").as_posix()
            replace = (
                f"to replace that one, run pubflow import {raw_path} --name {name} --force, or "
                if existing.parent == config.docs_dir
                else ""  # --name cannot reach a sub-folder
            )
            raise PubflowError(
                f"is already in docs/ as {name!r} (same title and date); {replace}pass --force to import a second copy",
                raw_path,
            )


def _index_listing(index: Path, name: str) -> str | None:
    """The master toctree listing the document, newest name first; None when it already does."""
    text = read_text(index) if index.exists() else INDEX_TEMPLATE
    head, marker, tail = text.partition(".. toctree::")
    if not marker:
        raise PubflowError("has no '.. toctree::'; add one so that articles can be listed", index)
    options, entries = [], []
    for line in tail.splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith(":"):
            options.append(line)
        elif stripped:
            entries.append(stripped)
    if name in entries:
        return None
    entries = sorted([*entries, name], reverse=True)
    body = "\n".join(options) + "\n\n" + "".join(f"   {entry}\n" for entry in entries)
    return f"{head}{marker}\n{body}"
