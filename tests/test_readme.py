"""The documents: every link between them leads somewhere, and the README starts where a newcomer starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCUMENTS = [REPO / "README.md", REPO / "ARCHITECTURE.md", *sorted((REPO / "docs-dev").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def headings(path: Path) -> list[str]:
    """The Markdown headings of ``path``, outside code blocks."""
    found, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"^#{1,6} (.+)$", line)):
            found.append(match.group(1).strip())
    return found


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_between_the_documents_leads_somewhere(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    checked = 0
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        path, _, fragment = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.exists(), f"{document.name}: {target}"
        if fragment:
            assert fragment in {anchor(h) for h in headings(linked)}, f"{document.name}: {target}"
        checked += 1
    assert checked or document.name == "ARCHITECTURE.md"


def test_the_readme_starts_where_a_newcomer_starts() -> None:
    """What pubflow is, the two commands, a new publication, the loops, publishing; then the reference."""
    sections = [h for h in headings(REPO / "README.md") if not h.startswith("pubflow")]
    top = [h for h in sections if h in {"The two commands", "A new publication", "The translator's loop",
                                       "The editor's loop", "Publishing and deploying", "Reference"}]  # fmt: skip
    assert top == ["The two commands", "A new publication", "The translator's loop", "The editor's loop",
                   "Publishing and deploying", "Reference"]  # fmt: skip
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Reference") > readme.index("## Publishing and deploying")
    # Measurements and fault tests have their own documents, linked from the README.
    assert "## Benchmarks" not in readme and "bench_kills.py" in (REPO / "docs-dev" / "faults.md").read_text("utf-8")
    assert "docs-dev/benchmarks.md" in readme and "docs-dev/faults.md" in readme
