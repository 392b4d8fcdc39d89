"""The gates CI holds every change to: check and coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pubflow.commands.common import EXIT_FAILED, EXIT_OK, add_locale_option, add_verb, percentage
from pubflow.config import ProjectConfig
from pubflow.progress import Reporter


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
        locales = coverage.paths_coverage([Path(p) for p in args.paths], args.threshold, args.reviewed_threshold)
    else:
        assert config is not None
        locales = coverage.project_coverage(config, args.locale)
        if args.threshold is not None:
            for locale in locales:
                locale.threshold = args.threshold
        if args.reviewed_threshold is not None:
            for locale in locales:
                locale.reviewed_threshold = args.reviewed_threshold
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


def register(verbs: argparse._SubParsersAction) -> None:
    p = add_verb(
        verbs,
        "check",
        cmd_check,
        "run every catalog check: syntax, header, markup, numbers, glossary, spelling, script, security, stale",
        "Check every catalog of the chosen locales. Each finding is printed as "
        "file:line: check-name: message; exit 1 when any is an error. Silence one check for one "
        "message with the flag pubflow-skip-<check-name>.",
        "pubflow check --locale en --format json;  pubflow check --format github",
        lock="shared",
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
        "and words; of the translated, reviewed (a person's text, or machine output a person approved) "
        "and machine output not yet reviewed. Without PATH, measures the project's locales against their "
        "thresholds; with PATH (.po files or folders), any gettext catalogs.",
        "pubflow coverage --format markdown;  pubflow coverage --threshold 90 path/to/locales",
        lock="shared",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help=".po files or folders (default: the project)")
    add_locale_option(p, no_stale=True)
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--threshold", type=percentage, help="required percentage of translated messages")
    p.add_argument(
        "--reviewed-threshold",
        type=percentage,
        help="required percentage of reviewed messages (a person's, or machine output a person approved)",
    )
    p.set_defaults(project_optional=True)
