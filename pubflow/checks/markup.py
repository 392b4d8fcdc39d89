"""reST inline markup parity: a translation keeps the source's roles, references, literals and emphasis.

What must stay identical (literals, role targets, reference names,
substitutions, footnotes) is compared as text; what is translated (emphasis,
strong, a reference's title) is compared by count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pubflow.checks.model import EntryContext, Finding

TOKEN = re.compile(
    r"""
      (?P<literal>``.+?``)
    | (?<![\w.:+-]):(?P<role>[A-Za-z][\w.:+-]*):`(?P<role_body>[^`]*)`
    | `(?P<ref_body>[^`]+)`(?P<ref_mark>__?)
    | _`(?P<target>[^`]+)`
    | `(?P<interpreted>[^`]+)`
    | (?P<strong>\*\*[^*\s](?:[^*]*[^*\s])?\*\*)
    | (?P<emphasis>\*[^*\s](?:[^*]*[^*\s])?\*)
    | (?P<substitution>\|[^|\s](?:[^|]*[^|\s])?\|)
    | (?P<footnote>\[(?:\#|\*|\#?[\w.-]+)\]_)
    """,
    re.VERBOSE,
)
EMBEDDED_TARGET = re.compile(r"<([^<>]+)>\s*$")
# A message is one paragraph or title: a blank line starts another block, and a line of one repeated
# punctuation mark under a line is a section title; Sphinx would drop the one or re-shape the page.
BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+[ \t]*$", re.MULTILINE)


def markup_signature(text: str) -> Counter[str]:
    """A multiset of the markup in ``text``: exact where it must be kept, counted where translated."""
    found: Counter[str] = Counter()
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if match.group("literal"):
            found[f"literal {match.group('literal')}"] += 1
        elif match.group("role") is not None:
            body = match.group("role_body")
            target = EMBEDDED_TARGET.search(body)
            found[f"role :{match.group('role')}: → {target.group(1) if target else body}"] += 1
        elif match.group("ref_body") is not None:
            body = match.group("ref_body")
            target = EMBEDDED_TARGET.search(body)
            if target:
                found[f"link to {target.group(1)}"] += 1
            else:
                found[f"reference `{body}`{match.group('ref_mark')}"] += 1
        elif match.group("target") is not None:
            found[f"target _`{match.group('target')}`"] += 1
        elif kind in ("substitution", "footnote"):
            found[f"{kind} {match.group(kind)}"] += 1
        elif kind is not None:
            found[kind] += 1
    # What is left is markup that opens and never closes: docutils warns, or prints it raw.
    leftover = re.sub(r"\\.", "", TOKEN.sub("", text))
    for char in "*`|":
        if leftover.count(char):
            found[f"unpaired {char}"] += leftover.count(char)
    return found


def check_structure(ctx: EntryContext) -> Iterator[Finding]:
    """A translation that would be more than its one block: part of it would vanish from the page, or re-shape it."""
    source, translation = ctx.entry.msgid, ctx.entry.msgstr
    if BLOCK_BREAK.search(translation) and not BLOCK_BREAK.search(source):
        yield ctx.finding(
            "markup", "a blank line splits the translation into two blocks, and Sphinx keeps only the first; remove it"
        )
    adornments = ADORNMENT.findall(translation)
    if len(adornments) > len(ADORNMENT.findall(source)):
        yield ctx.finding(
            "markup",
            f"a line of {adornments[0]!r} characters makes a section title of the line above it; "
            "remove it or escape its first character with a backslash",
        )


def check_markup(ctx: EntryContext) -> Iterator[Finding]:
    yield from check_structure(ctx)
    source = markup_signature(ctx.entry.msgid)
    translation = markup_signature(ctx.entry.msgstr)
    if source == translation:
        return
    missing = source - translation
    extra = translation - source
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing)))
    if extra:
        parts.append("not in the source: " + ", ".join(sorted(extra)))
    yield ctx.finding("markup", "; ".join(parts))
