"""Compile: ``locale/<lang>/LC_MESSAGES/*.po`` → ``_build/locale/<lang>/LC_MESSAGES/*.mo``, what Sphinx reads.

pubflow compiles the catalogs itself rather than letting Sphinx do it: Sphinx
writes each .mo in place and recompiles it only when its .po is newer, so a
.mo damaged by an interrupted run, or newer than its .po, would be published
without a word. Here every build compiles every catalog from the current .po,
atomically; a catalog whose compiled form did not change keeps its bytes and
its mtime, so Sphinx re-reads only the documents whose translation changed.

A catalog is compiled again only when it changed: ``_build/cache/compile.json``
records, per catalog, the digests of the .po it was compiled from and of the
.po and .mo it gave, and the messages withheld from it (see
:mod:`pubflow.incremental`). A catalog whose files all still have those
digests is neither parsed nor checked again; its withheld messages are
reported from the record. A missing or damaged record, or another pubflow,
compiles every catalog.

A message the security check rejects is not compiled: the edition shows its
source there, and the message is reported. A correction (a fuzzy message with
its previous msgid) is compiled as :mod:`pubflow.corrections` decides: its
previous translation, flagged ``pubflow-outdated`` in the compiled .po so
that the page marks it, a fresh conversion, or nothing (the source). Beside each .mo lies the .po it
was compiled from, because Sphinx finds catalogs, and notes each document's
dependency on its .mo, by listing .po files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polib

from pubflow.catalog import read_catalog, render_catalog, require_utf8_charset
from pubflow.checks.model import Finding
from pubflow.checks.security import entry_security_problems
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.corrections import is_correction, repeated_corrections, shown_text
from pubflow.fileio import write_atomic
from pubflow.glossary import Glossary, load_glossary
from pubflow.incremental import WorkRecord, file_digest
from pubflow.review import load_record
from pubflow.review import record_path as review_record_path

RECORD_SCHEMA = "pubflow-compile/1"


@dataclass
class CompileResult:
    compiled: list[Path] = field(default_factory=list)
    #: Messages left out of the compiled catalogs, by locale: each a security error.
    unsafe: dict[str, list[Finding]] = field(default_factory=dict)


def compiled_locale_dir(config: ProjectConfig) -> Path:
    return config.output_dir / "locale"


def record_path(config: ProjectConfig) -> Path:
    return config.output_dir / "cache" / "compile.json"


def withhold_unsafe(path: Path, catalog: polib.POFile) -> list[Finding]:
    """Empty every translation the security check rejects; returns what was withheld and why."""
    findings: list[Finding] = []
    for entry in catalog:
        problems = entry_security_problems(entry)
        if problems:
            findings.extend(Finding(path, entry.linenum, "security", problem) for problem in problems)
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    return findings


def _withheld(recorded: dict[str, Any] | None) -> list[tuple[int | None, str]] | None:
    """The withheld messages a record lists, as (line, problem); None when it lists none validly."""
    found = recorded.get("unsafe") if recorded else None
    if not isinstance(found, list):
        return None
    pairs = [tuple(item) for item in found if isinstance(item, list) and len(item) == 2]
    if len(pairs) != len(found) or not all(
        (line is None or isinstance(line, int)) and isinstance(message, str) for line, message in pairs
    ):
        return None
    return [(line, message) for line, message in pairs]


OUTDATED_FLAG = "pubflow-outdated"


@dataclass
class Corrections:
    """What deciding a correction needs, made once per build: the glossary, and a converter per OpenCC locale."""

    config: ProjectConfig
    converters: dict[str, Callable[[str], str]] = field(default_factory=dict)

    @cached_property
    def glossary(self) -> Glossary:
        return load_glossary(self.config.glossary_path, self.config.source_language)

    def converter(self, locale: LocaleConfig) -> Callable[[str], str] | None:
        if locale.method != "opencc":
            return None
        if locale.name not in self.converters:
            from pubflow.conversion import ScriptConverter

            self.converters[locale.name] = ScriptConverter(locale, self.glossary).convert
        return self.converters[locale.name]


def settle_corrections(path: Path, catalog: polib.POFile, locale: LocaleConfig, corrections: Corrections) -> None:
    """Compile each correction as :func:`pubflow.corrections.shown_text` decides; Sphinx drops what stays fuzzy."""
    record = load_record(path)
    # A converted locale converts each part of a split paragraph afresh; only a translation would repeat.
    repeated = repeated_corrections(catalog, record) if locale.method != "opencc" else set()
    for entry in catalog:
        if not is_correction(entry, record) or id(entry) in repeated:
            continue
        shown = shown_text(entry, locale, corrections.glossary, path, corrections.converter(locale))
        if shown.text is None:
            continue
        entry.msgstr = shown.text
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"] + ([OUTDATED_FLAG] if shown.outdated else [])
        entry.previous_msgid = entry.previous_msgctxt = None


def compile_locale(
    config: ProjectConfig, locale: LocaleConfig, result: CompileResult, done: WorkRecord, corrections: Corrections
) -> None:
    source_dir = config.locale_dir / locale.name / "LC_MESSAGES"
    target_dir = compiled_locale_dir(config) / locale.name / "LC_MESSAGES"
    wanted: set[Path] = set()
    unsafe = result.unsafe.setdefault(locale.name, [])
    for po_path in sorted(source_dir.rglob("*.po")) if source_dir.is_dir() else []:
        relative = po_path.relative_to(source_dir)
        compiled, mo_path = target_dir / relative, target_dir / relative.with_suffix(".mo")
        wanted |= {compiled, mo_path}
        result.compiled.append(mo_path)
        unit = str(po_path.relative_to(config.root))
        source = file_digest(po_path)  # before reading: an edit meanwhile leaves a record that no longer matches
        withheld_before = _withheld(done.get(unit))
        now = {
            "catalog": source,
            "record": file_digest(review_record_path(po_path)),
            "compiled": file_digest(compiled),
            "mo": file_digest(mo_path),
        }
        if withheld_before is not None and done.matches(unit, now):
            unsafe.extend(Finding(po_path, line, "security", message) for line, message in withheld_before)
            continue
        catalog, source_text = read_catalog(po_path)
        require_utf8_charset(po_path, source_text, catalog)
        withheld = withhold_unsafe(po_path, catalog)
        unsafe.extend(withheld)
        settle_corrections(po_path, catalog, locale, corrections)
        text, binary = render_catalog(catalog), catalog.to_binary()
        # The .po first: a run killed between the two leaves a .mo that the next run rewrites.
        write_atomic(compiled, text)
        write_atomic(mo_path, binary)
        done.put(
            unit,
            {
                "catalog": source,
                "record": now["record"],
                "compiled": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "mo": hashlib.sha256(binary).hexdigest(),
                "unsafe": [[finding.line, finding.message] for finding in withheld],
            },
        )
    for leftover in sorted(target_dir.rglob("*")) if target_dir.is_dir() else []:
        if leftover.is_file() and leftover not in wanted:
            leftover.unlink()


def compile_catalogs(config: ProjectConfig, locales: list[LocaleConfig]) -> CompileResult:
    """Compile the catalogs of ``locales`` (the source language has none) that changed since the last time."""
    result = CompileResult()
    # What a correction shows depends on the glossary, the locales' settings and OpenCC, besides the catalog.
    rules = {
        "glossary": file_digest(config.glossary_path),
        "locales": repr([(loc.name, loc.method, loc.opencc_config, loc.quotes, loc.outdated_shows) for loc in locales]),
    }
    done = WorkRecord(record_path(config), RECORD_SCHEMA, rules)
    corrections = Corrections(config)
    try:
        for locale in locales:
            if locale.method != "source":
                compile_locale(config, locale, result, done, corrections)
    finally:  # what was compiled before an error is recorded
        done.save()
    return result
