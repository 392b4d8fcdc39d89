"""pubflow's own labels in each edition's language ("Not yet translated", "Translation status", …).

They are a gettext catalog of the extension's, ``pubflow/sphinxext/locale/<lang>/LC_MESSAGES/pubflow.po``,
compiled for each build and registered with Sphinx as Sphinx registers its own.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from pubflow.fileio import write_atomic

CATALOG = "pubflow"
_ = get_translation(CATALOG)
SOURCE_CATALOGS = Path(__file__).resolve().parent / "locale"


#: Locales with no labels of their own that read another's (gettext would fall back to English).
FALLBACK_LABELS = {"zh_HK": "zh_TW", "zh_MO": "zh_TW", "zh_SG": "zh_CN"}


def compile_catalogs(app: Sphinx) -> None:
    """Compile the extension's .po files for this build and register them with Sphinx."""
    target = Path(app.doctreedir) / "pubflow-locale"
    for po_path in SOURCE_CATALOGS.glob("*/LC_MESSAGES/*.po"):
        relative = po_path.relative_to(SOURCE_CATALOGS).with_suffix(".mo")
        # Compiled every time and written atomically: a .mo damaged by a killed run is never trusted.
        with po_path.open("rb") as source:
            catalog = read_po(source)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        write_atomic(target / relative, compiled.getvalue())
        for locale, labels in FALLBACK_LABELS.items():
            if labels == relative.parts[0] and not (SOURCE_CATALOGS / locale).exists():
                write_atomic(target / locale / Path(*relative.parts[1:]), compiled.getvalue())
    app.add_message_catalog(CATALOG, str(target))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", compile_catalogs)
