"""Editor's and translator's notes: what an edition adds that its source lacks.

A note belongs to one message of one document in one locale. The notes of a
document's edition live beside its catalog, in a file a reviewer reads like any
other text, ``locale/<lang>/notes/<document>.toml``::

    [[note]]
    message = "飞往当时还未完全独立的南太平洋国家东帝汶"   # the msgid, or a passage only it has
    source-hash = "3f1c0a9b2e7d"                        # the message when the note was written
    by = "editor"                                        # or "translator"
    text = "Timor-Leste is in Southeast Asia … (ASEAN, 26 October 2025)."

``source-hash`` turns the note stale when its message changes, as a fuzzy flag
does a translation: a stale note is not published, and ``pubflow check``
reports it (``note-stale``) until a person has read it against the new source
and written the new hash. A note on the document's title is shown at the start
of the edition; any other note is a numbered note after its message.

This module is the model, the file format and the checks; the Sphinx extension
(``pubflow.sphinxext.notes``) renders what :func:`resolve_notes` attaches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow.catalog import load_catalog
from pubflow.config import ProjectConfig, parse_toml
from pubflow.errors import PubflowError
from pubflow.fileio import read_text

NOTES_FOLDER = "notes"
AUTHORS = ("editor", "translator")
KEYS = ("message", "context", "source-hash", "by", "text")
REQUIRED = ("message", "text")
HASH_LENGTH = 12
TABLE_HEADER = re.compile(r"^\s*\[\[\s*note\s*\]\]\s*(?:#.*)?$")


def _quoted(text: str, width: int = 30) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def source_hash(msgid: str, msgctxt: str | None = None) -> str:
    """The hash a note records of its message's source text (and context, if any)."""
    material = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Note:
    path: Path
    line: int  # of its [[note]] header
    message: str
    source_hash: str
    text: str
    by: str = "editor"
    context: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def matches(self, msgctxt: str | None, msgid: str) -> bool:
        return msgctxt == self.context and self.message in msgid


@dataclass(frozen=True)
class Message:
    """A message of the source, as a catalog or the document tree names it."""

    msgid: str
    msgctxt: str | None = None


@dataclass(frozen=True)
class Resolution:
    """Where a note goes, or why it goes nowhere."""

    note: Note
    message: Message | None
    problem: str | None = None  # set when the note is stale or ambiguous

    @property
    def fresh(self) -> bool:
        return self.message is not None and self.problem is None


def notes_dir(config: ProjectConfig, locale: str) -> Path:
    return config.locale_dir / locale / NOTES_FOLDER


def notes_folder_of(catalog: Path) -> Path:
    """``locale/<lang>/notes/`` for a catalog anywhere under ``locale/<lang>/LC_MESSAGES/``."""
    messages = next((folder for folder in catalog.parents if folder.name == "LC_MESSAGES"), catalog.parent)
    return messages.parent / "notes"


def notes_path(config: ProjectConfig, locale: str, document: str) -> Path:
    return notes_dir(config, locale) / f"{document}.toml"


def notes_files(config: ProjectConfig, locale: str) -> dict[str, Path]:
    """Every notes file of a locale, by document name (``sub/doc`` for docs/sub/doc.rst)."""
    folder = notes_dir(config, locale)
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).with_suffix("").as_posix(): p for p in sorted(folder.rglob("*.toml"))}


