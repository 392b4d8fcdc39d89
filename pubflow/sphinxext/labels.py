"""pubflow's own interface strings in each edition's language ("Not yet translated", "Translation status", …).

They are a gettext catalog that pubflow ships, as Sphinx ships its own, with a
publication's overrides over it (see ``pubflow/interface.py``), compiled for
each build and registered with Sphinx under the ``pubflow`` domain; templates
read them as ``pubflow_label("…")``. Sphinx's own strings (the search page,
"Created using Sphinx") come from Sphinx's catalogs for the edition's language.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation

from pubflow.fileio import write_atomic
from pubflow.interface import CATALOG, compiled, interface_locales

_ = get_translation(CATALOG)


def compile_catalogs(app: Sphinx) -> None:
    """Compile pubflow's catalogs, with the publication's overrides, for this build; register them with Sphinx."""
    target = Path(app.doctreedir) / "pubflow-locale"
    root = Path(app.confdir)
    digest = hashlib.sha256()
    for locale in interface_locales(root):
        # Compiled every time and written atomically: a .mo damaged by a killed run is never trusted.
        mo = compiled(locale, root)
        write_atomic(target / locale / "LC_MESSAGES" / f"{CATALOG}.mo", mo)
        digest.update(locale.encode() + b"\0" + mo)
    app.pubflow_interface_digest = digest.hexdigest()  # type: ignore[attr-defined]
    app.add_message_catalog(CATALOG, str(target))


def _reread_on_new_strings(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Labels are set when a page is read: a changed string (a publication's override) reads every page again."""
    digest = getattr(app, "pubflow_interface_digest", None)
    if getattr(env, "pubflow_interface_digest", None) == digest:
        return []
    env.pubflow_interface_digest = digest  # type: ignore[attr-defined]
    return sorted(env.found_docs)


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    # Templates read pubflow's strings as Sphinx's own: {{ pubflow_label("All editions") }}
    context["pubflow_label"] = lambda message: str(_(message))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", compile_catalogs)
    app.connect("env-get-outdated", _reread_on_new_strings)
    app.connect("html-page-context", _on_html_page_context)
