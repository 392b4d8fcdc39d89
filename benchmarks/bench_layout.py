"""Benchmark: writing back only what changed, on 536 real catalogs laid out by four tools.

The corpus is the shared python-docs-zh-cn 3.13 catalogs as Transifex wrote
them, and the same files re-saved by msgcat (79, as Poedit and powrap), polib
(78), Babel (76) and unwrapped. For each layout: whether :class:`pubflow.catalog.CatalogLayout` can
map every entry to its lines, whether an unchanged catalog comes back byte for
byte, and whether changing one msgstr changes that entry's lines and no other.
Also: how many of the msgcat-saved catalogs ``pubflow format`` at 79 reproduces
exactly, against polib's own wrapping at 79 (the alternative of re-rendering in
the file's width). Timing: splicing one change against re-rendering the whole
catalog, as a ratio measured in the same run.

Run: .venv/bin/python benchmarks/bench_layout.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib
from babel.messages.pofile import read_po, write_po

from benchmarks.common import REPO, report
from pubflow.catalog import CatalogLayout, render_catalog

CORPUS = REPO.parent / "shared" / "corpora" / "python-docs-zh-cn-3.13.tar.xz"
if not CORPUS.is_file():
    CORPUS = Path("/work/shared/corpora/python-docs-zh-cn-3.13.tar.xz")


def saved_by_babel(text: str) -> str:
    out = io.BytesIO()
    write_po(out, read_po(io.StringIO(text)))
    return out.getvalue().decode("utf-8")


def saved_by_msgcat(text: str) -> str:
    return subprocess.run(["msgcat", "-"], input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode()


def saved_by_polib(text: str) -> str:
    return str(polib.pofile(text)) + "\n"


def unwrapped(text: str) -> str:
    return render_catalog(polib.pofile(text), 0)


LAYOUTS: dict[str, Callable[[str], str]] = {
    "transifex": lambda text: text,
    "msgcat79": saved_by_msgcat,
    "polib78": saved_by_polib,
    "babel76": saved_by_babel,
    "unwrapped": unwrapped,
}


def one_change_only(text: str, layout: CatalogLayout, catalog: polib.POFile) -> bool:
    target = next((e for e in catalog if e.msgstr and not e.obsolete), None)
    if target is None:
        return layout.splice(catalog) == text
    lines = text.split("\n")
    first = last = target.linenum - 1
    while first > 0 and lines[first - 1].strip():
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    target.msgstr += "（改）"
    expected = "\n".join(lines[:first] + target.__unicode__(0).rstrip("\n").split("\n") + lines[last + 1 :])
    return layout.splice(catalog) == expected


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(CORPUS) as archive:
            archive.extractall(scratch, filter="data")
        files = sorted(Path(scratch).rglob("*.po"))
        texts = [p.read_text(encoding="utf-8") for p in files]
        data: dict[str, object] = {"catalogs": len(files)}
        splice_time = render_time = 0.0
        for name, save in LAYOUTS.items():
            usable = identical = only_its_lines = 0
            for original in texts:
                text = save(original)
                catalog = polib.pofile(text)
                layout = CatalogLayout(text, catalog)
                usable += layout.usable
                identical += layout.splice(catalog) == text
                start = time.perf_counter()
                only_its_lines += one_change_only(text, layout, catalog)
                middle = time.perf_counter()
                render_catalog(catalog, 0)
                splice_time += middle - start
                render_time += time.perf_counter() - middle
            data[f"{name}_layout_usable"] = usable
            data[f"{name}_unchanged_byte_identical"] = identical
            data[f"{name}_one_change_only_its_lines"] = only_its_lines
        data["splice_seconds"] = splice_time
        data["full_render_seconds"] = render_time
        data["splice_vs_full_render_ratio"] = splice_time / render_time
        format_exact = polib_exact = 0
        for text in map(saved_by_msgcat, texts):
            format_exact += render_catalog(polib.pofile(text), 79) == text
            catalog = polib.pofile(text)
            catalog.wrapwidth = 79
            polib_exact += str(catalog) + "\n" == text
        data["msgcat79_reproduced_by_pubflow_format_79"] = format_exact
        data["msgcat79_reproduced_by_polib_wrapping_79"] = polib_exact
    report("layout", data)


if __name__ == "__main__":
    main()
