"""The exchange with CAT tools: xliff export/import, tmx export/import, tbx export."""

from __future__ import annotations

import argparse
from pathlib import Path

from pubflow.commands.catalogs import cmd_memory
from pubflow.commands.common import EXIT_OK, add_locale_option, add_verb, shown
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.progress import Reporter


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
    report(f"wrote {shown(path)}: {result.files} catalog(s), {result.units} unit(s) ({states or 'none'})")
    report(f"next: translate it in a CAT tool, then pubflow xliff import {shown(path)}")
    return EXIT_OK


def cmd_xliff_import(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.xliff import import_xliff

    result = import_xliff(config, Path(args.file))
    for path, count in result.changed.items():
        report(f"{count} message(s) changed in {shown(path)}")
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
    pairs = {loc.name: list(catalog_pairs(config, loc, with_obsolete=False)) for loc in locales}
    # A CAT tool takes every unit of a memory for a person's translation (OmegaT ignores our review prop and
    # inserts it as a 100% match): machine output not yet reviewed goes into a file of its own, or nowhere.
    people = [(name, [p for p in found if not p.machine]) for name, found in pairs.items()]
    units = write_tmx(path, config.source_language, people)
    names = ", ".join(loc.name for loc in locales)
    machine = sum(1 for found in pairs.values() for p in found if p.machine)
    report(f"wrote {shown(path)}: {units} translation unit(s) for {names}, each a person's translation")
    if args.machine_output:
        machine_path = Path(args.machine_output)
        machines = [(name, [p for p in found if p.machine]) for name, found in pairs.items()]
        machine_units = write_tmx(machine_path, config.source_language, machines)
        report(f"wrote {shown(machine_path)}: {machine_units} unit(s) of machine output not yet reviewed (for a "
               "CAT tool's machine-translation folder, such as OmegaT's tm/mt/)")  # fmt: skip
    elif machine:
        report(f"left out {machine} message(s) of machine output not yet reviewed (--machine-output FILE writes them "
               "to a file of their own)")  # fmt: skip
    return EXIT_OK


def cmd_tbx_export(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    from pubflow.exchange.tbx import export_tbx

    locales = config.select(args.locale)
    path = Path(args.output) if args.output else config.output_dir / "glossary.tbx"
    entries = export_tbx(config, locales, path)
    report(f"wrote {shown(path)}: {entries} term entries ({', '.join(loc.name for loc in locales)})")
    return EXIT_OK


def register(verbs: argparse._SubParsersAction) -> None:
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
        lock="exclusive",
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
        lock="exclusive",
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
        "Write every message a person translated or approved, of every locale, as a TMX 1.4b translation "
        "unit (zh-CN, en, zh-TW), naming its document. Machine output not yet reviewed (OpenCC, memory "
        "proposals) is left out, since CAT tools take every unit for a person's: --machine-output writes it "
        "to a file of its own, marked x-pubflow-review=machine. Default: _build/memory.tmx.",
        "pubflow tmx export -o memory.tmx --machine-output machine.tmx",
        lock="exclusive",
    )
    add_locale_option(p)
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the TMX file")
    p.add_argument(
        "--machine-output",
        metavar="FILE",
        help="also write the machine output not yet reviewed, to this file of its own (OmegaT: tm/mt/)",
    )
    p = add_verb(
        actions,
        "import",
        cmd_memory,
        "propose translations from a TMX file (and the project's memory)",
        "Run the memory stage with this TMX file added to the memory. To use a TMX file every time, "
        "list it in memory-files in [tool.pubflow].",
        "pubflow tmx import old-project.tmx --locale en",
        lock="exclusive",
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
        lock="exclusive",
    )
    add_locale_option(p)
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the TBX file")
