"""Sphinx's Chinese search with jieba's user dictionary loaded late: imported only by a Chinese edition."""

from __future__ import annotations

import logging

from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese


def load_dictionary() -> None:
    """jieba's own dictionary, loaded now: in a process the editions are forked from, loaded once for them all."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines would be pubflow's own output here
    jieba.initialize()


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
