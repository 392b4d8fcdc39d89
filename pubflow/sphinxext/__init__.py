"""What pubflow adds to Sphinx, loaded by conf.py as ``pubflow.sphinxext``.

- :mod:`.editions`: the language switcher and ``hreflang`` links between editions;
- :mod:`.heldback`: toctrees without the articles an edition holds back (no page read again at every build);
- :mod:`.search`: Chinese search that knows the glossary's words;
- :mod:`.labels`: pubflow's own labels, a gettext catalog in each edition's language;
- :mod:`.status`: marks on untranslated and outdated paragraphs, the translation-status table;
- :mod:`.bilingual`: the parallel edition, each unit beside its translation;
- :mod:`.dates`: the byline's date from ``:pubflow-date:``, in each language by CLDR, never a message;
- :mod:`.frontpage`: each edition's front page, its articles newest first with their translation state;
- :mod:`.feed`: an Atom feed per edition, of its completely translated articles;
- :mod:`.latex`: PDF editions: fonts per edition, a title block on page one from the translated article;
- :mod:`.notes`: editor's and translator's notes, numbered after their message or at the start;
- :mod:`.safety`: no translation reads a file, adds a script link or raw markup, whatever the catalogs hold;
- :mod:`.removed`: a document removed from docs/ takes its page out of every edition;
- :mod:`.newspage`: a news page's PDF link, description, canonical link, Open Graph and JSON-LD; redirects;
- :mod:`.neighbours`: a document added or removed rewrites its neighbours' previous and next links;
- the ``pubflow`` HTML theme, which presents a document as a published article.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from pubflow import __version__
from pubflow.config import ProjectConfig
from pubflow.incremental import code_digest
from pubflow.sphinxext import (
    bilingual,
    dates,
    editions,
    feed,
    frontpage,
    heldback,
    labels,
    latex,
    neighbours,
    newspage,
    notes,
    removed,
    safety,
    search,
    status,
)

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def code_version() -> int:
    """A number that changes whenever pubflow's code changes.

    Sphinx keeps its parsed environment between builds and rebuilds it only when
    an extension's ``env_version`` changes; deriving it from the source means an
    upgraded pubflow never serves doctrees made by the old one.
    """
    return int(code_digest()[:12], 16)


def prepare_editions(project: ProjectConfig, languages: list[str]) -> None:
    """What a build's HTML editions share, done once in the process they are forked from (:mod:`pubflow.sphinxrun`)."""
    if any(language.startswith("zh") for language in languages):
        # jieba's import (pkg_resources) was a fifth of a second in each Chinese edition; its
        # dictionaries still load in an edition only when it indexes a page (see .search).
        importlib.import_module("pubflow.sphinxext.chinese_search")
    status.precount(project)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_theme("pubflow", str(THEME_DIR))
    labels.setup(app)
    editions.setup(app)
    heldback.setup(app)
    dates.setup(app)
    search.setup(app)
    latex.setup(app)
    status.setup(app)
    bilingual.setup(app)
    notes.setup(app)
    safety.setup(app)
    frontpage.setup(app)
    feed.setup(app)
    removed.setup(app)
    neighbours.setup(app)
    newspage.setup(app)
    return {
        "version": __version__,
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
