"""The catalog model: polib's POFile, read and written the way every stage needs.

Catalogs are written unwrapped (``wrapwidth=0``), the same as ``msgmerge
--no-wrap``, so that the merge (gettext) and the conversion (polib) never
re-flow each other's lines and a catalog only changes where a message does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib

from pubflow.errors import PubflowError

WRAP_WIDTH = 0
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
# A string literal that does not close on its line, or has something after its closing quote.
_BAD_STRING = re.compile(
    r"^[ \t]*+(?:\#~[ \t]*+)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]++)?"
    r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+(?:$|"[ \t]*+[^\s])',
    re.MULTILINE,
)


def check_string_literals(text: str, path: Path) -> None:
    """Reject a string literal that does not close on its line.

    polib (and Babel) accept ``msgstr "abc`` and silently drop its last
    character; gettext's msgfmt rejects it. A translator's typo must never
    cost a character of translation, so it is an error here too. One regular
    expression over the whole file keeps this cheap on large corpora.
    """
    match = _BAD_STRING.search(text)
    if match:
        number = text.count("\n", 0, match.start()) + 1
        raise PubflowError(
            '.po syntax: string not closed with a " on this line; fix it in a text editor or Poedit', path, number
        )


def load_catalog(path: Path) -> polib.POFile:
    """A .po or .pot file; a syntax error is a PubflowError with the file and line."""
    if not path.is_file():
        raise PubflowError("no such catalog", path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PubflowError("catalog is not UTF-8", path, line) from None
    check_string_literals(text, path)
    try:
        catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH, encoding="utf-8")
        catalog.fpath = str(path)
        return catalog
    except (OSError, ValueError) as exc:
        match = _SYNTAX_LINE.search(str(exc))
        syntax_line = int(match.group(1)) if match else None
        reason = str(exc).split(" in po file")[0].split(" (line")[0].lower()
        raise PubflowError(f".po syntax: {reason}; fix it in a text editor or Poedit", path, syntax_line) from None


def render_catalog(catalog: polib.POFile) -> str:
    catalog.wrapwidth = WRAP_WIDTH
    return str(catalog) + "\n" if not str(catalog).endswith("\n") else str(catalog)


def require_gettext_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise PubflowError(
            f"{name} (GNU gettext) is not installed; install the Debian package 'gettext' or run scripts/setup.sh"
        )
    return found


def run_gettext_tool(args: list[str], about: Path) -> str:
    """Run a gettext tool; its complaint about a catalog becomes a PubflowError."""
    require_gettext_tool(args[0])
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        first = next((ln for ln in result.stderr.splitlines() if ln.strip()), "failed")
        # msgmerge says "file.po:12: message"; keep its own file:line when present.
        raise PubflowError(first.split(": ", 1)[-1] if ":" in first else first, about)
    return result.stdout
