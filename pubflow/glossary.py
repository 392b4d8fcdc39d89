"""The glossary: one CSV file, one row per term, one column per locale, and a note.

It is the single source of truth for terminology: the English checks read its
``en`` column, the OpenCC conversion protects and replaces terms with its
``zh_TW`` column, and Chinese search learns its terms as words.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pubflow.errors import PubflowError
from pubflow.fileio import read_text

NOTE_COLUMN = "note"
#: Renderings a translation must never use: ``locale:form`` items split by ``|``
#: (``zh_TW:釋出|en:Ministry of Public Safety``).
FORBIDDEN_COLUMN = "forbidden"


@dataclass(frozen=True)
class Term:
    source: str
    forms: dict[str, str]  # locale → the term in that locale; several English forms split by |
    note: str
    line: int
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)  # locale → banned renderings

    def form(self, locale: str) -> str:
        return self.forms.get(locale, "")

    def alternatives(self, locale: str) -> list[str]:
        return [alt.strip() for alt in self.form(locale).split("|") if alt.strip()]


@dataclass(frozen=True)
class Glossary:
    path: Path
    source_language: str
    terms: list[Term]

    def chinese_words(self) -> set[str]:
        """Every Chinese form of every term, for word segmentation."""
        words: set[str] = set()
        for term in self.terms:
            words.add(term.source)
            for locale, form in term.forms.items():
                if locale.startswith("zh") and form:
                    words.update(term.alternatives(locale))
        return {w for w in words if w and " " not in w}


def load_glossary(path: Path, source_language: str) -> Glossary:
    if not path.exists():
        return Glossary(path, source_language, [])
    reader = csv.DictReader(io.StringIO(read_text(path)))
    columns = reader.fieldnames or []
    if source_language not in columns:
        raise PubflowError(
            f"the first line must name the columns, among them {source_language} (the source term) and {NOTE_COLUMN}",
            path,
            1,
        )
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise PubflowError("more fields than the header names; quote a field that has a comma", path, line)
        source = (row.get(source_language) or "").strip()
        if not source:
            raise PubflowError(f"empty {source_language} term", path, line)
        if source in seen:
            raise PubflowError(f"{source} is already defined on line {seen[source]}", path, line)
        seen[source] = line
        forms = {
            column: (row.get(column) or "").strip()
            for column in columns
            if column not in (source_language, NOTE_COLUMN, FORBIDDEN_COLUMN)
        }
        term = Term(source, forms, (row.get(NOTE_COLUMN) or "").strip(), line)
        forbidden = parse_forbidden(row.get(FORBIDDEN_COLUMN) or "", term, path, line)
        terms.append(Term(source, forms, term.note, line, forbidden))
    # Longest first, so that 湄公河流域 wins over 湄公河 wherever both match.
    terms.sort(key=lambda t: -len(t.source))
    return Glossary(path, source_language, terms)


def parse_forbidden(field_text: str, term: Term, path: Path, line: int) -> dict[str, tuple[str, ...]]:
    """``zh_TW:釋出|en:Ministry of Public Safety`` → {"zh_TW": ("釋出",), "en": (...)}, checked against the row."""
    forbidden: dict[str, list[str]] = {}
    for item in (part.strip() for part in field_text.split("|")):
        if not item:
            continue
        locale, sep, form = (piece.strip() for piece in item.partition(":"))
        if not sep or not locale or not form:
            raise PubflowError(
                f"{FORBIDDEN_COLUMN}: {item!r} must be locale:form, as in zh_TW:釋出 or en:Ministry of Public Safety",
                path,
                line,
            )
        if locale not in term.forms:
            known = ", ".join(term.forms) or "none"
            raise PubflowError(
                f"{FORBIDDEN_COLUMN}: {item!r} names {locale!r}, which is not a column (locale columns: {known})",
                path,
                line,
            )
        if form.casefold() in (alt.casefold() for alt in term.alternatives(locale)):
            raise PubflowError(f"{FORBIDDEN_COLUMN}: {form!r} is also the accepted {locale} form", path, line)
        forbidden.setdefault(locale, []).append(form)
    return {locale: tuple(forms) for locale, forms in forbidden.items()}
