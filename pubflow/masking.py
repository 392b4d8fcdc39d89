"""Masking: hide the parts of a message that a text conversion must never touch.

OpenCC changes only Chinese characters, so what needs hiding is whatever may
hold Chinese but must stay byte-for-byte the same: inline literals, role
targets and whole roles without an explicit title, reference names,
substitutions, internal targets, footnote references and URLs. Each hidden
span becomes one private-use character, which OpenCC passes through and which
also keeps OpenCC from joining words across the span. A private-use character
the text already holds (an imported article may have one) is itself hidden
and restored, so it never collides with a span's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

PRIVATE_USE_START = 0xE000
PRIVATE_USE_END = 0xF8FF
#: Where span markers come from: the private-use area, then planes 15 and 16 (137,468 in all).
PRIVATE_USE_RANGES = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
_MARKERS = [code for low, high in PRIVATE_USE_RANGES for code in range(low, high + 1)]
_PRIVATE_USE_CLASS = "".join(f"{chr(low)}-{chr(high)}" for low, high in PRIVATE_USE_RANGES)

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
    | [PRIVATE_USE]                        # a private-use character of the text itself
    """.replace("PRIVATE_USE", _PRIVATE_USE_CLASS),
    re.VERBOSE,
)


@dataclass
class Masked:
    text: str
    spans: list[str] = field(default_factory=list)

    def restore(self, text: str) -> str:
        if not self.spans:
            return text
        return text.translate({_MARKERS[i]: span for i, span in enumerate(self.spans)})


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

    def hide(value: str) -> str:
        if len(masked.spans) == len(_MARKERS):
            return value  # beyond 137,468 spans (no real message has them) the rest is converted as it is
        masked.spans.append(value)
        return chr(_MARKERS[len(masked.spans) - 1])

    text = PROTECTED.sub(lambda m: hide(m.group()), text)
    if extra is not None:
        text = extra.sub(lambda m: hide(replacement(m) if replacement else m.group()), text)
    masked.text = text
    return masked
