"""An Atom feed (RFC 4287) per edition, ``<edition>/atom.xml``, made with feedgen.

A feed lists only the articles whose translation in that edition is complete
(every article, in the source edition): a reader of the English feed is never
sent to a page in Chinese. Each entry carries its language (``xml:lang``), the
byline's date, the author and the first paragraph as its summary. The dates
are the byline's, in ``[tool.pubflow] timezone``; an entry's ``updated`` is
the later of that and its catalog's ``PO-Revision-Date``, so that a feed is the
same file until something in it changes.

A bilingual edition has no feed of its own: its pages link the feeds of its
two locales.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
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
    COMPLETE,
    ORIGINAL,
    PASS,
    ArticleRecord,
    article_list,
    catalog_info,
    edition_articles,
    edition_locales,
)
from pubflow.sphinxext.status import _

FEED_NAME = "atom.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: "作者：蔡长春", "記者：…", "By Cai Changchun": the label before the author's name.
AUTHOR_LABEL = re.compile(r"^\s*(?:[^\s:：]{1,6}\s*[:：]|by\s)\s*", re.IGNORECASE)


class _FeedLanguage(BaseExtension):
    """feedgen sets the feed's xml:lang itself; this only makes room for the entries'."""


class EntryLanguage(BaseEntryExtension):
    """``xml:lang`` on an entry, which feedgen has no field for.

    It also puts back the alternate link's ``rel``, ``type`` and ``hreflang``,
    which feedgen 1.0 sets on the entry and then drops when it writes the link.
    """

    def __init__(self) -> None:
        self._lang = ""

    def lang(self, value: str) -> None:
        self._lang = value

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self._lang:
            entry.set(XML_LANG, self._lang)
        for link in entry.findall("link"):  # feedgen builds its tree without namespaces
            if link.get("rel") is None:
                link.set("rel", "alternate")
                link.set("type", "text/html")
                if self._lang:
                    link.set("hreflang", self._lang)
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


def entry_id(project: ProjectConfig, url: str, locale: LocaleConfig, docname: str) -> str:
    """An absolute, stable IRI: the article's address, or a name-based UUID without a base URL."""
    if project.base_url:
        return url
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pubflow:{project.name}/{locale.name}/{docname}").urn


def build_feed(app: Sphinx, locale: LocaleConfig) -> FeedGenerator:
    project = project_config(app)
    base = f"{project.base_url}{locale.name}/" if project.base_url else ""
    root_title = app.env.titles.get(app.config.root_doc)
    title = root_title.astext() if root_title is not None else project.name
    feed = FeedGenerator()
    feed.register_extension("xml_lang", _FeedLanguage, EntryLanguage, atom=True, rss=False)
    feed.id(base + FEED_NAME if base else entry_id(project, "", locale, ""))
    feed.title(title)
    feed.subtitle(locale.label)
    feed.language(locale.html_lang)
    feed.author({"name": title})
    feed.link(href=base + FEED_NAME, rel="self", type="application/atom+xml", hreflang=locale.html_lang)
    feed.link(href=base + "index.html", rel="alternate", type="text/html", hreflang=locale.html_lang)
    feed.generator("pubflow with feedgen")
    newest: datetime | None = None
    for view in edition_articles(app):
        if view.state not in (COMPLETE, ORIGINAL):
            continue
        record = view.record
        published = record.published_at
        if published is None:
            continue
        published = _aware(published, project.timezone)
        updated = max(filter(None, [published, catalog_revised(app, locale, record.docname)]))
        add_entry(feed, project, locale, record, base, published, updated)
        newest = updated if newest is None else max(newest, updated)
    # With no entry yet, the epoch: a fixed date, so that an empty feed is never rewritten.
    feed.updated(newest or datetime(1970, 1, 1, tzinfo=UTC))
    return feed


def add_entry(
    feed: FeedGenerator,
    project: ProjectConfig,
    locale: LocaleConfig,
    record: ArticleRecord,
    base: str,
    published: datetime,
    updated: datetime,
) -> None:
    url = f"{base}{record.docname}.html"
    entry = feed.add_entry(order="append")
    entry.id(entry_id(project, url, locale, record.docname))
    entry.title(record.title[0][0])
    entry.link(href=url, rel="alternate", type="text/html", hreflang=locale.html_lang)
    entry.published(published)
    entry.updated(updated)
    if record.author:
        entry.author({"name": author_name(record.author[0][0])})
    # The lead paragraph.
    entry.summary((record.summary or record.subtitle or record.title)[0][0])
    entry.xml_lang.lang(locale.html_lang)


def _on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html" or app.config.pubflow_bilingual:
        return
    project = project_config(app)
    locale = project.locale(app.config.language or project.source_language)
    feed = build_feed(app, locale)
    write_atomic(Path(app.outdir) / FEED_NAME, feed.atom_str(pretty=True))


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``<link rel="alternate" type="application/atom+xml">`` to the feed of each locale of the edition."""
    up = edition_root(app, pagename)
    context["pubflow_feeds"] = [
        {"href": f"{up}{locale.name}/{FEED_NAME}", "lang": locale.html_lang, "label": locale.label}
        for locale in edition_locales(app)
    ]
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
    """Under the front page's list, a visible link to each feed of the edition."""
    if app.builder.format != "html":
        return
    up = edition_root(app, docname)
    locales = edition_locales(app)
    for listing in list(doctree.findall(article_list)):
        paragraph = nodes.paragraph(classes=["pubflow-feeds"])
        for locale in locales:
            label = str(_("Atom feed")) + (f" · {locale.label}" if len(locales) > 1 else "")
            paragraph += feed_link("", label, href=f"{up}{locale.name}/{FEED_NAME}", hreflang=locale.html_lang)
        listing.parent.insert(listing.parent.index(listing) + 1, paragraph)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _on_build_finished)
    app.connect("html-page-context", _on_html_page_context)
    # After the front page's list is in place (frontpage connects at the default 500).
    app.connect("doctree-resolved", _on_doctree_resolved, priority=600)
    app.add_node(feed_link, html=(visit_feed_link_html, depart_feed_link_html), latex=PASS, text=PASS)
