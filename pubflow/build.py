"""Build: the catalogs and sources → HTML editions under ``_build/html/<locale>/``.

Phases: the catalogs are compiled (:mod:`pubflow.compile`, which withholds
any message the security check rejects), and an edition whose catalogs hold
such a message is refused, naming each one; each other edition is one
``sphinx-build -W`` run in its own process (forked from this one, see
:mod:`pubflow.sphinxrun`), two at a time on a two-core machine, into a
working folder ``_build/sphinx/html/<edition>``; an edition built without
a problem is then published file by file, each file written atomically,
into ``_build/html/<edition>``. A root ``_build/html/index.html`` links the
editions.

A marker beside each working folder exists while Sphinx runs: found at the
start of a build, it means the last run was killed, and that edition's
working folder and doctrees are started afresh (Sphinx writes its files in
place, so they cannot be trusted).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.checks.model import Finding
from pubflow.checks.notes import unpublishable_notes
from pubflow.compile import compile_catalogs, compiled_locale_dir
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import display_path
from pubflow.fileio import read_source_text, write_atomic
from pubflow.policy import held_back_file, held_back_now, write_held_back
from pubflow.progress import NO_METER, Meter, Portion
from pubflow.shard import article_documents, pdf_path

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    #: Editions not built because their catalogs hold messages the security check rejects.
    refused: dict[str, list[Finding]] = field(default_factory=dict)
    #: Editions of locales no longer configured, taken out of _build (``zh_TW``, ``bilingual/zh_TW-en``).
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(self.problems.values()) and not self.refused


def html_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "html" / locale


@dataclass(frozen=True)
class Edition:
    """One Sphinx build: a locale's edition, or a bilingual pair (``bilingual/zh_CN-en``)."""

    name: str
    language: str
    options: tuple[str, ...] = ()

    @classmethod
    def of_locale(cls, locale: LocaleConfig) -> Edition:
        return cls(locale.name, locale.name)

    @classmethod
    def of_pair(cls, first: str, second: str) -> Edition:
        return cls(f"bilingual/{first}-{second}", first, ("-D", f"pubflow_bilingual={first}:{second}"))

    @property
    def locales(self) -> list[str]:
        if not self.options:
            return [self.language]
        return self.options[1].split("=", 1)[1].split(":")

    @property
    def slug(self) -> str:
        return self.name.replace("/", "-")


def editions_for(
    config: ProjectConfig, locales: list[LocaleConfig], bilingual: list[tuple[str, str]] | None = None
) -> list[Edition]:
    return [*(Edition.of_locale(loc) for loc in locales), *(Edition.of_pair(a, b) for a, b in bilingual or [])]


def work_dir(config: ProjectConfig) -> Path:
    """Where Sphinx writes, in place; nothing here is published as it is."""
    return config.output_dir / "sphinx"


def doctree_dir(config: ProjectConfig, builder: str, edition: Edition) -> Path:
    return config.output_dir / "doctrees" / f"{builder}-{edition.slug}"


def safe_editions(
    config: ProjectConfig, editions: list[Edition], progress: Progress
) -> tuple[list[Edition], dict[str, list[Finding]]]:
    """Compile the catalogs; the editions that may be built, and the refused ones with their reasons."""
    names = list(dict.fromkeys(name for edition in editions for name in edition.locales))
    locales = [config.locale(name) for name in names]
    # Compiling reads every changed catalog strictly (msgfmt -c), so a malformed one fails here, before Sphinx
    # would skip it with a vague warning; an unchanged one was valid when it was last compiled.
    compiled = compile_catalogs(config, locales)
    # Notes are published as translators wrote them: one the note check fails refuses its editions too.
    notes = {locale.name: unpublishable_notes(config, locale) for locale in locales if locale.method != "source"}
    write_held_back(config)  # read by every Sphinx run: what the publication policy holds back, in every edition
    refused: dict[str, list[Finding]] = {}
    for edition in editions:
        findings = [finding for name in edition.locales for finding in compiled.unsafe.get(name, [])]
        findings += [finding for name in edition.locales for finding in notes.get(name, [])]
        if findings:
            refused[edition.name] = findings
            progress(f"{edition.name}: refused, its catalogs or notes have {len(findings)} error(s)")
    return [edition for edition in editions if edition.name not in refused], refused


def sphinx_options(config: ProjectConfig, edition: Edition) -> list[str]:
    """Sphinx reads the catalogs pubflow compiled, never its own, and what each edition holds back."""
    return [
        "-D",
        f"pubflow_compiled_locale={compiled_locale_dir(config)}",
        "-D",
        f"pubflow_held_back_file={held_back_file(config)}",
        *edition.options,
    ]


def begin_run(config: ProjectConfig, builder: str, edition: Edition, folders: list[Path], progress: Progress) -> Path:
    """Mark a Sphinx run in progress; a mark left by a killed run makes ``folders`` start afresh.

    Returns the marker, which :func:`end_run` removes once Sphinx has finished.
    """
    marker = work_dir(config) / f".{builder}-{edition.slug}.building"
    remove_leftovers(work_dir(config))
    if marker.exists():
        progress(f"{edition.name}: the last {builder} build was interrupted; rebuilding it from scratch")
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    # Only its existence counts, so a plain write: a run killed while writing it still leaves the mark.
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    return marker


def end_run(marker: Path) -> None:
    marker.unlink(missing_ok=True)


