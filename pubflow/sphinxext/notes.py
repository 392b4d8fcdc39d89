"""Editor's and translator's notes in the editions (the notes files: :mod:`pubflow.notes`).

Two phases, because Sphinx's translation replaces a paragraph's text and with
it any trace of the source message:

1. ``RecordMessages`` (before Sphinx's ``Locale``) writes each translatable
   node's msgid on the node;
2. ``AddNotes`` (after translation, status marks and bilingual pairing)
   resolves the edition's notes against those messages and renders them: a
   note on the document title as an editor's note at the start of the article,
   any other as a numbered marker after its message's text and a footnote at
   the end. Footnote nodes give HTML (a list at the end) and LaTeX (page
   footnotes) from the writers Sphinx already has.

In the bilingual edition each cell carries its locale, and a note goes into
the cell of the locale it belongs to, numbered in one sequence down the page.
A stale or ambiguous note is not published; ``pubflow check`` reports it.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import publish_msgstr
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

from pubflow.config import LocaleConfig
from pubflow.errors import PubflowError
from pubflow.interface import N_
from pubflow.notes import Message, Note, load_resolved, notes_files
from pubflow.sphinxext.bilingual import bilingual_locales, cell, cell_inline, pair
from pubflow.sphinxext.editions import project_config
from pubflow.sphinxext.labels import CATALOG
from pubflow.sphinxext.status import is_document_title

logger = logging.getLogger(__name__)
MSGID = "pubflow_msgid"
BYLINE_CLASSES = {"pubflow-subtitle", "pubflow-byline", "pubflow-author", "pubflow-source", "pubflow-date"}
LABELS = {"editor": N_("Editor’s note:"), "translator": N_("Translator’s note:")}
NOTES_HEADING = N_("Notes")


class RecordMessages(SphinxTransform):
    """Keep each translatable node's source message, which translation would otherwise erase."""

    default_priority = 15  # after PreserveTranslatableMessages (10), before Locale (20)

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for node, msgid in extract_messages(self.document):
            node[MSGID] = msgid


def edition_locales(app: Sphinx) -> list[LocaleConfig]:
    """The locales whose notes this build shows: the edition's, or both columns' of a bilingual one."""
    project = project_config(app)
    pair_of_locales = bilingual_locales(app)
    if pair_of_locales is not None:
        return list(pair_of_locales)
    language = app.config.language or project.source_language
    return [project.locale(language)] if language in project.locales else []


def label(app: Sphinx, locale: str, message: str) -> str:
    """The extension's label in ``locale``, whatever language the build itself is in."""
    compiled = Path(app.doctreedir) / "pubflow-locale"
    return gettext.translation(CATALOG, str(compiled), languages=[locale], fallback=True).gettext(message)


def paired_row(
    kind: str,
    locales: list[LocaleConfig],
    content: dict[str, Any],
    render: Callable[[Any, LocaleConfig], nodes.Element],
) -> nodes.Element:
    """A bilingual row of one column per locale, each holding what ``render`` makes of that locale's ``content``."""
    unit = pair("", kind=kind, classes=["pubflow-pair", f"pubflow-unit-{kind}"])
    for loc in locales:
        column = cell("", lang=loc.html_lang, locale=loc.name, classes=["pubflow-cell"])
        if content[loc.name]:
            column += render(content[loc.name], loc)
        unit += column
    return unit


