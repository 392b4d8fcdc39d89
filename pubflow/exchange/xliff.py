"""XLIFF 1.2: a locale's catalogs as CAT tools read them, and their work back into the catalogs.

Export writes one ``<file>`` per catalog (``original`` is the catalog's path in
the project) and one ``<trans-unit>`` per message. Its id is a digest of msgctxt
and msgid, then ``-t`` and a digest of the translation as exported: CAT tools
keep ids, which are their key for the round trip, so import knows what the
catalog said when the file was made. Each unit carries:

- its state: ``new`` (untranslated), ``needs-review-translation`` (fuzzy, or
  machine or memory output no person has taken over, with the state-qualifier
  ``leveraged-tm``, ``leveraged-mt`` or ``fuzzy-match``), ``translated`` (a
  person's, in a catalog without a review record) or ``final`` (a person wrote
  or approved it, as the review record says);
- notes: the glossary terms its source contains and their form in the locale,
  the translator's and the extraction comments, the previous source of a fuzzy message;
- its context: msgctxt and the source locations.

Import checks the whole file before it changes anything: every ``<file>`` must
name a catalog of the project and every unit a message of it, with the same
source text. It then changes exactly the messages whose target changed, sets
them fuzzy or not from the unit's state, records them as a person's, and writes
each catalog (and its review record) atomically. An empty or missing target
never clears a translation. A message that changed in the catalog since the
export keeps its newer text when the unit's target is still the exported one,
and the file is refused when both changed: an old file never undoes later work.
Machine output or a fuzzy message approved in the CAT tool (``approved="yes"``,
or the state ``translated``, ``final`` or ``signed-off``) with its text left as
it was becomes a person's, as an edit would.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow import __version__
from pubflow.catalog import CatalogLayout, catalog_bytes, file_newline, load_catalog, newline_ends_agree
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError
from pubflow.exchange.tmx import language_tag
from pubflow.exchange.xmlfiles import (
    XML_SPACE,
    XmlFile,
    child,
    children,
    local_name,
    parse_untrusted,
    write_xml,
    xml_illegal,
)
from pubflow.glossary import Glossary, load_glossary
from pubflow.memory import EXACT_ORIGIN, FUZZY_ORIGIN, catalog_documents, is_unreviewed
from pubflow.review import (
    LEGACY_MACHINE_FLAG,
    ReviewRecord,
    State,
    load_record,
    mark_person,
    origin_of,
    save_with_catalog,
    state_of,
)

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
#: States a CAT tool sets on a target that still needs work: imported as fuzzy.
NEEDS_WORK = {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n", "needs-adaptation",
              "needs-l10n", "needs-translation"}  # fmt: skip
#: States of a target that is a translation; OmegaT never changes a state, so ``new`` with text counts too.
DONE = {"translated", "final", "signed-off", "new", ""}
#: States a person sets to approve a target; a missing state or ``new`` approves nothing.
APPROVING = {"translated", "final", "signed-off"}
#: ``m`` + digest of msgctxt and msgid, then ``-t`` + digest of the exported translation (absent in older files),
#: then ``-s`` when the target held the source in its place (--copy-source, a translation still to review).
UNIT_ID = re.compile(r"(?P<message>m[0-9a-f]{16})(?:-t(?P<exported>[0-9a-f]{8}))?(?P<held_back>-s)?")
HELD_BACK = "-s"


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """A unit's id: stable while its msgctxt and msgid are, unique in a catalog."""
    key = f"{msgctxt}\x04{msgid}" if msgctxt is not None else msgid
    return "m" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def exported_digest(msgstr: str) -> str:
    return hashlib.sha256(msgstr.encode("utf-8")).hexdigest()[:8]


def _units(catalog: polib.POFile) -> list[polib.POEntry]:
    # Sphinx's catalogs have no plural messages; one would be left out of the exchange, untouched.
    return [e for e in catalog if not e.obsolete and e.msgid and not e.msgid_plural]


# -- export ----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    files: int = 0
    units: int = 0
    states: dict[str, int] = field(default_factory=dict)


def unit_state(entry: polib.POEntry, record: ReviewRecord) -> tuple[str, str | None]:
    """The XLIFF state and state-qualifier of a message."""
    if not entry.msgstr:
        return "new", None
    origin = origin_of(entry, record)
    if entry.fuzzy:
        return "needs-review-translation", "fuzzy-match" if origin == FUZZY_ORIGIN else None
    if LEGACY_MACHINE_FLAG in entry.flags or is_unreviewed(entry, record):
        return "needs-review-translation", "leveraged-tm" if origin == EXACT_ORIGIN else "leveraged-mt"
    return ("final", None) if state_of(entry, record) is State.PERSON else ("translated", None)


