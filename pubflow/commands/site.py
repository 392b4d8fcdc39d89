"""The verbs that make and show the editions: build, publish, init, serve."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pubflow.commands.catalogs import cmd_convert, cmd_extract, cmd_update
from pubflow.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_locale_option,
    add_verb,
    percentage,
    port,
    shown,
    with_changes,
)
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.progress import Reporter

if TYPE_CHECKING:
    from pubflow.checks.model import Finding


def _report_held_back(config: ProjectConfig, editions: list[str], report: Reporter) -> None:
    """Which articles each edition built now holds back by its publication policy, and why."""
    from pubflow.policy import held_back_now

    held = held_back_now(config)
    for edition in editions:
        for item in held.get(edition, {}).values():
            report(f"{edition}: held back {item.document} ({item.reason})")
    if any(held.get(edition) for edition in editions):
        report(
            "held-back articles are in no output of their edition; the status page lists them (pubflow review, "
            "pubflow coverage show what they wait for)"
        )


def cmd_build(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.build import build_html, editions_for
    from pubflow.config import parse_bilingual

    # A locale or pair named twice is one edition: two Sphinx runs on one folder would trip over each other.
    pairs = list(dict.fromkeys(parse_bilingual(value, config.locales) for value in args.bilingual or []))
    if args.all_bilingual:
        pairs = [*pairs, *(p for p in config.bilingual if p not in pairs)]
    if not args.locale and not pairs:
        pairs = list(config.bilingual)  # nothing named: every edition publish builds, the bilingual ones too
    names = list(dict.fromkeys(args.locale or ([] if args.bilingual else list(config.locales))))
    editions = editions_for(config, [config.locale(name) for name in names], pairs)
    left_out = [
        e.name for e in editions_for(config, list(config.locales.values()), config.bilingual) if e not in editions
    ]
    # PDFs first: the pages then link the PDFs they find (pubflow.sphinxext.pdflinks).
    formats = ["pdf", "html"] if args.format == "all" else [args.format]
    shard = None
    if getattr(args, "shard", None) is not None:  # publish calls this with its own arguments, which have none
        from pubflow.shard import parse_shard

        shard = parse_shard(args.shard)
        if formats != ["pdf"]:
            raise PubflowError("--shard splits the PDF work only: use it with --format pdf")
    failed = False
    refused: dict[str, list[Finding]] = {}
    removed: list[str] = []
    if "pdf" in formats:
        from pubflow.pdf import build_pdf

        with report.stage("build pdf", "PDF") as meter:
            pdfs = build_pdf(config, editions, progress=report, meter=meter, shard=shard)
        failed |= _report_problems(pdfs.problems)
        refused |= pdfs.refused
        removed += [edition for edition in pdfs.removed if edition not in removed]
    if "html" in formats:
        with report.stage("build html", "edition") as meter:
            result = build_html(config, editions, progress=report, meter=meter)
        failed |= _report_problems(result.problems)
        refused |= result.refused
        removed += [edition for edition in result.removed if edition not in removed]
        if result.ok:
            report(f"open {shown(config.output_dir / 'html' / 'index.html')}")
    if left_out and "html" in formats:
        report(
            f"not built now: {', '.join(left_out)}; their pages stay as the last build left them "
            "(pubflow build with no --locale builds every edition)"
        )
    _report_refused(refused, report)
    _report_held_back(config, [edition.name for edition in editions], report)
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
    """The security and note errors that kept editions from being published, each once, as file:line: check: message."""
    findings = {str(finding): None for found in refused.values() for finding in found}
    for line in findings:
        print(line, file=sys.stderr)
    if refused:
        report(
            f"refused to publish {', '.join(refused)}: the catalogs or notes have the errors above "
            "(no flag silences them; pubflow check lists them too); fix those messages or notes and build again"
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
        ("update", lambda: cmd_update(with_changes(args, locale=None), config, report)),
        ("convert", lambda: cmd_convert(with_changes(args, locale=None), config, report)),
        (
            "build",
            lambda: cmd_build(
                with_changes(args, locale=list(config.locales), format=args.format, bilingual=None, all_bilingual=True),
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
    from pubflow.init import InitOptions, LocaleSpec, init_project, parse_publish

    root = Path(args.directory)
    options = InitOptions(
        name=args.name or root.resolve().name,
        source_language=args.source_language,
        locales=[LocaleSpec.parse(value) for value in args.locale or []],
        bilingual=args.bilingual or [],
        threshold=args.threshold,
        copyright=args.copyright or "",
        pubflow_spec=args.pubflow_spec,
        publish=dict(parse_publish(value) for value in args.publish or []),
    )
    result = init_project(root, options)
    for path in result.written:
        report(f"wrote {shown(path)}")
    report(f"depends on {result.requirement}")
    report(
        "its set-up installs pubflow with pip: name a folder of pubflow wheels in PIP_FIND_LINKS "
        "(pip wheel --no-deps -w DIR /path/to/pubflow makes one), or install pubflow into .venv first"
    )
    report(f"next: cd {shown(root)} && bash scripts/setup.sh")
    report("then: .venv/bin/pubflow import RAW.txt && .venv/bin/pubflow publish")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.serve import serve_edition

    return serve_edition(config, args.locale, args.bilingual, host=args.host, port=args.port, progress=report)


def register_build(verbs: argparse._SubParsersAction) -> None:
    p = add_verb(
        verbs,
        "build",
        cmd_build,
        "build the editions into _build/",
        "Build HTML editions into _build/html/<edition>/ and PDF editions into _build/pdf/<edition>/ "
        "(mirrored into the site as _build/html/pdf/). With no --locale or --bilingual, every edition "
        "publish builds, the bilingual ones in [tool.pubflow] too; otherwise it names the editions left out.",
        "pubflow build --format pdf --locale zh_TW;  pubflow build --bilingual zh_CN:en",
        lock="exclusive",
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


def register(verbs: argparse._SubParsersAction) -> None:
    p = add_verb(
        verbs,
        "publish",
        cmd_publish,
        "extract, update, convert and build every edition",
        "Run every stage for every locale: extract, update, convert, build (HTML and PDF, "
        "and the bilingual editions listed in [tool.pubflow]). On a terminal each stage shows a progress "
        "bar with an estimate of the time left; elsewhere (a pipe, CI) plain lines; at the end, each stage's time.",
        "pubflow publish;  pubflow publish --format html",
        lock="exclusive",
    )
    p.add_argument(
        "--format", choices=["html", "pdf", "all"], default="all", help="which editions to build (default: all)"
    )
    p = add_verb(
        verbs,
        "init",
        cmd_init,
        "make a new publication in DIR: configuration, conf.py, docs/, locale/, glossary, scripts, CI",
        "Write a new pubflow project into DIR, asking nothing: pyproject.toml with [tool.pubflow], conf.py, "
        "docs/ (front page and status page), an empty locale/, glossary.csv with its header, "
        "scripts/setup.sh, scripts/publish.sh, scripts/test.sh and .ci/run. Its pyproject.toml depends on "
        "pubflow by name and version range (--pubflow-spec; default: the releases compatible with this pubflow).",
        "pubflow init my-publication --name 'My Reader' --locale en --locale zh_TW:opencc:s2twp --bilingual zh_CN:en",
        lock="none",
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
    p.add_argument(
        "--publish",
        action="append",
        metavar="LOCALE=POLICY",
        help="which articles a target edition publishes, e.g. zh_TW=reviewed (default: complete; README: Editions)",
    )
    p.add_argument("--copyright", help="the copyright line of every page, without the © (the page adds it)")
    p.add_argument(
        "--pubflow-spec",
        metavar="RANGE",
        help="the pubflow releases the project accepts, as '>=0.1,<0.3' "
        "(default: those compatible with this pubflow, as '>=0.1.0,<0.2')",
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
        lock="none",
    )
    p.add_argument("-l", "--locale", help="the edition to preview (default: the source language)")
    p.add_argument("--bilingual", metavar="A:B", help="preview a parallel edition instead, e.g. zh_CN:en")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    p.add_argument("--port", type=port, default=8000, help="port (default: 8000; 0 picks a free one)")
