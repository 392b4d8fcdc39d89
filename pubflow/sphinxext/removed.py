"""A document removed from ``docs/`` takes its page out of every edition.

Sphinx forgets a deleted document but leaves its page in the output folder,
which pubflow publishes as it is: an article taken down would stay online,
unlisted but found by any old link. Sphinx also leaves the document's doctree
behind, and that is how a removed document is known here, even when Sphinx
started afresh (a new pubflow version, ``-E``): a doctree with no document.
Only such pages go; a page the build writes itself (search, an extra file)
has no doctree.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder


def _remove_pages_of_removed_documents(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    doctrees = Path(app.doctreedir)
    for doctree in sorted(doctrees.rglob("*.doctree")):
        docname = doctree.relative_to(doctrees).with_suffix("").as_posix()
        if docname in app.env.all_docs:
            continue
        if docname in getattr(app.config, "redirects", {}):
            doctree.unlink()  # its page is now the redirect sphinx-reredirects wrote to its new name
            continue
        Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)
        doctree.unlink()


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _remove_pages_of_removed_documents)
