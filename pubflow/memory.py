"""Translation memory: every earlier translation, proposed for messages that have none.

The memory of a locale is every translated message of every document of that
locale (fuzzy ones and unreviewed machine output left out; obsolete ones kept,
they are a person's work too), then the pairs of the TMX files listed in
``memory-files``. The stage ``propose_from_memory`` runs after update:

- an untranslated message whose source is in the memory gets that translation
  (an exact match);
- otherwise the most similar source at or above ``memory-threshold`` percent
  (rapidfuzz's ratio, an edit-distance similarity counted in characters, the
  natural unit of Chinese) gives a fuzzy proposal, with the memory's source as
  the previous msgid, so that Poedit shows what differs;
- each proposal carries a translator comment naming its similarity and its
  document, and the review record marks it as memory output (origin
  ``memory``), so it never counts as a person's until a person edits it,
  deletes its note, or, for a fuzzy proposal, clears the fuzzy flag.

A person's translation, fuzzy or not, is never replaced. Memory output that is
still fuzzy is proposed again on the next run, from the memory as it is then.
OpenCC-produced locales (zh_TW) take no proposals: convert fills every message.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polib
import rapidfuzz
from rapidfuzz import fuzz, process

from pubflow.catalog import CatalogLayout, catalog_bytes, file_newline, load_catalog, newline_ends_agree
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.exchange.tmx import Pair, read_tmx
from pubflow.fileio import write_atomic
from pubflow.incremental import WorkRecord, file_digest
from pubflow.progress import NO_METER, Meter
from pubflow.review import (
    LEGACY_MACHINE_FLAG,
    MEMORY_COMMENT_PREFIX,
    MEMORY_EXACT_ORIGIN,
    MEMORY_FUZZY_ORIGIN,
    ReviewRecord,
    State,
    has_note,
    load_record,
    mark_machine,
    mark_person,
    origin_of,
    record_path,
    save_with_catalog,
    state_of,
)

EXACT_ORIGIN = MEMORY_EXACT_ORIGIN
FUZZY_ORIGIN = MEMORY_FUZZY_ORIGIN
#: The translator comment line naming a proposal's similarity and document.
COMMENT_PREFIX = MEMORY_COMMENT_PREFIX


@dataclass(frozen=True)
class Proposal:
    pair: Pair
    similarity: float  # percent, 100 for an exact match

    @property
    def exact(self) -> bool:
        return self.similarity >= 100.0

    @property
    def comment(self) -> str:
        return f"{COMMENT_PREFIX} {int(self.similarity)}% {self.pair.origin}"


class TranslationMemory:
    """Source → translation for one locale: a dict for exact matches, rapidfuzz over the sources for close ones.

    When a source was translated more than once, the first pair added wins:
    the project's catalogs (in document order) before the TMX files. For close
    matches the sources are kept sorted by length: two texts of lengths a ≤ b
    are at most 200·a/(a+b) percent similar, so only a window of lengths can
    reach the threshold, and rapidfuzz scores only that window.
    """

    def __init__(self) -> None:
        self.exact: dict[str, Pair] = {}
        self._by_length: list[tuple[int, int, str]] | None = []  # (length, order added, source)
        self._lengths: list[int] = []
        self._window_sources: list[str] = []

    def __len__(self) -> int:
        return len(self.exact)

    def add(self, pair: Pair) -> None:
        if pair.source and pair.target and pair.source not in self.exact:
            self.exact[pair.source] = pair
            self._by_length = None  # re-sorted on the next close-match search

    def _index(self) -> None:
        if self._by_length is None:
            ordered = sorted((len(source), order, source) for order, source in enumerate(self.exact))
            self._by_length = ordered
            self._lengths = [length for length, _order, _source in ordered]
            self._window_sources = [source for _length, _order, source in ordered]

    def propose(self, source: str, threshold: float) -> Proposal | None:
        pair = self.exact.get(source)
        if pair is not None:
            return Proposal(pair, 100.0)
        self._index()
        best = _best_in_window(source, self._lengths, self._window_sources, threshold)
        return Proposal(self.exact[best[0]], best[1]) if best else None

    def propose_many(self, sources: list[str], threshold: float) -> dict[str, Proposal | None]:
        """propose for each source; many close-match searches in a large memory run on every core."""
        found: dict[str, Proposal | None] = {s: Proposal(self.exact[s], 100.0) for s in sources if s in self.exact}
        rest = sorted({s for s in sources if s not in self.exact})
        jobs = os.cpu_count() or 1
        if jobs == 1 or len(rest) < 64 or len(self.exact) < 2000:
            found.update((s, self.propose(s, threshold)) for s in rest)
            return found
        self._index()
        chunks = [rest[i :: jobs * 4] for i in range(jobs * 4)]
        with ProcessPoolExecutor(
            jobs, initializer=_share_window, initargs=(self._lengths, self._window_sources)
        ) as pool:
            for chunk, matches in zip(chunks, pool.map(_close_matches, chunks, [threshold] * len(chunks)), strict=True):
                for source, best in zip(chunk, matches, strict=True):
                    found[source] = Proposal(self.exact[best[0]], best[1]) if best else None
        return found


def _best_in_window(source: str, lengths: list[int], sources: list[str], threshold: float) -> tuple[str, float] | None:
    """The most similar of ``sources`` (sorted by length) at or above the threshold, and its score."""
    shortest = len(source) * threshold / (200.0 - threshold)
    longest = len(source) * (200.0 - threshold) / threshold
    low = bisect.bisect_left(lengths, math.ceil(shortest - 1e-9))
    high = bisect.bisect_right(lengths, math.floor(longest + 1e-9))
    found = process.extractOne(source, sources[low:high], scorer=fuzz.ratio, score_cutoff=threshold)
    if found is None:
        return None
    text, score, _index = found
    return text, min(float(score), 99.99)  # 100 is an exact match only


_window: tuple[list[int], list[str]] = ([], [])


def _share_window(lengths: list[int], sources: list[str]) -> None:
    """In a worker process: the memory's sources, sent once rather than with every chunk."""
    global _window
    _window = (lengths, sources)


