"""Safe editions whatever the catalogs hold: the builder's own guard, behind :mod:`pubflow.compile`.

pubflow build compiles only the messages the security check accepts; this
module makes Sphinx safe even when a hostile message reaches it (a plain
``sphinx-build``, ``sphinx-intl build``, a future bug). Three phases:

- configuration: with ``pubflow_compiled_locale`` (set by ``pubflow build``)
  Sphinx reads the catalogs pubflow compiled and never compiles its own;
- :class:`GuardTranslations`, before Sphinx's i18n transform parses each
  msgstr as reST: the source has been parsed by then, so the document's
  settings are swapped for a copy with docutils' ``file_insertion_enabled``
  and ``raw_enabled`` off. A translation's ``include``, ``literalinclude``,
  ``raw`` or ``csv-table`` with ``:file:`` reads nothing (Sphinx and docutils
  check these settings when the directive runs, which is at parse time; a
  transform after the fact would be too late). The raw and math the source
  has are recorded;
- :class:`NeutraliseUnsafeNodes`, before Sphinx collects images and
  downloads, and again after the bilingual and notes transforms: a
  link the one link rule refuses (:func:`pubflow.links.link_problem`: a scheme
  other than http, https, mailto or ftp, a protocol-relative or host-less web
  link, and in a PDF any relative target) becomes plain text, an
  image or download outside the source folder is dropped (before Sphinx
  would copy the file), and raw or math in translated text that the source
  lacks is dropped. Each is a warning naming the place, so ``-W`` fails.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from pubflow import links

logger = logging.getLogger(__name__)

_URI_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
SOURCE_MARKUP = "pubflow-source-markup"
TRANSLATED_SOURCE_SUFFIX = ":<translated>"
NOTE_TEXT = "pubflow-note-text"  # a translator's note (sphinxext/notes.py), as untrusted as a msgstr


def is_script_uri(uri: str) -> bool:
    """True for a link with a scheme outside the one allow-list (:mod:`pubflow.links`)."""
    scheme = links.scheme_of(uri)
    return scheme is not None and scheme not in links.ALLOWED_SCHEMES


def safe_settings(settings: Any) -> Any:
    """A copy of docutils settings under which parsing reads no file and passes no raw markup."""
    guarded = copy.copy(settings)
    guarded.file_insertion_enabled = False
    guarded.raw_enabled = False
    return guarded


def markup_signature(node: nodes.Node) -> tuple[str, str, str]:
    return (node.tagname, str(node.get("format", "")) if isinstance(node, nodes.Element) else "", node.astext())


def _is_translation_fragment(document: nodes.document) -> bool:
    """True for the small documents Sphinx parses each msgstr into (they run the transforms too)."""
    return str(document.get("source", "")).endswith(TRANSLATED_SOURCE_SUFFIX)


class GuardTranslations(SphinxTransform):
    """Before Sphinx's ``Locale`` (priority 20): translations are parsed with file reads and raw off."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if _is_translation_fragment(self.document):
            return
        self.env.temp_data[SOURCE_MARKUP] = {markup_signature(node) for node in self.document.findall(_is_raw_or_math)}
        self.document.settings = safe_settings(self.document.settings)


def _is_raw_or_math(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.raw, nodes.math, nodes.math_block))


def _in_translation(node: nodes.Node) -> bool:
    from pubflow.sphinxext.bilingual import cell, cell_inline

    return any(
        isinstance(parent, (cell, cell_inline))
        or (isinstance(parent, nodes.Element) and (parent.get("translated") or NOTE_TEXT in parent["classes"]))
        for parent in _self_and_ancestors(node)[1:]
    )


class NeutraliseUnsafeNodes(SphinxTransform):
    """Before Sphinx collects images and downloads (its ``doctree-read`` event runs at priority 880)."""

    default_priority = 870

    def apply(self, **kwargs: Any) -> None:
        if _is_translation_fragment(self.document):
            return
        pdf = self.app.builder.format == "latex"
        for linked in list(self.document.findall(nodes.Element)):
            refuri = linked.get("refuri")
            problem = links.link_problem(refuri, pdf=pdf) if isinstance(refuri, str) else None
            if problem is None:
                continue
            if isinstance(linked, nodes.reference):
                self.warn(linked, f"{problem} was dropped: {refuri}")
                linked.replace_self(nodes.inline("", "", *linked.children))
            else:  # the target an inline link defines; it prints nothing, but keeps no link either
                del linked["refuri"]
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if is_script_uri(uri) or (not _URI_SCHEME.match(uri) and not self.inside_sources(uri)):
                self.warn(image, f"an image outside the source folder was dropped: {uri}")
                image.parent.remove(image)
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if not _URI_SCHEME.match(target) and not self.inside_sources(target):
                self.warn(download, f"a download outside the source folder was dropped: {target}")
                download.replace_self(nodes.inline("", "", *download.children))
        source_markup: set[tuple[str, str, str]] = self.env.temp_data.get(SOURCE_MARKUP) or set()
        for node in list(self.document.findall(_is_raw_or_math)):
            if _in_translation(node) and markup_signature(node) not in source_markup:
                self.warn(node, f"{node.tagname} that the source lacks was dropped from a translation")
                node.parent.remove(node)

    def inside_sources(self, target: str) -> bool:
        _, absolute = self.env.relfn2path(target, self.env.docname)
        return Path(absolute).resolve().is_relative_to(Path(self.env.srcdir).resolve())

    def warn(self, node: nodes.Node, message: str) -> None:
        line = next((n.line for n in _self_and_ancestors(node) if n.line), None)
        logger.warning(f"unsafe markup: {message}", location=(self.env.docname, line))


class NeutraliseUnsafeCells(NeutraliseUnsafeNodes):
    """Again after the bilingual pairs (990) and the notes (995), which parse translators' text themselves."""

    default_priority = 999


def _self_and_ancestors(node: nodes.Node) -> list[nodes.Node]:
    chain = []
    current: nodes.Node | None = node
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if config.pubflow_compiled_locale:
        config.locale_dirs = [config.pubflow_compiled_locale]
        config.gettext_auto_build = False


def setup(app: Sphinx) -> None:
    app.add_config_value("pubflow_compiled_locale", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited, priority=400)
    app.add_transform(GuardTranslations)
    app.add_transform(NeutraliseUnsafeNodes)
    app.add_transform(NeutraliseUnsafeCells)
