"""Translation status in the editions.

- Every paragraph Sphinx left in the source language is marked, as
  ``pubflow-untranslated`` or, when its catalog entry is fuzzy,
  ``pubflow-fuzzy``, with a visible label, instead of silently appearing in
  the source language.
- The ``pubflow-translation-status`` directive becomes a table with the
  numbers of ``pubflow coverage``, per locale and per document, and the
  edition's notes (published, and held back as stale; see :mod:`pubflow.notes`).
- The ``pubflow-status-page`` directive is a whole status page: its title, the
  prose that explains the table, and the table, all in the edition's language
  from pubflow's own catalog, so that a publication has nothing to translate.

The labels come from the extension's own gettext catalog (``pubflow``), as
Sphinx's own labels come from ``sphinx``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polib
from docutils import nodes
from docutils.writers._html_base import HTMLTranslator
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import extract_messages

from pubflow.compile import OUTDATED_FLAG
from pubflow.config import ProjectConfig
from pubflow.coverage import project_coverage
from pubflow.errors import PubflowError
from pubflow.incremental import file_listing
from pubflow.interface import N_
from pubflow.notes import NoteCount, count_notes
from pubflow.policy import IN_TRANSLATION, read_held_back
from pubflow.sphinxext.editions import lang_span, project_config
from pubflow.sphinxext.labels import _

logger = logging.getLogger(__name__)

UNTRANSLATED = "pubflow-untranslated"
FUZZY = "pubflow-fuzzy"
#: A correction showing its previous translation (pubflow.corrections): translated, with a small marker.
SOURCE_UPDATED = "pubflow-source-updated"


def mark_label(state: str) -> str:
    if state == SOURCE_UPDATED:
        return _("Source updated since")
    return _("Not yet translated") if state == UNTRANSLATED else _("Translation outdated")


@cache
def outdated_messages(po_path: Path, mtime: float) -> frozenset[str]:
    """The msgids compile.py compiled with their previous translation (flag ``pubflow-outdated``)."""
    if not po_path.exists():
        return frozenset()
    return frozenset(e.msgid for e in polib.pofile(str(po_path)) if OUTDATED_FLAG in e.flags and not e.obsolete)


def compiled_catalog(app: Sphinx, locale: str, docname: str) -> Path | None:
    """The catalog pubflow compiled for this build (None in a plain sphinx-build, which shows sources as ever)."""
    folder = app.config.pubflow_compiled_locale
    return Path(folder) / locale / "LC_MESSAGES" / f"{docname}.po" if folder else None


class KeepMessageIds(SphinxTransform):
    """Before Sphinx translates a node, note the msgid it had: a translated node no longer says it."""

    default_priority = 19  # before Sphinx's Locale transform (20)

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext" or not self.app.config.pubflow_compiled_locale:
            return
        for node, msgid in extract_messages(self.document):
            node["pubflow_msgid"] = msgid


class MarkSourceUpdated(SphinxTransform):
    """Mark each paragraph that shows a translation of the source as it was before a correction."""

    default_priority = 961

    def apply(self, **kwargs: Any) -> None:
        path = compiled_catalog(self.app, self.config.language or "", self.env.docname)
        if self.app.builder.name == "gettext" or path is None:
            return
        outdated = outdated_messages(path, path.stat().st_mtime if path.exists() else 0.0)
        if not outdated:
            return
        for node in list(self.document.findall(nodes.Element)):
            if node.get("pubflow_msgid") in outdated and "translated" in node.get("classes", []):
                node["classes"].append(SOURCE_UPDATED)
                if self.app.builder.format == "latex" and is_document_title(node):
                    continue
                node.insert(0, nodes.inline("", mark_label(SOURCE_UPDATED), classes=["pubflow-mark"]))


@cache
def fuzzy_messages(po_path: Path, mtime: float) -> frozenset[str]:
    if not po_path.exists():
        return frozenset()
    return frozenset(e.msgid for e in polib.pofile(str(po_path)) if e.fuzzy and not e.obsolete)


def untranslated_state(app: Sphinx, docname: str, msgid: str) -> str:
    project = project_config(app)
    po_path = project.locale_dir / (app.config.language or "") / "LC_MESSAGES" / f"{docname}.po"
    mtime = po_path.stat().st_mtime if po_path.exists() else 0.0
    return FUZZY if msgid in fuzzy_messages(po_path, mtime) else UNTRANSLATED


class MarkUntranslated(SphinxTransform):
    """Label what Sphinx left untranslated, telling missing from outdated."""

    default_priority = 960  # after Sphinx's AddTranslationClasses (950)

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for node, msgid in list(extract_messages(self.document)):
            if "untranslated" not in node.get("classes", []):
                continue
            state = untranslated_state(self.app, self.env.docname, msgid)
            node["classes"].append(state)
            if self.app.builder.format == "latex" and is_document_title(node):
                continue  # LaTeX takes the document title as plain text, for the title block
            fallback = node.children[:]
            if self.app.builder.format == "html" and fallback:
                # The label is in the edition's language; the text after it is the source's, and says so.
                del node.children[:]
                node += lang_span("", "", *fallback, lang=project_config(self.app).source.html_lang)
            label = nodes.inline("", mark_label(state), classes=["pubflow-mark"])
            node.insert(0, label)


def is_document_title(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.title)
        and isinstance(node.parent, nodes.section)
        and isinstance(node.parent.parent, nodes.document)
    )


class status_table(nodes.General, nodes.Element):
    """Placeholder, filled when the document is resolved, so that numbers never become messages."""


class TranslationStatusDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [status_table()]


#: The status page's prose, in pubflow's catalog; ``literal`` is inline markup the translations keep.
STATUS_INTRODUCTION = N_(
    "The table shows how far each edition has translated each document; the numbers are those of "
    "``pubflow coverage``. Fuzzy messages (the source changed, the translation awaits an update) do not count "
    "as translated."
)
STATUS_REVIEW = N_(
    "“Reviewed” counts the translations a person wrote or approved; “Machine, unreviewed” counts machine output "
    "(OpenCC conversion, translation-memory proposals) that nobody has reviewed yet."
)
STATUS_NOTES = N_(
    "“Notes” counts the editor’s and translator’s notes an edition publishes; “Stale notes” are those held back "
    "because the source changed and an editor must look at them again, listed by ``pubflow check`` as "
    "``note-stale``."
)


def prose_paragraph(text: str) -> nodes.paragraph:
    """A paragraph of the catalog's prose: plain text with ``literals``, and nothing else read as markup."""
    paragraph = nodes.paragraph(classes=["pubflow-status-prose"], translatable=False)
    for number, part in enumerate(text.split("``")):
        if part:
            paragraph += nodes.literal(part, part) if number % 2 else nodes.Text(part)
    return paragraph


