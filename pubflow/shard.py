"""Shares of the articles, so that CI jobs can typeset them in parallel: ``--shard K/N``.

An article belongs to share K of N by a digest of its document name alone, so
it lands in the same share whichever other articles exist, on any machine and
in any Python (``hash()`` is salted per process, so it is not used).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pubflow.errors import PubflowError
from pubflow.fileio import read_source_text
from pubflow.importer import ARTICLE_MARK

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Share ``index`` (1-based) of ``count``; ``Shard(1, 1)`` holds everything."""

    index: int = 1
    count: int = 1

    def holds(self, document: str) -> bool:
        if self.count == 1:
            return True
        digest = hashlib.sha256(document.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = _SHARD.match(text)
    if not match:
        raise PubflowError(f"--shard {text!r}: expected K/N, e.g. 2/4 for the second of four shares")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise PubflowError(f"--shard {text}: K must be between 1 and N, and N at least 1")
    return Shard(index, count)


def article_documents(docs_dir: Path) -> list[str]:
    """The imported articles (documents with a byline), not the front page or the status page."""
    return sorted(
        path.relative_to(docs_dir).with_suffix("").as_posix()
        for path in docs_dir.rglob("*.rst")
        if ARTICLE_MARK in read_source_text(path)
    )


def tex_stem(document: str) -> str:
    """The file stem of an article's .tex: an article in a sub-folder keeps its folder in the name."""
    return document.replace("/", "--")


def pdf_path(document: str, edition: str) -> str:
    """Where an article's PDF goes in ``_build/pdf/<edition>/``: the document's own path, and the edition.

    ``docs/2018/x.rst`` in the bilingual edition ``bilingual/zh_CN-en`` gives ``2018/x.zh_CN-en.pdf``.
    """
    return f"{document}.{edition.rsplit('/', 1)[-1]}.pdf"
