"""Coverage as text for people, JSON for machines (a stable schema), Markdown for CI summaries."""

from __future__ import annotations

import json

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
        if not locale.passed:
            lines.append("  missing:")
            for c in locale.catalogs:
                for m in c.missing:
                    msgid = m.msgid.replace("\n", " ")
                    lines.append(f"{c.path}:{m.line}: {m.state}: {msgid}")
    return "\n".join(lines)


def render_json(locales: list[LocaleCoverage], stale: bool) -> str:
    document = {
        "schema": SCHEMA,
        "stale": stale,
        "passed": all(loc.passed for loc in locales) and not stale,
        "locales": [
            {
                "locale": loc.locale,
                "threshold": loc.threshold,
                "passed": loc.passed,
                "total": loc.total.as_dict(with_missing=False),
                "catalogs": [c.as_dict() for c in loc.catalogs],
            }
            for loc in locales
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


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
