"""The bilingual parallel edition (中英对照): each translatable unit beside its translation.

Built through Sphinx, from the catalogs, never from the monolingual HTML: with
``-D pubflow_bilingual=A:B`` the documents are read untranslated, and each
translatable unit (title, subtitle, byline, heading, paragraph, list item,
dateline) becomes a ``pair`` of two ``cell`` nodes, one per locale, each
parsed from its msgstr by Sphinx's own ``publish_msgstr`` and carrying its own
``lang``. A unit whose translation is missing or fuzzy shows the source with a
visible mark, never a silent duplicate.

HTML lays each pair out as one grid row, so a long paragraph never pushes
later pairs out of line; LaTeX uses paracol and synchronises the columns at
every pair.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import polib
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import publish_msgstr
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

from pubflow.checks.security import security_problems
from pubflow.compile import OUTDATED_FLAG
from pubflow.config import LocaleConfig
from pubflow.sphinxext.editions import project_config
from pubflow.sphinxext.latex import (
    TitleTexts,
    article_info,
    in_byline,
    is_cjk,
    language_switch,
    publication_name,
    title_block,
)
from pubflow.sphinxext.status import FUZZY, SOURCE_UPDATED, UNTRANSLATED, compiled_catalog, mark_label

logger = logging.getLogger(__name__)

KINDS = {
    "pubflow-subtitle": "subtitle",
    "pubflow-author": "byline",
    "pubflow-source": "byline",
    "pubflow-date": "byline",
    "pubflow-dateline": "dateline",
}
TITLE_PAGE_CLASSES = ("pubflow-subtitle", "pubflow-author", "pubflow-source", "pubflow-date")


class pair(nodes.General, nodes.Element):
    """Two cells, the same unit in two locales."""


class cell(nodes.General, nodes.Element):
    """One locale's text of a unit; ``lang`` is the language it is actually in."""


class cell_inline(nodes.Inline, nodes.TextElement):
    """A cell inside a heading, so that headings stay headings."""


def bilingual_locales(app: Sphinx) -> tuple[LocaleConfig, LocaleConfig] | None:
    value = app.config.pubflow_bilingual
    if not value:
        return None
    project = project_config(app)
    first, _, second = value.partition(":")
    return project.locale(first), project.locale(second)


@cache
def _catalog(path: Path, mtime: float) -> dict[str, tuple[str, bool, bool]]:
    """The catalog's translations (text, fuzzy, a correction's previous one); one the security check rejects
    counts as untranslated."""
    if not path.exists():
        return {}
    return {
        e.msgid: ("" if security_problems(e.msgid, e.msgstr) else e.msgstr, e.fuzzy, OUTDATED_FLAG in e.flags)
        for e in polib.pofile(str(path))
        if not e.obsolete
    }


def translation(app: Sphinx, locale: LocaleConfig, docname: str, msgid: str) -> tuple[str, str, str]:
    """(text, state, lang): the unit in ``locale``, or the source with its state when it has none."""
    project = project_config(app)
    source_lang = project.source.html_lang
    if locale.name == project.source_language:
        return msgid, "ok", source_lang
    # The catalog pubflow compiled, where corrections are settled (pubflow.corrections); the project's own in a
    # plain sphinx-build.
    path = compiled_catalog(app, locale.name, docname) or project.locale_dir / locale.name / "LC_MESSAGES" / (
        f"{docname}.po"
    )
    found = _catalog(path, path.stat().st_mtime if path.exists() else 0.0).get(msgid, ("", False, False))
    msgstr, fuzzy, outdated = found
    if not msgstr:
        return msgid, UNTRANSLATED, source_lang
    if fuzzy:
        return msgid, FUZZY, source_lang
    return msgstr, SOURCE_UPDATED if outdated else "ok", locale.html_lang


