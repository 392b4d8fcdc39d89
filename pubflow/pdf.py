"""PDF: Sphinx's LaTeX builder, then xelatex through latexmk → ``_build/pdf/<locale>/<doc>.<locale>.pdf``.

Before anything runs, the TeX programs and the fonts of each edition are
looked for, so that a missing package is one line naming what to install. A
missing glyph fails the build: xelatex only logs it, and a PDF with holes in
its text must never be published.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from pubflow import sphinxrun
from pubflow.build import (
    Edition,
    begin_run,
    doctree_dir,
    end_run,
    remove_leftovers,
    safe_editions,
    sphinx_options,
    write_root_index,
)
from pubflow.checks.model import Finding
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError, display_path
from pubflow.fileio import write_atomic
from pubflow.lock import inherited_fds
from pubflow.progress import NO_METER, Meter
from pubflow.sphinxext.latex import cjk_region

TEX_PROGRAMS = {"xelatex": "texlive-xetex", "latexmk": "latexmk"}
MISSING_CHARACTER = re.compile(r"Missing character: There is no (.+?) in font (.+?)!")
OVERFULL = re.compile(r"^Overfull \\hbox .*$", re.M)


@dataclass
class PdfResult:
    outputs: dict[str, list[Path]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    overfull: dict[str, int] = field(default_factory=dict)
    refused: dict[str, list[Finding]] = field(default_factory=dict)

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


def missing_glyphs(tex: Path, locales: list[str]) -> list[str]:
    """Characters of the document that none of the edition's text fonts has.

    xeCJK typesets CJK characters itself and logs nothing when its font lacks
    one, so the .tex is checked against the fonts' character maps directly.
    """
    text = tex.read_text(encoding="utf-8")
    body = text[text.find("\\begin{document}") :]
    covered = font_coverage("Noto Serif")
    for locale in locales:
        covered |= font_coverage(f"Noto Serif CJK {cjk_region(locale)}")
    return sorted({ch for ch in body if ord(ch) > 0x7F and ord(ch) not in covered})


def latex_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "latex" / locale


def pdf_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "pdf" / locale


def run_xelatex(tex: Path, locales: list[str]) -> tuple[list[str], int]:
    """Typeset one .tex file; returns (problems, overfull line count)."""
    absent = missing_glyphs(tex, locales)
    if absent:
        listed = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in absent)
        return [f"{display_path(tex)}: missing glyphs, the PDF would have holes: {listed}"], 0
    result = subprocess.run(
        ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex.name],
        cwd=tex.parent,
        capture_output=True,
        text=True,
        check=False,
        pass_fds=inherited_fds(),
    )
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    problems: list[str] = []
    missing = sorted({f"{char} ({font})" for char, font in MISSING_CHARACTER.findall(log)})
    if missing:
        problems.append(f"{display_path(log_path)}: missing glyphs, the PDF would have holes: {', '.join(missing)}")
    if result.returncode != 0:
        error = next(
            (ln for ln in log.splitlines() if re.match(r"^(\./)?\S+\.tex:\d+: ", ln) or ln.startswith("! ")),
            None,
        )
        problems.append(f"{display_path(log_path)}: xelatex failed: {error or 'see the log'}")
    return problems, len(OVERFULL.findall(log))


def run_xelatex_counted(tex: Path, locales: list[str], meter: Meter) -> tuple[list[str], int]:
    """:func:`run_xelatex`, counting the PDF on the stage's meter as soon as it is typeset."""
    outcome = run_xelatex(tex, locales)
    meter.advance()
    return outcome


def build_pdf(
    config: ProjectConfig,
    editions: list[Edition],
    progress: Callable[[str], None] = lambda _: None,
    meter: Meter = NO_METER,
) -> PdfResult:
    result = PdfResult()
    if not any("pubflow-byline" in path.read_text(encoding="utf-8") for path in config.docs_dir.rglob("*.rst")):
        # A new publication (pubflow init) has no article yet, and so no PDF to make.
        progress("no article in docs/ yet: no PDF to make")
        return result
    check_tools([config.locale(name) for edition in editions for name in edition.locales])
    editions, result.refused = safe_editions(config, editions, progress)
    counted = 0  # PDFs of the editions typeset so far; each later edition is expected to make as many as the last
    for index, edition in enumerate(editions):
        outdir = latex_dir(config, edition.name)
        doctrees = doctree_dir(config, "latex", edition)
        progress(f"building LaTeX {edition.name} → {display_path(outdir)}")
        # The mark covers xelatex too: a killed latexmk leaves .aux files it would trip over.
        marker = begin_run(config, "latex", edition, [outdir, doctrees], progress)
        run = sphinxrun.run(
            sphinxrun.sphinx_command(
                config, "latex", edition.language, outdir, doctrees, sphinx_options(config, edition)
            ),
            cwd=config.root,
        )
        result.problems[edition.name] = list(run.problems)
        result.outputs[edition.name] = []
        if run.problems:
            end_run(marker)
            continue
        texs = sorted(outdir.glob("*.tex"))
        meter.expect(counted + len(texs) * (len(editions) - index))
        counted += len(texs)
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            typeset = list(pool.map(partial(run_xelatex_counted, locales=edition.locales, meter=meter), texs))
        end_run(marker)
        target_dir = pdf_dir(config, edition.name)
        remove_leftovers(target_dir)
        overfull = 0
        for tex, (problems, overfull_lines) in zip(texs, typeset, strict=True):
            overfull += overfull_lines
            result.problems[edition.name].extend(problems)
            if problems:
                continue
            name = tex.stem if edition.options else f"{tex.stem}.{edition.name}"
            target = target_dir / f"{name}.pdf"
            write_atomic(target, tex.with_suffix(".pdf").read_bytes())
            result.outputs[edition.name].append(target)
        result.overfull[edition.name] = overfull
        progress(f"{edition.name}: {len(result.outputs[edition.name])} PDF(s) in {display_path(target_dir)}")
    write_root_index(config)
    return result
