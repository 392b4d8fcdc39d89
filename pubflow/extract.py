"""Extract: the source documents → one ``.pot`` template per document, source language only.

Sphinx's gettext builder does the work. It always runs with the source
language, so a translation can never leak into a msgid. The templates land in
``_build/gettext`` (sphinx-intl's convention); a template whose messages did
not change is left untouched, and templates of deleted documents are removed.

Only documents that changed are extracted. The stamp beside the templates
records the digest of every file under ``docs/``, of ``conf.py`` and of the
tools (pubflow's code, Sphinx, docutils) the templates were made with. When
all of those are unchanged and the templates are as extract left them,
Sphinx does not run at all; when only documents (``.rst``) changed or were
added, Sphinx writes the templates of those alone (and of the documents
whose table of contents lists them). Anything else extracts every document:
another file under ``docs/``, a deleted document, ``conf.py``, another
pubflow, a missing or damaged stamp, templates changed by hand, sources that
use ``include`` (which document shows an included file is Sphinx's to know),
a changed ``.rst`` that gave no template (not a document), or a failed run.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pubflow import sphinxrun
from pubflow.config import ProjectConfig
from pubflow.errors import PubflowError
from pubflow.fileio import read_bytes, scratch_directory, source_text, write_atomic
from pubflow.incremental import code_digest, file_digest
from pubflow.progress import NO_METER, Meter, Portion

CREATION_DATE_PREFIX = '"POT-Creation-Date:'
#: Beside the templates: what they were extracted from, so that update never merges stale ones.
STAMP_NAME = ".pubflow-sources.json"


@dataclass
class ExtractResult:
    templates: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    #: The documents Sphinx extracted: None for all of them, [] when it did not run.
    extracted: list[str] | None = None


def without_creation_date(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith(CREATION_DATE_PREFIX))


def sources_digest(config: ProjectConfig, documents: dict[str, str] | None = None) -> str:
    """A digest of everything the templates are made from: docs/ (``document_digests``) and conf.py."""
    documents = document_digests(config)[0] if documents is None else documents
    material = {"documents": documents, "conf": file_digest(config.root / "conf.py")}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


INCLUDES = (b"include::", b"literalinclude::")


def document_digests(config: ProjectConfig) -> tuple[dict[str, str], bool]:
    """Every file under docs/ by its path from the project root with the digest of its bytes; any includes?"""
    digests, includes = {}, False
    for path in sorted(p for p in config.docs_dir.rglob("*") if p.is_file()):
        data = read_bytes(path)
        digests[str(path.relative_to(config.root))] = hashlib.sha256(data).hexdigest()
        if path.suffix == ".rst":
            source_text(data, path)  # a wrong encoding or a NUL is named here, on its line, not in Sphinx's log
            includes = includes or any(word in data for word in INCLUDES)
    return digests, includes


def tools_digest() -> str:
    """What else a template depends on: pubflow's code (its Sphinx extension), Sphinx and docutils."""
    versions = [importlib.metadata.version(name) for name in ("sphinx", "docutils")]
    return hashlib.sha256(" ".join([code_digest(), *versions]).encode("utf-8")).hexdigest()


