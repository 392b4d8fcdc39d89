"""Review state: which messages are machine output and which a person wrote or approved.

Translators' tools strip what they do not know: GNU gettext (``msgcat``,
``msgmerge``) and Poedit keep only the ``fuzzy``, ``*-format`` and wrap flags,
and an XLIFF round trip keeps no flag at all. So the state does not live in a
flag. It lives in a committed *review record* beside each catalog,
``locale/<lang>/LC_MESSAGES/<doc>.review.json``, which no editor opens, plus a
visible translator comment (``# pubflow: machine output …``) that every tool
keeps, so that a translator sees what is not yet reviewed.

The record holds, per message (msgctxt, msgid): where its machine output came
from (``opencc``, ``memory``, ``mt`` …), the signature of the engine and rules
that made it, the SHA-256 of the exact msgstr pubflow wrote, and the
``pubflow-skip-*`` checks silenced for it.

The rule: a message whose msgstr is the one recorded as machine output, and
which still carries the note, is machine output (a later stage may replace
it); any other translated message is a person's, and no stage ever rewrites
it, whatever changed since (glossary, engine, rules). A reviewer makes machine
output theirs by editing it, or approves it unchanged by deleting the note.
Every tool tried keeps ``# `` comments; one that dropped them would only turn
machine output into a person's, which loses nothing. A catalog without a
record cannot be told apart: every message counts as a person's, and the
stages say so.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib

from pubflow.errors import PubflowError
from pubflow.fileio import Write, refuse_special, write_atomic, write_atomic_many

SCHEMA = "pubflow-review/1"
RECORD_SUFFIX = ".review.json"
SKIP_FLAG_PREFIX = "pubflow-skip-"
#: The translator comment on machine output; every tool keeps ``# `` comments.
NOTE_PREFIX = "pubflow: machine output"
#: The flag pubflow wrote before the record existed; read once, to migrate.
LEGACY_MACHINE_FLAG = "machine-converted"
#: The origins the memory stage records; a fuzzy one stays machine output only while the message is fuzzy.
MEMORY_EXACT_ORIGIN = "memory"
MEMORY_FUZZY_ORIGIN = "memory, fuzzy"
#: The translator comment line naming a memory proposal's similarity and document; a person's text has none.
MEMORY_COMMENT_PREFIX = "pubflow memory:"

Key = tuple[str | None, str]


class State(StrEnum):
    UNTRANSLATED = "untranslated"
    MACHINE = "machine"  # exactly the text pubflow recorded as machine output
    PERSON = "person"  # a person wrote or changed it: never overwritten
    UNKNOWN = "unknown"  # no record for the catalog: treated as a person's


@dataclass(frozen=True)
class MachineOutput:
    origin: str  # "opencc", "memory", "mt", …
    signature: str  # engine, version and rules that produced it
    digest: str  # SHA-256 of the msgstr as written


@dataclass
class MessageRecord:
    machine: MachineOutput | None = None
    skip: set[str] = field(default_factory=set)
    #: The machine output the catalog held before a stage replaced it, while the stage writes the catalog: a run
    #: killed between the record and the catalog leaves a catalog that either still holds this or holds ``machine``.
    earlier: MachineOutput | None = None

    def empty(self) -> bool:
        return self.machine is None and self.earlier is None and not self.skip

    def outputs(self) -> list[MachineOutput]:
        return [m for m in (self.machine, self.earlier) if m is not None]


@dataclass
class ReviewRecord:
    """The review state of one catalog, as read from (and written to) its ``.review.json``."""

    path: Path
    existed: bool
    messages: dict[Key, MessageRecord] = field(default_factory=dict)
    #: The file's bytes as read (None: there was none), so that a change made meanwhile is never written over.
    loaded: bytes | None = None
    #: Per message, the machine output the file on disk records (what its catalog on disk may still hold).
    on_disk: dict[Key, MachineOutput] = field(default_factory=dict)

    def get(self, entry: polib.POEntry) -> MessageRecord | None:
        return self.messages.get(key_of(entry))

    @property
    def in_transition(self) -> bool:
        """A run was killed between its writes (:func:`record_writes`): an earlier machine output is left to settle."""
        return any(message.earlier is not None for message in self.messages.values())

    def setdefault(self, key: Key) -> MessageRecord:
        return self.messages.setdefault(key, MessageRecord())


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def record_path(catalog_path: Path) -> Path:
    return catalog_path.with_name(catalog_path.stem + RECORD_SUFFIX)


def text_of(entry: polib.POEntry) -> str:
    """The translation as one string (plural forms joined in order)."""
    if entry.msgid_plural:
        return "\x00".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reading and writing the record ----------------------------------------------------------


def load_record(catalog_path: Path) -> ReviewRecord:
    """The record beside ``catalog_path``; an empty one (``existed=False``) when there is none."""
    path = record_path(catalog_path)
    if not path.is_file():
        refuse_special(path)  # a device or a pipe is never read (/dev/zero never ends)
        return ReviewRecord(path, existed=False)
    raw = path.read_bytes()
    record = ReviewRecord(path, existed=True, loaded=raw)
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise PubflowError("review record is not UTF-8; restore it from git", path) from None
    except json.JSONDecodeError as exc:
        raise PubflowError(
            f"review record is not valid JSON ({exc.msg}); restore it from git", path, exc.lineno
        ) from None
    except (ValueError, RecursionError):
        # No position from json for these: an integer past Python's 4,300-digit cap, or a nesting too deep.
        raise PubflowError(
            "review record is not one pubflow wrote (a huge number or deep nesting); restore it from git", path
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("messages"), list):
        raise PubflowError(f"not a review record (expected schema {SCHEMA!r}); restore it from git", path)
    for item in data["messages"]:
        try:
            key: Key = (item.get("msgctxt"), item["msgid"])
            skip = item.get("skip", [])
            if not isinstance(skip, list) or not all(isinstance(name, str) for name in skip):
                raise TypeError("skip is a list of check names")
            if not isinstance(key[1], str) or not isinstance(key[0], str | None):
                raise TypeError("msgid and msgctxt are strings")
            message = MessageRecord(
                machine=_machine_field(item.get("machine")), skip=set(skip), earlier=_machine_field(item.get(EARLIER))
            )
            record.messages[key] = message
            if message.machine is not None:
                record.on_disk[key] = message.machine
        except (KeyError, TypeError, AttributeError):
            raise PubflowError(
                f"malformed message in the review record: {str(item)[:60]}; restore it from git",
                path,
                _line_of(text, item),
            ) from None
    return record


#: A message's machine output before the stage that is writing its catalog replaced it (see MessageRecord.earlier).
EARLIER = "earlier-machine"


def _machine_field(machine: object) -> MachineOutput | None:
    if not machine:
        return None
    if not isinstance(machine, dict) or not all(
        isinstance(machine[name], str) for name in ("origin", "signature", "msgstr-sha256")
    ):
        raise TypeError("origin, signature and msgstr-sha256 are strings")
    return MachineOutput(machine["origin"], machine["signature"], machine["msgstr-sha256"])


def _line_of(text: str, item: object) -> int | None:
    """The line of a message's msgid in the record's text, for an error that points at it."""
    msgid = item.get("msgid") if isinstance(item, dict) else None
    at = text.find(f'"msgid": {json.dumps(msgid, ensure_ascii=False)}') if isinstance(msgid, str) else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def render_record(record: ReviewRecord) -> str:
    """Sorted by msgctxt and msgid, one field per line: a change is a small diff."""
    messages = []
    for (msgctxt, msgid), message in sorted(record.messages.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        if message.empty():
            continue
        item: dict[str, object] = {"msgid": msgid}
        if msgctxt is not None:
            item["msgctxt"] = msgctxt
        for name, output in (("machine", message.machine), (EARLIER, message.earlier)):
            if output is not None:
                item[name] = {"origin": output.origin, "signature": output.signature, "msgstr-sha256": output.digest}
        if message.skip:
            item["skip"] = sorted(message.skip)
        messages.append(item)
    return _indented({"schema": SCHEMA, "messages": messages}) + "\n"


_encode_string = json.encoder.encode_basestring  # json's own C function, as json.dumps uses with ensure_ascii=False


def _indented(value: object, depth: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)``, byte for byte, for strings, lists and dicts.

    json.dumps runs its Python encoder whenever it indents, which made
    writing the records a third of convert's time; strings go through json's
    C function here, and only the nesting is done in Python.
    """
    if isinstance(value, str):
        return _encode_string(value)
    kind = type(value)
    if kind is not dict and kind is not list:
        return json.dumps(value)
    if not value:
        return "{}" if kind is dict else "[]"
    inner = ",\n" + " " * (depth + 1)
    deeper = depth + 1
    if kind is dict:
        assert isinstance(value, dict)
        items = [
            f"{_encode_string(key)}: {_encode_string(item) if type(item) is str else _indented(item, deeper)}"
            for key, item in value.items()
        ]
        opening, closing = "{", "}"
    else:
        assert isinstance(value, list)
        items = [_encode_string(item) if type(item) is str else _indented(item, deeper) for item in value]
        opening, closing = "[", "]"
    return opening + inner[1:] + inner.join(items) + "\n" + " " * depth + closing


