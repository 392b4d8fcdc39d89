"""Whitespace: leading and trailing whitespace as in the source, no doubled spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pubflow.checks.model import EntryContext, Finding


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def check_whitespace(ctx: EntryContext) -> Iterator[Finding]:
    source_lead, source_trail = _edges(ctx.entry.msgid)
    lead, trail = _edges(ctx.entry.msgstr)
    if lead != source_lead:
        yield ctx.finding("whitespace", f"leading whitespace {lead!r} differs from the source's {source_lead!r}")
    if trail != source_trail:
        yield ctx.finding("whitespace", f"trailing whitespace {trail!r} differs from the source's {source_trail!r}")
    if re.search(r"\S {2,}\S", ctx.entry.msgstr) and not re.search(r"\S {2,}\S", ctx.entry.msgid):
        yield ctx.finding("whitespace", "doubled space in the translation")
