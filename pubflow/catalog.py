"""The catalog model: polib's POFile, read and written the way every stage needs.

A stage that changes a catalog rewrites only the entries that changed
(:class:`CatalogLayout`): every other entry keeps the lines the last tool gave
it, whether msgcat, Poedit, Weblate, Babel or polib wrapped them. Changed
entries are rendered at the project's ``wrap-width`` (default 0: unwrapped,
the same as ``msgmerge --no-wrap``); ``pubflow format`` lays a whole catalog
out that way.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pubflow.errors import PubflowError
from pubflow.fileio import decode_utf8, read_bytes, usable_cores, write_atomic
from pubflow.poreader import read_entries

try:  # hashlib's module loads OpenSSL (3.5 MB, 40 ms) for the digests of its own it makes available
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
    from hashlib import blake2b

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
    r"^[ \t]*(?:\#~[ \t]*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    r'"[^"\\\n]*(?:\\.[^"\\\n]*)*(?:$|"[ \t]*[^\s])',
    re.MULTILINE,
)


# A NUL: msgfmt -c accepts it, but msgmerge ends the string there (other control characters it keeps).
_CONTROL_CHARACTER = re.compile(r"\x00")


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


def newline_ends_agree(msgid: str, msgstr: str) -> bool:
    """msgfmt -c's rule: a translation begins and ends with a line break exactly when its source does."""
    return msgid.startswith("\n") == msgstr.startswith("\n") and msgid.endswith("\n") == msgstr.endswith("\n")


def check_control_characters(text: str, path: Path) -> None:
    """Reject a raw NUL (a bad paste): the one character gettext's tools cut a string at, losing what follows.

    Stricter than msgfmt -c, which accepts it, because the next merge would shorten the translation.
    """
    control = _CONTROL_CHARACTER.search(text)
    if control:
        # msgfmt accepts a NUL and msgmerge cuts the string there: the words after it would be lost at the next merge.
        number = text.count("\n", 0, control.start()) + 1
        raise PubflowError(
            ".po syntax: a NUL character (U+0000) in the text, where msgmerge would cut the string and lose "
            "the rest; delete it",
            path,
            number,
        )


def catalog_bytes(path: Path) -> bytes:
    """A catalog's bytes as they are now, for a stage to check before writing that nobody saved it meanwhile."""
    if path.is_dir():
        raise PubflowError("is a folder, expected a .po catalog", path)
    return read_bytes(path)


