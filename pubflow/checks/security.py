"""Security: a translation may not add links, raw HTML or LaTeX, directives or substitutions.

Translators are not trusted to inject markup: anything of these kinds that the
translation has and its source does not is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pubflow.checks.model import EntryContext, Finding

BACKTICKED = re.compile(r"``.+?``|`[^`]*`")
PATTERNS = {
    "URL": re.compile(r"\b(?:https?|ftp|file)://[^\s<>`\"]+|\bwww\.[^\s<>`\"]+|\bmailto:[^\s<>`\"]+", re.I),
    "script link": re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I),
    "raw HTML": re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>|&#?\w+;"),
    "raw LaTeX": re.compile(r"\\[a-zA-Z@]{2,}"),
    "directive": re.compile(r"(?:^|\s)\.\.\s+[\w:-]+::"),
    "substitution": re.compile(r"\|[^|\s](?:[^|]*[^|\s])?\|"),
    "include": re.compile(r"\binclude\s*::|\bliteralinclude\s*::", re.I),
}


def _found(text: str, kind: str) -> Counter[str]:
    # A reST link's target <…> is inside backticks: look for HTML and LaTeX outside them only.
    scanned = BACKTICKED.sub(" ", text) if kind in ("raw HTML", "raw LaTeX") else text
    return Counter(m.group().strip() for m in PATTERNS[kind].finditer(scanned))


def check_security(ctx: EntryContext) -> Iterator[Finding]:
    for kind in PATTERNS:
        added = _found(ctx.entry.msgstr, kind) - _found(ctx.entry.msgid, kind)
        for item in sorted(added):
            yield ctx.finding("security", f"the translation adds {kind} {item!r} that its source does not have")
