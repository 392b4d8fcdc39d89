"""PDF editions through Sphinx's LaTeX builder and xelatex.

- fonts per edition: Noto Serif/Sans CJK SC for zh_CN, TC for zh_TW (HK for
  zh_HK), Noto Serif for English with CJK fallback through xeCJK;
- one PDF per article, named after the document;
- a title block at the top of page one made from the translated document
  itself (title, subtitle, author, source, date), never from Sphinx's project
  or author settings, and no title page of its own: a brief fits one page;
- Chinese paragraphs indented by two characters, the first after a heading too;
- running heads with the publication's name and the article's title;
- the PDF's metadata (title, author, subject, language, date) from the same
  texts, written as hexadecimal strings that no text can break out of;
- A4, no table of contents, no index, and a missing glyph is logged so that
  the build can fail on it.
"""

from __future__ import annotations

import glob
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.texescape import escape as tex_escape

from pubflow.policy import edition_name as policy_edition
from pubflow.shard import Shard, parse_shard, tex_stem
from pubflow.shard import article_documents as shard_articles
from pubflow.sphinxext.editions import held_back_in, project_config

CJK_REGION = {"zh_CN": "SC", "zh_SG": "SC", "zh_TW": "TC", "zh_HK": "HK", "zh_MO": "HK", "ja": "JP", "ko": "KR"}
META_CLASSES = ("pubflow-subtitle", "pubflow-author", "pubflow-source", "pubflow-date")
META_KEYS = ("title", "subtitle", "author", "source", "date", "dateline")
#: The byline's own fields; a dateline is the byline's when it stands in it (pubflow import puts an
#: opening dateline there) and stays in the text when it closes the article.
BYLINE_FIELDS = ("author", "source", "date", "dateline")


def cjk_region(language: str) -> str:
    return CJK_REGION.get(language, "SC")


def is_cjk(language: str) -> bool:
    """Whether text in ``language`` (zh_TW or zh-TW) is set by xeCJK's rules."""
    return language.replace("-", "_").split("_")[0] in {"zh", "ja", "ko"}


#: Quotation marks, dashes and the ellipsis: xeCJK sets them as full-width CJK punctuation
#: (opening: ‘ “; closing: the others), which Latin text must not get.
OPENING_MARKS = ("2018", "201C")
CLOSING_MARKS = ("2013", "2014", "2019", "201D", "2026")


def punctuation_switches() -> str:
    r"""``\pubflowcjkpunctuation`` and ``\pubflowlatinpunctuation``: who sets those marks from here on.

    xeCJK's classes are read right after it is loaded, so that a Chinese column
    can take the marks back after a Latin one had them. Assignments of
    ``\XeTeXcharclass`` are local, like ``\catcode``: each switch holds for its group.
    """

    def assign(codes: tuple[str, ...], value: str) -> str:
        return "".join(rf'\XeTeXcharclass"{code}={value}' for code in codes)

    cjk = assign(OPENING_MARKS, r"\pubflowopeningclass ") + assign(CLOSING_MARKS, r"\pubflowclosingclass ")
    latin = assign(OPENING_MARKS + CLOSING_MARKS, "0 ")
    return (
        r'\chardef\pubflowopeningclass=\XeTeXcharclass"201C' + "\n"
        r'\chardef\pubflowclosingclass=\XeTeXcharclass"201D' + "\n"
        rf"\def\pubflowcjkpunctuation{{{cjk}}}" + "\n"
        rf"\def\pubflowlatinpunctuation{{{latin}}}" + "\n"
    )


