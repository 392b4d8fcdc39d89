"""Chinese search that finds the article's own names.

Sphinx segments Chinese with jieba, which splits proper nouns it does not know
(湄公河 in running text, for one) into single characters that the index then
drops. The glossary's Chinese terms become a jieba user dictionary, which
Sphinx loads through ``html_search_options['dict']``.

jieba loads its dictionaries (most of a second) only when the first page is
indexed, not whenever the search index is prepared: a rebuild with no change
indexes no page and so never loads them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese

from pubflow.fileio import write_atomic
from pubflow.glossary import load_glossary
from pubflow.sphinxext.editions import project_config

#: High enough that jieba always keeps a glossary term whole.
TERM_FREQUENCY = 200000


def user_dictionary(words: set[str]) -> str:
    return "".join(f"{word} {TERM_FREQUENCY} nz\n" for word in sorted(words))


def _on_config_inited(app: Sphinx, config: Config) -> None:
    language = (config.html_search_language or config.language or "")[:2]
    if language != "zh" or "dict" in config.html_search_options:
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


class LazyChinese(SearchChinese):
    """Sphinx's Chinese search, with jieba's user dictionary loaded on the first page to index."""

    def init(self, options: dict[str, str]) -> None:
        self._pending_dictionary: str | None = options.get("dict", JIEBA_DEFAULT_DICT)
        super().init({**options, "dict": ""})

    def split(self, input: str) -> list[str]:
        if self._pending_dictionary:
            super().init({"dict": self._pending_dictionary})
            self._pending_dictionary = None
        return super().split(input)


def setup(app: Sphinx) -> None:
    app.add_search_language(LazyChinese)
    app.connect("config-inited", _on_config_inited, priority=600)
