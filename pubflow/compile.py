"""Compile: ``locale/<lang>/LC_MESSAGES/*.po`` → ``_build/locale/<lang>/LC_MESSAGES/*.mo``, what Sphinx reads.

pubflow compiles the catalogs itself rather than letting Sphinx do it: Sphinx
writes each .mo in place and recompiles it only when its .po is newer, so a
.mo damaged by an interrupted run, or newer than its .po, would be published
without a word. Here every build compiles every catalog from the current .po,
atomically; a catalog whose compiled form did not change keeps its bytes and
its mtime, so Sphinx re-reads only the documents whose translation changed.

A message the security check rejects is not compiled: the edition shows its
source there, and the message is reported. Beside each .mo lies the .po it
was compiled from, because Sphinx finds catalogs, and notes each document's
dependency on its .mo, by listing .po files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow.catalog import load_catalog, render_catalog
from pubflow.checks.model import Finding
from pubflow.checks.security import security_problems
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.fileio import write_atomic


@dataclass
class CompileResult:
    compiled: list[Path] = field(default_factory=list)
    #: Messages left out of the compiled catalogs, by locale: each a security error.
    unsafe: dict[str, list[Finding]] = field(default_factory=dict)


def compiled_locale_dir(config: ProjectConfig) -> Path:
    return config.output_dir / "locale"


def withhold_unsafe(path: Path, catalog: polib.POFile) -> list[Finding]:
    """Empty every translation the security check rejects; returns what was withheld and why."""
    findings: list[Finding] = []
    for entry in catalog:
        if entry.obsolete:
            continue
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        source = f"{entry.msgid}\n{entry.msgid_plural}" if entry.msgid_plural else entry.msgid
        problems = [problem for form in forms for problem in security_problems(source, form)]
        if problems:
            findings.extend(Finding(path, entry.linenum, "security", problem) for problem in problems)
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    return findings


def compile_locale(config: ProjectConfig, locale: LocaleConfig, result: CompileResult) -> None:
    source_dir = config.locale_dir / locale.name / "LC_MESSAGES"
    target_dir = compiled_locale_dir(config) / locale.name / "LC_MESSAGES"
    wanted: set[Path] = set()
    unsafe = result.unsafe.setdefault(locale.name, [])
    for po_path in sorted(source_dir.rglob("*.po")) if source_dir.is_dir() else []:
        catalog = load_catalog(po_path)
        unsafe.extend(withhold_unsafe(po_path, catalog))
        relative = po_path.relative_to(source_dir)
        mo_path = target_dir / relative.with_suffix(".mo")
        # The .po first: a run killed between the two leaves a .mo that the next run rewrites.
        write_atomic(target_dir / relative, render_catalog(catalog))
        write_atomic(mo_path, catalog.to_binary())
        wanted |= {target_dir / relative, mo_path}
        result.compiled.append(mo_path)
    for leftover in sorted(target_dir.rglob("*")) if target_dir.is_dir() else []:
        if leftover.is_file() and leftover not in wanted:
            leftover.unlink()


def compile_catalogs(config: ProjectConfig, locales: list[LocaleConfig]) -> CompileResult:
    """Compile the catalogs of ``locales`` (the source language has none)."""
    result = CompileResult()
    for locale in locales:
        if locale.method != "source":
            compile_locale(config, locale, result)
    return result
