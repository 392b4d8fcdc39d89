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

from pubflow.checks.model import SKIP_FLAG_PREFIX, EntryContext, Finding, Severity

SKIP_FLAG = f"{SKIP_FLAG_PREFIX}security"
BACKTICKED = re.compile(r"``.+?``|`[^`]*`")
SCRIPT_SCHEME = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I)
PATTERNS = {
    "URL": re.compile(r"\b(?:https?|ftp|file)://[^\s<>`\"]+|\bwww\.[^\s<>`\"]+|\bmailto:[^\s<>`\"]+", re.I),
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
}
WEB_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
LINK_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
# A link target: ``<…>`` in a reference, or the target of a ``.. _name:`` or ``__`` line.
LINK_TARGET = re.compile(r"<([^<>]*)>`|^\s*(?:\.\.\s+_[^:]*:|__\s)(.*)$", re.M)


def _hidden_schemes(text: str) -> list[str]:
    """The link targets' schemes other than the web's, as docutils would assemble them.

    In a target docutils drops whitespace and backslash escapes, so
    ``<java script:…>`` or ``<java\\script:…>`` is a ``javascript:`` link;
    and a PDF reader may launch a ``run:`` or ``file:`` link.
    """
    found: list[str] = []
    for match in LINK_TARGET.finditer(text):
        target = re.sub(r"[\s\\]+", "", match.group(1) or match.group(2) or "")
        scheme = LINK_SCHEME.match(target)
        if scheme and scheme.group(1).lower() not in WEB_SCHEMES:
            found.append(f"{scheme.group(1).lower()}:")
    return found


def _found(text: str, kind: str) -> Counter[str]:
    # A reST link's target <…> is inside backticks: look for HTML and LaTeX outside them only.
    scanned = BACKTICKED.sub(" ", text) if kind in ("raw HTML", "raw LaTeX") else text
    found = Counter(
        m.group().strip().lower() if kind == "script link" else m.group().strip()
        for m in PATTERNS[kind].finditer(scanned)
    )
    if kind == "script link":
        found |= Counter(_hidden_schemes(text))
    return found


def security_problems(msgid: str, msgstr: str) -> list[str]:
    """What ``msgstr`` adds that its source ``msgid`` lacks and no translation may add."""
    problems: list[str] = []
    for kind in PATTERNS:
        added = _found(msgstr, kind) - _found(msgid, kind)
        problems.extend(f"the translation adds {kind} {item!r} that its source does not have" for item in sorted(added))
    return problems


def check_security(ctx: EntryContext) -> Iterator[Finding]:
    if SKIP_FLAG in ctx.entry.flags:
        yield ctx.finding(
            "security",
            f"the flag {SKIP_FLAG} is ignored: the security check cannot be silenced; delete the flag",
            Severity.WARNING,
        )
    for problem in security_problems(ctx.entry.msgid, ctx.entry.msgstr):
        yield ctx.finding("security", problem)
