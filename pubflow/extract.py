"""Extract: the source documents → one ``.pot`` template per document, source language only.

Sphinx's gettext builder does the work. It always runs with the source
language, so a translation can never leak into a msgid. The templates land in
``_build/gettext`` (sphinx-intl's convention); a template whose messages did
not change is left untouched, and templates of deleted documents are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.fileio import scratch_directory, write_atomic

CREATION_DATE_PREFIX = '"POT-Creation-Date:'


@dataclass
class ExtractResult:
    templates: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def without_creation_date(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith(CREATION_DATE_PREFIX))


def extract_templates(config: ProjectConfig, pot_dir: Path | None = None) -> ExtractResult:
    """Write the templates of every document into ``pot_dir`` (default ``_build/gettext``)."""
    pot_dir = pot_dir or config.pot_dir
    if not (config.docs_dir / "index.rst").is_file():
        raise PubflowError(
            "no docs/index.rst; import an article first: pubflow import ARTICLE.txt",
            config.docs_dir,
        )
    result = ExtractResult()
    pot_dir.parent.mkdir(parents=True, exist_ok=True)
    # A sibling of pot_dir, so that Sphinx's relative source locations (#: ../docs/x.rst)
    # are the same as if it had written into pot_dir itself.
    with scratch_directory(pot_dir.parent, ".gettext-") as fresh:
        run = sphinxrun.run(
            sphinxrun.sphinx_command(
                config,
                "gettext",
                config.source_language,
                fresh,
                config.output_dir / "doctrees" / "gettext",
            ),
            cwd=config.root,
        )
        if run.returncode != 0 or run.problems:
            raise PubflowError(run.problems[0] if run.problems else "sphinx-build -b gettext failed")
        for template in sorted(fresh.rglob("*.pot")):
            relative = template.relative_to(fresh)
            target = pot_dir / relative
            new_text = template.read_text(encoding="utf-8")
            old_text = target.read_text(encoding="utf-8") if target.exists() else None
            result.templates.append(target)
            if old_text is None or without_creation_date(old_text) != without_creation_date(new_text):
                write_atomic(target, new_text)
                result.changed.append(target)
        produced = {t.relative_to(pot_dir) for t in result.templates}
        if pot_dir.exists():
            for stale in sorted(pot_dir.rglob("*.pot")):
                if stale.relative_to(pot_dir) not in produced:
                    stale.unlink()
                    result.removed.append(stale)
    return result