def save_record(record: ReviewRecord, catalog: polib.POFile | None = None) -> bool:
    """Write the record atomically; False when its file already says exactly this.

    With the catalog it describes, what a killed run left in transition is settled first (:func:`settle`).
    A record changed on disk since it was read is not written over (:class:`pubflow.fileio.ChangedMeanwhile`).
    """
    if catalog is not None:
        settle(record, catalog)
    text = render_record(record)
    written = write_atomic(record.path, text, read_as=record.loaded)
    _now_on_disk(record, text)
    return written


def _now_on_disk(record: ReviewRecord, text: str) -> None:
    record.existed = True
    record.loaded = text.encode("utf-8")
    record.on_disk = {key: m.machine for key, m in record.messages.items() if m.machine is not None}


def settle(record: ReviewRecord, catalog: polib.POFile) -> None:
    """Keep, of a message's machine output and its ``earlier`` one, the one its text is; drop the other."""
    for entry in catalog:
        message = record.get(entry)
        if message is None or message.earlier is None:
            continue
        if message.earlier.digest == digest(text_of(entry)) and (
            message.machine is None or message.machine.digest != message.earlier.digest
        ):
            message.machine = message.earlier
        message.earlier = None


def record_writes(record: ReviewRecord, catalog: polib.POFile) -> tuple[str | None, str]:
    """The record's text while the catalog is being written (None: no need), and its text afterwards.

    Written in this order: the record in transition, the catalog, the record. A message whose recorded
    machine output changes or goes keeps the one on disk as well until the catalog is written, so a run
    killed at any point leaves a record that tells the machine output in either catalog: a proposal
    replaced by another, or taken back, is never taken for a person's text.
    """
    settle(record, catalog)
    final = render_record(record)
    transition = {
        key: old for key, old in record.on_disk.items() if (m := record.messages.get(key)) is None or m.machine != old
    }
    if not transition:
        return None, final
    kept = dict(record.messages)
    try:
        for key, old in transition.items():
            message = kept.get(key)
            machine = message.machine if message is not None else None
            skip = set(message.skip) if message is not None else set()
            record.messages[key] = MessageRecord(machine or old, skip, earlier=old if machine else None)
        middle = render_record(record)
    finally:
        record.messages = kept
    return middle, final


