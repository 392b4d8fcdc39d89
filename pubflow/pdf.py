"""PDF: Sphinx's LaTeX builder, then xelatex → ``_build/pdf/<locale>/<doc>.<locale>.pdf``.

Before anything runs, the TeX programs and the fonts of each edition are
looked for, so that a missing package is one line naming what to install. A
missing glyph fails the build: xelatex only logs it, and a PDF with holes in
its text must never be published.

Each article is typeset in a folder of its own (``_build/latex/<edition>/typeset/<doc>/``,
the edition's support files linked into it): xelatex reads its working folder
again and again, so in the edition's folder, where 200 articles leave
thousands of files, each pass cost more the more articles there were. One
pass makes the final PDF (see :func:`needs_another_pass`); another runs only
when one is needed, and none runs when the .tex, the edition's support files
and TeX are those of the last successful run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pubflow import sphinxrun
from pubflow.build import (
    Edition,
    begin_run,
    doctree_dir,
    end_run,
    forget_failed_run,
    remove_editions_of_removed_locales,
    remove_leftovers,
    remove_pdfs_of_removed_articles,
    safe_editions,
    sphinx_options,
)
from pubflow.checks.model import Finding
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError, display_path
from pubflow.fileio import write_atomic
from pubflow.lock import inherited_fds
from pubflow.policy import held_back_now
from pubflow.progress import NO_METER, Meter
from pubflow.shard import Shard, article_documents, pdf_path, tex_stem
from pubflow.sitefolder import finish_site
from pubflow.sphinxext.latex import cjk_region

TEX_PROGRAMS = {"xelatex": "texlive-xetex"}
MISSING_CHARACTER = re.compile(r"Missing character: There is no (.+?) in font (.+?)!")
OVERFULL = re.compile(r"^Overfull \\hbox .*$", re.M)


@dataclass
class PdfResult:
    outputs: dict[str, list[Path]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    overfull: dict[str, int] = field(default_factory=dict)
    refused: dict[str, list[Finding]] = field(default_factory=dict)
    #: xelatex passes per article of each edition (0: its last PDF was still good).
    passes: dict[str, list[int]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # as BuildResult.removed

    @property
    def ok(self) -> bool:
        return not any(self.problems.values()) and not self.refused


def required_fonts(locale: str) -> list[str]:
    region = cjk_region(locale)
    return [
        "Noto Serif",
        "Noto Sans",
        f"Noto Serif CJK {region}",
        f"Noto Sans CJK {region}",
        f"Noto Sans Mono CJK {region}",
    ]


def check_tools(locales: list[LocaleConfig]) -> None:
    for program, package in TEX_PROGRAMS.items():
        if not shutil.which(program):
            raise PubflowError(
                f"{program} is not installed; install the Debian package {package} (or run scripts/setup.sh)"
            )
    if not shutil.which("fc-list"):
        raise PubflowError("fc-list is not installed; install the Debian package fontconfig")
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    known = {name.strip() for line in families.splitlines() for name in line.split(",")}
    for locale in locales:
        for font in required_fonts(locale.name):
            if font not in known:
                package = "fonts-noto-cjk" if "CJK" in font else "fonts-noto-core"
                raise PubflowError(
                    f"the font '{font}' for the {locale.name} PDF is not installed; "
                    f"install the Debian package {package} (or run scripts/setup.sh)"
                )
    result = subprocess.run(["kpsewhich", "xeCJK.sty"], capture_output=True, text=True, check=False)
    if not result.stdout.strip():
        raise PubflowError("the LaTeX package xeCJK is not installed; install the Debian package texlive-lang-chinese")


@cache
def font_coverage(family: str) -> frozenset[int]:
    """The code points the font that fontconfig picks for ``family`` can draw."""
    from fontTools.ttLib import TTFont

    found = subprocess.run(
        ["fc-match", "-f", "%{file}\t%{index}", family], capture_output=True, text=True, check=True
    ).stdout
    path, _, index = found.partition("\t")
    font = TTFont(path, fontNumber=int(index or 0), lazy=True)
    return frozenset(font.getBestCmap())


@cache
def edition_coverage(locales: tuple[str, ...]) -> frozenset[int]:
    """What an edition's text fonts can draw, together: made once per edition, not per article."""
    covered = set(font_coverage("Noto Serif"))
    for locale in locales:
        covered |= font_coverage(f"Noto Serif CJK {cjk_region(locale)}")
    return frozenset(covered)