class StatusPageDirective(SphinxDirective):
    """The whole status page in the edition's language: nothing in it is a message of the publication's catalogs.

    Its nodes are not translatable, so Sphinx's gettext builder extracts nothing from them.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        section = nodes.section(ids=["pubflow-translation-status"], names=["pubflow-translation-status"])
        title = str(_("Translation status"))
        section += nodes.title(title, title, translatable=False)
        section += prose_paragraph(str(_(STATUS_INTRODUCTION)))
        section += status_table()
        section += prose_paragraph(str(_(STATUS_REVIEW)))
        section += prose_paragraph(str(_(STATUS_NOTES)))
        return [section]


COLUMNS = ("messages", "translated", "reviewed", "machine", "fuzzy", "untranslated", "obsolete")


@dataclass
class Table:
    """A staff table's content, before it becomes markup: its class, heading labels and rows of cells."""

    kind: str
    labels: list[str]
    rows: list[tuple[list[str], list[str]]] = field(default_factory=list)  # (cells, the row's own classes)

    def as_nodes(self) -> nodes.table:
        """The table as docutils nodes, for every builder but HTML (and for reading in tests)."""
        table = nodes.table(classes=[self.kind])
        group = nodes.tgroup(cols=len(self.labels))
        table += group
        for _label in self.labels:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        head += _row(self.labels, [])
        group += head
        body = nodes.tbody()
        group += body
        for cells, classes in self.rows:
            body += _row(cells, classes)
        return table

    def as_html(self) -> str:
        """The markup Sphinx's HTML writer makes of :meth:`as_nodes`, written directly.

        The status table has thousands of cells at 200 articles: docutils' writer took a fifth of a
        second of every edition each time a count changed. Every cell is escaped as docutils does.
        """
        escape = HTMLTranslator.special_characters
        parts = [f'<table class="{self.kind} docutils align-default">\n<thead>\n']
        rows = [(self.labels, [], "th", ' class="head"'), *((cells, classes, "td", "") for cells, classes in self.rows)]
        for number, (cells, classes, tag, attributes) in enumerate(rows):
            names = " ".join([*classes, "row-odd" if number % 2 == 0 else "row-even"])
            inner = "\n".join(f"<{tag}{attributes}><p>{cell.translate(escape)}</p></{tag}>" for cell in cells)
            parts.append(f'<tr class="{names.translate(escape)}">{inner}\n</tr>\n')
            if number == 0:
                parts.append("</thead>\n<tbody>\n")
        parts.append("</tbody>\n</table>\n")
        return "".join(parts)


def _row(cells: list[str], classes: list[str]) -> nodes.row:
    row = nodes.row(classes=list(classes))
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", cell)
        row += entry
    return row


