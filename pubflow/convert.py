"""Convert: fill the catalogs of OpenCC-produced locales (zh_TW, zh_HK, …) from their msgids.

Which message is machine output is read from the review record beside each
catalog (:mod:`pubflow.review`), never from a flag that an editor may strip:

- an untranslated message is converted and recorded as machine output, with
  the visible note ``# pubflow: machine output (opencc), not yet reviewed``;
- a message that is still exactly the machine output recorded for it is
  converted again when its source (msgid) or the rules changed;
- any other translated message is a person's: convert never touches it,
  whatever changed since (glossary, OpenCC version, rules). When its source
  changes it stays fuzzy with its previous msgid, as update left it. A person
  approves machine output unchanged by deleting the note.
- A catalog without a record cannot be told apart: its messages count as a
  person's (a warning names it), except those that still wear the machine
  note or pubflow's former ``machine-converted`` flag *and* are exactly what
  convert writes now, which are machine output by any reading.

The header records the engine, its version and the rules (``X-Pubflow-Converter``).
A second run with no change does no conversion: catalogs whose bytes (and
records) match the last run's output under the same rules are skipped unread.
Only changed messages are re-rendered; every other line stays as the last
tool wrote it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow import review
from pubflow.catalog import CatalogLayout, MsgfmtJudge, catalog_bytes, file_newline, read_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.conversion import ScriptConverter
from pubflow.corrections import carry_review
from pubflow.fileio import Write, write_atomic, write_atomic_many
from pubflow.glossary import load_glossary
from pubflow.progress import NO_METER, Meter

ORIGIN = "opencc"
CONVERTER_HEADER = "X-Pubflow-Converter"


@dataclass
class ConvertResult:
    converted: int = 0
    reconverted: int = 0
    reviewed_kept: int = 0
    adopted: int = 0  # machine output a person edited or approved since: now theirs
    unverified: int = 0  # marked as machine output with no record of it: left for a person to review
    needs_work: int = 0  # machine output a reviewer marked fuzzy: kept fuzzy
    merged: int = 0  # reviewed messages whose source changed: the reviewer's edits carried onto the new conversion
    held_for_review: int = 0  # such messages whose edits and correction overlap: fuzzy, for a person
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    unrecorded: list[Path] = field(default_factory=list)  # catalogs that had no review record
    engine_calls: int = 0


def cache_path(config: ProjectConfig) -> Path:
    return config.output_dir / "cache" / "convert.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _wears_machine_mark(entry: polib.POEntry) -> bool:
    return review.has_note(entry) or review.LEGACY_MACHINE_FLAG in entry.flags


def _copied_by_msgmerge(entry: polib.POEntry, live: dict[review.Key, polib.POEntry]) -> bool:
    """A fuzzy message holding, unchanged, the translation of another message still in the catalog."""
    if not entry.fuzzy or entry.previous_msgid is None:
        return False
    other = live.get((entry.previous_msgctxt, entry.previous_msgid))
    return other is not None and other is not entry and other.msgstr == entry.msgstr


def convert_catalog(
    catalog: polib.POFile, record: review.ReviewRecord, converter: ScriptConverter, result: ConvertResult
) -> None:
    """Apply the conversion rules to one catalog and its review record, in memory."""
    wrote = False
    live = {review.key_of(entry): entry for entry in catalog if not entry.obsolete}
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        state = review.state_of(entry, record)
        if state is not review.State.MACHINE and _copied_by_msgmerge(entry, live):
            # A new message msgmerge filled with a similar one's text (fuzzy, "#| msgid" the other message's):
            # nobody's translation of this source. Converted, as any new message.
            state = review.State.UNTRANSLATED
        if state is not review.State.MACHINE and state is not review.State.UNTRANSLATED:
            message = record.get(entry)
            recorded = message is not None and bool(message.outputs())
            # A person's, unless the record has nothing for it (a catalog from before the record) and it is
            # exactly what convert writes now and still marked as machine output. When the record has machine
            # output for it, a different text is a person's correction, even one a new glossary row would give.
            if (
                not recorded
                and _wears_machine_mark(entry)
                and not entry.fuzzy
                and entry.msgstr == converter.convert(entry.msgid)
            ):
                review.mark_machine(entry, record, entry.msgstr, ORIGIN, converter.signature)
                continue
            if recorded:  # recorded machine output, edited or approved since
                review.mark_person(entry, record)
                result.adopted += 1
            elif _wears_machine_mark(entry):
                # Marked as machine output, but no record proves it (a record lost in a merge, a catalog from
                # elsewhere): a person's edit or older output alike. Kept as it is, note and all, for a person.
                result.unverified += 1
            if entry.fuzzy and entry.previous_msgid is not None and not _wears_machine_mark(entry):
                # A correction of a reviewed message: the reviewer's edits go onto the new conversion when a
                # three-way merge applies them cleanly; otherwise it stays fuzzy, for review.
                merged = carry_review(entry, converter.convert)
                if merged is not None:
                    entry.msgstr = merged
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
                    review.mark_person(entry, record)
                    result.merged += 1
                    continue
                result.held_for_review += 1
            result.reviewed_kept += 1
            continue
        if state is review.State.UNTRANSLATED:
            review.mark_machine(entry, record, converter.convert(entry.msgid), ORIGIN, converter.signature)
            result.converted += 1
            wrote = True
            continue
        produced = review.machine_output(entry, record)
        if produced and produced.origin != ORIGIN and not entry.fuzzy:
            continue  # another engine's proposal (translation memory …) for the current source
        fresh = converter.convert(entry.msgid)
        # Fuzzy with no previous msgid, on output made by these rules from this very source: a reviewer's
        # "needs work" (Poedit's fuzzy toggle), not a changed source. It stays until a reviewer clears it.
        if (
            entry.fuzzy
            and entry.previous_msgid is None
            and produced is not None
            and (entry.msgstr == fresh or produced.signature != converter.signature)
        ):
            result.needs_work += 1
            if entry.msgstr != fresh:  # new rules: their output, still marked as needing work
                review.mark_machine(entry, record, fresh, ORIGIN, converter.signature)
                entry.flags.append("fuzzy")
                result.reconverted += 1
                wrote = True
            continue
        if entry.fuzzy or entry.msgstr != fresh:
            result.reconverted += 1
        if entry.fuzzy or entry.msgstr != fresh or produced is None or produced.signature != converter.signature:
            review.mark_machine(entry, record, fresh, ORIGIN, converter.signature)
            wrote = True
    if wrote:
        # Informative (the record holds each message's signature); a tool that dropped it (Babel does) is
        # not a reason to rewrite the header.
        catalog.metadata[CONVERTER_HEADER] = converter.signature


# Catalogs converted before their files are written together (their flushes to disk overlap).
_WRITE_BATCH = 64


def _convert_batch(
    batch: list[tuple[Path, str]],
    judge: MsgfmtJudge,
    converter: ScriptConverter,
    config: ProjectConfig,
    cache: dict[str, str],
    result: ConvertResult,
) -> None:
    writes: list[Write] = []
    records: list[review.ReviewRecord] = []
    catalog_writes: list[int] = []  # where in writes each catalog is
    try:
        for path, key in batch:
            read_as = catalog_bytes(path)  # first: a save in an editor after this is never written over
            catalog, text = read_catalog(path, judge)
            layout = CatalogLayout(text, catalog, file_newline(path))
            record = review.load_record(path)
            if not record.existed:
                result.unrecorded.append(path)
            review.follow_catalog(record, catalog)
            convert_catalog(catalog, record, converter, result)
            new_text = layout.splice(catalog, config.wrap_width)
            # The record in transition when machine output is replaced, the catalog, the record: a run killed
            # between any two leaves a record that tells the catalog's machine output (review.record_writes).
            pair = review.writes_with_catalog(record, catalog, path, new_text, read_as)
            catalog_writes.append(len(writes) + len(pair) - 2)
            writes += pair
            records.append(record)
            cache[key] = _digest(new_text.encode("utf-8") + str(pair[-1][1]).encode("utf-8"))
    finally:
        # The catalogs converted before a bad one are written all the same, as when each was written at once.
        written = write_atomic_many(writes)
        for (path, _), at, record in zip(batch, catalog_writes, records, strict=False):
            record.existed = True
            if written[at]:
                result.written.append(path)


def convert_catalogs(
    config: ProjectConfig,
    locales: list[LocaleConfig],
    progress: Callable[[str], None] = lambda _: None,
    meter: Meter = NO_METER,
) -> ConvertResult:
    result = ConvertResult()
    glossary = load_glossary(config.glossary_path, config.source_language)
    cache_file = cache_path(config)
    try:
        cache: dict[str, str] = json.loads(cache_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        cache = {}
    planned = 0
    for locale in locales:
        if locale.method != "opencc":
            continue
        converter = ScriptConverter(locale, glossary)
        catalogs = sorted((config.locale_dir / locale.name / "LC_MESSAGES").rglob("*.po"))
        planned += len(catalogs)
        meter.expect(planned)
        progress(f"converting {locale.name} with {converter.engine} ({locale.opencc_config})")
        todo: list[tuple[Path, str]] = []
        for path in catalogs:
            key = f"{converter.signature}::{path.relative_to(config.root)}"
            record_file = review.record_path(path)
            raw = path.read_bytes() + (record_file.read_bytes() if record_file.is_file() else b"")
            if cache.get(key) == _digest(raw):
                result.skipped.append(path)
                meter.advance()
            else:
                todo.append((path, key))
        # msgfmt judges the catalogs in its own processes while this one converts them.
        with MsgfmtJudge([path for path, _ in todo]) as judge:
            for start in range(0, len(todo), _WRITE_BATCH):
                batch = todo[start : start + _WRITE_BATCH]
                _convert_batch(batch, judge, converter, config, cache, result)
                meter.advance(len(batch))
        result.engine_calls += converter.calls
    write_atomic(cache_file, json.dumps(cache, ensure_ascii=False, indent=1, sort_keys=True))
    return result