class BilingualPairs(SphinxTransform):
    default_priority = 990

    def apply(self, **kwargs: Any) -> None:
        locales = bilingual_locales(self.app)
        if locales is None or self.app.builder.name == "gettext":
            return
        latex = self.app.builder.format == "latex"
        docname = self.env.docname
        project = project_config(self.app)
        for loc in locales:
            # Sphinx does not translate here, so it would not see a changed catalog: make it a dependency.
            for path in (project.locale_dir / loc.name / "LC_MESSAGES" / f"{docname}.po",
                         compiled_catalog(self.app, loc.name, docname)):  # fmt: skip
                if path is not None and path.is_file():
                    self.env.note_dependency(str(path))
        title_meta: dict[str, list[tuple[str, str]]] = {}
        for node, msgid in list(extract_messages(self.document)):
            texts = [translation(self.app, loc, docname, msgid) for loc in locales]
            if isinstance(node, nodes.title):
                is_document_title = isinstance(node.parent, nodes.section) and isinstance(
                    node.parent.parent, nodes.document
                )
                if latex:
                    if is_document_title:
                        title_meta["title"] = [(t, lang) for t, _, lang in texts]
                    else:
                        heading = self.make_pair("heading", node, texts, locales, msgid)
                        node.parent.insert(node.parent.index(node) + 1, heading)
                    continue
                node.children = []
                for (text, state, lang), loc in zip(texts, locales, strict=True):
                    span = cell_inline(
                        "", "", lang=lang, locale=loc.name, classes=["pubflow-cell", *self.state_class(state)]
                    )
                    if state != "ok":
                        span += nodes.inline("", mark_label(state), classes=["pubflow-mark"])
                    span.extend(self.parse(text, node, loc.name))
                    node += span
                node["classes"].append("pubflow-pair-title")
                continue
            if not isinstance(node, nodes.paragraph):
                continue
            classes = [c for c in node.get("classes", []) if c.startswith("pubflow-")]
            if latex and classes and (classes[0] in TITLE_PAGE_CLASSES or in_byline(node)):
                title_meta[classes[0].removeprefix("pubflow-")] = [(t, lang) for t, _, lang in texts]
                node.parent.remove(node)
                continue
            kind = KINDS.get(classes[0], "paragraph") if classes else "paragraph"
            if isinstance(node.parent, nodes.list_item):
                kind = "list-item"
            node.replace_self(self.make_pair(kind, node, texts, locales, msgid))
        if latex and "title" in title_meta:
            self.add_latex_frame(title_meta, locales)

    @staticmethod
    def state_class(state: str) -> list[str]:
        return [] if state == "ok" else [state]

    def parse(self, text: str, node: nodes.Element, locale: str) -> list[nodes.Node]:
        # self.document.settings forbid file insertion and raw markup by now (see safety.py).
        parsed = publish_msgstr(self.app, text, node.source or "", node.line or 0, self.config, self.document.settings)
        if not isinstance(parsed, nodes.paragraph):
            return [nodes.Text(text)]
        children = list(parsed.children)
        holder = nodes.inline("", "", *children)
        self.resolve_names(holder, node, locale)
        return list(holder.children)

    def resolve_names(self, holder: nodes.Element, unit: nodes.Element, locale: str) -> None:
        """Resolve the text's references and substitutions against the document, as docutils did for the source.

        The text is parsed after docutils' own resolution has run: a name it
        left unresolved would reach the writer and crash Sphinx, so a name the
        document does not define becomes plain text and a warning at the unit's line.
        """
        for sub in list(holder.findall(nodes.substitution_reference)):
            definition = self.document.substitution_defs.get(sub["refname"])
            if definition is None:
                self.warn_undefined(unit, locale, f"substitution |{sub['refname']}|")
                sub.replace_self(nodes.Text(sub.astext()))
            else:
                sub.replace_self([child.deepcopy() for child in definition.children])
        for ref in list(holder.findall(nodes.Element)):
            if "refname" not in ref or "refuri" in ref or "refid" in ref:
                continue
            target_id = self.document.nameids.get(ref["refname"])
            target = self.document.ids.get(target_id) if target_id else None
            if isinstance(ref, nodes.reference) and target is not None:
                if "refuri" in target:
                    ref["refuri"] = target["refuri"]
                else:
                    ref["refid"] = target_id
                continue
            self.warn_undefined(unit, locale, f"reference {ref.astext()!r}")
            ref.replace_self(nodes.inline("", "", *ref.children) if ref.children else nodes.Text(ref.astext()))

    def warn_undefined(self, unit: nodes.Element, locale: str, what: str) -> None:
        logger.warning(
            f"the {locale} translation of this unit has a {what} that the document does not define; "
            f"fix the message in its catalog (pubflow check --locale {locale} names it)",
            location=(self.env.docname, unit.line),
        )

    def make_pair(
        self,
        kind: str,
        node: nodes.Element,
        texts: list[tuple[str, str, str]],
        locales: tuple[LocaleConfig, ...],
        msgid: str,
    ) -> pair:
        states = [state for _, state, _ in texts]
        # The msgid stays on the pair: the notes of each column are attached by it (see notes.py).
        unit = pair(
            "",
            kind=kind,
            msgid=msgid,
            classes=["pubflow-pair", f"pubflow-unit-{kind}", *[s for s in states if s != "ok"][:1]],
        )
        for (text, state, lang), loc in zip(texts, locales, strict=True):
            column = cell("", lang=lang, locale=loc.name, classes=["pubflow-cell", *self.state_class(state)])
            paragraph = nodes.paragraph("", "", classes=list(node.get("classes", [])))
            if state != "ok":
                paragraph += nodes.inline("", mark_label(state), classes=["pubflow-mark"])
            paragraph.extend(self.parse(text, node, loc.name))
            column += paragraph
            unit += column
        return unit

    def add_latex_frame(self, meta: dict[str, list[tuple[str, str]]], locales: tuple[LocaleConfig, ...]) -> None:
        top = next(iter(self.document.findall(nodes.section)))
        blocks = []
        for index in range(2):
            lang = meta["title"][index][1]
            texts = {key: values[index][0] for key, values in meta.items()}
            langs = {key: values[index][1] for key, values in meta.items() if values[index][1] != lang}
            blocks.append(TitleTexts(lang, texts, langs))
        info = article_info(self.app, self.env.docname, blocks[0].texts, locales[0].name)
        top.insert(1, nodes.raw("", title_block(blocks, publication_name(self.app), info), format="latex"))
        top.append(nodes.raw("", "\\end{paracol}\n", format="latex"))


