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

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

from pubflow import __version__
from pubflow.config import ProjectConfig
from pubflow.fileio import write_atomic
from pubflow.incremental import code_digest, file_listing
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
    """What a build's HTML editions share, done once in the process they are forked from (:mod:`pubflow.sphinxrun`).

    Only what a build with changes needs: a build with nothing changed reads no page, and does none of it.
    """
    catalogs = status.status_files(project)
    catalogs_changed = changed_since_last_build(project, "status-files", catalogs)
    if catalogs_changed:
        status.precount(project, catalogs)
    if any(language.startswith("zh") for language in languages):
        # jieba's import (pkg_resources) was a fifth of a second in each Chinese edition.
        from pubflow.sphinxext import chinese_search

        sources_changed = changed_since_last_build(project, "source-files", source_files(project))
        if catalogs_changed or sources_changed:
            # And a third of a second more in each one that indexed a page.
            chinese_search.load_dictionary(project.output_dir / "cache" / "jieba-dictionary.pickle")


def source_files(project: ProjectConfig) -> str:
    """A digest of the sources' names, sizes and times: cheap, and changed by any edit."""
    return hashlib.sha256("\n".join(file_listing(project.docs_dir)).encode("utf-8")).hexdigest()


def changed_since_last_build(project: ProjectConfig, name: str, digest: str) -> bool:
    """Whether ``digest`` differs from the one this names at the last build; it is recorded for the next."""
    marker = project.output_dir / "cache" / name
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if marker.read_text(encoding="utf-8") == digest:
            return False
    marker.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(marker, digest)
    return True


def _keep_compiled_templates(app: Sphinx) -> None:
    """The theme's templates compiled once, kept for every edition and build (Jinja's bytecode cache).

    Each edition compiled them again, a tenth of a second of every edition that writes a page. Jinja
    keys what it keeps by the template's source, and writes it atomically: editions share it safely.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        folder = editions.project_config(app).output_dir / "cache" / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_theme("pubflow", str(THEME_DIR))
    app.connect("builder-inited", _keep_compiled_templates)
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
