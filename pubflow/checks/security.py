"""Security: a translation may not add links, raw HTML or LaTeX, directives, roles or substitutions.

Translators are not trusted to inject markup: anything of these kinds that the
translation has and its source does not is an error. This check cannot be
silenced: the flag ``pubflow-skip-security`` is ignored and reported, and the
build compiles no message this check rejects (:mod:`pubflow.compile`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import polib
from docutils.utils import urischemes

from pubflow import links
from pubflow.checks.model import SKIP_FLAG_PREFIX, EntryContext, Finding, Severity

SKIP_FLAG = f"{SKIP_FLAG_PREFIX}security"
BACKTICKED = re.compile(r"``.+?``|`[^`]*`")
LITERAL = re.compile(r"``.+?``")
SCRIPT_SCHEME = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I)
# A bare e-mail address, which docutils makes a mailto: link; read from the start of its run only.
EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
PATTERNS = {
    # http:\evil.example and http:evil.example are links too (docutils links them, a browser adds the //).
    "URL": re.compile(rf"\b(?:https?|ftp|file):[^\s<>`\"]+|\bwww\.[^\s<>`\"]+|\bmailto:[^\s<>`\"]+|{EMAIL}", re.I),
    "script link": SCRIPT_SCHEME,
    # What a browser's HTML parser reads as a tag (``<`` then a letter, ``/``, ``!`` or ``?``), closed or
    # not (``<img/src/onerror=…>`` has no space), or as a character reference. Linear: no backtracking.
    "raw HTML": re.compile(r"</?[a-zA-Z][^<>]*>?|<[!?][^<>]*>?|&#?\w+;"),
    "raw LaTeX": re.compile(r"\\[a-zA-Z@]{2,}"),
    # docutils accepts ``.. name::`` and ``.. name ::``, with names such as ``a.b+c``.
    "directive": re.compile(r"(?:^|\s)\.\.\s+[\w.+:-]+\s*::"),
    # A role starts where its name does, never inside one: starting again at every colon is quadratic.
    "role": re.compile(r"(?<![\w.+-]):[\w.+-]+(?::[\w.+-]+)*:`|`:[\w.+-]+(?::[\w.+-]+)*:"),
    "substitution": re.compile(r"\|[^|\s](?:[^|]*[^|\s])?\|"),
    "hyperlink target": re.compile(r"(?:^|\s)\.\.\s+_[^:]*:|^\s*__\s", re.M),
    "include": re.compile(r"\binclude\s*::|\bliteralinclude\s*::|:file:|:url:", re.I),
    # C0 and C1 controls other than tab and line feed, DEL and the Unicode line separators: docutils and
    # Sphinx's writers crash or LaTeX chokes on them ("please report"), and a reader sees nothing.
    "control character": re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"),
}
# A scheme docutils links in running text (tel:+123, smb://host): any it knows, followed by a non-space.
PLAIN_SCHEME = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9.+-]*):(?=[^\s<>])")
PLAIN_URI = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9.+-]*):[^\s<>`\"]+")
# A link target: ``<…>`` in a reference (a backslash escapes a ``>`` or ``<`` in it), or the target
# of a ``.. _name:`` or ``__`` line.
LINK_TARGET = re.compile(r"<((?:\\.|[^<>\\])*)>`|^\s*(?:\.\.\s+_[^:]*:|__\s)(.*)$", re.M)


def _link_items(text: str) -> tuple[Counter[str], Counter[str]]:
    """The links of ``text`` that the one link rule (:mod:`pubflow.links`) refuses or counts as added.

    Returns (addresses, refused schemes). Each link target is read as docutils assembles it and as a
    browser reads it: ``<java\\script:…>``, ``<java script:…>`` are ``javascript:``; ``<//evil.example>``
    and ``<http:\\evil.example>`` go off-site; ``<../x.pdf>`` is a file a PDF reader opens. A running-text
    ``tel:``, ``smb:`` … that docutils would link counts as well.
    """
    addresses: Counter[str] = Counter()
    schemes: Counter[str] = Counter()
    for match in LINK_TARGET.finditer(LITERAL.sub(" ", text)):  # ``<b>`` is a literal, no link
        target = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
        scheme = links.scheme_of(target)
        if scheme and scheme not in links.ALLOWED_SCHEMES:
            schemes[f"{scheme}:"] += 1
        elif target and not PATTERNS["URL"].search(target):
            addresses[links.readings(target)[0]] += 1  # relative or protocol-relative: still a link it adds
    for match in PLAIN_SCHEME.finditer(BACKTICKED.sub(" ", text)):
        scheme = match.group(1).lower()
        if scheme in urischemes.schemes and scheme not in links.ALLOWED_SCHEMES:
            schemes[f"{scheme}:"] += 1
    return addresses, schemes


def _item(kind: str, matched: str) -> str:
    if kind == "control character":  # named, never printed: it could be an escape sequence for the terminal
        return f"U+{ord(matched):04X}"
    return matched.strip().lower() if kind == "script link" else matched.strip()


def found_markup(text: str) -> dict[str, Counter[str]]:
    """Every kind of markup a translation may not add, each item with how often ``text`` has it."""
    found: dict[str, Counter[str]] = {}
    # A reST link's target <…> is inside backticks: look for HTML and LaTeX outside them only.
    outside_backticks = BACKTICKED.sub(" ", text)
    for kind, pattern in PATTERNS.items():
        scanned = outside_backticks if kind in ("raw HTML", "raw LaTeX") else text
        found[kind] = Counter(_item(kind, m.group()) for m in pattern.finditer(scanned))
    addresses, schemes = _link_items(text)
    found["URL"] += addresses
    # javascript: is found by both readings; counted once per occurrence.
    found["script link"] = found["script link"] | schemes
    return found


def _shown(item: str, width: int = 60) -> str:
    return item if len(item) <= width else item[: width - 1] + "…"


def security_problems(msgid: str, msgstr: str) -> list[str]:
    """What ``msgstr`` adds that its source ``msgid`` lacks and no translation may add."""
    problems: list[str] = []
    source, translation = found_markup(msgid), found_markup(msgstr)
    for kind in PATTERNS:
        added = translation[kind] - source[kind]
        problems.extend(
            f"the translation adds {kind} {_shown(item)!r} that its source does not have" for item in sorted(added)
        )
    return problems


def entry_security_problems(entry: polib.POEntry) -> list[str]:
    """:func:`security_problems` of a catalog entry, the one judgement ``check`` and the build share.

    Fuzzy messages are judged too (a fuzzy message is one flag away from publication, and the build
    withholds it as well); the header (msgid "") is no text Sphinx publishes, and obsolete messages none.
    """
    if entry.obsolete or not entry.msgid:
        return []
    forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
    source = f"{entry.msgid}\n{entry.msgid_plural}" if entry.msgid_plural else entry.msgid
    return [problem for form in forms if form for problem in security_problems(source, form)]


def check_security(ctx: EntryContext) -> Iterator[Finding]:
    if SKIP_FLAG in ctx.entry.flags:
        yield ctx.finding(
            "security",
            f"the flag {SKIP_FLAG} is ignored: the security check cannot be silenced; delete the flag",
            Severity.WARNING,
        )
    for problem in entry_security_problems(ctx.entry):
        yield ctx.finding("security", problem)


def check_source_markup(ctx: EntryContext) -> Iterator[Finding]:
    """Raw HTML in a source message, translated or not (an imported article, ``init --name``).

    Every edition shows it as text and the search index holds it inert, but it is almost surely HTML
    pasted into the article, so check says so.
    """
    tags = PATTERNS["raw HTML"].finditer(BACKTICKED.sub(" ", ctx.entry.msgid))
    for item in sorted({_item("raw HTML", match.group()) for match in tags}):
        yield ctx.finding(
            "security",
            f"the source has raw HTML {_shown(item)!r}: editions show it as text, but it looks like markup "
            "pasted into the article; correct its document in docs/",
        )
    for uri, problem in source_link_problems(ctx.entry.msgid):
        yield ctx.finding(
            "security",
            f"the source has {problem} ({_shown(uri)!r}), which the build drops and so refuses the edition; "
            "correct its document in docs/",
        )


def source_link_problems(text: str) -> list[tuple[str, str]]:
    """The links of a source message that the Sphinx guard drops (in HTML or PDF), as (link, why)."""
    found: dict[tuple[str, str], None] = {}
    for match in LINK_TARGET.finditer(LITERAL.sub(" ", text)):
        target = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
        problem = links.link_problem(target, pdf=True)
        if problem:
            found[target, problem] = None
    for match in PATTERNS["URL"].finditer(text):
        problem = links.link_problem(match.group())
        if problem:
            found[match.group(), problem] = None
    for match in PLAIN_URI.finditer(BACKTICKED.sub(" ", text)):
        problem = links.link_problem(match.group())
        if match.group(1).lower() in urischemes.schemes and problem:
            found[match.group(), problem] = None
    return list(found)
