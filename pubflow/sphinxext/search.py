"""Chinese search that finds the article's own names.

Sphinx segments Chinese with jieba, which splits proper nouns it does not know
(湄公河 in running text, for one) into single characters that the index then
drops. The glossary's Chinese terms become a jieba user dictionary, which
Sphinx loads through ``html_search_options['dict']``.

jieba loads its dictionaries (most of a second) only when the first page is
indexed, not whenever the search index is prepared: a rebuild with no change
indexes no page and so never loads them.

Sphinx's search page shows each result's title with ``innerHTML``, and keeps
section titles in ``searchindex.js`` as their plain text (Sphinx 8.2): a
heading ``Title <img src=x onerror=…>`` ran its script in a reader's browser
when a search found it. Once Sphinx has written the index,
:func:`inert_search_index` rewrites every text the page renders as HTML
(document and section titles, object labels) as escaped plain text, so the
page shows it literally whatever it holds. The rewriting is idempotent, as it
must be: the next incremental build loads the index again and keeps it.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search import js_index

from pubflow.fileio import write_atomic
from pubflow.glossary import load_glossary
from pubflow.sphinxext.editions import project_config

#: High enough that jieba always keeps a glossary term whole.
TERM_FREQUENCY = 200000


def user_dictionary(words: set[str]) -> str:
    return "".join(f"{word} {TERM_FREQUENCY} nz\n" for word in sorted(words))


def _on_config_inited(app: Sphinx, config: Config) -> None:
    language = (config.html_search_language or config.language or "")[:2]
    if language != "zh":
        return
    # Imported only for a Chinese edition: jieba (and the pkg_resources it loads) cost every other
    # edition's build a second or so of start-up.
    from pubflow.sphinxext.chinese_search import LazyChinese

    app.add_search_language(LazyChinese)
    if "dict" in config.html_search_options:
        return
    project = project_config(app)
    glossary = load_glossary(project.glossary_path, project.source_language)
    # jieba's own dictionary plus ours; jieba loads the user dictionary on top of its default.
    content = user_dictionary(glossary.chinese_words())
    # The content's hash is in the name, so that a changed glossary changes the config
    # value and Sphinx re-indexes every page instead of keeping stale search terms.
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
    path = Path(app.doctreedir) / f"pubflow-jieba-{digest}.txt"
    write_atomic(path, content)
    config.html_search_options = {**config.html_search_options, "dict": str(path)}


def inert_text(markup: str) -> str:
    """``markup`` (HTML, or text that may look like it) as escaped text with no tag: inert under innerHTML.

    Tags are dropped and entities read (``A <em>B</em> &amp; C`` is the text ``A B & C``), then
    ``<``, ``>`` and ``&`` escaped. Applied twice it gives the same as once.
    """
    return html.escape(Markup(markup).striptags(), quote=False)


def inert_index(index: dict[str, Any]) -> dict[str, Any]:
    """A frozen search index whose every HTML-rendered text is inert (see the module's doc)."""
    cleaned = dict(index)
    if isinstance(index.get("titles"), list):
        cleaned["titles"] = [inert_text(t) if isinstance(t, str) else t for t in index["titles"]]
    if isinstance(index.get("alltitles"), dict):
        # Section titles are plain text (node.astext()): escape, do not strip, so they show literally.
        cleaned["alltitles"] = {}
        for title, places in index["alltitles"].items():
            cleaned["alltitles"].setdefault(html.escape(html.unescape(title), quote=False), []).extend(places)
    if isinstance(index.get("objnames"), dict):
        cleaned["objnames"] = {
            key: [inert_text(part) if isinstance(part, str) else part for part in value]
            if isinstance(value, list)
            else value
            for key, value in index["objnames"].items()
        }
    return cleaned


def inert_search_index(app: Sphinx, exception: BaseException | None) -> None:
    """Rewrite the ``searchindex.js`` Sphinx just wrote with :func:`inert_index` (when it wrote one)."""
    path = Path(app.outdir) / getattr(app.builder, "searchindex_filename", "")
    if exception is not None or app.builder.format != "html" or not path.is_file():
        return
    original = path.read_text(encoding="utf-8")
    write_atomic(path, js_index.dumps(inert_index(js_index.loads(original))))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _on_config_inited, priority=600)
    app.connect("build-finished", inert_search_index)
