"""The review verbs, ``pubflow review list`` and ``pubflow review approve``, over :mod:`pubflow.reviewing`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from pubflow.commands.common import EXIT_OK, add_verb, shown
from pubflow.config import ProjectConfig
from pubflow.progress import Reporter

if TYPE_CHECKING:  # the stage is imported when its verb runs: every other verb starts without it
    from pubflow.reviewing import Pending


def _one_line(text: str) -> str:
    return text.replace("\n", "\\n")


def render_text(pending: list[Pending], source_language: str) -> str:
    """Per document, each message's place, origin, then its source and the machine output one under the other."""
    lines: list[str] = []
    current: tuple[str, str] | None = None
    for item in pending:
        if (item.locale, item.document) != current:
            current = (item.locale, item.document)
            count = sum(1 for p in pending if (p.locale, p.document) == current)
            if lines:
                lines.append("")
            lines.append(f"== {item.locale} · {item.document}: {count} waiting for review")
        origin = f"{item.origin}{', fuzzy' if item.fuzzy and 'fuzzy' not in item.origin else ''}"
        lines.append(f"{item.where}: {origin}")
        if item.previous_msgid is not None and item.fuzzy:
            lines.append(f"  memory  {_one_line(item.previous_msgid)}")
        lines.append(f"  {source_language:<6}  {_one_line(item.msgid)}")
        lines.append(f"  {item.locale:<6}  {_one_line(item.msgstr)}")
    return "\n".join(lines)


def render_json(pending: list[Pending]) -> str:
    return json.dumps(
        {
            "schema": "pubflow-review-queue/1",
            "messages": [
                {
                    "locale": p.locale,
                    "document": p.document,
                    "file": shown(p.path),
                    "line": p.line,
                    "msgctxt": p.msgctxt,
                    "source": p.msgid,
                    "machine": p.msgstr,
                    "origin": p.origin,
                    "fuzzy": p.fuzzy,
                    "memory_source": p.previous_msgid,
                }
                for p in pending
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def cmd_review_list(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    locales = config.select(args.locale)
    from pubflow.reviewing import pending_review

    pending = pending_review(config, locales, args.documents or None)
    if args.format == "json":
        print(render_json(pending))
    elif pending:
        print(render_text(pending, config.source_language))
    documents = len({(p.locale, p.document) for p in pending})
    report(f"{len(pending)} message(s) of machine output waiting for review in {documents} catalog(s)")
    if pending:
        report("approve with: pubflow review approve FILE.po:LINE | DOCUMENT | --all  (or edit them in Poedit)")
    return EXIT_OK


def cmd_review_approve(args: argparse.Namespace, config: ProjectConfig, report: Reporter) -> int:
    locales = config.select(args.locale)
    from pubflow.reviewing import approve_messages

    result = approve_messages(config, locales, args.targets, everything=args.all)
    by_catalog: dict[str, int] = {}
    for item in result.approved:
        by_catalog[shown(item.path)] = by_catalog.get(shown(item.path), 0) + 1
    for path, count in by_catalog.items():
        report(f"approved {count} message(s) in {path}")
    report(f"{len(result.approved)} message(s) approved: a person's from now on, never rewritten by convert or memory")
    return EXIT_OK


def register(verbs: argparse._SubParsersAction) -> None:
    review = verbs.add_parser(
        "review",
        help="machine output waiting for review: list it beside its source, approve it",
        description="List the OpenCC conversions and translation-memory proposals nobody has reviewed yet, "
        "per document with their source, and approve them by message, document or all.",
        epilog="example: pubflow review list --locale zh_TW;  pubflow review approve --locale zh_TW --all",
    )
    actions = review.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add_verb(
        actions,
        "list",
        cmd_review_list,
        "list the machine output waiting for review, with its source",
        "Per locale and document, each message of machine output nobody reviewed yet (OpenCC's "
        "conversion, a translation-memory proposal), as FILE.po:LINE: origin, then the source and the "
        "machine's text. pubflow review approve takes the same FILE.po:LINE.",
        "pubflow review list --locale zh_TW 2017-09-25-international-law-enforcement-cooperation",
        lock="shared",
    )
    p.add_argument("documents", nargs="*", metavar="DOC", help="only these documents (default: every catalog)")
    p.add_argument("-l", "--locale", action="append", help="only this locale (repeatable)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = add_verb(
        actions,
        "approve",
        cmd_review_approve,
        "approve machine output as it stands: by message, document or all",
        "Approve the named messages (FILE.po:LINE, as review list prints them), every waiting message "
        "of the named documents, or with --all every one, exactly as deleting the machine-output note in "
        "Poedit or approving the unit in a CAT tool's XLIFF does: the text stays, the message becomes "
        "a person's (a fuzzy memory proposal stops being fuzzy), and no stage rewrites it again. "
        "Nothing is approved when a target names no waiting message.",
        "pubflow review approve locale/zh_TW/LC_MESSAGES/doc.po:308;  pubflow review approve --locale zh_TW --all",
        lock="exclusive",
    )
    p.add_argument("targets", nargs="*", metavar="TARGET", help="FILE.po:LINE or a document name")
    p.add_argument("-l", "--locale", action="append", help="only this locale (repeatable)")
    p.add_argument("--all", action="store_true", help="every message waiting for review (in --locale)")
