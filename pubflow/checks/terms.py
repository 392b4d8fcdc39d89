"""Glossary terms: each term of the source appears in its target form; no banned rendering does.

The source is scanned once for every term with an Aho–Corasick automaton
(pyahocorasick), so a check costs the same with ten terms or ten thousand.
Where terms overlap, the longest wins (湄公河流域 over 湄公河), each span
counted once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

from pubflow.checks.model import EntryContext, Finding
from pubflow.glossary import Glossary, Term

_AUTOMATA: dict[int, tuple[Glossary, ahocorasick.Automaton]] = {}


def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-").lower()


def automaton(glossary: Glossary) -> ahocorasick.Automaton:
    """The glossary's source terms as one automaton, built once per loaded glossary."""
    cached = _AUTOMATA.get(id(glossary))
    if cached is not None and cached[0] is glossary:
        return cached[1]
    machine = ahocorasick.Automaton()
    for term in glossary.terms:
        machine.add_word(term.source, term)
    machine.make_automaton()
    _AUTOMATA[id(glossary)] = (glossary, machine)
    return machine


def terms_in(source: str, glossary: Glossary) -> list[Term]:
    """The glossary terms in a source text, longest first, each span counted once."""
    if not glossary.terms:
        return []
    matches = [(end - len(term.source) + 1, end + 1, term) for end, term in automaton(glossary).iter(source)]
    matches.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first, then leftmost
    taken = bytearray(len(source))
    found: dict[str, Term] = {}
    for start, end, term in matches:
        if term.source in found or any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        found[term.source] = term
    return sorted(found.values(), key=lambda t: -len(t.source))


def check_terms(ctx: EntryContext) -> Iterator[Finding]:
    translation = normalise(ctx.entry.msgstr)
    for term in terms_in(ctx.entry.msgid, ctx.glossary):
        alternatives = term.alternatives(ctx.locale.name)
        if alternatives and not any(normalise(alt) in translation for alt in alternatives):
            wanted = " or ".join(f"'{alt}'" for alt in alternatives)
            yield ctx.finding("glossary", f"{term.source} should be {wanted} (glossary.csv:{term.line})")


def contains_form(translation: str, form: str) -> bool:
    """Whether a rendering occurs: as whole words in alphabetic scripts, as a substring in Chinese."""
    wanted = normalise(form)
    if not wanted.isascii():
        return wanted in translation
    return re.search(rf"(?<![\w-]){re.escape(wanted)}(?![\w-])", translation) is not None


def check_forbidden(ctx: EntryContext) -> Iterator[Finding]:
    """A banned rendering of a source term (釋出 for 发布 in zh_TW) is an error, however it got there."""
    translation = normalise(ctx.entry.msgstr)
    for term in terms_in(ctx.entry.msgid, ctx.glossary):
        for form in term.forbidden.get(ctx.locale.name, ()):
            if contains_form(translation, form):
                wanted = " or ".join(f"'{alt}'" for alt in term.alternatives(ctx.locale.name)) or "another rendering"
                yield ctx.finding(
                    "forbidden",
                    f"{term.source} is rendered as banned '{form}'; write {wanted} (glossary.csv:{term.line})",
                )
