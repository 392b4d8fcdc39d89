"""The ``pubflow`` command: a thin layer over the stage functions.

Exit status: 0 on success, 1 when a check or a gate fails, 2 on a usage or
input error (printed as one line naming the file and line).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from pubflow import __version__
from pubflow.config import ProjectConfig, load_config
from pubflow.errors import PubflowError, display_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Reporter:
    """Progress on stderr, so that stdout stays clean for --format json."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"pubflow: {message}", file=sys.stderr, flush=True)


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
    result = extract_templates(config)
    report(
        f"{len(result.templates)} template(s) in {_rel(config.pot_dir)}: "
        f"{len(result.changed)} changed, {len(result.removed)} removed"
    )
    return EXIT_OK


def cmd_update(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.update import update_catalogs

    locales = config.select(args.locale)
    result = update_catalogs(config, locales)
    for path in result.created:
        report(f"created {_rel(path)}")
    for path in result.updated:
        report(f"updated {_rel(path)}")
    report(f"{len(result.unchanged)} catalog(s) unchanged")
    for path in result.orphaned:
        report(f"warning: {_rel(path)} has no source document; delete it or restore its .rst")
    return EXIT_OK


def cmd_convert(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.convert import convert_catalogs

    locales = [loc for loc in config.select(args.locale) if loc.method == "opencc"]
    if not locales:
        report("no locale is produced by opencc; nothing to convert")
        return EXIT_OK
    result = convert_catalogs(config, locales, progress=report)
    for path in result.written:
        report(f"wrote {_rel(path)}")
    report(
        f"{result.converted} converted, {result.reconverted} re-converted, "
        f"{result.reviewed_kept} reviewed kept, {result.adopted} edited by hand (flag removed), "
        f"{len(result.skipped)} catalog(s) unchanged since the last run"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.checks import Severity, run_checks

    locales = config.select(args.locale)
    report(f"checking {', '.join(loc.name for loc in locales)}")
    findings = run_checks(config, locales, stale=not args.no_stale)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if args.format == "json":
        print(
            json.dumps(
                {"findings": [f.as_dict() for f in findings], "errors": len(errors)},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for finding in findings:
            print(finding)
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
    render = {
        "text": coverage_report.render_text,
        "json": coverage_report.render_json,
        "markdown": coverage_report.render_markdown,
    }[args.format]
    print(render(locales, stale))
    if stale:
        report("the catalogs are stale: run pubflow extract && pubflow update, then measure again")
    return EXIT_OK if all(loc.passed for loc in locales) and not stale else EXIT_FAILED


def cmd_build(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.build import build_html, editions_for
    from pubflow.config import parse_bilingual

    pairs = [parse_bilingual(value, config.locales) for value in args.bilingual or []]
    if args.all_bilingual:
        pairs = [*pairs, *(p for p in config.bilingual if p not in pairs)]
    names = args.locale or ([] if pairs else list(config.locales))
    editions = editions_for(config, [config.locale(name) for name in names], pairs)
    formats = ["html", "pdf"] if args.format == "all" else [args.format]
    failed = False
    if "html" in formats:
        result = build_html(config, editions, progress=report)
        failed |= _report_problems(result.problems)
        if result.ok:
            report(f"open {_rel(config.output_dir / 'html' / 'index.html')}")
    if "pdf" in formats:
        from pubflow.pdf import build_pdf

        pdfs = build_pdf(config, editions, progress=report)
        failed |= _report_problems(pdfs.problems)
    if failed:
        report("the build failed; fix the files named above (Sphinx runs with -W)")
        return EXIT_USAGE
    return EXIT_OK


def _report_problems(problems: dict[str, list[str]]) -> bool:
    for locale, lines in problems.items():
        for line in lines:
            print(f"{line} [{locale}]", file=sys.stderr)
    return any(problems.values())


def cmd_publish(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    steps: list[tuple[str, Callable[[], int]]] = [
        ("extract", lambda: cmd_extract(args, config, report)),
        ("update", lambda: cmd_update(_with(args, locale=None), config, report)),
        ("convert", lambda: cmd_convert(_with(args, locale=None), config, report)),
        (
            "build",
            lambda: cmd_build(
                _with(args, locale=list(config.locales), format="all", bilingual=None, all_bilingual=True),
                config,
                report,
            ),
        ),
    ]
    for index, (name, step) in enumerate(steps, start=1):
        report(f"== step {index}/{len(steps)}: {name}")
        status = step()
        if status != EXIT_OK:
            return status
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
    return parser


def add_locale_option(parser: argparse.ArgumentParser, no_stale: bool = False) -> None:
    parser.add_argument("-l", "--locale", action="append", help="only this locale (repeatable)")
    if no_stale:
        parser.add_argument("--no-stale", action="store_true", help="skip the stale-catalog check (no Sphinx run)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pubflow",
        description="Publish a Chinese text in several editions: import → extract → update → convert → check → build.",
    )
    parser.add_argument("--version", action="version", version=f"pubflow {__version__}")
    parser.add_argument("-C", "--project", metavar="DIR", help="the project folder (default: here or above)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no progress")
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
        "Merge templates into each target locale's catalogs, keeping translations.",
        "pubflow update --locale en",
    )
    add_locale_option(p)

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
        "run every catalog check: syntax, header, markup, numbers, glossary, script, security, stale",
        "Check every catalog of the chosen locales. Each finding is printed as "
        "file:line: check-name: message; exit 1 when any is an error. Silence one check for one "
        "message with the flag pubflow-skip-<check-name>.",
        "pubflow check --locale en --format json",
    )
    add_locale_option(p, no_stale=True)
    p.add_argument("--format", choices=["text", "json"], default="text")

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
    p.add_argument("--threshold", type=float, help="required percentage of translated messages")
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
    p.add_argument("--all-bilingual", action="store_true", help="also build every parallel edition in [tool.pubflow]")

    add_verb(
        verbs,
        "publish",
        cmd_publish,
        "extract, update, convert and build every edition",
        "Run every stage for every locale: extract, update, convert, build (HTML and PDF, "
        "and the bilingual editions listed in [tool.pubflow]).",
        "pubflow publish",
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
    p.add_argument("--threshold", type=float, default=100.0, help="coverage each target must reach (default: 100)")
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
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    report = Reporter(args.quiet)
    try:
        optional = getattr(args, "project_optional", False) and getattr(args, "paths", None)
        no_project = optional or getattr(args, "no_project", False)
        config = None if no_project else load_config(Path(args.project) if args.project else None)
        return args.run(args, config, report)
    except PubflowError as exc:
        print(f"pubflow: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pubflow: interrupted; no catalog was left half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
