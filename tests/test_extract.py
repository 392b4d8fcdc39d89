"""Extract runs Sphinx only for the documents that changed, and for every document when it cannot tell."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pubflow.config import load_config
from pubflow.extract import extract_templates, templates_out_of_date
from tests.conftest import ARTICLE, run_pubflow


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.glob("*.pot"))}


@pytest.mark.slow
def test_only_changed_documents_are_extracted_and_nothing_when_none_changed(project: Path) -> None:
    config = load_config(project)
    assert extract_templates(config).extracted is None  # no stamp yet: every document
    before = mtimes(config.pot_dir)
    second = extract_templates(config)
    assert second.extracted == [] and second.changed == []  # Sphinx did not run
    assert mtimes(config.pot_dir) == before and templates_out_of_date(config) is None

    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8").replace("以合作促安全，", "以合作促进安全，"), encoding="utf-8")
    third = extract_templates(config)
    assert third.extracted == [f"docs/{ARTICLE}.rst"]
    assert [p.name for p in third.changed] == [f"{ARTICLE}.pot"]
    assert polib.pofile(str(config.pot_dir / f"{ARTICLE}.pot")).find("以合作促进安全，以安全促发展。")
    assert {k: v for k, v in mtimes(config.pot_dir).items() if k != f"{ARTICLE}.pot"} == {
        k: v for k, v in before.items() if k != f"{ARTICLE}.pot"
    }
    assert templates_out_of_date(config) is None

    (project / "conf.py").write_text((project / "conf.py").read_text(encoding="utf-8") + "\n# edited\n")
    assert extract_templates(config).extracted is None  # conf.py changed: every document


@pytest.mark.slow
def test_an_included_file_or_a_changed_non_document_extracts_every_document(project: Path) -> None:
    conf = project / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nexclude_patterns = ["snippet.rst", "notes.rst"]\n')
    (project / "docs" / "snippet.rst").write_text("包含的一段话。\n", encoding="utf-8")
    (project / "docs" / "notes.rst").write_text("不是文档。\n", encoding="utf-8")
    doc = project / "docs" / f"{ARTICLE}.rst"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n.. include:: snippet.rst\n", encoding="utf-8")
    config = load_config(project)
    extract_templates(config)
    template = config.pot_dir / f"{ARTICLE}.pot"
    assert polib.pofile(str(template)).find("包含的一段话。")

    (project / "docs" / "snippet.rst").write_text("改过的一段话。\n", encoding="utf-8")
    assert extract_templates(config).extracted is None  # the sources use include: Sphinx knows who shows it
    assert polib.pofile(str(template)).find("改过的一段话。")

    doc.write_text(doc.read_text(encoding="utf-8").replace(".. include:: snippet.rst\n", ""), encoding="utf-8")
    extract_templates(config)
    (project / "docs" / "notes.rst").write_text("还不是文档。\n", encoding="utf-8")
    result = extract_templates(config)  # tried alone, it gave no template: every document instead
    assert result.extracted is None and not (config.pot_dir / "notes.pot").exists()
    assert templates_out_of_date(config) is None


@pytest.mark.slow
def test_broken_markup_in_a_changed_document_fails_extract_every_time(project: Path) -> None:
    """The incremental run failed and the full run it fell back to read nothing again: extract passed in silence."""
    run_pubflow("extract", cwd=project, check=True)
    document = project / "docs" / f"{ARTICLE}.rst"
    document.write_text(document.read_text(encoding="utf-8") + "\n.. unknowndirective:: x\n", encoding="utf-8")
    line = len(document.read_text(encoding="utf-8").splitlines())
    for _attempt in range(2):
        result = run_pubflow("-q", "extract", cwd=project)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.strip() == (
            f'pubflow: error: docs/{ARTICLE}.rst:{line}: Unknown directive type "unknowndirective".'
        ), result.stderr