class AddNotes(SphinxTransform):
    default_priority = 995  # after MarkUntranslated (960) and BilingualPairs (990)

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        locales = edition_locales(self.app)
        if not locales:
            return
        project = project_config(self.app)
        units = list(self.units())
        messages = [Message(msgid) for _, msgid in units]
        try:
            # Only the editions pubflow checks carry notes: the source edition is the original as published.
            notes = {
                loc.name: [r for r in load_resolved(project, loc.name, self.env.docname, messages) if r.fresh]
                if loc.method != "source"
                else []
                for loc in locales
            }
        except PubflowError as error:
            where = f"{error.path}:{error.line}" if error.line else str(error.path)
            logger.warning("%s (run pubflow check)", error.message, location=where)
            return
        if not any(notes.values()):
            return
        self.latex = self.app.builder.format == "latex"
        self.bilingual = len(locales) == 2
        self.counter = 0
        footnotes: dict[str, list[nodes.Element]] = {loc.name: [] for loc in locales}
        start: dict[str, list[Note]] = {loc.name: [] for loc in locales}
        for node, msgid in units:
            for loc in locales:
                attached = [r.note for r in notes[loc.name] if r.message is not None and r.message.msgid == msgid]
                if not attached:
                    continue
                if isinstance(node, nodes.title) and is_document_title(node):
                    start[loc.name].extend(attached)
                    continue
                target = self.text_of(node, loc)
                if target is None:
                    continue
                for note in attached:
                    footnotes[loc.name].append(self.add_marker(target, note, loc))
        self.place_start_notes(start, locales)
        self.place_footnotes(footnotes, locales)

    def units(self) -> Iterator[tuple[nodes.Element, str]]:
        """Each message's node in document order: translated nodes, or the bilingual edition's pairs and titles."""
        for node in self.document.findall(nodes.Element):
            msgid = node.get("msgid") if isinstance(node, pair) else node.get(MSGID)
            if isinstance(msgid, str) and msgid:
                yield node, msgid

    def text_of(self, node: nodes.Element, locale: LocaleConfig) -> nodes.Element | None:
        """Where a marker goes: after the text of the message in ``locale``."""
        if not self.bilingual:
            return None if isinstance(node, pair) else node
        if isinstance(node, pair):
            column = next((c for c in node.findall(cell) if c["locale"] == locale.name), None)
            paragraphs = list(column.findall(nodes.paragraph)) if column is not None else []
            return paragraphs[-1] if paragraphs else None
        return next((c for c in node.findall(cell_inline) if c["locale"] == locale.name), None)

    def note_body(self, note: Note, locale: LocaleConfig) -> nodes.paragraph:
        text = label(self.app, locale.name, LABELS[note.by])
        paragraph = nodes.paragraph("", "", classes=["pubflow-note-text"])
        paragraph += nodes.strong(text, text)
        if not text.endswith("："):  # a full-width colon carries its own space
            paragraph += nodes.Text(" ")
        # Parsed as Sphinx parses a msgstr, in the document's name (publish_msgstr wants a source suffix it knows).
        source = self.document.get("source") or self.env.doc2path(self.env.docname)
        parsed = publish_msgstr(self.app, note.text, str(source), 0, self.config, self.document.settings)
        paragraph.extend(parsed.children if isinstance(parsed, nodes.paragraph) else [nodes.Text(note.text)])
        return paragraph

    def add_marker(self, target: nodes.Element, note: Note, locale: LocaleConfig) -> nodes.Element:
        self.counter += 1
        number = str(self.counter)
        if self.latex and self.bilingual:
            # paracol and Sphinx's footnote environment do not mix: endnotes in each column instead.
            target += nodes.superscript(number, number, classes=["pubflow-note-ref"])
            endnote = self.note_body(note, locale)
            endnote.insert(0, nodes.Text(f"{number}. "))
            endnote["classes"].append("pubflow-note")
            return endnote
        note_id = f"pubflow-note-{locale.name}-{self.counter}"
        ref_id = f"pubflow-note-ref-{locale.name}-{self.counter}"
        docname = self.env.docname
        reference = nodes.footnote_reference(
            "", number, ids=[ref_id], refid=note_id, docname=docname, classes=["pubflow-note-ref"]
        )
        target += reference
        footnote = nodes.footnote("", ids=[note_id], backrefs=[ref_id], docname=docname, classes=["pubflow-note"])
        footnote += nodes.label("", number)
        footnote += self.note_body(note, locale)
        return footnote

    def top_section(self) -> nodes.section | None:
        return next(iter(self.document.findall(nodes.section)), None)

    def place_start_notes(self, start: dict[str, list[Note]], locales: list[LocaleConfig]) -> None:
        top = self.top_section()
        if top is None or not any(start.values()):
            return
        position = 0
        for index, child in enumerate(top.children):
            if isinstance(child, nodes.title | nodes.raw) or BYLINE_CLASSES & set(child.get("classes", [])):
                position = index + 1
            elif not isinstance(child, nodes.system_message | nodes.comment | nodes.target):
                break
        if not self.bilingual:
            top.insert(position, self.start_block(start[locales[0].name], locales[0]))
            return
        top.insert(position, paired_row("note", locales, start, self.start_block))

    def start_block(self, notes: list[Note], locale: LocaleConfig) -> nodes.container:
        block = nodes.container("", classes=["pubflow-note-start"])
        for note in notes:
            block += self.note_body(note, locale)
        return block

    def place_footnotes(self, footnotes: dict[str, list[nodes.Element]], locales: list[LocaleConfig]) -> None:
        top = self.top_section()
        if top is None or not any(footnotes.values()):
            return
        if self.latex and not self.bilingual:
            # Sphinx's LaTeX writer moves each footnote to its marker: a page footnote.
            for loc in locales:
                top.extend(footnotes[loc.name])
            return
        if not self.bilingual:
            top += self.notes_list(footnotes[locales[0].name], locales[0])
            return
        unit = paired_row("notes", locales, footnotes, self.notes_list)
        closing = top.children[-1] if top.children else None
        if isinstance(closing, nodes.raw) and "end{paracol}" in closing.astext():
            top.insert(len(top.children) - 1, unit)  # inside the columns
        else:
            top += unit

    def notes_list(self, footnotes: list[nodes.Element], locale: LocaleConfig) -> nodes.container:
        # The heading comes first: docutils opens a footnote list only after a non-footnote sibling.
        heading = label(self.app, locale.name, NOTES_HEADING)
        block = nodes.container("", classes=["pubflow-notes"])
        block += nodes.rubric(heading, heading)
        block.extend(footnotes)
        return block


def notes_digest(app: Sphinx) -> str:
    """A hash of every notes file, so that a changed note makes Sphinx read the documents again."""
    project = project_config(app)
    digest = hashlib.sha256()
    for locale in project.locales:
        for document, path in notes_files(project, locale).items():
            digest.update(f"{locale}/{document}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _on_config_inited(app: Sphinx, config: Config) -> None:
    config.pubflow_notes = notes_digest(app)


def setup(app: Sphinx) -> None:
    app.add_config_value("pubflow_notes", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited, priority=700)
    app.add_transform(RecordMessages)
    app.add_transform(AddNotes)
