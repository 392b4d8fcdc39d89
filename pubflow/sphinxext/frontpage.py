"""The front page of an edition: its articles, newest first, each with its translation state.

Four phases, as Sphinx's own collectors and directives have them:

- **collect** (:class:`CollectArticle`, a transform that runs after the
  untranslated units are marked and the bilingual pairs are made): per article
  (a document with a ``pubflow-byline``), its title, subtitle, author and lead
  paragraph as the edition shows them, each text with the language it is in,
  and the date of the ``:pubflow-date:`` field that the importer wrote from the
  byline; :class:`ArticleCollector` keeps these records in the environment;
- **place** (the ``pubflow-front-page`` directive): a placeholder, so that the
  list is never extracted as a message;
- **count** (``env-updated``): each article's catalogs, counted by
  :mod:`pubflow.coverage`, kept in the environment and counted again only when
  a catalog changes;
- **resolve** (``doctree-resolved``): the placeholder becomes the list. The
  front page is read again whenever an article or one of its catalogs changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from pubflow.catalog import load_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.coverage import count_catalog
from pubflow.review import record_path
from pubflow.sphinxext.bilingual import cell, cell_inline, pair
from pubflow.sphinxext.dates import date_nodes, edition_locales, parse_published
from pubflow.sphinxext.editions import lang_span, project_config
from pubflow.sphinxext.labels import _
from pubflow.sphinxext.pdflinks import pdf_url

logger = logging.getLogger(__name__)

#: A text and the BCP 47 language it is actually in (the source's, where a translation is missing).
Text = tuple[str, str]

ORIGINAL, COMPLETE, PARTIAL, OUTDATED, UNTRANSLATED = "original", "complete", "partial", "outdated", "untranslated"
#: Complete, but some of it is machine output nobody reviewed yet: OpenCC's (CONVERTED) or the memory's.
CONVERTED, UNREVIEWED = "converted", "unreviewed"
#: Worst last: a bilingual edition shows the worst state of its two locales.
STATE_ORDER = (ORIGINAL, COMPLETE, UNREVIEWED, CONVERTED, PARTIAL, OUTDATED, UNTRANSLATED)
#: The states in which an article reads as a whole translation (the feed lists these).
WHOLE = (ORIGINAL, COMPLETE, UNREVIEWED, CONVERTED)
META_FIELDS = {"subtitle": "pubflow-subtitle", "author": "pubflow-author"}


def state_label(state: str) -> str:
    return {
        ORIGINAL: _("Original"),
        COMPLETE: _("Translation complete"),
        CONVERTED: _("Converted automatically, not yet reviewed"),
        UNREVIEWED: _("Translation not yet reviewed"),
        PARTIAL: _("Partly translated"),
        OUTDATED: _("Translation outdated"),
        UNTRANSLATED: _("Not yet translated"),
    }[state]


@dataclass
class ArticleRecord:
    """What the front page and the feed need of one article, in one edition's languages."""

    docname: str
    published: str  # ISO 8601, from :pubflow-date:; empty when the document has none
    title: list[Text]
    subtitle: list[Text] = field(default_factory=list)
    author: list[Text] = field(default_factory=list)
    summary: list[Text] = field(default_factory=list)

    @property
    def published_at(self) -> datetime | None:
        return parse_published(self.published)


# -- collect -------------------------------------------------------------------------------


def records(env: BuildEnvironment) -> dict[str, ArticleRecord]:
    if not hasattr(env, "pubflow_articles"):
        env.pubflow_articles = {}  # type: ignore[attr-defined]
    return env.pubflow_articles  # type: ignore[attr-defined]


def front_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "pubflow_front_pages"):
        env.pubflow_front_pages = set()  # type: ignore[attr-defined]
    return env.pubflow_front_pages  # type: ignore[attr-defined]


def _language_of(node: nodes.Element, edition_lang: str, source_lang: str) -> str:
    for ancestor in _ancestors(node):
        if isinstance(ancestor, cell | cell_inline):
            return str(ancestor["lang"])
    return source_lang if "untranslated" in node.get("classes", []) else edition_lang


