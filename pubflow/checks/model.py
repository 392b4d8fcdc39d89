"""What a check reports, and what it is given to look at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polib

from pubflow import review
from pubflow.config import LocaleConfig
from pubflow.errors import display_path
from pubflow.glossary import Glossary

SKIP_FLAG_PREFIX = review.SKIP_FLAG_PREFIX


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int | None
    check: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = display_path(self.path) + (f":{self.line}" if self.line else "")
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {self.check}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": display_path(self.path),
            "line": self.line,
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class EntryContext:
    """One translated message and what the checks need to judge it."""

    path: Path
    entry: polib.POEntry
    locale: LocaleConfig
    source_language: str
    glossary: Glossary
    #: The catalog's review record: machine output and the skips that survive editors stripping flags.
    record: review.ReviewRecord | None = None

    @property
    def target_is_chinese(self) -> bool:
        return self.locale.name.startswith("zh")

    def skipped(self, check: str) -> bool:
        return check in review.skipped_checks(self.entry, self.record)

    def finding(self, check: str, message: str, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(self.path, self.entry.linenum, check, message, severity)


def excerpt(text: str, width: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
