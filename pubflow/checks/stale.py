"""Stale catalogs: the catalogs must hold exactly the messages of the current sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib

from pubflow import review
from pubflow.catalog import parse_catalog
from pubflow.checks.model import Finding, excerpt
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError, display_path
from pubflow.extract import extract_templates, templates_out_of_date
from pubflow.fileio import scratch_directory
from pubflow.notes import notes_folder_of

HINT = "run pubflow extract && pubflow update"


def fresh_templates(config: ProjectConfig) -> dict[Path, polib.POFile]:
    """The templates the sources give now.

    Those in _build/gettext when their stamp vouches for them (extracted by these
    tools from exactly these sources, untouched since); otherwise extracted aside,
    so that no template in _build/gettext changes.
    """
    if templates_out_of_date(config) is None:
        return {
            t.relative_to(config.pot_dir).with_suffix(".po"): polib.pofile(str(t))
            for t in sorted(config.pot_dir.rglob("*.pot"))
        }
    with scratch_directory(config.output_dir, ".stale-") as scratch:
        pot_dir = scratch / "gettext"
        result = extract_templates(config, pot_dir)
        return {t.relative_to(pot_dir).with_suffix(".po"): parse_catalog(t) for t in result.templates}


def _source_location(entry: polib.POEntry, config: ProjectConfig) -> tuple[Path, int | None]:
    for location, line in entry.occurrences:
        match = re.search(r"(docs/.+)$", location)
        if match:
            return config.root / match.group(1), int(line) if line else None
    return config.docs_dir, None


def check_stale(
    config: ProjectConfig, locales: list[LocaleConfig], templates: dict[Path, polib.POFile]
) -> Iterator[Finding]:
    for locale in locales:
        folder = config.locale_dir / locale.name / "LC_MESSAGES"
        present = {p.relative_to(folder): p for p in folder.rglob("*.po")} if folder.is_dir() else {}
        for relative, template in sorted(templates.items()):
            if relative not in present:
                yield Finding(
                    folder / relative,
                    None,
                    "stale",
                    f"catalog missing for docs/{relative.with_suffix('.rst')}; {HINT}",
                )
                continue
            try:
                catalog = parse_catalog(present[relative])
            except PubflowError:
                continue  # reported once, by po-syntax
            known = {(e.msgctxt, e.msgid) for e in catalog if not e.obsolete}
            wanted = {(e.msgctxt, e.msgid) for e in template if e.msgid}
            for entry in template:
                if entry.msgid and (entry.msgctxt, entry.msgid) not in known:
                    where, line = _source_location(entry, config)
                    yield Finding(
                        where, line, "stale",
                        f"message {excerpt(entry.msgid)!r} is missing from {locale.name}/{relative}; {HINT}",
                    )  # fmt: skip
            for entry in catalog:
                if not entry.obsolete and entry.msgid and (entry.msgctxt, entry.msgid) not in wanted:
                    yield Finding(
                        present[relative], entry.linenum, "stale",
                        f"msgid {excerpt(entry.msgid)!r} is no longer in the sources; {HINT}",
                    )  # fmt: skip
        records = sorted(folder.rglob(f"*{review.RECORD_SUFFIX}")) if folder.is_dir() else []
        for record in records:
            if not record.with_name(record.name.removesuffix(review.RECORD_SUFFIX) + ".po").exists():
                yield Finding(
                    record,
                    None,
                    "stale",
                    f"a review record with no catalog beside it; delete it (git rm {display_path(record)})",
                )
        for relative, path in sorted(present.items()):
            if relative not in templates:
                yield Finding(
                    path,
                    None,
                    "stale",
                    f"no source document docs/{relative.with_suffix('.rst')}; restore it, or delete this catalog "
                    f"with its review record (git rm {display_path(path.with_suffix(''))}.*) and its notes in "
                    f"{display_path(notes_folder_of(path))}/, if any; "
                    "a renamed document's catalogs start from this one at pubflow update",
                )
