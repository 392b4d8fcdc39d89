"""Masking: hide the parts of a message that a text conversion must never touch.

OpenCC changes only Chinese characters, so what needs hiding is whatever may
hold Chinese but must stay byte-for-byte the same: inline literals, role
targets and whole roles without an explicit title, reference names,
substitutions, internal targets, footnote references and URLs. Each hidden
span becomes one private-use character, which OpenCC passes through and which
also keeps OpenCC from joining words across the span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

PRIVATE_USE_START = 0xE000
PRIVATE_USE_END = 0xF8FF
_PRIVATE_USE = re.compile(f"[{chr(PRIVATE_USE_START)}-{chr(PRIVATE_USE_END)}]")

PROTECTED = re.compile(
    r"""
      ``.+?``                              # inline literal
    | :[A-Za-z][\w.:+-]*:`[^`<]*`          # role whose content is its target: :doc:`名字`
    | <[^<>`]+>(?=`)                       # explicit target inside `title <target>`
    | _`[^`]+`                             # inline internal target
    | `[^`<>]+`__?                         # reference by name: `名字`_
    | \|[^|\s](?:[^|]*[^|\s])?\|_{0,2}     # substitution reference
    | \[(?:\#|\*|\#?[\w.-]+)\]_            # footnote or citation reference
    | (?:https?|ftp|mailto):[^\s<>`"]+     # URL (an IRI may hold Chinese)
    """,
    re.VERBOSE,
)


@dataclass
class Masked:
    text: str
    spans: list[str] = field(default_factory=list)

    def restore(self, text: str) -> str:
        if not self.spans:
            return text
        return text.translate({PRIVATE_USE_START + i: span for i, span in enumerate(self.spans)})


def mask(
    text: str,
    extra: re.Pattern[str] | None = None,
    replacement: Callable[[re.Match[str]], str] | None = None,
) -> Masked:
    """Replace each protected span (and each ``extra`` match) by a private-use character.

    ``replacement`` maps an ``extra`` match to what should be restored in its
    place (the glossary's form of a term); protected markup is restored as it was.
    """
    masked = Masked("")
    if _PRIVATE_USE.search(text):
        raise ValueError("text already contains private-use characters")

    def hide(value: str) -> str:
        masked.spans.append(value)
        return chr(PRIVATE_USE_START + len(masked.spans) - 1)

    text = PROTECTED.sub(lambda m: hide(m.group()), text)
    if extra is not None:
        text = extra.sub(lambda m: hide(replacement(m) if replacement else m.group()), text)
    masked.text = text
    return masked
