"""What pubflow adds to Sphinx, loaded by conf.py as ``pubflow.sphinxext``.

- :mod:`.editions`: the language switcher and ``hreflang`` links between editions;
- :mod:`.search`: Chinese search that knows the glossary's words;
- :mod:`.status`: marks on untranslated and outdated paragraphs, the translation-status table;
- :mod:`.latex`: PDF editions: fonts per edition, a title page from the translated article;
- the ``pubflow`` HTML theme, which presents a document as a published article.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from pubflow import __version__
from pubflow.sphinxext import editions, latex, search, status

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_theme("pubflow", str(THEME_DIR))
    editions.setup(app)
    search.setup(app)
    latex.setup(app)
    status.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
