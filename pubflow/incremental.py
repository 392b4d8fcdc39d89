"""Records of what a stage last did, so that a run with nothing new does nothing.

A stage that maps inputs to outputs (update: a template and a catalog to the
merged catalog; compile: a catalog to its compiled form) keeps, in the output
folder, the content digests of each unit's inputs and outputs as it left them.
A unit whose files still have exactly those digests needs no work: running
the stage again on the same bytes would give the same bytes. Anything else
(a digest that differs, a file missing, an entry missing, a record missing or
damaged, a record from other rules or another pubflow) means the work is
done as if there were no record, so a record can cost time but never a
result. The record is written after the work, atomically: a run killed before
that leaves the previous record, whose entries no longer match what changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from pubflow.fileio import refuse_special, write_atomic

PACKAGE_DIR = Path(__file__).resolve().parent


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when there is no such file."""
    try:
        refuse_special(path)
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def file_listing(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[str]:
    """Each file under ``folder`` (of those ``suffixes``) as its relative path, time and size, in order.

    Not a record's digest (those are of contents): a cheap look that any edit or save changes, for
    deciding whether some work is worth doing ahead, never what a result is.
    """
    lines = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if (suffixes is None or path.suffix in suffixes) and path.is_file():
            stat = path.stat()
            lines.append(f"{path.relative_to(folder)}\t{stat.st_mtime_ns}\t{stat.st_size}")
    return lines


@functools.cache
def code_digest() -> str:
    """A digest of pubflow's own code: a record made by another pubflow is not trusted."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class WorkRecord:
    """``{unit: {name: digest}}`` as a stage last left each unit, under a set of rules."""

    def __init__(self, path: Path, schema: str, rules: dict[str, Any]):
        self.path = path
        self.schema = schema
        self.rules = {**rules, "code": code_digest()}
        self.units: dict[str, dict[str, Any]] = {}
        self._loaded: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # missing or damaged: every unit is worked on, and the record written anew
        if (
            isinstance(data, dict)
            and data.get("schema") == schema
            and data.get("rules") == self.rules
            and isinstance(data.get("units"), dict)
        ):
            self._loaded = {k: v for k, v in data["units"].items() if isinstance(v, dict)}
            self.units = dict(self._loaded)

    def matches(self, unit: str, state: dict[str, Any]) -> bool:
        """Whether ``unit`` was left exactly in ``state`` (its files' digests now) by the last run."""
        recorded = self._loaded.get(unit)
        return recorded is not None and all(recorded.get(name) == value for name, value in state.items())

    def get(self, unit: str) -> dict[str, Any] | None:
        return self._loaded.get(unit)

    def put(self, unit: str, state: dict[str, Any]) -> None:
        self.units[unit] = state

    def save(self) -> bool:
        data = {"schema": self.schema, "rules": self.rules, "units": dict(sorted(self.units.items()))}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Compact: json's C encoder writes it (an indented record is Python's, a quarter-second at 600 catalogs).
        return write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
