"""The catalog model: polib's POFile, read and written the way every stage needs.

Catalogs are written unwrapped (``wrapwidth=0``), the same as ``msgmerge
--no-wrap``, so that the merge (gettext) and the conversion (polib) never
re-flow each other's lines and a catalog only changes where a message does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib

from pubflow.errors import PubflowError
from pubflow.fileio import decode_utf8, read_bytes

WRAP_WIDTH = 0
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
_GETTEXT_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$")
_ODD_COMMENT = re.compile(r"^#(?=[^\s.:,|~])", re.MULTILINE)
_KEYWORD_TOUCHING_STRING = re.compile(
    r'^([ \t]*(?:#~[ \t]*)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?))"', re.MULTILINE
)
_FATAL_SUMMARY = re.compile(r"^found \d+ fatal errors?$")
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


def read_catalog_text(path: Path) -> str:
    """A catalog's text: a file, UTF-8 without a byte-order mark (msgfmt rejects one), string literals closed."""
    if path.is_dir():
        raise PubflowError("is a folder, expected a .po catalog", path)
    raw = read_bytes(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise PubflowError(
            "starts with a UTF-8 byte-order mark, which gettext rejects; save it as UTF-8 without BOM", path, 1
        )
    text = decode_utf8(raw, path, "catalog is not UTF-8")
    check_string_literals(text, path)
    return text


class _GettextLines(str):
    """A catalog's text whose lines end at "\\n" only, as gettext reads them.

    polib splits text with ``str.splitlines``, which also breaks at a carriage
    return, U+2028, U+0085, a form feed and others: one of them inside a
    translation would be a syntax error that msgfmt does not see.
    """

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        # What gettext reads and polib rejects, in gettext's own layout: "#x" is a translator comment
        # (msgmerge writes it "# x"), and a keyword may touch its string (msgid"").
        text = _KEYWORD_TOUCHING_STRING.sub(r'\1 "', _ODD_COMMENT.sub("# ", self))
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line + "\n" for line in lines] if keepends else lines


def parse_catalog(path: Path) -> polib.POFile:
    """A .po or .pot file as polib reads it; a syntax error is a PubflowError with the file and line."""
    text = read_catalog_text(path)
    try:
        catalog = polib.pofile(_GettextLines(text), wrapwidth=WRAP_WIDTH, encoding="utf-8")
    except (OSError, ValueError) as exc:
        match = _SYNTAX_LINE.search(str(exc))
        syntax_line = int(match.group(1)) if match else None
        reason = str(exc).split(" in po file")[0].split(" (line")[0].lower()
        raise PubflowError(f".po syntax: {reason}; fix it in a text editor or Poedit", path, syntax_line) from None
    catalog.fpath = str(path)
    return catalog


def load_catalog(path: Path) -> polib.POFile:
    """A catalog every stage may use.

    A ``.po`` file must also pass ``msgfmt -c``, gettext's own judge of a
    valid catalog (invalid escapes, duplicates, plural forms without
    ``msgid_plural``…); its first complaint is the error, with its line.
    A ``.pot`` template is only parsed.
    """
    catalog = parse_catalog(path)
    if path.suffix == ".po":
        problems = msgfmt_problems(path)
        if problems:
            raise problems[0]
    return catalog


def msgfmt_problems(path: Path) -> list[PubflowError]:
    """What ``msgfmt -c`` finds wrong with a catalog, each with its line; empty when it accepts it."""
    result = subprocess.run(
        [require_gettext_tool("msgfmt"), "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    if result.returncode == 0:
        return []
    problems = gettext_errors(result.stderr, path, "msgfmt -c")
    return problems or [PubflowError("msgfmt -c rejects this catalog", path)]


def gettext_errors(stderr: str, about: Path, tool: str) -> list[PubflowError]:
    """A gettext tool's errors as PubflowErrors, keeping its own file:line; warnings only when there is no error.

    gettext writes ``file:line[:column]: message``, ``tool: message`` or
    ``file: warning: …`` followed by indented continuation lines.
    """
    errors: list[PubflowError] = []
    warnings: list[PubflowError] = []
    for raw in stderr.splitlines():
        if not raw.strip() or raw[:1].isspace():
            continue  # a continuation of the previous message
        match = _GETTEXT_LINE.match(raw)
        if match:
            where, line, message = Path(match["file"]), int(match["line"]), match["message"]
        else:
            head, sep, message = raw.partition(": ")
            if not sep:
                message = raw
            where, line = about, None
            if message.startswith(f"{about}: "):  # "msgfmt: FILE: warning: …"
                message = message[len(str(about)) + 2 :]
            elif head not in {"msgfmt", "msgmerge", "msgcat"}:
                where = Path(head) if Path(head).name == about.name else about
        if _FATAL_SUMMARY.match(message) or message.startswith("...this is the location"):
            continue
        target = warnings if message.startswith("warning: ") else errors
        text = message.removeprefix("warning: ").removesuffix("...")
        target.append(PubflowError(f"{tool}: {text}", where, line))
    return errors or warnings


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
    """Run a gettext tool; its complaint about a catalog becomes a PubflowError with the tool's own file:line."""
    command = [require_gettext_tool(args[0]), *args[1:]]
    # LC_ALL=C: gettext's messages in English, the form gettext_errors reads.
    result = subprocess.run(command, capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"})
    if result.returncode != 0:
        problems = gettext_errors(result.stderr.decode("utf-8", "replace"), about, args[0])
        raise problems[0] if problems else PubflowError(f"{args[0]} failed (exit {result.returncode})", about)
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise PubflowError(f"{args[0]} wrote text that is not UTF-8; is the catalog's charset UTF-8?", about) from None
