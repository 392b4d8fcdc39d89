"""An Atom feed (RFC 4287) per edition, ``<edition>/atom.xml``, made with feedgen.

A feed lists only the articles whose translation in that edition is complete
(every article, in the source edition): a reader of the English feed is never
sent to a page in Chinese. Each entry carries its language (``xml:lang``), the
byline's date, the author and the first paragraph as its summary. The dates
are the byline's, in ``[tool.pubflow] timezone``; an entry's ``updated`` is
the later of that and its catalog's ``PO-Revision-Date``, and the feed's is its
newest entry's (with no entry, the newest article's date), so that a feed is
the same file until something in it changes.

A bilingual edition (``bilingual/zh_CN-en/atom.xml``) has a feed of its own,
of the articles complete in both its locales. Its language is the edition's,
as its pages' ``<html lang>`` (the first locale of the pair); each text that
is in two languages, the titles and the lead paragraph, is an XHTML text
construct with one ``<span xml:lang>`` per language, so that every text in
the feed says which language it is in.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from sphinx.application import Sphinx

from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.fileio import write_atomic
from pubflow.sphinxext.editions import edition_root, project_config
from pubflow.sphinxext.frontpage import (
    PASS,
    WHOLE,
    ArticleRecord,
    Text,
    article_list,
    catalog_info,
    edition_articles,
    edition_locales,
    title_texts,
)
from pubflow.sphinxext.labels import _
from pubflow.sphinxext.pdflinks import edition_name

FEED_NAME = "atom.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML = "http://www.w3.org/1999/xhtml"
#: Between the two languages of a bilingual title.
SEPARATOR = " · "
#: "作者：蔡长春", "記者：…", "By Cai Changchun": the label before the author's name.
AUTHOR_LABEL = re.compile(r"^\s*(?:[^\s:：]{1,6}\s*[:：]|by\s)\s*", re.IGNORECASE)


def xhtml_texts(texts: list[Text], block: bool = False) -> str:
    """XHTML for an Atom text construct: one element per language, each with its own ``xml:lang``."""
    tag = "p" if block else "span"
    parts = [f'<{tag} xml:lang="{lang}" lang="{lang}">{escape(text, quote=False)}</{tag}>' for text, lang in texts]
    return "".join(parts) if block else SEPARATOR.join(parts)


def set_texts(element: etree._Element | None, texts: list[Text], inherited: str) -> None:
    """Make ``element`` a text construct of ``texts``: plain text in the inherited language, else XHTML."""
    if element is None or not texts:
        return
    if len(texts) == 1 and texts[0][1] == inherited:
        element.text = texts[0][0]
        return
    for child in list(element):
        element.remove(child)
    element.text = None
    element.set("type", "xhtml")
    element.append(etree.fromstring(f'<div xmlns="{XHTML}">{xhtml_texts(texts)}</div>'))


class FeedTexts(BaseExtension):
    """The feed's title and subtitle in each language of the edition (feedgen knows plain text only)."""

    def __init__(self) -> None:
        self._lang = ""
        self._title: list[Text] = []
        self._subtitle: list[Text] = []

    def texts(self, lang: str, title: list[Text], subtitle: list[Text]) -> None:
        self._lang, self._title, self._subtitle = lang, title, subtitle

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        set_texts(feed.find("title"), self._title, self._lang)
        set_texts(feed.find("subtitle"), self._subtitle, self._lang)
        return feed


class EntryLanguage(BaseEntryExtension):
    """``xml:lang`` on an entry, which feedgen has no field for, and its texts in each of their languages.

    It also puts back the alternate link's ``rel``, ``type`` and ``hreflang``,
    which feedgen 1.0 sets on the entry and then drops when it writes the link.
    """

    def __init__(self) -> None:
        self._lang = ""
        self._title: list[Text] = []
        self._author_lang = ""

    def lang(self, value: str) -> None:
        self._lang = value

    def title(self, texts: list[Text]) -> None:
        self._title = texts

    def author_lang(self, value: str) -> None:
        self._author_lang = value

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self._lang:
            entry.set(XML_LANG, self._lang)
        for link in entry.findall("link"):  # feedgen builds its tree without namespaces
            if link.get("rel") is None:
                link.set("rel", "alternate")
                link.set("type", "text/html")
                if self._lang:
                    link.set("hreflang", self._lang)
        set_texts(entry.find("title"), self._title, self._lang)
        author = entry.find("author")
        if author is not None and self._author_lang and self._author_lang != self._lang:
            author.set(XML_LANG, self._author_lang)
        return entry


def author_name(byline_author: str) -> str:
    return AUTHOR_LABEL.sub("", byline_author, count=1).strip() or byline_author.strip()


def _aware(moment: datetime, offset: str) -> datetime:
    if moment.tzinfo is not None:
        return moment
    if offset == "Z":
        return moment.replace(tzinfo=UTC)
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = offset[1:].split(":")
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=int(hours), minutes=int(minutes))))


def catalog_revised(app: Sphinx, locale: LocaleConfig, docname: str) -> datetime | None:
    """The catalog's ``PO-Revision-Date``, when a translator's tool filled it in."""
    if locale.method == "source":
        return None
    value = catalog_info(app, locale, docname).revised
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return None  # the template's placeholder YEAR-MO-DA HO:MI+ZONE, or a tool's own format


def edition_folder(app: Sphinx) -> str:
    """Where the edition is published under ``html/``: ``en``, or ``bilingual/zh_CN-en``."""
    return edition_name(app)


def entry_id(project: ProjectConfig, url: str, edition: str, docname: str) -> str:
    """An absolute, stable IRI: the article's address, or a name-based UUID without a base URL."""
    if project.base_url:
        return url
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pubflow:{project.name}/{edition}/{docname}").urn


