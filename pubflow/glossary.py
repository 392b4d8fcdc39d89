"""The glossary: one CSV file, one row per term, one column per locale, and a note.

It is the single source of truth for terminology: the English checks read its
``en`` column, the OpenCC conversion protects and replaces terms with its
``zh_TW`` column, and Chinese search learns its terms as words.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pubflow.errors import PubflowError
from pubflow.fileio import read_text

NOTE_COLUMN = "note"
UNCLOSED_QUOTE = 'a quote (") opens a field that does not close on this line; close it or remove it'
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


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The CSV's rows with their line numbers, read strictly: one row per line, every quote closed.

    Python's csv module would let an unclosed quote swallow the following
    lines into one field; a glossary row never spans lines, so that is an error
    at the line where the quote opened.
    """
    lines = read_text(path).splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num == first_line and "unexpected end of data" not in str(exc):
                reason = f'not valid CSV: {exc}; a quoted field is written "like, this"'
                raise PubflowError(reason, path, first_line) from None
            raise PubflowError(UNCLOSED_QUOTE, path, first_line) from None
        if reader.line_num != first_line:
            raise PubflowError(UNCLOSED_QUOTE, path, first_line)
        if row and any(cell.strip() for cell in row):
            yield first_line, row


def load_glossary(path: Path, source_language: str) -> Glossary:
    if not path.exists():
        return Glossary(path, source_language, [])
    rows = read_rows(path)
    _, columns = next(rows, (1, []))
    columns = [column.strip() for column in columns]
    if source_language not in columns:
        raise PubflowError(
            f"the first line must name the columns, among them {source_language} (the source term) and {NOTE_COLUMN}",
            path,
            1,
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1 or not c})
    if repeated:
        raise PubflowError(f"the header names a column twice or leaves one unnamed: {', '.join(repeated)!r}", path, 1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) != len(columns):
            raise PubflowError(
                f"{len(cells)} field(s), but the header names {len(columns)} ({', '.join(columns)}); "
                "quote a field that has a comma",
                path,
                line,
            )
        row = dict(zip(columns, cells, strict=True))
        source = row[source_language].strip()
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
