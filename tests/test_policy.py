"""The publication policy's counts, kept between builds: counted again only where a catalog or record changed.

The policies themselves, through whole builds, are tested in test_editions.py.
"""

from __future__ import annotations

from pathlib import Path

import polib

from pubflow.config import load_config
from pubflow.policy import standing, standings_recorded
from pubflow.shard import article_documents
from tests.conftest import ARTICLE, as_before_review, copy_project


def counted_afresh(project: Path) -> dict[tuple[str, str], object]:
    config = load_config(project)
    articles = article_documents(config.docs_dir)
    return {(loc.name, doc): standing(config, loc, doc) for loc in config.targets for doc in articles}


def test_standings_are_read_again_only_where_a_catalog_or_its_record_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(project)
    articles = article_documents(config.docs_dir)
    kept = config.output_dir / "cache" / "standings.json"

    first = standings_recorded(config, articles)
    assert first == counted_afresh(project) and kept.is_file()
    written = kept.stat().st_mtime_ns
    assert standings_recorded(config, articles) == first
    assert kept.stat().st_mtime_ns == written, "a count with nothing changed writes nothing"

    # A translator empties a message: the article shows one message fewer, at once.
    path = project / "locale" / "en" / "LC_MESSAGES" / f"{ARTICLE}.po"
    catalog = polib.pofile(str(path))
    next(e for e in catalog if e.msgid and e.msgstr and not e.fuzzy).msgstr = ""
    catalog.save()
    after = standings_recorded(config, articles)
    assert after[("en", ARTICLE)].shown == first[("en", ARTICLE)].shown - 1
    assert after == counted_afresh(project)

    # The zh_TW edition taken back to its machine output, before review: counted again, nothing reviewed.
    as_before_review(project)
    again = standings_recorded(config, articles)
    assert again == counted_afresh(project) and again[("zh_TW", ARTICLE)].reviewed == 0

    # A damaged record of counts is no count: everything is read again.
    kept.write_text('{"schema": "pubflow-standings-1", "units": {"en/x": ', encoding="utf-8")
    assert standings_recorded(config, articles) == counted_afresh(project)
    # And a document taken away leaves the record with it.
    (project / "docs" / f"{ARTICLE}.rst").unlink()
    assert standings_recorded(config, article_documents(config.docs_dir)) == {}
    assert ARTICLE not in kept.read_text(encoding="utf-8")