#: Japanese line breaking (JIS X 4051's kinsoku): no line starts with a small kana or the long-vowel mark
#: (っ, ゃ, ー …), which xeCJK, made for Chinese, allows. Declared as closing characters, which never
#: start a line; these are xeCJK's own list of them (its "CJ" class, Unicode's conditional starters).
SMALL_KANA = (
    "3041,3043,3045,3047,3049,3063,3083,3085,3087,308E,3095,3096,30A1,30A3,30A5,30A7,30A9,30C3,30E3,30E5,"
    "30E7,30EE,30F5,30F6,30FC,31F0,31F1,31F2,31F3,31F4,31F5,31F6,31F7,31F8,31F9,31FA,31FB,31FC,31FD,31FE,31FF"
)
JAPANESE_LINE_BREAKING = (
    r"\xeCJKDeclareCharClass{FullRight}{" + ",".join(f'"{code}' for code in SMALL_KANA.split(",")) + "}"
)
#: Korean puts spaces between words, which xeCJK drops between CJK characters unless told to keep them;
#: a line may break between syllables, as Korean typesetting does, and at the spaces.
KOREAN_LINE_BREAKING = r"\xeCJKsetup{CJKspace=true}"


def font_setup(language: str) -> str:
    region = cjk_region(language)
    latin = r"""
\usepackage{fontspec}
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono CJK SC}[Scale=0.9]
"""
    cjk = rf"""
\usepackage{{xeCJK}}
\setCJKmainfont{{Noto Serif CJK {region}}}
\setCJKsansfont{{Noto Sans CJK {region}}}
\setCJKmonofont{{Noto Sans Mono CJK {region}}}
"""
    if language.startswith(("zh", "ja")):
        # Chinese and Japanese indent every paragraph by one or two characters, the first after a heading too.
        indent = "1em" if language.startswith("ja") else "2em"
        extra = rf"\usepackage{{indentfirst}}\AtBeginDocument{{\setlength{{\parindent}}{{{indent}}}}}"
        if language.startswith("ja"):
            extra += JAPANESE_LINE_BREAKING
    elif language.startswith("ko"):
        extra = KOREAN_LINE_BREAKING + r"\pubflowlatinpunctuation"  # Korean sets “ ” and dashes as Latin text does
    else:
        # Chinese is only a fallback here: quotation marks and dashes belong to the Latin font.
        extra = r"\pubflowlatinpunctuation"
    return latin + cjk + punctuation_switches() + extra + "\n"


PREAMBLE = r"""
% The mark Sphinx puts on an untranslated paragraph (see pubflow.sphinxext.status), its frame close
% enough to stay within the line.
\expandafter\def\csname DUrolepubflow-mark\endcsname#1{{\fboxsep=1.5pt\fbox{\scriptsize\sffamily #1}}\ }
% A glyph missing from every font is logged; pubflow fails the build on it.
\tracinglostchars=2
\emergencystretch=3em
% One word space after a full stop or a colon, as publishers set English today.
\frenchspacing
\setcounter{secnumdepth}{0}
\usepackage[fit]{truncate}
\setlength{\parskip}{0.3\baselineskip}
\def\pubflowheadtitle{}
\def\pubflowheadname{}
\makeatletter
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[L]{\small\truncate{0.36\headwidth}{\pubflowheadname}}%
  \fancyhead[R]{\small\truncate{0.62\headwidth}{\pubflowheadtitle}}%
  \fancyfoot[C]{\small\thepage}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\small\thepage}\renewcommand{\headrulewidth}{0pt}}
\makeatother
"""


#: hyperref as Sphinx loads it, with what lets one xelatex pass make the final PDF: the bookmark
#: package writes the outline in the same pass (hyperref alone writes it on the next one), and no
#: page labels (the pages are numbered from 1 as printed, which needs none).
HYPERREF = r"""\PassOptionsToPackage{pdfpagelabels=false}{hyperref}
% Include hyperref last.
\usepackage{hyperref}
% Fix anchor placement for figures with captions.
\usepackage{hypcap}% it must be loaded after hyperref.
\usepackage{bookmark}
% Set up styles of URL: it should be placed after hyperref.
\urlstyle{same}"""


def article_documents(app: Sphinx) -> list[str]:
    """The articles this build typesets: all of them, or those of its ``pubflow_shard`` (K/N)."""
    shard = parse_shard(app.config.pubflow_shard) if app.config.pubflow_shard else Shard()
    held = held_back_in(app)
    edition = policy_edition(app.config.language or project_config(app).source_language, app.config.pubflow_bilingual)
    return [
        doc
        for doc in shard_articles(project_config(app).docs_dir)
        if shard.holds(doc) and doc not in held.get(edition, ())
    ]


