"""Running every check over every catalog of the chosen locales."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pubflow import review
from pubflow.catalog import msgfmt_problems, off_format, parse_catalog
from pubflow.checks.catalog_level import (
    check_completeness,
    check_duplicates,
    check_engine,
    check_header,
    check_review_record,
)
from pubflow.checks.converted import make_check_converted
from pubflow.checks.markup import check_markup
from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.notes import CHECK_NOTE, CHECK_STALE, check_notes
from pubflow.checks.numbers import check_numbers
from pubflow.checks.punctuation import check_punctuation
from pubflow.checks.script import check_script
from pubflow.checks.security import check_security, check_source_markup
from pubflow.checks.spelling import make_check_spelling
from pubflow.checks.stale import check_stale, fresh_templates
from pubflow.checks.terms import check_forbidden, check_terms
from pubflow.checks.whitespace import check_whitespace
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.conversion import ScriptConverter
from pubflow.errors import PubflowError
from pubflow.glossary import Glossary, load_glossary
from pubflow.progress import NO_METER, Meter

EntryCheck = Callable[[EntryContext], Iterator[Finding]]

#: Checks of each translated message, by name.
ENTRY_CHECKS: dict[str, EntryCheck] = {
    "markup": check_markup,
    "numbers": check_numbers,
    "glossary": check_terms,
    "forbidden": check_forbidden,
    "script": check_script,
    "punctuation": check_punctuation,
    "whitespace": check_whitespace,
    "security": check_security,
}
#: Checks no flag can silence: the flag is reported instead (see checks/security.py).
UNSILENCEABLE = frozenset({"security"})
#: A message longer than this (source or translation, in characters) is not read word by word: no
#: paragraph is so long, and numbers, spelling or the glossary would spend time in proportion on it.
#: Security and converted still judge it whole, in time linear in its length.
WORD_CHECK_LIMIT = 5_000
WHOLE_MESSAGE_CHECKS = frozenset({"security", "converted"})
CHECK_LENGTH = "length"
CHECK_NAMES = [
    "po-syntax", "header", "duplicate", *ENTRY_CHECKS, "spelling", "converted", "untranslated", "fuzzy", "stale",
    "engine", CHECK_NOTE, CHECK_STALE, "review", "format", CHECK_LENGTH,
]  # fmt: skip


def check_catalog(
    path: Path,
    locale: LocaleConfig,
    config: ProjectConfig,
    glossary: Glossary,
    converter: ScriptConverter | None,
    locale_checks: dict[str, EntryCheck] | None = None,
) -> Iterator[Finding]:
    try:
        catalog = parse_catalog(path)
    except PubflowError as error:
        yield Finding(path, error.line, "po-syntax", error.message)
        return
    # msgfmt -c is the judge of a valid catalog; what it rejects fails po-syntax, and the other checks still run.
    for problem in msgfmt_problems(path):
        yield Finding(problem.path or path, problem.line, "po-syntax", problem.message)
    try:
        record = review.load_record(path)
    except PubflowError as error:
        yield Finding(error.path or path, error.line, "review", error.message)
        return
    yield from check_review_record(path, record)
    if config.strict_format and off_format(path, config.wrap_width):
        layout = f"wrapped at {config.wrap_width} columns" if config.wrap_width else "unwrapped"
        yield Finding(path, None, "format", f"not laid out {layout} (strict-format); run pubflow format")
    yield from check_header(path, catalog, locale)
    yield from check_duplicates(path, catalog, record)
    yield from check_completeness(path, catalog, record)
    checks = {**ENTRY_CHECKS, **(locale_checks or {})}
    if converter is not None:
        yield from check_engine(path, catalog, converter.signature, record)
        checks["converted"] = make_check_converted(converter)
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        ctx = EntryContext(path, entry, locale, config.source_language, glossary, record)
        yield from check_source_markup(ctx)
        if not entry.msgstr:
            continue
        length = max(len(entry.msgid), len(entry.msgstr))
        too_long = length > WORD_CHECK_LIMIT
        if too_long and not entry.fuzzy:
            yield ctx.finding(
                CHECK_LENGTH,
                f"the message is {length:,} characters long, over {WORD_CHECK_LIMIT:,}: too long to check word by "
                "word (numbers, spelling, glossary…); split its paragraph in the source",
            )
        for name, check in checks.items():
            if too_long and name not in WHOLE_MESSAGE_CHECKS:
                continue
            # A fuzzy message is judged by security alone, as the build judges it (it withholds it too).
            if name in UNSILENCEABLE or not (entry.fuzzy or ctx.skipped(name)):
                yield from check(ctx)


def run_checks(
    config: ProjectConfig, locales: list[LocaleConfig], stale: bool = True, meter: Meter = NO_METER
) -> list[Finding]:
    findings: list[Finding] = []
    glossary = load_glossary(config.glossary_path, config.source_language)
    catalogs = {locale.name: sorted((config.locale_dir / locale.name).rglob("*.po")) for locale in locales}
    meter.expect(sum(map(len, catalogs.values())))
    for locale in locales:
        converter = ScriptConverter(locale, glossary) if locale.method == "opencc" else None
        locale_checks: dict[str, EntryCheck] = {}
        if locale.spelling:
            where = config.root / "pyproject.toml"
            locale_checks["spelling"] = make_check_spelling(
                locale.spelling, config.spelling_words_path, glossary, locale.name, where
            )
        for path in catalogs[locale.name]:
            findings.extend(check_catalog(path, locale, config, glossary, converter, locale_checks))
            meter.advance()
        findings.extend(check_notes(config, locale))
    if stale:
        findings.extend(check_stale(config, locales, fresh_templates(config)))
    return findings
