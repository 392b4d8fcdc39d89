"""A document added, removed or moved in the toctree rewrites its neighbours' pages.

Each page links its previous and next document (``<link rel="prev">``, the
theme's arrows). Sphinx writes again only the pages it read again, so after an
article was taken down its neighbours kept linking the deleted page, and a new
article's neighbours never linked it. The relations (parent, previous, next)
of every document are taken before Sphinx reads and compared after; each
document whose relations changed is written again. It is not read again: only
its links change.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

Relations = dict[str, list[str | None]]


def _remember_relations(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    # Before the read: the environment still holds the last build's toctrees, removed documents included.
    env.pubflow_relations_before = env.collect_relations() if env.all_docs else {}  # type: ignore[attr-defined]
    return []


def _documents_with_new_neighbours(app: Sphinx, env: BuildEnvironment) -> list[str]:
    before: Relations = getattr(env, "pubflow_relations_before", {})
    if not before:
        return []  # a first build writes every page anyway
    after: Relations = env.collect_relations()
    return sorted(docname for docname, relations in after.items() if before.get(docname) != relations)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", _remember_relations)
    app.connect("env-updated", _documents_with_new_neighbours)