def forget_failed_run(doctrees: Path) -> None:
    """A run with warnings must warn again: Sphinx keeps what it read and would not read it next time.

    Without this, the build after a failed one read nothing, found no problem and published the
    pages the failed one had refused.
    """
    shutil.rmtree(doctrees, ignore_errors=True)


def publish_tree(built: Path, published: Path) -> None:
    """Make ``published`` hold exactly the files of ``built``, each written atomically."""
    wanted = set()
    for source in sorted(built.rglob("*")):
        relative = source.relative_to(built)
        if source.is_file() and not relative.parts[0].startswith("."):
            write_atomic(published / relative, source.read_bytes())
            wanted.add(published / relative)
    for old in sorted(published.rglob("*"), reverse=True) if published.is_dir() else []:
        if old.is_file() and old not in wanted:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()


def remove_leftovers(folder: Path) -> None:
    """Temporary files of an atomic write that a killed run left behind."""
    for leftover in folder.glob(".*.tmp") if folder.is_dir() else []:
        leftover.unlink(missing_ok=True)


def build_html(
    config: ProjectConfig,
    editions: list[Edition],
    progress: Progress = lambda _: None,
    jobs: int | None = None,
    meter: Meter = NO_METER,
) -> BuildResult:
    for source in sorted(config.docs_dir.rglob("*.rst")):
        read_source_text(source)  # a wrong encoding or a NUL named on its line, before Sphinx misreads it
    result = BuildResult()
    editions, result.refused = safe_editions(config, editions, progress)
    meter.expect(len(editions))
    jobs = jobs or min(2, os.cpu_count() or 1)
    pending = list(editions)
    running: dict[sphinxrun.SphinxProcess, tuple[Edition, Path, Portion]] = {}
    total = len(editions)
    done = 0
    if editions:
        from pubflow.sphinxext import prepare_editions  # Sphinx's import, which every forked edition shares

        prepare_editions(config, [edition.language for edition in editions])
    while pending or running:
        while pending and len(running) < jobs:
            edition = pending.pop(0)
            outdir = work_dir(config) / "html" / edition.name
            doctrees = doctree_dir(config, "html", edition)
            marker = begin_run(config, "html", edition, [outdir, doctrees], progress)
            args = sphinxrun.sphinx_command(
                config, "html", edition.language, outdir, doctrees, sphinx_options(config, edition)
            )
            progress(f"building HTML {edition.name} → {display_path(html_dir(config, edition.name))}")
            portion = Portion(meter)  # the edition, advanced as Sphinx reads and writes its documents
            running[sphinxrun.start(args, config.root, portion.to)] = (edition, marker, portion)
        process = sphinxrun.wait_first(list(running))
        edition, marker, portion = running.pop(process)
        run = sphinxrun.finish(process)
        if run.problems:
            forget_failed_run(doctree_dir(config, "html", edition))
        end_run(marker)
        done += 1
        result.problems[edition.name] = run.problems
        if not run.problems:
            publish_tree(work_dir(config) / "html" / edition.name, html_dir(config, edition.name))
            result.outputs[edition.name] = html_dir(config, edition.name)
        state = "ok" if not run.problems else f"{len(run.problems)} problem(s), not published"
        progress(f"[{done}/{total}] {edition.name}: {state}")
        portion.finish()
    remove_pdfs_of_removed_articles(config)
    result.removed = remove_editions_of_removed_locales(config)
    from pubflow.sitefolder import finish_site

    for note in finish_site(config).notes:
        progress(note)
    return result


def remove_editions_of_removed_locales(config: ProjectConfig) -> list[str]:
    """A locale taken out of [tool.pubflow.locales] takes its editions (HTML, PDF, bilingual) out of _build.

    Its catalogs stay in locale/: a person's work, for a locale that may come back. Returns the
    editions removed; the pages of editions this run does not build still link them until rebuilt.
    """
    removed: list[str] = []
    for kind in ("html", "pdf"):
        root = config.output_dir / kind
        if not root.is_dir():
            continue
        gone = [f for f in root.iterdir() if f.is_dir() and _is_locale_name(f.name) and f.name not in config.locales]
        pairs = root / "bilingual"
        if pairs.is_dir():
            gone += [
                f
                for f in pairs.iterdir()
                if f.is_dir() and any(_is_locale_name(n) and n not in config.locales for n in f.name.split("-", 1))
            ]
        for folder in gone:
            shutil.rmtree(folder)
            edition = folder.relative_to(root).as_posix()
            if edition not in removed:
                removed.append(edition)
    return removed


def _is_locale_name(name: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def remove_pdfs_of_removed_articles(config: ProjectConfig) -> None:
    """An article taken out of docs/, or held back by an edition's policy, takes its PDFs out of that edition,
    whichever editions and format are built.

    An HTML build does it too: the root page it writes would otherwise still link them.
    """
    root = config.output_dir / "pdf"
    if not root.is_dir():
        return
    articles = article_documents(config.docs_dir)
    held = held_back_now(config)  # an article the edition holds back (pubflow.policy) has no PDF there either
    folders = [f for f in root.iterdir() if f.is_dir() and f.name != "bilingual"]
    folders += [f for f in (root / "bilingual").iterdir() if f.is_dir()] if (root / "bilingual").is_dir() else []
    for folder in folders:
        edition = folder.relative_to(root).as_posix()
        wanted = {pdf_path(document, edition) for document in articles if document not in held.get(edition, {})}
        for pdf in sorted(folder.rglob("*.pdf")):
            if pdf.relative_to(folder).as_posix() not in wanted:
                pdf.unlink()
        for empty in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True):
            if not any(empty.iterdir()):
                empty.rmdir()