def _on_config_inited(app: Sphinx, config: Config) -> None:
    language = config.language or "zh_CN"
    config.latex_engine = "xelatex"
    config.latex_theme = "howto"
    config.latex_toplevel_sectioning = "section"
    # Sphinx gives Japanese the platex classes (jreport), which xelatex cannot load; xeCJK sets Japanese too.
    config.latex_docclass = {"howto": "article", "manual": "report"}
    mine = article_documents(app)
    config.latex_documents = [(doc, f"{tex_stem(doc)}.tex", "", "", "howto", False) for doc in mine]
    if config.pubflow_shard:
        # A share's run reads only its own articles; the front page's toctree still names the others.
        theirs = sorted(set(shard_articles(project_config(app).docs_dir)) - set(mine))
        config.exclude_patterns = [*config.exclude_patterns, *(glob.escape(f"{doc}.rst") for doc in theirs)]
        config.suppress_warnings = [*config.suppress_warnings, "toc.excluded"]
    elements: dict[str, Any] = {
        "papersize": "a4paper",
        "pointsize": "11pt",
        "geometry": r"\usepackage[a4paper,top=25mm,bottom=25mm,left=25mm,right=25mm,headheight=14pt]{geometry}",
        "fontpkg": font_setup(language) + CJK_FAMILIES + "\n",
        "fontenc": "",
        "babel": "",
        "polyglossia": "",
        "preamble": PREAMBLE,
        "hyperref": HYPERREF,
        "maketitle": "",
        "tableofcontents": "",
        "printindex": "",
        "releasename": "",
        "fncychap": "",
        "extraclassoptions": "openany,oneside",
        "sphinxsetup": "TitleColor={rgb}{0.1,0.1,0.1}, InnerLinkColor={rgb}{0.2,0.2,0.2}",
    }
    config.latex_elements = {**elements, **config.latex_elements}
    config.latex_show_urls = "no"
    config.latex_domain_indices = False


def plain_text(node: nodes.Element) -> str:
    """The node's text without pubflow's "not yet translated" marks."""
    copy = node.deepcopy()
    for mark in list(copy.findall(lambda n: isinstance(n, nodes.inline) and "pubflow-mark" in n["classes"])):
        mark.parent.remove(mark)
    return copy.astext()


def _text_of(tree: nodes.Element, css_class: str) -> str:
    for node in tree.findall(nodes.paragraph):
        if css_class in node.get("classes", []):
            return plain_text(node)
    return ""


def in_byline(node: nodes.Element) -> bool:
    return isinstance(node.parent, nodes.Element) and "pubflow-byline" in node.parent.get("classes", [])


def byline_dateline(tree: nodes.Element) -> str:
    """The dateline that stands in the byline (新华社昆明11月5日电（记者 李明）), not one that closes the text."""
    for node in tree.findall(nodes.paragraph):
        if "pubflow-dateline" in node.get("classes", []) and in_byline(node):
            return plain_text(node)
    return ""


def language_switch(lang: str, sans: bool = False) -> str:
    """The LaTeX that sets what follows in ``lang`` (a BCP 47 tag such as zh-TW or en): CJK face and punctuation.

    It comes after any ``\\sffamily``, which would otherwise choose the edition's own CJK face.
    """
    style = "Sans" if sans else ""
    if is_cjk(lang):
        # Korean sets quotation marks and dashes as Latin text does, as its own edition does (font_setup).
        punctuation = r"\pubflowlatinpunctuation" if lang.startswith("ko") else r"\pubflowcjkpunctuation"
        return rf"\CJKfamily{{pubflow{style}{cjk_region(lang.replace('-', '_'))}}}{punctuation} "
    # Chinese left in Latin text (a name) is set in Simplified glyphs; the marks belong to the Latin font.
    return rf"\CJKfamily{{pubflow{style}SC}}\pubflowlatinpunctuation "


