"""Convert: fill the catalogs of OpenCC-produced locales (zh_TW, zh_HK, …) from their msgids.

Rules, so that a reviewer is never overwritten:

- an untranslated message is converted and flagged ``machine-converted``;
- a ``machine-converted`` message whose msgid changed (fuzzy after update) is
  simply converted again;
- a message without the flag is a reviewer's: convert never touches it, and
  when its source changes it stays fuzzy with its previous msgid, as update left it;
- a flagged message whose text differs from the conversion, with the same
  engine and rules as recorded in the header, was edited by a person who forgot
  to remove the flag: the flag is removed and the text kept.

The header records the engine, its version and the rules (``X-Pubflow-Converter``).
A second run with no change does no conversion: catalogs whose bytes match the
last run's output under the same rules are skipped unread.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow.catalog import load_catalog, render_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.conversion import ScriptConverter
from pubflow.fileio import write_atomic
from pubflow.glossary import load_glossary

MACHINE_FLAG = "machine-converted"
CONVERTER_HEADER = "X-Pubflow-Converter"


@dataclass
class ConvertResult:
    converted: int = 0
    reconverted: int = 0
    reviewed_kept: int = 0
    adopted: int = 0  # flagged entries a person edited: flag removed, text kept
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    engine_calls: int = 0


def cache_path(config: ProjectConfig) -> Path:
    return config.output_dir / "cache" / "convert.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def convert_catalog(catalog: polib.POFile, converter: ScriptConverter, result: ConvertResult) -> None:
    """Apply the conversion rules to one catalog in memory."""
    same_rules = catalog.metadata.get(CONVERTER_HEADER) == converter.signature
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        machine = MACHINE_FLAG in entry.flags
        if not entry.msgstr:
            _set_machine(entry, converter.convert(entry.msgid))
            result.converted += 1
        elif machine and entry.fuzzy:
            previous = entry.previous_msgid
            if previous is None or entry.msgstr == converter.convert(previous) or not same_rules:
                _set_machine(entry, converter.convert(entry.msgid))
                result.reconverted += 1
            else:
                entry.flags.remove(MACHINE_FLAG)  # edited by a person: now a reviewed translation
                result.adopted += 1
        elif machine:
            fresh = converter.convert(entry.msgid)
            if entry.msgstr == fresh:
                continue
            if same_rules:
                entry.flags.remove(MACHINE_FLAG)
                result.adopted += 1
            else:
                entry.msgstr = fresh
                result.reconverted += 1
        else:
            result.reviewed_kept += 1
    catalog.metadata[CONVERTER_HEADER] = converter.signature


def _set_machine(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None
    if MACHINE_FLAG not in entry.flags:
        entry.flags.append(MACHINE_FLAG)


def convert_catalogs(
    config: ProjectConfig,
    locales: list[LocaleConfig],
    progress: Callable[[str], None] = lambda _: None,
) -> ConvertResult:
    result = ConvertResult()
    glossary = load_glossary(config.glossary_path, config.source_language)
    cache_file = cache_path(config)
    try:
        cache: dict[str, str] = json.loads(cache_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        cache = {}
    for locale in locales:
        if locale.method != "opencc":
            continue
        converter = ScriptConverter(locale, glossary)
        catalogs = sorted((config.locale_dir / locale.name / "LC_MESSAGES").rglob("*.po"))
        progress(f"converting {locale.name} with {converter.engine} ({locale.opencc_config})")
        for path in catalogs:
            key = f"{converter.signature}::{path.relative_to(config.root)}"
            raw = path.read_bytes()
            if cache.get(key) == _digest(raw):
                result.skipped.append(path)
                continue
            catalog = load_catalog(path)
            convert_catalog(catalog, converter, result)
            text = render_catalog(catalog)
            if write_atomic(path, text):
                result.written.append(path)
            cache[key] = _digest(text.encode("utf-8"))
        result.engine_calls += converter.calls
    write_atomic(cache_file, json.dumps(cache, ensure_ascii=False, indent=1, sort_keys=True))
    return result
