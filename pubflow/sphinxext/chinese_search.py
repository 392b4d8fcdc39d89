"""Sphinx's Chinese search with jieba's user dictionary loaded late: imported only by a Chinese edition."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese

from pubflow.fileio import write_atomic


def load_dictionary(cache: Path) -> None:
    """jieba's own dictionary, loaded now: in a process the editions are forked from, loaded once for them all.

    jieba keeps its dictionary as a marshal file, half a second to load; pubflow keeps the same table as
    a pickle in ``cache``, a third of that (jieba's ``FREQ`` and ``total``, what its ``initialize`` sets).
    A cache from another jieba or dictionary is not used, and a damaged one is made again.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines would be pubflow's own output here
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    dictionary = Path(tokenizer.dictionary or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME))
    stat = dictionary.stat()
    identity = (jieba.__version__, str(dictionary), stat.st_size, stat.st_mtime_ns)
    try:
        with cache.open("rb") as kept:
            found, (freq, total) = pickle.load(kept)
        if found != identity or not isinstance(freq, dict) or not isinstance(total, int):
            raise ValueError("another dictionary")
    except Exception:  # missing, damaged or stale: jieba loads its own, and it is kept for next time
        jieba.initialize()
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, pickle.dumps((identity, (tokenizer.FREQ, tokenizer.total)), protocol=5))
        return
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True


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
