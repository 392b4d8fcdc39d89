"""The fast reader: a catalog's text into polib's POFile and POEntry, at regular-expression speed.

polib stays the catalog model; this only builds its objects faster. polib's
reader runs a state machine line by line in Python (several calls and a
regular expression per line); here one compiled regular expression matches a
whole entry, in the exact layout gettext's tools write, and the entry's
fields are filled in directly. Whatever falls outside that layout (a keyword
touching its string, stray spaces, a comment at the end, a ``#~|`` line …)
makes :func:`read_entries` return None, and the caller reads the text with
polib's own parser, which then gives its result or its syntax error as
before. The objects built here are equal, field for field, to polib's
(tests/test_reader.py compares them on real catalogs and odd ones).
"""

from __future__ import annotations

import gc
import re
from sys import intern

import polib

# A string literal in gettext's grammar: escapes in pairs, closed on its line.
_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_ENTRY = re.compile(
    rf"""
    (?P<comments>(?:\#(?!~)[^\n]*\n)*)
    (?P<o>(?:\#~[ ])?)
    (?:msgctxt[ ](?P<ctx>{_STRING}\n(?:(?P=o){_STRING}\n)*)(?P=o))?
    msgid[ ](?P<id>{_STRING}\n(?:(?P=o){_STRING}\n)*)
    (?:(?P=o)msgid_plural[ ](?P<plural>{_STRING}\n(?:(?P=o){_STRING}\n)*))?
    (?:
        (?P=o)msgstr[ ](?P<str>{_STRING}\n(?:(?P=o){_STRING}\n)*)
      | (?P<forms>(?:(?P=o)msgstr\[\d\][ ]{_STRING}\n(?:(?P=o){_STRING}\n)*)+)
    )
    (?P<blank>\n*)
    """,
    re.VERBOSE,
)
_REFERENCES_AND_FLAGS = re.compile(r"(?:\#[:,] [^\n]*\n)+")
_FORM = re.compile(r"^msgstr\[(\d)\] ", re.MULTILINE)
_PREVIOUS = re.compile(rf"(msgctxt|msgid_plural|msgid) ({_STRING})$")
_WHOLE_STRING = re.compile(rf"{_STRING}$")
_ODD_COMMENT_MARK = frozenset(".:,|~")
_unescape = polib.unescape
_new_entry = polib.POEntry.__new__
_POEntry = polib.POEntry


def _value(lines: str, prefix: str) -> str:
    """The text of a string and its continuation lines (``"..."\\n`` each, after ``prefix``)."""
    raw = lines[1:-2]
    if "\n" in raw:  # continuation lines: a quote, a line break and a quote occur only between two pieces
        raw = raw.replace(f'"\n{prefix}"', "")
    return _unescape(raw) if "\\" in raw else raw


class _Comments:
    __slots__ = ("comment", "flags", "header", "occurrences", "previous", "tcomment")

    def __init__(self) -> None:
        self.comment: list[str] = []
        self.tcomment: list[str] = []
        self.header: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous: dict[str, str] = {}


def _add_occurrences(found: _Comments, references: str) -> bool:
    """Add a "#:" line's references as polib reads them ("file:line", or a name alone); whether there was one."""
    before = len(found.occurrences)
    for occurrence in references.split():
        file, sep, number = occurrence.rpartition(":")
        found.occurrences.append((file, number) if sep and number.isdigit() else (occurrence, ""))
    return len(found.occurrences) > before


def _read_comments(block: str, at_start: bool) -> _Comments | None:
    """An entry's comment lines as polib reads them (after pubflow's gettext-compatible rewriting); None if odd."""
    found = _Comments()
    last_previous: str | None = None
    header_open = at_start
    for line in block[:-1].split("\n"):
        mark = line[:3]
        if mark == "#: " and not header_open:  # the common case first, read as polib reads it
            if not _add_occurrences(found, line[3:]):
                return None  # polib skips an empty "#:" line, which shifts its line numbers: leave it to polib
            last_previous = None
            continue
        if len(line) > 1 and not line[1].isspace() and line[1] not in _ODD_COMMENT_MARK:
            line = "# " + line[1:]  # gettext reads "#x" as a translator comment
        line = line.strip()
        tokens = line.split(None, 2)
        kind = tokens[0]
        if kind == "#" or kind.startswith("##"):
            if header_open:
                found.header.append(line[2:])
                continue
            text = line.lstrip("#")
            found.tcomment.append(text[1:] if text.startswith(" ") else text)
            last_previous = None
            continue
        header_open = False
        if len(tokens) == 1:
            return None  # polib skips a bare "#:", "#," or "#.", which shifts its line numbers: leave it to polib
        if kind == "#:":
            _add_occurrences(found, line[3:])
            last_previous = None
        elif kind == "#,":
            found.flags += [flag.strip() for flag in line[3:].split(",")]
            last_previous = None
        elif kind == "#.":
            found.comment.append(line[3:])
            last_previous = None
        elif kind == "#|":
            rest = line[2:].lstrip()
            if rest.startswith('"'):
                if last_previous is None or not _WHOLE_STRING.match(rest):
                    return None
                found.previous[last_previous] += _unescape(rest[1:-1])
                continue
            match = _PREVIOUS.match(rest)
            if not match:
                return None
            last_previous = match.group(1)
            found.previous[last_previous] = _unescape(match.group(2)[1:-1])
        else:
            return None
    return found