def _read_catalog(path: Path) -> tuple[bytes, str]:
    raw = catalog_bytes(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise PubflowError(
            "starts with a UTF-8 byte-order mark, which gettext rejects; save it as UTF-8 without BOM", path, 1
        )
    return raw, decode_utf8(raw, path, "catalog is not UTF-8")


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
    return _parse(path, _read_catalog(path)[1])


def parse_text(text: str, path: Path | None = None) -> polib.POFile:
    """Catalog text (a gettext tool's output) as polib reads it, by the fast reader when it can."""
    return _parse(path, text)


def _parse(path: Path | None, text: str) -> polib.POFile:
    # The fast reader (pubflow.poreader) builds the same objects as polib's parser for text in gettext's
    # own layout; anything else goes through polib, which gives its result or its syntax error.
    # The fast reader matches every string literal whole, so what it accepts has none left open.
    if path is not None:
        check_control_characters(text, path)
    catalog = read_entries(text)
    if catalog is None:
        if path is not None:
            check_string_literals(text, path)
        try:
            catalog = polib.pofile(_GettextLines(text), wrapwidth=WRAP_WIDTH, encoding="utf-8")
        except (OSError, ValueError) as exc:
            match = _SYNTAX_LINE.search(str(exc))
            syntax_line = int(match.group(1)) if match else None
            reason = str(exc).split(" in po file")[0].split(" (line")[0].lower()
            raise PubflowError(f".po syntax: {reason}; fix it in a text editor or Poedit", path, syntax_line) from None
    catalog.fpath = str(path) if path is not None else None
    return catalog


def load_catalog(path: Path) -> polib.POFile:
    """A catalog every stage may use.

    A ``.po`` file must also pass ``msgfmt -c``, gettext's own judge of a
    valid catalog (invalid escapes, duplicates, plural forms without
    ``msgid_plural``…); its first complaint is the error, with its line.
    A ``.pot`` template is only parsed.
    """
    return read_catalog(path)[0]


def read_catalog(path: Path, judge: MsgfmtJudge | None = None) -> tuple[polib.POFile, str]:
    """:func:`load_catalog`'s catalog and its text with ``\n`` line ends; ``judge`` may have run msgfmt ahead.

    The text is as ``Path.read_text`` gives it (any ``\r\n`` or ``\r`` a line end), so that a
    :class:`CatalogLayout` made from it writes one kind of line end throughout.
    """
    raw, text = _read_catalog(path)
    is_po = path.suffix == ".po"
    content = _content_digest(raw) if is_po and judge is not None else None
    marker = _verdict_file(raw) if is_po else None
    del raw  # not held while the entries are built: a large catalog's bytes are megabytes
    catalog = _parse(path, text)
    if is_po:
        problems = judge.problems(path, content) if judge is not None and content is not None else None
        if problems is None:
            problems = _judged_by_msgfmt(path, marker)
        if problems:
            raise problems[0]
    return catalog, text.replace("\r\n", "\n").replace("\r", "\n")


def declared_charset(catalog: polib.POFile) -> str | None:
    """The charset the header's Content-Type declares, as written; None when it declares none."""
    match = re.search(r"charset\s*=\s*([^\s;]+)", catalog.metadata.get("Content-Type", ""), re.IGNORECASE)
    return match.group(1) if match else None


def require_utf8_charset(path: Path, text: str, catalog: polib.POFile) -> None:
    """Refuse a catalog whose header declares another charset than UTF-8, which pubflow read it as.

    msgmerge and the compiled .mo would take the header at its word and read every message
    in that charset: update would turn the translations into obsolete mojibake, a build would
    publish it.
    """
    charset = declared_charset(catalog)
    if charset is not None and charset.lower().replace("-", "") != "utf8":
        line = next((n for n, row in enumerate(text.splitlines(), 1) if "charset" in row.lower()), None)
        raise PubflowError(
            f"the header declares charset={charset}, but pubflow catalogs are UTF-8 (and this one reads as "
            'UTF-8); make it "Content-Type: text/plain; charset=UTF-8\\n"',
            path,
            line,
        )


def _content_digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=20).digest()


class MsgfmtJudge:
    """``msgfmt -c`` on many catalogs ahead, on threads, while the caller reads and works on them.

    msgfmt runs in its own processes, so its judging overlaps the caller's
    Python work instead of adding to it. A verdict is used only for the very
    bytes the caller then reads (compared by digest); otherwise the catalog is
    judged again. Kept verdicts (:func:`use_verdict_cache`) are honoured.
    """

    def __init__(self, paths: list[Path]):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=max(2, usable_cores()))
        self._verdicts = {path: self._pool.submit(self._judge, path) for path in paths if path.suffix == ".po"}

    @staticmethod
    def _judge(path: Path) -> tuple[bytes, list[PubflowError]] | None:
        try:
            before = read_bytes(path)
            problems = _judged_by_msgfmt(path, _verdict_file(before))
            return (_content_digest(before), problems) if read_bytes(path) == before else None
        except PubflowError:
            return None  # judged again in the caller's own order, which reports it

    def problems(self, path: Path, content: bytes) -> list[PubflowError] | None:
        """msgfmt's complaints about ``path`` as it holds ``content``; None when not judged for those bytes."""
        future = self._verdicts.pop(path, None)
        verdict = future.result() if future is not None else None
        return verdict[1] if verdict is not None and verdict[0] == content else None

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> MsgfmtJudge:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# -- msgfmt's verdicts, kept --------------------------------------------------------------------

_verdict_folder: Path | None = None
_msgfmt_identity: str | None = None


def use_verdict_cache(folder: Path | None) -> None:
    """Where msgfmt's acceptances are kept (one empty file per accepted content); None: judge every time."""
    global _verdict_folder
    _verdict_folder = folder


