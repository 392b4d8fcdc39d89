"""jieba's dictionary as pubflow keeps it for the Chinese editions: the same words as jieba's own, faster.

Each run is a fresh Python process: jieba's dictionary is process-wide state.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Text of the shipped article and of the glossary's kind: names, organisations, numbers.
SENTENCES = [
    "以合作促安全，以安全促发展。",
    "全国公安机关国际执法安全合作述评（上）",
    "湄公河“10·5”惨案发生后，中老缅泰四国建立湄公河流域执法安全合作机制。",
    "2016年，共抓获外逃人员1032名，其中从40个国家和地区抓获“红色通缉令”人员19名。",
]


def segmented(cache: Path | None) -> list[list[str]]:
    """Each sentence as jieba's search segmentation, with pubflow's dictionary cache or (None) jieba's own."""
    load = f"load_dictionary(Path({str(cache)!r}))" if cache is not None else "jieba.initialize()"
    script = (
        "import json, sys, jieba\n"
        "from pathlib import Path\n"
        "from pubflow.sphinxext.chinese_search import load_dictionary\n"
        f"{load}\n"
        "print(json.dumps([jieba.lcut_for_search(s) for s in json.loads(sys.argv[1])], ensure_ascii=False))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(SENTENCES)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_kept_dictionary_splits_every_sentence_as_jiebas_own(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "jieba-dictionary.pickle"
    own = segmented(None)
    assert segmented(cache) == own and cache.is_file()  # made from jieba's own on the first run
    made = cache.stat().st_mtime_ns
    assert segmented(cache) == own and cache.stat().st_mtime_ns == made  # read, not made again

    cache.write_bytes(b"\x80\x05 damaged")
    assert segmented(cache) == own and cache.stat().st_mtime_ns != made  # a damaged cache is made again