# -- writers -------------------------------------------------------------------------------


def visit_pair_html(self: Any, node: pair) -> None:
    self.body.append(self.starttag(node, "div", ""))


def depart_pair_html(self: Any, node: pair) -> None:
    self.body.append("</div>\n")


def visit_cell_html(self: Any, node: cell) -> None:
    self.body.append(self.starttag(node, "div", "", lang=node["lang"]))


def depart_cell_html(self: Any, node: cell) -> None:
    self.body.append("</div>\n")


def visit_cell_inline_html(self: Any, node: cell_inline) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def depart_cell_inline_html(self: Any, node: cell_inline) -> None:
    self.body.append("</span>")


def visit_pair_latex(self: Any, node: pair) -> None:
    self.body.append("\n")


def depart_pair_latex(self: Any, node: pair) -> None:
    # Synchronise: the next pair starts level in both columns.
    self.body.append("\\switchcolumn*\n")


def visit_cell_latex(self: Any, node: cell) -> None:
    if node.parent.index(node) == 1:
        self.body.append("\\switchcolumn\n")
    kind = node.parent["kind"]
    size = {"heading": r"\large\bfseries\raggedright ", "dateline": r"\raggedleft "}.get(kind, "")
    self.body.append(f"\\begingroup{language_switch(node['lang'])}{paragraph_style(node['lang'], kind)}{size}")


def paragraph_style(lang: str, kind: str) -> str:
    """Chinese indents every paragraph by two characters; Latin text in a narrow column is set
    ragged right, hyphenated, as justification would open rivers of space in it."""
    indent = "0pt" if kind in {"heading", "dateline"} else "2em" if is_cjk(lang) else "1em"
    return ("" if is_cjk(lang) else r"\RaggedRight") + rf"\parindent={indent}\relax "


def depart_cell_latex(self: Any, node: cell) -> None:
    self.body.append("\\par\\endgroup\n")


def visit_cell_inline_latex(self: Any, node: cell_inline) -> None:
    self.body.append("{")


def depart_cell_inline_latex(self: Any, node: cell_inline) -> None:
    self.body.append("}")


BILINGUAL_PREAMBLE = r"""
\usepackage{paracol}
\setlength{\columnsep}{1.6em}
\columnratio{0.44}
\usepackage{ragged2e}
% Headings are pairs in the columns; Sphinx's own \section commands print nothing.
\RenewDocumentCommand\section{s O{} m}{}
\RenewDocumentCommand\subsection{s O{} m}{}
\setlength{\parindent}{0pt}
"""


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if not config.pubflow_bilingual:
        return
    # The units are paired from the catalogs here, so Sphinx must not translate them itself.
    config.locale_dirs = []
    config.translation_progress_classes = False
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + BILINGUAL_PREAMBLE
    # Each cell sets its own punctuation (see latex.language_switch), as the single-language editions do.
    first, _, second = config.pubflow_bilingual.partition(":")
    config.latex_elements = elements
    config.latex_documents = [
        (doc, f"{Path(target).stem}.{first}-{second}.tex", *rest) for doc, target, *rest in config.latex_documents
    ]


def setup(app: Sphinx) -> None:
    app.add_config_value("pubflow_bilingual", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited, priority=800)
    app.add_node(pair, html=(visit_pair_html, depart_pair_html), latex=(visit_pair_latex, depart_pair_latex))
    app.add_node(cell, html=(visit_cell_html, depart_cell_html), latex=(visit_cell_latex, depart_cell_latex))
    app.add_node(
        cell_inline,
        html=(visit_cell_inline_html, depart_cell_inline_html),
        latex=(visit_cell_inline_latex, depart_cell_inline_latex),
    )
    app.add_transform(BilingualPairs)
