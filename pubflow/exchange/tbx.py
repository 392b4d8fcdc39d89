"""TBX: the glossary as a termbase that CAT tools (OmegaT, memoQ, Trados MultiTerm …) load.

One ``<termEntry>`` per glossary row, its id a digest of the source term (stable
when rows move), the row's note as the entry's ``<note>``, and one
``<langSet>`` per language that has a form: the source term, then each
locale's forms, one ``<tig>`` per accepted alternative (``|`` in the CSV).
A row with no form in any exported locale (a zh_TW conversion fix, exported
for English) is left out rather than written as an empty entry. The
structure is TBX core (ISO 30042, the ``martif`` document) in the TBX-Basic
dialect, which OmegaT's reader binds to.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

from pubflow import __version__
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.exchange.tmx import language_tag
from pubflow.exchange.xmlfiles import XML_LANG, write_xml
from pubflow.glossary import load_glossary


def term_id(source: str) -> str:
    return "t" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def export_tbx(config: ProjectConfig, locales: list[LocaleConfig], path: Path) -> int:
    """Write the glossary's terms for the locales as a TBX file; the number of entries."""
    glossary = load_glossary(config.glossary_path, config.source_language)
    root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    file_description = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(file_description, "titleStmt"), "title").text = "pubflow glossary"
    ET.SubElement(
        ET.SubElement(file_description, "sourceDesc"), "p"
    ).text = f"{config.glossary_path.name}, exported by pubflow {__version__}"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    count = 0
    for term in sorted(glossary.terms, key=lambda t: t.line):
        targets = [(loc.name, term.alternatives(loc.name)) for loc in locales if term.alternatives(loc.name)]
        if not targets:
            continue  # a conversion fix of another locale: nothing to look up in these
        entry = ET.SubElement(body, "termEntry", id=term_id(term.source))
        if term.note:
            ET.SubElement(entry, "note").text = term.note
        for locale, forms in [(config.source_language, [term.source]), *targets]:
            if not forms:
                continue
            language_set = ET.SubElement(entry, "langSet", {XML_LANG: language_tag(locale)})
            for form in forms:
                ET.SubElement(ET.SubElement(language_set, "tig"), "term").text = form
        count += 1
    write_xml(path, root)  # no DOCTYPE: a reader would try to fetch the DTD it names
    return count