def _note(unit: ET.Element, text: str, source: str, annotates: str = "general") -> None:
    ET.SubElement(unit, "note", {"from": source, "annotates": annotates}).text = text


def _glossary_notes(unit: ET.Element, msgid: str, glossary: Glossary, locale: str) -> None:
    for term in glossary.terms:
        forms = " | ".join(term.alternatives(locale))
        if forms and term.source in msgid:
            _note(unit, f"glossary: {term.source} = {forms}", "glossary", "source")


def _add_unit(
    body: ET.Element,
    entry: polib.POEntry,
    record: ReviewRecord,
    glossary: Glossary,
    locale: str,
    copy_source: bool,
    po_path: Path,
) -> str:
    for text in (entry.msgid, entry.msgstr, entry.tcomment, entry.comment, entry.msgctxt):
        character = xml_illegal(text)
        if character:
            raise PubflowError(
                f"this message holds {character}, a control character XML cannot carry, so no XLIFF file can hold "
                "it; delete it from the catalog and export again",
                po_path,
                entry.linenum,
            )
    state, qualifier = unit_state(entry, record)
    # OmegaT shows a target's text as the segment's source: a translation still to review (OpenCC's, the
    # memory's, a fuzzy one) would stand where the Chinese source should. For OmegaT it stays out of the
    # target, which holds the source as for an untranslated message, and is named in a note (and offered
    # by tmx export --machine-output in tm/mt/); a target the reviewer sets to it approves it.
    held_back = copy_source and state == "needs-review-translation"
    uid = f"{unit_id(entry.msgctxt, entry.msgid)}-t{exported_digest(entry.msgstr)}{HELD_BACK if held_back else ''}"
    unit = ET.SubElement(body, "trans-unit", {"id": uid, XML_SPACE: "preserve"})
    ET.SubElement(unit, "source").text = entry.msgid
    if held_back:
        state, qualifier = "new", None
    attributes = {"state": state}
    if qualifier:
        attributes["state-qualifier"] = qualifier
    if state in ("translated", "final"):
        unit.set("approved", "yes")  # translate-toolkit (and Weblate) read a unit without it as fuzzy
    target = ET.SubElement(unit, "target", attributes)
    # OmegaT's XLIFF filter translates what <target> holds: it needs the source there.
    target.text = entry.msgid if held_back else entry.msgstr or (entry.msgid if copy_source else "")
    if held_back:
        _note(unit, f"to review: {entry.msgstr}", "pubflow")
    _glossary_notes(unit, entry.msgid, glossary, locale)
    if entry.tcomment:
        _note(unit, entry.tcomment, "translator")
    if entry.comment:
        _note(unit, entry.comment, "developer")
    if entry.fuzzy and entry.previous_msgid:
        _note(unit, f"previous source: {entry.previous_msgid}", "pubflow", "source")
    if entry.occurrences:
        group = ET.SubElement(unit, "context-group", name="po-reference", purpose="location")
        for where, line in entry.occurrences:
            ET.SubElement(group, "context", {"context-type": "sourcefile"}).text = where
            if line:
                ET.SubElement(group, "context", {"context-type": "linenumber"}).text = str(line)
    if entry.msgctxt is not None:
        group = ET.SubElement(unit, "context-group", name="po-entry", purpose="information")
        ET.SubElement(group, "context", {"context-type": "x-po-msgctxt"}).text = entry.msgctxt
    return state


def export_xliff(
    config: ProjectConfig,
    locale: LocaleConfig,
    path: Path,
    documents: list[str] | None = None,
    copy_source: bool = False,
) -> ExportResult:
    """Write the locale's catalogs (or the named documents') as one XLIFF 1.2 file."""
    glossary = load_glossary(config.glossary_path, config.source_language)
    available = dict(catalog_documents(config, locale))
    for name in documents or []:
        if name not in available:
            raise PubflowError(
                f"no {locale.name} catalog for document {name!r}; documents are {', '.join(available)}",
                config.locale_dir / locale.name / "LC_MESSAGES",
            )
    chosen = documents or list(available)
    root = ET.Element("xliff", version="1.2", xmlns=NAMESPACE)
    result = ExportResult(path)
    for name in chosen:
        po_path = available[name]
        catalog = load_catalog(po_path)
        record = load_record(po_path)
        file_element = ET.SubElement(
            root,
            "file",
            {
                "original": po_path.relative_to(config.root).as_posix(),
                "source-language": language_tag(config.source_language),
                "target-language": language_tag(locale.name),
                "datatype": "po",
            },
        )
        header = ET.SubElement(file_element, "header")
        ET.SubElement(header, "tool", {"tool-id": "pubflow", "tool-name": "pubflow", "tool-version": __version__})
        body = ET.SubElement(file_element, "body")
        for entry in _units(catalog):
            state = _add_unit(body, entry, record, glossary, locale.name, copy_source, po_path)
            result.states[state] = result.states.get(state, 0) + 1
            result.units += 1
        result.files += 1
    write_xml(path, root)
    return result


