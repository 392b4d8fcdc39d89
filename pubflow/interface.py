"""pubflow's own interface strings: the catalog pubflow ships, with a publication's overrides over it.

pubflow ships ``pubflow/sphinxext/locale/<lang>/LC_MESSAGES/pubflow.po`` (its
template, ``pubflow.pot``, beside them) for zh_CN, zh_TW, zh_HK, en, ja, ko,
fr and de. A publication overrides any string, or adds a language, in its own
catalog ``interface/<lang>/LC_MESSAGES/pubflow.po`` beside ``conf.py``: each
translated, non-fuzzy message there wins over pubflow's. The Sphinx extension
(``sphinxext/labels.py``) compiles the result for each build; the root page,
written outside Sphinx, reads it through ``label_for``.
"""

from __future__ import annotations

import gettext
import io
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pubflow.errors import PubflowError
from pubflow.fileio import read_bytes

CATALOG = "pubflow"


def N_(message: str) -> str:
    """Mark a string for pubflow's catalog where it is defined; it is translated where it is shown."""
    return message


SOURCE_CATALOGS = Path(__file__).resolve().parent / "sphinxext" / "locale"
#: A publication's own interface catalogs, from its root: interface/<lang>/LC_MESSAGES/pubflow.po.
OVERRIDES = Path("interface")
#: Locales with no labels of their own that read another's (gettext would fall back to English).
FALLBACK_LABELS = {"zh_MO": "zh_HK", "zh_SG": "zh_CN"}


def _read(path: Path, locale: str) -> Catalog:
    try:
        return read_po(io.BytesIO(read_bytes(path)), locale=None, abort_invalid=True)
    except Exception as error:  # babel raises PoFileError, ValueError, UnicodeDecodeError
        raise PubflowError(f"cannot read pubflow's interface catalog for {locale}: {error}", path) from None


def _catalog_path(root: Path, locale: str) -> Path:
    return root / locale / "LC_MESSAGES" / f"{CATALOG}.po"


def interface_locales(project_root: Path | None) -> list[str]:
    """Every locale with interface strings: pubflow's, the publication's own, and the fallbacks."""
    shipped = {p.parent.parent.name for p in SOURCE_CATALOGS.glob(f"*/LC_MESSAGES/{CATALOG}.po")}
    own = (
        {p.parent.parent.name for p in (project_root / OVERRIDES).glob(f"*/LC_MESSAGES/{CATALOG}.po")}
        if project_root is not None
        else set()
    )
    fallbacks = {locale for locale, other in FALLBACK_LABELS.items() if other in shipped | own}
    return sorted(shipped | own | fallbacks)


def merged_catalog(locale: str, project_root: Path | None) -> Catalog:
    """pubflow's strings for ``locale`` with the publication's translations over them."""
    shipped = _catalog_path(SOURCE_CATALOGS, locale)
    if not shipped.exists() and locale in FALLBACK_LABELS:
        shipped = _catalog_path(SOURCE_CATALOGS, FALLBACK_LABELS[locale])
    catalog = _read(shipped, locale) if shipped.exists() else Catalog(locale=None)
    if project_root is not None:
        own = _catalog_path(project_root / OVERRIDES, locale)
        if own.exists():
            for message in _read(own, locale):
                if message.id and message.string and not message.fuzzy:
                    catalog.delete(message.id)  # Babel's assignment would merge into pubflow's and keep its text
                    catalog[message.id] = Message(message.id, message.string)
    return catalog


#: The date a compiled catalog carries. Babel stamps one that lacks a POT-Creation-Date (pubflow's own do) with the
#: time of compiling, which would make the same strings compile to other bytes every minute, and every page of every
#: edition be read again for "new" strings (sphinxext/labels.py compares the compiled bytes).
COMPILED_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def compiled(locale: str, project_root: Path | None) -> bytes:
    """The merged catalog as a .mo: the same strings give the same bytes, whenever they are compiled."""
    catalog = merged_catalog(locale, project_root)
    catalog.creation_date = COMPILED_DATE
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@cache
def _translations(locale: str, project_root: Path | None) -> gettext.NullTranslations:
    return gettext.GNUTranslations(io.BytesIO(compiled(locale, project_root)))


def label_for(locale: str, message: str, project_root: Path | None = None) -> str:
    """``message`` in ``locale``, outside a Sphinx build (the root page), with the publication's overrides."""
    for candidate in dict.fromkeys((locale, locale.split("_")[0])):
        text = _translations(candidate, project_root).gettext(message)
        if text != message or _catalog_path(SOURCE_CATALOGS, candidate).exists():
            return text
    return message