def default_verdict_folder() -> Path:
    """For catalogs read outside any project: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pubflow" / "msgfmt-verdicts"


def _verdict_file(raw: bytes) -> Path | None:
    """The marker of "msgfmt -c accepts exactly these bytes", for this msgfmt binary."""
    global _msgfmt_identity
    if _verdict_folder is None:
        return None
    if _msgfmt_identity is None:
        binary = require_gettext_tool("msgfmt")
        status = os.stat(binary)
        _msgfmt_identity = f"{os.path.realpath(binary)}:{status.st_size}:{status.st_mtime_ns}"
    digest = blake2b(raw, digest_size=20, key=_msgfmt_identity.encode()[:64])
    return _verdict_folder / digest.hexdigest()


def _remember_acceptance(marker: Path) -> None:
    # An empty file made with O_EXCL cannot be half written, so it needs no temporary and rename; a
    # marker that cannot be made costs only a msgfmt run next time.
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except OSError:
        pass


def msgfmt_problems(path: Path) -> list[PubflowError]:
    """What ``msgfmt -c`` finds wrong with a catalog, each with its line; empty when it accepts it.

    msgfmt stays the judge; its acceptance of a catalog's exact bytes is kept
    (:func:`use_verdict_cache`), so unchanged bytes are not judged again.
    Rejections are never kept: they are judged afresh to report their lines.
    """
    return _judged_by_msgfmt(path, _verdict_file(read_bytes(path)))


def _judged_by_msgfmt(path: Path, marker: Path | None) -> list[PubflowError]:
    if marker is not None and marker.exists():
        return []
    problems = _msgfmt_check(path)
    # Kept only when msgfmt judged the very bytes the caller read (the file may change meanwhile).
    if not problems and marker is not None and _verdict_file(read_bytes(path)) == marker:
        _remember_acceptance(marker)
    return problems


def _msgfmt_check(path: Path) -> list[PubflowError]:
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


def render_catalog(catalog: polib.POFile, wrap_width: int = WRAP_WIDTH) -> str:
    """The whole catalog in the project's layout.

    Unwrapped (0) as polib and ``msgmerge --no-wrap`` write it. Wrapped, as GNU
    gettext wraps (``msgcat --width``, which powrap runs): polib cannot break
    Chinese, which has no spaces, and gettext's line breaking is what the
    python-docs-* projects expect. msgcat drops flags it does not know
    (``pubflow-skip-*``, a translator's own), so they are put back.
    """
    catalog.wrapwidth = 0
    text = _in_own_order(catalog)
    text = text if text.endswith("\n") else text + "\n"
    if not wrap_width:
        return text
    if _wrap_style == TRANSLATE_TOOLKIT:
        return _same_messages(_translate_toolkit_wrapped(text, wrap_width), catalog, "translate-toolkit", wrap_width)
    return _gettext_wrapped(text, catalog, wrap_width)


TRANSLATE_TOOLKIT = "translate-toolkit"
_wrap_style = "gettext"


def use_wrap_style(style: str) -> None:
    """Wrap with GNU gettext's msgcat (``gettext``) or as translate-toolkit, and so Weblate, writes a unit."""
    global _wrap_style
    _wrap_style = style


def _translate_toolkit_wrapped(text: str, wrap_width: int) -> str:
    """Every message laid out as translate-toolkit lays out one it changed: what Weblate commits.

    Weblate writes a unit its user changed through translate-toolkit, which wraps CJK text by display
    width in its own way (no msgcat width gives the same lines). A catalog laid out so is left as it
    is by Weblate's next commit, whichever of its messages that commit changes.
    """
    try:
        from translate.storage import pypo
    except ImportError:
        raise PubflowError(
            "wrap-style = 'translate-toolkit' needs translate-toolkit (pip install 'translate-toolkit>=3.13,<4', "
            "or scripts/setup.sh, which installs it)"
        ) from None
    store = pypo.pofile(width=wrap_width)
    store.parse(text.encode("utf-8"))
    for unit in store.units:
        if unit.isheader():
            continue
        # A field set anew is quoted again at the store's width; one set to its own value is left as parsed.
        for name in ("source", "target", "prev_source"):
            value = getattr(unit, name)
            if value:
                setattr(unit, name, value + "\x01")
                setattr(unit, name, value)
    return bytes(store).decode("utf-8")


def _same_messages(laid_out: str, catalog: polib.POFile, tool: str, wrap_width: int) -> str:
    # Wrapping must change line breaks only; refuse rather than write a catalog that says something else.
    if [_entry_content(e) for e in polib.pofile(laid_out)] != [_entry_content(e) for e in catalog]:
        raise PubflowError(f"{tool} at width {wrap_width} changed a message, not only line breaks; nothing written")
    return laid_out


def _in_own_order(catalog: polib.POFile) -> str:
    """polib's text of the catalog, its header fields in the catalog's own order (polib would sort them)."""
    catalog.ordered_metadata = lambda: list(catalog.metadata.items())  # type: ignore[method-assign]
    try:
        return str(catalog)
    finally:
        del catalog.ordered_metadata


def _gettext_wrapped(text: str, catalog: polib.POFile, wrap_width: int) -> str:
    require_gettext_tool("msgcat")
    result = subprocess.run(
        ["msgcat", f"--width={wrap_width}", "--output-file=-", "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PubflowError(f"msgcat could not lay out the catalog: {message[0] if message else 'failed'}")
    wrapped = result.stdout.decode("utf-8")
    wanted = {_entry_key(e): list(e.flags) for e in catalog}
    model = polib.pofile(wrapped)
    lines = wrapped.split("\n")
    # From the last entry up, so that inserting or removing a line never shifts one still to fix.
    for entry in sorted(model, key=lambda e: e.linenum, reverse=True):
        flags = wanted.get(_entry_key(entry), list(entry.flags))
        if flags == list(entry.flags):
            continue
        first = entry.linenum - 1
        while first > 0 and lines[first - 1].strip():
            first -= 1
        last = first
        while last < len(lines) and lines[last].strip():
            last += 1
        block = [ln for ln in lines[first:last] if not ln.startswith("#, ")]
        at = next(
            (i for i, ln in enumerate(block) if ln.startswith(("#|", "#~", "msgctxt", "msgid"))),
            len(block),
        )
        if flags:
            block.insert(at, "#, " + ", ".join(flags))
        lines[first:last] = block
    laid_out = "\n".join(lines)
    # Wrapping must change line breaks only; refuse rather than write a catalog that says something else.
    if [_entry_content(e) for e in polib.pofile(laid_out)] != [_entry_content(e) for e in catalog]:
        raise PubflowError(f"msgcat --width={wrap_width} changed a message, not only line breaks; nothing written")
    return laid_out


@dataclass
class FormatResult:
    changed: list[Path] = field(default_factory=list)
    kept: int = 0


def off_format(path: Path, wrap_width: int) -> bool:
    """Whether the catalog's text differs from pubflow's layout at ``wrap_width``."""
    catalog = load_catalog(path)
    return render_catalog(catalog, wrap_width) != path.read_text(encoding="utf-8")


def format_catalogs(paths: list[Path], wrap_width: int, check_only: bool = False) -> FormatResult:
    """Rewrite catalogs in pubflow's layout; only line breaks change, never a message."""
    result = FormatResult()
    for path in paths:
        read_as = catalog_bytes(path)  # first: a save in an editor after this is never written over
        # The file's own line ends: layout is line breaks within entries, not a Windows editor's CRLF.
        data = render_catalog(load_catalog(path), wrap_width).replace("\n", file_newline(path)).encode("utf-8")
        if data == read_as:
            result.kept += 1
            continue
        if not check_only:
            write_atomic(path, data, read_as=read_as)
        result.changed.append(path)
    return result


# -- writing back only what changed ----------------------------------------------------------

_HEADER = ("header",)
# Header fields that change without any message changing (msgmerge copies the template's date).
_VOLATILE_HEADER_FIELDS = {"POT-Creation-Date"}


def _entry_key(entry: polib.POEntry) -> tuple[object, ...]:
    return ("obsolete" if entry.obsolete else "live", entry.msgctxt, entry.msgid)


def _entry_content(entry: polib.POEntry) -> tuple[object, ...]:
    """Everything an entry says, independent of how its lines were wrapped."""
    return (
        entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
        tuple(sorted(entry.msgstr_plural.items())), tuple(entry.flags), entry.tcomment or "",
        entry.comment or "", tuple(entry.occurrences) if not entry.obsolete else (),
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural,
    )  # fmt: skip


def _field_value(key: str, value: str) -> str:
    return value.strip().lower() if key == "Content-Type" else value.strip()


def _header_content(catalog: polib.POFile) -> tuple[object, ...]:
    # Order, spacing and the charset's case are layout: msgmerge and translators' tools each write them their way.
    fields = tuple(
        sorted((k, _field_value(k, v)) for k, v in catalog.metadata.items() if k not in _VOLATILE_HEADER_FIELDS)
    )
    return (catalog.header or "", fields, bool(catalog.metadata_is_fuzzy))


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Runs of non-blank lines: (first line, last line, text), lines counted from 1."""
    blocks: list[tuple[int, int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):  # gettext's lines: U+2028 or a form feed ends none
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, number - 1, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, start + len(current) - 1, "\n".join(current)))
    return blocks


def file_newline(path: Path) -> str:
    """``\r\n`` when the file's first line ends so (as a Windows editor saves it), else ``\n``."""
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except FileNotFoundError:
        return "\n"
    return "\r\n" if first.endswith(b"\r\n") else "\n"


class CatalogLayout:
    """A catalog file's text as it was read: each entry's own lines and what they said.

    Whatever tool wrote the file (msgcat at 79 columns, translate-toolkit at 77,
    Babel at 76, polib at 78, unwrapped), :meth:`splice` writes an entry whose
    content did not change with its original lines, and renders only changed or
    new entries. A file where nothing changed comes back byte for byte. This is
    more robust than reproducing each tool's wrapping, which differ in how they
    count CJK columns and where they break.
    """

    def __init__(self, text: str, catalog: polib.POFile, newline: str = "\n"):
        self.text = text
        #: The file's own line end, which :meth:`splice` writes back (``text`` has ``\n`` throughout).
        self.newline = newline
        self.order: list[tuple[object, ...]] = []
        self.blocks: dict[tuple[object, ...], str] = {}
        self.content: dict[tuple[object, ...], tuple[object, ...]] = {}
        self.usable = self._map(catalog)

    def _map(self, catalog: polib.POFile) -> bool:
        blocks = _blocks(self.text)
        firsts = [first for first, _, _ in blocks]
        owner: dict[int, tuple[object, ...]] = {}
        for entry in catalog:
            key = _entry_key(entry)
            if key in self.content or entry.linenum is None:
                return False  # duplicates or no line numbers: render everything
            # The block holding the entry's line: the last one starting at or before it, if it reaches it.
            index = bisect.bisect_right(firsts, entry.linenum) - 1
            if index < 0 or blocks[index][1] < entry.linenum or index in owner:
                return False
            owner[index] = key
            self.content[key] = _entry_content(entry)
        for index, (_, _, block) in enumerate(blocks):
            if index in owner:
                key = owner[index]
            elif index == 0 and (catalog.metadata or catalog.header):
                key = _HEADER
                self.content[key] = _header_content(catalog)
            else:
                return False  # a block that is no entry: do not guess
            self.order.append(key)
            self.blocks[key] = block
        return True

    def splice(self, catalog: polib.POFile, wrap_width: int = WRAP_WIDTH) -> str:
        """``catalog`` as text: unchanged entries keep their lines, changed ones are rendered.

        In the file's own line ends: a catalog a Windows editor saved with CRLF keeps them.
        """
        text = self._splice(catalog, wrap_width)
        return text if self.newline == "\n" else text.replace("\n", self.newline)

    def _splice(self, catalog: polib.POFile, wrap_width: int) -> str:
        if not self.usable:
            return render_catalog(catalog, wrap_width)
        parts: list[str] = []
        order: list[tuple[object, ...]] = []
        if catalog.metadata or catalog.header:
            order.append(_HEADER)
            if self.content.get(_HEADER) == _header_content(catalog):
                parts.append(self.blocks[_HEADER])
            else:
                parts.append(_splice_header(self.blocks.get(_HEADER), catalog) or _render_header(catalog, wrap_width))
        changed = [e for e in catalog if self.content.get(_entry_key(e)) != _entry_content(e)]
        rendered = _render_entries(catalog, changed, wrap_width)
        for entry in catalog:
            key = _entry_key(entry)
            order.append(key)
            parts.append(rendered[key] if key in rendered else self.blocks[key])
        if order == self.order and all(self.blocks.get(k) == p for k, p in zip(order, parts, strict=True)):
            return self.text  # nothing changed: not even the blank lines or the last newline
        ending = self.text[len(self.text.rstrip()) :] or "\n"  # keep the file's own last blank lines
        return "\n\n".join(parts) + ending


def _render_entries(
    catalog: polib.POFile, entries: list[polib.POEntry], wrap_width: int
) -> dict[tuple[object, ...], str]:
    """Each entry's lines in the project's layout; one msgcat run for all of them when wrapping."""
    if not entries:
        return {}
    if not wrap_width:
        return {_entry_key(e): render_entry(e).rstrip("\n") for e in entries}
    batch = polib.POFile(wrapwidth=0)
    batch.metadata = dict(catalog.metadata)  # msgcat needs the charset
    batch.extend(entries)
    text = render_catalog(batch, wrap_width)
    model = polib.pofile(text)
    blocks = _blocks(text)
    found: dict[tuple[object, ...], str] = {}
    for entry in model:
        found[_entry_key(entry)] = next(b for first, last, b in blocks if first <= entry.linenum <= last)
    return found


_NEEDS_ESCAPE = re.compile(r'[\\\t\r\n\v\b\f"]')  # what polib.escape replaces


def _field_lines(name: str, flag: str, index: str, value: str) -> list[str]:
    lines = value.splitlines(True)
    lines = ["", *lines] if len(lines) > 1 else [value]
    escape = polib.escape
    rendered = []
    for number, line in enumerate(lines):
        text = escape(line) if _NEEDS_ESCAPE.search(line) else line
        rendered.append(f'{flag}{name}{index} "{text}"' if number == 0 else f'{flag}"{text}"')
    return rendered


def render_entry(entry: polib.POEntry) -> str:
    """``entry.__unicode__(0)``, polib's unwrapped text of an entry, the same to the byte and several times faster.

    polib counts and escapes eight special characters in every string twice,
    for wrapping that an unwrapped layout never does.
    """
    lines: list[str] = []
    if entry.tcomment:
        lines += ["# " + comment for comment in entry.tcomment.split("\n")]
    if entry.comment and not entry.obsolete:
        lines += ["#. " + comment for comment in entry.comment.split("\n")]
    if entry.occurrences and not entry.obsolete:
        lines.append("#: " + " ".join(f"{file}:{line}" if line else file for file, line in entry.occurrences))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    previous = "#~| " if entry.obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):  # fmt: skip
        if value is not None:
            lines += _field_lines(name, previous, "", value)
    flag = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += _field_lines("msgctxt", flag, "", entry.msgctxt)
    lines += _field_lines("msgid", flag, "", entry.msgid)
    if entry.msgid_plural:
        lines += _field_lines("msgid_plural", flag, "", entry.msgid_plural)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            lines += _field_lines("msgstr", flag, f"[{index}]", entry.msgstr_plural[index])
    else:
        lines += _field_lines("msgstr", flag, "", entry.msgstr)
    lines.append("")
    return "\n".join(lines)


_FIELD_LINE = re.compile(r'^"([A-Za-z0-9-]+):(.*)\\n"$')


def _splice_header(block: str | None, catalog: polib.POFile) -> str | None:
    """The old header block with only its changed fields' lines changed, when it has one field per line.

    Returns None when the block is laid out otherwise, or its comment or fuzziness changed.
    """
    if block is None:
        return None
    lines = block.split("\n")
    try:
        start = lines.index('msgstr ""') + 1
    except ValueError:
        return None
    old = parse_text(block + "\n")
    if (old.header or "") != (catalog.header or "") or bool(old.metadata_is_fuzzy) != bool(catalog.metadata_is_fuzzy):
        return None
    fields: dict[str, int] = {}
    for index in range(start, len(lines)):
        match = _FIELD_LINE.match(lines[index])
        if not match:
            return None
        fields[match.group(1)] = index
    wanted = {k: v for k, v in catalog.metadata.items() if k not in _VOLATILE_HEADER_FIELDS}
    for key, index in list(fields.items()):
        if key in _VOLATILE_HEADER_FIELDS:
            continue
        if key not in wanted:
            lines[index] = ""
        elif _field_value(key, old.metadata.get(key, "")) != _field_value(key, wanted[key]):
            lines[index] = f'"{key}: {polib.escape(wanted[key])}\\n"'
    lines += [f'"{key}: {polib.escape(value)}\\n"' for key, value in wanted.items() if key not in fields]
    return "\n".join(line for line in lines if line)


def _render_header(catalog: polib.POFile, wrap_width: int) -> str:
    header = polib.POFile(wrapwidth=wrap_width)
    header.header = catalog.header
    header.metadata = dict(catalog.metadata)
    header.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    return render_catalog(header, wrap_width).rstrip("\n")


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
