"""Benchmark: translation-memory proposals against ``msgmerge --compendium``, on 20,000+ real pairs.

The memory is the Simplified Chinese translation of the Python documentation
(../shared/corpora, 536 catalogs), reversed so that the direction is
pubflow's: the zh_CN msgstr is the source, the English msgid the translation.
It is laid out as the English catalogs of a pubflow project (one catalog per
original one). A new catalog holds 1,000 messages: 500 sources that are in
the memory, 300 of them with one character changed, and 200 sentences held
out of the memory. Both tools run as their command lines, in the same run:

- ``pubflow memory`` (the catalogs read, the memory indexed, exact and close
  matches proposed, the catalog written), cold (no cache: every catalog parsed)
  and as it runs again after each update (catalogs unchanged since the last
  run are not parsed again);
- ``msgmerge --compendium`` with every memory catalog, the new catalog and its template.

Reported: the times and their ratios (msgmerge over pubflow; above 1 means
pubflow is faster), and the exact matches each found. Every exact match of
msgmerge must be one of pubflow's.

Run: .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polib

from benchmarks.common import REPO, best_of, report

CORPUS = "python-docs-zh-cn-3.13.tar.xz"  # in ../shared/corpora beside the repository (or a worktree's parents)
VENV_BIN = Path(sys.executable).parent
NEW_MESSAGES = {"exact": 500, "changed": 300, "held_out": 200}
MIN_PAIRS = 20_000
HEADER = {
    "Language": "en",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def corpus_path() -> Path:
    for folder in REPO.parents:
        if (folder / "shared" / "corpora" / CORPUS).is_file():
            return folder / "shared" / "corpora" / CORPUS
    raise SystemExit(f"the corpus ../shared/corpora/{CORPUS} is missing (see its README.md)")


def reversed_catalogs(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """Per original catalog, its (zh_CN, English) pairs: translated, not fuzzy, singular, one line of source."""
    with tarfile.open(corpus_path()) as archive:
        archive.extractall(folder, filter="data")
    catalogs: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.rglob("*.po")):
        pairs = [
            (e.msgstr, e.msgid)
            for e in polib.pofile(str(path))
            if e.msgstr and not e.fuzzy and not e.obsolete and not e.msgid_plural and e.msgid
        ]
        # Reversed, two English messages with one Chinese translation would be one msgid twice.
        unique = list(dict(reversed(pairs)).items())[::-1]
        if unique:
            catalogs[path.relative_to(folder).with_suffix("").as_posix().replace("/", "-")] = unique
    return catalogs


def write_catalog(path: Path, pairs: list[tuple[str, str]]) -> None:
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = dict(HEADER)
    for source, target in pairs:
        catalog.append(polib.POEntry(msgid=source, msgstr=target))
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))


def change_one_character(text: str, rng: random.Random) -> str:
    position = rng.randrange(len(text))
    replacement = "" if text[position] == "的" else "的"
    return text[:position] + replacement + text[position + 1 :]


def make_project(folder: Path) -> tuple[Path, Path, Path, int]:
    rng = random.Random(313)
    catalogs = reversed_catalogs(folder / "corpus")
    names = sorted(catalogs)
    rng.shuffle(names)
    held_out_catalogs, memory_catalogs = names[:20], names[20:]
    project = folder / "project"
    project.mkdir()
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    messages = project / "locale" / "en" / "LC_MESSAGES"
    memory: dict[str, str] = {}
    for name in memory_catalogs:
        write_catalog(messages / "memory" / f"{name}.po", catalogs[name])
        for source, target in catalogs[name]:
            memory.setdefault(source, target)
    sources = sorted(memory)
    chosen: list[str] = rng.sample(sources, NEW_MESSAGES["exact"])
    changed = [change_one_character(s, rng) for s in rng.sample([s for s in sources if len(s) >= 20], 400)]
    chosen += [s for s in changed if s not in memory][: NEW_MESSAGES["changed"]]
    held_out = sorted({s for name in held_out_catalogs for s, _t in catalogs[name]} - set(memory) - set(chosen))
    chosen += rng.sample(held_out, NEW_MESSAGES["held_out"])
    new = [(source, "") for source in dict.fromkeys(chosen)]
    new_catalog = messages / "new.po"
    write_catalog(new_catalog, new)
    template = folder / "new.pot"
    write_catalog(template, new)
    # msgmerge merges into a catalog that does not know the new messages yet, as `pubflow update`'s
    # msgmerge does for a new document: found in neither, each is looked up in the compendium.
    empty = folder / "empty.po"
    write_catalog(empty, [])
    return project, new_catalog, template, len(memory)


def exact_matches(path: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.fuzzy and not e.obsolete}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        project, new_catalog, template, memory_size = make_project(folder)
        pristine = new_catalog.read_bytes()
        compendia = [f"--compendium={p}" for p in sorted((new_catalog.parent / "memory").glob("*.po"))]
        merged = folder / "msgmerge.po"
        msgmerge = ["msgmerge", "--quiet", "--no-wrap", *compendia, "-o", str(merged), str(folder / "empty.po"),
                    str(template)]  # fmt: skip
        pubflow = [str(VENV_BIN / "python"), "-m", "pubflow", "-q", "memory", "--locale", "en"]

        def run_pubflow(cold: bool = False) -> None:
            new_catalog.write_bytes(pristine)
            new_catalog.with_name("new.review.json").unlink(missing_ok=True)
            if cold:
                shutil.rmtree(project / "_build" / "cache", ignore_errors=True)
            subprocess.run(pubflow, cwd=project, check=True, capture_output=True)

        def run_msgmerge() -> None:
            result = subprocess.run(msgmerge, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise SystemExit(f"msgmerge failed: {result.stderr[:500]}")

        msgmerge_time = best_of(3, run_msgmerge)
        pubflow_cold_time = best_of(1, lambda: run_pubflow(cold=True))
        pubflow_time = best_of(3, run_pubflow)
        theirs, ours = exact_matches(merged), exact_matches(new_catalog)
        fuzzy_theirs = sum(1 for e in polib.pofile(str(merged)) if e.fuzzy and e.msgstr)
        fuzzy_ours = sum(1 for e in polib.pofile(str(new_catalog)) if e.fuzzy and e.msgstr)
        missed = sorted(set(theirs) - set(ours))
    report(
        "memory",
        {
            "memory_pairs": memory_size,
            "new_messages": sum(NEW_MESSAGES.values()),
            "msgmerge_compendium_seconds": msgmerge_time,
            "pubflow_memory_seconds": pubflow_time,
            "msgmerge_over_pubflow_ratio": msgmerge_time / pubflow_time,
            "pubflow_memory_cold_seconds": pubflow_cold_time,
            "msgmerge_over_pubflow_cold_ratio": msgmerge_time / pubflow_cold_time,
            "exact_matches_msgmerge": len(theirs),
            "exact_matches_pubflow": len(ours),
            "exact_matches_of_msgmerge_missed_by_pubflow": len(missed),
            "fuzzy_proposals_msgmerge": fuzzy_theirs,
            "fuzzy_proposals_pubflow": fuzzy_ours,
        },
    )
    if missed:
        raise SystemExit(f"pubflow missed {len(missed)} exact matches msgmerge found, e.g. {missed[0]!r}")
    if memory_size < MIN_PAIRS:
        raise SystemExit(f"the memory has {memory_size} pairs, fewer than {MIN_PAIRS}")


if __name__ == "__main__":
    main()
