"""Build: the catalogs and sources → HTML editions under ``_build/html/<locale>/``.

Each locale is one ``sphinx-build -W`` run in its own process, two at a time
on a two-core machine. A root ``_build/html/index.html`` links the editions.
"""

from __future__ import annotations

import html
import os
import string
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.catalog import load_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.fileio import write_atomic

THEME_DIR = Path(__file__).resolve().parent / "theme"

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())


def validate_catalogs(config: ProjectConfig, locales: list[LocaleConfig]) -> None:
    """Fail on the first malformed catalog before Sphinx would skip it with a vague warning."""
    for locale in locales:
        if locale.method == "source":
            continue
        for po_path in sorted((config.locale_dir / locale.name).rglob("*.po")):
            load_catalog(po_path)


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


def build_html(
    config: ProjectConfig,
    editions: list[Edition],
    progress: Progress = lambda _: None,
    jobs: int | None = None,
) -> BuildResult:
    validate_catalogs(config, [config.locale(name) for edition in editions for name in edition.locales])
    jobs = jobs or min(2, os.cpu_count() or 1)
    result = BuildResult()
    pending = list(editions)
    running: list[tuple[Edition, subprocess.Popen[str]]] = []
    total = len(editions)
    done = 0
    while pending or running:
        while pending and len(running) < jobs:
            edition = pending.pop(0)
            outdir = html_dir(config, edition.name)
            args = sphinxrun.sphinx_command(
                config, "html", edition.language, outdir,
                config.output_dir / "doctrees" / f"html-{edition.slug}", list(edition.options),
            )  # fmt: skip
            progress(f"building HTML {edition.name} → {outdir.relative_to(config.root)}")
            running.append((edition, sphinxrun.start(args, config.root)))
        edition, process = running.pop(0)
        run = sphinxrun.finish(process)
        done += 1
        result.outputs[edition.name] = html_dir(config, edition.name)
        result.problems[edition.name] = run.problems
        state = "ok" if not run.problems else f"{len(run.problems)} problem(s)"
        progress(f"[{done}/{total}] {edition.name}: {state}")
    write_root_index(config)
    return result


def pdf_links(config: ProjectConfig, edition: str) -> str:
    """Links from the root index to an edition's PDFs, when they have been built."""
    folder = config.output_dir / "pdf" / edition
    pdfs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    links = [
        f'<a class="pubflow-pdf" href="../pdf/{edition}/{pdf.name}">PDF · {html.escape(pdf.stem)}</a>' for pdf in pdfs
    ]
    return f' <span class="pubflow-pdfs">{" ".join(links)}</span>' if links else ""


def write_root_index(config: ProjectConfig) -> Path:
    """``_build/html/index.html``: one link per edition that has been built, with its PDFs."""
    root = config.output_dir / "html"
    items = []
    for locale in config.locales.values():
        if (root / locale.name / "index.html").exists():
            items.append(
                f'    <li><a href="{locale.name}/index.html" hreflang="{locale.html_lang}" '
                f'lang="{locale.html_lang}">{html.escape(locale.label)}</a>{pdf_links(config, locale.name)}</li>'
            )
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{loc.html_lang}" href="{loc.name}/index.html">'
        for loc in config.locales.values()
    )
    pairs = []
    for first, second in config.bilingual:
        folder = f"bilingual/{first}-{second}"
        if (root / folder / "index.html").exists():
            label = f"{config.locales[first].label} · {config.locales[second].label}"
            pairs.append(
                f'    <li><a class="pubflow-bilingual" href="{folder}/index.html">{html.escape(label)}</a>'
                f"{pdf_links(config, folder)}</li>"
            )
    extra = ""
    if pairs:
        extra = (
            '  <h2>Bilingual · 双语对照 · 雙語對照</h2>\n  <ul class="pubflow-bilingual-editions">\n'
            + "\n".join(pairs)
            + "\n  </ul>"
        )
    template = string.Template((THEME_DIR / "editions.html").read_text(encoding="utf-8"))
    page = template.substitute(
        lang=config.source.html_lang,
        alternates=alternates,
        editions="\n".join(items),
        extra=extra,
    )
    target = root / "index.html"
    write_atomic(target, page)
    return target
