"""Publication policy: which articles each edition publishes.

Each target locale has a ``publish`` setting, and each bilingual edition may
have one in ``bilingual-publish``:

- ``complete`` (the default): every message of the article is translated; a
  correction (a message whose source changed since) still counts, as under
  every policy, so that a routine correction never takes an article offline
  (what it shows meanwhile: :mod:`pubflow.corrections`);
- ``reviewed``: complete, and every message a person's text or machine
  output a person approved;
- ``at-least-N``: at least N% of the messages show a translation;
- ``reviewed-at-least-N``: at least N% of the messages are reviewed;
- ``always``: every article, whatever its state (the untranslated parts
  show the source, marked).

A bilingual edition without a policy of its own publishes an article only
where both its locales' editions do. The source language's edition publishes
every article. An article an edition does not publish is *held back*: it is
left out of that edition's pages, front page, feed, search index, PDFs and
every other edition's language switcher, and listed on the status page
with the reason. Only articles (documents with a byline) are ever held back.

:func:`held_back` is the one place that says what each edition holds back.
``pubflow build`` writes it, before Sphinx runs, to ``<output>/held-back.json``
(:func:`write_held_back`), which the Sphinx extension reads
(``pubflow_held_back_file``); the PDF build and ``publish``'s report call it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pubflow.catalog import load_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.corrections import is_correction
from pubflow.incremental import WorkRecord, file_digest
from pubflow.review import State, load_record, record_path, state_of
from pubflow.shard import article_documents

IN_TRANSLATION, IN_REVIEW = "in-translation", "in-review"


@dataclass(frozen=True)
class Policy:
    text: str
    least_shown: float  # percent of messages that must show a translation
    least_reviewed: float  # percent of messages that must be reviewed

    @classmethod
    def parse(cls, text: str) -> Policy:
        if text == "always":
            return cls(text, 0.0, 0.0)
        if text == "complete":
            return cls(text, 100.0, 0.0)
        if text == "reviewed":
            return cls(text, 100.0, 100.0)
        match = re.fullmatch(r"(reviewed-)?at-least-(\d+(?:\.\d+)?)", text)
        if match is None:  # config.py validated the setting
            raise ValueError(f"not a publication policy: {text!r}")
        percent = float(match[2])
        return cls(text, 0.0, percent) if match[1] else cls(text, percent, 0.0)


@dataclass(frozen=True)
class Standing:
    """One article's catalog in one locale, as the edition would show it."""

    messages: int = 0
    shown: int = 0  # messages translated, corrections included
    reviewed: int = 0  # of those, a person's text or approved machine output
    exists: bool = True

    def percent(self, count: int) -> float:
        return 100.0 if not self.messages else 100.0 * count / self.messages


@dataclass(frozen=True)
class HeldBack:
    """An article an edition does not publish, and why."""

    edition: str
    document: str
    policy: str
    state: str  # IN_TRANSLATION or IN_REVIEW
    translated: float  # percent of messages showing a translation
    reviewed: float

    @property
    def reason(self) -> str:
        if self.state == IN_TRANSLATION:
            return f"{self.translated:.0f}% translated; publish = {self.policy}"
        return f"{self.reviewed:.0f}% reviewed; publish = {self.policy}"


def standing(config: ProjectConfig, locale: LocaleConfig, document: str) -> Standing:
    path = config.locale_dir / locale.name / "LC_MESSAGES" / f"{document}.po"
    if not path.is_file():
        return Standing(exists=False)
    catalog = load_catalog(path)
    record = load_record(path)
    messages = shown = reviewed = 0
    for entry in catalog:
        if entry.obsolete or (not entry.msgid and not entry.msgctxt):
            continue
        messages += 1
        translated = bool(entry.msgstr_plural and any(entry.msgstr_plural.values())) or bool(entry.msgstr)
        if translated and not entry.fuzzy:
            shown += 1
            reviewed += state_of(entry, record) is not State.MACHINE
        elif is_correction(entry, record):
            # A correction keeps the article in its edition, whatever the policy: it shows its previous
            # translation, a fresh conversion, or (when the translation now disagrees on a number, date or name)
            # the source, marked; coverage counts it fuzzy until a person updates it.
            shown += 1
            reviewed += state_of(entry, record) is not State.MACHINE
    return Standing(messages, shown, reviewed)


def _judge(edition: str, document: str, policy: Policy, standings: list[Standing]) -> HeldBack | None:
    if policy.text == "always":
        return None
    shown = min((s.percent(s.shown) if s.exists else 0.0 for s in standings), default=100.0)
    reviewed = min((s.percent(s.reviewed) if s.exists else 0.0 for s in standings), default=100.0)
    if shown < policy.least_shown:
        return HeldBack(edition, document, policy.text, IN_TRANSLATION, shown, reviewed)
    if reviewed < policy.least_reviewed:
        state = IN_TRANSLATION if shown < 100.0 else IN_REVIEW
        return HeldBack(edition, document, policy.text, state, shown, reviewed)
    return None


