"""Coverage as text for people, JSON for machines (a stable schema), Markdown for CI summaries."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pubflow.coverage import SCHEMA, CatalogCoverage, LocaleCoverage

COLUMNS = ("messages", "translated", "reviewed", "machine", "fuzzy", "untranslated", "obsolete")


def _size(c: CatalogCoverage) -> str:
    parts = []
    if c.source_chars:
        parts.append(f"{c.source_chars:,} 字")
    if c.source_words or not parts:
        parts.append(f"{c.source_words:,} words")
    return " + ".join(parts)


def render_text(locales: list[LocaleCoverage], stale: bool) -> str:
    lines: list[str] = []
    if stale:
        lines.append(
            "warning: the catalogs are stale, so these numbers mean little; run pubflow extract && pubflow update"
        )
    for locale in locales:
        lines.append(f"{locale.locale}  ({_verdicts(locale)})")
        width = max([len(c.path) for c in locale.catalogs] + [10])
        lines.append(
            f"  {'catalog':<{width}}  {'total':>6} {'transl':>6} {'review':>6} {'machin':>6} {'fuzzy':>6} "
            f"{'untr':>6} {'obsol':>6}  {'source':>18}  {'msgs %':>7} {'text %':>7} {'rev %':>7}"
        )
        for c in [*locale.catalogs, locale.total]:
            lines.append(
                f"  {c.path:<{width}}  {c.messages:>6} {c.translated:>6} {c.reviewed:>6} {c.machine:>6} "
                f"{c.fuzzy:>6} {c.untranslated:>6} {c.obsolete:>6}  {_size(c):>18}  "
                f"{c.percent_messages:>7.2f} {c.percent_source:>7.2f} {c.percent_reviewed:>7.2f}"
            )
        if not locale.catalogs:
            lines.append(f"  no catalog yet: run pubflow extract && pubflow update --locale {locale.locale}")
        if not locale.translated_passed:
            lines.append("  missing:")
            for c in locale.catalogs:
                for m in c.missing:
                    msgid = m.msgid.replace("\n", " ")
                    lines.append(f"{c.path}:{m.line}: {m.state}: {msgid}")
        if not locale.reviewed_passed and any(c.unreviewed for c in locale.catalogs):
            lines.append(f"  not yet reviewed (pubflow review --locale {locale.locale} lists them with their source):")
            for c in locale.catalogs:
                for m in c.unreviewed:
                    msgid = m.msgid.replace("\n", " ")
                    lines.append(f"{c.path}:{m.line}: {m.state}: {msgid}")
    return "\n".join(lines)


def _verdicts(locale: LocaleCoverage) -> str:
    threshold = f"threshold {locale.threshold:g}%" if locale.threshold is not None else "no threshold"
    parts = [f"{threshold}: {'ok' if locale.translated_passed else 'BELOW THRESHOLD'}"]
    if locale.reviewed_threshold is not None:
        verdict = "ok" if locale.reviewed_passed else "BELOW THRESHOLD"
        parts.append(f"reviewed threshold {locale.reviewed_threshold:g}%: {verdict}")
    return "; ".join(parts)


def render_json(locales: list[LocaleCoverage], stale: bool) -> str:
    return "".join(stream_json(locales, stale))


def stream_json(locales: list[LocaleCoverage], stale: bool) -> Iterator[str]:
    """The JSON document piece by piece, one catalog a line.

    Each catalog is encoded on its own by json's C encoder (an indented
    document goes through its Python one) and written as it comes, so the
    missing-message lists of a large corpus are never one string in memory.
    """
    passed = all(loc.passed for loc in locales) and not stale
    yield f'{{\n  "schema": {json.dumps(SCHEMA)},\n  "stale": {json.dumps(stale)},\n  "passed": {json.dumps(passed)},\n'
    yield '  "locales": ['
    for number, loc in enumerate(locales):
        yield "," if number else ""
        head = {
            "locale": loc.locale,
            "threshold": loc.threshold,
            "reviewed_threshold": loc.reviewed_threshold,
            "passed": loc.passed,
        }
        yield "\n    {" + json.dumps(head, ensure_ascii=False)[1:-1]
        yield ',\n      "total": ' + json.dumps(loc.total.as_dict(with_missing=False), ensure_ascii=False)
        yield ',\n      "catalogs": ['
        for index, catalog in enumerate(loc.catalogs):
            yield ("," if index else "") + "\n        " + json.dumps(catalog.as_dict(), ensure_ascii=False)
        yield "\n      ]\n    }"
    yield "\n  ]\n}\n"


def render_markdown(locales: list[LocaleCoverage], stale: bool) -> str:
    lines = ["## Translation coverage", ""]
    if stale:
        lines += [
            "> **Stale catalogs**: run `pubflow extract && pubflow update`; these numbers mean little.",
            "",
        ]
    lines += [
        "| locale | catalog | total | translated | reviewed | machine, unreviewed | fuzzy | untranslated | obsolete "
        "| messages % | text % | reviewed % | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for loc in locales:
        for c in [*loc.catalogs, loc.total]:
            mark = ("✅" if loc.passed else "❌") if c.path == "(all)" else ""
            name = "**all**" if c.path == "(all)" else f"`{c.path}`"
            lines.append(
                f"| {loc.locale} | {name} | {c.messages} | {c.translated} | {c.reviewed} | {c.machine} | {c.fuzzy} | "
                f"{c.untranslated} | {c.obsolete} | {c.percent_messages:.2f} | {c.percent_source:.2f} | "
                f"{c.percent_reviewed:.2f} | {mark} |"
            )
    thresholds = ", ".join(
        [f"{loc.locale} ≥ {loc.threshold:g}%" for loc in locales if loc.threshold is not None]
        + [
            f"{loc.locale} reviewed ≥ {loc.reviewed_threshold:g}%"
            for loc in locales
            if loc.reviewed_threshold is not None
        ]
    )
    if thresholds:
        lines += ["", f"Thresholds: {thresholds}."]
    return "\n".join(lines)
