"""Coverage as text for people, JSON for machines (a stable schema), Markdown for CI summaries."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pubflow.coverage import SCHEMA, CatalogCoverage, LocaleCoverage

COLUMNS = ("messages", "translated", "fuzzy", "untranslated", "obsolete")


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
        threshold = f"threshold {locale.threshold:g}%" if locale.threshold is not None else "no threshold"
        verdict = "ok" if locale.passed else "BELOW THRESHOLD"
        lines.append(f"{locale.locale}  ({threshold}: {verdict})")
        width = max([len(c.path) for c in locale.catalogs] + [10])
        lines.append(
            f"  {'catalog':<{width}}  {'total':>6} {'transl':>6} {'fuzzy':>6} {'untr':>6} {'obsol':>6}  "
            f"{'source':>18}  {'msgs %':>7} {'text %':>7}"
        )
        for c in [*locale.catalogs, locale.total]:
            lines.append(
                f"  {c.path:<{width}}  {c.messages:>6} {c.translated:>6} {c.fuzzy:>6} {c.untranslated:>6} "
                f"{c.obsolete:>6}  {_size(c):>18}  {c.percent_messages:>7.2f} {c.percent_source:>7.2f}"
            )
        if not locale.catalogs:
            lines.append(f"  no catalog yet: run pubflow extract && pubflow update --locale {locale.locale}")
        elif not locale.passed:
            lines.append("  missing:")
            for c in locale.catalogs:
                for m in c.missing:
                    msgid = m.msgid.replace("\n", " ")
                    lines.append(f"{c.path}:{m.line}: {m.state}: {msgid}")
    return "\n".join(lines)


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
        head = {"locale": loc.locale, "threshold": loc.threshold, "passed": loc.passed}
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
        "| locale | catalog | total | translated | fuzzy | untranslated | obsolete | messages % | text % | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for loc in locales:
        for c in [*loc.catalogs, loc.total]:
            mark = ("✅" if loc.passed else "❌") if c.path == "(all)" else ""
            name = "**all**" if c.path == "(all)" else f"`{c.path}`"
            lines.append(
                f"| {loc.locale} | {name} | {c.messages} | {c.translated} | {c.fuzzy} | {c.untranslated} | "
                f"{c.obsolete} | {c.percent_messages:.2f} | {c.percent_source:.2f} | {mark} |"
            )
    thresholds = ", ".join(f"{loc.locale} ≥ {loc.threshold:g}%" for loc in locales if loc.threshold is not None)
    if thresholds:
        lines += ["", f"Thresholds: {thresholds}."]
    return "\n".join(lines)