def writes_with_catalog(
    record: ReviewRecord, catalog: polib.POFile, catalog_path: Path, catalog_text: str, catalog_read_as: bytes | None
) -> list[Write]:
    """What to write, in this order, for a catalog and its review record (for :func:`write_atomic_many`).

    A run killed between any two of the writes leaves a true state (:func:`record_writes`), and neither
    file is written over a change made to it on disk since it was read.
    """
    middle, final = record_writes(record, catalog)
    writes: list[Write] = []
    if middle is not None:
        writes.append((record.path, middle, record.loaded))
    writes.append((catalog_path, catalog_text, catalog_read_as))
    writes.append((record.path, final, None if middle is not None else record.loaded))
    return writes


def save_with_catalog(
    record: ReviewRecord, catalog: polib.POFile, catalog_path: Path, catalog_text: str, catalog_read_as: bytes | None
) -> bool:
    """Write a catalog and its review record (:func:`writes_with_catalog`); whether the catalog was written."""
    writes = writes_with_catalog(record, catalog, catalog_path, catalog_text, catalog_read_as)
    written = write_atomic_many(writes)
    _now_on_disk(record, str(writes[-1][1]))
    return written[-2]


# -- the state of a message ------------------------------------------------------------------


def recorded_output(entry: polib.POEntry, record: ReviewRecord) -> MachineOutput | None:
    """The machine output the record holds for this message whose text the message still is, note or not."""
    message = record.get(entry)
    if message is None or (message.machine is None and message.earlier is None):
        return None
    text_digest = digest(text_of(entry))
    return next((m for m in message.outputs() if m.digest == text_digest), None)


def state_of(entry: polib.POEntry, record: ReviewRecord) -> State:
    text = text_of(entry)
    if not text.strip("\x00"):
        return State.UNTRANSLATED
    if has_note(entry) and recorded_output(entry, record) is not None:
        return State.MACHINE
    return State.PERSON if record.existed else State.UNKNOWN


def machine_output(entry: polib.POEntry, record: ReviewRecord) -> MachineOutput | None:
    """What the record says produced this message, when it is still that machine output."""
    if not text_of(entry).strip("\x00") or not has_note(entry):
        return None
    return recorded_output(entry, record)


