"""Corrections: what an edition shows for a message whose source changed after it was translated.

``msgmerge --previous`` records a correction the gettext way: the message
turns fuzzy and keeps its translation and the source it translated
(``#| msgid``). Sphinx shows a fuzzy message's source, which takes a
translated paragraph offline for every routine correction. pubflow decides
instead, per message (:func:`shown_text`), what the compiled catalog Sphinx
reads holds:

- for a locale converted by OpenCC, **the fresh conversion** of the corrected
  source: convert has already carried a reviewer's edits onto the new
  conversion wherever a three-way merge applies them cleanly
  (:func:`carry_review`); what is left fuzzy waits for review, and meanwhile
  the edition publishes the conversion of the current source, never the
  Simplified source and never a text that may no longer say what it says;
- for a translated locale, **the previous translation**, marked in the page
  as *source updated since* (``pubflow-source-updated``), while it still
  agrees with the corrected source on every number, date and glossary term
  (the ``numbers`` and ``glossary`` checks, run on the corrected source and on
  the previous one: only what the correction broke counts);
- for a paragraph split in two, msgmerge gives both parts the whole
  paragraph's translation: the first part shows it (marked), the later ones
  **the source** (:func:`repeated_corrections`), so that no reader gets the
  translation twice;
- for a translated locale whose previous translation disagrees, **the
  source**, marked "Translation outdated" as before: a stale number, date or
  name is worse than a paragraph in the source language, and the source is
  the text the edition can vouch for.

A locale with ``outdated-shows = "source"`` keeps Sphinx's behaviour: every
fuzzy message shows its source. Fuzzy translation-memory proposals (machine
output) are never shown: they were never a translation of this message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from pubflow.config import LocaleConfig
from pubflow.glossary import Glossary
from pubflow.review import MEMORY_FUZZY_ORIGIN, ReviewRecord

#: What a fuzzy message with a previous msgid shows (``outdated-shows``).
PREVIOUS_TRANSLATION, SOURCE = "previous-translation", "source"
OUTDATED_SHOWS = (PREVIOUS_TRANSLATION, SOURCE)


def is_correction(entry: polib.POEntry, record: ReviewRecord | None) -> bool:
    """A translated message whose source changed since (fuzzy with its previous msgid), not a memory proposal."""
    if not entry.fuzzy or entry.obsolete or entry.previous_msgid is None or not entry.msgstr or entry.msgid_plural:
        return False
    message = record.get(entry) if record is not None else None
    return not (message and message.machine and message.machine.origin == MEMORY_FUZZY_ORIGIN)


def repeated_corrections(catalog: polib.POFile, record: ReviewRecord | None) -> set[int]:
    """The ``id`` of every correction after the first with the same previous msgid (a paragraph split in two)."""
    seen: set[tuple[str | None, str | None]] = set()
    later: set[int] = set()
    for entry in catalog:
        if is_correction(entry, record):
            key = (entry.previous_msgctxt, entry.previous_msgid)
            if key in seen:
                later.add(id(entry))
            seen.add(key)
    return later


def _problems(source: str, translation: str, locale: LocaleConfig, glossary: Glossary, path: Path) -> set[str]:
    from pubflow.checks.model import EntryContext
    from pubflow.checks.numbers import check_numbers
    from pubflow.checks.terms import check_terms

    entry = polib.POEntry(msgid=source, msgstr=translation)
    context = EntryContext(path, entry, locale, glossary.source_language, glossary)
    return {finding.message for check in (check_numbers, check_terms) for finding in check(context)}


def disagreements(entry: polib.POEntry, locale: LocaleConfig, glossary: Glossary, path: Path) -> list[str]:
    """What the previous translation gets wrong about the corrected source that it got right about the old one."""
    new = _problems(entry.msgid, entry.msgstr, locale, glossary, path)
    old = _problems(entry.previous_msgid or "", entry.msgstr, locale, glossary, path)
    return sorted(new - old)


@dataclass(frozen=True)
class Shown:
    """What an edition shows for a corrected message: ``text`` (None: the source), and whether it is outdated."""

    text: str | None
    outdated: bool


def shown_text(
    entry: polib.POEntry,
    locale: LocaleConfig,
    glossary: Glossary,
    path: Path,
    convert: Callable[[str], str] | None = None,
) -> Shown:
    """What the compiled catalog holds for a correction (see the module's description)."""
    if locale.outdated_shows == SOURCE:
        return Shown(None, True)
    if convert is not None:
        return Shown(convert(entry.msgid), False)
    if not disagreements(entry, locale, glossary, path):
        return Shown(entry.msgstr, True)
    return Shown(None, True)


def carry_review(entry: polib.POEntry, convert: Callable[[str], str]) -> str | None:
    """A reviewer's edits to the old conversion, carried onto the conversion of the corrected source.

    A three-way merge, character by character (merge3, Breezy's): the old
    source's conversion is the base, the reviewer's text one side, the new
    source's conversion the other. None when the edits and the correction
    touch the same characters (a conflict): the message then stays for review.
    """
    import merge3

    if entry.previous_msgid is None:
        return None
    base = list(convert(entry.previous_msgid))
    fresh = list(convert(entry.msgid))
    mine = list(entry.msgstr)
    merged: list[str] = []
    for region in merge3.Merge3(base, mine, fresh).merge_regions():
        kind = region[0]
        if kind == "conflict":
            return None
        if kind == "unchanged":
            merged.extend(base[region[1] : region[2]])
        elif kind in ("a", "same"):
            merged.extend(mine[region[1] : region[2]])
        else:  # "b": only the correction changed these characters
            merged.extend(fresh[region[1] : region[2]])
    return "".join(merged)
