"""Checks of a catalog as a whole: header, duplicate msgids, completeness, conversion engine."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import polib

from pubflow import review
from pubflow.checks.model import Finding, Severity, excerpt
from pubflow.config import LocaleConfig


def header_line(path: Path) -> int:
    """The line of the header's msgstr, where header fields are edited."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if line.startswith('msgid ""'):
            return number
    return 1


def check_header(path: Path, catalog: polib.POFile, locale: LocaleConfig) -> Iterator[Finding]:
    line = header_line(path)
    language = catalog.metadata.get("Language", "")
    if language.replace("-", "_") != locale.name:
        yield Finding(path, line, "header", f"Language is {language!r}; expected {locale.name!r}")
    plural = catalog.metadata.get("Plural-Forms", "")
    if not re.match(r"\s*nplurals\s*=\s*\d+\s*;\s*plural\s*=.+", plural):
        yield Finding(path, line, "header", "Plural-Forms is missing or malformed (nplurals=N; plural=EXPR;)")
    content_type = catalog.metadata.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        yield Finding(path, line, "header", f"Content-Type must declare charset=UTF-8, not {content_type!r}")


def check_duplicates(path: Path, catalog: polib.POFile, record: review.ReviewRecord | None = None) -> Iterator[Finding]:
    seen: Counter[tuple[str | None, str]] = Counter()
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        seen[key] += 1
        if seen[key] == 2 and "duplicate" not in review.skipped_checks(entry, record):
            yield Finding(path, entry.linenum, "duplicate", f"msgid {excerpt(entry.msgid)!r} appears more than once")


def check_completeness(
    path: Path, catalog: polib.POFile, record: review.ReviewRecord | None = None
) -> Iterator[Finding]:
    live = {(e.msgctxt, e.msgid) for e in catalog if not e.obsolete}
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        skips = review.skipped_checks(entry, record)
        if entry.fuzzy and "fuzzy" not in skips:
            why = _why_fuzzy(entry, record, live)
            yield Finding(path, entry.linenum, "fuzzy", f"{why}: {excerpt(entry.msgid)}", Severity.WARNING)
        elif not entry.fuzzy and not entry.translated() and "untranslated" not in skips:
            yield Finding(path, entry.linenum, "untranslated", excerpt(entry.msgid), Severity.WARNING)


def _why_fuzzy(entry: polib.POEntry, record: review.ReviewRecord | None, live: set[tuple[str | None, str]]) -> str:
    if record is not None and review.origin_of(entry, record) == review.MEMORY_FUZZY_ORIGIN:
        return "a close match from the translation memory, to review"
    if entry.previous_msgid is not None and (entry.previous_msgctxt, entry.previous_msgid) in live:
        # msgmerge's guess for a new message: the translation of a similar one, which is still there.
        similar = excerpt(entry.previous_msgid)
        return f"a new message, filled with the translation of a similar one ({similar}), to review"
    if entry.previous_msgid:
        return "source changed, translation outdated"
    return "marked fuzzy (needs review)"  # by a translator or a CAT tool's state, with no source change


def check_engine(
    path: Path, catalog: polib.POFile, installed_signature: str, record: review.ReviewRecord | None = None
) -> Iterator[Finding]:
    from pubflow.convert import CONVERTER_HEADER, ORIGIN

    recorded = catalog.metadata.get(CONVERTER_HEADER)
    # The review record says what made each message still machine output, even if a tool dropped the header.
    machine = [review.machine_output(e, record) for e in catalog if not e.obsolete] if record else []
    older = sorted({m.signature for m in machine if m and m.origin == ORIGIN and m.signature != installed_signature})
    if older:
        recorded = older[0]
    if recorded and recorded != installed_signature:
        yield Finding(
            path,
            header_line(path),
            "engine",
            f"converted with {recorded!r}, but here it would be {installed_signature!r}; "
            "run pubflow convert to bring machine-converted messages up to date",
            Severity.WARNING,
        )


def check_review_record(path: Path, record: review.ReviewRecord) -> Iterator[Finding]:
    if not record.existed:
        yield Finding(
            path,
            None,
            "review",
            f"no review record ({record.path.name}): which messages are machine output cannot be told, "
            "so all count as a person's; pubflow update or convert writes one",
            Severity.WARNING,
        )
