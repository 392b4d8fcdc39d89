"""The ``pubflow`` command: a thin layer over the stage functions.

Exit status: 0 on success, 1 when a check or a gate fails, 2 on a usage or
input error (printed as one line naming the file and line).
"""

from __future__ import annotations

import argparse
import codecs
import io
import math
import os
import select
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pubflow import __version__
from pubflow.config import MAX_WRAP_WIDTH, ProjectConfig, load_config
from pubflow.errors import PubflowError, display_path
from pubflow.fileio import describe_os_error, remove_stale_temporaries
from pubflow.progress import Reporter

if TYPE_CHECKING:
    from pubflow.checks.model import Finding

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: Verbs that write to the project; each holds the project lock (pubflow/lock.py) while it runs.
WRITING_VERBS = frozenset(
    {"import", "extract", "update", "convert", "memory", "format", "xliff", "tmx", "tbx", "build", "publish"}
)

#: Verbs that only read; they hold the lock shared, so that none reads a writer's work half done.
READING_VERBS = frozenset({"check", "coverage"})


def _rel(path: Path) -> str:
    return display_path(path)


# -- verbs ---------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.importer import import_article

    result = import_article(config, Path(args.raw), name=args.name, force=args.force)
    article = result.article
    sections = sum(1 for b in article.blocks if b.kind == "heading")
    paragraphs = sum(1 for b in article.blocks if b.kind == "paragraph")
    state = "wrote" if result.written else "unchanged"
    report(
        f"{state} {_rel(result.document)}: title, "
        f"{'subtitle, ' if article.subtitle else ''}byline, {sections} section(s), "
        f"{paragraphs} paragraph(s){', dateline' if article.dateline else ''}"
    )
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
        f"{len(result.templates)} template(s) in {_rel(config.pot_dir)}: "
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
                f"created {_rel(path)} from {_rel(carried[path])}, whose document is gone (renamed?): its "
                "translations, review record and notes carried over"
            )
        else:
            report(f"created {_rel(path)}")
    for path in result.updated:
        report(f"updated {_rel(path)}")
    report(f"{len(result.unchanged)} catalog(s) unchanged")
    from pubflow.notes import notes_folder_of

    for path in result.orphaned:
        report(
            f"warning: {_rel(path)} has no source document; restore its .rst, or delete it with its review record "
            f"(git rm {_rel(path.with_suffix(''))}.*) and its notes in {_rel(notes_folder_of(path))}/, if any"
        )
    _report_unrecorded(result.unrecorded, report)
    if getattr(args, "no_memory", False):
        return EXIT_OK
    return cmd_memory(_with(args, tmx=None), config, report)


