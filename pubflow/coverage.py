"""Coverage: how complete each catalog is, counted as ``msgfmt --statistics`` counts.

A fuzzy message is not translated (sphinx-intl's stat counts it as
translated); a fuzzy message with an empty msgstr is untranslated, as msgfmt
has it; a plural message is translated when any of its forms is. The source's
size counts Chinese characters one by one and other text in words.

Review is counted too, from each catalog's review record (:mod:`pubflow.review`):
a translated message is *reviewed* when a person wrote it or approved the
machine output (the record no longer holds it as machine output), and
*machine* while it is still the machine output pubflow recorded (OpenCC or
the translation memory) that nobody reviewed. ``translated = reviewed +
machine``. A catalog without a record counts every translation as reviewed,
as every stage treats it as a person's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import polib

from pubflow.catalog import load_catalog
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError, display_path
from pubflow.fileio import usable_cores
from pubflow.incremental import WorkRecord, file_digest
from pubflow.review import ReviewRecord, State, load_record, state_of
from pubflow.review import record_path as review_record_path

SCHEMA = "pubflow-coverage/1"
RECORD_SCHEMA = "pubflow-coverage-record/1"
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# One pass: each Chinese character alone, or a word of anything else.
SIZE_TOKEN = re.compile(rf"(?P<han>[{HAN_RANGES}])|[^\W_{HAN_RANGES}]+(?:['’.-][^\W_{HAN_RANGES}]+)*")
ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['.-][A-Za-z0-9]+)*")


@dataclass(slots=True)  # one per missing message of every catalog: no __dict__ each
class Missing:
    line: int
    msgid: str
    state: str  # "untranslated", "fuzzy" or "unreviewed" (machine output nobody reviewed yet)


@dataclass
class CatalogCoverage:
    path: str
    language: str
    messages: int = 0
    translated: int = 0
    #: Of the translated: a person's text, or machine output a person approved.
    reviewed: int = 0
    #: Of the translated: machine output (OpenCC, translation memory) not yet reviewed.
    machine: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    source_chars: int = 0
    source_words: int = 0
    translated_chars: int = 0
    translated_words: int = 0
    missing: list[Missing] = field(default_factory=list)
    #: Machine output waiting for review, for the reviewed threshold's report.
    unreviewed: list[Missing] = field(default_factory=list)
    #: The share of nothing: a catalog with no message is complete; a locale with no catalog has done nothing.
    of_nothing: float = 100.0

    @property
    def percent_messages(self) -> float:
        return self.of_nothing if not self.messages else round(100.0 * self.translated / self.messages, 2)

    @property
    def percent_reviewed(self) -> float:
        return self.of_nothing if not self.messages else round(100.0 * self.reviewed / self.messages, 2)

    @property
    def source_size(self) -> int:
        return self.source_chars + self.source_words

    @property
    def percent_source(self) -> float:
        size = self.source_size
        return self.of_nothing if not size else round(100.0 * (self.translated_chars + self.translated_words) / size, 2)

    def add(self, other: CatalogCoverage) -> None:
        for name in ("messages", "translated", "reviewed", "machine", "fuzzy", "untranslated", "obsolete",
                     "source_chars", "source_words", "translated_chars", "translated_words"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self, with_missing: bool = True, with_percentages: bool = True) -> dict[str, object]:
        # By hand: dataclasses.asdict deep-copies every missing message, which doubled coverage's memory.
        data: dict[str, object] = {name: getattr(self, name) for name in _FIELDS}
        if with_missing:
            data["missing"] = [{"line": m.line, "msgid": m.msgid, "state": m.state} for m in self.missing]
            data["unreviewed"] = [{"line": m.line, "msgid": m.msgid} for m in self.unreviewed]
        if with_percentages:
            data["percent_messages"] = self.percent_messages
            data["percent_reviewed"] = self.percent_reviewed
            data["percent_source"] = self.percent_source
            data["source_size"] = self.source_size
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str) -> CatalogCoverage:
        """The counts :meth:`as_dict` gave (with the missing messages, without the percentages), for ``path``."""
        values = {name: data[name] for name in _FIELDS} | {"path": path}
        if not all(isinstance(values[name], str if name in ("path", "language") else int) for name in _FIELDS):
            raise TypeError("a count of another type")
        missing = [Missing(int(m["line"]), str(m["msgid"]), str(m["state"])) for m in data["missing"]]
        unreviewed = [Missing(int(m["line"]), str(m["msgid"]), "unreviewed") for m in data["unreviewed"]]
        return cls(**values, missing=missing, unreviewed=unreviewed)


_FIELDS = [f.name for f in fields(CatalogCoverage) if f.name not in ("missing", "unreviewed", "of_nothing")]


def text_size(text: str) -> tuple[int, int]:
    """(Chinese characters, words of other text) in ``text``."""
    if text.isascii():  # no Chinese; ASCII letters and digits are exactly the word characters here, and far faster
        return 0, len(ASCII_WORD.findall(text))
    tokens = SIZE_TOKEN.findall(text)
    chars = sum(1 for han in tokens if han)
    return chars, len(tokens) - chars


def has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalog_coverage(path: Path) -> CatalogCoverage:
    return count_catalog(load_catalog(path), path)


def count_catalog(catalog: polib.POFile, path: Path, record: ReviewRecord | None = None) -> CatalogCoverage:
    """The counts of a catalog already loaded (by :func:`pubflow.catalog.load_catalog`).

    ``record`` is its review record; by default the one beside ``path`` is read.
    """
    if record is None:
        record = load_record(path)
    coverage = CatalogCoverage(display_path(path), catalog.metadata.get("Language", ""))
    for entry in catalog:
        if entry.obsolete:
            coverage.obsolete += 1
            continue
        if not entry.msgid and not entry.msgctxt:
            continue  # the header
        coverage.messages += 1
        chars, words = text_size(entry.msgid)
        coverage.source_chars += chars
        coverage.source_words += words
        translated = has_translation(entry)
        if translated and not entry.fuzzy:
            coverage.translated += 1
            coverage.translated_chars += chars
            coverage.translated_words += words
            if record.messages and state_of(entry, record) is State.MACHINE:
                coverage.machine += 1
                coverage.unreviewed.append(Missing(entry.linenum, entry.msgid, "unreviewed"))
            else:
                coverage.reviewed += 1
        elif translated:
            coverage.fuzzy += 1
            coverage.missing.append(Missing(entry.linenum, entry.msgid, "fuzzy"))
        else:
            coverage.untranslated += 1
            coverage.missing.append(Missing(entry.linenum, entry.msgid, "untranslated"))
    return coverage


def find_catalogs(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.po")))
        elif path.is_file():
            found.append(path)
        else:
            raise PubflowError("no such file or folder", path)
    return found


def measure(catalogs: list[Path], jobs: int | None = None) -> list[CatalogCoverage]:
    """Coverage of each catalog, in the given order; large sets are read on every core."""
    jobs = jobs or usable_cores()
    if jobs == 1 or len(catalogs) < 16:
        return [catalog_coverage(p) for p in catalogs]
    from concurrent.futures import ProcessPoolExecutor  # imported only when used: it brings in logging

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(catalog_coverage, catalogs, chunksize=8))


@dataclass
class LocaleCoverage:
    locale: str
    threshold: float | None
    catalogs: list[CatalogCoverage]
    #: The least share of messages reviewed (``reviewed-threshold``); None: no such gate.
    reviewed_threshold: float | None = None

    @property
    def total(self) -> CatalogCoverage:
        total = CatalogCoverage("(all)", self.locale, of_nothing=100.0 if self.catalogs else 0.0)
        for catalog in self.catalogs:
            total.add(catalog)
        return total

    @property
    def translated_passed(self) -> bool:
        return self.threshold is None or self.total.percent_messages >= self.threshold

    @property
    def reviewed_passed(self) -> bool:
        return self.reviewed_threshold is None or self.total.percent_reviewed >= self.reviewed_threshold

    @property
    def passed(self) -> bool:
        return self.translated_passed and self.reviewed_passed


def record_path(config: ProjectConfig) -> Path:
    return config.output_dir / "cache" / "coverage.json"


def measure_recorded(catalogs: list[Path], record: WorkRecord) -> list[CatalogCoverage]:
    """As :func:`measure`, counting again only the catalogs whose bytes, or their review records', changed
    since ``record`` counted them.

    The status page of every edition is made again whenever any catalog changes: at 200 articles,
    counting all 600 catalogs three times was most of a one-message rebuild.
    """
    digests = [(file_digest(path), file_digest(review_record_path(path))) for path in catalogs]
    counted: dict[Path, CatalogCoverage] = {}
    for path, digest in zip(catalogs, digests, strict=True):
        recorded = record.get(str(path.resolve()))
        if recorded is not None and recorded.get("files") == list(digest) and isinstance(recorded.get("counts"), dict):
            with contextlib.suppress(KeyError, TypeError, ValueError):  # a damaged entry is counted again below
                counted[path] = CatalogCoverage.from_dict(recorded["counts"], display_path(path))
    unknown = [path for path in catalogs if path not in counted]
    for path, coverage in zip(unknown, measure(unknown), strict=True):
        counted[path] = coverage
    kept = {str(path.resolve()) for path in catalogs}
    if unknown or set(record.units) != kept:  # written only when it changed: it is megabytes at 600 catalogs
        record.units = {unit: state for unit, state in record.units.items() if unit in kept}
        for path, digest in zip(catalogs, digests, strict=True):
            state = {"files": list(digest), "counts": counted[path].as_dict(with_percentages=False)}
            record.put(str(path.resolve()), state)
        record.save()
    return [counted[path] for path in catalogs]


def project_coverage(config: ProjectConfig, locale_names: list[str] | None = None) -> list[LocaleCoverage]:
    locales = config.select(locale_names)
    paths = {
        loc.name: find_catalogs([config.locale_dir / loc.name]) if (config.locale_dir / loc.name).exists() else []
        for loc in locales
    }
    flat = [p for loc in locales for p in paths[loc.name]]
    record = WorkRecord(record_path(config), RECORD_SCHEMA, {})
    measured = dict(zip(flat, measure_recorded(flat, record), strict=True))
    return [
        LocaleCoverage(loc.name, loc.threshold, [measured[p] for p in paths[loc.name]], loc.reviewed_threshold)
        for loc in locales
    ]


def paths_coverage(
    paths: list[Path], threshold: float | None, reviewed_threshold: float | None = None
) -> list[LocaleCoverage]:
    """Catalogs from anywhere, grouped by their Language header (or folder when it has none)."""
    catalogs = find_catalogs(paths)
    groups: dict[str, list[CatalogCoverage]] = {}
    for coverage in measure(catalogs):
        key = coverage.language or str(Path(coverage.path).parent)
        groups.setdefault(key, []).append(coverage)
    return [LocaleCoverage(key, threshold, items, reviewed_threshold) for key, items in groups.items()]