def _key_lines(lines: list[str], start: int, end: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for number in range(start, end):
        match = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", lines[number - 1])
        if match and match.group(1) not in found:
            found[match.group(1)] = number
    return found


def load_notes(path: Path) -> list[Note]:
    """The notes of one file; a malformed file is a PubflowError naming the line."""
    text = read_text(path)
    data = parse_toml(text, path)
    unknown = sorted(set(data) - {"note"})
    if unknown:
        raise PubflowError(f"unknown table or key {unknown[0]!r}; a notes file holds [[note]] tables only", path, 1)
    tables = data.get("note", [])
    lines = text.splitlines()
    headers = [number for number, line in enumerate(lines, 1) if TABLE_HEADER.match(line)]
    if not isinstance(tables, list) or len(headers) != len(tables):
        raise PubflowError("write each note as a [[note]] table of its own", path, 1)
    notes = []
    for index, (table, line) in enumerate(zip(tables, headers, strict=True)):
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        notes.append(_note_from_table(table, path, line, _key_lines(lines, line + 1, end)))
    return notes


def _note_from_table(table: dict[str, object], path: Path, line: int, key_lines: dict[str, int]) -> Note:
    for key in table:
        if key not in KEYS:
            raise PubflowError(f"unknown key {key!r}; a note has {', '.join(KEYS)}", path, key_lines.get(key, line))
    for key in REQUIRED:
        if not isinstance(table.get(key), str) or not str(table[key]).strip():
            raise PubflowError(f"the note has no {key} (a non-empty string)", path, key_lines.get(key, line))
    by = table.get("by", "editor")
    if by not in AUTHORS:
        raise PubflowError(f"by = {by!r}; expected one of {', '.join(AUTHORS)}", path, key_lines.get("by", line))
    context = table.get("context")
    if context is not None and not isinstance(context, str):
        raise PubflowError("context must be a string (the message's msgctxt)", path, key_lines.get("context", line))
    return Note(
        path=path,
        line=line,
        message=str(table["message"]),
        source_hash=str(table.get("source-hash", "")).strip(),
        text=str(table["text"]).strip(),
        by=str(by),
        context=context,
        key_lines=key_lines,
    )


def resolve_notes(notes: Iterable[Note], messages: Iterable[Message]) -> list[Resolution]:
    """Attach each note to its message: the one whose msgid it quotes whole, else the only one containing it."""
    messages = list(dict.fromkeys(messages))
    resolutions = []
    for note in notes:
        exact = [m for m in messages if m.msgctxt == note.context and m.msgid == note.message]
        candidates = exact or [m for m in messages if note.matches(m.msgctxt, m.msgid)]
        if not candidates:
            resolutions.append(Resolution(note, None, f"no message of the source has {_quoted(note.message)}"))
        elif len(candidates) > 1:
            resolutions.append(
                Resolution(
                    note,
                    None,
                    f"{len(candidates)} messages have {_quoted(note.message)}; quote more of the one meant",
                )
            )
        else:
            message = candidates[0]
            now = source_hash(message.msgid, message.msgctxt)
            hint = f'source-hash = "{now}"'
            if now == note.source_hash:
                problem = None
            elif not note.source_hash:
                problem = f"the note has no source-hash yet: read it against its message, then set {hint}"
            else:
                problem = (
                    f"the source of {_quoted(message.msgid)} changed since the note was written: "
                    f"read the note against it, then set {hint}"
                )
            resolutions.append(Resolution(note, message, problem))
    return resolutions


def load_resolved(config: ProjectConfig, locale: str, document: str, messages: Iterable[Message]) -> list[Resolution]:
    """A document's notes in one locale, resolved against its messages; none when it has no notes file."""
    path = notes_path(config, locale, document)
    if not path.is_file():
        return []
    return resolve_notes(load_notes(path), messages)


def catalog_messages(catalog: polib.POFile) -> list[Message]:
    return [Message(e.msgid, e.msgctxt) for e in catalog if e.msgid and not e.obsolete]


@dataclass(frozen=True)
class NoteCount:
    notes: int = 0
    stale: int = 0


def count_notes(config: ProjectConfig, locale: str, document: str) -> NoteCount:
    """How many notes a document's edition publishes, and how many it holds back as stale."""
    path = notes_path(config, locale, document)
    catalog_path = config.locale_dir / locale / "LC_MESSAGES" / f"{document}.po"
    if not path.is_file():
        return NoteCount()
    messages = catalog_messages(load_catalog(catalog_path)) if catalog_path.is_file() else []
    resolutions = resolve_notes(load_notes(path), messages)
    fresh = sum(1 for r in resolutions if r.fresh)
    return NoteCount(fresh, len(resolutions) - fresh)
