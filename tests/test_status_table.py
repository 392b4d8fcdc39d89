"""The status page's tables, written as HTML by pubflow itself: the very markup Sphinx's writer makes of them.

Sphinx wrote thousands of cells a fraction of a second slower in each edition; pubflow writes the same
bytes directly (``Table.as_html``). The pages themselves are tested in test_html.py and test_editions.py.
"""

from __future__ import annotations

from pathlib import Path

from docutils.frontend import get_default_settings
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.writers.html import HTMLWriter

from pubflow.sphinxext.status import Table


def sphinx_markup(table: Table, folder: Path) -> str:
    """What Sphinx's own HTML writer makes of the table's docutils nodes."""
    (folder / "conf.py").write_text("", encoding="utf-8")
    (folder / "index.rst").write_text("Index\n=====\n", encoding="utf-8")
    app = Sphinx(folder, folder, folder / "_out", folder / "_doctrees", "html", status=None, warning=None)
    settings = get_default_settings(HTMLWriter)
    settings.env = app.env
    document = new_document("<table>", settings)
    document += table.as_nodes()
    translator = app.builder.create_translator(document, app.builder)
    document.walkabout(translator)
    return "".join(translator.body)  # type: ignore[attr-defined]


def test_the_tables_markup_is_what_sphinx_writes_with_every_cell_escaped(tmp_path: Path) -> None:
    table = Table("pubflow-held-back", ["Edition", "Document", "State & <more>"])
    table.rows += [
        (["en", 'x" onmouseover="alert(1)', "a <b>bold</b> & 'quoted' @ name"], ["pubflow-held-back-in-review"]),
        (["zh_TW", "國際執法安全合作", "待審校"], []),
        (["bilingual/zh_TW-en", "2000-01-01-article-000", "100.00"], ["pubflow-held-back-in-translation"]),
    ]
    written = table.as_html()
    assert written == sphinx_markup(table, tmp_path)
    assert "<b>" not in written and 'x" onmouseover' not in written
    assert written.count("<tr ") == 4 and written.count('<th class="head">') == 3


def test_an_empty_table_is_its_heading(tmp_path: Path) -> None:
    table = Table("pubflow-status", ["Locale", "Document"])
    assert table.as_html() == sphinx_markup(table, tmp_path)
