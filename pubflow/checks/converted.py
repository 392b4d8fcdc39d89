"""Converted: a machine-converted message must be what ``pubflow convert`` would write now.

After a glossary edit or an OpenCC upgrade, the flagged messages are out of
date until ``pubflow convert`` runs; CI fails rather than publish them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pubflow.checks.model import EntryContext, Finding
from pubflow.conversion import ScriptConverter


def make_check_converted(converter: ScriptConverter) -> Callable[[EntryContext], Iterator[Finding]]:
    from pubflow.convert import MACHINE_FLAG

    def check_converted(ctx: EntryContext) -> Iterator[Finding]:
        if MACHINE_FLAG not in ctx.entry.flags:
            return
        expected = converter.convert(ctx.entry.msgid)
        if ctx.entry.msgstr != expected:
            yield ctx.finding(
                "converted",
                f"machine-converted text is out of date (now {expected[:30]!r}…); run pubflow convert, "
                f"or remove the {MACHINE_FLAG} flag if a person wrote it",
            )

    return check_converted
