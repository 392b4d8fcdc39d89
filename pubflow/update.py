"""Update: merge each ``.pot`` into ``locale/<lang>/LC_MESSAGES/<doc>.po`` for every target locale.

GNU gettext's ``msgmerge --previous`` does the merge, as translators' own
tools expect: translations are kept, a changed message becomes fuzzy with its
previous msgid (``#| msgid``), a removed one is kept as obsolete (``#~``).
A catalog whose messages did not change is not rewritten at all, whatever
tool last wrapped its lines; when one changed, only its lines are rewritten
(:class:`pubflow.catalog.CatalogLayout`). The review record beside the catalog
follows its messages (:func:`pubflow.review.follow_catalog`).

Templates older than or different from the sources are never merged: the
stamp that extract leaves beside them must match ``docs/`` and ``conf.py``.

Only catalogs whose template, catalog or review record changed since their
last merge are merged: ``_build/cache/update.json`` keeps, per catalog, the
digests of the three as the last merge left them (see
:mod:`pubflow.incremental`). Merging again the same bytes gives the same bytes,
so a catalog still in that state is left alone without running msgmerge; a
translator's edit, a new template, a missing or damaged record, another
pubflow or another ``wrap-width`` each mean a merge.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from pubflow import review
from pubflow.catalog import (
    CatalogLayout,
    catalog_bytes,
    file_newline,
    load_catalog,
    parse_text,
    render_catalog,
    require_utf8_charset,
    run_gettext_tool,
)
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError
from pubflow.extract import templates_out_of_date
from pubflow.fileio import ChangedMeanwhile, write_atomic
from pubflow.incremental import WorkRecord, file_digest
from pubflow.notes import notes_path
from pubflow.progress import NO_METER, Meter

MSGMERGE_FLAGS = {"no-wrap", "wrap"}
RECORD_SCHEMA = "pubflow-update/1"


@dataclass
class UpdateResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)
    unrecorded: list[Path] = field(default_factory=list)  # catalogs that had no review record
    #: A new catalog started from an orphaned one (its document renamed): (new catalog, the orphan).
    carried: list[tuple[Path, Path]] = field(default_factory=list)
    #: Catalogs saved (in an editor) while they were being merged, and so merged again with that save.
    remerged: list[Path] = field(default_factory=list)


def catalog_path(config: ProjectConfig, locale: LocaleConfig, template: Path, pot_dir: Path) -> Path:
    relative = template.relative_to(pot_dir).with_suffix(".po")
    return config.locale_dir / locale.name / "LC_MESSAGES" / relative


def record_path(config: ProjectConfig) -> Path:
    """What the last merges left: per catalog, the digests of its template, itself and its review record."""
    return config.output_dir / "cache" / "update.json"


def merge_state(template_digest: str | None, po_path: Path) -> dict[str, str | None]:
    return {
        "template": template_digest,
        "catalog": file_digest(po_path),
        "review": file_digest(review.record_path(po_path)),
    }


def templates(pot_dir: Path) -> list[Path]:
    found = sorted(pot_dir.rglob("*.pot")) if pot_dir.is_dir() else []
    if not found:
        raise PubflowError("no .pot templates; run pubflow extract first", pot_dir)
    return found


def new_catalog(template: Path, locale: LocaleConfig) -> polib.POFile:
    catalog = load_catalog(template)
    plural = get_plural(locale.name)
    catalog.header = (
        f"{locale.label} ({locale.name}) catalog of {template.stem}.\nEdit the msgstr lines; pubflow update keeps them."
    )
    catalog.metadata.update(
        {
            "Language": locale.name,
            "Language-Team": locale.label,
            "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};",
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    catalog.metadata["PO-Revision-Date"] = catalog.metadata.get("POT-Creation-Date", "")
    catalog.metadata_is_fuzzy = False
    for entry in catalog:
        entry.msgstr = ""
    return catalog


#: The share of a new document's messages an orphaned catalog must hold to be taken for its old name.
RENAME_OVERLAP = 0.5


def renamed_from(template: Path, orphans: list[Path]) -> Path | None:
    """The orphaned catalog (its document gone) that holds most of this new template's messages, if one holds half.

    A renamed or moved document gets a new template and so a new catalog; started empty, it would lose
    the translations, the review state and the notes kept under the old name.
    """
    wanted = {(e.msgctxt, e.msgid) for e in load_catalog(template) if e.msgid}
    best, best_share = None, 0.0
    for orphan in orphans:
        held = {(e.msgctxt, e.msgid) for e in load_catalog(orphan) if e.msgid and not e.obsolete}
        share = len(wanted & held) / len(wanted) if wanted else 0.0
        if share > best_share:
            best, best_share = orphan, share
    return best if best_share >= RENAME_OVERLAP else None


def carry_notes(config: ProjectConfig, locale: LocaleConfig, orphan: Path, po_path: Path) -> None:
    """The editor's notes of the old name go with its translations (each note finds its message by source)."""
    folder = config.locale_dir / locale.name / "LC_MESSAGES"
    old = notes_path(config, locale.name, orphan.relative_to(folder).with_suffix("").as_posix())
    new = notes_path(config, locale.name, po_path.relative_to(folder).with_suffix("").as_posix())
    if old.is_file() and not new.exists():
        write_atomic(new, old.read_bytes())