def read_stamp(pot_dir: Path) -> dict[str, object]:
    try:
        recorded = json.loads((pot_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def templates_digest(pot_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(pot_dir.rglob("*.pot")):
        text = without_creation_date(path.read_text(encoding="utf-8"))
        digest.update(str(path.relative_to(pot_dir)).encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def templates_out_of_date(config: ProjectConfig) -> str | None:
    """Why the templates in ``_build/gettext`` cannot be merged as they are, or None when they can."""
    recorded = read_stamp(config.pot_dir)
    if not recorded:
        return "the templates in _build/gettext were not made by pubflow extract from these sources"
    if recorded.get("sources") != sources_digest(config):
        return "docs/ or conf.py changed since the templates were extracted"
    if recorded.get("tools") != tools_digest():
        return "pubflow, Sphinx or docutils changed since the templates were extracted"
    if recorded.get("templates") != templates_digest(config.pot_dir):
        return "the templates in _build/gettext changed since pubflow extract wrote them"
    return None


def changed_documents(config: ProjectConfig, documents: dict[str, str]) -> list[str] | None:
    """The documents (paths from the root) to extract into ``_build/gettext``; None for every one.

    Only when the stamp vouches for the templates there: made by these tools from
    this conf.py, untouched since, and every change to docs/ since a new or changed
    document.
    """
    recorded = read_stamp(config.pot_dir)
    before = recorded.get("documents")
    if (
        not isinstance(before, dict)
        or recorded.get("tools") != tools_digest()
        or recorded.get("conf") != file_digest(config.root / "conf.py")
        or recorded.get("templates") != templates_digest(config.pot_dir)
        or set(before) - set(documents)
    ):
        return None
    changed = [path for path, digest in documents.items() if before.get(path) != digest]
    if any(Path(path).suffix != ".rst" for path in changed):
        return None  # an included file, an image …: which documents depend on it is Sphinx's to know
    return changed


def extract_templates(config: ProjectConfig, pot_dir: Path | None = None, meter: Meter = NO_METER) -> ExtractResult:
    """Write the templates of every document into ``pot_dir`` (default ``_build/gettext``)."""
    pot_dir = pot_dir or config.pot_dir
    if not (config.docs_dir / "index.rst").is_file():
        raise PubflowError(
            "no docs/index.rst; import an article first: pubflow import ARTICLE.txt",
            config.docs_dir,
        )
    result = ExtractResult()
    # Read before Sphinx reads them: an edit meanwhile makes the stamp stale.
    documents, includes = document_digests(config)
    sources = sources_digest(config, documents)
    conf = file_digest(config.root / "conf.py")
    own = pot_dir == config.pot_dir
    wanted = changed_documents(config, documents) if own else None
    if wanted and includes:
        wanted = None
    result.extracted = wanted
    if wanted == []:
        result.templates = sorted(pot_dir.rglob("*.pot"))
    elif wanted is None:
        _run_gettext_builder(config, pot_dir, None, result, meter)
    else:
        try:
            _run_gettext_builder(config, pot_dir, wanted, result, meter)
            missing = [d for d in wanted if not template_of(config, pot_dir, d).is_file()]
        except PubflowError:
            missing = wanted  # a warning may be one that only a run over every document gives rightly
        if missing:  # not a document (excluded, or included by one): every document, as if there were no stamp
            result.extracted = None
            _run_gettext_builder(config, pot_dir, None, result, meter)
    if own and wanted != []:  # nothing extracted: the stamp already says all this
        stamp = {
            "sources": sources,
            "templates": templates_digest(pot_dir),
            "tools": tools_digest(),
            "conf": conf,
            "documents": documents,
        }
        write_atomic(pot_dir / STAMP_NAME, json.dumps(stamp, indent=1) + "\n")
    return result


def template_of(config: ProjectConfig, pot_dir: Path, document: str) -> Path:
    """The template of a document given by its path from the project root (docs/a/b.rst → a/b.pot)."""
    return pot_dir / (config.root / document).relative_to(config.docs_dir).with_suffix(".pot")


def has_messages(template_text: str) -> bool:
    """Whether a template holds a message besides its header (``msgid ""``)."""
    return (
        re.search(r'^msgid "(?!")', template_text, re.MULTILINE) is not None
        or re.search(r'^msgid ""\n"', template_text, re.MULTILINE) is not None
    )


def _run_gettext_builder(
    config: ProjectConfig, pot_dir: Path, documents: list[str] | None, result: ExtractResult, meter: Meter
) -> None:
    """Sphinx's gettext builder for ``documents`` (None: all, and templates of deleted documents removed)."""
    pot_dir.parent.mkdir(parents=True, exist_ok=True)
    # A sibling of pot_dir, so that Sphinx's relative source locations (#: ../docs/x.rst)
    # are the same as if it had written into pot_dir itself.
    doctrees = config.output_dir / "doctrees" / "gettext"
    with scratch_directory(pot_dir.parent, ".gettext-") as fresh:
        command = sphinxrun.sphinx_command(
            config,
            "gettext",
            config.source_language,
            fresh,
            doctrees,
        )
        if documents:  # Sphinx writes the templates of these (and of any document listing them) alone
            command.extend(str(config.root / document) for document in documents)
        run = sphinxrun.run(command, cwd=config.root, progress=Portion(meter).to)
        if run.returncode != 0 or run.problems:
            # Sphinx keeps what it read, warnings and all, and would not read it (nor warn) again next time.
            shutil.rmtree(doctrees, ignore_errors=True)
            raise PubflowError(run.problems[0] if run.problems else "sphinx-build -b gettext failed")
        for template in sorted(fresh.rglob("*.pot")):
            relative = template.relative_to(fresh)
            target = pot_dir / relative
            new_text = template.read_text(encoding="utf-8")
            if not has_messages(new_text):
                # Nothing to translate (the status page is all pubflow's own strings): no template, so no catalog.
                template.unlink()
                if target.exists():
                    target.unlink()
                    result.removed.append(target)
                continue
            old_text = target.read_text(encoding="utf-8") if target.exists() else None
            if old_text is None or without_creation_date(old_text) != without_creation_date(new_text):
                write_atomic(target, new_text)
                result.changed.append(target)
        if documents is None:
            produced = {t.relative_to(fresh) for t in fresh.rglob("*.pot")}
            for stale in sorted(pot_dir.rglob("*.pot")) if pot_dir.exists() else []:
                if stale.relative_to(pot_dir) not in produced:
                    stale.unlink()
                    result.removed.append(stale)
    result.templates = sorted(pot_dir.rglob("*.pot"))