def cmd_memory(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.memory import propose_from_memory

    locales = config.select(args.locale)
    extra = [Path(name) for name in args.tmx or []]
    with report.stage("memory", "locale") as meter:
        result = propose_from_memory(config, locales, extra, meter=meter)
    for path in result.written:
        report(f"proposed from memory in {_rel(path)}")
    sizes = ", ".join(f"{name} {size:,} pairs" for name, size in result.memory_sizes.items())
    report(
        f"translation memory ({sizes or 'no translated locale'}): {result.exact} exact, {result.fuzzy} fuzzy "
        f"(>= {config.memory_threshold:g}%) proposal(s); {result.approved} approved fuzzy proposal(s) now a person's"
    )
    if result.tmx_without_pairs:
        from pubflow.exchange.tmx import language_tag, tmx_languages

        for path, locale in result.tmx_without_pairs:
            found = ", ".join(tmx_languages(path)) or "none"
            report(
                f"warning: {_rel(path)}: no translation unit has both {language_tag(config.source_language)} and "
                f"{language_tag(locale)}, so it adds nothing to the {locale} memory (its languages: {found})"
            )
    return EXIT_OK


def _report_unrecorded(paths: list[Path], report: Reporter) -> None:
    for path in paths:
        report(
            f"warning: {_rel(path)} had no review record: which messages are machine output cannot be told, "
            "so every translated message counts as a person's (recorded now)"
        )


def cmd_xliff_export(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.xliff import export_xliff

    if len(set(args.locale)) > 1:
        raise PubflowError(
            f"xliff export writes one target language per file, not {', '.join(args.locale)}; "
            "run it once for each locale"
        )
    locale = config.select(args.locale)[0]
    documents = args.documents or None
    default_name = f"{documents[0]}.{locale.name}.xlf" if documents and len(documents) == 1 else f"{locale.name}.xlf"
    path = Path(args.output) if args.output else config.output_dir / "xliff" / default_name
    result = export_xliff(config, locale, path, documents, copy_source=args.copy_source)
    states = ", ".join(f"{count} {state}" for state, count in sorted(result.states.items()))
    report(f"wrote {_rel(path)}: {result.files} catalog(s), {result.units} unit(s) ({states or 'none'})")
    report(f"next: translate it in a CAT tool, then pubflow xliff import {_rel(path)}")
    return EXIT_OK


def cmd_xliff_import(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.xliff import import_xliff

    result = import_xliff(config, Path(args.file))
    for path, count in result.changed.items():
        report(f"{count} message(s) changed in {_rel(path)}")
    report(f"{sum(result.changed.values())} message(s) changed, {result.unchanged} catalog(s) unchanged")
    if result.approved:
        report(f"{result.approved} of them approved in the CAT tool as they stood: now a person's")
    if result.kept_newer:
        report(
            f"kept {result.kept_newer} message(s) changed in the catalogs since this file was exported "
            "(the file still had the text of then)"
        )
    return EXIT_OK


def cmd_tmx_export(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.tmx import write_tmx
    from pubflow.memory import catalog_pairs

    locales = config.select(args.locale)
    path = Path(args.output) if args.output else config.output_dir / "memory.tmx"
    units = write_tmx(
        path,
        config.source_language,
        ((loc.name, catalog_pairs(config, loc, with_obsolete=False)) for loc in locales),
    )
    report(f"wrote {_rel(path)}: {units} translation unit(s) for {', '.join(loc.name for loc in locales)}")
    return EXIT_OK


def cmd_tbx_export(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.tbx import export_tbx

    locales = config.select(args.locale)
    path = Path(args.output) if args.output else config.output_dir / "glossary.tbx"
    entries = export_tbx(config, locales, path)
    report(f"wrote {_rel(path)}: {entries} term entries ({', '.join(loc.name for loc in locales)})")
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
        report(f"wrote {_rel(path)}")
    report(
        f"{result.converted} converted, {result.reconverted} re-converted, "
        f"{result.reviewed_kept} kept as a person's, {result.adopted} of them machine output a person has edited "
        "or approved since, "
        f"{len(result.skipped)} catalog(s) unchanged since the last run"
    )
    if result.unverified:
        report(
            f"warning: {result.unverified} message(s) marked as machine output with no entry in their review "
            "record: left as they are (pubflow check names them); review each, and delete its note to approve it"
        )
    _report_unrecorded(result.unrecorded, report)
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
        report(f"{'would rewrite' if args.check else 'rewrote'} {_rel(path)} ({layout})")
    done = "off format" if args.check else "rewritten"
    report(f"{len(result.changed)} catalog(s) {done}, {result.kept} already {layout}")
    return EXIT_FAILED if args.check and result.changed else EXIT_OK


def cmd_check(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.check_report import render
    from pubflow.checks import Severity, run_checks

    locales = config.select(args.locale)
    names = ", ".join(loc.name for loc in locales)
    report(f"checking {names}" if locales else "no target locale to check; add one under [tool.pubflow.locales]")
    with report.stage("check", "catalog") as meter:
        findings = run_checks(config, locales, stale=not args.no_stale, meter=meter)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    output = render(findings, args.format)
    if output:
        print(output)
    report(f"{len(errors)} error(s), {len(findings) - len(errors)} warning(s)")
    return EXIT_FAILED if errors else EXIT_OK


def cmd_coverage(args: argparse.Namespace, config: ProjectConfig | None, report: Reporter) -> int:
    from pubflow import coverage, coverage_report

    stale = False
    if args.paths:
        locales = coverage.paths_coverage([Path(p) for p in args.paths], args.threshold)
    else:
        assert config is not None
        locales = coverage.project_coverage(config, args.locale)
        if args.threshold is not None:
            for locale in locales:
                locale.threshold = args.threshold
        if not args.no_stale:
            from pubflow.checks.stale import check_stale, fresh_templates

            stale = any(check_stale(config, config.select(args.locale), fresh_templates(config)))
    if args.format == "json":
        sys.stdout.writelines(coverage_report.stream_json(locales, stale))
    else:
        render = {"text": coverage_report.render_text, "markdown": coverage_report.render_markdown}[args.format]
        print(render(locales, stale))
    if stale:
        report("the catalogs are stale: run pubflow extract && pubflow update, then measure again")
    return EXIT_OK if all(loc.passed for loc in locales) and not stale else EXIT_FAILED


def cmd_build(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.build import build_html, editions_for
    from pubflow.config import parse_bilingual

    # A locale or pair named twice is one edition: two Sphinx runs on one folder would trip over each other.
    pairs = list(dict.fromkeys(parse_bilingual(value, config.locales) for value in args.bilingual or []))
    if args.all_bilingual:
        pairs = [*pairs, *(p for p in config.bilingual if p not in pairs)]
    names = list(dict.fromkeys(args.locale or ([] if pairs else list(config.locales))))
    editions = editions_for(config, [config.locale(name) for name in names], pairs)
    formats = ["html", "pdf"] if args.format == "all" else [args.format]
    shard = None
    if getattr(args, "shard", None) is not None:  # publish calls this with its own arguments, which have none
        from pubflow.shard import parse_shard

        shard = parse_shard(args.shard)
        if formats != ["pdf"]:
            raise PubflowError("--shard splits the PDF work only: use it with --format pdf")
    failed = False
    refused: dict[str, list[Finding]] = {}
    removed: list[str] = []
    if "html" in formats:
        with report.stage("build html", "edition") as meter:
            result = build_html(config, editions, progress=report, meter=meter)
        failed |= _report_problems(result.problems)
        refused |= result.refused
        removed += result.removed
        if result.ok:
            report(f"open {_rel(config.output_dir / 'html' / 'index.html')}")
    if "pdf" in formats:
        from pubflow.pdf import build_pdf

        with report.stage("build pdf", "PDF") as meter:
            pdfs = build_pdf(config, editions, progress=report, meter=meter, shard=shard)
        failed |= _report_problems(pdfs.problems)
        refused |= pdfs.refused
        removed += [edition for edition in pdfs.removed if edition not in removed]
    _report_refused(refused, report)
    if removed:
        # Only pages link editions: every edition's HTML written now leaves none pointing at them.
        everything = "html" in formats and len(editions) >= len(config.locales) + len(config.bilingual)
        report(
            f"removed the {', '.join(removed)} edition(s): no longer in [tool.pubflow.locales]"
            + ("" if everything else "; pages of editions not built now still link them: run pubflow publish")
        )
    if failed:
        report("the build failed; fix the files named above (Sphinx runs with -W)")
        return EXIT_USAGE
    return EXIT_FAILED if refused else EXIT_OK


def _report_refused(refused: dict[str, list[Finding]], report: Reporter) -> None:
    """The security errors that kept editions from being published, each once, as file:line: security: message."""
    findings = {str(finding): None for found in refused.values() for finding in found}
    for line in findings:
        print(line, file=sys.stderr)
    if refused:
        report(
            f"refused to publish {', '.join(refused)}: the catalogs have the security errors above "
            "(no flag silences them); fix those messages and build again"
        )


def _report_problems(problems: dict[str, list[str]]) -> bool:
    for locale, lines in problems.items():
        for line in lines:
            print(f"{line} [{locale}]", file=sys.stderr)
    return any(problems.values())


def cmd_publish(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    """Every stage in turn; on a terminal a bar per stage, in CI plain lines, and at the end each stage's time."""
    steps: list[tuple[str, Callable[[], int]]] = [
        ("extract", lambda: cmd_extract(args, config, report)),
        ("update", lambda: cmd_update(_with(args, locale=None), config, report)),
        ("convert", lambda: cmd_convert(_with(args, locale=None), config, report)),
        (
            "build",
            lambda: cmd_build(
                _with(args, locale=list(config.locales), format=args.format, bilingual=None, all_bilingual=True),
                config,
                report,
            ),
        ),
    ]
    # An error raised by a stage is one line (main prints it); a stage that fails its gate still gets the summary.
    for index, (name, step) in enumerate(steps, start=1):
        report(f"== step {index}/{len(steps)}: {name}")
        status = step()
        if status != EXIT_OK:
            report.summary(f"publish stopped at {name}")
            return status
    report.summary("published")
    return EXIT_OK


def cmd_init(args: argparse.Namespace, config: None, report: Reporter) -> int:
    from pubflow.init import InitOptions, LocaleSpec, init_project

    root = Path(args.directory)
    options = InitOptions(
        name=args.name or root.resolve().name,
        source_language=args.source_language,
        locales=[LocaleSpec.parse(value) for value in args.locale or []],
        bilingual=args.bilingual or [],
        threshold=args.threshold,
        copyright=args.copyright or "",
        pubflow_spec=args.pubflow_spec,
    )
    result = init_project(root, options)
    for path in result.written:
        report(f"wrote {_rel(path)}")
    report(f"pubflow comes from: {result.requirement}")
    report(f"next: cd {_rel(root)} && bash scripts/setup.sh")
    report("then: .venv/bin/pubflow import RAW.txt && .venv/bin/pubflow publish")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.serve import serve_edition

    return serve_edition(config, args.locale, args.bilingual, host=args.host, port=args.port, progress=report)


def _with(args: argparse.Namespace, **changes: object) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), **changes})


# -- parser --------------------------------------------------------------------------------


def add_verb(
    verbs: argparse._SubParsersAction, name: str, run: Callable[..., int], summary: str, description: str, example: str
) -> argparse.ArgumentParser:
    parser = verbs.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    # The global options after the verb too (pubflow check -q), as users type them; given before it, they stand.
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print no progress")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        default=argparse.SUPPRESS,
        help="exit 2 at once when another pubflow command holds the project",
    )
    return parser


def add_locale_option(parser: argparse.ArgumentParser, no_stale: bool = False) -> None:
    parser.add_argument("-l", "--locale", action="append", help="only this locale (repeatable)")
    if no_stale:
        parser.add_argument("--no-stale", action="store_true", help="skip the stale-catalog check (no Sphinx run)")


def add_exchange_verbs(verbs: argparse._SubParsersAction) -> None:
    """xliff export/import, tmx export/import, tbx export: the exchange with CAT tools."""
    xliff = verbs.add_parser(
        "xliff",
        help="exchange a locale with a CAT tool as XLIFF 1.2 (export, import)",
        description="Export a locale's catalogs as XLIFF 1.2 for a CAT tool, and import its work back.",
        epilog="example: pubflow xliff export --locale en;  pubflow xliff import _build/xliff/en.xlf",
    )
    actions = xliff.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add_verb(
        actions,
        "export",
        cmd_xliff_export,
        "write a locale's catalogs (or some documents') as XLIFF 1.2",
        "Write one XLIFF 1.2 file: a <file> per catalog, a unit per message with its state (new, "
        "needs-review-translation, translated, final), notes (glossary terms, comments) and context "
        "(msgctxt, locations). Default: _build/xliff/<locale>.xlf.",
        "pubflow xliff export --locale en;  pubflow xliff export --locale en --copy-source DOC  (for OmegaT)",
    )
    p.add_argument("documents", nargs="*", metavar="DOC", help="only these documents (default: every catalog)")
    p.add_argument("-l", "--locale", required=True, action="append", help="the locale to export, e.g. en")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the XLIFF file")
    p.add_argument(
        "--copy-source",
        action="store_true",
        help="put the source into untranslated targets (state new): OmegaT's XLIFF filter translates the targets",
    )
    p = add_verb(
        actions,
        "import",
        cmd_xliff_import,
        "bring a translated XLIFF file back into the catalogs",
        "Change exactly the messages whose target changed, fuzzy when the unit's state says it needs "
        "review, recorded as a person's. Refuses, naming the unit and changing nothing, a file whose "
        "source text no longer matches the catalog, an unknown unit, or a malformed file.",
        "pubflow xliff import _build/xliff/en.xlf",
    )
    p.add_argument("file", metavar="FILE", help="the XLIFF file")

    tmx = verbs.add_parser(
        "tmx",
        help="the translation memory as TMX 1.4b (export, import)",
        description="Export every locale's source-target pairs as TMX 1.4b, or propose from a TMX file.",
        epilog="example: pubflow tmx export --locale en -o memory.tmx;  pubflow tmx import old.tmx",
    )
    actions = tmx.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add_verb(
        actions,
        "export",
        cmd_tmx_export,
        "write every source-target pair of every locale as TMX 1.4b",
        "Write every translated, non-fuzzy message of every locale as a TMX 1.4b translation unit "
        "(zh-CN, en, zh-TW), naming its document; machine output not yet reviewed is marked "
        "x-pubflow-review=machine. Default: _build/memory.tmx.",
        "pubflow tmx export -o memory.tmx",
    )
    add_locale_option(p)
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the TMX file")
    p = add_verb(
        actions,
        "import",
        cmd_memory,
        "propose translations from a TMX file (and the project's memory)",
        "Run the memory stage with this TMX file added to the memory. To use a TMX file every time, "
        "list it in memory-files in [tool.pubflow].",
        "pubflow tmx import old-project.tmx --locale en",
    )
    p.add_argument("tmx", nargs=1, metavar="FILE", help="the TMX file")
    add_locale_option(p)

    tbx = verbs.add_parser(
        "tbx",
        help="the glossary as a TBX termbase (export)",
        description="Export glossary.csv as a TBX termbase that CAT tools load.",
        epilog="example: pubflow tbx export --locale en -o glossary.tbx",
    )
    actions = tbx.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add_verb(
        actions,
        "export",
        cmd_tbx_export,
        "write glossary.csv as a TBX termbase",
        "Write the glossary as TBX (TBX-Basic): a term entry per row with its note, the source term and "
        "each locale's forms. Default: _build/glossary.tbx. For OmegaT, export one target locale.",
        "pubflow tbx export --locale en -o glossary/glossary.tbx",
    )
    add_locale_option(p)
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the TBX file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pubflow",
        description="Publish a Chinese text in several editions: import → extract → update → convert → check → build.",
    )
    parser.add_argument("--version", action="version", version=f"pubflow {__version__}")
    parser.add_argument("-C", "--project", metavar="DIR", help="the project folder (default: here or above)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no progress")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="when another pubflow command is writing to the project, exit 2 at once instead of waiting for it",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = add_verb(
        verbs,
        "import",
        cmd_import,
        "turn a raw article text into a reST document under docs/",
        "Turn a news page saved as text into docs/<name>.rst and list it in docs/index.rst.",
        "pubflow import raw/article.txt --name 2017-09-25-international-law-enforcement-cooperation",
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
    )

    p = add_verb(
        verbs,
        "update",
        cmd_update,
        "merge the templates into locale/<lang>/LC_MESSAGES/*.po",
        "Merge templates into each target locale's catalogs, keeping translations, then propose "
        "translations from the translation memory (see pubflow memory --help).",
        "pubflow update --locale en",
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
    )
    add_locale_option(p)

    p = add_verb(
        verbs,
        "check",
        cmd_check,
        "run every catalog check: syntax, header, markup, numbers, glossary, spelling, script, security, stale",
        "Check every catalog of the chosen locales. Each finding is printed as "
        "file:line: check-name: message; exit 1 when any is an error. Silence one check for one "
        "message with the flag pubflow-skip-<check-name>.",
        "pubflow check --locale en --format json;  pubflow check --format github",
    )
    add_locale_option(p, no_stale=True)
    p.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif", "gitlab"],
        default="text",
        help="text (file:line: check: message), json, github (Actions annotations on each .po line), "
        "sarif (SARIF 2.1.0) or gitlab (code-quality report)",
    )

    p = add_verb(
        verbs,
        "coverage",
        cmd_coverage,
        "translation coverage per locale and catalog; exit 1 below a threshold",
        "Count total, translated, fuzzy, untranslated and obsolete messages as msgfmt "
        "--statistics does (fuzzy is not translated), with the source's size in Chinese characters "
        "and words. Without PATH, measures the project's locales against their thresholds; with "
        "PATH (.po files or folders), any gettext catalogs.",
        "pubflow coverage --format markdown;  pubflow coverage --threshold 90 path/to/locales",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help=".po files or folders (default: the project)")
    add_locale_option(p, no_stale=True)
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--threshold", type=percentage, help="required percentage of translated messages")
    p.set_defaults(project_optional=True)

    p = add_verb(
        verbs,
        "build",
        cmd_build,
        "build the editions into _build/",
        "Build HTML editions into _build/html/<edition>/ and PDF editions into _build/pdf/<edition>/.",
        "pubflow build --format pdf --locale zh_TW;  pubflow build --bilingual zh_CN:en",
    )
    add_locale_option(p)
    p.add_argument("--format", choices=["html", "pdf", "all"], default="html", help="output format (default: html)")
    p.add_argument(
        "--bilingual",
        action="append",
        metavar="A:B",
        help="build the parallel edition of two locales, e.g. zh_CN:en (repeatable); "
        "without --locale, only the parallel editions are built",
    )
    p.add_argument(
        "--all-bilingual",
        action="store_true",
        help="build every parallel edition in [tool.pubflow] as well; like --bilingual, without --locale "
        "only the parallel editions (publish builds every edition)",
    )
    p.add_argument(
        "--shard",
        metavar="K/N",
        help="with --format pdf, typeset only share K of N of the articles (the same share for an article "
        "whatever others exist), so that N CI jobs can split the work",
    )

    add_exchange_verbs(verbs)

    p = add_verb(
        verbs,
        "publish",
        cmd_publish,
        "extract, update, convert and build every edition",
        "Run every stage for every locale: extract, update, convert, build (HTML and PDF, "
        "and the bilingual editions listed in [tool.pubflow]). On a terminal each stage shows a progress "
        "bar with an estimate of the time left; elsewhere (a pipe, CI) plain lines; at the end, each stage's time.",
        "pubflow publish;  pubflow publish --format html",
    )
    p.add_argument(
        "--format", choices=["html", "pdf", "all"], default="all", help="which editions to build (default: all)"
    )
    add_site_verbs(verbs)
    return parser


def add_site_verbs(verbs: argparse._SubParsersAction) -> None:
    p = add_verb(
        verbs,
        "init",
        cmd_init,
        "make a new publication in DIR: configuration, conf.py, docs/, locale/, glossary, scripts, CI",
        "Write a new pubflow project into DIR, asking nothing: pyproject.toml with [tool.pubflow], conf.py, "
        "docs/ (front page and status page), an empty locale/, glossary.csv with its header, "
        "scripts/setup.sh, scripts/publish.sh, scripts/test.sh and .ci/run. Its pyproject.toml depends on "
        "pubflow by --pubflow-spec (default: where this pubflow was installed from).",
        "pubflow init my-publication --name 'My Reader' --locale en --locale zh_TW:opencc:s2twp --bilingual zh_CN:en",
    )
    p.add_argument("directory", metavar="DIR", help="the new project's folder (created if missing)")
    p.add_argument("--name", help="the publication's name in the source language (default: DIR's name)")
    p.add_argument("--source-language", default="zh_CN", help="the language of the articles (default: zh_CN)")
    p.add_argument(
        "--locale",
        action="append",
        metavar="NAME[:METHOD[:OPENCC]]",
        help="a target edition: en (translated), zh_TW:opencc:s2twp (converted, then reviewed); repeatable",
    )
    p.add_argument(
        "--bilingual", action="append", metavar="A:B", help="a parallel edition publish builds, e.g. zh_CN:en"
    )
    p.add_argument("--threshold", type=percentage, default=100.0, help="coverage each target must reach (default: 100)")
    p.add_argument("--copyright", help="the copyright line of every page")
    p.add_argument(
        "--pubflow-spec",
        metavar="PATH|URL|REQUIREMENT",
        help="where the project installs pubflow from: its source folder, a wheel, a git URL "
        "(default: where this pubflow was installed from)",
    )
    p.set_defaults(no_project=True)

    p = add_verb(
        verbs,
        "serve",
        cmd_serve,
        "preview an edition on localhost, rebuilt and reloaded when a catalog, document or the glossary changes",
        "Build one edition, serve _build/html on localhost and watch docs/, the edition's catalogs and the "
        "glossary: on a change the edition is rebuilt (OpenCC editions converted first when the glossary "
        "changed) and the browser reloads the page. sphinx-autobuild's watcher, server and reload script.",
        "pubflow serve --locale en;  pubflow serve --bilingual zh_CN:en --port 8001",
    )
    p.add_argument("-l", "--locale", help="the edition to preview (default: the source language)")
    p.add_argument("--bilingual", metavar="A:B", help="preview a parallel edition instead, e.g. zh_CN:en")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    p.add_argument("--port", type=port, default=8000, help="port (default: 8000; 0 picks a free one)")


EXIT_READER_GONE = 141  # what a shell reports for a writer killed by SIGPIPE, as in `pubflow coverage | head`


def _stdout_closed_by_reader() -> bool:
    """Whether standard output is a pipe whose reader has gone; if so, silence it so Python's exit flush stays quiet."""
    poller = select.poll()
    poller.register(sys.stdout.fileno(), select.POLLOUT)
    if not any(events & select.POLLERR for _, events in poller.poll(0)):
        return False  # the broken pipe was another one, e.g. a gettext tool's
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True


def _flushed(exit_code: int) -> int:
    """The verb's exit code, once its output has left: a broken pipe must surface here, not in Python's exit."""
    sys.stdout.flush()
    return exit_code


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """What a console cannot show, as JSON's ``\\uXXXX`` escapes: still valid in ``--format json``, still legible."""
    assert isinstance(error, UnicodeEncodeError)
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # JSON spells a character beyond the BMP as its UTF-16 surrogate pair
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


codecs.register_error("pubflow-json-escapes", _json_escapes)


def _escape_what_the_console_cannot_show() -> None:
    # A console in ASCII or a legacy code page (LANG=C on an old system, PYTHONIOENCODING=ascii)
    # cannot print Chinese: escaped, the finding is still reported, instead of a traceback.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="pubflow-json-escapes")


def percentage(text: str) -> float:
    """An argument that is a percentage: JSON has no NaN or infinity, and 150% is no threshold."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 100:  # NaN fails too
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, not {text!r}")
    return value


def port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {text!r}")
    return int(text)


def columns(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_WRAP_WIDTH:
        raise argparse.ArgumentTypeError(
            f"expected a number of columns from 0 (do not wrap) to {MAX_WRAP_WIDTH}, not {text!r}"
        )
    return int(text)


def main(argv: list[str] | None = None) -> int:
    _escape_what_the_console_cannot_show()
    parser = build_parser()
    args = parser.parse_args(argv)
    report = Reporter(args.quiet)
    try:
        optional = getattr(args, "project_optional", False) and getattr(args, "paths", None)
        no_project = optional or getattr(args, "no_project", False)
        config = None if no_project else load_config(Path(args.project) if args.project else None)
        from pubflow.catalog import default_verdict_folder, use_verdict_cache

        # msgfmt's acceptances are kept in the project's _build (outside a project, the user's cache).
        use_verdict_cache(config.output_dir / "cache" / "msgfmt-verdicts" if config else default_verdict_folder())
        if config is not None and args.verb in WRITING_VERBS | READING_VERBS:
            from pubflow.lock import project_lock

            shared = args.verb in READING_VERBS
            with project_lock(config.output_dir, args.verb, wait=not args.no_wait, progress=report, shared=shared):
                # Another reader may be writing its own temporary files now: only a writer's time is all clear.
                remove_stale_temporaries(config.work_folders, before=None if shared else time.time())
                return _flushed(args.run(args, config, report))
        if config is not None:
            remove_stale_temporaries(config.work_folders)
        return _flushed(args.run(args, config, report))
    except PubflowError as exc:
        print(f"pubflow: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError as exc:
        if _stdout_closed_by_reader():
            return EXIT_READER_GONE
        print(f"pubflow: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the file system said no: a full disk, a permission, a folder where a file should be
        where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
        print(f"pubflow: error: {where}{describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pubflow: interrupted; no catalog was left half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