# -- import ----------------------------------------------------------------------------------


@dataclass
class Change:
    entry: polib.POEntry
    text: str
    fuzzy: bool
    approval: bool = False  # the same text, approved in the CAT tool


@dataclass
class CatalogChanges:
    path: Path
    catalog: polib.POFile
    layout: CatalogLayout
    record: ReviewRecord
    read_as: bytes  # the catalog's bytes as read
    changes: list[Change] = field(default_factory=list)
    kept_newer: int = 0  # changed in the catalog since the export, untouched in the file


@dataclass
class ImportResult:
    changed: dict[Path, int] = field(default_factory=dict)
    unchanged: int = 0
    written: list[Path] = field(default_factory=list)
    approved: int = 0
    kept_newer: int = 0


def _short(text: str, length: int = 30) -> str:
    return repr(text if len(text) <= length else text[:length] + "…")


def _plain_text(element: ET.Element | None, unit: str, path: Path, line: int | None) -> str:
    if element is None:
        return ""
    if len(element):
        raise PubflowError(
            f"unit {unit}: <{local_name(element)}> holds inline markup (<{local_name(element[0])}>), which a "
            f"catalog cannot hold; make it plain text in the CAT tool",
            path,
            line,
        )
    return element.text or ""


def _project_catalogs(config: ProjectConfig) -> dict[str, tuple[LocaleConfig, Path]]:
    found: dict[str, tuple[LocaleConfig, Path]] = {}
    for locale in config.targets:
        for _name, po_path in catalog_documents(config, locale):
            found[po_path.relative_to(config.root).as_posix()] = (locale, po_path)
    return found


