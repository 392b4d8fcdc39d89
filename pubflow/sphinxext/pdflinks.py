"""Links to an article's PDF from its page and its front-page entry, once the PDF exists.

The site holds the PDFs in ``pdf/<edition>/`` (mirrored from ``_build/pdf/`` by
:mod:`pubflow.sitefolder`), so a link is ``../pdf/en/<doc>.en.pdf`` from an
edition's page: inside the site, at a domain root or under any sub-path.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from pubflow.shard import pdf_path
from pubflow.sphinxext.editions import edition_root, project_config


def edition_name(app: Sphinx) -> str:
    """Where the edition is published under ``html/``: ``en``, or ``bilingual/zh_CN-en``."""
    pair = app.config.pubflow_bilingual
    if pair:
        first, _, second = pair.partition(":")
        return f"bilingual/{first}-{second}"
    project = project_config(app)
    return project.locale(app.config.language or project.source_language).name


def edition_pdfs(app: Sphinx) -> set[str]:
    """The edition's PDFs that exist, as paths under its PDF folder (``2018/x.en.pdf``)."""
    folder = project_config(app).output_dir / "pdf" / edition_name(app)
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")} if folder.is_dir() else set()


def pdf_url(app: Sphinx, from_page: str, docname: str) -> str | None:
    """The article's PDF as the site holds it (``pdf/<edition>/…``), relative to ``from_page``; None until built."""
    edition = edition_name(app)
    path = pdf_path(docname, edition)
    if path not in edition_pdfs(app):
        return None
    return f"{edition_root(app, from_page)}pdf/{edition}/{path}"
