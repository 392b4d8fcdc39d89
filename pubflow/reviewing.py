"""Review: the machine output waiting for a person, and approving it.

:func:`pending_review` lists, per locale and document, every message that is
still machine output nobody reviewed (OpenCC's conversion, or a translation
memory proposal, exact or fuzzy), with its source. :func:`approve_messages`
approves the messages a reviewer names (by catalog line, by document, or all)
exactly as an XLIFF approval does (:mod:`pubflow.exchange.xliff`) and as
deleting the note in Poedit does: the text stays as it is, the machine record
and the ``# pubflow: machine output`` note go, a fuzzy memory proposal stops
being fuzzy and loses its previous msgid. From then on the message is a
person's (:func:`pubflow.review.state_of`), and no stage rewrites it.

Every target is resolved before anything is written, so a target naming no
waiting message changes nothing; each catalog and its review record are
written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow.catalog import CatalogLayout, catalog_bytes, file_newline, read_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError, display_path
from pubflow.memory import catalog_documents, is_unreviewed, set_memory_comment
from pubflow.review import ReviewRecord, load_record, mark_person, origin_of, save_with_catalog


@dataclass(frozen=True)
class Pending:
    """One message of machine output waiting for review."""

    locale: str
    document: str
    path: Path
    line: int
    msgctxt: str | None
    msgid: str
    msgstr: str
    origin: str  # opencc, memory, "memory, fuzzy"
    fuzzy: bool
    previous_msgid: str | None  # a fuzzy memory proposal's memory source

    @property
    def where(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


def _waiting(entry: polib.POEntry, record: ReviewRecord) -> bool:
    return not entry.obsolete and bool(entry.msgid) and is_unreviewed(entry, record)


def _pending(locale: LocaleConfig, document: str, path: Path, entry: polib.POEntry, record: ReviewRecord) -> Pending:
    origin = origin_of(entry, record) or "machine"
    return Pending(locale.name, document, path, entry.linenum, entry.msgctxt, entry.msgid, entry.msgstr, origin,
                   entry.fuzzy, entry.previous_msgid)  # fmt: skip


def _documents(config: ProjectConfig, locale: LocaleConfig, documents: list[str] | None) -> list[tuple[str, Path]]:
    every = list(catalog_documents(config, locale))
    if not documents:
        return every
    known = {name for name, _path in every}
    for name in documents:
        if name not in known:
            raise PubflowError(
                f"no catalog of {name!r} in {locale.name}; documents are named as in docs/ without .rst "
                f"(known: {', '.join(sorted(known)) or 'none'})",
                config.locale_dir / locale.name / "LC_MESSAGES",
            )
    return [(name, path) for name, path in every if name in documents]


def pending_review(
    config: ProjectConfig, locales: list[LocaleConfig], documents: list[str] | None = None
) -> list[Pending]:
    """Every message of machine output waiting for review, by locale, document and line."""
    found: list[Pending] = []
    for locale in locales:
        for document, path in _documents(config, locale, documents):
            catalog, _text = read_catalog(path)
            record = load_record(path)
            found.extend(_pending(locale, document, path, e, record) for e in catalog if _waiting(e, record))
    return found


def approve_entry(entry: polib.POEntry, record: ReviewRecord) -> None:
    """A person approves the message as it stands: what an XLIFF approval or deleting the note in Poedit does."""
    mark_person(entry, record)
    set_memory_comment(entry, None)
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


@dataclass
class ApproveResult:
    approved: list[Pending] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _line_target(target: str) -> tuple[Path, int] | None:
    """``locale/zh_TW/LC_MESSAGES/doc.po:308`` as the listing prints it; None for a document name."""
    path, sep, line = target.rpartition(":")
    if sep and line.isdigit() and path.endswith(".po"):
        return Path(path), int(line)
    return None


def approve_messages(
    config: ProjectConfig,
    locales: list[LocaleConfig],
    targets: list[str],
    everything: bool = False,
) -> ApproveResult:
    """Approve the named messages (``FILE.po:LINE``), documents (their name) or, with ``everything``, all."""
    if not targets and not everything:
        raise PubflowError("name what to approve: FILE.po:LINE, a document, or --all")
    line_targets: dict[tuple[Path, int], str] = {}
    document_targets: set[str] = set()
    for target in targets:
        found = _line_target(target)
        if found is None:
            document_targets.add(target.removesuffix(".rst"))
        else:
            path, line = found
            absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
            if not absolute.is_file():
                absolute = (config.root / path).resolve()
            line_targets[(absolute, line)] = target
    matched_lines: set[tuple[Path, int]] = set()
    matched_documents: set[str] = set()
    plans: list[tuple[Path, bytes, polib.POFile, str, ReviewRecord, list[tuple[polib.POEntry, Pending]]]] = []
    known_documents: set[str] = set()
    for locale in locales:
        for document, path in catalog_documents(config, locale):
            known_documents.add(document)
            resolved = path.resolve()
            wanted_here = {line for (p, line) in line_targets if p == resolved}
            if not (everything or document in document_targets or wanted_here):
                continue
            read_as = catalog_bytes(path)  # first: a save in an editor after this is never written over
            catalog, text = read_catalog(path)
            record = load_record(path)
            chosen: list[tuple[polib.POEntry, Pending]] = []
            for entry in catalog:
                whole = everything or document in document_targets
                if not (whole or entry.linenum in wanted_here):
                    continue
                if entry.linenum in wanted_here:
                    matched_lines.add((resolved, entry.linenum))
                if _waiting(entry, record):
                    chosen.append((entry, _pending(locale, document, path, entry, record)))
            if document in document_targets:
                matched_documents.add(document)
            if chosen:
                plans.append((path, read_as, catalog, text, record, chosen))
    for (path, line), target in line_targets.items():
        if (path, line) not in matched_lines:
            raise PubflowError(
                f"{target}: no message starts on this line of a catalog of "
                f"{', '.join(loc.name for loc in locales)}; run pubflow review list for the lines",
            )
    for document in sorted(document_targets - matched_documents):
        raise PubflowError(
            f"{document!r}: no catalog of this document in {', '.join(loc.name for loc in locales)} "
            f"(known: {', '.join(sorted(known_documents)) or 'none'})"
        )
    approved_lines = {(p.path.resolve(), p.line) for plan in plans for _e, p in plan[5]}
    for (path, line), target in line_targets.items():
        if (path, line) not in approved_lines:
            raise PubflowError(f"{target}: this message is not machine output waiting for review; nothing approved")
    result = ApproveResult()
    for path, read_as, catalog, text, record, chosen in plans:
        layout = CatalogLayout(text, catalog, file_newline(path))
        for entry, pending in chosen:
            approve_entry(entry, record)
            result.approved.append(pending)
        # Catalog and record in an order a kill at any point leaves true, never over a save made meanwhile.
        if save_with_catalog(record, catalog, path, layout.splice(catalog, config.wrap_width), read_as):
            result.written.append(path)
    return result
