"""Glossary: each glossary term in the source appears in its target form in the translation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pubflow.checks.model import EntryContext, Finding
from pubflow.glossary import Glossary, Term


def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-").lower()


def terms_in(source: str, glossary: Glossary) -> list[Term]:
    """The glossary terms in a source text, longest first, each span counted once."""
    found: list[Term] = []
    taken = [False] * len(source)
    for term in glossary.terms:  # longest first
        for match in re.finditer(re.escape(term.source), source):
            if not any(taken[match.start() : match.end()]):
                for i in range(match.start(), match.end()):
                    taken[i] = True
                found.append(term)
                break
    return found


def check_terms(ctx: EntryContext) -> Iterator[Finding]:
    translation = normalise(ctx.entry.msgstr)
    for term in terms_in(ctx.entry.msgid, ctx.glossary):
        alternatives = term.alternatives(ctx.locale.name)
        if alternatives and not any(normalise(alt) in translation for alt in alternatives):
            wanted = " or ".join(f"'{alt}'" for alt in alternatives)
            yield ctx.finding("glossary", f"{term.source} should be {wanted} (glossary.csv:{term.line})")