def missing_glyphs(tex: Path, locales: list[str]) -> list[str]:
    """Characters of the document that none of the edition's text fonts has.

    xeCJK typesets CJK characters itself and logs nothing when its font lacks
    one, so the .tex is checked against the fonts' character maps directly.
    """
    text = tex.read_text(encoding="utf-8")
    body = text[text.find("\\begin{document}") :]
    covered = edition_coverage(tuple(locales))
    return sorted({ch for ch in set(body) if ord(ch) > 0x7F and ord(ch) not in covered})


def latex_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "latex" / locale


def pdf_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "pdf" / locale


#: Files a pass writes and the next pass reads back.
AUXILIARY = (".aux", ".toc", ".out", ".lof", ".lot")
#: What LaTeX and its packages log when the next pass would come out different, but for the
#: kernel's "Label(s) may have changed", which :func:`needs_another_pass` judges itself.
RERUN_REQUEST = re.compile(r"Rerun to get|Please rerun|Rerun LaTeX|There were undefined (references|citations)")
LABELS_CHANGED = "Label(s) may have changed. Rerun to get cross-references right."
MAX_PASSES = 4
STAMP_SUFFIX = ".pubflow-typeset"


def auxiliary_files(folder: Path, stem: str) -> dict[str, bytes | None]:
    state: dict[str, bytes | None] = {}
    for suffix in AUXILIARY:
        path = folder / f"{stem}{suffix}"
        state[suffix] = path.read_bytes() if path.exists() else None
    return state


def needs_another_pass(before: dict[str, bytes | None], after: dict[str, bytes | None], log: str) -> bool:
    """Whether one more xelatex pass would typeset the document differently.

    As latexmk does, another pass is needed when an auxiliary file it would read
    has changed; with one exception that saves the second pass of every new
    article: a first pass (no .aux before it) whose document asked for no label
    and no citation. Every reference made on such a pass was to an undefined
    label and says so ("There were undefined references"); with none, the labels
    it wrote are read by nothing, and the next pass would make the same PDF.
    """
    if any(before[suffix] != after[suffix] for suffix in AUXILIARY if suffix != ".aux"):
        return True
    if before[".aux"] == after[".aux"]:
        return False
    if before[".aux"] is not None:
        return True
    return bool(RERUN_REQUEST.search(log.replace(LABELS_CHANGED, "")))


@dataclass
class Typeset:
    """One article's typesetting: the PDF, or the problems that kept it from being published."""

    problems: list[str]
    overfull: int = 0
    pdf: Path | None = None
    #: xelatex passes run: 0 when the last run's PDF was still good.
    passes: int = 0


def typeset_folder(tex: Path) -> Path:
    return tex.parent / "typeset" / tex.stem


def support_files(folder: Path) -> list[Path]:
    """What Sphinx put beside the .tex files for them to read: its .sty and .cls files, images.

    An article's own files (``<doc>.tex`` and whatever a TeX run left as ``<doc>.*``) are not.
    """
    stems = {tex.stem for tex in folder.glob("*.tex")}
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not any(path.name.startswith(f"{stem}.") for stem in stems)
    )


@cache
def tex_version() -> str:
    return subprocess.run(["xelatex", "--version"], capture_output=True, text=True, check=False).stdout


@dataclass(frozen=True)
class Support:
    """An edition's support files and a digest of them and of TeX itself, taken once per edition."""

    files: tuple[Path, ...]
    digest: str

    @classmethod
    def of(cls, folder: Path) -> Support:
        files = tuple(support_files(folder))
        digest = hashlib.sha256(tex_version().encode("utf-8"))
        for path in files:
            digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        return cls(files, digest.hexdigest())