#: The standings last counted, by their catalog's and review record's digests (:func:`standings_recorded`).
STANDINGS_SCHEMA = "pubflow-standings-1"


def standings_recorded(config: ProjectConfig, articles: list[str]) -> dict[tuple[str, str], Standing]:
    """:func:`standing` of every article in every target locale, reading again only the catalogs (or their
    review records) that changed since the last count.

    Every build asks, and a build after one changed catalog read all of them again: at 200 articles,
    400 catalogs, most of what the build did before its editions started.
    """
    record = WorkRecord(config.output_dir / "cache" / "standings.json", STANDINGS_SCHEMA, {})
    result: dict[tuple[str, str], Standing] = {}
    fresh: dict[str, dict[str, object]] = {}
    for locale in config.targets:
        for document in articles:
            path = config.locale_dir / locale.name / "LC_MESSAGES" / f"{document}.po"
            unit = f"{locale.name}/{document}"
            files = [file_digest(path), file_digest(record_path(path))]
            kept = record.get(unit)
            counts = kept.get("standing") if kept is not None and kept.get("files") == files else None
            if isinstance(counts, list) and len(counts) == 3 and all(type(n) is int for n in counts):
                found = Standing(*counts) if files[0] is not None else Standing(exists=False)
            else:
                found = standing(config, locale, document)
            fresh[unit] = {"files": files, "standing": [found.messages, found.shown, found.reviewed]}
            result[(locale.name, document)] = found
    if fresh != record.units:  # written only when a count changed: a build with no change writes nothing
        record.units = fresh
        record.save()
    return result


def held_back(config: ProjectConfig) -> dict[str, dict[str, HeldBack]]:
    """Per edition (``en``, ``bilingual/zh_CN-en``), the articles it holds back, by document name."""
    articles = article_documents(config.docs_dir)
    standings = standings_recorded(config, articles)
    result: dict[str, dict[str, HeldBack]] = {name: {} for name in config.locales}
    for locale in config.targets:
        policy = Policy.parse(locale.publish)
        for document in articles:
            found = _judge(locale.name, document, policy, [standings[(locale.name, document)]])
            if found:
                result[locale.name][document] = found
    for first, second in config.bilingual:
        edition = f"bilingual/{first}-{second}"
        result[edition] = {}
        targets = [config.locales[name] for name in (first, second) if config.locales[name].method != "source"]
        own = config.bilingual_publish.get((first, second))
        for document in articles:
            if own is not None:
                found = _judge(edition, document, Policy.parse(own), [standings[(t.name, document)] for t in targets])
            else:
                reasons = [result[t.name][document] for t in targets if document in result[t.name]]
                found = None
                if reasons:
                    worst = reasons[0]
                    found = HeldBack(edition, document, worst.policy, worst.state, worst.translated, worst.reviewed)
            if found:
                result[edition][document] = found
    return result


_computed: dict[object, dict[str, dict[str, HeldBack]]] = {}


def held_back_now(config: ProjectConfig) -> dict[str, dict[str, HeldBack]]:
    """:func:`held_back`, computed once per process while no catalog, record or source changes (every page asks)."""
    folder = config.locale_dir
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".po", ".json")) if folder.is_dir() else []
    files += sorted(config.docs_dir.rglob("*.rst"))
    key = (repr(config), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file()))
    if key not in _computed:
        _computed.clear()
        _computed[key] = held_back(config)
    return _computed[key]


def edition_name(language: str, bilingual: str) -> str:
    """The edition a Sphinx run builds: ``en``, or ``bilingual/zh_CN-en`` for ``pubflow_bilingual=zh_CN:en``."""
    return f"bilingual/{bilingual.replace(':', '-')}" if bilingual else language


def held_back_documents(config: ProjectConfig, edition: str) -> set[str]:
    return set(held_back_now(config).get(edition, {}))


def held_back_file(config: ProjectConfig) -> Path:
    return config.output_dir / "held-back.json"


def write_held_back(config: ProjectConfig) -> Path:
    """What each edition holds back, as JSON for the Sphinx runs (and anything else that lists an edition's pages)."""
    from pubflow.fileio import write_atomic

    data = {
        edition: {document: asdict(item) for document, item in sorted(items.items())}
        for edition, items in held_back_now(config).items()
    }
    path = held_back_file(config)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


def read_held_back(path: Path) -> dict[str, dict[str, HeldBack]]:
    """:func:`write_held_back`'s file; an unreadable one holds nothing back (a plain sphinx-build's case)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {edition: {doc: HeldBack(**item) for doc, item in items.items()} for edition, items in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
