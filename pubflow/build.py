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
    """Links from the root index to an edition's PDFs, when they have been built; folded when there are many."""
    folder = config.output_dir / "pdf" / edition
    pdfs = sorted(folder.glob("*.pdf"), reverse=True) if folder.is_dir() else []
    links = [
        f'<li><a class="pubflow-pdf" href="../pdf/{edition}/{pdf.name}">{html.escape(pdf.stem)}</a></li>'
        for pdf in pdfs
    ]
    if not links:
        return ""
    if len(pdfs) == 1:
        only = pdfs[0]
        return f'<a class="pubflow-pdf" href="../pdf/{edition}/{only.name}" title="{html.escape(only.stem)}">PDF</a>'
    listing = f'<ul class="pubflow-pdfs">{"".join(links)}</ul>'
    return f"<details><summary>PDF ({len(links)})</summary>{listing}</details>"


def publication_name(config: ProjectConfig, locale: LocaleConfig) -> str:
    """The publication's name in ``locale``: the front page's title as its catalog translates it."""
    if locale.method == "source":
        return config.name
    po_path = config.locale_dir / locale.name / "LC_MESSAGES" / "index.po"
    if not po_path.exists():
        return config.name
    entry = load_catalog(po_path).find(config.name)
    if entry is None or entry.fuzzy or entry.obsolete or not entry.msgstr:
        return config.name
    return entry.msgstr


def _edition_item(config: ProjectConfig, folder: str, locales: list[LocaleConfig]) -> str:
    langs = [loc.html_lang for loc in locales]
    label = " · ".join(
        f'<span lang="{lang}">{html.escape(loc.label)}</span>' for lang, loc in zip(langs, locales, strict=True)
    )
    names = " · ".join(
        f'<span lang="{loc.html_lang}">{html.escape(publication_name(config, loc))}</span>' for loc in locales
    )
    hreflang = f' hreflang="{langs[0]}" lang="{langs[0]}"' if len(locales) == 1 else ""
    # A bilingual edition has no feed of its own (see pubflow.sphinxext.feed).
    feeds = (
        f'<a class="pubflow-feed" href="{folder}/atom.xml" type="application/atom+xml" hreflang="{langs[0]}">Atom</a>'
        if len(locales) == 1
        else ""
    )
    return (
        f'    <li class="pubflow-edition"><a class="pubflow-edition-link" href="{folder}/index.html"{hreflang}>'
        f'<span class="pubflow-edition-label">{label}</span> <span class="pubflow-edition-name">{names}</span></a>'
        f'<div class="pubflow-edition-files">{feeds}{pdf_links(config, folder)}</div></li>'
    )


def write_root_index(config: ProjectConfig) -> Path:
    """``_build/html/index.html``: the publication's name, and each built edition in its own language.

    Each edition links its front page, its Atom feed and its PDFs.
    """
    root = config.output_dir / "html"
    items = [
        _edition_item(config, loc.name, [loc])
        for loc in config.locales.values()
        if (root / loc.name / "index.html").exists()
    ]
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{loc.html_lang}" href="{loc.name}/index.html">\n'
        f'  <link rel="alternate" type="application/atom+xml" hreflang="{loc.html_lang}" href="{loc.name}/atom.xml">'
        for loc in config.locales.values()
        if (root / loc.name / "index.html").exists()
    )
    pairs = [
        _edition_item(config, f"bilingual/{first}-{second}", [config.locales[first], config.locales[second]])
        for first, second in config.bilingual
        if (root / f"bilingual/{first}-{second}" / "index.html").exists()
    ]
    extra = ""
    if pairs:
        heading = " · ".join(
            dict.fromkeys(
                BILINGUAL_HEADINGS.get(loc.name, BILINGUAL_HEADINGS.get(loc.name[:2], "Bilingual"))
                for loc in config.locales.values()
            )
        )
        extra = (
            f'  <h2>{html.escape(heading)}</h2>\n  <ul class="pubflow-editions pubflow-bilingual-editions">\n'
            + "\n".join(pairs)
            + "\n  </ul>"
        )
    template = string.Template((THEME_DIR / "editions.html").read_text(encoding="utf-8"))
    page = template.substitute(
        lang=config.source.html_lang,
        name=html.escape(config.name),
        alternates=alternates,
        editions="\n".join(items),
        extra=extra,
    )
    target = root / "index.html"
    write_atomic(target, page)
    return target


#: The heading over the bilingual editions, in each language that has one.
BILINGUAL_HEADINGS = {
    "zh_CN": "双语对照",
    "zh_TW": "雙語對照",
    "zh_HK": "雙語對照",
    "zh": "双语对照",
    "en": "Bilingual",
}