#: The CJK faces language_switch names, declared in every edition.
CJK_FAMILIES = "".join(
    rf"\setCJKfamilyfont{{pubflow{region}}}{{Noto Serif CJK {region}}}"
    rf"\setCJKfamilyfont{{pubflowSans{region}}}{{Noto Sans CJK {region}}}"
    for region in ("SC", "TC", "HK", "JP", "KR")
)


def pdf_text(text: str) -> str:
    """A PDF text string as UTF-16 hexadecimal: nothing in ``text`` can end it or reach the PDF's syntax."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_date(timestamp: str, utc_offset: str) -> str | None:
    """``2017-09-25T10:15:37`` at ``+08:00`` as a PDF date, ``D:20170925101537+08'00'``; None when no date."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    sign, hours, minutes = utc_offset[0], utc_offset[1:3], utc_offset[4:6]
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours}'{minutes}'"


#: A byline field's label (作者：, Source:, By) is not part of the PDF's author.
FIELD_LABEL = re.compile(r"^(?:[^:：\s]{1,12}\s*[:：]\s*|by\s+)", re.IGNORECASE)


@dataclass(frozen=True)
class PdfInfo:
    """What the PDF says about itself: document information and its language."""

    title: str
    author: str = ""
    subject: str = ""
    language: str = ""  # BCP 47
    date: str | None = None  # a PDF date (see pdf_date)

    def special(self) -> str:
        """xdvipdfmx's specials for the information dictionary and the catalog's /Lang."""
        fields = {"Title": self.title, "Author": FIELD_LABEL.sub("", self.author), "Subject": self.subject}
        entries = [f"/{key} {pdf_text(value)}" for key, value in fields.items() if value]
        if self.date and re.fullmatch(r"D:\d{14}[+-]\d\d'\d\d'", self.date):
            entries.append(f"/CreationDate ({self.date})")
        lines = [rf"\special{{pdf:docinfo <<{' '.join(entries)}>>}}"]
        if self.language:
            lines.append(rf"\special{{pdf:put @catalog <</Lang {pdf_text(self.language)}>>}}")
        return "\n".join(lines)


@dataclass
class TitleTexts:
    """One language's title, subtitle and byline for the title block.

    ``lang`` is the block's language (its title's, a BCP 47 tag); a field shown in another one (a
    subtitle translated while the title is not yet) names it in ``langs``.
    """

    lang: str
    texts: dict[str, str]
    langs: dict[str, str] = field(default_factory=dict)

    def switch(self, key: str, sans: bool = False) -> str:
        return language_switch(self.langs.get(key, self.lang), sans)


def _meta_block(block: TitleTexts, title_size: str) -> list[str]:
    esc = {key: tex_escape(block.texts.get(key, "")) for key in META_KEYS}
    lines = [rf"{{\sffamily\bfseries{block.switch('title', sans=True)}{title_size}\selectfont {esc['title']}\par}}"]
    if esc["subtitle"]:
        lines.append(rf"\vspace{{0.6em}}{{{block.switch('subtitle')}\large {esc['subtitle']}\par}}")
    lines.append(r"\vspace{0.9em}")
    lines += [rf"{{\small\sffamily{block.switch(key, sans=True)}{esc[key]}\par}}" for key in BYLINE_FIELDS if esc[key]]
    return lines


