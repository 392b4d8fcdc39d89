"""What every verb shares: exit codes, its parser, argument types, and how it names files."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pubflow.config import MAX_WRAP_WIDTH
from pubflow.errors import display_path
from pubflow.progress import Reporter

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def shown(path: Path) -> str:
    return display_path(path)


def with_changes(args: argparse.Namespace, **changes: object) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), **changes})


def report_unrecorded(paths: list[Path], report: Reporter) -> None:
    for path in paths:
        report(
            f"warning: {shown(path)} had no review record: which messages are machine output cannot be told, "
            "so every translated message counts as a person's (recorded now)"
        )


#: How a verb holds the project lock (pubflow/lock.py) while it runs: "exclusive" for a verb that writes to
#: the project, "shared" for one that only reads (so that none reads a writer's work half done), "none".
LockMode = Literal["exclusive", "shared", "none"]


def add_verb(
    verbs: argparse._SubParsersAction,
    name: str,
    run: Callable[..., int],
    summary: str,
    description: str,
    example: str,
    *,
    lock: LockMode,
) -> argparse.ArgumentParser:
    parser = verbs.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run, lock=lock)
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
