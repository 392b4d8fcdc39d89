"""Update: merge each ``.pot`` into ``locale/<lang>/LC_MESSAGES/<doc>.po`` for every target locale.

GNU gettext's ``msgmerge --previous`` does the merge, as translators' own
tools expect: translations are kept, a changed message becomes fuzzy with its
previous msgid (``#| msgid``), a removed one is kept as obsolete (``#~``).
A catalog whose messages did not change is not rewritten at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from pubflow.catalog import load_catalog, read_catalog_text, render_catalog, run_gettext_tool
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError
from pubflow.extract import without_creation_date
from pubflow.fileio import write_atomic

MSGMERGE_FLAGS = {"no-wrap", "wrap"}


@dataclass
class UpdateResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)


def catalog_path(config: ProjectConfig, locale: LocaleConfig, template: Path, pot_dir: Path) -> Path:
    relative = template.relative_to(pot_dir).with_suffix(".po")
    return config.locale_dir / locale.name / "LC_MESSAGES" / relative


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


def merge_catalog(po_path: Path, template: Path) -> str:
    """The merged catalog's text; the file itself is not touched."""
    old = load_catalog(po_path)  # a malformed catalog is reported with its line, before msgmerge
    merged_text = run_gettext_tool(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", "--output-file=-", str(po_path), str(template)],
        po_path,
    )
    merged = polib.pofile(merged_text, wrapwidth=0)
    if carry_flags(old, merged):
        return render_catalog(merged)
    return merged_text


def _own_flags(entry: polib.POEntry) -> list[str]:
    """Flags that msgmerge does not know: pubflow's and the translator's own."""
    return [f for f in entry.flags if f != "fuzzy" and not f.endswith("-format") and f not in MSGMERGE_FLAGS]


def carry_flags(old: polib.POFile, merged: polib.POFile) -> bool:
    """Put back the flags msgmerge drops (it keeps only fuzzy and format flags).

    A message keeps its flags when its msgid is unchanged, and when it changed
    and msgmerge matched it to its previous msgid. Returns whether anything changed.
    """
    flags = {(e.msgctxt, e.msgid): _own_flags(e) for e in old if _own_flags(e)}
    flags.update({(e.msgctxt, e.msgid): _own_flags(e) for e in old.obsolete_entries() if _own_flags(e)})
    changed = False
    for entry in merged:
        key = (entry.msgctxt, entry.msgid)
        if key not in flags and entry.previous_msgid is not None:
            key = (entry.previous_msgctxt, entry.previous_msgid)
        for flag in flags.get(key, []):
            if flag not in entry.flags:
                entry.flags.append(flag)
                changed = True
    return changed


def update_catalogs(config: ProjectConfig, locales: list[LocaleConfig], pot_dir: Path | None = None) -> UpdateResult:
    pot_dir = pot_dir or config.pot_dir
    result = UpdateResult()
    all_templates = templates(pot_dir)
    for locale in locales:
        expected: set[Path] = set()
        for template in all_templates:
            po_path = catalog_path(config, locale, template, pot_dir)
            expected.add(po_path)
            if not po_path.exists():
                # Through msgmerge too, so that a new catalog is laid out as every later one.
                with tempfile.TemporaryDirectory() as scratch:
                    seed = Path(scratch) / po_path.name
                    seed.write_text(render_catalog(new_catalog(template, locale)), encoding="utf-8")
                    write_atomic(po_path, merge_catalog(seed, template))
                result.created.append(po_path)
                continue
            merged = merge_catalog(po_path, template)
            old_text = read_catalog_text(po_path)
            if without_creation_date(merged) == without_creation_date(old_text):
                result.unchanged.append(po_path)
            else:
                write_atomic(po_path, merged)
                result.updated.append(po_path)
        locale_root = config.locale_dir / locale.name / "LC_MESSAGES"
        if locale_root.is_dir():
            result.orphaned.extend(p for p in sorted(locale_root.rglob("*.po")) if p not in expected)
    return result