class prerendered_table(nodes.General, nodes.Element):
    """A :class:`Table` as the HTML writer's markup (``html``), for HTML builders."""


def _visit_prerendered_table(self: Any, node: prerendered_table) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def document_name(catalog_path: str) -> str:
    """docs/sub/doc.rst's name from its catalog's path (locale/<lang>/LC_MESSAGES/sub/doc.po)."""
    _folder, marker, rest = catalog_path.replace("\\", "/").partition("LC_MESSAGES/")
    return str(Path(rest).with_suffix("")) if marker else Path(catalog_path).stem


#: The row of a locale's totals, named in the edition's language when the table is made.
ALL_DOCUMENTS = None


def status_rows(app: Sphinx) -> list[list[str | None]]:
    """The status table's cells, row by row (``ALL_DOCUMENTS`` where a locale's totals row is named).

    Counted once a build: the same rows decide whether the status page is read again and fill it.
    """
    rows: list[list[str | None]] | None = getattr(app, "pubflow_status_rows", None)
    if rows is not None:
        return rows
    project = project_config(app)
    rows = _precounted.get(_status_files_now(app)) or count_rows(project)
    app.pubflow_status_rows = rows  # type: ignore[attr-defined]
    return rows


def count_rows(project: ProjectConfig) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for locale in project_coverage(project):
        documents = [document_name(c.path) for c in locale.catalogs]
        counts = {document: count_notes(project, locale.locale, document) for document in documents}
        for catalog in [*locale.catalogs, locale.total]:
            name: str | None
            if catalog.path == "(all)":
                name = ALL_DOCUMENTS
                notes = NoteCount(sum(n.notes for n in counts.values()), sum(n.stale for n in counts.values()))
            else:
                name = document_name(catalog.path)
                notes = counts[name]
            values = [str(getattr(catalog, c)) for c in COLUMNS]
            percents = [
                f"{catalog.percent_messages:.2f}",
                f"{catalog.percent_source:.2f}",
                f"{catalog.percent_reviewed:.2f}",
            ]
            rows.append([locale.locale, name, *values, *percents, str(notes.notes), str(notes.stale)])
    return rows


#: Rows counted before a build's editions were forked from it (:func:`precount`), by the digest of the
#: files they were counted from (:func:`status_files`): an edition that finds the same files takes them.
_precounted: dict[str, list[list[str | None]]] = {}


def precount(project: ProjectConfig, files: str) -> None:
    """Count the status table once, for every edition a build forks from this process (``files``: :func:`status_files`).

    Each edition counted it for itself: at 200 articles, after one catalog changed, most of a second
    in each of five editions, and two editions measuring the same changed catalogs at once.
    """
    with contextlib.suppress(PubflowError):  # a catalog that cannot be counted: each edition's page says why
        _precounted[files] = count_rows(project)


def build_table(app: Sphinx) -> Table:
    labels = [_("Locale"), _("Document"), _("Messages"), _("Translated"), _("Reviewed"), _("Machine, unreviewed"),
              _("Fuzzy"), _("Untranslated"), _("Obsolete"), _("Messages %"), _("Text %"), _("Reviewed %"),
              _("Notes"), _("Stale notes")]  # fmt: skip
    table = Table("pubflow-status", [str(label) for label in labels])
    everything = str(_("All documents"))
    for locale, name, *cells in status_rows(app):
        table.rows.append(([str(locale), everything if name is ALL_DOCUMENTS else str(name), *map(str, cells)], []))
    return table


def held_back_table(app: Sphinx) -> Table | None:
    """The articles the publication policy holds back, per edition, and why: for the staff, never for readers."""
    path = app.config.pubflow_held_back_file
    held = read_held_back(Path(path)) if path else {}
    items = [item for edition in held.values() for item in edition.values()]
    if not items:
        return None
    labels = [_("Edition"), _("Document"), _("State"), _("Publishes"), _("Messages %"), _("Reviewed %")]
    table = Table("pubflow-held-back", [str(label) for label in labels])
    for item in items:
        state = str(_("In translation") if item.state == IN_TRANSLATION else _("Awaiting review"))
        cells = [item.edition, item.document, state, item.policy, f"{item.translated:.2f}", f"{item.reviewed:.2f}"]
        table.rows.append((cells, [f"pubflow-held-back-{item.state}"]))
    return table


def status_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "pubflow_status_pages"):
        env.pubflow_status_pages = set()  # type: ignore[attr-defined]
    return env.pubflow_status_pages  # type: ignore[attr-defined]