def link_support_files(support: Support, work: Path) -> None:
    """Make the edition's support files visible in an article's own folder, as relative links."""
    work.mkdir(parents=True, exist_ok=True)
    for path in support.files:
        link = work / path.name
        if not link.is_symlink():
            link.unlink(missing_ok=True)
            link.symlink_to(Path("..", "..", path.name))


def source_date_epoch(config: ProjectConfig) -> str:
    """The date xdvipdfmx writes into every PDF, the same in every CI job that builds one commit.

    SOURCE_DATE_EPOCH when it is set; else the time of the project's last git commit; else
    the newest modification time of its sources.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return os.environ["SOURCE_DATE_EPOCH"].strip()
    if shutil.which("git"):
        committed = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=config.root, capture_output=True, text=True, check=False
        ).stdout.strip()
        if committed.isdigit():
            return committed
    sources = [*config.docs_dir.rglob("*.rst"), *config.locale_dir.rglob("*.po"), config.root / "conf.py"]
    return str(int(max((path.stat().st_mtime for path in sources if path.exists()), default=0)))


def typeset(
    tex: Path, locales: list[str], support: Support | None = None, env: dict[str, str] | None = None
) -> Typeset:
    """Typeset one .tex file in its own folder: no pass when nothing changed, a second only when needed."""
    folder = tex.parent
    work = typeset_folder(tex)
    stem = tex.stem
    support = support or Support.of(folder)
    link_support_files(support, work)
    source = tex.read_bytes()
    stamp = hashlib.sha256(source + support.digest.encode("ascii")).hexdigest()
    stamp_path = work / f"{stem}{STAMP_SUFFIX}"
    pdf, log_path = work / f"{stem}.pdf", work / f"{stem}.log"
    passes = 0
    if not (stamp_path.exists() and stamp_path.read_text(encoding="ascii") == stamp and pdf.exists()):
        absent = missing_glyphs(tex, locales)
        if absent:
            listed = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in absent)
            return Typeset([f"{display_path(tex)}: missing glyphs, the PDF would have holes: {listed}"])
        stamp_path.unlink(missing_ok=True)
        (work / f"{stem}.tex").write_bytes(source)
        returncode = 0
        while passes < MAX_PASSES:
            before = auxiliary_files(work, stem)
            returncode = subprocess.run(
                ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", f"{stem}.tex"],
                cwd=work,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
                env={**os.environ, **(env or {})},
                pass_fds=inherited_fds(),
            ).returncode
            passes += 1
            log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
            if returncode != 0 or not needs_another_pass(before, auxiliary_files(work, stem), log):
                break
        if returncode == 0:
            stamp_path.write_text(stamp, encoding="ascii")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    problems: list[str] = []
    missing = sorted({f"{char} ({font})" for char, font in MISSING_CHARACTER.findall(log)})
    if missing:
        problems.append(f"{display_path(log_path)}: missing glyphs, the PDF would have holes: {', '.join(missing)}")
    if not stamp_path.exists():
        error = next(
            (ln for ln in log.splitlines() if re.match(r"^(\./)?\S+\.tex:\d+: ", ln) or ln.startswith("! ")),
            None,
        )
        problems.append(f"{display_path(log_path)}: xelatex failed: {error or 'see the log'}")
    return Typeset(problems, len(OVERFULL.findall(log)), pdf if not problems else None, passes)


def tex_name(edition: Edition, document: str) -> str:
    """The .tex file Sphinx writes for ``document`` in ``edition`` (see pubflow.sphinxext.latex and .bilingual)."""
    stem = tex_stem(document)
    return f"{stem}.{'-'.join(edition.locales)}.tex" if edition.options else f"{stem}.tex"


def _distinct_tex_names(articles: list[str]) -> None:
    by_stem: dict[str, str] = {}
    for document in articles:
        other = by_stem.setdefault(tex_stem(document), document)
        if other != document:
            raise PubflowError(
                f"docs/{other}.rst and docs/{document}.rst would typeset to the same file; rename one of them"
            )


def build_pdf(
    config: ProjectConfig,
    editions: list[Edition],
    progress: Callable[[str], None] = lambda _: None,
    shard: Shard | None = None,
    meter: Meter = NO_METER,
) -> PdfResult:
    result = PdfResult()
    shard = shard or Shard()
    articles = article_documents(config.docs_dir)
    remove_pdfs_of_removed_articles(config)
    result.removed = remove_editions_of_removed_locales(config)
    if not articles:
        # A new publication (pubflow init) has no article yet, and so no PDF to make.
        progress("no article in docs/ yet: no PDF to make")
        finish_site(config)
        return result
    _distinct_tex_names(articles)
    check_tools([config.locale(name) for edition in editions for name in edition.locales])
    editions, result.refused = safe_editions(config, editions, progress)
    share = [doc for doc in articles if shard.holds(doc)]
    if shard.count > 1:
        progress(f"shard {shard}: {len(share)} of {len(articles)} article(s)")
        if not share:
            return result
    env = {"SOURCE_DATE_EPOCH": source_date_epoch(config)}
    held = held_back_now(config)  # what each edition's policy holds back (pubflow.policy): no PDF of it
    shares = {edition.name: [doc for doc in share if doc not in held.get(edition.name, {})] for edition in editions}
    meter.expect(sum(len(docs) for docs in shares.values()))
    for edition in editions:
        if not shares[edition.name]:
            # Every article held back (a new publication's untranslated edition): no PDF to make, and Sphinx's
            # LaTeX builder, given no document, warns, which -W makes an error. Its old PDFs are gone already.
            result.problems[edition.name], result.outputs[edition.name] = [], []
            progress(f"{edition.name}: no PDF to make: its edition holds every article back")
            continue
        outdir = latex_dir(config, edition.name)
        doctrees = doctree_dir(config, "latex", edition)
        progress(f"building LaTeX {edition.name} → {display_path(outdir)}")
        # The mark covers xelatex too: a killed xelatex leaves .aux files it would trip over.
        marker = begin_run(config, "latex", edition, [outdir, doctrees], progress)
        options = [
            *sphinx_options(config, edition),
            # The \date Sphinx writes is printed nowhere; a constant keeps the .tex, and so the
            # PDF, from changing with the calendar.
            *("-D", "today=-"),
            *(("-D", f"pubflow_shard={shard}") if shard.count > 1 else ()),
        ]
        run = sphinxrun.run(
            sphinxrun.sphinx_command(config, "latex", edition.language, outdir, doctrees, options), cwd=config.root
        )
        result.problems[edition.name] = list(run.problems)
        result.outputs[edition.name] = []
        if run.problems:
            forget_failed_run(doctrees)
            end_run(marker)
            continue  # this edition's PDFs will not come, and the stage's count says so
        texs = [outdir / tex_name(edition, doc) for doc in shares[edition.name]]
        support = Support.of(outdir)
        edition_coverage(tuple(edition.locales))

        def typeset_one(tex: Path, locales: list[str] = edition.locales, support: Support = support) -> Typeset:
            outcome = typeset(tex, locales, support, env)
            if outcome.pdf is not None:  # the stage's count is of PDFs made, not of xelatex runs
                meter.advance()
            return outcome

        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            typeset_all = list(pool.map(typeset_one, texs))
        end_run(marker)
        target_dir = pdf_dir(config, edition.name)
        remove_leftovers(target_dir)
        overfull = 0
        for document, done in zip(shares[edition.name], typeset_all, strict=True):
            overfull += done.overfull
            result.problems[edition.name].extend(done.problems)
            if done.pdf is None:
                continue
            target = target_dir / pdf_path(document, edition.name)
            write_atomic(target, done.pdf.read_bytes())
            result.outputs[edition.name].append(target)
        result.overfull[edition.name] = overfull
        result.passes[edition.name] = [done.passes for done in typeset_all]
        progress(f"{edition.name}: {len(result.outputs[edition.name])} PDF(s) in {display_path(target_dir)}")
    for note in finish_site(config).notes:
        progress(note)
    return result