def title_block(blocks: list[TitleTexts], publication: str, info: PdfInfo) -> str:
    """The top of page one: the publication's name, then per language the title, subtitle, author,
    source, date and the byline's dateline; no page of its own, so that a short article fits one page.

    One block spans the text; two stand side by side in paracol's columns, which
    stay open for the pairs that follow (:mod:`pubflow.sphinxext.bilingual` closes them).
    Also sets the running heads (the publication's name, the article's title) and
    the PDF's metadata (see :class:`PdfInfo`).
    """
    head_lang = blocks[0].lang
    name = tex_escape(publication)
    lines = [
        r"\pagestyle{normal}\thispagestyle{plain}",
        info.special(),
        r"\begingroup\raggedright\setlength{\parindent}{0pt}\setlength{\parskip}{0pt}",
        rf"{{\small\sffamily{language_switch(head_lang, sans=True)}{name}\par}}\vspace{{0.3em}}\hrule\vspace{{1.6em}}",
    ]
    if len(blocks) == 1:
        lines += _meta_block(blocks[0], r"\fontsize{20}{27}")
        lines.append(r"\vspace{0.9em}\hrule\endgroup\vspace{1.4em}")
    else:
        lines.append(r"\endgroup\begin{paracol}{2}")
        for number, block in enumerate(blocks):
            if number:
                lines.append(r"\switchcolumn")
            lines.append(r"\begingroup\raggedright\setlength{\parindent}{0pt}\setlength{\parskip}{0pt}")
            lines += _meta_block(block, r"\fontsize{16}{22}")
            lines.append(r"\par\endgroup")
        lines.append(r"\switchcolumn*[{\vspace{0.6em}\noindent\rule{\linewidth}{0.4pt}\par\vspace{1em}}]")
    title = tex_escape(blocks[0].texts.get("title", ""))
    lines += [
        rf"\def\pubflowheadname{{{language_switch(head_lang)}{name}}}",
        rf"\def\pubflowheadtitle{{{language_switch(head_lang)}{title}}}",
    ]
    return "\n".join(lines) + "\n"


def publication_name(app: Sphinx) -> str:
    """The publication's name as this edition gives it: its front page's title, translated like any
    message (as the HTML masthead has it), or ``name`` when there is none."""
    title = app.env.titles.get(app.config.root_doc)
    text = plain_text(title).strip() if title is not None else ""
    return text or project_config(app).name


def article_info(app: Sphinx, docname: str, meta: dict[str, str], language: str) -> PdfInfo:
    project = project_config(app)
    published = str(app.env.metadata.get(docname, {}).get("pubflow-date", ""))
    return PdfInfo(
        title=meta.get("title", ""),
        author=meta.get("author", ""),
        subject=meta.get("subtitle", ""),
        language=language.replace("_", "-"),
        date=pdf_date(published, project.timezone) if published else None,
    )


def make_title_block(app: Sphinx, tree: nodes.document, docname: str) -> None:
    """Replace the article's heading block (subtitle, byline) with the title block of page one.

    The top section's title stays: Sphinx's LaTeX writer takes the first title as
    the document's and prints none of it, so its sections become \\section.
    """
    top = next(iter(tree.findall(nodes.section)), None)
    if top is None or not isinstance(top[0], nodes.title):
        return
    title = plain_text(top[0])
    meta = {"title": title, **{key.removeprefix("pubflow-"): _text_of(top, key) for key in META_CLASSES}}
    meta["dateline"] = byline_dateline(top)
    for node in list(top.findall(nodes.Element)):
        if set(node.get("classes", [])) & {*META_CLASSES, "pubflow-byline"} and node.parent is not None:
            node.parent.remove(node)
    language = app.config.language or "zh_CN"
    info = article_info(app, docname, meta, language)
    block = title_block([TitleTexts(language.replace("_", "-"), meta)], publication_name(app), info)
    top.insert(1, nodes.raw("", block, format="latex"))


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "latex" and not app.config.pubflow_bilingual:
        make_title_block(app, doctree, docname)


class IgnoreBabelLanguage(logging.Filter):
    """Sphinx warns when LaTeX's Babel has no option for the edition's language (Korean).

    pubflow loads no Babel package: fontspec and xeCJK set every language (see ``font_setup``), so the
    warning says nothing, and with -W it would fail a Korean PDF.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("no Babel option known for language")


def setup(app: Sphinx) -> None:
    for name in ("sphinx.sphinx.builders.latex", "sphinx.sphinx.writers.latex"):  # Sphinx's loggers for LaTeX
        latex_logger = logging.getLogger(name)
        if not any(isinstance(f, IgnoreBabelLanguage) for f in latex_logger.filters):
            latex_logger.addFilter(IgnoreBabelLanguage())
    # The share changes no document itself; the articles it leaves out are excluded (see above).
    app.add_config_value("pubflow_shard", "", "", types=[str])
    app.connect("config-inited", _on_config_inited, priority=700)
    app.connect("doctree-resolved", _on_doctree_resolved)
