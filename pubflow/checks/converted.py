"""Converted: machine output must be what ``pubflow convert`` would write now.

After a glossary edit or an OpenCC upgrade, the messages recorded as machine
output are out of date until ``pubflow convert`` runs; CI fails rather than
publish them. Which messages those are comes from the review record
(:mod:`pubflow.review`), so an editor that strips flags changes nothing; a
person's text is never reported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pubflow import review
from pubflow.checks.model import EntryContext, Finding, Severity
from pubflow.conversion import ScriptConverter


def make_check_converted(converter: ScriptConverter) -> Callable[[EntryContext], Iterator[Finding]]:
    from pubflow.convert import ORIGIN

    def check_converted(ctx: EntryContext) -> Iterator[Finding]:
        if ctx.record is None:
            return
        produced = review.machine_output(ctx.entry, ctx.record)
        if produced is None and review.has_note(ctx.entry) and review.text_of(ctx.entry).strip("\x00"):
            message = ctx.record.get(ctx.entry)
            if message is not None and message.outputs():
                yield ctx.finding(
                    "converted",
                    "marked as machine output, but its text is no longer what its review record says pubflow "
                    "wrote: a person's edit, which counts as a person's; the next pubflow convert (or memory) "
                    "removes the note",
                    Severity.WARNING,
                )
                return
            yield ctx.finding(
                "converted",
                "marked as machine output, but its review record has no entry for it, so pubflow cannot tell "
                "it from a person's edit and leaves it as it is; review it and delete the note to approve it "
                "(or empty the msgstr to have it converted again)",
                Severity.WARNING,
            )
            return
        if produced is None or produced.origin != ORIGIN:
            return
        expected = converter.convert(ctx.entry.msgid)
        if ctx.entry.msgstr != expected:
            yield ctx.finding(
                "converted",
                f"machine-converted text is out of date (now {expected[:30]!r}…); run pubflow convert, "
                "or edit the text (or delete its '# pubflow: machine output' note) to make it a reviewed translation",
            )

    return check_converted
