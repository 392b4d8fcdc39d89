"""Notes: an edition's notes are checked as its translations are, and turn stale with their source.

- ``note``: a notes file that does not parse, or a note that would publish a
  link, raw HTML or LaTeX, a directive, a substitution or a control character
  (the same reading as ``security``), markup other than emphasis and strong or left unpaired, more
  than one paragraph, or Simplified-only characters in a Traditional edition;
- ``note-stale``: the note's message changed since the note was written, or is
  gone, or the passage it quotes is in several messages.

The build refuses an edition whose notes have a ``note`` error
(:func:`unpublishable_notes`), as it refuses one whose catalogs have a
``security`` error: what ``check`` fails, ``publish`` does not publish.
"""

from __future__ import annotations

from collections.abc import Iterator

from pubflow.catalog import load_catalog
from pubflow.checks.markup import markup_signature
from pubflow.checks.model import Finding, Severity
from pubflow.checks.script import TRADITIONAL_OPENCC, simplified_only
from pubflow.checks.security import found_markup
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError
from pubflow.notes import Note, catalog_messages, load_notes, notes_files, resolve_notes

CHECK_NOTE = "note"
CHECK_STALE = "note-stale"
#: The markup a note may use: emphasis (the titles of publications) and strong.
ALLOWED_MARKUP = frozenset({"emphasis", "strong"})


def check_note_text(note: Note, locale: LocaleConfig) -> Iterator[Finding]:
    line = note.line_of("text")
    # The security check's own reading (links as a browser reads them, control characters): one rule.
    for kind, items in found_markup(note.text).items():
        advice = "remove it" if kind == "control character" else "cite sources in words"
        for item in sorted(items):
            yield Finding(note.path, line, CHECK_NOTE, f"the note has {kind} {item!r}; {advice}")
    refused = sorted(k for k in markup_signature(note.text) if k not in ALLOWED_MARKUP)
    if refused:
        allowed = "only *emphasis* and **strong**"
        yield Finding(note.path, line, CHECK_NOTE, f"markup a note may not have: {', '.join(refused)} ({allowed})")
    if "\n\n" in note.text.replace("\r", ""):
        yield Finding(note.path, line, CHECK_NOTE, "a note is one paragraph; remove the blank line")
    if (locale.opencc_config or "").removesuffix(".json") in TRADITIONAL_OPENCC:
        table = simplified_only(locale.opencc_config.removesuffix(".json") if locale.opencc_config else "s2t")
        simplified = sorted({char for char in note.text if char in table})
        if simplified:
            yield Finding(
                note.path, line, CHECK_NOTE, f"Simplified-only characters in a Traditional note: {''.join(simplified)}"
            )


def unpublishable_notes(config: ProjectConfig, locale: LocaleConfig) -> list[Finding]:
    """The ``note`` errors of a locale's notes: what ``check`` fails on is what the build refuses to publish."""
    return [f for f in check_notes(config, locale) if f.check == CHECK_NOTE and f.severity is Severity.ERROR]


def check_notes(config: ProjectConfig, locale: LocaleConfig) -> Iterator[Finding]:
    catalogs = config.locale_dir / locale.name / "LC_MESSAGES"
    for document, path in notes_files(config, locale.name).items():
        try:
            notes = load_notes(path)
        except PubflowError as error:
            yield Finding(path, error.line, CHECK_NOTE, error.message)
            continue
        catalog_path = catalogs / f"{document}.po"
        if not catalog_path.is_file():
            missing = f"{locale.name}/LC_MESSAGES/{document}.po"
            yield Finding(path, None, CHECK_STALE, f"no catalog {missing}, so no document for these notes")
            continue
        try:
            messages = catalog_messages(load_catalog(catalog_path))
        except PubflowError:
            continue  # po-syntax reports the catalog itself
        for resolution in resolve_notes(notes, messages):
            yield from check_note_text(resolution.note, locale)
            if resolution.problem:
                note = resolution.note
                yield Finding(note.path, note.line_of("source-hash"), CHECK_STALE, resolution.problem)
