"""The prose of a message: its reST markup, URLs and literals blanked out, positions kept.

Numbers and spelling judge words a reader reads. A footnote label ``[#f1]_``,
a reference name, a role's target or a URL is markup that the ``markup`` and
``security`` checks already hold to the source; read as prose it would be the
number 1 or a misspelt word.
"""

from __future__ import annotations

import re

MARKUP = re.compile(
    r"""
      ``.+?``                                       # inline literal
    | (?<![\w.:+-]):[A-Za-z][\w.:+-]*:`[^`]*`        # role with its target: :doc:`index`, :ref:`x <y>`
    | `[^`]*`:[A-Za-z][\w.:+-]*:                    # role written after its body
    | \[(?:\#[\w.-]*|\*|[\w.-]+)\]_                 # footnote or citation label: [#f1]_, [1]_, [CIT2002]_
    | \|[^|\s](?:[^|]*[^|\s])?\|_{0,2}              # substitution
    | _`[^`]+`                                      # inline target
    | `[^`<]+`__?                                   # reference by name: `PEP 8`_
    | `[^`]*`(?!_)                                  # interpreted text (default role)
    | (?:https?|ftp|file)://[^\s<>`"]+              # URL
    | \bwww\.[^\s<>`"]+
    | \bmailto:[^\s<>`"]+
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+       # e-mail address
    """,
    re.VERBOSE,
)
# A link with an embedded target keeps its title, which is translated prose: `Title <target>`_
LINK = re.compile(r"`([^`<]*?)\s*<[^<>`]+>`__?")


def blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _blank_link(match: re.Match[str]) -> str:
    title = match.group(1)
    return " " + title + " " * (len(match.group()) - len(title) - 1)


def prose(text: str) -> str:
    """``text`` with markup and addresses replaced by spaces, every other character where it was."""
    return MARKUP.sub(blank, LINK.sub(_blank_link, text))
