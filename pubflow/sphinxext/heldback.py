"""An edition's toctrees without the articles its publication policy holds back.

``pubflow build`` leaves a held-back article out of its edition through
``exclude_patterns`` (see :mod:`.editions`). Sphinx's own ``toctree`` would
then meet an entry it cannot find, warn, and mark the page "read again at
every build" (``env.note_reread``): an edition holding one article back
would read, index and write its front page again on every build, changed or
not. This ``toctree`` drops those entries first. A change to what is held
back changes the configuration, and Sphinx reads every page again for that.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.directives.other import TocTree
from sphinx.util import docname_join
from sphinx.util.docutils import SphinxDirective

#: Sphinx's form of an entry with its own title: ``Title <docname>``.
EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<([^<]*?)>$", re.DOTALL)


def held_back_here(app: Sphinx) -> frozenset[str]:
    """The documents this edition holds back (set by :mod:`.editions` from the policy's file)."""
    return frozenset(getattr(app, "pubflow_held_back_here", ()))


def entry_docname(entry: str, current: str, suffixes: tuple[str, ...]) -> str:
    explicit = EXPLICIT_TITLE.match(entry)
    name = explicit.group(2) if explicit else entry
    for suffix in suffixes:
        name = name.removesuffix(suffix)
    return docname_join(current, name)


class PublishedTocTree(TocTree):
    def run(self) -> list:  # type: ignore[type-arg]
        held = held_back_here(self.env.app)
        if held:  # a glob pattern is left as it is: it matches only documents Sphinx found
            suffixes = tuple(self.config.source_suffix)
            for index in reversed(range(len(self.content))):
                entry = self.content[index].strip()
                if entry and entry_docname(entry, self.env.docname, suffixes) in held:
                    del self.content[index]
        return super().run()


def setup(app: Sphinx) -> None:
    directive: type[SphinxDirective] = PublishedTocTree
    app.add_directive("toctree", directive, override=True)