def origin_of(entry: polib.POEntry, record: ReviewRecord) -> str | None:
    """The origin of the machine output this message still is (``opencc``, ``memory``…), or None."""
    produced = machine_output(entry, record)
    return produced.origin if produced else None


def note(origin: str) -> str:
    # Short enough that no tool wraps it (Babel wraps comments at 76 columns).
    return f"{NOTE_PREFIX} ({origin}), not yet reviewed"


def _set_note(entry: polib.POEntry, text: str | None) -> None:
    lines = [ln for ln in (entry.tcomment or "").split("\n") if ln and not ln.startswith(NOTE_PREFIX)]
    if text:
        lines.insert(0, text)
    entry.tcomment = "\n".join(lines)


def mark_machine(entry: polib.POEntry, record: ReviewRecord, text: str, origin: str, signature: str) -> None:
    """Write machine output into ``entry`` and record it as such.

    The message stops being fuzzy (it is the output for the current msgid), and
    gets the visible note. Only call it for a message whose state is not PERSON.
    """
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    if LEGACY_MACHINE_FLAG in entry.flags:
        entry.flags.remove(LEGACY_MACHINE_FLAG)
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None
    _set_note(entry, note(origin))
    record.setdefault(key_of(entry)).machine = MachineOutput(origin, signature, digest(text_of(entry)))


def mark_person(entry: polib.POEntry, record: ReviewRecord) -> None:
    """The message is a person's from now on: the machine record, the note and the memory's comment go, skips stay."""
    message = record.get(entry)
    if message:
        message.machine = None
        message.earlier = None
    if LEGACY_MACHINE_FLAG in entry.flags:
        entry.flags.remove(LEGACY_MACHINE_FLAG)
    _set_note(entry, None)
    lines = [ln for ln in (entry.tcomment or "").split("\n") if ln and not ln.startswith(MEMORY_COMMENT_PREFIX)]
    entry.tcomment = "\n".join(lines)


def has_note(entry: polib.POEntry) -> bool:
    return any(ln.startswith(NOTE_PREFIX) for ln in (entry.tcomment or "").split("\n"))


# -- skip flags ------------------------------------------------------------------------------


def flag_skips(entry: polib.POEntry) -> set[str]:
    return {f[len(SKIP_FLAG_PREFIX) :] for f in entry.flags if f.startswith(SKIP_FLAG_PREFIX)}


def skipped_checks(entry: polib.POEntry, record: ReviewRecord | None) -> frozenset[str]:
    """The checks silenced for this message: its ``pubflow-skip-*`` flags and those recorded for it.

    A tool that strips the flags does not lift a skip; deleting it from the
    record (and the flag) does.
    """
    message = record.get(entry) if record else None
    return frozenset(flag_skips(entry) | (message.skip if message else set()))


def record_skips(entry: polib.POEntry, record: ReviewRecord) -> bool:
    """Copy the message's skip flags into the record; whether the record changed."""
    skips = flag_skips(entry)
    message = record.get(entry)
    if not skips or (message and skips <= message.skip):
        return False
    record.setdefault(key_of(entry)).skip |= skips
    return True


# -- keeping the record in step with the catalog ---------------------------------------------


def follow_catalog(record: ReviewRecord, catalog: polib.POFile) -> None:
    """After a merge: carry records to messages whose msgid changed, take in skip flags, drop the rest.

    A message msgmerge matched to a previous msgid (``#| msgid``) inherits that
    msgid's record: its msgstr is unchanged, so machine output stays machine
    output and a person's text stays a person's. Without a previous msgid, a
    message whose text is exactly the machine output recorded for a vanished
    message inherits that record. Records of messages gone from
    the catalog (obsolete ones stay in it) are dropped.
    """
    old = dict(record.messages)
    current: dict[Key, MessageRecord] = {}
    keys = {key_of(entry) for entry in catalog}
    # Machine output whose message is gone under its old key, by the digest of what the machine wrote: a
    # merge that kept the msgstr but dropped the previous msgid (sphinx-intl's, Babel's) still carries it.
    gone = {out.digest: m for k, m in old.items() if k not in keys for out in m.outputs()}
    for entry in catalog:
        key = key_of(entry)
        found = old.get(key)
        if found is None and entry.previous_msgid is not None:
            found = old.get((entry.previous_msgctxt, entry.previous_msgid))
        if found is None and gone and text_of(entry).strip("\x00"):
            found = gone.get(digest(text_of(entry)))
        if found is not None and not found.empty():
            current[key] = MessageRecord(found.machine, set(found.skip), found.earlier)
    record.messages = current
    for entry in catalog:
        record_skips(entry, record)