def _close_matches(sources: list[str], threshold: float) -> list[tuple[str, float] | None]:
    return [_best_in_window(source, *_window, threshold) for source in sources]


def is_memory_output(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Memory output no person has taken over yet.

    A fuzzy proposal a person approved by clearing the fuzzy flag is theirs,
    although its text is still the one pubflow wrote.
    """
    origin = origin_of(entry, record)
    return origin == EXACT_ORIGIN or (origin == FUZZY_ORIGIN and entry.fuzzy)


def is_unreviewed(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Machine output of any stage (OpenCC, memory) that no person has taken over."""
    origin = origin_of(entry, record)
    if origin == FUZZY_ORIGIN:
        return entry.fuzzy
    return origin is not None


def catalog_documents(config: ProjectConfig, locale: LocaleConfig) -> Iterator[tuple[str, Path]]:
    """(document name, catalog path) of every catalog of a locale, in a stable order."""
    folder = config.locale_dir / locale.name / "LC_MESSAGES"
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        yield path.relative_to(folder).with_suffix("").as_posix(), path


def catalog_pairs(config: ProjectConfig, locale: LocaleConfig, with_obsolete: bool = True) -> Iterator[Pair]:
    """Every translated, non-fuzzy, singular message of a locale's catalogs, machine output marked."""
    for document, path in catalog_documents(config, locale):
        yield from _pairs_of(document, path, with_obsolete)


def _pairs_of(
    document: str,
    path: Path,
    with_obsolete: bool = True,
    catalog: polib.POFile | None = None,
    record: ReviewRecord | None = None,
) -> Iterator[Pair]:
    catalog = catalog if catalog is not None else load_catalog(path)
    record = record if record is not None else load_record(path)
    for entry in catalog:
        if not entry.msgid or entry.msgid_plural or not entry.msgstr or entry.fuzzy:
            continue
        if entry.obsolete and not with_obsolete:
            continue
        machine = LEGACY_MACHINE_FLAG in entry.flags or is_unreviewed(entry, record)
        yield Pair(entry.msgid, entry.msgstr, document, machine=machine)


def memory_cache_path(config: ProjectConfig, locale: LocaleConfig) -> Path:
    return config.output_dir / "cache" / f"memory-{locale.name}.json"


def _catalog_digest(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    record = record_path(path)
    if record.is_file():
        digest.update(record.read_bytes())
    return digest.hexdigest()


def _needs_a_pass(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Whether the memory stage has anything to do for this message: no translation, fuzzy, or machine output."""
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    return not entry.msgstr or entry.fuzzy or has_note(entry) or state_of(entry, record) is State.MACHINE


def _read_for_memory(document: str, path: Path) -> tuple[list[list], bool]:
    """The catalog's pairs as rows, and whether the memory stage has work in it."""
    catalog = load_catalog(path)
    record = load_record(path)
    rows = [[p.source, p.target, p.machine] for p in _pairs_of(document, path, catalog=catalog, record=record)]
    return rows, any(_needs_a_pass(entry, record) for entry in catalog)


def cached_catalog_pairs(
    config: ProjectConfig, locale: LocaleConfig, with_work: set[str] | None = None
) -> Iterator[Pair]:
    """catalog_pairs, with each catalog read only when it (or its review record) changed since the last run.

    ``with_work`` receives the documents in which the memory stage has something to do.

    Parsing is most of the time on a large memory; the cache in ``_build/cache``
    keeps each catalog's pairs under the SHA-256 of its bytes and its record's,
    and many catalogs to read are read on every core.
    """
    cache_file = memory_cache_path(config, locale)
    try:
        cache: dict[str, dict] = json.loads(cache_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        cache = {}
    if not isinstance(cache, dict):
        cache = {}  # damaged by hand: rebuilt
    fresh: dict[str, dict] = {}
    to_read: list[tuple[str, Path]] = []
    for document, path in catalog_documents(config, locale):
        digest = _catalog_digest(path)
        known = cache.get(document)
        if not isinstance(known, dict) or known.get("sha256") != digest or not isinstance(known.get("pairs"), list):
            known = {"sha256": digest, "pairs": None, "work": True}
            to_read.append((document, path))
        fresh[document] = known
    jobs = os.cpu_count() or 1
    if jobs > 1 and len(to_read) >= 16:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            rows = list(pool.map(_read_for_memory, *zip(*to_read, strict=True), chunksize=8))
    else:
        rows = [_read_for_memory(document, path) for document, path in to_read]
    for (document, _path), (pairs, work) in zip(to_read, rows, strict=True):
        fresh[document]["pairs"] = pairs
        fresh[document]["work"] = work
    for document, known in fresh.items():
        if with_work is not None and known.get("work", True):
            with_work.add(document)
        for source, target, machine in known["pairs"]:
            yield Pair(source, target, document, machine=machine)
    if fresh != cache:
        write_atomic(cache_file, json.dumps(fresh, ensure_ascii=False, separators=(",", ":")))


def load_memory(
    config: ProjectConfig,
    locale: LocaleConfig,
    extra_files: list[Path] | None = None,
    with_work: set[str] | None = None,
    unmatched: list[tuple[Path, str]] | None = None,
) -> TranslationMemory:
    """The locale's memory: its catalogs' translations by people, then the TMX files."""
    memory = TranslationMemory()
    for pair in cached_catalog_pairs(config, locale, with_work):
        if not pair.machine:
            memory.add(pair)
    for tmx_path in [*config.memory_files, *(extra_files or [])]:
        pairs = read_tmx(tmx_path, config.source_language, locale.name)
        for pair in pairs:
            memory.add(pair)
        if not pairs and unmatched is not None:
            unmatched.append((tmx_path, locale.name))
    return memory


@dataclass
class MemoryResult:
    exact: int = 0
    fuzzy: int = 0
    approved: int = 0  # fuzzy proposals a person approved by clearing the flag: now theirs
    adopted: int = 0  # proposals a person edited, or approved by deleting the note: now theirs, note gone
    memory_sizes: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    locales_skipped: list[str] = field(default_factory=list)  # produced by OpenCC
    tmx_without_pairs: list[tuple[Path, str]] = field(default_factory=list)  # (file, locale) it gave nothing for


def signature(threshold: float) -> str:
    return f"pubflow-memory/1 rapidfuzz-{rapidfuzz.__version__} ratio>={threshold:g}"


def set_memory_comment(entry: polib.POEntry, comment: str | None) -> None:
    """Put (or with None, take away) the translator comment saying where a proposal came from."""
    lines = [ln for ln in (entry.tcomment or "").split("\n") if ln and not ln.startswith(COMMENT_PREFIX)]
    if comment:
        # After review's "machine output" note, which mark_machine puts first.
        lines.insert(1 if lines else 0, comment)
    entry.tcomment = "\n".join(lines)


def _already_proposed(entry: polib.POEntry, proposal: Proposal) -> bool:
    return (
        entry.msgstr == proposal.pair.target
        and entry.fuzzy == (not proposal.exact)
        and proposal.comment in (entry.tcomment or "").split("\n")
    )


def apply_proposal(entry: polib.POEntry, record: ReviewRecord, proposal: Proposal, threshold: float) -> None:
    origin = EXACT_ORIGIN if proposal.exact else FUZZY_ORIGIN
    mark_machine(entry, record, proposal.pair.target, origin, signature(threshold))
    if not proposal.exact:
        entry.flags.append("fuzzy")
        entry.previous_msgid = proposal.pair.source  # Poedit and Weblate show the difference
    set_memory_comment(entry, proposal.comment)


def wants_proposal(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """An untranslated message, or memory output still fuzzy: never a person's translation."""
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    if state_of(entry, record) is State.UNTRANSLATED:
        return True
    # A close match, or a proposal whose source changed since (msgmerge's #| msgid). An exact match a
    # reviewer marked fuzzy ("needs work" in Poedit) is theirs to fix: not proposed over.
    return (
        is_memory_output(entry, record)
        and entry.fuzzy
        and (origin_of(entry, record) == FUZZY_ORIGIN or entry.previous_msgid is not None)
    )


def edited_since_proposed(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Machine output a person has edited (or approved by deleting its note): the record still says machine."""
    message = record.get(entry)
    if message is None or not message.outputs() or not entry.msgstr:
        return False
    return state_of(entry, record) is State.PERSON


def propose_in_catalog(
    catalog: polib.POFile,
    record: ReviewRecord,
    proposals: dict[str, Proposal | None],
    threshold: float,
    result: MemoryResult,
) -> bool:
    """Fill the catalog's untranslated messages from the memory's proposals; whether anything changed."""
    changed = False
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        state = state_of(entry, record)
        if state is State.MACHINE and not is_unreviewed(entry, record):
            mark_person(entry, record)  # an approved fuzzy proposal
            result.approved += 1
            changed = True
            continue
        if edited_since_proposed(entry, record):
            # A person's text now: the note saying "machine output" would tell Poedit's user otherwise.
            mark_person(entry, record)
            result.adopted += 1
            changed = True
            continue
        if not wants_proposal(entry, record):
            continue
        proposal = proposals.get(entry.msgid)
        if proposal is None or _already_proposed(entry, proposal):
            continue
        if not newline_ends_agree(entry.msgid, proposal.pair.target):
            continue  # a TMX segment ending in a line break: msgfmt would reject the catalog
        apply_proposal(entry, record, proposal, threshold)
        if proposal.exact:
            result.exact += 1
        else:
            result.fuzzy += 1
        changed = True
    return changed


def memory_state(config: ProjectConfig, locale: LocaleConfig, extra_files: list[Path]) -> str:
    """A digest of everything the memory stage reads for a locale: its catalogs and records, the TMX files."""
    digest = hashlib.sha256(signature(config.memory_threshold).encode("utf-8"))
    for document, path in catalog_documents(config, locale):
        digest.update(f"{document}\0{_catalog_digest(path)}\0".encode())
    for tmx_path in [*config.memory_files, *extra_files]:
        digest.update(f"{tmx_path}\0{file_digest(tmx_path)}\0".encode())
    return digest.hexdigest()


def propose_from_memory(
    config: ProjectConfig,
    locales: list[LocaleConfig],
    extra_files: list[Path] | None = None,
    meter: Meter = NO_METER,
) -> MemoryResult:
    """The memory stage: proposals for every catalog of the translated locales.

    A locale whose catalogs, review records and TMX files are exactly as the
    last run left them is skipped: the same memory over the same catalogs
    proposes nothing new (``_build/cache/memory-runs.json``, see
    :mod:`pubflow.incremental`).
    """
    result = MemoryResult()
    meter.expect(sum(1 for locale in locales if locale.method == "translation"))
    done = WorkRecord(config.output_dir / "cache" / "memory-runs.json", "pubflow-memory-runs/1", {})
    for locale in locales:
        if locale.method != "translation":
            result.locales_skipped.append(locale.name)
            continue
        state = memory_state(config, locale, extra_files or [])
        recorded = done.get(locale.name)
        if recorded and isinstance(recorded.get("size"), int) and done.matches(locale.name, {"state": state}):
            result.memory_sizes[locale.name] = recorded["size"]
            meter.advance()
            continue
        _propose_in_locale(config, locale, extra_files, result)
        after = memory_state(config, locale, extra_files or [])  # as this run left the catalogs
        done.put(locale.name, {"state": after, "size": result.memory_sizes[locale.name]})
        meter.advance()
    done.save()
    return result


def _propose_in_locale(
    config: ProjectConfig, locale: LocaleConfig, extra_files: list[Path] | None, result: MemoryResult
) -> None:
    threshold = config.memory_threshold
    with_work: set[str] = set()
    memory = load_memory(config, locale, extra_files, with_work, result.tmx_without_pairs)
    result.memory_sizes[locale.name] = len(memory)
    opened = []
    for document, path in catalog_documents(config, locale):
        if document not in with_work:
            continue  # every message translated by a person: nothing to propose
        read_as = catalog_bytes(path)  # before anything else: a save in an editor after this is never lost
        catalog = load_catalog(path)
        # Only changed messages are laid out anew.
        layout = CatalogLayout(path.read_text(encoding="utf-8"), catalog, file_newline(path))
        opened.append((path, read_as, catalog, layout, load_record(path)))
    wanted = [e.msgid for _p, _r, catalog, _l, record in opened for e in catalog if wants_proposal(e, record)]
    proposals = memory.propose_many(wanted, threshold)
    for path, read_as, catalog, layout, record in opened:
        changed = propose_in_catalog(catalog, record, proposals, threshold, result)
        # A record a killed run left in transition is settled even when no proposal changes: its catalog may be
        # the one that run wrote already.
        if not changed and not record.in_transition:
            continue
        # Record and catalog in an order that a kill at any point leaves true (review.writes_with_catalog).
        if save_with_catalog(record, catalog, path, layout.splice(catalog, config.wrap_width), read_as):
            result.written.append(path)
