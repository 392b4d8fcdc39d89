"""Dates as readers see them: from the article's ``:pubflow-date:``, in each language by CLDR (Babel).

The byline's date paragraph (``.. rst-class:: pubflow-date``, which the
importer writes for the reader of the reST source) is replaced before Sphinx
translates anything by the ``:pubflow-date:`` field formatted for the
edition's languages, and taken out of translation: translators never
translate a date by hand, and the byline, the front page and the feed say
the same date in the same words. Minutes, never seconds; the date alone
when the field gives no time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time, get_datetime_format
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from pubflow.config import LocaleConfig
from pubflow.sphinxext.bilingual import bilingual_locales
from pubflow.sphinxext.editions import project_config


class time_span(nodes.Inline, nodes.TextElement):
    """A date (``<time datetime>``)."""


def parse_published(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def cldr_locale(locale: LocaleConfig) -> str:
    """The CLDR locale whose conventions the edition's dates follow: its spelling's region (en_GB), or its own."""
    return locale.spelling or locale.name


def display_date(published: str, locale: LocaleConfig) -> str:
    """``2017年9月25日 10:15``, ``25 September 2017, 10:15``: CLDR's long date, short time and its joining pattern."""
    moment = parse_published(published)
    if moment is None:
        return published
    cldr = cldr_locale(locale)
    date = format_date(moment.date(), format="long", locale=cldr)
    if "T" not in published:
        return date
    time = format_time(moment.time(), format="short", locale=cldr)
    # As Babel's own format_datetime joins them, with the locale's pattern for a long date.
    pattern = str(get_datetime_format("long", locale=cldr))
    return pattern.replace("'", "").replace("{0}", time).replace("{1}", date)


def machine_date(published: str, timezone: str) -> str:
    """The ``datetime`` attribute: the same instant as the feed's, with the byline's UTC offset."""
    return f"{published}{timezone}" if "T" in published else published


def date_nodes(published: str, locales: list[LocaleConfig], timezone: str) -> list[nodes.Node]:
    """One ``<time>`` per language of the edition (two in a bilingual one), each with its ``lang``."""
    result: list[nodes.Node] = []
    for index, locale in enumerate(locales):
        if index:
            result.append(nodes.Text(" · "))
        text = display_date(published, locale)
        result.append(time_span("", text, datetime=machine_date(published, timezone), lang=locale.html_lang))
    return result


def date_field(document: nodes.document) -> str:
    """The ``:pubflow-date:`` field, read from the document itself: Sphinx's metadata is collected after transforms."""
    for field in document.findall(nodes.field):
        name, body = field.children[0], field.children[1]
        if name.astext().strip() == "pubflow-date":
            return body.astext().strip()
    return ""


def date_paragraphs(document: nodes.document) -> list[nodes.paragraph]:
    """The byline's date paragraphs: ``.. rst-class:: pubflow-date`` is still a pending class before priority 210."""
    found = [p for p in document.findall(nodes.paragraph) if "pubflow-date" in p.get("classes", [])]
    for pending in document.findall(nodes.pending):
        if "pubflow-date" in pending.details.get("class", []):
            following = pending.next_node(nodes.paragraph, include_self=False, descend=False, siblings=True)
            if following is not None:
                found.append(following)
    return found


def edition_locales(app: Sphinx) -> list[LocaleConfig]:
    """The edition's locales: its own, or a bilingual edition's two."""
    pair = bilingual_locales(app)
    if pair is not None:
        return list(pair)
    project = project_config(app)
    return [project.locale(app.config.language or project.source_language)]


class BylineDate(SphinxTransform):
    """The byline's date from ``:pubflow-date:``, in the edition's languages, never a message.

    Priority 5: before Sphinx's translation (20), so the catalogs never see it,
    and before the gettext builder's extraction.
    """

    default_priority = 5

    def apply(self, **kwargs: Any) -> None:
        published = date_field(self.document)
        if parse_published(published) is None:
            return  # frontpage warns about it, on its line
        project = project_config(self.app)
        for paragraph in date_paragraphs(self.document):
            paragraph["translatable"] = False
            paragraph.children = []
            paragraph.extend(date_nodes(published, edition_locales(self.app), project.timezone))


def _visit_time(self: Any, node: time_span) -> None:
    attributes = {name: node[name] for name in ("datetime", "lang") if node.get(name)}
    self.body.append(self.starttag(node, "time", "", **attributes))


def _depart_time(self: Any, node: time_span) -> None:
    self.body.append("</time>")


def _pass(self: Any, node: nodes.Element) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(time_span, html=(_visit_time, _depart_time), latex=(_pass, _pass), text=(_pass, _pass))
    app.add_transform(BylineDate)