def read_entries(text: str) -> polib.POFile | None:
    """The catalog in ``text`` as polib's POFile, or None when its layout is not the one read here."""
    # The reader makes no reference cycles, so the cycle collector would only walk its fresh entries
    # over and over (a tenth of the reading time on a large catalog).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_entries(text)
    finally:
        if collecting:
            gc.enable()


def _read_entries(text: str) -> polib.POFile | None:
    if "\r" in text or "\x00" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"
    position = len(text) - len(text.lstrip("\n"))
    line = position + 1
    catalog = polib.POFile(wrapwidth=0, encoding="utf-8")
    entries: list[polib.POEntry] = []
    append = entries.append
    value = _value
    new_entry = _new_entry
    entry_class = _POEntry
    occurrences: list[tuple[str, str]]
    read_comments = _read_comments
    first = True
    for match in _ENTRY.finditer(text, position):
        if match.start() != position:
            return None
        comments_text, prefix, context, msgid, plural, msgstr, forms_text, _ = match.groups()
        comment = tcomment = ""
        previous_msgctxt = previous_msgid = previous_msgid_plural = None
        flags: list[str] = []
        if comments_text and not first and _REFERENCES_AND_FLAGS.fullmatch(comments_text):
            # Only source references and flags, as in most catalogs: read as polib reads them, without the
            # general loop. polib skips such a line when it is empty, which shifts its line numbers: not here.
            occurrences = []
            for comment_line in comments_text[:-1].split("\n"):
                if comment_line[1] == ":":
                    found = comment_line[3:].split()
                    if not found:
                        return None
                    for occurrence in found:
                        file, sep, number = occurrence.rpartition(":")
                        occurrences.append(
                            (intern(file), intern(number)) if sep and number.isdigit() else (occurrence, "")
                        )
                else:
                    if not comment_line[3:].strip():
                        return None
                    flags += [flag.strip() for flag in comment_line[3:].split(",")]
        elif comments_text:
            comments = read_comments(comments_text, first)
            if comments is None:
                return None
            if comments.header:
                catalog.header = "\n".join(comments.header)
            previous = comments.previous
            comment = "\n".join(comments.comment)
            tcomment = "\n".join(comments.tcomment)
            occurrences = comments.occurrences
            flags = comments.flags
            if previous:
                previous_msgctxt = previous.get("msgctxt")
                previous_msgid = previous.get("msgid")
                previous_msgid_plural = previous.get("msgid_plural")
        else:
            occurrences = []
        forms: dict[int, str] = {}
        if forms_text is not None:
            pieces = _FORM.split(forms_text[len(prefix) :].replace("\n#~ ", "\n") if prefix else forms_text)
            for index in range(1, len(pieces), 2):
                forms[int(pieces[index])] = value(pieces[index + 1], "")
        # Set in the order polib's constructor sets them, so that every entry shares one table of keys
        # (a dict of its own per entry would cost half a kilobyte more each).
        entry = new_entry(entry_class)
        entry.msgid = value(msgid, prefix)
        entry.msgstr = value(msgstr, prefix) if forms_text is None else ""
        entry.msgid_plural = value(plural, prefix) if plural is not None else ""
        entry.msgstr_plural = forms
        entry.msgctxt = value(context, prefix) if context is not None else None
        entry.obsolete = 1 if prefix else 0
        entry.encoding = "utf-8"
        entry.comment = comment
        entry.tcomment = tcomment
        entry.occurrences = occurrences
        entry.flags = flags
        entry.previous_msgctxt = previous_msgctxt
        entry.previous_msgid = previous_msgid
        entry.previous_msgid_plural = previous_msgid_plural
        entry.linenum = 0 if first else line
        append(entry)
        first = False
        position = match.end()
        line += text.count("\n", match.start(), position)
    if position != len(text):
        return None
    list.extend(catalog, entries)
    _take_header(catalog)
    return catalog


def _take_header(catalog: polib.POFile) -> None:
    """polib's reading of the header entry: the first live entry with an empty msgid becomes the metadata."""
    header = catalog.find("")  # the entry polib's own parser takes: live, and without msgctxt if several
    if header is None:
        return
    catalog.remove(header)
    catalog.metadata_is_fuzzy = header.flags
    key = None
    for message in header.msgstr.splitlines():
        try:
            key, value = message.split(":", 1)
            catalog.metadata[key] = value.strip()
        except (ValueError, KeyError):
            if key is not None:
                catalog.metadata[key] += "\n" + message.strip()