def _ancestors(node: nodes.Node) -> Iterable[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _unit(paragraph: nodes.paragraph) -> list[nodes.paragraph]:
    """The paragraph, or in a bilingual edition every column's paragraph of its pair."""
    for ancestor in _ancestors(paragraph):
        if isinstance(ancestor, pair):
            return list(ancestor.findall(nodes.paragraph))
    return [paragraph]


#: Inline marks that are not the article's text: "not yet translated" labels and note numbers.
NOT_TEXT = ("pubflow-mark", "pubflow-note-ref")


def _is_not_text(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and any(c in node["classes"] for c in NOT_TEXT)


def text_of(node: nodes.Element) -> str:
    copy = node.deepcopy()
    for mark in list(copy.findall(_is_not_text)):
        mark.parent.remove(mark)
    return copy.astext().strip()


def _texts(elements: Sequence[nodes.Element], edition_lang: str, source_lang: str) -> list[Text]:
    return [(text_of(e), _language_of(e, edition_lang, source_lang)) for e in elements]


def title_texts(title: nodes.title, edition_lang: str, source_lang: str) -> list[Text]:
    columns = [child for child in title.children if isinstance(child, cell_inline)]
    if columns:
        return [(text_of(c), str(c["lang"])) for c in columns]
    return _texts([title], edition_lang, source_lang)


def _outside_the_body(node: nodes.Node) -> bool:
    """In the byline, or in an editor's or translator's note (pubflow.sphinxext.notes)."""
    for ancestor in _ancestors(node):
        if isinstance(ancestor, nodes.footnote):
            return True
        classes = ancestor.get("classes", [])
        if "pubflow-byline" in classes or any(c.startswith("pubflow-note") for c in classes):
            return True
    return False


def _is_byline_container(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "pubflow-byline" in node.get("classes", [])


class ArticleCollector(EnvironmentCollector):
    """Keeps each article's front-page record, and which documents hold a front page."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        records(env).pop(docname, None)
        front_pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str], other: BuildEnvironment
    ) -> None:
        for docname in docnames:
            if docname in records(other):
                records(env)[docname] = records(other)[docname]
            if docname in front_pages(other):
                front_pages(env).add(docname)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(True for _node in doctree.findall(front_page)):
            front_pages(app.env).add(app.env.docname)


class CollectArticle(SphinxTransform):
    """Record the article as the edition shows it.

    A transform rather than a ``doctree-read`` handler, which Sphinx emits at
    priority 880: this runs after the untranslated units are marked (950, 960)
    and the bilingual pairs are made (990).
    """

    default_priority = 999

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext" or not any(True for _n in self.document.findall(_is_byline_container)):
            return
        docname = self.env.docname
        project = project_config(self.app)
        edition_lang = project.locale(self.config.language or project.source_language).html_lang
        source_lang = project.source.html_lang
        title = next(iter(self.document.findall(nodes.title)), None)
        if title is None:
            return
        record = ArticleRecord(
            docname=docname,
            published=str(self.env.metadata[docname].get("pubflow-date", "")),
            title=title_texts(title, edition_lang, source_lang),
        )
        paragraphs = [p for p in self.document.findall(nodes.paragraph) if not _in_system_message(p)]
        for name, css_class in META_FIELDS.items():
            found = next((p for p in paragraphs if css_class in p.get("classes", [])), None)
            if found is not None:
                setattr(record, name, _texts(_unit(found), edition_lang, source_lang))
        lead = next(
            (
                p
                for p in paragraphs
                if not any(c.startswith("pubflow-") for c in p.get("classes", [])) and not _outside_the_body(p)
            ),
            None,
        )
        if lead is not None:
            record.summary = _texts(_unit(lead), edition_lang, source_lang)
        if record.published_at is None:
            logger.warning(
                "article without a valid :pubflow-date: field (%r); the front page and the feed sort by it "
                "(re-import the article, or add :pubflow-date: YYYY-MM-DDTHH:MM:SS as its first line)",
                record.published,
                location=(docname, 1),  # where the field stands, or must stand
            )
        records(self.env)[docname] = record


def _in_system_message(node: nodes.Node) -> bool:
    return any(isinstance(a, nodes.system_message) for a in _ancestors(node))


class PublicationName(SphinxTransform):
    """The front page's title is ``[tool.pubflow] name``, whatever docs/index.rst's title line says.

    Before Sphinx translates (priority 20): the name is the message each edition's
    ``index.po`` translates (its per-locale form, converted by OpenCC for zh_TW), and
    the masthead, ``<title>``, front page, feed and root page all take it from there.
    """

    default_priority = 6

    def apply(self, **kwargs: Any) -> None:
        if self.env.docname != self.config.root_doc:
            return
        title = next(iter(self.document.findall(nodes.title)), None)
        if title is not None:
            name = project_config(self.app).name
            title.children = []
            title += nodes.Text(name)
            title.rawsource = name  # what Sphinx extracts and looks up as the message


# -- place ---------------------------------------------------------------------------------


class front_page(nodes.General, nodes.Element):
    """Placeholder for the article list, filled when the document is resolved."""


class FrontPageDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [front_page()]


def _reread_front_pages_on_change(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The front page shows every article and its catalogs' state: read it again when any of them changed."""
    if added or changed or removed or _catalogs_changed(app, env):
        return sorted(front_pages(env) & env.found_docs)
    return []


def _catalogs_changed(app: Sphinx, env: BuildEnvironment) -> bool:
    # A bilingual edition reads its catalogs itself, so Sphinx does not see them change.
    project = project_config(app)
    cache = catalog_cache(env)
    for locale in edition_locales(app):
        if locale.method == "source":
            continue
        for docname in records(env):
            path = catalog_path(project, locale, docname)
            known = cache.get(str(path))
            if known is None or known.mtime != catalog_mtime(path):
                return True
    return False


# -- resolve -------------------------------------------------------------------------------


@dataclass
class CatalogInfo:
    """What the front page and the feed need of one catalog, kept in the environment between builds."""

    mtime: float
    state: str
    revised: str  # PO-Revision-Date as the catalog has it


def catalog_cache(env: BuildEnvironment) -> dict[str, CatalogInfo]:
    if not hasattr(env, "pubflow_catalogs"):
        env.pubflow_catalogs = {}  # type: ignore[attr-defined]
    return env.pubflow_catalogs  # type: ignore[attr-defined]


def read_catalog_info(po_path: Path, mtime: float, locale: LocaleConfig | None = None) -> CatalogInfo:
    if not mtime:
        return CatalogInfo(mtime, UNTRANSLATED, "")
    catalog = load_catalog(po_path)
    coverage = count_catalog(catalog, po_path)
    if coverage.fuzzy:
        state = OUTDATED
    elif coverage.untranslated:
        state = PARTIAL if coverage.translated else UNTRANSLATED
    elif coverage.machine:
        state = CONVERTED if locale is not None and locale.method == "opencc" else UNREVIEWED
    else:
        state = COMPLETE
    return CatalogInfo(mtime, state, catalog.metadata.get("PO-Revision-Date", ""))


def catalog_path(project: ProjectConfig, locale: LocaleConfig, docname: str) -> Path:
    return project.locale_dir / locale.name / "LC_MESSAGES" / f"{docname}.po"


def catalog_mtime(path: Path) -> float:
    """When the catalog or its review record last changed (an approval may change only the record)."""
    times = [p.stat().st_mtime for p in (path, record_path(path)) if p.exists()]
    return max(times) if path.exists() else 0.0


def _refresh_catalogs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Count the catalogs of every article once per change, after reading and before the environment is saved.

    A rebuild reads again only the catalogs whose time changed, so that a translator's
    preview of a 200-article edition does not count 200 catalogs on every save.
    """
    project = project_config(app)
    cache = catalog_cache(env)
    for locale in edition_locales(app):
        if locale.method == "source":
            continue
        for docname in records(env):
            path = catalog_path(project, locale, docname)
            mtime = catalog_mtime(path)
            known = cache.get(str(path))
            if known is None or known.mtime != mtime:
                cache[str(path)] = read_catalog_info(path, mtime, locale)
    return []


def catalog_info(app: Sphinx, locale: LocaleConfig, docname: str) -> CatalogInfo:
    path = catalog_path(project_config(app), locale, docname)
    mtime = catalog_mtime(path)
    known = catalog_cache(app.env).get(str(path))
    if known is None or known.mtime != mtime:  # changed since the environment was read
        known = read_catalog_info(path, mtime, locale)
    return known


def translation_state(app: Sphinx, locales: Sequence[LocaleConfig], docname: str) -> str:
    """The worst state of the document's catalogs in the edition's target locales (as ``pubflow coverage``)."""
    states = [ORIGINAL]
    states += [catalog_info(app, loc, docname).state for loc in locales if loc.method != "source"]
    return max(states, key=STATE_ORDER.index)


@dataclass
class ArticleView:
    record: ArticleRecord
    state: str


def edition_articles(app: Sphinx) -> list[ArticleView]:
    """Every article of this edition, newest first, with its translation state."""
    locales = edition_locales(app)
    found = [r for name, r in records(app.env).items() if name in app.env.found_docs]
    found.sort(key=lambda r: (r.published_at is not None, r.published_at or datetime.min, r.docname), reverse=True)
    return [ArticleView(r, translation_state(app, locales, r.docname)) for r in found]


class article_list(nodes.General, nodes.Element):
    pass


class article_item(nodes.General, nodes.Element):
    pass


class article_heading(nodes.General, nodes.TextElement):
    pass


def _spans(texts: list[Text], separator: str = " ") -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for index, (text, lang) in enumerate(texts):
        if index:
            result.append(nodes.Text(separator))
        result.append(lang_span("", text, lang=lang))
    return result


def render_list(app: Sphinx, docname: str) -> nodes.Element:
    locales = edition_locales(app)
    listing = article_list(classes=["pubflow-articles"])
    views = edition_articles(app)
    if not views:
        listing += article_item("", nodes.paragraph("", str(_("No articles yet."))), classes=["pubflow-entry"])
    for view in views:
        record = view.record
        item = article_item(classes=["pubflow-entry", f"pubflow-entry-{view.state}"])
        heading = article_heading(classes=["pubflow-entry-title"])
        link = nodes.reference("", "", internal=True, refuri=app.builder.get_relative_uri(docname, record.docname))
        link.extend(_spans(record.title, "\n"))
        heading += link
        item += heading
        if record.subtitle:
            item += nodes.paragraph("", "", *_spans(record.subtitle, "\n"), classes=["pubflow-entry-subtitle"])
        meta = nodes.paragraph("", "", classes=["pubflow-entry-meta"])
        published = record.published_at
        if published is not None:
            meta.extend(date_nodes(record.published, locales, project_config(app).timezone))
        if record.author:
            if published is not None:
                meta += nodes.Text(" · ")
            meta += nodes.inline("", "", *_spans(record.author, " · "), classes=["pubflow-entry-author"])
        if view.state != ORIGINAL:
            meta += nodes.Text(" ")
            meta += nodes.inline(
                "", str(state_label(view.state)), classes=["pubflow-state", f"pubflow-state-{view.state}"]
            )
        pdf = pdf_url(app, docname, record.docname)
        if pdf is not None:
            meta += nodes.Text(" · ")
            meta += nodes.reference("", "PDF", refuri=pdf, classes=["pubflow-entry-pdf"])
        item += meta
        listing += item
    return listing


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(front_page)):
        if app.builder.name == "gettext":
            node.parent.remove(node)
            continue
        node.replace_self(render_list(app, docname))


# -- writers -------------------------------------------------------------------------------


def _html(tag: str, **attributes: str) -> tuple[Any, Any]:
    def visit(self: Any, node: nodes.Element) -> None:
        extra = {name: node[key] for name, key in attributes.items() if node.get(key)}
        self.body.append(self.starttag(node, tag, "", **extra))

    def depart(self: Any, node: nodes.Element) -> None:
        self.body.append(f"</{tag}>\n" if tag in ("ol", "li", "h2") else f"</{tag}>")

    return visit, depart


def _pass(self: Any, node: nodes.Element) -> None:
    pass


PASS = (_pass, _pass)


def setup(app: Sphinx) -> None:
    app.add_env_collector(ArticleCollector)
    app.add_transform(CollectArticle)
    app.add_transform(PublicationName)
    app.add_node(front_page)
    app.add_directive("pubflow-front-page", FrontPageDirective)
    app.connect("env-get-outdated", _reread_front_pages_on_change)
    app.connect("env-updated", _refresh_catalogs)
    app.connect("doctree-resolved", _on_doctree_resolved)
    for node_class, html in [
        (article_list, _html("ol")),
        (article_item, _html("li")),
        (article_heading, _html("h2")),
    ]:
        app.add_node(node_class, html=html, latex=PASS, text=PASS)
