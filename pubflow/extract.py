"""Extract: the source documents → one ``.pot`` template per document, source language only.

Sphinx's gettext builder does the work. It always runs with the source
language, so a translation can never leak into a msgid. The templates land in
``_build/gettext`` (sphinx-intl's convention); a template whose messages did
not change is left untouched, and templates of deleted documents are removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.fileio import scratch_directory, write_atomic
from pubflow.progress import NO_METER, Meter, Portion

CREATION_DATE_PREFIX = '"POT-Creation-Date:'
#: Beside the templates: what they were extracted from, so that update never merges stale ones.
STAMP_NAME = ".pubflow-sources.json"


@dataclass
class ExtractResult:
    templates: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def without_creation_date(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith(CREATION_DATE_PREFIX))


def sources_digest(config: ProjectConfig) -> str:
    """A digest of everything the templates are made from: docs/ and conf.py."""
    digest = hashlib.sha256()
    files = sorted(p for p in config.docs_dir.rglob("*") if p.is_file())
    conf = config.root / "conf.py"
    for path in [*files, *([conf] if conf.is_file() else [])]:
        digest.update(str(path.relative_to(config.root)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def templates_digest(pot_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(pot_dir.rglob("*.pot")):
        text = without_creation_date(path.read_text(encoding="utf-8"))
        digest.update(str(path.relative_to(pot_dir)).encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def templates_out_of_date(config: ProjectConfig) -> str | None:
    """Why the templates in ``_build/gettext`` cannot be merged as they are, or None when they can."""
    stamp = config.pot_dir / STAMP_NAME
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "the templates in _build/gettext were not made by pubflow extract from these sources"
    if not isinstance(recorded, dict) or recorded.get("sources") != sources_digest(config):
        return "docs/ or conf.py changed since the templates were extracted"
    if recorded.get("templates") != templates_digest(config.pot_dir):
        return "the templates in _build/gettext changed since pubflow extract wrote them"
    return None


def extract_templates(config: ProjectConfig, pot_dir: Path | None = None, meter: Meter = NO_METER) -> ExtractResult:
    """Write the templates of every document into ``pot_dir`` (default ``_build/gettext``)."""
    pot_dir = pot_dir or config.pot_dir
    if not (config.docs_dir / "index.rst").is_file():
        raise PubflowError(
            "no docs/index.rst; import an article first: pubflow import ARTICLE.txt",
            config.docs_dir,
        )
    result = ExtractResult()
    sources = sources_digest(config)  # before Sphinx reads them: an edit meanwhile makes the stamp stale
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
            progress=Portion(meter).to,
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
    if pot_dir == config.pot_dir:
        stamp = {"sources": sources, "templates": templates_digest(pot_dir)}
        write_atomic(pot_dir / STAMP_NAME, json.dumps(stamp, indent=1) + "\n")
    return result
