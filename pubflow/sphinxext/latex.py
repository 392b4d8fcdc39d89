"""PDF editions through Sphinx's LaTeX builder and xelatex.

- fonts per edition: Noto Serif/Sans CJK SC for zh_CN, TC for zh_TW (HK for
  zh_HK), Noto Serif for English with CJK fallback through xeCJK;
- one PDF per article, named after the document;
- a title page made from the translated document itself (title, subtitle,
  author, source, date), never from Sphinx's project or author settings;
- running heads with the article's title and source, in the edition's language;
- A4, no table of contents, no index, and a missing glyph is logged so that
  the build can fail on it.
"""

from __future__ import annotations

import glob
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.texescape import escape as tex_escape

from pubflow.shard import Shard, parse_shard, tex_stem
from pubflow.shard import article_documents as shard_articles
from pubflow.sphinxext.editions import project_config

CJK_REGION = {"zh_CN": "SC", "zh_SG": "SC", "zh_TW": "TC", "zh_HK": "HK", "zh_MO": "HK", "ja": "JP", "ko": "KR"}
META_CLASSES = ("pubflow-subtitle", "pubflow-author", "pubflow-source", "pubflow-date")


def cjk_region(language: str) -> str:
    return CJK_REGION.get(language, "SC")


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
    if language.startswith("zh"):
        extra = r"\AtBeginDocument{\setlength{\parindent}{2em}}"
    else:
        # Chinese is only a fallback here: quotation marks and dashes belong to the Latin font.
        extra = r'\xeCJKDeclareCharClass{Default}{"2013,"2014,"2018,"2019,"201C,"201D,"2026}'
    return latin + cjk + extra + "\n"


PREAMBLE = r"""
% The mark Sphinx puts on an untranslated paragraph (see pubflow.sphinxext.status).
\expandafter\def\csname DUrolepubflow-mark\endcsname#1{\fbox{\scriptsize\sffamily #1}\ }
% A glyph missing from every font is logged; pubflow fails the build on it.
\tracinglostchars=2
\emergencystretch=3em
\setcounter{secnumdepth}{0}
\usepackage[fit]{truncate}
\setlength{\parskip}{0.3\baselineskip}
\def\pubflowheadtitle{}
\def\pubflowheadsource{}
\makeatletter
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[L]{\small\truncate{0.64\headwidth}{\pubflowheadtitle}}%
  \fancyhead[R]{\small\truncate{0.34\headwidth}{\pubflowheadsource}}%
  \fancyfoot[C]{\small\thepage}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\small\thepage}\renewcommand{\headrulewidth}{0pt}}
\makeatother
"""


#: hyperref as Sphinx loads it, with what lets one xelatex pass make the final PDF: the bookmark
#: package writes the outline in the same pass (hyperref alone writes it on the next one), and
#: the page labels come from the title page (:func:`title_page`), not from the last pass's .aux.
HYPERREF = r"""\PassOptionsToPackage{pdfpagelabels=false}{hyperref}
% Include hyperref last.
\usepackage{hyperref}
% Fix anchor placement for figures with captions.
\usepackage{hypcap}% it must be loaded after hyperref.
\usepackage{bookmark}
% Set up styles of URL: it should be placed after hyperref.
\urlstyle{same}"""

#: The page labels hyperref would write on a second pass: the title page is 1, and the text
#: starts again at 1, as its footers say.
PAGE_LABELS = r"\special{pdf:put @catalog <</PageLabels <</Nums [0 <</S/D>> 1 <</S/D>>]>>>>}"


def article_documents(app: Sphinx) -> list[str]:
    """The articles this build typesets: all of them, or those of its ``pubflow_shard`` (K/N)."""
    shard = parse_shard(app.config.pubflow_shard) if app.config.pubflow_shard else Shard()
    return [doc for doc in shard_articles(project_config(app).docs_dir) if shard.holds(doc)]


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
        "fontpkg": font_setup(language),
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


def title_page(blocks: list[tuple[str, dict[str, str]]]) -> str:
    """A title page with one block per language: (font switch, title, subtitle, author, source, date)."""
    lines = [r"\begin{titlepage}", PAGE_LABELS, r"\thispagestyle{empty}\vspace*{0.18\textheight}"]
    for number, (font, meta) in enumerate(blocks):
        esc = {key: tex_escape(meta.get(key, "")) for key in ("title", "subtitle", "author", "source", "date")}
        if number:
            lines.append(r"\vspace{3em}")
        lines.append(rf"{{{font}\raggedright\sffamily\bfseries\fontsize{{22}}{{30}}\selectfont {esc['title']}\par}}")
        if esc["subtitle"]:
            lines.append(rf"\vspace{{1em}}{{{font}\raggedright\Large {esc['subtitle']}\par}}")
        lines.append(r"\vspace{1.5em}\noindent\rule{\linewidth}{0.6pt}\par\vspace{0.8em}")
        for key in ("author", "source", "date"):
            if esc[key]:
                lines.append(rf"{{{font}\raggedright\large {esc[key]}\par}}\vspace{{0.3em}}")
    first = {key: tex_escape(blocks[0][1].get(key, "")) for key in ("title", "author", "source")}
    head_font = blocks[0][0]
    lines += [
        r"\end{titlepage}",
        rf"\def\pubflowheadtitle{{{head_font}{first['title']}}}",
        rf"\def\pubflowheadsource{{{head_font}{first['source']}}}",
        rf"\hypersetup{{pdftitle={{{first['title']}}},pdfauthor={{{first['author']}}}}}",
        r"\pagestyle{normal}",
    ]
    return "\n".join(lines) + "\n"


def make_title_page(tree: nodes.document) -> None:
    """Replace the article's heading block (subtitle, byline) with a title page.

    The top section's title stays: Sphinx's LaTeX writer takes the first title as
    the document's and prints none of it, so its sections become \\section.
    """
    top = next(iter(tree.findall(nodes.section)), None)
    if top is None or not isinstance(top[0], nodes.title):
        return
    title = plain_text(top[0])
    meta = {key.removeprefix("pubflow-"): _text_of(top, key) for key in META_CLASSES}
    for node in list(top.findall(nodes.Element)):
        if set(node.get("classes", [])) & {*META_CLASSES, "pubflow-byline"} and node.parent is not None:
            node.parent.remove(node)
    top.insert(1, nodes.raw("", title_page([("", {"title": title, **meta})]), format="latex"))


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "latex" and not app.config.pubflow_bilingual:
        make_title_page(doctree)


def setup(app: Sphinx) -> None:
    # The share changes no document itself; the articles it leaves out are excluded (see above).
    app.add_config_value("pubflow_shard", "", "", types=[str])
    app.connect("config-inited", _on_config_inited, priority=700)
    app.connect("doctree-resolved", _on_doctree_resolved)