def edition_title(app: Sphinx, edition_lang: str) -> list[Text]:
    """The front page's title as the edition shows it: one text per language (both of a bilingual edition)."""
    project = project_config(app)
    root = app.config.root_doc
    if root not in app.env.found_docs:
        return [(project.name, project.source.html_lang)]
    title = next(iter(app.env.get_doctree(root).findall(nodes.title)), None)
    if title is None:
        return [(project.name, project.source.html_lang)]
    return title_texts(title, edition_lang, project.source.html_lang)


def build_feed(app: Sphinx) -> FeedGenerator:
    """The edition's feed: its articles complete in every locale of the edition, newest first."""
    project = project_config(app)
    locales = edition_locales(app)
    lang = locales[0].html_lang  # the edition's language, as its pages' <html lang>
    folder = edition_folder(app)
    base = f"{project.base_url}{folder}/" if project.base_url else ""
    title = edition_title(app, lang)
    feed = FeedGenerator()
    feed.register_extension("pubflow", FeedTexts, EntryLanguage, atom=True, rss=False)
    feed.id(base + FEED_NAME if base else entry_id(project, "", folder, ""))
    labels = [(locale.label, locale.html_lang) for locale in locales]  # each edition's label is in its language
    feed.title(SEPARATOR.join(text for text, _lang in title))
    feed.subtitle(SEPARATOR.join(text for text, _lang in labels))
    feed.pubflow.texts(lang, title, labels)
    feed.language(lang)
    feed.author({"name": title[0][0]})
    feed.link(href=base + FEED_NAME, rel="self", type="application/atom+xml", hreflang=lang)
    feed.link(href=base + "index.html", rel="alternate", type="text/html", hreflang=lang)
    feed.generator("pubflow with feedgen")
    newest: datetime | None = None
    for view in edition_articles(app):
        if view.state not in WHOLE:
            continue
        record = view.record
        published = record.published_at
        if published is None:
            continue
        published = _aware(published, project.timezone)
        revised = [catalog_revised(app, locale, record.docname) for locale in locales]
        updated = max(filter(None, [published, *revised]))
        add_entry(feed, project, folder, lang, record, base, published, updated)
        newest = updated if newest is None else max(newest, updated)
    if newest is None:
        # No complete article: the newest article's date, not the build's time, so that an empty feed is
        # not rewritten on every build; the epoch only for a publication with no dated article at all.
        dates = [
            _aware(v.record.published_at, project.timezone) for v in edition_articles(app) if v.record.published_at
        ]
        newest = max(dates, default=datetime(1970, 1, 1, tzinfo=UTC))
    feed.updated(newest)
    return feed


def add_entry(
    feed: FeedGenerator,
    project: ProjectConfig,
    folder: str,
    lang: str,
    record: ArticleRecord,
    base: str,
    published: datetime,
    updated: datetime,
) -> None:
    url = f"{base}{record.docname}.html"
    entry = feed.add_entry(order="append")
    entry.id(entry_id(project, url, folder, record.docname))
    entry.title(SEPARATOR.join(text for text, _lang in record.title))
    entry.pubflow.title(record.title)
    entry.link(href=url, rel="alternate", type="text/html", hreflang=lang)
    entry.published(published)
    entry.updated(updated)
    if record.author:
        name, author_lang = record.author[0]  # a bilingual byline: the name as the first column writes it
        entry.author({"name": author_name(name)})
        entry.pubflow.author_lang(author_lang)
    # The lead paragraph (in a bilingual edition, one paragraph per language).
    summary = record.summary or record.subtitle or record.title
    if len(summary) == 1 and summary[0][1] == lang:
        entry.summary(summary[0][0])
    else:
        entry.summary(xhtml_texts(summary, block=True), type="xhtml")
    entry.pubflow.lang(lang)


def _on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    write_atomic(Path(app.outdir) / FEED_NAME, build_feed(app).atom_str(pretty=True))


def feed_links(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """The edition's own feed, from ``pagename``: its address, language and label."""
    locales = edition_locales(app)
    return [
        {
            "href": f"{edition_root(app, pagename)}{edition_folder(app)}/{FEED_NAME}",
            "lang": locales[0].html_lang,
            "label": SEPARATOR.join(locale.label for locale in locales),
        }
    ]


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``<link rel="alternate" type="application/atom+xml" hreflang>`` to the edition's feed."""
    context["pubflow_feeds"] = feed_links(app, pagename)
    context["pubflow_feed_label"] = str(_("Atom feed"))


class feed_link(nodes.Inline, nodes.TextElement):
    """``<a type="application/atom+xml" hreflang>`` to a feed."""


def visit_feed_link_html(self: Any, node: feed_link) -> None:
    self.body.append(
        self.starttag(node, "a", "", href=node["href"], type="application/atom+xml", hreflang=node["hreflang"])
    )


def depart_feed_link_html(self: Any, node: feed_link) -> None:
    self.body.append("</a>")


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the front page's list, a visible link to the edition's feed."""
    if app.builder.format != "html":
        return
    for listing in list(doctree.findall(article_list)):
        paragraph = nodes.paragraph(classes=["pubflow-feeds"])
        for link in feed_links(app, docname):
            paragraph += feed_link("", str(_("Atom feed")), href=link["href"], hreflang=link["lang"])
        listing.parent.insert(listing.parent.index(listing) + 1, paragraph)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _on_build_finished)
    app.connect("html-page-context", _on_html_page_context)
    # After the front page's list is in place (frontpage connects at the default 500).
    app.connect("doctree-resolved", _on_doctree_resolved, priority=600)
    app.add_node(feed_link, html=(visit_feed_link_html, depart_feed_link_html), latex=PASS, text=PASS)
