"""The verbs of the ``pubflow`` command, a module per group: each parses its arguments, calls its stage's
function and reports what it did. ``pubflow/cli.py`` runs them; nothing here does a stage's work."""

from __future__ import annotations

import argparse

from pubflow import __version__
from pubflow.commands import catalogs, exchange, gates, review, site


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
    # The order of `pubflow --help`: the pipeline's stages, its gates, the exchange with CAT tools, the site.
    catalogs.register(verbs)
    gates.register(verbs)
    review.register(verbs)
    site.register_build(verbs)
    exchange.register(verbs)
    site.register(verbs)
    return parser
