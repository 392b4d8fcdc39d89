"""Sphinx configuration shared by every edition.

The language is never set here: pubflow passes ``-D language=<locale>`` for
each edition, and everything locale-specific comes from [tool.pubflow] in
pyproject.toml through the pubflow Sphinx extension. ``pubflow init`` writes
this file; every publication has the same one.
"""

from pathlib import Path

from pubflow.config import load_config

_pubflow = load_config(Path(__file__).parent)

project = _pubflow.name
author = _pubflow.name
copyright = _pubflow.copyright
language = _pubflow.source_language
root_doc = "index"
extensions = ["pubflow.sphinxext"]

# Catalogs: one per document, in locale/<lang>/LC_MESSAGES/ (sphinx-intl's layout).
# An absolute path, because Sphinx resolves locale_dirs against docs/ and sphinx-intl
# against this file's folder.
locale_dirs = [str(_pubflow.locale_dir)]
gettext_compact = False
gettext_uuid = False
gettext_location = True
gettext_last_translator = "pubflow"
gettext_language_team = "pubflow"
# Marks each paragraph as translated or not, for the status styling of the editions.
translation_progress_classes = True

html_theme = "pubflow"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_permalinks = False
html_domain_indices = False
html_use_index = False
