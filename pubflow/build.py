"""Build: the catalogs and sources → HTML editions under ``_build/html/<locale>/``.

Each locale is one ``sphinx-build -W`` run in its own process, two at a time
on a two-core machine. A root ``_build/html/index.html`` links the editions.
"""

from __future__ import annotations

import html
import os
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.catalog import load_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.errors import PubflowError
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


class BuildFailed(PubflowError):
    """Sphinx reported warnings or errors: the sources or catalogs need fixing."""


def validate_catalogs(config: ProjectConfig, locales: list[LocaleConfig]) -> None:
    """Fail on the first malformed catalog before Sphinx would skip it with a vague warning."""
    for locale in locales:
        if locale.method == "source":
            continue
        for po_path in sorted((config.locale_dir / locale.name).rglob("*.po")):
            load_catalog(po_path)


def html_dir(config: ProjectConfig, locale: str) -> Path:
    return config.output_dir / "html" / locale


def build_html(
    config: ProjectConfig,
    locales: list[LocaleConfig],
    progress: Progress = lambda _: None,
    jobs: int | None = None,
) -> BuildResult:
    validate_catalogs(config, locales)
    jobs = jobs or min(2, os.cpu_count() or 1)
    result = BuildResult()
    pending = list(locales)
    running: list[tuple[LocaleConfig, object]] = []
    total = len(locales)
    done = 0
    while pending or running:
        while pending and len(running) < jobs:
            locale = pending.pop(0)
            outdir = html_dir(config, locale.name)
            args = sphinxrun.sphinx_command(
                config, "html", locale.name, outdir,
                config.output_dir / "doctrees" / f"html-{locale.name}",
            )  # fmt: skip
            progress(f"building HTML {locale.name} → {outdir.relative_to(config.root)}")
            running.append((locale, sphinxrun.start(args, config.root)))
        locale, process = running.pop(0)
        run = sphinxrun.finish(process)  # type: ignore[arg-type]
        done += 1
        result.outputs[locale.name] = html_dir(config, locale.name)
        result.problems[locale.name] = run.problems
        progress(
            f"[{done}/{total}] {locale.name}: " + ("ok" if not run.problems else f"{len(run.problems)} problem(s)")
        )
    write_root_index(config)
    return result


def write_root_index(config: ProjectConfig) -> Path:
    """``_build/html/index.html``: one link per edition that has been built."""
    root = config.output_dir / "html"
    items = []
    for locale in config.locales.values():
        if (root / locale.name / "index.html").exists():
            items.append(
                f'    <li><a href="{locale.name}/index.html" hreflang="{locale.html_lang}" '
                f'lang="{locale.html_lang}">{html.escape(locale.label)}</a></li>'
            )
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{loc.html_lang}" href="{loc.name}/index.html">'
        for loc in config.locales.values()
    )
    template = string.Template((THEME_DIR / "editions.html").read_text(encoding="utf-8"))
    page = template.substitute(
        lang=config.source.html_lang,
        alternates=alternates,
        editions="\n".join(items),
        extra="",
    )
    target = root / "index.html"
    write_atomic(target, page)
    return target