def _read_file(
    file_element: ET.Element, catalogs: dict[str, tuple[LocaleConfig, Path]], xml: XmlFile, path: Path
) -> CatalogChanges:
    file_line = xml.line(file_element)
    original = file_element.get("original", "")
    if original not in catalogs:
        raise PubflowError(
            f"<file original={original!r}> is not a catalog of this project; export again", path, file_line
        )
    locale, po_path = catalogs[original]
    language = file_element.get("target-language", "")
    if language and language.lower() != language_tag(locale.name).lower():
        raise PubflowError(
            f"<file original={original!r}> has target-language {language!r}, not {locale.name}", path, file_line
        )
    read_as = catalog_bytes(po_path)  # first: a save in an editor after this is never written over
    catalog = load_catalog(po_path)
    layout = CatalogLayout(po_path.read_text(encoding="utf-8"), catalog, file_newline(po_path))
    found = CatalogChanges(po_path, catalog, layout, load_record(po_path), read_as)
    entries = {unit_id(e.msgctxt, e.msgid): e for e in _units(catalog)}
    renamed = {
        unit_id(e.previous_msgctxt or e.msgctxt, e.previous_msgid): e for e in entries.values() if e.previous_msgid
    }
    seen: set[str] = set()
    body = child(file_element, "body")
    units = [u for u in (body.iter() if body is not None else []) if local_name(u) == "trans-unit"]
    for unit in units:
        uid = unit.get("id", "")
        line = xml.line(unit)
        parsed = UNIT_ID.fullmatch(uid)
        key = parsed["message"] if parsed else uid
        if key in seen:
            raise PubflowError(f"unit {uid} appears twice in {original}", path, line)
        seen.add(key)
        entry = entries.get(key)
        if entry is None:
            if key in renamed:
                raise PubflowError(
                    f"unit {uid}: its source changed in {original} since the export (now "
                    f"{_short(renamed[key].msgid)}); export again and redo this unit",
                    path,
                    line,
                )
            raise PubflowError(f"unit {uid}: unknown unit, no such message in {original}; export again", path, line)
        source = _plain_text(child(unit, "source"), uid, path, line)
        if source != entry.msgid:
            raise PubflowError(
                f"unit {uid}: its source no longer matches {original} ({_short(source)} against "
                f"{_short(entry.msgid)}); export again",
                path,
                line,
            )
        target = child(unit, "target")
        text = _plain_text(target, uid, path, line)
        state = (target.get("state", "") if target is not None else "").strip()
        approved = unit.get("approved")
        if approved == "no" and state not in NEEDS_WORK:
            state = "needs-review-translation"
        elif approved == "yes" and state in NEEDS_WORK:
            # Weblate's and translate-toolkit's approval (markapproved) sets approved="yes" and leaves the
            # state as it was; translate-toolkit reads such a unit as translated, and so does pubflow.
            state = "translated"
        if state not in NEEDS_WORK and state not in DONE:
            # x-… states of other tools: a translation, unless it says otherwise
            state = "translated"
        held_back = bool(parsed and parsed["held_back"])
        if (not entry.msgstr or held_back) and text == entry.msgid and state in ("new", "needs-translation"):
            text = ""  # the source copied into the target (--copy-source), not a translation
        if text and not newline_ends_agree(entry.msgid, text):
            raise PubflowError(
                f"unit {uid}: the target {_short(text)} begins or ends with a line break where the source "
                "does not, or the other way round (msgfmt would reject the catalog); fix it in the CAT tool",
                path,
                line,
            )
        exported = parsed["exported"] if parsed else None
        if exported is not None and exported != exported_digest(entry.msgstr) and text != entry.msgstr:
            # The catalog moved on since the export (a person's edit, a new conversion).
            if not text or exported_digest(text) == exported:
                found.kept_newer += 1
                continue
            raise PubflowError(
                f"unit {uid}: changed in {original} since the export (now {_short(entry.msgstr)}) and in this "
                f"file ({_short(text)}); export again, redo this unit and import that file",
                path,
                line,
            )
        # A reviewer who put the translation held back into the target (OmegaT never sets a state) approves it.
        approves = held_back or _approves(unit, target, state)
        if text == entry.msgstr and text and approves and _awaits_approval(entry, found.record):
            found.changes.append(Change(entry, text, fuzzy=False, approval=True))
            continue
        if not text or text == entry.msgstr:
            continue
        found.changes.append(Change(entry, text, fuzzy=state in NEEDS_WORK))
    return found


def _approves(unit: ET.Element, target: ET.Element | None, state: str) -> bool:
    """Whether the CAT tool says a person approved the target (not merely that it has one).

    ``state`` is the unit's state as read with its ``approved`` attribute.
    """
    explicit = (target.get("state", "") if target is not None else "").strip()
    return state not in NEEDS_WORK and (unit.get("approved") == "yes" or explicit in APPROVING)


def _awaits_approval(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Machine output no person has taken over, or a fuzzy message: what an approval changes."""
    return entry.fuzzy or LEGACY_MACHINE_FLAG in entry.flags or is_unreviewed(entry, record)


def import_xliff(config: ProjectConfig, path: Path) -> ImportResult:
    """Bring a CAT tool's work back: all or nothing, each catalog written atomically."""
    xml = parse_untrusted(path, "XLIFF")
    root = xml.root
    if local_name(root) != "xliff" or not root.get("version", "").startswith("1."):
        raise PubflowError("not an XLIFF 1.x file (pubflow xliff export writes XLIFF 1.2)", path)
    catalogs = _project_catalogs(config)
    planned: dict[Path, CatalogChanges] = {}
    for file_element in children(root, "file"):
        changes = _read_file(file_element, catalogs, xml, path)
        if changes.path in planned:
            raise PubflowError(
                f"<file original={file_element.get('original')!r}> appears twice", path, xml.line(file_element)
            )
        planned[changes.path] = changes
    result = ImportResult()
    for changes in planned.values():
        result.kept_newer += changes.kept_newer
        result.approved += sum(change.approval for change in changes.changes)
        if not changes.changes:
            result.unchanged += 1
            continue
        for change in changes.changes:
            _apply(change, changes.record)
        # In an order that a kill at any point leaves true, and never over a save made since the reading.
        text = changes.layout.splice(changes.catalog, config.wrap_width)
        if save_with_catalog(changes.record, changes.catalog, changes.path, text, changes.read_as):
            result.written.append(changes.path)
        result.changed[changes.path] = len(changes.changes)
    return result


def _apply(change: Change, record: ReviewRecord) -> None:
    entry = change.entry
    entry.msgstr = change.text
    mark_person(entry, record)
    if change.fuzzy:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    else:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
