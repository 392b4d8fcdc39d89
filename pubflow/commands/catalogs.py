"""The verbs that make and keep the catalogs: import, extract, update, memory, convert, format."""

from __future__ import annotations

import argparse
from pathlib import Path

from pubflow.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_locale_option,
    add_verb,
    columns,
    report_unrecorded,
    shown,
    with_changes,
)
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.progress import Reporter


def cmd_import(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.importer import import_article

    result = import_article(config, Path(args.raw), name=args.name, force=args.force)
    article = result.article
    sections = sum(1 for b in article.blocks if b.kind == "heading")
    paragraphs = sum(1 for b in article.blocks if b.kind == "paragraph")
    state = "wrote" if result.written else "unchanged"
    report(
        f"{state} {shown(result.document)}: title, "
        f"{'subtitle, ' if article.subtitle else ''}byline{' with its dateline' if article.byline.dateline else ''}, "
        f"{sections} section(s), {paragraphs} paragraph(s){', dateline' if article.dateline else ''}"
    )
    for marker in article.dropped:
        report(f"left out {marker} from the title (a picture or video marker of the news site)")
    if article.left_out:
        report(f"left out {len(article.left_out)} line(s) of site navigation after the article:")
        for line in article.left_out:
            report(f"  - {line}")
    report("next: pubflow extract && pubflow update")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.extract import extract_templates

    report(f"extracting {config.source_language} messages with Sphinx's gettext builder")
    with report.stage("extract") as meter:
        meter.expect(1)
        result = extract_templates(config, meter=meter)
    report(
        f"{len(result.templates)} template(s) in {shown(config.pot_dir)}: "
        f"{len(result.changed)} changed, {len(result.removed)} removed"
    )
    return EXIT_OK


def cmd_update(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.extract import templates_out_of_date
    from pubflow.update import update_catalogs

    locales = config.select(args.locale)
    stale = templates_out_of_date(config)
    if stale and not getattr(args, "no_extract", False):
        report(f"{stale}: extracting first")
        cmd_extract(args, config, report)
    with report.stage("update", "catalog") as meter:
        result = update_catalogs(config, locales, meter=meter)
    carried = dict(result.carried)
    for path in result.created:
        if path in carried:
            report(
                f"created {shown(path)} from {shown(carried[path])}, whose document is gone (renamed?): its "
                "translations, review record and notes carried over; to keep its old address working, add "
                f'"{_document_of(carried[path])}" = "{_document_of(path)}" to [tool.pubflow.redirects]'
            )
        else:
            report(f"created {shown(path)}")
    for path in result.updated:
        report(f"updated {shown(path)}")
    for path in dict.fromkeys(result.remerged):
        report(f"{shown(path)} was saved (in an editor?) while it was being merged: merged again with that save")
    report(f"{len(result.unchanged)} catalog(s) unchanged")
    from pubflow.notes import notes_folder_of

    for path in result.orphaned:
        report(
            f"warning: {shown(path)} has no source document; restore its .rst, or delete it with its review record "
            f"(git rm {shown(path.with_suffix(''))}.*) and its notes in {shown(notes_folder_of(path))}/, if any"
        )
    report_unrecorded(result.unrecorded, report)
    if getattr(args, "no_memory", False):
        return EXIT_OK
    return cmd_memory(with_changes(args, tmx=None), config, report)


def cmd_memory(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.memory import propose_from_memory

    locales = config.select(args.locale)
    extra = [Path(name) for name in args.tmx or []]
    with report.stage("memory", "locale") as meter:
        result = propose_from_memory(config, locales, extra, meter=meter)
    for path in result.written:
        report(f"proposed from memory in {shown(path)}")
    sizes = ", ".join(f"{name} {size:,} pairs" for name, size in result.memory_sizes.items())
    report(
        f"translation memory ({sizes or 'no translated locale'}): {result.exact} exact, {result.fuzzy} fuzzy "
        f"(>= {config.memory_threshold:g}%) proposal(s); {result.approved} approved fuzzy proposal(s) now a person's"
    )
    if result.adopted:
        report(f"{result.adopted} proposal(s) a person edited or approved since: now theirs, their note removed")
    if result.tmx_without_pairs:
        from pubflow.exchange.tmx import language_tag, tmx_languages

        for path, locale in result.tmx_without_pairs:
            found = ", ".join(tmx_languages(path)) or "none"
            report(
                f"warning: {shown(path)}: no translation unit has both {language_tag(config.source_language)} and "
                f"{language_tag(locale)}, so it adds nothing to the {locale} memory (its languages: {found})"
            )
    return EXIT_OK


def cmd_convert(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.convert import convert_catalogs

    chosen = config.select(args.locale)
    locales = [loc for loc in chosen if loc.method == "opencc"]
    if args.locale and len(locales) < len(chosen):
        others = ", ".join(loc.name for loc in chosen if loc.method != "opencc")
        converted = ", ".join(loc.name for loc in config.targets if loc.method == "opencc") or "none here"
        report(f"{others}: translated by people, not produced by opencc; convert fills {converted}")
    if not locales:
        report("nothing to convert" if args.locale else "no locale is produced by opencc; nothing to convert")
        return EXIT_OK
    with report.stage("convert", "catalog") as meter:
        result = convert_catalogs(config, locales, progress=report, meter=meter)
    for path in result.written:
        report(f"wrote {shown(path)}")
    report(
        f"{result.converted} converted, {result.reconverted} re-converted, "
        f"{result.reviewed_kept} kept as a person's, {result.adopted} of them machine output a person has edited "
        "or approved since, "
        f"{len(result.skipped)} catalog(s) unchanged since the last run"
    )
    if result.needs_work:
        report(f"{result.needs_work} message(s) of machine output a reviewer marked fuzzy (needs work): kept so")
    if result.merged or result.held_for_review:
        report(
            f"corrected sources: {result.merged} reviewed message(s) carried their reviewer's edits onto the new "
            f"conversion; {result.held_for_review} could not be merged and stay fuzzy for review (the edition "
            "shows the fresh conversion meanwhile)"
        )
    if result.unverified:
        report(
            f"warning: {result.unverified} message(s) marked as machine output with no entry in their review "
            "record: left as they are (pubflow check names them); review each, and delete its note to approve it"
        )
    report_unrecorded(result.unrecorded, report)
    return EXIT_OK


def cmd_format(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.catalog import format_catalogs

    width = args.wrap_width if args.wrap_width is not None else config.wrap_width
    if width < 0:
        raise PubflowError(f"--wrap-width {width}: expected 0 (do not wrap) or a number of columns, such as 79")
    paths = [p for loc in config.select(args.locale) for p in sorted((config.locale_dir / loc.name).rglob("*.po"))]
    result = format_catalogs(paths, width, check_only=args.check)
    layout = f"wrapped at {width} columns" if width else "unwrapped"
    for path in result.changed:
        report(f"{'would rewrite' if args.check else 'rewrote'} {shown(path)} ({layout})")
    done = "off format" if args.check else "rewritten"
    report(f"{len(result.changed)} catalog(s) {done}, {result.kept} already {layout}")
    return EXIT_FAILED if args.check and result.changed else EXIT_OK


def register(verbs: argparse._SubParsersAction) -> None:
    p = add_verb(
        verbs,
        "import",
        cmd_import,
        "turn a raw article text into a reST document under docs/",
        "Turn a news page saved as text into docs/<name>.rst and list it in docs/index.rst.",
        "pubflow import raw/article.txt --name 2017-09-25-international-law-enforcement-cooperation",
        lock="exclusive",
    )
    p.add_argument("raw", metavar="RAW.txt", help="the article as UTF-8 text")
    p.add_argument("--name", help="document name, e.g. 2017-09-25-international-law-enforcement-cooperation")
    p.add_argument("--force", action="store_true", help="replace an existing document of that name")

    add_verb(
        verbs,
        "extract",
        cmd_extract,
        "write the .pot templates (source language only)",
        "Extract every document's messages into _build/gettext/<doc>.pot.",
        "pubflow extract",
        lock="exclusive",
    )

    p = add_verb(
        verbs,
        "update",
        cmd_update,
        "merge the templates into locale/<lang>/LC_MESSAGES/*.po",
        "Merge templates into each target locale's catalogs, keeping translations, then propose "
        "translations from the translation memory (see pubflow memory --help).",
        "pubflow update --locale en",
        lock="exclusive",
    )
    add_locale_option(p)
    p.add_argument(
        "--no-extract", action="store_true", help="refuse, rather than extract first, when the templates are stale"
    )
    p.add_argument("--no-memory", action="store_true", help="make no proposals from the translation memory")

    p = add_verb(
        verbs,
        "format",
        cmd_format,
        "rewrite catalogs in the project's layout (wrap-width in [tool.pubflow])",
        "Rewrite every catalog of the chosen locales at the configured wrap-width (0: unwrapped, as "
        "msgmerge --no-wrap; 79 as powrap). Only the layout changes: no message, comment, flag or order.",
        "pubflow format --locale en;  pubflow format --check",
        lock="exclusive",
    )
    add_locale_option(p)
    p.add_argument("--wrap-width", type=columns, metavar="N", help="columns (default: wrap-width in [tool.pubflow])")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a catalog is off format")

    p = add_verb(
        verbs,
        "memory",
        cmd_memory,
        "fill untranslated messages from the translation memory (update runs it too)",
        "Propose translations for untranslated messages from every translated message of the locale "
        "and the TMX files in memory-files: an exact match is filled in, a close one (memory-threshold, "
        "75% of characters by default) is filled in as fuzzy; each says where it came from in a translator "
        "comment and is recorded as memory output until a person edits or approves it. A person's "
        "translation is never replaced. Locales produced by OpenCC take no proposals.",
        "pubflow memory --locale en --tmx old-project.tmx",
        lock="exclusive",
    )
    add_locale_option(p)
    p.add_argument("--tmx", action="append", metavar="FILE", help="also use this TMX file (repeatable)")

    p = add_verb(
        verbs,
        "convert",
        cmd_convert,
        "fill OpenCC-produced locales (zh_TW, …) from the msgids",
        "Convert untranslated and machine-converted messages with OpenCC and the glossary; "
        "messages a reviewer edited are never overwritten.",
        "pubflow convert --locale zh_TW",
        lock="exclusive",
    )
    add_locale_option(p)


def _document_of(catalog: Path) -> str:
    """``locale/en/LC_MESSAGES/2018/x.po`` → ``2018/x``: the document a catalog translates."""
    parts = Path(catalog).parts
    return Path(*parts[parts.index("LC_MESSAGES") + 1 :]).with_suffix("").as_posix()