def merge_catalog(po_path: Path, template: Path, wrap_width: int = 0) -> tuple[str, polib.POFile]:
    """The merged catalog's text and model; the file itself is not touched.

    Entries whose content did not change keep the lines they had in the file,
    however the last tool wrapped them.
    """
    old = load_catalog(po_path)  # a malformed catalog is reported with its line, before msgmerge
    old_text = po_path.read_text(encoding="utf-8")
    require_utf8_charset(po_path, old_text, old)
    layout = CatalogLayout(old_text, old, file_newline(po_path))
    merged_text = run_gettext_tool(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", "--output-file=-", str(po_path), str(template)],
        po_path,
    )
    merged = parse_text(merged_text)
    carry_flags(old, merged)
    return layout.splice(merged, wrap_width), merged


#: How many times a catalog saved in an editor during its merge is merged again before update gives up.
MERGE_ATTEMPTS = 3


def merge_into_catalog(po_path: Path, template: Path, wrap_width: int, result: UpdateResult) -> None:
    """Merge the template into the catalog and write both, merging again when the catalog was saved meanwhile.

    The catalog's bytes are read before anything else and must be the file's still at the rename, so a
    translator's save during the merge is never written over: it is merged in turn (``result.remerged``).
    """
    for attempt in range(1, MERGE_ATTEMPTS + 1):
        read_as = catalog_bytes(po_path)
        record = review.load_record(po_path)
        text, merged = merge_catalog(po_path, template, wrap_width)
        review.follow_catalog(record, merged)
        try:
            written = write_atomic(po_path, text, read_as=read_as)
        except ChangedMeanwhile:
            if attempt == MERGE_ATTEMPTS:
                raise
            result.remerged.append(po_path)
            continue
        (result.updated if written else result.unchanged).append(po_path)
        if not record.existed:  # before save_record, which makes it exist
            result.unrecorded.append(po_path)
        review.save_record(record, merged)
        return
    raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises


def carry_flags(old: polib.POFile, merged: polib.POFile) -> bool:
    """Put back the flags msgmerge drops (it keeps only fuzzy and format flags), in their old order.

    A message keeps its flags when its msgid is unchanged, and when it changed
    and msgmerge matched it to its previous msgid. Returns whether anything changed.
    """
    before = {(e.msgctxt, e.msgid): list(e.flags) for e in old if e.flags}
    before.update({(e.msgctxt, e.msgid): list(e.flags) for e in old.obsolete_entries() if e.flags})
    changed = False
    for entry in merged:
        key = (entry.msgctxt, entry.msgid)
        if key not in before and entry.previous_msgid is not None:
            key = (entry.previous_msgctxt, entry.previous_msgid)
        old_flags = before.get(key, [])
        # Sets for the lookups: a catalog from outside may carry thousands of flags on one message.
        own, merged_flags = set(_own_flags_of(old_flags)), set(entry.flags)
        # A new fuzzy flag first, as gettext writes it; then the old order; then msgmerge's other new flags.
        flags = ["fuzzy"] if "fuzzy" in merged_flags and "fuzzy" not in old_flags else []
        flags += [f for f in old_flags if f in merged_flags or f in own]
        placed = set(flags)
        flags += [f for f in entry.flags if f not in placed]
        if flags != entry.flags:
            entry.flags = flags
            changed = True
    return changed


def _own_flags_of(flags: list[str]) -> list[str]:
    return [f for f in flags if f != "fuzzy" and not f.endswith("-format") and f not in MSGMERGE_FLAGS]


def update_catalogs(
    config: ProjectConfig, locales: list[LocaleConfig], pot_dir: Path | None = None, meter: Meter = NO_METER
) -> UpdateResult:
    """Merge the templates into every catalog of ``locales``.

    With the project's own templates (no ``pot_dir``), refuses templates that
    are out of date with the sources: run extract first.
    """
    if pot_dir is None:
        reason = templates_out_of_date(config)
        if reason:
            raise PubflowError(f"{reason}; run pubflow extract first", config.pot_dir)
    pot_dir = pot_dir or config.pot_dir
    result = UpdateResult()
    all_templates = templates(pot_dir)
    meter.expect(len(all_templates) * len(locales))
    done = WorkRecord(record_path(config), RECORD_SCHEMA, {"wrap-width": config.wrap_width})
    template_digests = {template: file_digest(template) for template in all_templates}
    try:
        for locale in locales:
            expected = {catalog_path(config, locale, template, pot_dir) for template in all_templates}
            locale_root = config.locale_dir / locale.name / "LC_MESSAGES"
            orphans = (
                [p for p in sorted(locale_root.rglob("*.po")) if p not in expected] if locale_root.is_dir() else []
            )
            for template in all_templates:
                po_path = catalog_path(config, locale, template, pot_dir)
                unit = str(po_path.relative_to(config.root))
                if not po_path.exists():
                    orphan = renamed_from(template, orphans) if orphans else None
                    # Through msgmerge too, so that a new catalog is laid out as every later one.
                    with tempfile.TemporaryDirectory() as scratch:
                        seed = Path(scratch) / po_path.name
                        if orphan is not None:
                            seed.write_bytes(orphan.read_bytes())
                        else:
                            seed.write_text(render_catalog(new_catalog(template, locale)), encoding="utf-8")
                        text, merged = merge_catalog(seed, template, config.wrap_width)
                    record = review.load_record(orphan if orphan is not None else po_path)
                    record.path = review.record_path(po_path)
                    record.loaded = None  # the orphan's: this catalog's record is written anew
                    review.follow_catalog(record, merged)
                    write_atomic(po_path, text)
                    review.save_record(record, merged)
                    if orphan is not None:
                        carry_notes(config, locale, orphan, po_path)
                        result.carried.append((po_path, orphan))
                    result.created.append(po_path)
                    done.put(unit, merge_state(template_digests[template], po_path))
                    meter.advance()
                    continue
                if done.matches(unit, merge_state(template_digests[template], po_path)):
                    result.unchanged.append(po_path)
                    meter.advance()
                    continue
                merge_into_catalog(po_path, template, config.wrap_width, result)
                done.put(unit, merge_state(template_digests[template], po_path))
                meter.advance()
            result.orphaned.extend(orphans)
    finally:  # what was merged before an error is recorded
        done.save()
    return result