class StatusCollector(EnvironmentCollector):
    """Which documents hold a status table: they are read again whenever a catalog or notes file changes."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        status_pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str], other: BuildEnvironment
    ) -> None:
        status_pages(env).update(status_pages(other) & set(docnames))

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(True for _node in doctree.findall(status_table)):
            status_pages(app.env).add(app.env.docname)
            # Staff's page, not the readers': kept out of the search index, which would otherwise be
            # made again (and Chinese word splitting loaded) in every edition whenever any catalog changes.
            app.env.metadata[app.env.docname]["nosearch"] = True


def status_files(project: ProjectConfig) -> str:
    """A digest of the files the table is counted from: each catalog's, review record's and notes file's size and
    time, and the locales and their policies. Cheap: what a build with nothing changed looks at."""
    lines = [repr(list(project.locales.values())), repr(sorted(project.bilingual_publish.items()))]
    for name in sorted(project.locales):
        lines += file_listing(project.locale_dir / name, (".po", ".toml", ".json"))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _status_files_now(app: Sphinx) -> str:
    """:func:`status_files` as this run first found them: asked before reading and again to fill the table."""
    files: str | None = getattr(app, "pubflow_status_files", None)
    if files is None:
        files = status_files(project_config(app))
        app.pubflow_status_files = files  # type: ignore[attr-defined]
    return files


def status_numbers(app: Sphinx) -> str:
    """A digest of what the page shows: the table's numbers and what is held back.

    Its numbers, not its catalogs' times: a translator's edit that leaves every count as it was (a msgstr
    reworded) reads no status page again, in any edition.
    """
    lines = ["\t".join(map(str, row)) for row in status_rows(app)]
    held_back = app.config.pubflow_held_back_file
    lines.append(repr(sorted(read_held_back(Path(held_back)).items())) if held_back else "")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _reread_status_on_change(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The table is made when a page is written, and Sphinx writes only pages it read again.

    Without this, a new article's catalogs or a translator's work left the status page as it
    was at the last read, while the page says it shows pubflow coverage's numbers.
    """
    if app.builder.name == "gettext":
        return []  # the table is no message (see _on_doctree_resolved): extract need not count it, nor read the page
    files = _status_files_now(app)
    if getattr(env, "pubflow_status_files", None) == files and not (added or removed):
        return []
    env.pubflow_status_files = files  # type: ignore[attr-defined]
    try:
        numbers = status_numbers(app)
    except PubflowError:  # a catalog that cannot be counted: read again, and the page's warning says why
        env.pubflow_status_files = env.pubflow_status_numbers = None  # type: ignore[attr-defined]
        return sorted(status_pages(env) & env.found_docs)
    if getattr(env, "pubflow_status_numbers", None) == numbers and not (added or removed):
        return []
    env.pubflow_status_numbers = numbers  # type: ignore[attr-defined]
    return sorted(status_pages(env) & env.found_docs)


class scroll_region(nodes.General, nodes.Element):
    """A wide table's own scrolling box, so that the page stays as wide as a phone (and a keyboard can scroll it)."""


def _visit_scroll_region(self: Any, node: scroll_region) -> None:
    self.body.append(
        self.starttag(
            node, "div", "", CLASS="pubflow-scroll", tabindex="0", role="region", **{"aria-label": node["label"]}
        )
    )


def _depart_scroll_region(self: Any, node: scroll_region) -> None:
    self.body.append("</div>\n")


def _pass(self: Any, node: nodes.Element) -> None:
    pass


def _region(table: Table, label: str, app: Sphinx) -> scroll_region:
    """Each wide table scrolls in its own region: the page stays as wide as a phone."""
    content = prerendered_table(html=table.as_html()) if app.builder.format == "html" else table.as_nodes()
    return scroll_region("", content, label=label)


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(status_table)):
        if app.builder.name == "gettext":
            node.parent.remove(node)
            continue
        try:
            label = str(_("Translation status"))
            held = held_back_table(app)
            replacement: list[nodes.Node] = [_region(build_table(app), label, app)]
            if held is not None:
                replacement += [nodes.paragraph("", "", nodes.strong("", _("Held back from publication")))]
                replacement += [_region(held, label, app)]
            node.replace_self(replacement)
        except PubflowError as error:
            logger.warning("translation status not available: %s", error, location=node)
            node.parent.remove(node)


def setup(app: Sphinx) -> None:
    app.add_transform(MarkUntranslated)
    app.add_transform(KeepMessageIds)
    app.add_transform(MarkSourceUpdated)
    app.add_node(status_table)
    app.add_node(
        scroll_region, html=(_visit_scroll_region, _depart_scroll_region), latex=(_pass, _pass), text=(_pass, _pass)
    )
    app.add_node(prerendered_table, html=(_visit_prerendered_table, None))
    app.add_directive("pubflow-translation-status", TranslationStatusDirective)
    app.add_directive("pubflow-status-page", StatusPageDirective)
    app.add_env_collector(StatusCollector)
    app.connect("env-get-outdated", _reread_status_on_change)
    app.connect("doctree-resolved", _on_doctree_resolved)
